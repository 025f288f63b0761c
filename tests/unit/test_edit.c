/* test_edit.c - parse -> edit -> serialize -> parse round trips, and
 * responses built from requests (§8.2.6). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sip/sip.h"
#include "testutil.h"

static const char req[] =
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
	"Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
	"Max-Forwards: 70\r\n"
	"To: Bob <sip:bob@biloxi.example.com>\r\n"
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Timestamp: 54\r\n"
	"Content-Length: 4\r\n"
	"\r\n"
	"v=0\n";

/* What a proxy sends after: add Via, pop Route, decrement Max-Forwards, add
 * Record-Route, new Request-URI. */
static const char fwd[] =
	"INVITE sip:bob@192.0.2.4 SIP/2.0\r\n"
	"Record-Route: <sip:p1.example.com;lr>\r\n"
	"Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1x\r\n"
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n"
	"Route: <sip:p2.example.com;lr>\r\n"
	"Max-Forwards: 69\r\n"
	"To: Bob <sip:bob@biloxi.example.com>\r\n"
	"From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Timestamp: 54\r\n"
	"Content-Length: 4\r\n"
	"\r\n"
	"v=0\n";

struct fixture {
	struct guarded g;
	struct sip_msg m;
	struct sip_edit e;
	char out[4096];
};

static struct fixture *load(const char *text)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sip_err err;

	assert_non_null(f);
	f->g = guard_str(text);
	assert_int_equal(sip_msg_scan(&f->m, f->g.p, f->g.len, 0, NULL, &err),
			 0);
	sip_edit_init(&f->e, &f->m);
	return f;
}

static void unload(struct fixture *f)
{
	guard_free(&f->g);
	free(f);
}

static void test_round_trip(void **state)
{
	struct fixture *f = load(req);
	struct sip_msg *m2 = malloc(sizeof(*m2));
	struct sip_value_iter it;
	struct iovec iov[64];
	struct sv v;
	long n;
	int niov;
	size_t total = 0;

	(void)state;
	assert_int_equal(sip_edit_add_top(&f->e, SIP_HDR_VIA,
					  SV("SIP/2.0/UDP p1.example.com;"
					     "branch=z9hG4bKp1x")),
			 0);
	assert_int_equal(sip_edit_pop_top(&f->e, SIP_HDR_ROUTE), 0);
	assert_int_equal(sip_edit_decr_max_forwards(&f->e), 0);
	assert_int_equal(sip_edit_add_top(&f->e, SIP_HDR_RECORD_ROUTE,
					  SV("<sip:p1.example.com;lr>")),
			 0);
	assert_int_equal(sip_edit_set_ruri(&f->e, SV("sip:bob@192.0.2.4")), 0);
	n = sip_edit_write(&f->e, f->out, sizeof(f->out));
	assert_int_equal(n, sizeof(fwd) - 1);
	assert_memory_equal(f->out, fwd, sizeof(fwd) - 1);
	/* The iovecs say the same thing. */
	niov = sip_edit_iov(&f->e, iov, 64);
	assert_true(niov > 0);
	for (int i = 0; i < niov; i++) {
		assert_memory_equal(iov[i].iov_base, fwd + total,
				    iov[i].iov_len);
		total += iov[i].iov_len;
	}
	assert_int_equal(total, sizeof(fwd) - 1);
	/* The input is untouched. */
	assert_memory_equal(f->g.p, req, sizeof(req) - 1);
	/* And it parses back to what we meant. */
	assert_int_equal(sip_msg_scan(m2, f->out, (size_t)n, 0, NULL, NULL), 0);
	assert_true(sv_eq(m2->via.branch, SV("z9hG4bKp1x")));
	assert_int_equal(m2->count[SIP_HDR_VIA], 2);
	assert_int_equal(m2->max_forwards, 69);
	assert_true(sv_eq(m2->ruri, SV("sip:bob@192.0.2.4")));
	sip_value_iter_init(&it, m2, SIP_HDR_ROUTE);
	assert_int_equal(sip_value_iter_next(&it, &v), 1);
	assert_true(sv_eq(v, SV("<sip:p2.example.com;lr>")));
	assert_int_equal(sip_value_iter_next(&it, &v), 0);
	assert_true(sv_eq(m2->body, SV("v=0\n")));
	free(m2);
	unload(f);
}

/* Popping a one-value Route removes the line; popping it twice is caught. */
static void test_pop_whole_line(void **state)
{
	struct fixture *f = load(fwd);
	long n;

	(void)state;
	assert_int_equal(sip_edit_pop_top(&f->e, SIP_HDR_ROUTE), 0);
	assert_int_equal(sip_edit_pop_top(&f->e, SIP_HDR_ROUTE), -EALREADY);
	assert_true(sip_edit_write(&f->e, f->out, sizeof(f->out)) < 0);
	sip_edit_init(&f->e, &f->m);
	assert_int_equal(sip_edit_pop_top(&f->e, SIP_HDR_ROUTE), 0);
	assert_int_equal(sip_edit_pop_top(&f->e, SIP_HDR_VIA), 0);
	n = sip_edit_write(&f->e, f->out, sizeof(f->out));
	assert_true(n > 0);
	f->out[n] = '\0';
	assert_null(strstr(f->out, "\nRoute: <"));
	assert_null(strstr(f->out, "p1.example.com;branch"));
	assert_non_null(strstr(f->out, "Record-Route: <"));
	assert_int_equal(sip_edit_pop_top(&f->e, SIP_HDR_PATH), -ENOENT);
	unload(f);
}

/* No Max-Forwards: add 70 (§16.6 step 3).  No Content-Length: add it.
 * Extra datagram octets are never forwarded (RFC 4475 dblreq). */
static void test_adds_missing(void **state)
{
	struct guarded g = guard_testdata("rfc4475/inv2543.dat", 0);
	struct guarded d = guard_testdata("rfc4475/dblreq.dat", 0);
	struct sip_msg *m = malloc(sizeof(*m)), *m2 = malloc(sizeof(*m2));
	struct sip_edit *e = malloc(sizeof(*e));
	char out[2048];
	long n;

	(void)state;
	assert_int_equal(sip_msg_scan(m, g.p, g.len, 0, NULL, NULL), 0);
	sip_edit_init(e, m);
	assert_int_equal(sip_edit_decr_max_forwards(e), 0);
	n = sip_edit_write(e, out, sizeof(out));
	assert_true(n > 0);
	/* Over a stream now: Content-Length must be there. */
	assert_int_equal(
		sip_msg_scan(m2, out, (size_t)n, SIP_SCAN_STREAM, NULL, NULL),
		0);
	assert_int_equal(m2->max_forwards, 70);
	assert_int_equal(m2->content_length, 105);
	assert_int_equal(m2->consumed, (size_t)n);

	assert_int_equal(sip_msg_scan(m, d.p, d.len, 0, NULL, NULL), 0);
	sip_edit_init(e, m);
	n = sip_edit_write(e, out, sizeof(out));
	assert_int_equal(n, (long)m->len);
	assert_true(m->len < d.len);
	out[n] = '\0';
	assert_null(strstr(out, "INVITE"));
	free(m);
	free(m2);
	free(e);
	guard_free(&g);
	guard_free(&d);
}

static void test_new_body_and_limits(void **state)
{
	struct fixture *f = load(req);
	struct sip_msg *m2 = malloc(sizeof(*m2));
	char big[SIP_EDIT_SCRATCH + 1];
	long n;

	(void)state;
	sip_edit_set_body(&f->e, SV("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"));
	n = sip_edit_write(&f->e, f->out, sizeof(f->out));
	assert_true(n > 0);
	assert_int_equal(sip_msg_scan(m2, f->out, (size_t)n, 0, NULL, NULL), 0);
	assert_int_equal(m2->content_length, 31);
	assert_int_equal(sip_edit_write(&f->e, f->out, 10), -ENOSPC);
	/* Scratch exhausted: the edit refuses to serialize. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(sip_edit_add_bottom(&f->e, SV("X-Big"),
					     sv_make(big, sizeof(big))),
			 -ENOSPC);
	assert_int_equal(sip_edit_write(&f->e, f->out, sizeof(f->out)),
			 -EINVAL);
	free(m2);
	unload(f);
}

static void test_response(void **state)
{
	struct fixture *f = load(fwd);
	struct sip_msg *r = malloc(sizeof(*r));
	struct sip_resp_opts o = {.to_tag = SV("a6c85cf")};
	struct sip_value_iter it;
	struct sv v;
	long n;

	(void)state;
	n = sip_resp_build(f->out, sizeof(f->out), &f->m, 180, &o);
	assert_true(n > 0);
	assert_int_equal(sip_msg_scan(r, f->out, (size_t)n, 0, NULL, NULL), 0);
	assert_false(r->request);
	assert_int_equal(r->status, 180);
	assert_true(sv_eq(r->reason, SV("Ringing")));
	assert_true(sv_eq(r->to_tag, SV("a6c85cf")));
	assert_true(sv_eq(r->from_tag, SV("1928301774")));
	assert_true(sv_eq(r->call_id, SV("a84b4c76e66710")));
	assert_int_equal(r->cseq.num, 314159);
	/* Both Vias, in order. */
	sip_value_iter_init(&it, r, SIP_HDR_VIA);
	assert_int_equal(sip_value_iter_next(&it, &v), 1);
	assert_true(sv_starts_with_case(v, SV("SIP/2.0/UDP p1.example.com")));
	assert_int_equal(sip_value_iter_next(&it, &v), 1);
	assert_true(sv_starts_with_case(v, SV("SIP/2.0/UDP pc33")));
	assert_null(sip_msg_hdr(r, SIP_HDR_TIMESTAMP));
	assert_null(sip_msg_hdr(r, SIP_HDR_RECORD_ROUTE));

	/* 100 Trying: no tag, Timestamp echoed (§8.2.6.1). */
	n = sip_resp_build(f->out, sizeof(f->out), &f->m, 100, &o);
	assert_int_equal(sip_msg_scan(r, f->out, (size_t)n, 0, NULL, NULL), 0);
	assert_int_equal(r->to_tag.len, 0);
	assert_non_null(sip_msg_hdr(r, SIP_HDR_TIMESTAMP));
	assert_int_equal(sip_resp_build(f->out, 40, &f->m, 200, NULL), -ENOSPC);
	free(r);
	unload(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_pop_whole_line),
		cmocka_unit_test(test_adds_missing),
		cmocka_unit_test(test_new_body_and_limits),
		cmocka_unit_test(test_response),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
