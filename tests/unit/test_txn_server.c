/* test_txn_server.c - the server transactions (RFC 3261 §17.2.1, §17.2.2,
 * RFC 6026 §7.1), CANCEL matching (§9.2), RFC 2543 peers, stateless
 * answers to malformed requests and where responses go (§18.2.2). */
#include "txn_harness.h"
#include "testutil.h"

/* A request from alice's phone at 192.0.2.1 (sent-by port 5062). */
static int mk_req(char *buf, size_t cap, const char *method,
		  const char *cseq_method, const char *branch,
		  const char *via_extra, const char *to_tag)
{
	return snprintf(buf, cap,
			"%s sip:bob@example.com SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=%s%s\r\n"
			"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKdeeper\r\n"
			"Max-Forwards: 70\r\n"
			"From: Alice <sip:alice@example.com>;tag=a1\r\n"
			"To: Bob <sip:bob@example.com>%s%s\r\n"
			"Call-ID: srv-1@192.0.2.1\r\n"
			"CSeq: 3 %s\r\n"
			"Content-Length: 0\r\n"
			"\r\n",
			method, branch, via_extra ? via_extra : "",
			to_tag ? ";tag=" : "", to_tag ? to_tag : "",
			cseq_method);
}

struct sfix {
	struct h *h;
	struct txn *st;
	struct tp_peer alice; /* the source address: a NAT in front */
	char buf[2048];
};

static void recv_req(struct sfix *f, const char *method, const char *branch,
		     const char *to_tag)
{
	mk_req(f->buf, sizeof(f->buf), method, method, branch, NULL, to_tag);
	h_input(f->h, f->buf, &f->alice);
}

static void start(struct sfix *f, const char *method, enum tp_proto proto)
{
	const struct h_ev *e;

	f->h = h_new();
	f->alice = h_peer(proto, "198.51.100.7", 40000);
	recv_req(f, method, "z9hG4bKc1", NULL);
	e = h_last(f->h, EV_REQUEST);
	assert_non_null(e);
	f->st = e->t;
	assert_int_equal(e->method, sip_method_id(sv_from_cstr(method)));
	assert_int_equal(txn_layer_stats(f->h->l)->server_created, 1);
}

/* §17.2.2 over UDP: Trying absorbs, Proceeding re-sends the provisional,
 * Completed re-sends the final for Timer J = 64*T1. */
static void test_noninvite_udp(void **state)
{
	struct sfix f;
	struct sip_msg *r;

	(void)state;
	start(&f, "OPTIONS", TP_UDP);
	assert_int_equal(txn_kind(f.st), TXN_SERVER_NONINVITE);
	assert_int_equal(txn_state(f.st), TXN_TRYING);
	assert_int_equal(txn_request_msg(f.st)->method_id, SIP_METHOD_OPTIONS);
	/* Trying: absorbed, nothing sent. */
	recv_req(&f, "OPTIONS", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 0);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 1);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed, 1);
	/* Proceeding. */
	assert_int_equal(txn_reply(f.st, 100, NULL), 0);
	assert_int_equal(txn_state(f.st), TXN_PROCEEDING);
	recv_req(&f, "OPTIONS", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 2);
	assert_int_equal(h_sent_msg(f.h, 1)->status, 100);
	/* Completed. */
	h_at(f.h, 1000);
	assert_int_equal(txn_reply(f.st, 200, NULL), 0);
	assert_int_equal(txn_state(f.st), TXN_COMPLETED);
	assert_int_equal(txn_status(f.st), 200);
	assert_int_equal(f.h->nsent, 3);
	r = h_sent_msg(f.h, 2);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->count[SIP_HDR_VIA], 2);
	assert_true(sv_eq(r->via.branch, SV("z9hG4bKc1")));
	assert_true(r->to_tag.len > 0); /* §8.2.6.2: a tag was added */
	/* §18.2.2: no rport, so the source address at the sent-by port. */
	assert_true(h_ip_is(&f.h->sent[2].dst, "198.51.100.7"));
	assert_int_equal(h_port(&f.h->sent[2].dst), 5062);
	assert_int_equal(txn_reply(f.st, 404, NULL), -EALREADY);
	recv_req(&f, "OPTIONS", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 4);
	assert_memory_equal(f.h->sent[3].buf, f.h->sent[2].buf,
			    f.h->sent[2].len);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed, 3);
	assert_int_equal(txn_layer_stats(f.h->l)->responses_resent, 1);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 1);
	/* Timer J. */
	h_run_to(f.h, 32999);
	assert_int_equal(f.h->ndestroyed, 0);
	h_run_to(f.h, 33000);
	assert_int_equal(f.h->ndestroyed, 1);
	/* Now the same request is a new transaction. */
	recv_req(&f, "OPTIONS", "z9hG4bKc1", NULL);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 2);
	h_free(f.h);
}

/* Over TCP Timer J is 0: the transaction ends with its final; responses
 * go back over the same connection. */
static void test_noninvite_tcp(void **state)
{
	struct sfix f;

	(void)state;
	start(&f, "REGISTER", TP_TCP);
	assert_int_equal(txn_reply(f.st, 200, NULL), 0);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(f.h->sent[0].dst.conn, 7);
	assert_int_equal(h_port(&f.h->sent[0].dst), 40000);
	h_free(f.h);
}

/* §17.2.1: a retransmitted INVITE gets the last provisional (a 100 if the
 * TU sent none yet); a 486 is retransmitted by Timer G (T1 doubling to
 * T2) until Timer H (64*T1) tells the TU the ACK never came. */
static void test_invite_timer_g_h(void **state)
{
	static const uint64_t g[] = {1500,  2500,  4500,  8500,	 12500,
				     16500, 20500, 24500, 28500, 32500};
	struct sfix f;
	unsigned first;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_kind(f.st), TXN_SERVER_INVITE);
	assert_int_equal(txn_state(f.st), TXN_PROCEEDING);
	h_at(f.h, 500);
	recv_req(&f, "INVITE", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(h_sent_msg(f.h, 0)->status, 100);
	assert_int_equal(h_sent_msg(f.h, 0)->to_tag.len, 0);
	assert_int_equal(txn_reply(f.st, 180, NULL), 0);
	recv_req(&f, "INVITE", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 3);
	assert_int_equal(h_sent_msg(f.h, 2)->status, 180);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 1);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed, 2);
	h_at(f.h, 1000);
	assert_int_equal(txn_reply(f.st, 486, NULL), 0);
	assert_int_equal(txn_state(f.st), TXN_COMPLETED);
	first = f.h->nsent;
	assert_int_equal(h_sent_msg(f.h, first - 1)->status, 486);
	/* The 180 and the 486 carry the same tag. */
	{
		char t180[32] = {0}, t486[32] = {0};
		struct sip_msg *m = h_sent_msg(f.h, 1);

		memcpy(t180, m->to_tag.p, m->to_tag.len);
		m = h_sent_msg(f.h, first - 1);
		memcpy(t486, m->to_tag.p, m->to_tag.len);
		assert_true(t180[0] != 0);
		assert_string_equal(t180, t486);
	}
	h_run_to(f.h, 32999);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	h_run_to(f.h, 33000);
	assert_int_equal(f.h->nsent - first, 10);
	for (unsigned i = 0; i < 10; i++) {
		assert_int_equal(f.h->sent[first + i].at, g[i]);
		assert_memory_equal(f.h->sent[first + i].buf,
				    f.h->sent[first - 1].buf,
				    f.h->sent[first - 1].len);
	}
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.st), 1);
	assert_int_equal(h_last(f.h, EV_TIMEOUT)->at, 33000);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->timeouts, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->retransmitted, 10);
	h_free(f.h);
}

/* The ACK for a non-2xx final: absorbed (not for the TU), Confirmed, Timer
 * I = T4; INVITE retransmissions in Completed get the final again. */
static void test_invite_ack_confirmed(void **state)
{
	struct sfix f;
	char tag[32] = {0};
	struct sip_msg *m;
	unsigned n;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_reply(f.st, 486, NULL), 0);
	m = h_sent_msg(f.h, 0);
	memcpy(tag, m->to_tag.p, m->to_tag.len);
	h_at(f.h, 300);
	recv_req(&f, "INVITE", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 2);
	assert_int_equal(txn_layer_stats(f.h->l)->responses_resent, 1);
	h_run_to(f.h, 700); /* Timer G at 500 */
	assert_int_equal(f.h->nsent, 3);
	recv_req(&f, "ACK", "z9hG4bKc1", tag);
	assert_int_equal(txn_state(f.st), TXN_CONFIRMED);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed_acks, 1);
	assert_int_equal(h_count(f.h, EV_STRAY, NULL), 0);
	/* Confirmed: ACKs and INVITEs absorbed silently, no Timer G. */
	recv_req(&f, "ACK", "z9hG4bKc1", tag);
	recv_req(&f, "INVITE", "z9hG4bKc1", NULL);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed_acks, 2);
	n = f.h->nsent;
	h_run_to(f.h, 5699);
	assert_int_equal(f.h->nsent, n);
	assert_int_equal(f.h->ndestroyed, 0);
	h_run_to(f.h, 5700); /* Timer I: T4 after the ACK */
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 1);
	h_free(f.h);
}

/* Over TCP: no Timer G, Timer H still runs; Timer I = 0. */
static void test_invite_tcp(void **state)
{
	struct sfix f;

	(void)state;
	start(&f, "INVITE", TP_TCP);
	assert_int_equal(txn_reply(f.st, 480, NULL), 0);
	h_run_to(f.h, 1000);
	assert_int_equal(f.h->nsent, 1);
	recv_req(&f, "ACK", "z9hG4bKc1", "whatever");
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed_acks, 1);
	h_free(f.h);

	start(&f, "INVITE", TP_TCP);
	assert_int_equal(txn_reply(f.st, 480, NULL), 0);
	h_run_to(f.h, 32000);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, f.st), 1);
	h_free(f.h);
}

/* RFC 6026 §7.1: after a 2xx, Accepted: INVITE retransmissions absorbed
 * without an answer, further 2xx from the TU sent, the 2xx's ACK (a new
 * branch) goes to tu->stray, Timer L = 64*T1. */
static void test_invite_accepted(void **state)
{
	struct sfix f;
	const struct h_ev *e;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_reply(f.st, 180, NULL), 0);
	h_at(f.h, 1000);
	assert_int_equal(txn_reply(f.st, 200, NULL), 0);
	assert_int_equal(txn_state(f.st), TXN_ACCEPTED);
	assert_int_equal(f.h->nsent, 2);
	recv_req(&f, "INVITE", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 2);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed, 1);
	/* The UAS core retransmits its 2xx through the transaction. */
	assert_int_equal(txn_reply(f.st, 200, NULL), 0);
	assert_int_equal(f.h->nsent, 3);
	assert_int_equal(txn_reply(f.st, 486, NULL), -EINVAL);
	assert_int_equal(txn_reply(f.st, 180, NULL), -EINVAL);
	recv_req(&f, "ACK", "z9hG4bKack2", "t1");
	e = h_last(f.h, EV_STRAY);
	assert_non_null(e);
	assert_int_equal(e->method, SIP_METHOD_ACK);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed_acks, 0);
	/* An ACK on the INVITE's branch in Accepted is for a 2xx too. */
	recv_req(&f, "ACK", "z9hG4bKc1", "t1");
	assert_int_equal(h_count(f.h, EV_STRAY, NULL), 2);
	h_run_to(f.h, 32999);
	assert_int_equal(f.h->ndestroyed, 0);
	h_run_to(f.h, 33000);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	h_free(f.h);
}

/* §9.2: a CANCEL with the INVITE's branch goes to tu->cancel with both
 * transactions; one that matches nothing is an ordinary request. */
static void test_cancel_matching(void **state)
{
	struct sfix f;
	const struct h_ev *e;
	struct txn *cst;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_reply(f.st, 180, NULL), 0);
	recv_req(&f, "CANCEL", "z9hG4bKc1", NULL);
	e = h_last(f.h, EV_CANCEL);
	assert_non_null(e);
	assert_ptr_equal(e->t, f.st);
	cst = e->t2;
	assert_ptr_not_equal(cst, f.st);
	assert_int_equal(txn_kind(cst), TXN_SERVER_NONINVITE);
	assert_int_equal(e->method, SIP_METHOD_CANCEL);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 1);
	assert_int_equal(txn_reply(cst, 200, NULL), 0);
	assert_int_equal(txn_reply(f.st, 487, NULL), 0);
	assert_int_equal(h_sent_msg(f.h, 1)->cseq.method_id, SIP_METHOD_CANCEL);
	assert_int_equal(h_sent_msg(f.h, 2)->status, 487);
	/* A retransmitted CANCEL hits its own transaction. */
	recv_req(&f, "CANCEL", "z9hG4bKc1", NULL);
	assert_int_equal(h_count(f.h, EV_CANCEL, NULL), 1);
	assert_int_equal(f.h->nsent, 4);
	assert_int_equal(h_sent_msg(f.h, 3)->cseq.method_id, SIP_METHOD_CANCEL);
	/* A CANCEL for nothing. */
	recv_req(&f, "CANCEL", "z9hG4bKnone", NULL);
	e = h_last(f.h, EV_REQUEST);
	assert_int_equal(e->method, SIP_METHOD_CANCEL);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 2);
	h_run_to(f.h, 40000);
	h_free(f.h);
}

/* RFC 2543 requests (no magic cookie, RFC 4475 inv2543): matched on
 * Request-URI, tags, Call-ID, CSeq and top Via; the ACK on the To tag of
 * our response. */
static void test_rfc2543(void **state)
{
	struct guarded g = guard_testdata("rfc4475/inv2543.dat", 0);
	struct h *h = h_new();
	struct tp_peer src = h_peer(TP_UDP, "192.0.2.5", 5060);
	struct tp_rx rx = {.src = src};
	struct txn *st;
	struct sip_msg *r;
	char tag[32] = {0};
	char ack[1024];

	(void)state;
	txn_input(h->l, g.p, g.len, &rx);
	assert_int_equal(h_count(h, EV_REQUEST, NULL), 1);
	st = h_last(h, EV_REQUEST)->t;
	txn_input(h->l, g.p, g.len, &rx);
	assert_int_equal(h_count(h, EV_REQUEST, NULL), 1);
	assert_int_equal(txn_layer_stats(h->l)->absorbed, 1);
	assert_int_equal(txn_reply(st, 486, NULL), 0);
	r = h_sent_msg(h, h->nsent - 1);
	assert_int_equal(r->status, 486);
	/* No port in sent-by: 5060. */
	assert_int_equal(h_port(&h->sent[h->nsent - 1].dst), 5060);
	memcpy(tag, r->to_tag.p, r->to_tag.len);
	/* An ACK with another To tag is not ours. */
	snprintf(
		ack, sizeof(ack),
		"ACK sip:UserB@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP iftgw.example.com\r\n"
		"From: <sip:+13035551111@ift.client.example.net;user=phone>\r\n"
		"To: sip:+16505552222@ss1.example.net;user=phone;tag=%s\r\n"
		"Call-ID: inv2543.1717@ift.client.example.com\r\n"
		"CSeq: 56 ACK\r\n"
		"\r\n",
		"wrong");
	h_input(h, ack, &src);
	assert_int_equal(h_count(h, EV_STRAY, NULL), 1);
	assert_int_equal(txn_state(st), TXN_COMPLETED);
	snprintf(
		ack, sizeof(ack),
		"ACK sip:UserB@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP iftgw.example.com\r\n"
		"From: <sip:+13035551111@ift.client.example.net;user=phone>\r\n"
		"To: sip:+16505552222@ss1.example.net;user=phone;tag=%s\r\n"
		"Call-ID: inv2543.1717@ift.client.example.com\r\n"
		"CSeq: 56 ACK\r\n"
		"\r\n",
		tag);
	h_input(h, ack, &src);
	assert_int_equal(txn_state(st), TXN_CONFIRMED);
	assert_int_equal(txn_layer_stats(h->l)->absorbed_acks, 1);
	/* The same Call-ID with another CSeq is another transaction. */
	snprintf(
		ack, sizeof(ack),
		"OPTIONS sip:UserB@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP iftgw.example.com\r\n"
		"From: <sip:+13035551111@ift.client.example.net;user=phone>\r\n"
		"To: sip:+16505552222@ss1.example.net;user=phone\r\n"
		"Call-ID: inv2543.1717@ift.client.example.com\r\n"
		"CSeq: 57 OPTIONS\r\n"
		"\r\n");
	h_input(h, ack, &src);
	assert_int_equal(h_count(h, EV_REQUEST, NULL), 2);
	guard_free(&g);
	h_free(h);
}

/* A bare "z9hG4bK" branch is not an RFC 3261 transaction id (RFC 4475
 * badbranch): the RFC 2543 rules apply and retransmissions still match. */
static void test_bare_cookie(void **state)
{
	struct sfix f;

	(void)state;
	f.h = h_new();
	f.alice = h_peer(TP_UDP, "192.0.2.1", 5062);
	recv_req(&f, "OPTIONS", "z9hG4bK", NULL);
	recv_req(&f, "OPTIONS", "z9hG4bK", NULL);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 1);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed, 1);
	h_free(f.h);
}

/* Malformed requests get a stateless answer with the scanner's status and
 * reason (RFC 4475 badvers: 505), built from the headers it has; ACKs and
 * responses are dropped. */
static void test_malformed(void **state)
{
	struct guarded g = guard_testdata("rfc4475/badvers.dat", 0);
	struct h *h = h_new();
	struct tp_peer src = h_peer(TP_UDP, "192.0.2.99", 5099);
	struct tp_rx rx = {.src = src};
	struct sip_msg *r;

	(void)state;
	txn_input(h->l, g.p, g.len, &rx);
	assert_int_equal(h->nsent, 1);
	r = h_sent_msg(h, 0);
	assert_int_equal(r->status, 505);
	assert_true(sv_eq(r->via.branch, SV("z9hG4bKkdjuw")));
	assert_true(sv_eq(r->call_id, SV("badvers.31417@c.example.com")));
	assert_true(sv_eq(r->from_tag, SV("qweoiqpe")));
	assert_true(r->to_tag.len > 0);
	assert_int_equal(r->cseq.num, 1);
	/* No port in sent-by: the source address at 5060. */
	assert_true(h_ip_is(&h->sent[0].dst, "192.0.2.99"));
	assert_int_equal(h_port(&h->sent[0].dst), 5060);
	assert_int_equal(txn_layer_stats(h->l)->rx_malformed, 1);
	assert_int_equal(txn_layer_stats(h->l)->server_created, 0);
	assert_int_equal(h->nev, 0);

	/* Missing Call-ID: 400 with the reason. */
	h_input(h,
		"OPTIONS sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKm1;rport\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"To: <sip:bob@example.com>\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"\r\n",
		&src);
	assert_int_equal(h->nsent, 2);
	/* (Without a Call-ID the answer does not scan either.) */
	assert_true(h_contains(&h->sent[1], "SIP/2.0 400 Missing Call-ID\r\n"
					    "Via: SIP/2.0/UDP 192.0.2.1:5062;"
					    "branch=z9hG4bKm1;rport\r\n"));
	assert_true(h_contains(&h->sent[1], "\r\nCSeq: 1 OPTIONS\r\n"));
	/* rport: the source port. */
	assert_int_equal(h_port(&h->sent[1].dst), 5099);

	/* Leading CRLFs and an unknown method with a CSeq mismatch: 501. */
	h_input(h,
		"\r\nFOO sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKm2\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"To: <sip:bob@example.com>\r\n"
		"Call-ID: m2\r\n"
		"CSeq: 1 BAR\r\n"
		"\r\n",
		&src);
	assert_int_equal(h->nsent, 3);
	r = h_sent_msg(h, 2);
	assert_int_equal(r->status, 501);
	assert_true(sv_eq(r->call_id, SV("m2")));
	assert_int_equal(h_port(&h->sent[2].dst), 5062);

	/* A bad Via: answered to the source address and port. */
	h_input(h,
		"OPTIONS sip:bob@example.com SIP/2.0\r\n"
		"Via: garbage\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"To: <sip:bob@example.com>\r\n"
		"Call-ID: m3\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"\r\n",
		&src);
	assert_int_equal(h->nsent, 4);
	assert_true(h_contains(&h->sent[3], "SIP/2.0 400 Bad Via header\r\n"));
	assert_int_equal(h_port(&h->sent[3].dst), 5099);

	/* Never answered: a malformed ACK, a malformed response, CRLF. */
	h_input(h,
		"ACK sip:bob@example.com SIP/7.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKm4\r\n"
		"\r\n",
		&src);
	h_input(h, "SIP/2.0 200 OK\r\nVia: x\r\n\r\n", &src);
	h_input(h, "\r\n\r\n", &src);
	assert_int_equal(h->nsent, 4);
	assert_int_equal(txn_layer_stats(h->l)->rx_malformed, 6);
	assert_int_equal(h->nev, 0);
	guard_free(&g);
	h_free(h);
}

/* Over the size limit: 513. */
static void test_too_large(void **state)
{
	static const struct sip_limits small = {
		.max_msg_size = 300, .max_headers = 100, .max_line = 8192};
	struct txn_cfg cfg;
	struct h *h;
	struct sfix f;
	char big[1024];
	int n;

	(void)state;
	txn_cfg_default(&cfg);
	cfg.limits = &small;
	h = h_new_cfg(&cfg);
	f.alice = h_peer(TP_UDP, "192.0.2.1", 5062);
	n = mk_req(f.buf, sizeof(f.buf), "MESSAGE", "MESSAGE", "z9hG4bKbig",
		   NULL, NULL);
	assert_true(n < 400);
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	strcat(f.buf, big);
	h_input(h, f.buf, &f.alice);
	assert_int_equal(h->nsent, 1);
	assert_int_equal(h_sent_msg(h, 0)->status, 513);
	assert_true(sv_eq(h_sent_msg(h, 0)->call_id, SV("srv-1@192.0.2.1")));
	h_free(h);
}

/* Pool exhausted: stateless 503. */
static void test_pool_exhausted(void **state)
{
	struct txn_cfg cfg;
	struct sfix f;

	(void)state;
	txn_cfg_default(&cfg);
	cfg.max_txns = 2;
	f.h = h_new_cfg(&cfg);
	f.alice = h_peer(TP_UDP, "192.0.2.1", 5062);
	recv_req(&f, "OPTIONS", "z9hG4bKp1", NULL);
	recv_req(&f, "OPTIONS", "z9hG4bKp2", NULL);
	recv_req(&f, "OPTIONS", "z9hG4bKp3", NULL);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 2);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(h_sent_msg(f.h, 0)->status, 503);
	assert_true(sv_eq(f.h->msg.via.branch, SV("z9hG4bKp3")));
	assert_int_equal(txn_layer_stats(f.h->l)->pool_exhausted, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->live, 2);
	/* Once one ends, there is room again. */
	assert_int_equal(txn_reply(h_last(f.h, EV_REQUEST)->t, 200, NULL), 0);
	h_run_to(f.h, 32000);
	recv_req(&f, "OPTIONS", "z9hG4bKp3", NULL);
	assert_int_equal(h_count(f.h, EV_REQUEST, NULL), 3);
	h_free(f.h);
}

/* §17.2.4: a failed send ends the transaction and tells the TU. */
static void test_transport_error(void **state)
{
	struct sfix f;

	(void)state;
	start(&f, "INVITE", TP_TCP);
	f.h->send_rc = -ECONNREFUSED;
	assert_int_equal(txn_reply(f.st, 486, NULL), -ECONNREFUSED);
	assert_int_equal(h_count(f.h, EV_TERR, f.st), 1);
	assert_int_equal(h_last(f.h, EV_TERR)->err, -ECONNREFUSED);
	assert_int_equal(f.h->ndestroyed, 1);
	assert_int_equal(txn_layer_stats(f.h->l)->transport_errors, 1);
	h_free(f.h);

	/* Timer G retransmission failing. */
	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_reply(f.st, 486, NULL), 0);
	f.h->send_rc = -EHOSTUNREACH;
	h_run_to(f.h, 500);
	assert_int_equal(h_count(f.h, EV_TERR, f.st), 1);
	assert_int_equal(f.h->ndestroyed, 1);
	h_run_to(f.h, 40000);
	assert_int_equal(h_count(f.h, EV_TIMEOUT, NULL), 0);
	h_free(f.h);
}

/* A proxy forwards responses it received: txn_reply_raw. */
static void test_reply_raw(void **state)
{
	static const char r180[] =
		"SIP/2.0 180 Ringing\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bKc1\r\n"
		"From: Alice <sip:alice@example.com>;tag=a1\r\n"
		"To: Bob <sip:bob@example.com>;tag=b9\r\n"
		"Call-ID: srv-1@192.0.2.1\r\n"
		"CSeq: 3 INVITE\r\n"
		"Content-Length: 0\r\n"
		"\r\n";
	struct sfix f;
	struct iovec iov[2] = {
		{.iov_base = (void *)r180, .iov_len = 20},
		{.iov_base = (void *)(r180 + 20), .iov_len = sizeof(r180) - 21},
	};
	struct iovec bad = {.iov_base = "HTTP/1.1 200 OK\r\n\r\n",
			    .iov_len = 19};

	(void)state;
	start(&f, "INVITE", TP_UDP);
	assert_int_equal(txn_reply_raw(f.st, iov, 2), 0);
	assert_int_equal(txn_status(f.st), 180);
	assert_int_equal(txn_state(f.st), TXN_PROCEEDING);
	assert_int_equal(f.h->sent[0].len, sizeof(r180) - 1);
	assert_memory_equal(f.h->sent[0].buf, r180, sizeof(r180) - 1);
	assert_int_equal(txn_reply_raw(f.st, &bad, 1), -EINVAL);
	recv_req(&f, "INVITE", "z9hG4bKc1", NULL);
	assert_int_equal(f.h->nsent, 2);
	assert_memory_equal(f.h->sent[1].buf, r180, sizeof(r180) - 1);
	assert_int_equal(txn_reply(f.st, 99, NULL), -EINVAL);
	h_free(f.h);
}

/* §18.2.2 and RFC 3581. */
static void test_response_peer(void **state)
{
	struct h *h = h_new();
	struct tp_rx rx = {.src = h_peer(TP_UDP, "198.51.100.7", 40000)};
	struct sip_msg *m = malloc(sizeof(*m));
	struct tp_peer p;
	char buf[1024];

	(void)state;
	rx.src.listener = 3;
	mk_req(buf, sizeof(buf), "OPTIONS", "OPTIONS", "z9hG4bKr1", ";rport",
	       NULL);
	assert_int_equal(sip_msg_scan(m, buf, strlen(buf), 0, NULL, NULL), 0);
	assert_int_equal(txn_response_peer(m, &rx, &p), 0);
	assert_true(h_ip_is(&p, "198.51.100.7"));
	assert_int_equal(h_port(&p), 40000);
	assert_int_equal(p.listener, 3);
	mk_req(buf, sizeof(buf), "OPTIONS", "OPTIONS", "z9hG4bKr1",
	       ";received=198.51.100.7", NULL);
	assert_int_equal(sip_msg_scan(m, buf, strlen(buf), 0, NULL, NULL), 0);
	assert_int_equal(txn_response_peer(m, &rx, &p), 0);
	assert_true(h_ip_is(&p, "198.51.100.7"));
	assert_int_equal(h_port(&p), 5062);
	mk_req(buf, sizeof(buf), "OPTIONS", "OPTIONS", "z9hG4bKr1",
	       ";maddr=203.0.113.9", NULL);
	assert_int_equal(sip_msg_scan(m, buf, strlen(buf), 0, NULL, NULL), 0);
	assert_int_equal(txn_response_peer(m, &rx, &p), 0);
	assert_true(h_ip_is(&p, "203.0.113.9"));
	assert_int_equal(h_port(&p), 5062);
	/* Streams: the connection, whatever Via says. */
	rx.src = h_peer(TP_TCP, "198.51.100.7", 40001);
	assert_int_equal(txn_response_peer(m, &rx, &p), 0);
	assert_int_equal(p.proto, TP_TCP);
	assert_int_equal(p.conn, 7);
	assert_int_equal(h_port(&p), 40001);
	/* Stateless replies go there too; an ACK is never answered. */
	assert_int_equal(txn_reply_stateless(h->l, m, &rx, 404, NULL), 0);
	assert_int_equal(h_sent_msg(h, 0)->status, 404);
	assert_int_equal(h->sent[0].dst.conn, 7);
	mk_req(buf, sizeof(buf), "ACK", "ACK", "z9hG4bKr1", NULL, NULL);
	assert_int_equal(sip_msg_scan(m, buf, strlen(buf), 0, NULL, NULL), 0);
	assert_int_equal(txn_reply_stateless(h->l, m, &rx, 404, NULL), -EINVAL);
	{
		struct iovec iov = {.iov_base = buf, .iov_len = strlen(buf)};

		assert_int_equal(txn_send_stateless(h->l, &rx.src, &iov, 1), 0);
		h->send_rc = -EPIPE;
		assert_int_equal(txn_send_stateless(h->l, &rx.src, &iov, 1),
				 -EPIPE);
	}
	free(m);
	h_free(h);
}

/* txn_layer_free() ends live transactions of every kind, each once. */
static void test_free_with_live(void **state)
{
	struct sfix f;

	(void)state;
	start(&f, "INVITE", TP_UDP);
	recv_req(&f, "OPTIONS", "z9hG4bKl2", NULL);
	recv_req(&f, "CANCEL", "z9hG4bKc1", NULL);
	assert_int_equal(txn_reply(f.st, 486, NULL), 0);
	assert_int_equal(txn_layer_stats(f.h->l)->live, 3);
	h_free(f.h); /* asserts 3 destroyed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noninvite_udp),
		cmocka_unit_test(test_noninvite_tcp),
		cmocka_unit_test(test_invite_timer_g_h),
		cmocka_unit_test(test_invite_ack_confirmed),
		cmocka_unit_test(test_invite_tcp),
		cmocka_unit_test(test_invite_accepted),
		cmocka_unit_test(test_cancel_matching),
		cmocka_unit_test(test_rfc2543),
		cmocka_unit_test(test_bare_cookie),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_pool_exhausted),
		cmocka_unit_test(test_transport_error),
		cmocka_unit_test(test_reply_raw),
		cmocka_unit_test(test_response_peer),
		cmocka_unit_test(test_free_with_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
