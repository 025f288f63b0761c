/* parse_bench.c - messages/second on one core for sip_msg_scan(): framing,
 * start line, header index and the transaction keys (top Via + branch,
 * CSeq, Call-ID, From/To tags, Max-Forwards, Content-Length).
 *
 * Usage: bench_parse [seconds-per-message]   (run by bench/parse) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/sip.h"

/* What a desk phone sends: an INVITE with SDP through one proxy. */
static const char invite[] =
	"INVITE sip:5550002@192.0.2.10;user=phone SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---a1b2c3d4e5f6a7b8;rport\r\n"
	"Via: SIP/2.0/UDP 192.0.2.21:5060;received=192.0.2.21;branch=z9hG4bK4f2a0c91b;rport=5060\r\n"
	"Max-Forwards: 69\r\n"
	"Record-Route: <sip:192.0.2.10;lr;ftag=3a9f8c21>\r\n"
	"Contact: <sip:5550001@192.0.2.21:5060;transport=udp>\r\n"
	"To: <sip:5550002@example.com;user=phone>\r\n"
	"From: \"Phone A\" <sip:5550001@example.com;user=phone>;tag=3a9f8c21\r\n"
	"Call-ID: 8d2c9a4e-1f3b-4c7a-9e6d-5b0a2f1c3e4d@192.0.2.21\r\n"
	"CSeq: 101 INVITE\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\r\n"
	"Supported: replaces, timer\r\n"
	"User-Agent: Cisco-SIPIPPhone/9.4\r\n"
	"Content-Type: application/sdp\r\n";

static const char invite_sdp[] = "v=0\r\n"
				 "o=PhoneA 8000 8000 IN IP4 192.0.2.21\r\n"
				 "s=SIP Call\r\n"
				 "c=IN IP4 192.0.2.21\r\n"
				 "t=0 0\r\n"
				 "m=audio 16384 RTP/AVP 0 8 101\r\n"
				 "a=rtpmap:0 PCMU/8000\r\n"
				 "a=rtpmap:8 PCMA/8000\r\n"
				 "a=rtpmap:101 telephone-event/8000\r\n"
				 "a=fmtp:101 0-15\r\n"
				 "a=ptime:20\r\n"
				 "a=sendrecv\r\n";

static const char ok200[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---a1b2c3d4e5f6a7b8;rport=5060\r\n"
	"Via: SIP/2.0/UDP 192.0.2.21:5060;received=192.0.2.21;branch=z9hG4bK4f2a0c91b;rport=5060\r\n"
	"Record-Route: <sip:192.0.2.10;lr;ftag=3a9f8c21>\r\n"
	"Contact: <sip:5550003@192.0.2.23:5060>\r\n"
	"To: <sip:5550002@example.com;user=phone>;tag=77c1e2f0\r\n"
	"From: \"Phone A\" <sip:5550001@example.com;user=phone>;tag=3a9f8c21\r\n"
	"Call-ID: 8d2c9a4e-1f3b-4c7a-9e6d-5b0a2f1c3e4d@192.0.2.21\r\n"
	"CSeq: 101 INVITE\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
	"Content-Type: application/sdp\r\n";

static const char ok200_sdp[] = "v=0\r\n"
				"o=PhoneC 9000 9000 IN IP4 192.0.2.23\r\n"
				"s=SIP Call\r\n"
				"c=IN IP4 192.0.2.23\r\n"
				"t=0 0\r\n"
				"m=audio 20000 RTP/AVP 0\r\n"
				"a=rtpmap:0 PCMU/8000\r\n";

static const char reg[] =
	"REGISTER sip:example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.22:5060;branch=z9hG4bK-d8754z-9c3e1f0a;rport\r\n"
	"Max-Forwards: 70\r\n"
	"Contact: <sip:5550002@192.0.2.22:5060;rinstance=6f8a2c1d>;expires=3600\r\n"
	"To: <sip:5550002@example.com>\r\n"
	"From: <sip:5550002@example.com>;tag=9b1c7e44\r\n"
	"Call-ID: NzQ2YjE0ZGM5ODBiMWE0NjQ3ZWY5NDM2@192.0.2.22\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Expires: 3600\r\n"
	"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE\r\n"
	"User-Agent: PhoneB/1.0\r\n";

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Messages per second over one round of about secs CPU-seconds. */
static double round_rate(const char *name, const char *text, size_t len,
			 double secs, size_t *sink)
{
	static struct sip_msg m;
	unsigned long n = 0, batch = 10000;
	double t0 = cpu_now(), t;

	do {
		for (unsigned long i = 0; i < batch; i++) {
			if (sip_msg_scan(&m, text, len, 0, NULL, NULL) != 0) {
				fprintf(stderr, "%s does not scan\n", name);
				exit(1);
			}
			*sink += m.via.branch.len + m.cseq.num;
		}
		n += batch;
		t = cpu_now() - t0;
	} while (t < secs);
	return (double)n / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ROUNDS rounds; the best and the median are printed (the machine is a
 * shared VM: the best round is the code, the median the neighbours). */
#define ROUNDS 7

static void run(const char *name, const char *hdrs, const char *body,
		double secs)
{
	static char text[4096];
	size_t len = (size_t)snprintf(text, sizeof(text),
				      "%sContent-Length: %zu\r\n\r\n%s", hdrs,
				      strlen(body), body);
	double r[ROUNDS];
	size_t sink = 0;

	for (int i = 0; i < ROUNDS; i++)
		r[i] = round_rate(name, text, len, secs / ROUNDS, &sink);
	qsort(r, ROUNDS, sizeof(r[0]), cmp_double);
	printf("%-9s %5zu bytes  best %5.2f M msg/s (%5.1f ns/msg, %4.2f GB/s)"
	       "  median %5.2f M msg/s%s\n",
	       name, len, r[ROUNDS - 1] / 1e6, 1e9 / r[ROUNDS - 1],
	       r[ROUNDS - 1] * (double)len / 1e9, r[ROUNDS / 2] / 1e6,
	       sink ? "" : " ");
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3.5;

	run("INVITE", invite, invite_sdp, secs);
	run("200 OK", ok200, ok200_sdp, secs);
	run("REGISTER", reg, "", secs);
	return 0;
}
