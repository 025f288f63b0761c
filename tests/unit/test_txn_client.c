/* test_txn_client.c - the client transactions (RFC 3261 §17.1.1, §17.1.2,
 * RFC 6026 §7.2) and CANCEL (§9.1) on a simulated clock. */
#include "txn_harness.h"

/* Our request to bob, through a proxy (Route). */
static int mk_request(char *buf, size_t cap, const char *method,
		      const char *branch, const char *proto)
{
	return snprintf(buf, cap,
			"%s sip:bob@192.0.2.20 SIP/2.0\r\n"
			"Via: SIP/2.0/%s 192.0.2.10:5060;branch=%s\r\n"
			"Route: <sip:p1.example.com;lr>\r\n"
			"Route: <sip:p2.example.com;lr>\r\n"
			"Max-Forwards: 70\r\n"
			"From: Alice <sip:alice@example.com>;tag=a1\r\n"
			"To: Bob <sip:bob@example.com>\r\n"
			"Call-ID: call-1@192.0.2.10\r\n"
			"CSeq: 7 %s\r\n"
			"Content-Length: 4\r\n"
			"\r\n"
			"v=0\n",
			method, proto, branch, method);
}

/* A response from bob's side to a request with that branch. */
static int mk_response(char *buf, size_t cap, unsigned code, const char *method,
		       const char *branch, const char *to_tag)
{
	return snprintf(buf, cap,
			"SIP/2.0 %u %s\r\n"
			"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=%s\r\n"
			"From: Alice <sip:alice@example.com>;tag=a1\r\n"
			"To: Bob <sip:bob@example.com>%s%s\r\n"
			"Call-ID: call-1@192.0.2.10\r\n"
			"CSeq: 7 %s\r\n"
			"Content-Length: 0\r\n"
			"\r\n",
			code, sip_status_reason(code), branch,
			to_tag ? ";tag=" : "", to_tag ? to_tag : "", method);
}

struct cfix {
	struct h *h;
	struct txn *ct;
	struct tp_peer bob;
	char branch[64];
	char buf[2048];
};

static void start(struct cfix *f, const char *method, enum tp_proto proto)
{
	struct iovec iov;
	int n;

	f->h = h_new();
	f->bob = h_peer(proto, "192.0.2.20", 5060);
	assert_true(txn_branch(f->h->l, f->branch, sizeof(f->branch)) > 0);
	n = mk_request(f->buf, sizeof(f->buf), method, f->branch,
		       proto == TP_UDP ? "UDP" : "TCP");
	iov = (struct iovec){.iov_base = f->buf, .iov_len = (size_t)n};
	assert_int_equal(
		txn_request(f->h->l, &f->ct, &iov, 1, &f->bob, (void *)f), 0);
	assert_non_null(f->ct);
	assert_ptr_equal(txn_user(f->ct), f);
}

static void respond(struct cfix *f, unsigned code, const char *method,
		    const char *to_tag)
{
	char r[1024];

	mk_response(r, sizeof(r), code, method, f->branch, to_tag);
	h_input(f->h, r, &f->bob);
}

static void assert_send_times(const struct h *h, const uint64_t *at, unsigned n)
{
	assert_int_equal(h->nsent, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(h->sent[i].at, at[i]);
}

/* §17.1.2.2 over UDP: Timer E doubles from T1 up to T2, Timer F = 64*T1. */
static void test_noninvite_udp_schedule(void **state)
{
	static const uint64_t at[] = {0,     500,   1500,  3500,  7500, 11500,
				      15500, 19500, 23500, 27500, 31500};
	struct cfix f;

	(void)state;
	start(&f, "OPTIONS", TP_UDP);
	assert_int_equal(txn_kind(f.ct), TXN_CLIENT_NONINVITE);
	assert_int_equal(txn_state(f.ct), TXN_TRYING);
	h_run_to(f.h, 31999);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	h_run_to(f.h, 32000);
	assert_send_times(f.h, at, 11);
	for (unsigned i = 1; i < 11; i++)
		assert_memory_equal(f.h->sent[i].buf, f.h->sent[0].buf,
				    f.h->sent[0].len);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.ct), 1);
	assert_int_equal(h_last(f.h, EV_TIMEOUT)->at, 32000);
	assert_int_equal(h_last(f.h, EV_DESTROYED)->at, 32000);
	assert_int_equal(txn_layer_stats(f.h->l)->retransmitted, 10);
	assert_int_equal(txn_layer_stats(f.h->l)->timeouts, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->live, 0);
	h_run_to(f.h, 40000);
	assert_int_equal(f.h->nsent, 11);
	h_free(f.h);
}

/* After a provisional, Timer E fires at its deadline and then every T2;
 * a final ends it: Completed, Timer K = T4, retransmitted finals absorbed. */
static void test_noninvite_proceeding_t2(void **state)
{
	static const uint64_t at[] = {0, 500, 1500, 5500, 9500};
	struct cfix f;

	(void)state;
	start(&f, "OPTIONS", TP_UDP);
	h_run_to(f.h, 600);
	respond(&f, 100, "OPTIONS", NULL);
	assert_int_equal(txn_state(f.ct), TXN_PROCEEDING);
	assert_int_equal(txn_status(f.ct), 100);
	h_run_to(f.h, 10000);
	assert_send_times(f.h, at, 5);
	/* A second provisional is passed up as well. */
	respond(&f, 180, "OPTIONS", "b1");
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 2);
	respond(&f, 200, "OPTIONS", "b1");
	assert_int_equal(txn_state(f.ct), TXN_COMPLETED);
	assert_int_equal(txn_status(f.ct), 200);
	assert_int_equal(h_last(f.h, EV_RESPONSE)->status, 200);
	h_run_to(f.h, 12000);
	respond(&f, 200, "OPTIONS", "b1"); /* absorbed */
	respond(&f, 100, "OPTIONS", NULL); /* late: absorbed */
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 3);
	assert_int_equal(f.h->nsent, 5);
	/* Timer K: T4 after the final. */
	h_run_to(f.h, 14999);
	assert_int_equal(f.h->ndestroyed, 0);
	h_run_to(f.h, 15000);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	/* Gone: a late response is a stray now. */
	respond(&f, 200, "OPTIONS", "b1");
	assert_int_equal(h_count(f.h, EV_STRAY, NULL), 1);
	h_free(f.h);
}

/* A final in Trying (no provisional): Completed directly. */
static void test_noninvite_final_in_trying(void **state)
{
	struct cfix f;

	(void)state;
	start(&f, "REGISTER", TP_UDP);
	h_run_to(f.h, 100);
	respond(&f, 404, "REGISTER", "b1");
	assert_int_equal(txn_state(f.ct), TXN_COMPLETED);
	h_run_to(f.h, 5099);
	assert_int_equal(f.h->ndestroyed, 0);
	assert_int_equal(f.h->nsent, 1);
	h_run_to(f.h, 5100);
	assert_int_equal(f.h->ndestroyed, 1);
	h_free(f.h);
}

/* Over TCP: no Timer E, Timer F still 64*T1; Timer K = 0. */
static void test_noninvite_tcp(void **state)
{
	struct cfix f;

	(void)state;
	start(&f, "OPTIONS", TP_TCP);
	h_run_to(f.h, 32000);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(f.h->sent[0].dst.conn, 7);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.ct), 1);
	assert_int_equal(f.h->ndestroyed, 1);
	h_free(f.h);

	start(&f, "OPTIONS", TP_TCP);
	h_run_to(f.h, 100);
	respond(&f, 200, "OPTIONS", "b1");
	assert_int_equal(h_count(f.h, EV_RESPONSE, NULL), 1);
	/* Destroyed right after the response went up. */
	assert_int_equal(f.h->nev, 2);
	assert_int_equal(f.h->ev[1].type, EV_DESTROYED);
	assert_int_equal(f.h->ev[1].at, 100);
	h_free(f.h);
}

/* §17.1.1.2 over UDP: Timer A doubles from T1 without a cap, Timer B =
 * 64*T1. */
static void test_invite_udp_schedule(void **state)
{
	static const uint64_t at[] = {0, 500, 1500, 3500, 7500, 15500, 31500};
	struct cfix f;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_kind(f.ct), TXN_CLIENT_INVITE);
	assert_int_equal(txn_state(f.ct), TXN_CALLING);
	h_run_to(f.h, 31999);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	h_run_to(f.h, 40000);
	assert_send_times(f.h, at, 7);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.ct), 1);
	assert_int_equal(h_last(f.h, EV_TIMEOUT)->at, 32000);
	assert_int_equal(h_last(f.h, EV_DESTROYED)->at, 32000);
	assert_int_equal(txn_layer_stats(f.h->l)->retransmitted, 6);
	h_free(f.h);
}

static void test_invite_tcp(void **state)
{
	struct cfix f;

	(void)state;
	start(&f, "INVITE", TP_TCP);
	h_run_to(f.h, 40000);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(h_last(f.h, EV_TIMEOUT)->at, 32000);
	h_free(f.h);
}

/* A provisional stops Timer A and Timer B: Proceeding waits for the final
 * however long it takes (the TU has Timer C). */
static void test_invite_proceeding(void **state)
{
	struct cfix f;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	h_run_to(f.h, 700);
	respond(&f, 100, "INVITE", NULL);
	assert_int_equal(txn_state(f.ct), TXN_PROCEEDING);
	respond(&f, 180, "INVITE", "b1");
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 2);
	h_run_to(f.h, 100000);
	assert_int_equal(f.h->nsent, 2);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	assert_int_equal(f.h->ndestroyed, 0);
	/* Proceeding -> Accepted. */
	respond(&f, 200, "INVITE", "b1");
	assert_int_equal(txn_state(f.ct), TXN_ACCEPTED);
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 3);
	h_run_to(f.h, 100000 + 32000);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(f.h->nsent, 2);
	h_free(f.h);
}

/* Timer F fires in Proceeding too: a 1xx does not save a non-INVITE. */
static void test_noninvite_timeout_in_proceeding(void **state)
{
	struct cfix f;

	(void)state;
	start(&f, "BYE", TP_UDP);
	respond(&f, 100, "BYE", NULL);
	h_run_to(f.h, 32000);
	/* 0, then Timer E at 500 (already armed) and every T2 after. */
	assert_int_equal(f.h->nsent, 9);
	assert_int_equal(f.h->sent[1].at, 500);
	assert_int_equal(f.h->sent[2].at, 4500);
	assert_int_equal(f.h->sent[8].at, 28500);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.ct), 1);
	assert_int_equal(h_last(f.h, EV_TIMEOUT)->at, 32000);
	assert_int_equal(f.h->ndestroyed, 1);
	h_free(f.h);
}

/* §17.1.1.3: a 486 is ACKed by the transaction; a retransmitted 486 gets
 * the same ACK again and is not passed up; Timer D = 32 s. */
static void test_invite_486_ack(void **state)
{
	struct cfix f;
	struct sip_msg *ack;
	struct sip_value_iter it;
	struct sv v;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	h_run_to(f.h, 600);
	respond(&f, 180, "INVITE", "b1");
	h_run_to(f.h, 1000);
	respond(&f, 486, "INVITE", "b1");
	assert_int_equal(txn_state(f.ct), TXN_COMPLETED);
	assert_int_equal(txn_status(f.ct), 486);
	assert_int_equal(f.h->nsent, 3); /* INVITE, A at 500, ACK */
	assert_int_equal(f.h->sent[2].at, 1000);
	assert_int_equal(h_port(&f.h->sent[2].dst), 5060);
	ack = h_sent_msg(f.h, 2);
	assert_true(ack->request);
	assert_int_equal(ack->method_id, SIP_METHOD_ACK);
	assert_true(sv_eq(ack->ruri, SV("sip:bob@192.0.2.20")));
	assert_true(sv_eq(ack->via.branch, sv_from_cstr(f.branch)));
	assert_int_equal(ack->count[SIP_HDR_VIA], 1);
	assert_int_equal(ack->cseq.num, 7);
	assert_int_equal(ack->cseq.method_id, SIP_METHOD_ACK);
	assert_true(sv_eq(ack->to_tag, SV("b1")));
	assert_true(sv_eq(ack->from_tag, SV("a1")));
	assert_true(sv_eq(ack->call_id, SV("call-1@192.0.2.10")));
	assert_int_equal(ack->content_length, 0);
	assert_int_equal(ack->body.len, 0);
	assert_int_equal(ack->max_forwards, 70);
	sip_value_iter_init(&it, ack, SIP_HDR_ROUTE);
	assert_int_equal(sip_value_iter_next(&it, &v), 1);
	assert_true(sv_eq(v, SV("<sip:p1.example.com;lr>")));
	assert_int_equal(sip_value_iter_next(&it, &v), 1);
	assert_true(sv_eq(v, SV("<sip:p2.example.com;lr>")));
	assert_int_equal(sip_value_iter_next(&it, &v), 0);
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 2);
	/* No more Timer A. */
	h_run_to(f.h, 5000);
	assert_int_equal(f.h->nsent, 3);
	/* Retransmitted 486: the ACK again, the TU hears nothing. */
	respond(&f, 486, "INVITE", "b1");
	assert_int_equal(f.h->nsent, 4);
	assert_int_equal(f.h->sent[3].len, f.h->sent[2].len);
	assert_memory_equal(f.h->sent[3].buf, f.h->sent[2].buf,
			    f.h->sent[2].len);
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 2);
	/* Timer D: 32 s after the 486. */
	h_run_to(f.h, 32999);
	assert_int_equal(f.h->ndestroyed, 0);
	h_run_to(f.h, 33000);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	h_free(f.h);
}

/* A final in Calling (no provisional) over TCP: ACK, Timer D = 0. */
static void test_invite_486_tcp(void **state)
{
	struct cfix f;

	(void)state;
	start(&f, "INVITE", TP_TCP);
	h_run_to(f.h, 300);
	respond(&f, 603, "INVITE", "b2");
	assert_int_equal(f.h->nsent, 2);
	assert_int_equal(h_sent_msg(f.h, 1)->method_id, SIP_METHOD_ACK);
	assert_int_equal(f.h->sent[1].dst.conn, 7);
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 1);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(h_last(f.h, EV_DESTROYED)->at, 300);
	h_free(f.h);
}

/* RFC 6026 §7.2: a 2xx moves to Accepted, every 2xx (retransmissions,
 * other forks) goes up, no ACK from the transaction; Timer M = 64*T1. */
static void test_invite_2xx_accepted(void **state)
{
	struct cfix f;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	h_run_to(f.h, 2000);
	respond(&f, 200, "INVITE", "b1");
	assert_int_equal(txn_state(f.ct), TXN_ACCEPTED);
	h_run_to(f.h, 2500);
	respond(&f, 200, "INVITE", "b1");
	respond(&f, 200, "INVITE", "fork2");
	respond(&f, 486, "INVITE", "b3"); /* ignored in Accepted */
	respond(&f, 180, "INVITE", "b3"); /* ignored in Accepted */
	assert_int_equal(h_count(f.h, EV_RESPONSE, f.ct), 3);
	assert_int_equal(f.h->nsent, 3); /* INVITE at 0, 500, 1500 only */
	h_run_to(f.h, 33999);
	assert_int_equal(f.h->ndestroyed, 0);
	h_run_to(f.h, 34000);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	h_free(f.h);
}

/* §9.1: a CANCEL before any provisional waits; the 180 sends it. */
static void test_cancel_waits_for_provisional(void **state)
{
	struct cfix f;
	struct txn *cancel = (struct txn *)1;
	struct sip_msg *c;
	const struct h_ev *e;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	h_run_to(f.h, 100);
	assert_int_equal(txn_cancel(f.ct, &cancel), 0);
	assert_null(cancel);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(txn_cancel(f.ct, NULL), -EALREADY);
	h_run_to(f.h, 800); /* Timer A still runs for the INVITE */
	assert_int_equal(f.h->nsent, 2);
	respond(&f, 180, "INVITE", "b1");
	assert_int_equal(f.h->nsent, 3);
	c = h_sent_msg(f.h, 2);
	assert_int_equal(c->method_id, SIP_METHOD_CANCEL);
	assert_true(sv_eq(c->ruri, SV("sip:bob@192.0.2.20")));
	assert_true(sv_eq(c->via.branch, sv_from_cstr(f.branch)));
	assert_int_equal(c->count[SIP_HDR_VIA], 1);
	assert_int_equal(c->count[SIP_HDR_ROUTE], 2);
	assert_int_equal(c->cseq.num, 7);
	assert_int_equal(c->cseq.method_id, SIP_METHOD_CANCEL);
	assert_int_equal(c->to_tag.len, 0);
	assert_true(sv_eq(c->from_tag, SV("a1")));
	assert_int_equal(c->content_length, 0);
	assert_int_equal(txn_layer_stats(f.h->l)->client_created, 2);
	/* The CANCEL is a non-INVITE client transaction: Timer E. */
	h_run_to(f.h, 1300);
	assert_int_equal(f.h->nsent, 4);
	assert_int_equal(h_sent_msg(f.h, 3)->method_id, SIP_METHOD_CANCEL);
	/* Its 200 goes to the CANCEL transaction, the 487 to the INVITE. */
	respond(&f, 200, "CANCEL", "b1");
	e = h_last(f.h, EV_RESPONSE);
	assert_int_equal(e->method, SIP_METHOD_CANCEL);
	assert_ptr_not_equal(e->t, f.ct);
	assert_int_equal(txn_kind(e->t), TXN_CLIENT_NONINVITE);
	assert_ptr_equal(txn_user(e->t), &f);
	respond(&f, 487, "INVITE", "b1");
	e = h_last(f.h, EV_RESPONSE);
	assert_ptr_equal(e->t, f.ct);
	assert_int_equal(e->status, 487);
	assert_int_equal(h_sent_msg(f.h, 4)->method_id, SIP_METHOD_ACK);
	h_run_to(f.h, 40000);
	assert_int_equal(f.h->ndestroyed, 2);
	h_free(f.h);
}

/* After a provisional the CANCEL goes at once; after a final it is a
 * harmless no-op; a pending CANCEL is dropped by a final. */
static void test_cancel_now_and_late(void **state)
{
	struct cfix f;
	struct txn *cancel = NULL;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	respond(&f, 183, "INVITE", "b1");
	assert_int_equal(txn_cancel(f.ct, &cancel), 0);
	assert_non_null(cancel);
	assert_int_equal(txn_kind(cancel), TXN_CLIENT_NONINVITE);
	assert_int_equal(txn_state(cancel), TXN_TRYING);
	assert_int_equal(f.h->nsent, 2);
	assert_int_equal(h_sent_msg(f.h, 1)->method_id, SIP_METHOD_CANCEL);
	assert_int_equal(h_port(txn_peer(cancel)), 5060);
	h_free(f.h);

	start(&f, "INVITE", TP_UDP);
	respond(&f, 486, "INVITE", "b1");
	assert_int_equal(txn_cancel(f.ct, &cancel), 0);
	assert_null(cancel);
	assert_int_equal(f.h->nsent, 2); /* INVITE, ACK */
	h_free(f.h);

	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_cancel(f.ct, NULL), 0);
	respond(&f, 200, "INVITE", "b1");
	respond(&f, 180, "INVITE", "b1");
	assert_int_equal(f.h->nsent, 1);
	/* Not for a non-INVITE. */
	h_free(f.h);
	start(&f, "OPTIONS", TP_UDP);
	assert_int_equal(txn_cancel(f.ct, NULL), -EINVAL);
	h_free(f.h);
}

/* §9.1: the peer answers our CANCEL but never sends its 487: 64*T1 after
 * the CANCEL the INVITE counts as cancelled, the TU hears a timeout and
 * the transaction ends (a proxy's caller waited forever without this:
 * interop 0107 under loss). */
static void test_cancel_no_487(void **state)
{
	struct cfix f;
	struct txn *cancel = NULL;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	respond(&f, 180, "INVITE", "b1");
	h_run_to(f.h, 1000);
	assert_int_equal(txn_cancel(f.ct, &cancel), 0);
	assert_non_null(cancel);
	respond(&f, 200, "CANCEL", "b1");
	h_run_to(f.h, 1000 + 64 * 500 - 1);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.ct), 0);
	assert_int_equal(txn_state(f.ct), TXN_PROCEEDING);
	h_run_to(f.h, 1000 + 64 * 500);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.ct), 1);
	assert_int_equal(h_count(f.h, EV_DESTROYED, f.ct), 1);
	h_free(f.h);
}

/* §17.1.4: a failed retransmission is a transport error; the first send
 * failing creates nothing. */
static void test_transport_error(void **state)
{
	struct cfix f;
	struct iovec iov;
	struct txn *ct = (struct txn *)1;
	char br[64];
	int n;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	f.h->send_rc = -ECONNREFUSED;
	h_run_to(f.h, 500);
	assert_int_equal(h_count(f.h, EV_TERR, f.ct), 1);
	assert_int_equal(h_last(f.h, EV_TERR)->err, -ECONNREFUSED);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->transport_errors, 1);
	h_run_to(f.h, 40000);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);

	assert_true(txn_branch(f.h->l, br, sizeof(br)) > 0);
	n = mk_request(f.buf, sizeof(f.buf), "OPTIONS", br, "TCP");
	iov = (struct iovec){.iov_base = f.buf, .iov_len = (size_t)n};
	assert_int_equal(txn_request(f.h->l, &ct, &iov, 1, &f.bob, NULL),
			 -ECONNREFUSED);
	assert_null(ct);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->live, 0);
	assert_int_equal(txn_layer_stats(f.h->l)->client_created, 1);
	h_free(f.h);

	/* The ACK for a 486 failing. */
	start(&f, "INVITE", TP_UDP);
	f.h->send_rc = -ENETUNREACH;
	respond(&f, 486, "INVITE", "b1");
	assert_int_equal(h_count(f.h, EV_TERR, f.ct), 1);
	assert_int_equal(f.h->ndestroyed, 1);
	h_free(f.h);
}

/* What txn_request refuses. */
static void test_request_checks(void **state)
{
	struct cfix f;
	struct iovec iov;
	struct txn *ct;
	int n;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	/* Same branch and method again. */
	n = mk_request(f.buf, sizeof(f.buf), "INVITE", f.branch, "UDP");
	iov = (struct iovec){.iov_base = f.buf, .iov_len = (size_t)n};
	assert_int_equal(txn_request(f.h->l, &ct, &iov, 1, &f.bob, NULL),
			 -EEXIST);
	/* ACK is never a client transaction. */
	n = mk_request(f.buf, sizeof(f.buf), "ACK", "z9hG4bKx1", "UDP");
	iov.iov_len = (size_t)n;
	assert_int_equal(txn_request(f.h->l, &ct, &iov, 1, &f.bob, NULL),
			 -EINVAL);
	/* No magic cookie. */
	n = mk_request(f.buf, sizeof(f.buf), "OPTIONS", "x1", "UDP");
	iov.iov_len = (size_t)n;
	assert_int_equal(txn_request(f.h->l, &ct, &iov, 1, &f.bob, NULL),
			 -EINVAL);
	/* Not SIP. */
	iov = (struct iovec){.iov_base = "hello", .iov_len = 5};
	assert_int_equal(txn_request(f.h->l, &ct, &iov, 1, &f.bob, NULL),
			 -EINVAL);
	/* Scattered iovecs are gathered. */
	{
		char br[64];
		struct iovec two[2];

		txn_branch(f.h->l, br, sizeof(br));
		n = mk_request(f.buf, sizeof(f.buf), "OPTIONS", br, "UDP");
		two[0] = (struct iovec){.iov_base = f.buf, .iov_len = 10};
		two[1] = (struct iovec){.iov_base = f.buf + 10,
					.iov_len = (size_t)n - 10};
		assert_int_equal(txn_request(f.h->l, &ct, two, 2, &f.bob, NULL),
				 0);
		assert_memory_equal(f.h->sent[f.h->nsent - 1].buf, f.buf,
				    (size_t)n);
		assert_int_equal(txn_request_msg(ct)->method_id,
				 SIP_METHOD_OPTIONS);
	}
	assert_int_equal(txn_layer_stats(f.h->l)->live, 2);
	h_free(f.h);
}

/* Responses that match no client transaction go to tu->stray. */
static void test_stray_responses(void **state)
{
	struct cfix f;
	char r[1024];

	(void)state;
	start(&f, "INVITE", TP_UDP);
	/* Same branch, other CSeq method: §17.1.3 says no match. */
	respond(&f, 200, "CANCEL", "b1");
	mk_response(r, sizeof(r), 200, "INVITE", "z9hG4bKother", "b1");
	h_input(f.h, r, &f.bob);
	mk_response(r, sizeof(r), 200, "INVITE", "old2543", "b1");
	h_input(f.h, r, &f.bob);
	assert_int_equal(h_count(f.h, EV_STRAY, NULL), 3);
	assert_int_equal(h_count(f.h, EV_RESPONSE, NULL), 0);
	assert_int_equal(txn_layer_stats(f.h->l)->stray, 3);
	assert_int_equal(txn_layer_stats(f.h->l)->rx_responses, 3);
	/* A malformed response is dropped. */
	h_input(f.h, "SIP/2.0 999 Weird\r\nVia: x\r\n\r\n", &f.bob);
	assert_int_equal(h_count(f.h, EV_STRAY, NULL), 3);
	assert_int_equal(txn_layer_stats(f.h->l)->rx_malformed, 1);
	assert_int_equal(f.h->nsent, 1);
	h_free(f.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noninvite_udp_schedule),
		cmocka_unit_test(test_noninvite_proceeding_t2),
		cmocka_unit_test(test_noninvite_final_in_trying),
		cmocka_unit_test(test_noninvite_tcp),
		cmocka_unit_test(test_noninvite_timeout_in_proceeding),
		cmocka_unit_test(test_invite_udp_schedule),
		cmocka_unit_test(test_invite_tcp),
		cmocka_unit_test(test_invite_proceeding),
		cmocka_unit_test(test_invite_486_ack),
		cmocka_unit_test(test_invite_486_tcp),
		cmocka_unit_test(test_invite_2xx_accepted),
		cmocka_unit_test(test_cancel_waits_for_provisional),
		cmocka_unit_test(test_cancel_now_and_late),
		cmocka_unit_test(test_cancel_no_487),
		cmocka_unit_test(test_transport_error),
		cmocka_unit_test(test_request_checks),
		cmocka_unit_test(test_stray_responses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
