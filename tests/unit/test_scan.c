/* test_scan.c - framing, start lines, header index, limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sip/sip.h"
#include "testutil.h"

static const char invite[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n"
	"Max-Forwards: 70\r\n"
	"To: Bob <sip:bob@example.com>\r\n"
	"From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:alice@pc33.example.com>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 4\r\n"
	"\r\n"
	"v=0\n";

static struct sip_msg *msg_new(void)
{
	struct sip_msg *m = malloc(sizeof(*m));

	assert_non_null(m);
	return m;
}

static int scan(struct sip_msg *m, struct guarded *g, unsigned flags,
		const struct sip_limits *lim, struct sip_err *err)
{
	return sip_msg_scan(m, g->p, g->len, flags, lim, err);
}

static void test_invite_fields(void **state)
{
	struct guarded g = guard_str(invite);
	struct sip_msg *m = msg_new();
	struct sip_err err;

	(void)state;
	assert_int_equal(scan(m, &g, 0, NULL, &err), 0);
	assert_true(m->request);
	assert_int_equal(m->method_id, SIP_METHOD_INVITE);
	assert_true(sv_eq(m->ruri, SV("sip:bob@example.com")));
	assert_true(sv_eq(m->via.branch, SV("z9hG4bK776asdhds")));
	assert_true(sip_via_branch_is_rfc3261(&m->via));
	assert_int_equal(m->via.port, 5060);
	assert_true(sv_eq(m->call_id, SV("a84b4c76e66710@pc33.example.com")));
	assert_true(sv_eq(m->from_tag, SV("1928301774")));
	assert_int_equal(m->to_tag.len, 0);
	assert_int_equal(m->cseq.num, 314159);
	assert_int_equal(m->max_forwards, 70);
	assert_int_equal(m->nhdrs, 9);
	assert_true(sv_eq(m->body, SV("v=0\n")));
	assert_int_equal(m->len, sizeof(invite) - 1);
	assert_int_equal(m->consumed, sizeof(invite) - 1);
	assert_int_equal(m->hdrs[0].line,
			 strlen("INVITE sip:bob@example.com SIP/2.0\r\n"));
	assert_int_equal(sip_msg_check(m, &err), 0);
	free(m);
	guard_free(&g);
}

/* Every prefix of a message on a stream is "need more"; the whole is one
 * message; two in a row are framed one after the other. */
static void test_stream_prefixes(void **state)
{
	struct sip_msg *m = msg_new();
	size_t n = sizeof(invite) - 1;
	char two[2 * sizeof(invite) + 4];
	struct guarded g;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		g = guard_bytes(invite, i);
		assert_int_equal(scan(m, &g, SIP_SCAN_STREAM, NULL, NULL),
				 -EAGAIN);
		guard_free(&g);
	}
	memcpy(two, "\r\n\r\n", 4); /* keep-alive before the first (§7.5) */
	memcpy(two + 4, invite, n);
	memcpy(two + 4 + n, invite, n);
	g = guard_bytes(two, 4 + 2 * n);
	assert_int_equal(scan(m, &g, SIP_SCAN_STREAM, NULL, NULL), 0);
	assert_int_equal(m->consumed, 4 + n);
	assert_int_equal(sip_msg_scan(m, g.p + m->consumed, n, SIP_SCAN_STREAM,
				      NULL, NULL),
			 0);
	assert_int_equal(m->consumed, n);
	free(m);
	guard_free(&g);
}

/* Every truncation of a valid datagram is rejected or accepted without
 * reading past its end (the guard page catches over-reads). */
static void test_datagram_truncations(void **state)
{
	struct sip_msg *m = msg_new();
	struct sip_err err;
	struct guarded g;
	int ok = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(invite) - 1; i++) {
		g = guard_bytes(invite, i);
		if (scan(m, &g, 0, NULL, &err) == 0)
			ok++;
		guard_free(&g);
	}
	assert_int_equal(ok, 0); /* Content-Length: 4 is never satisfied */
	free(m);
}

static void test_bare_lf(void **state)
{
	struct guarded g = guard_str("OPTIONS sip:a@b SIP/2.0\n"
				     "Via: SIP/2.0/UDP h;branch=z9hG4bKx\n"
				     "To: <sip:a@b>\n"
				     "From: <sip:c@d>;tag=1\n"
				     "Call-ID: x\n"
				     "CSeq: 1 OPTIONS\n"
				     "Content-Length: 0\n"
				     "\n");
	struct sip_msg *m = msg_new();

	(void)state;
	assert_int_equal(scan(m, &g, 0, NULL, NULL), 0);
	assert_true(sv_eq(m->call_id, SV("x")));
	assert_int_equal(m->body.len, 0);
	free(m);
	guard_free(&g);
}

static void test_compact_and_folded(void **state)
{
	struct guarded g = guard_str("OPTIONS sip:a@b SIP/2.0\r\n"
				     "v: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
				     "t: <sip:a@b>\r\n"
				     "f: <sip:c@d>\r\n"
				     "  ;tag=1\r\n"
				     "i: x\r\n"
				     "CSEQ: 1 OPTIONS\r\n"
				     "l: 0\r\n"
				     "\r\n");
	struct sip_msg *m = msg_new();

	(void)state;
	assert_int_equal(scan(m, &g, 0, NULL, NULL), 0);
	assert_int_equal(m->hdrs[0].id, SIP_HDR_VIA);
	assert_int_equal(m->hdrs[1].id, SIP_HDR_TO);
	assert_int_equal(m->hdrs[2].id, SIP_HDR_FROM);
	assert_true(sv_eq(m->from_tag, SV("1")));
	assert_int_equal(m->hdrs[3].id, SIP_HDR_CALL_ID);
	assert_int_equal(m->hdrs[5].id, SIP_HDR_CONTENT_LENGTH);
	free(m);
	guard_free(&g);
}

static void expect_err(const char *text, unsigned flags,
		       const struct sip_limits *lim, int rc, uint16_t status)
{
	struct guarded g = guard_str(text);
	struct sip_msg *m = msg_new();
	struct sip_err err = {0};

	assert_int_equal(scan(m, &g, flags, lim, &err), rc);
	assert_int_equal(err.status, status);
	assert_non_null(err.reason);
	free(m);
	guard_free(&g);
}

static void test_errors(void **state)
{
	static const struct sip_limits small = {
		.max_msg_size = 100, .max_headers = 3, .max_line = 40};
	(void)state;
	/* Oversized datagram and oversized stream message: 513. */
	expect_err(invite, 0, &small, -EMSGSIZE, 513);
	expect_err("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 500\r\n\r\n",
		   SIP_SCAN_STREAM, &small, -EMSGSIZE, 513);
	/* Too many headers: 513; a header line too long: 400. */
	expect_err("OPTIONS sip:a@b SIP/2.0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"
		   "\r\n",
		   0, &small, -EMSGSIZE, 513);
	expect_err("OPTIONS sip:a@b SIP/2.0\r\nSubject: "
		   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n\r\n",
		   0, &small, -EBADMSG, 400);
	/* No colon; a continuation line first; empty name. */
	expect_err("OPTIONS sip:a@b SIP/2.0\r\nFoobar roobar\r\n\r\n", 0, NULL,
		   -EBADMSG, 400);
	expect_err("OPTIONS sip:a@b SIP/2.0\r\n folded: x\r\n\r\n", 0, NULL,
		   -EBADMSG, 400);
	expect_err("OPTIONS sip:a@b SIP/2.0\r\n: x\r\n\r\n", 0, NULL, -EBADMSG,
		   400);
	/* Bad versions: 505 for SIP/3.0, 400 for garbage. */
	expect_err("OPTIONS sip:a@b SIP/3.0\r\n\r\n", 0, NULL, -EBADMSG, 505);
	expect_err("OPTIONS sip:a@b HTTP/1.1\r\n\r\n", 0, NULL, -EBADMSG, 400);
	/* Malformed responses are dropped (status 0). */
	expect_err("SIP/2.0 20 OK\r\n\r\n", 0, NULL, -EBADMSG, 0);
	expect_err("SIP/2.0 999 Huh\r\n\r\n", 0, NULL, -EBADMSG, 0);
	expect_err("SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n", 0, NULL, -EBADMSG,
		   0);
	/* Nothing but CRLF: dropped. */
	expect_err("\r\n\r\n", 0, NULL, -ENODATA, 0);
	/* Start line without LF over UDP. */
	expect_err("OPTIONS sip:a@b SIP/2.0", 0, NULL, -EBADMSG, 400);
	/* Request-URI without a scheme. */
	expect_err("OPTIONS alice SIP/2.0\r\n\r\n", 0, NULL, -EBADMSG, 400);
}

/* Max-Forwards above 255 and a second Max-Forwards are 400s. */
static void test_max_forwards(void **state)
{
	(void)state;
	expect_err("OPTIONS sip:a@b SIP/2.0\r\n"
		   "Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
		   "To: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\n"
		   "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 256\r\n"
		   "l: 0\r\n\r\n",
		   0, NULL, -EBADMSG, 400);
}

/* sip_msg_check on a response never asks for an answer: a bad Contact in
 * a 200 is a drop (status 0), in a request a 400. */
static void test_check_response_drops(void **state)
{
	static const char *const texts[] = {
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
		"To: <sip:a@b>;tag=2\r\nFrom: <sip:c@d>;tag=1\r\n"
		"Call-ID: x\r\nCSeq: 1 INVITE\r\n"
		"Contact: <sip:a@b>, bad\r\nl: 0\r\n\r\n",
		"INVITE sip:a@b SIP/2.0\r\n"
		"Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
		"To: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\n"
		"Call-ID: x\r\nCSeq: 1 INVITE\r\n"
		"Contact: <sip:a@b>, bad\r\nl: 0\r\n\r\n",
	};
	struct sip_msg *m = msg_new();
	struct sip_err err;

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct guarded g = guard_str(texts[i]);

		assert_int_equal(scan(m, &g, 0, NULL, &err), 0);
		assert_int_equal(sip_msg_check(m, &err), -EBADMSG);
		assert_int_equal(err.status, i == 0 ? 0 : 400);
		assert_int_equal(err.hdr, SIP_HDR_CONTACT);
		guard_free(&g);
	}
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invite_fields),
		cmocka_unit_test(test_stream_prefixes),
		cmocka_unit_test(test_datagram_truncations),
		cmocka_unit_test(test_bare_lf),
		cmocka_unit_test(test_compact_and_folded),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_max_forwards),
		cmocka_unit_test(test_check_response_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
