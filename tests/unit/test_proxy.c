/* test_proxy.c - the stateful proxy (RFC 3261 §16) on a real transaction
 * layer with a simulated clock and a capturing sender: validation
 * (§16.3), forwarding edits (§16.6), the seed call flow (proxy -> redirect
 * server -> 300 -> serial forking with a ring timeout) and its variants,
 * CANCEL (§16.10), best response (§16.7 item 6), stateless ACK/BYE paths.
 */
#include "txn_harness.h"
#include "testutil.h"

#include "proxy/proxy.h"

#define RING_MS 5000

/* Who is who. */
#define IP_PROXY "127.0.0.1"
#define IP_A	 "192.0.2.1"
#define IP_RS	 "192.0.2.10" /* the redirect server (next hop) */
#define IP_B	 "192.0.2.20"
#define IP_C	 "192.0.2.30"
#define IP_X	 "192.0.2.40" /* some host outside our domain */

struct pf {
	struct h *h;
	struct proxy *p;
	struct proxy_cfg cfg;
	struct tp_peer a, rs, b, c, x;
	char buf[4096];
};

static void pf_start_cfg(struct pf *f, const struct proxy_cfg *cfg)
{
	struct tp_sender snd;
	struct tp_addr local;

	memset(f, 0, sizeof(*f));
	f->h = calloc(1, sizeof(*f->h));
	assert_non_null(f->h);
	tw_init(&f->h->w, 0);
	txn_cfg_default(&f->h->cfg);
	if (cfg) {
		f->cfg = *cfg;
	} else {
		proxy_cfg_default(&f->cfg);
		strcpy(f->cfg.domains[0], "example.com");
		f->cfg.ndomains = 1;
		strcpy(f->cfg.next_hop, "sip:" IP_RS ":5060");
		f->cfg.ring_timeout_ms = RING_MS;
	}
	assert_int_equal(tp_addr_from(&local, SV(IP_PROXY), 5060), 0);
	assert_int_equal(proxy_new(&f->p, &f->cfg, &f->h->w, &local, NULL, 1),
			 0);
	snd = (struct tp_sender){.send = h_send, .arg = f->h};
	assert_int_equal(txn_layer_new(&f->h->l, &f->h->cfg, &f->h->w, &snd,
				       &proxy_tu, f->p),
			 0);
	proxy_attach(f->p, f->h->l);
	f->a = h_peer(TP_UDP, IP_A, 5062);
	f->rs = h_peer(TP_UDP, IP_RS, 5060);
	f->b = h_peer(TP_UDP, IP_B, 5060);
	f->c = h_peer(TP_UDP, IP_C, 5060);
	f->x = h_peer(TP_UDP, IP_X, 5060);
}

static void pf_start(struct pf *f)
{
	pf_start_cfg(f, NULL);
}

static void pf_free(struct pf *f)
{
	txn_layer_free(f->h->l);
	proxy_free(f->p);
	free(f->h);
}

static const struct proxy_stats *pf_stats(struct pf *f)
{
	return proxy_get_stats(f->p);
}

static const char sdp_a[] = "v=0\r\no=A 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
			    "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			    "m=audio 49170 RTP/AVP 0\r\n";
static const char sdp_c[] = "v=0\r\no=C 1 1 IN IP4 192.0.2.30\r\ns=-\r\n"
			    "c=IN IP4 192.0.2.30\r\nt=0 0\r\n"
			    "m=audio 3456 RTP/AVP 0\r\n";

/* A request from phone A. */
static void a_send(struct pf *f, const char *method, const char *ruri,
		   const char *branch, const char *extra, const char *to_tag,
		   unsigned cseq, int mf, const char *body)
{
	char mfb[32] = "";

	if (mf >= 0)
		snprintf(mfb, sizeof(mfb), "Max-Forwards: %d\r\n", mf);
	snprintf(f->buf, sizeof(f->buf),
		 "%s %s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP " IP_A ":5062;branch=%s\r\n"
		 "%s"
		 "From: A <sip:alice@example.com>;tag=fa1\r\n"
		 "To: B <sip:bob@example.com>%s%s\r\n"
		 "Call-ID: seed-1@" IP_A "\r\n"
		 "CSeq: %u %s\r\n"
		 "Contact: <sip:alice@" IP_A ":5062>\r\n"
		 "%s"
		 "%s"
		 "Content-Length: %zu\r\n"
		 "\r\n%s",
		 method, ruri, branch, mfb, to_tag ? ";tag=" : "",
		 to_tag ? to_tag : "", cseq, method, extra ? extra : "",
		 body ? "Content-Type: application/sdp\r\n" : "",
		 body ? strlen(body) : 0, body ? body : "");
	h_input(f->h, f->buf, &f->a);
}

static void a_invite(struct pf *f)
{
	a_send(f, "INVITE", "sip:bob@example.com", "z9hG4bKa1", NULL, NULL, 1,
	       70, sdp_a);
}

/* Index of the first message sent from index 'from' on that is a request
 * with this method (status 0) or a response with this status, to ip. */
static int pf_find(struct pf *f, unsigned from, const char *method,
		   unsigned status, const char *ip)
{
	for (unsigned i = from; i < f->h->nsent; i++) {
		struct sip_msg *m = h_sent_msg(f->h, i);

		if (ip && !h_ip_is(&f->h->sent[i].dst, ip))
			continue;
		if (method && m->request &&
		    sv_eq(m->method, sv_from_cstr(method)))
			return (int)i;
		if (!method && !m->request && m->status == status)
			return (int)i;
	}
	return -1;
}

static unsigned pf_count(struct pf *f, const char *method, unsigned status,
			 const char *ip)
{
	unsigned n = 0;
	int i = -1;

	while ((i = pf_find(f, (unsigned)(i + 1), method, status, ip)) >= 0)
		n++;
	return n;
}

/* A response from peer to the request the proxy sent as message idx. */
static void pf_answer(struct pf *f, int idx, unsigned code, const char *tag,
		      const char *headers, const char *body,
		      const struct tp_peer *from)
{
	struct sip_resp_opts o = {0};
	char out[4096];
	long n;

	assert_true(idx >= 0);
	if (tag)
		o.to_tag = sv_from_cstr(tag);
	if (headers)
		o.headers = sv_from_cstr(headers);
	if (body)
		o.body = sv_from_cstr(body);
	n = sip_resp_build(out, sizeof(out), h_sent_msg(f->h, (unsigned)idx),
			   code, &o);
	assert_true(n > 0);
	out[n] = '\0';
	h_input(f->h, out, from);
}

static void __attribute__((unused)) pf_dump(struct pf *f)
{
	for (unsigned i = 0; i < f->h->nsent; i++)
		fprintf(stderr, "--- %u at %llu\n%.*s\n", i,
			(unsigned long long)f->h->sent[i].at,
			(int)f->h->sent[i].len, f->h->sent[i].buf);
}

static bool pf_has(struct pf *f, int idx, const char *needle)
{
	assert_true(idx >= 0);
	return h_contains(&f->h->sent[idx], needle);
}

/* ---- the seed flow, step by step (shared by the variants) ---- */

struct seed {
	int inv_rs, inv_b, inv_c, cancel_b;
	uint64_t t_b;
};

/* Steps 1-4: A INVITEs, the proxy sends 100 and forwards to the redirect
 * server, which answers 300 (B q=1.0, C q=0.5); INVITE to B. */
static void seed_to_b(struct pf *f, struct seed *s, const char *contacts)
{
	struct sip_msg *m;
	int i;

	a_invite(f);
	/* §16.2: 100 Trying to A first. */
	i = pf_find(f, 0, NULL, 100, IP_A);
	assert_int_equal(i, 0);
	s->inv_rs = pf_find(f, 0, "INVITE", 0, IP_RS);
	assert_int_equal(s->inv_rs, 1);
	m = h_sent_msg(f->h, (unsigned)s->inv_rs);
	/* §16.6: Request-URI unchanged, Max-Forwards - 1, Record-Route,
	 * our Via on top with the loop hash, A's Via below. */
	assert_true(sv_eq(m->ruri, SV("sip:bob@example.com")));
	assert_int_equal(m->max_forwards, 69);
	assert_int_equal(m->count[SIP_HDR_VIA], 2);
	assert_true(sv_eq(m->via.host, SV(IP_PROXY)));
	assert_int_equal(m->via.port, 5060);
	assert_true(m->via.has_rport);
	assert_true(sv_starts_with_case(m->via.branch, SV("z9hG4bKR00")));
	assert_int_equal(m->via.branch.p[m->via.branch.len - 9], '.');
	assert_true(pf_has(f, s->inv_rs,
			   "Record-Route: <sip:" IP_PROXY ":5060;lr>\r\n"));
	assert_true(pf_has(f, s->inv_rs, "branch=z9hG4bKa1"));
	assert_true(pf_has(f, s->inv_rs, "m=audio 49170"));
	assert_int_equal(h_port(&f->h->sent[s->inv_rs].dst), 5060);

	h_at(f->h, 20);
	pf_answer(f, s->inv_rs, 300, "rs1", contacts, NULL, &f->rs);
	/* The layer ACKs the 300; the 300 is not relayed (recursion). */
	assert_true(pf_find(f, 0, "ACK", 0, IP_RS) >= 0);
	assert_int_equal(pf_find(f, 0, NULL, 300, IP_A), -1);
	s->inv_b = pf_find(f, 0, "INVITE", 0, IP_B);
	assert_true(s->inv_b > 0);
	s->t_b = f->h->sent[s->inv_b].at;
	assert_int_equal(s->t_b, 20);
	m = h_sent_msg(f->h, (unsigned)s->inv_b);
	assert_true(sv_eq(m->ruri, SV("sip:bob@" IP_B)));
	assert_int_equal(m->max_forwards, 69);
	assert_int_equal(pf_stats(f)->recursions, 1);
}

static const char two_contacts[] =
	"Contact: <sip:bob@" IP_B ">;q=1.0, <sip:bob@" IP_C ">;q=0.5\r\n";

/* Steps 5-9: B rings (relayed), the ring timeout CANCELs B and INVITEs C
 * at that very millisecond, in that order. */
static void seed_to_c(struct pf *f, struct seed *s)
{
	int r;

	seed_to_b(f, s, two_contacts);
	/* C (q=0.5) waits. */
	assert_int_equal(pf_find(f, 0, "INVITE", 0, IP_C), -1);
	h_at(f->h, 40);
	pf_answer(f, s->inv_b, 180, "b1", NULL, NULL, &f->b);
	r = pf_find(f, 0, NULL, 180, IP_A);
	assert_true(r > 0);
	assert_int_equal(h_sent_msg(f->h, (unsigned)r)->count[SIP_HDR_VIA], 1);
	assert_true(pf_has(f, r, "branch=z9hG4bKa1"));
	assert_true(pf_has(f, r, "tag=b1"));
	/* A retransmitted 180 is not relayed twice. */
	pf_answer(f, s->inv_b, 180, "b1", NULL, NULL, &f->b);
	assert_int_equal(pf_count(f, NULL, 180, IP_A), 1);

	h_run_to(f->h, s->t_b + RING_MS - 1);
	assert_int_equal(pf_find(f, 0, "CANCEL", 0, IP_B), -1);
	assert_int_equal(pf_find(f, 0, "INVITE", 0, IP_C), -1);
	h_run_to(f->h, s->t_b + RING_MS);
	s->cancel_b = pf_find(f, 0, "CANCEL", 0, IP_B);
	s->inv_c = pf_find(f, 0, "INVITE", 0, IP_C);
	assert_true(s->cancel_b > 0);
	assert_true(s->inv_c > s->cancel_b); /* step 7 before step 9 */
	assert_int_equal(f->h->sent[s->cancel_b].at, s->t_b + RING_MS);
	assert_int_equal(f->h->sent[s->inv_c].at, s->t_b + RING_MS);
	assert_true(sv_eq(h_sent_msg(f->h, (unsigned)s->inv_c)->ruri,
			  SV("sip:bob@" IP_C)));
	/* The CANCEL carries the INVITE's branch (§9.1). */
	{
		char br[64];
		struct sip_msg *m = h_sent_msg(f->h, (unsigned)s->inv_b);

		snprintf(br, sizeof(br), "branch=%.*s", (int)m->via.branch.len,
			 m->via.branch.p);
		assert_true(pf_has(f, s->cancel_b, br));
	}
	assert_int_equal(pf_stats(f)->ring_timeouts, 1);
}

/* Step 8: B answers the CANCEL and the INVITE (487): absorbed. */
static void seed_b_487(struct pf *f, struct seed *s)
{
	unsigned before;

	pf_answer(f, s->cancel_b, 200, "b1", NULL, NULL, &f->b);
	before = f->h->nsent;
	pf_answer(f, s->inv_b, 487, "b1", NULL, NULL, &f->b);
	/* The layer ACKs the 487; nothing goes to A. */
	assert_int_equal(f->h->nsent, before + 1);
	assert_true(pf_find(f, before, "ACK", 0, IP_B) >= 0);
	assert_int_equal(pf_find(f, 0, NULL, 487, IP_A), -1);
}

static void test_seed_flow(void **state)
{
	struct pf f;
	struct seed s;
	int i, ok;
	struct sip_msg *m;

	(void)state;
	pf_start(&f);
	seed_to_c(&f, &s);
	seed_b_487(&f, &s);
	/* Steps 10-12: C rings and answers, both relayed. */
	pf_answer(&f, s.inv_c, 180, "c1", NULL, NULL, &f.c);
	assert_int_equal(pf_count(&f, NULL, 180, IP_A), 2);
	h_at(f.h, s.t_b + RING_MS + 1000);
	pf_answer(&f, s.inv_c, 200, "c1",
		  "Record-Route: <sip:" IP_PROXY ":5060;lr>\r\n"
		  "Contact: <sip:bob@" IP_C ">\r\n"
		  "Content-Type: application/sdp\r\n",
		  sdp_c, &f.c);
	ok = pf_find(&f, 0, NULL, 200, IP_A);
	assert_true(ok > 0);
	m = h_sent_msg(f.h, (unsigned)ok);
	assert_int_equal(m->count[SIP_HDR_VIA], 1);
	assert_true(sv_eq(m->to_tag, SV("c1")));
	assert_true(pf_has(&f, ok, "m=audio 3456"));
	assert_true(pf_has(&f, ok, "Record-Route: <sip:" IP_PROXY ":5060;lr>"));
	assert_int_equal(h_port(&f.h->sent[ok].dst), 5062);
	/* Nothing else was sent to A: no 487, no 480. */
	assert_int_equal(pf_count(&f, NULL, 487, IP_A), 0);
	assert_int_equal(pf_count(&f, NULL, 480, IP_A), 0);

	/* A's ACK for the 2xx (end to end): forwarded statelessly to C,
	 * our Route popped, Max-Forwards - 1, our Via on top. */
	a_send(&f, "ACK", "sip:bob@" IP_C, "z9hG4bKa2",
	       "Route: <sip:" IP_PROXY ":5060;lr>\r\n", "c1", 1, 70, NULL);
	i = pf_find(&f, 0, "ACK", 0, IP_C);
	assert_true(i > 0);
	m = h_sent_msg(f.h, (unsigned)i);
	assert_int_equal(m->count[SIP_HDR_ROUTE], 0);
	assert_int_equal(m->max_forwards, 69);
	assert_int_equal(m->count[SIP_HDR_VIA], 2);
	assert_true(sv_eq(m->via.host, SV(IP_PROXY)));
	assert_true(sv_starts_with_case(m->via.branch, SV("z9hG4bK")));
	assert_int_equal(pf_stats(&f)->stateless_forwarded, 1);

	/* A's BYE, in the dialog: forwarded to C; C's 200 relayed. */
	h_at(f.h, s.t_b + RING_MS + 5000);
	a_send(&f, "BYE", "sip:bob@" IP_C, "z9hG4bKa3",
	       "Route: <sip:" IP_PROXY ":5060;lr>\r\n", "c1", 2, 70, NULL);
	i = pf_find(&f, 0, "BYE", 0, IP_C);
	assert_true(i > 0);
	/* Forwarded once (a second copy at once is a duplicate, not a
	 * retransmission: interop 0101 caught one). */
	assert_int_equal(pf_count(&f, "BYE", 0, IP_C), 1);
	m = h_sent_msg(f.h, (unsigned)i);
	assert_int_equal(m->count[SIP_HDR_ROUTE], 0);
	assert_int_equal(m->count[SIP_HDR_RECORD_ROUTE], 0);
	assert_true(sv_eq(m->ruri, SV("sip:bob@" IP_C)));
	pf_answer(&f, i, 200, NULL, NULL, NULL, &f.c);
	ok = pf_find(&f, 0, NULL, 200, IP_A);
	ok = pf_find(&f, (unsigned)ok + 1, NULL, 200, IP_A);
	assert_true(ok > 0);
	assert_int_equal(h_sent_msg(f.h, (unsigned)ok)->cseq.method_id,
			 SIP_METHOD_BYE);
	assert_int_equal(pf_stats(&f)->late_2xx, 0);
	assert_int_equal(pf_stats(&f)->cancels_sent, 1);
	pf_free(&f);
}

/* §16.7 item 5: B's 200 crosses our CANCEL and arrives after C answered:
 * forwarded too (the caller's UA sorts out the two dialogs). */
static void test_late_200_after_cancel(void **state)
{
	struct pf f;
	struct seed s;

	(void)state;
	pf_start(&f);
	seed_to_c(&f, &s);
	pf_answer(&f, s.cancel_b, 200, "b1", NULL, NULL, &f.b);
	pf_answer(&f, s.inv_c, 200, "c1", "Contact: <sip:bob@" IP_C ">\r\n",
		  NULL, &f.c);
	assert_int_equal(pf_count(&f, NULL, 200, IP_A), 1);
	pf_answer(&f, s.inv_b, 200, "b1", "Contact: <sip:bob@" IP_B ">\r\n",
		  NULL, &f.b);
	assert_int_equal(pf_count(&f, NULL, 200, IP_A), 2);
	assert_int_equal(pf_stats(&f)->late_2xx, 1);
	/* A 2xx retransmission from B (client txn Accepted) goes too. */
	pf_answer(&f, s.inv_b, 200, "b1", "Contact: <sip:bob@" IP_B ">\r\n",
		  NULL, &f.b);
	assert_int_equal(pf_count(&f, NULL, 200, IP_A), 3);
	pf_free(&f);
}

/* A late 200 after we already answered A with a non-2xx (480) is still
 * forwarded, statelessly. */
static void test_late_200_after_final(void **state)
{
	struct pf f;
	struct seed s;
	int cancel_c;

	(void)state;
	pf_start(&f);
	seed_to_c(&f, &s);
	pf_answer(&f, s.inv_c, 180, "c1", NULL, NULL, &f.c);
	h_run_to(f.h, f.h->sent[s.inv_c].at + RING_MS);
	cancel_c = pf_find(&f, 0, "CANCEL", 0, IP_C);
	assert_true(cancel_c > 0);
	pf_answer(&f, s.inv_c, 487, "c1", NULL, NULL, &f.c);
	pf_answer(&f, s.inv_b, 487, "b1", NULL, NULL, &f.b);
	/* Every branch ended by our ring timeout: 480. */
	assert_int_equal(pf_count(&f, NULL, 480, IP_A), 1);
	assert_int_equal(pf_count(&f, NULL, 487, IP_A), 0);
	pf_free(&f);

	/* Again, but B answers 200 after A got the 480. */
	pf_start(&f);
	seed_to_c(&f, &s);
	pf_answer(&f, s.inv_c, 180, "c1", NULL, NULL, &f.c);
	h_run_to(f.h, f.h->sent[s.inv_c].at + RING_MS);
	pf_answer(&f, s.inv_c, 487, "c1", NULL, NULL, &f.c);
	assert_int_equal(pf_count(&f, NULL, 480, IP_A), 0); /* B pending */
	pf_answer(&f, s.inv_b, 200, "b1", NULL, NULL, &f.b);
	assert_int_equal(pf_count(&f, NULL, 200, IP_A), 1);
	assert_int_equal(pf_count(&f, NULL, 480, IP_A), 0);
	pf_free(&f);
}

/* A target with its own ring timeout (target_ring_timeout): B rings
 * 1 s, not the global RING_MS, and C (no entry) the global one. */
static void test_target_ring_timeout(void **state)
{
	struct proxy_cfg cfg;
	struct seed s;
	struct pf f;
	int cancel_b, inv_c;

	(void)state;
	proxy_cfg_default(&cfg);
	strcpy(cfg.domains[0], "example.com");
	cfg.ndomains = 1;
	strcpy(cfg.next_hop, "sip:" IP_RS ":5060");
	cfg.ring_timeout_ms = RING_MS;
	strcpy(cfg.target_rings[0].uri, "sip:bob@" IP_B);
	cfg.target_rings[0].ms = 1000;
	cfg.ntarget_rings = 1;
	pf_start_cfg(&f, &cfg);
	seed_to_b(&f, &s, two_contacts);
	pf_answer(&f, s.inv_b, 180, "b1", NULL, NULL, &f.b);
	h_run_to(f.h, s.t_b + 999);
	assert_int_equal(pf_find(&f, 0, "CANCEL", 0, IP_B), -1);
	h_run_to(f.h, s.t_b + 1000);
	cancel_b = pf_find(&f, 0, "CANCEL", 0, IP_B);
	assert_true(cancel_b > 0);
	inv_c = pf_find(&f, 0, "INVITE", 0, IP_C);
	assert_true(inv_c > cancel_b);
	pf_answer(&f, inv_c, 180, "c1", NULL, NULL, &f.c);
	h_run_to(f.h, s.t_b + 1000 + RING_MS - 1);
	assert_int_equal(pf_find(&f, 0, "CANCEL", 0, IP_C), -1);
	h_run_to(f.h, s.t_b + 1000 + RING_MS);
	assert_true(pf_find(&f, 0, "CANCEL", 0, IP_C) > 0);
	pf_free(&f);
}

/* C never answers at all (no provisional, its INVITE retransmitted by
 * Timer A): at C's ring timeout the search ends and A gets 480 at once,
 * not when Timer B ends the INVITE 64*T1 later (interop 0107 under loss
 * waited 32 s); a 200 from C after that is still forwarded. */
static void test_silent_branch_ring_timeout(void **state)
{
	struct pf f;
	struct seed s;
	uint64_t t_c;

	(void)state;
	pf_start(&f);
	seed_to_c(&f, &s);
	t_c = f.h->sent[s.inv_c].at;
	pf_answer(&f, s.inv_b, 487, "b1", NULL, NULL, &f.b);
	h_run_to(f.h, t_c + RING_MS - 1);
	assert_int_equal(pf_count(&f, NULL, 480, IP_A), 0);
	h_run_to(f.h, t_c + RING_MS);
	assert_int_equal(pf_count(&f, NULL, 480, IP_A), 1);
	/* §9.1: no CANCEL to C before a provisional response. */
	assert_int_equal(pf_count(&f, "CANCEL", 0, IP_C), 0);
	pf_answer(&f, s.inv_c, 200, "c1", NULL, NULL, &f.c);
	assert_int_equal(pf_count(&f, NULL, 200, IP_A), 1);
	pf_free(&f);
}

/* B busy: C at once, no waiting for the ring timeout; C's 486 too: the
 * best (486) goes to A. */
static void test_busy_then_next(void **state)
{
	struct pf f;
	struct seed s;
	int inv_c;

	(void)state;
	pf_start(&f);
	seed_to_b(&f, &s, two_contacts);
	h_at(f.h, 100);
	pf_answer(&f, s.inv_b, 486, "b1", NULL, NULL, &f.b);
	inv_c = pf_find(&f, 0, "INVITE", 0, IP_C);
	assert_true(inv_c > 0);
	assert_int_equal(f.h->sent[inv_c].at, 100);
	assert_int_equal(pf_count(&f, NULL, 486, IP_A), 0);
	pf_answer(&f, inv_c, 603, "c1", NULL, NULL, &f.c);
	/* 6xx beats 4xx. */
	assert_int_equal(pf_count(&f, NULL, 603, IP_A), 1);
	assert_int_equal(pf_count(&f, NULL, 486, IP_A), 0);
	assert_int_equal(pf_stats(&f)->ring_timeouts, 0);
	pf_free(&f);
}

/* Equal q: both in parallel; the first 200 wins, the other is CANCELled
 * and its 487 absorbed. */
static void test_parallel_equal_q(void **state)
{
	struct pf f;
	struct seed s;
	int inv_c, cancel_c;

	(void)state;
	pf_start(&f);
	seed_to_b(&f, &s,
		  "Contact: <sip:bob@" IP_B ">, <sip:bob@" IP_C ">;q=1\r\n");
	inv_c = pf_find(&f, 0, "INVITE", 0, IP_C);
	assert_true(inv_c > 0);
	assert_int_equal(f.h->sent[inv_c].at, s.t_b);
	pf_answer(&f, s.inv_b, 180, "b1", NULL, NULL, &f.b);
	pf_answer(&f, inv_c, 180, "c1", NULL, NULL, &f.c);
	assert_int_equal(pf_count(&f, NULL, 180, IP_A), 2);
	h_at(f.h, 1000);
	pf_answer(&f, s.inv_b, 200, "b1", NULL, NULL, &f.b);
	assert_int_equal(pf_count(&f, NULL, 200, IP_A), 1);
	cancel_c = pf_find(&f, 0, "CANCEL", 0, IP_C);
	assert_true(cancel_c > 0);
	assert_int_equal(f.h->sent[cancel_c].at, 1000);
	assert_int_equal(pf_find(&f, 0, "CANCEL", 0, IP_B), -1);
	pf_answer(&f, cancel_c, 200, "c1", NULL, NULL, &f.c);
	pf_answer(&f, inv_c, 487, "c1", NULL, NULL, &f.c);
	assert_int_equal(pf_count(&f, NULL, 487, IP_A), 0);
	/* No ring timeout later. */
	h_run_to(f.h, 20 + RING_MS + 10);
	assert_int_equal(pf_stats(&f)->ring_timeouts, 0);
	pf_free(&f);
}

/* §16.10: A CANCELs while B rings: 200 to the CANCEL, CANCEL to B, and
 * A's INVITE gets B's 487; C is never tried. */
static void test_upstream_cancel(void **state)
{
	struct pf f;
	struct seed s;
	int cancel_b, r;

	(void)state;
	pf_start(&f);
	seed_to_b(&f, &s, two_contacts);
	pf_answer(&f, s.inv_b, 180, "b1", NULL, NULL, &f.b);
	h_at(f.h, 1000);
	a_send(&f, "CANCEL", "sip:bob@example.com", "z9hG4bKa1", NULL, NULL, 1,
	       70, NULL);
	r = pf_find(&f, 0, NULL, 200, IP_A);
	assert_true(r > 0);
	assert_int_equal(h_sent_msg(f.h, (unsigned)r)->cseq.method_id,
			 SIP_METHOD_CANCEL);
	cancel_b = pf_find(&f, 0, "CANCEL", 0, IP_B);
	assert_true(cancel_b > r);
	pf_answer(&f, cancel_b, 200, "b1", NULL, NULL, &f.b);
	pf_answer(&f, s.inv_b, 487, "b1", NULL, NULL, &f.b);
	r = pf_find(&f, 0, NULL, 487, IP_A);
	assert_true(r > 0);
	assert_true(pf_has(&f, r, "tag=b1"));
	h_run_to(f.h, 20 + RING_MS + 100);
	assert_int_equal(pf_find(&f, 0, "INVITE", 0, IP_C), -1);
	pf_free(&f);
}

/* A CANCEL before any branch exists... the redirect server is still
 * thinking: its branch is CANCELled after its provisional; 487 to A. */
static void test_upstream_cancel_no_provisional(void **state)
{
	struct pf f;
	int inv_rs, cancel_rs;

	(void)state;
	pf_start(&f);
	a_invite(&f);
	inv_rs = pf_find(&f, 0, "INVITE", 0, IP_RS);
	a_send(&f, "CANCEL", "sip:bob@example.com", "z9hG4bKa1", NULL, NULL, 1,
	       70, NULL);
	/* §9.1: no CANCEL before a provisional. */
	assert_int_equal(pf_find(&f, 0, "CANCEL", 0, IP_RS), -1);
	pf_answer(&f, inv_rs, 100, NULL, NULL, NULL, &f.rs);
	cancel_rs = pf_find(&f, 0, "CANCEL", 0, IP_RS);
	assert_true(cancel_rs > 0);
	pf_answer(&f, inv_rs, 487, "rs1", NULL, NULL, &f.rs);
	assert_int_equal(pf_count(&f, NULL, 487, IP_A), 1);
	pf_free(&f);
}

/* Recursion off: the 300 goes to A. */
static void test_no_recursion(void **state)
{
	struct pf f;
	struct proxy_cfg cfg;
	int inv_rs, r;

	(void)state;
	proxy_cfg_default(&cfg);
	strcpy(cfg.domains[0], "example.com");
	cfg.ndomains = 1;
	strcpy(cfg.next_hop, "sip:" IP_RS);
	cfg.recursion = false;
	pf_start_cfg(&f, &cfg);
	a_invite(&f);
	inv_rs = pf_find(&f, 0, "INVITE", 0, IP_RS);
	pf_answer(&f, inv_rs, 300, "rs1", two_contacts, NULL, &f.rs);
	r = pf_find(&f, 0, NULL, 300, IP_A);
	assert_true(r > 0);
	assert_true(pf_has(&f, r, "q=0.5"));
	assert_int_equal(h_sent_msg(f.h, (unsigned)r)->count[SIP_HDR_VIA], 1);
	assert_int_equal(pf_find(&f, 0, "INVITE", 0, IP_B), -1);
	pf_free(&f);
}

/* 503 from the only branch becomes 500 (§16.7 item 6). */
static void test_503_becomes_500(void **state)
{
	struct pf f;
	int i;

	(void)state;
	pf_start(&f);
	a_send(&f, "INVITE", "sip:carol@" IP_X, "z9hG4bKx1", NULL, NULL, 1, 70,
	       NULL);
	i = pf_find(&f, 0, "INVITE", 0, IP_X);
	assert_true(i > 0);
	assert_true(sv_eq(h_sent_msg(f.h, (unsigned)i)->ruri,
			  SV("sip:carol@" IP_X)));
	pf_answer(&f, i, 503, "x1", NULL, NULL, &f.x);
	assert_int_equal(pf_count(&f, NULL, 500, IP_A), 1);
	assert_int_equal(pf_count(&f, NULL, 503, IP_A), 0);
	pf_free(&f);
}

/* A host name cannot be resolved yet (no RFC 3263 DNS): 503 with a reason
 * phrase that says so (our own 503, not a downstream one: not made 500). */
static void test_dns_not_supported(void **state)
{
	struct pf f;
	int r;

	(void)state;
	pf_start(&f);
	a_send(&f, "OPTIONS", "sip:carol@elsewhere.example.org", "z9hG4bKd1",
	       NULL, NULL, 1, 70, NULL);
	r = pf_find(&f, 0, NULL, 503, IP_A);
	assert_true(r >= 0);
	assert_true(pf_has(&f, r, "SIP/2.0 503 DNS not supported yet\r\n"));
	pf_free(&f);
}

/* §16.3 item 3: Max-Forwards 0 -> 483; OPTIONS to us -> 200 + Allow. */
static void test_max_forwards(void **state)
{
	struct pf f;
	int r;

	(void)state;
	pf_start(&f);
	a_send(&f, "INVITE", "sip:carol@" IP_X, "z9hG4bKm1", NULL, NULL, 1, 0,
	       NULL);
	assert_int_equal(pf_count(&f, NULL, 483, IP_A), 1);
	assert_int_equal(pf_find(&f, 0, "INVITE", 0, IP_X), -1);
	a_send(&f, "OPTIONS", "sip:" IP_PROXY, "z9hG4bKm2", NULL, NULL, 1, 0,
	       NULL);
	r = pf_find(&f, 0, NULL, 200, IP_A);
	assert_true(r > 0);
	assert_true(pf_has(&f, r, "Allow: INVITE"));
	assert_int_equal(pf_stats(&f)->too_many_hops, 1);
	/* Absent Max-Forwards: 70 added. */
	a_send(&f, "MESSAGE", "sip:carol@" IP_X, "z9hG4bKm3", NULL, NULL, 1, -1,
	       NULL);
	r = pf_find(&f, 0, "MESSAGE", 0, IP_X);
	assert_true(r > 0);
	assert_int_equal(h_sent_msg(f.h, (unsigned)r)->max_forwards, 70);
	/* No Record-Route on a MESSAGE. */
	assert_int_equal(
		h_sent_msg(f.h, (unsigned)r)->count[SIP_HDR_RECORD_ROUTE], 0);
	pf_free(&f);
}

/* §16.3 item 4, RFC 5393: the same request back with our Via is a loop
 * (482); with a new Request-URI it is a spiral (forwarded). */
static void test_loop_and_spiral(void **state)
{
	struct pf f;
	char copy[4096], *at;
	int i, j;
	size_t len;

	(void)state;
	pf_start(&f);
	a_send(&f, "MESSAGE", "sip:carol@" IP_X, "z9hG4bKl1", NULL, NULL, 1, 70,
	       NULL);
	i = pf_find(&f, 0, "MESSAGE", 0, IP_X);
	assert_true(i >= 0);
	/* It comes back through X, which adds its Via (the next hop routes
	 * it to us again). */
	at = memchr(f.h->sent[i].buf, '\n', f.h->sent[i].len);
	assert_non_null(at);
	len = (size_t)(at + 1 - f.h->sent[i].buf);
	snprintf(copy, sizeof(copy),
		 "%.*sVia: SIP/2.0/UDP " IP_X ";branch=z9hG4bKxloop\r\n%.*s",
		 (int)len, f.h->sent[i].buf, (int)(f.h->sent[i].len - len),
		 at + 1);
	h_input(f.h, copy, &f.x);
	assert_int_equal(pf_count(&f, NULL, 482, IP_X), 1);
	assert_int_equal(pf_stats(&f)->loops, 1);
	/* Spiral: same request, another Request-URI (same length), and
	 * another branch from X. */
	at = strstr(copy, "carol@");
	assert_non_null(at);
	memcpy(at, "carla@", 6);
	at = strstr(copy, "xloop");
	memcpy(at, "xspir", 5);
	h_input(f.h, copy, &f.x);
	j = pf_find(&f, (unsigned)i + 1, "MESSAGE", 0, IP_X);
	assert_true(j > i);
	assert_int_equal(h_sent_msg(f.h, (unsigned)j)->count[SIP_HDR_VIA], 4);
	assert_int_equal(pf_stats(&f)->loops, 1);
	pf_free(&f);
}

/* §16.3 item 5: Proxy-Require -> 420 with Unsupported. */
static void test_proxy_require(void **state)
{
	struct pf f;
	int r;

	(void)state;
	pf_start(&f);
	a_send(&f, "INVITE", "sip:carol@" IP_X, "z9hG4bKp1",
	       "Proxy-Require: foo, bar\r\n", NULL, 1, 70, NULL);
	r = pf_find(&f, 0, NULL, 420, IP_A);
	assert_true(r >= 0);
	assert_true(pf_has(&f, r, "Unsupported: foo, bar\r\n"));
	pf_free(&f);
}

/* §16.3 item 2: a scheme we do not know -> 416. */
static void test_unsupported_scheme(void **state)
{
	struct pf f;

	(void)state;
	pf_start(&f);
	a_send(&f, "INVITE", "http://example.com/bob", "z9hG4bKu1", NULL, NULL,
	       1, 70, NULL);
	assert_int_equal(pf_count(&f, NULL, 416, IP_A), 1);
	pf_free(&f);
}

/* No next hop: our domain gets 404; a Route to elsewhere is followed
 * with the Request-URI unchanged (loose routing, §16.5). */
static void test_route_and_404(void **state)
{
	struct pf f;
	struct proxy_cfg cfg;
	struct sip_msg *m;
	int r;

	(void)state;
	proxy_cfg_default(&cfg);
	strcpy(cfg.domains[0], "example.com");
	cfg.ndomains = 1;
	pf_start_cfg(&f, &cfg);
	a_send(&f, "INVITE", "sip:bob@example.com", "z9hG4bKr1", NULL, NULL, 1,
	       70, NULL);
	assert_int_equal(pf_count(&f, NULL, 404, IP_A), 1);
	a_send(&f, "INVITE", "sip:bob@example.com", "z9hG4bKr2",
	       "Route: <sip:" IP_PROXY ";lr>, <sip:" IP_X ":5070;lr>\r\n", NULL,
	       1, 70, NULL);
	r = pf_find(&f, 0, "INVITE", 0, IP_X);
	assert_true(r > 0);
	assert_int_equal(h_port(&f.h->sent[r].dst), 5070);
	m = h_sent_msg(f.h, (unsigned)r);
	assert_true(sv_eq(m->ruri, SV("sip:bob@example.com")));
	assert_int_equal(m->count[SIP_HDR_ROUTE], 1);
	assert_true(pf_has(&f, r, "Route: <sip:" IP_X ":5070;lr>\r\n"));
	pf_free(&f);
}

/* A strict router before us put our Record-Route URI in the
 * Request-URI: the last Route is the real one (§16.4). */
static void test_strict_router(void **state)
{
	struct pf f;
	struct sip_msg *m;
	int r;

	(void)state;
	pf_start(&f);
	a_send(&f, "BYE", "sip:" IP_PROXY ":5060;lr", "z9hG4bKs1",
	       "Route: <sip:carol@" IP_X ">\r\n", "t1", 2, 70, NULL);
	r = pf_find(&f, 0, "BYE", 0, IP_X);
	assert_true(r >= 0);
	m = h_sent_msg(f.h, (unsigned)r);
	assert_true(sv_eq(m->ruri, SV("sip:carol@" IP_X)));
	assert_int_equal(m->count[SIP_HDR_ROUTE], 0);
	pf_free(&f);
}

/* A phone on the proxy's own IP at another port is not us, even when that
 * IP is our domain: an in-dialog BYE and ACK to 127.0.0.1:5082 with our
 * Route go to 127.0.0.1:5082 (the seed topology on loopback; this was
 * routed to the next hop, the ACK dropped, before URI checks compared
 * ports). */
static void test_phone_on_our_ip(void **state)
{
	struct proxy_cfg cfg;
	struct sip_msg *m;
	struct pf f;
	int r;

	(void)state;
	proxy_cfg_default(&cfg);
	strcpy(cfg.domains[0], IP_PROXY);
	cfg.ndomains = 1;
	strcpy(cfg.next_hop, "sip:" IP_RS ":5060");
	pf_start_cfg(&f, &cfg);
	a_send(&f, "BYE", "sip:bob@" IP_PROXY ":5082", "z9hG4bKo1",
	       "Route: <sip:" IP_PROXY ":5060;lr>\r\n", "t1", 2, 70, NULL);
	r = pf_find(&f, 0, "BYE", 0, IP_PROXY);
	assert_true(r >= 0);
	assert_int_equal(h_port(&f.h->sent[r].dst), 5082);
	m = h_sent_msg(f.h, (unsigned)r);
	assert_true(sv_eq(m->ruri, SV("sip:bob@" IP_PROXY ":5082")));
	assert_int_equal(m->count[SIP_HDR_ROUTE], 0);
	assert_int_equal(pf_find(&f, 0, "BYE", 0, IP_RS), -1);
	a_send(&f, "ACK", "sip:bob@" IP_PROXY ":5082", "z9hG4bKo2",
	       "Route: <sip:" IP_PROXY ":5060;lr>\r\n", "t1", 1, 70, NULL);
	r = pf_find(&f, 0, "ACK", 0, IP_PROXY);
	assert_true(r >= 0);
	assert_int_equal(h_port(&f.h->sent[r].dst), 5082);
	pf_free(&f);
}

/* 401s from two forks: one 401 with both challenges (§16.7 item 7). */
static void test_auth_merge(void **state)
{
	struct pf f;
	struct seed s;
	int inv_c, r;

	(void)state;
	pf_start(&f);
	seed_to_b(&f, &s,
		  "Contact: <sip:bob@" IP_B ">, <sip:bob@" IP_C ">\r\n");
	inv_c = pf_find(&f, 0, "INVITE", 0, IP_C);
	pf_answer(&f, s.inv_b, 401, "b1",
		  "WWW-Authenticate: Digest realm=\"b\", nonce=\"1\"\r\n", NULL,
		  &f.b);
	pf_answer(&f, inv_c, 401, "c1",
		  "WWW-Authenticate: Digest realm=\"c\", nonce=\"2\"\r\n", NULL,
		  &f.c);
	r = pf_find(&f, 0, NULL, 401, IP_A);
	assert_true(r > 0);
	assert_true(pf_has(&f, r, "realm=\"b\""));
	assert_true(pf_has(&f, r, "realm=\"c\""));
	assert_int_equal(
		h_sent_msg(f.h, (unsigned)r)->count[SIP_HDR_WWW_AUTHENTICATE],
		2);
	pf_free(&f);
}

/* A 2xx retransmission after the client transaction ended (stray): our
 * Via popped, sent by the next Via. */
static void test_stray_2xx(void **state)
{
	struct pf f;
	char msg[1024];
	int r;

	(void)state;
	pf_start(&f);
	snprintf(msg, sizeof(msg),
		 "SIP/2.0 200 OK\r\n"
		 "Via: SIP/2.0/UDP " IP_PROXY ":5060;branch=z9hG4bKR00gone\r\n"
		 "Via: SIP/2.0/UDP " IP_A ":5062;branch=z9hG4bKa9;rport=40000;"
		 "received=198.51.100.7\r\n"
		 "From: <sip:alice@example.com>;tag=fa1\r\n"
		 "To: <sip:bob@example.com>;tag=c1\r\n"
		 "Call-ID: stray@x\r\n"
		 "CSeq: 1 INVITE\r\n"
		 "Content-Length: 0\r\n\r\n");
	h_input(f.h, msg, &f.c);
	r = pf_find(&f, 0, NULL, 200, NULL);
	assert_true(r >= 0);
	assert_true(h_ip_is(&f.h->sent[r].dst, "198.51.100.7"));
	assert_int_equal(h_port(&f.h->sent[r].dst), 40000);
	assert_int_equal(h_sent_msg(f.h, (unsigned)r)->count[SIP_HDR_VIA], 1);
	/* A stray 486 is dropped. */
	msg[8] = '4';
	msg[9] = '8';
	msg[10] = '6';
	h_input(f.h, msg, &f.c);
	assert_int_equal(f.h->nsent, (unsigned)r + 1);
	pf_free(&f);
}

/* The next hop never answers: Timer B -> 408 to A. */
static void test_branch_timeout(void **state)
{
	struct pf f;
	struct proxy_cfg cfg;

	(void)state;
	proxy_cfg_default(&cfg);
	strcpy(cfg.domains[0], "example.com");
	cfg.ndomains = 1;
	strcpy(cfg.next_hop, "sip:" IP_RS);
	pf_start_cfg(&f, &cfg);
	a_invite(&f);
	h_run_to(f.h, 32000);
	assert_int_equal(pf_count(&f, NULL, 408, IP_A), 1);
	pf_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_flow),
		cmocka_unit_test(test_late_200_after_cancel),
		cmocka_unit_test(test_late_200_after_final),
		cmocka_unit_test(test_silent_branch_ring_timeout),
		cmocka_unit_test(test_target_ring_timeout),
		cmocka_unit_test(test_busy_then_next),
		cmocka_unit_test(test_parallel_equal_q),
		cmocka_unit_test(test_upstream_cancel),
		cmocka_unit_test(test_upstream_cancel_no_provisional),
		cmocka_unit_test(test_no_recursion),
		cmocka_unit_test(test_503_becomes_500),
		cmocka_unit_test(test_dns_not_supported),
		cmocka_unit_test(test_max_forwards),
		cmocka_unit_test(test_loop_and_spiral),
		cmocka_unit_test(test_proxy_require),
		cmocka_unit_test(test_unsupported_scheme),
		cmocka_unit_test(test_route_and_404),
		cmocka_unit_test(test_strict_router),
		cmocka_unit_test(test_phone_on_our_ip),
		cmocka_unit_test(test_auth_merge),
		cmocka_unit_test(test_stray_2xx),
		cmocka_unit_test(test_branch_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
