/* responder.c - ringway-responder: a minimal UAS on the transaction layer,
 * for interop tests and benchmarks of the engine.
 *
 *   OPTIONS -> 200;  INVITE -> 180, 200 (after --ring-ms) with SDP, the 200
 *   re-sent until the ACK comes (§13.3.1.4);  CANCEL -> 200 + 487;
 *   BYE -> 200;  anything else -> 501.
 *
 * On SIGINT/SIGTERM it stops and prints one JSON line of counters (engine,
 * transaction layer and its own) on stdout.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "ev/loop.h"

static unsigned ring_ms;

struct call;

/* Per-worker state: nothing shared between workers. */
struct rsp {
	struct worker *w;
	struct call *calls; /* answered INVITEs waiting for their ACK */
	uint64_t tag_seq;
	uint64_t invites, answered, acks, retrans_2xx, cancels, byes, options,
		others, timeouts;
};

struct call {
	struct call *next;
	struct rsp *r;
	struct txn *st; /* the INVITE's server transaction, NULL once gone */
	char call_id[256];
	size_t call_id_len;
	char to_tag[24];
	struct tw_timer ring;	/* --ring-ms: 180 now, 200 later */
	struct tw_timer resend; /* 2xx retransmission (§13.3.1.4) */
	uint32_t interval;
	uint32_t elapsed;
	bool answered;
	char *ok;
	size_t ok_len;
};

static struct call *call_find(struct rsp *r, struct sv call_id)
{
	for (struct call *c = r->calls; c; c = c->next)
		if (sv_eq(sv_make(c->call_id, c->call_id_len), call_id))
			return c;
	return NULL;
}

static void call_free(struct call *c)
{
	struct rsp *r = c->r;
	struct tw *tw = ev_timers(worker_loop(r->w));

	for (struct call **pp = &r->calls; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	tw_del(tw, &c->ring);
	tw_del(tw, &c->resend);
	free(c->ok);
	free(c);
}

static const char sdp[] = "v=0\r\n"
			  "o=responder 1 1 IN IP4 127.0.0.1\r\n"
			  "s=-\r\n"
			  "c=IN IP4 127.0.0.1\r\n"
			  "t=0 0\r\n"
			  "m=audio 40000 RTP/AVP 0\r\n"
			  "a=rtpmap:0 PCMU/8000\r\n";

/* §13.3.1.4: re-send the 2xx at T1, 2T1, ... up to T2 until the ACK; give
 * up after 64*T1. */
static void on_resend(struct tw_timer *t)
{
	struct call *c =
		(struct call *)((char *)t - offsetof(struct call, resend));
	struct iovec iov = {c->ok, c->ok_len};

	c->elapsed += c->interval;
	if (!c->st || c->elapsed >= 64 * 500) {
		call_free(c);
		return;
	}
	(void)txn_reply_raw(c->st, &iov, 1);
	c->r->retrans_2xx++;
	c->interval = c->interval * 2 > 4000 ? 4000 : c->interval * 2;
	tw_add(ev_timers(worker_loop(c->r->w)), &c->resend, c->interval);
}

static void answer(struct call *c)
{
	const struct sip_msg *req = txn_request_msg(c->st);
	struct sip_resp_opts o = {
		.to_tag = sv_from_cstr(c->to_tag),
		.headers = SV("Contact: <sip:responder@127.0.0.1>\r\n"
			      "Content-Type: application/sdp\r\n"),
		.body = {sdp, sizeof(sdp) - 1},
	};
	char buf[4096];
	long n = sip_resp_build(buf, sizeof(buf), req, 200, &o);
	struct iovec iov;

	if (n < 0 || !(c->ok = malloc((size_t)n)))
		return;
	memcpy(c->ok, buf, (size_t)n);
	c->ok_len = (size_t)n;
	iov = (struct iovec){c->ok, c->ok_len};
	if (txn_reply_raw(c->st, &iov, 1) == 0)
		c->r->answered++;
	c->answered = true;
	c->interval = 500;
	tw_add(ev_timers(worker_loop(c->r->w)), &c->resend, c->interval);
}

static void on_ring(struct tw_timer *t)
{
	struct call *c =
		(struct call *)((char *)t - offsetof(struct call, ring));

	if (c->st)
		answer(c);
	else
		call_free(c);
}

static void on_invite(struct rsp *r, struct txn *st, struct sip_msg *req)
{
	struct call *c = calloc(1, sizeof(*c));
	struct sip_resp_opts o = {0};

	r->invites++;
	if (!c || req->call_id.len >= sizeof(c->call_id)) {
		free(c);
		(void)txn_reply(st, 500, NULL);
		return;
	}
	c->r = r;
	c->st = st;
	memcpy(c->call_id, req->call_id.p, req->call_id.len);
	c->call_id_len = req->call_id.len;
	snprintf(c->to_tag, sizeof(c->to_tag), "r%u-%" PRIu64, worker_id(r->w),
		 ++r->tag_seq);
	tw_timer_init(&c->ring, on_ring);
	tw_timer_init(&c->resend, on_resend);
	c->next = r->calls;
	r->calls = c;
	txn_set_user(st, c);
	o.to_tag = sv_from_cstr(c->to_tag);
	(void)txn_reply(st, 180, &o);
	if (ring_ms)
		tw_add(ev_timers(worker_loop(r->w)), &c->ring, ring_ms);
	else
		answer(c);
}

static void tu_request(void *tu, struct txn *st, struct sip_msg *req)
{
	struct rsp *r = tu;
	static const struct sip_resp_opts allow = {
		.headers = SV("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"),
	};

	switch (req->method_id) {
	case SIP_METHOD_INVITE:
		on_invite(r, st, req);
		break;
	case SIP_METHOD_OPTIONS:
		r->options++;
		(void)txn_reply(st, 200, &allow);
		break;
	case SIP_METHOD_BYE:
		r->byes++;
		(void)txn_reply(st, 200, NULL);
		break;
	case SIP_METHOD_CANCEL:
		/* A CANCEL matching nothing (§9.2). */
		(void)txn_reply(st, 481, NULL);
		break;
	default:
		r->others++;
		(void)txn_reply(st, 501, &allow);
		break;
	}
}

static void tu_cancel(void *tu, struct txn *invite_st, struct txn *cancel_st,
		      struct sip_msg *cancel)
{
	struct rsp *r = tu;
	struct call *c = txn_user(invite_st);
	struct sip_resp_opts o = {0};

	(void)cancel;
	r->cancels++;
	(void)txn_reply(cancel_st, 200, NULL);
	if (c && !c->answered) {
		o.to_tag = sv_from_cstr(c->to_tag);
		(void)txn_reply(invite_st, 487, &o);
	}
}

static void tu_stray(void *tu, struct sip_msg *m, const struct tp_rx *rx)
{
	struct rsp *r = tu;
	struct call *c;

	(void)rx;
	if (!m->request || m->method_id != SIP_METHOD_ACK)
		return;
	r->acks++;
	c = call_find(r, m->call_id);
	if (c && c->answered)
		call_free(c);
}

static void tu_response(void *tu, struct txn *ct, struct sip_msg *resp)
{
	(void)tu;
	(void)ct;
	(void)resp;
}

static void tu_timeout(void *tu, struct txn *t)
{
	(void)t;
	((struct rsp *)tu)->timeouts++;
}

static void tu_transport_error(void *tu, struct txn *t, int err)
{
	(void)tu;
	(void)t;
	(void)err;
}

static void tu_destroyed(void *tu, struct txn *t)
{
	struct call *c = txn_user(t);

	(void)tu;
	if (c && c->st == t)
		c->st = NULL; /* the timers free the call */
}

static const struct txn_tu tu = {
	.request = tu_request,
	.response = tu_response,
	.timeout = tu_timeout,
	.transport_error = tu_transport_error,
	.cancel = tu_cancel,
	.stray = tu_stray,
	.destroyed = tu_destroyed,
};

static struct rsp *workers[ENGINE_MAX_WORKERS];

static void *worker_init(struct worker *w, void *arg)
{
	struct rsp *r = calloc(1, sizeof(*r));

	(void)arg;
	if (r)
		r->w = w;
	workers[worker_id(w)] = r;
	return r;
}

static void worker_fini(struct worker *w, void *arg)
{
	struct rsp *r = arg;

	while (r && r->calls) {
		struct call *c = r->calls;

		r->calls = c->next; /* unlinked: call_free only frees it */
		call_free(c);
	}
	workers[worker_id(w)] = NULL;
	free(r);
}

static void usage(void)
{
	fputs("usage: ringway-responder [-l [udp:|tcp:]host:port]... "
	      "[-w workers] [--ring-ms N] [--loss PCT] [--t1 MS]\n"
	      "       [--tcp-max-conns N] [--tcp-idle-ms MS] [--tcp-msg-ms MS]\n"
	      "       [--max-txns N]\n",
	      stderr);
	exit(2);
}

static void print_stats(struct engine *e)
{
	struct engine_stats s;
	uint64_t inv = 0, ans = 0, acks = 0, re = 0, can = 0, bye = 0, opt = 0,
		 to = 0;

	engine_stats(e, &s);
	for (unsigned i = 0; i < engine_workers(e); i++) {
		struct rsp *r = workers[i];

		inv += r->invites;
		ans += r->answered;
		acks += r->acks;
		re += r->retrans_2xx;
		can += r->cancels;
		bye += r->byes;
		opt += r->options;
		to += r->timeouts;
	}
	printf("{\"workers\":%u,\"rx_datagrams\":%" PRIu64
	       ",\"tx_datagrams\":%" PRIu64 ",\"rx_batches\":%" PRIu64
	       ",\"tx_batches\":%" PRIu64 ",\"handoff_out\":%" PRIu64
	       ",\"handoff_in\":%" PRIu64 ",\"handoff_dropped\":%" PRIu64
	       ",\"rx_dropped_loss\":%" PRIu64 ",\"server_txns\":%" PRIu64
	       ",\"absorbed\":%" PRIu64 ",\"absorbed_acks\":%" PRIu64
	       ",\"retransmitted\":%" PRIu64 ",\"responses_resent\":%" PRIu64
	       ",\"txn_timeouts\":%" PRIu64 ",\"malformed\":%" PRIu64
	       ",\"invites\":%" PRIu64 ",\"answered\":%" PRIu64
	       ",\"acks\":%" PRIu64 ",\"retrans_2xx\":%" PRIu64
	       ",\"cancels\":%" PRIu64 ",\"byes\":%" PRIu64
	       ",\"options\":%" PRIu64 ",\"timeouts\":%" PRIu64
	       ",\"tcp_accepted\":%" PRIu64 ",\"tcp_refused\":%" PRIu64
	       ",\"tcp_closed\":%" PRIu64 "}\n",
	       engine_workers(e), s.rx_datagrams, s.tx_datagrams, s.rx_batches,
	       s.tx_batches, s.handoff_out, s.handoff_in, s.handoff_dropped,
	       s.rx_dropped_loss, s.txn.server_created, s.txn.absorbed,
	       s.txn.absorbed_acks, s.txn.retransmitted, s.txn.responses_resent,
	       s.txn.timeouts, s.txn.rx_malformed, inv, ans, acks, re, can, bye,
	       opt, to, s.tcp_accepted, s.tcp_refused, s.tcp_closed);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"workers", required_argument, NULL, 'w'},
		{"ring-ms", required_argument, NULL, 'r'},
		{"loss", required_argument, NULL, 'L'},
		{"t1", required_argument, NULL, 'T'},
		{"tcp-max-conns", required_argument, NULL, 'C'},
		{"tcp-idle-ms", required_argument, NULL, 'I'},
		{"tcp-msg-ms", required_argument, NULL, 'M'},
		{"max-txns", required_argument, NULL, 'X'},
		{NULL, 0, NULL, 0},
	};
	struct engine_role role = {
		.tu = &tu,
		.worker_init = worker_init,
		.worker_fini = worker_fini,
	};
	struct engine_cfg cfg;
	struct engine *e;
	sigset_t set;
	int c, sig, rc;

	engine_cfg_default(&cfg);
	while ((c = getopt_long(argc, argv, "l:w:", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (cfg.nlisten == ENGINE_MAX_LISTEN ||
			    engine_listen_parse(&cfg.listen[cfg.nlisten++],
						optarg)) {
				fprintf(stderr, "bad listen address: %s\n",
					optarg);
				return 2;
			}
			break;
		case 'w':
			cfg.workers = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			ring_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'L':
			cfg.rx_loss_pct = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'T':
			cfg.txn.t1 = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'C':
			cfg.tcp_max_conns = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'I':
			cfg.tcp_idle_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'M':
			cfg.tcp_msg_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'X':
			cfg.txn.max_txns = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (cfg.nlisten == 0)
		(void)engine_listen_parse(&cfg.listen[cfg.nlisten++],
					  "udp:127.0.0.1:5080");
	/* Signals are taken by sigwait below, never by a worker. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	rc = engine_start(&e, &cfg, &role);
	if (rc) {
		fprintf(stderr, "ringway-responder: cannot start: %s\n",
			strerror(-rc));
		return 1;
	}
	fprintf(stderr, "ringway-responder: %u workers, ready\n",
		engine_workers(e));
	(void)sigwait(&set, &sig);
	/* The workers publish their last counters as they stop. */
	engine_join(e);
	print_stats(e);
	engine_stop(e);
	return 0;
}
