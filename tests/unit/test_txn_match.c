/* test_txn_match.c - transaction matching (RFC 3261 §17.1.3, §17.2.3 and
 * its RFC 2543 fallback), our branches and the owner shard of a message. */
#include "txn_harness.h"

static int mk_req(char *buf, size_t cap, const char *method, const char *branch,
		  const char *host, unsigned port, unsigned cseq,
		  const char *call_id, const char *from_tag)
{
	char sent_by[64];

	if (port)
		snprintf(sent_by, sizeof(sent_by), "%s:%u", host, port);
	else
		snprintf(sent_by, sizeof(sent_by), "%s", host);
	return snprintf(buf, cap,
			"%s sip:bob@example.com SIP/2.0\r\n"
			"Via: SIP/2.0/UDP %s%s%s\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:alice@example.com>;tag=%s\r\n"
			"To: <sip:bob@example.com>\r\n"
			"Call-ID: %s\r\n"
			"CSeq: %u %s\r\n"
			"Content-Length: 0\r\n"
			"\r\n",
			method, sent_by, branch ? ";branch=" : "",
			branch ? branch : "", from_tag, call_id, cseq, method);
}

static int mk_resp(char *buf, size_t cap, unsigned code, const char *method,
		   const char *branch)
{
	return snprintf(buf, cap,
			"SIP/2.0 %u X\r\n"
			"Via: SIP/2.0/UDP 192.0.2.10;branch=%s\r\n"
			"From: <sip:alice@example.com>;tag=a\r\n"
			"To: <sip:bob@example.com>;tag=b\r\n"
			"Call-ID: c\r\n"
			"CSeq: 1 %s\r\n"
			"\r\n",
			code, branch, method);
}

static struct sip_msg *scan(struct sip_msg *m, const char *text)
{
	assert_int_equal(sip_msg_scan(m, text, strlen(text), 0, NULL, NULL), 0);
	return m;
}

/* Our branches: cookie, marker, two hex digits of shard, unique. */
static void test_branch_format(void **state)
{
	struct txn_cfg cfg;
	struct h *h;
	char b[64], prev[64] = "";
	static char seen[2000][40];

	(void)state;
	txn_cfg_default(&cfg);
	cfg.shard = 11;
	cfg.nshards = 20;
	h = h_new_cfg(&cfg);
	for (int i = 0; i < 2000; i++) {
		int n = txn_branch(h->l, b, sizeof(b));

		assert_true(n > 10 && n < 40);
		assert_int_equal(strlen(b), (size_t)n);
		assert_memory_equal(b, "z9hG4bKR0b", 10);
		assert_string_not_equal(b, prev);
		strcpy(prev, b);
		strcpy(seen[i], b);
	}
	for (int i = 0; i < 2000; i++)
		for (int j = i + 1; j < 2000; j++)
			assert_string_not_equal(seen[i], seen[j]);
	assert_int_equal(txn_branch(h->l, b, 39), -ENOSPC);
	h_free(h);
}

/* Responses go to the shard in our branch; requests are hashed so that
 * the CANCEL and the non-2xx ACK land with their INVITE, for N = 2..8
 * (and 20, two hex digits). */
static void test_owner(void **state)
{
	static const unsigned ns[] = {2, 3, 4, 5, 6, 7, 8, 20};
	struct sip_msg *m = malloc(sizeof(*m));
	char buf[1024], br[64], call[64], host[32];

	(void)state;
	assert_non_null(m);
	for (unsigned k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		unsigned n = ns[k];
		unsigned hits[20] = {0};

		for (unsigned s = 0; s < n; s++) {
			struct txn_cfg cfg;
			struct h *h;

			txn_cfg_default(&cfg);
			cfg.max_txns = 16;
			cfg.shard = (uint8_t)s;
			cfg.nshards = (uint8_t)n;
			h = h_new_cfg(&cfg);
			for (int i = 0; i < 20; i++) {
				txn_branch(h->l, br, sizeof(br));
				mk_resp(buf, sizeof(buf), 180, "INVITE", br);
				assert_int_equal(txn_owner(scan(m, buf), n), s);
				mk_resp(buf, sizeof(buf), 200, "CANCEL", br);
				assert_int_equal(txn_owner(scan(m, buf), n), s);
			}
			h_free(h);
		}
		for (unsigned i = 0; i < 400; i++) {
			unsigned inv, o;

			snprintf(br, sizeof(br), "z9hG4bK%08x",
				 i * 2654435761u);
			snprintf(host, sizeof(host), "10.%u.%u.1", i % 7, i);
			snprintf(call, sizeof(call), "call-%u", i);
			mk_req(buf, sizeof(buf), "INVITE", br, host, 5060 + i,
			       1, call, "f");
			inv = txn_owner(scan(m, buf), n);
			assert_true(inv < n);
			hits[inv]++;
			mk_req(buf, sizeof(buf), "CANCEL", br, host, 5060 + i,
			       1, call, "f");
			assert_int_equal(txn_owner(scan(m, buf), n), inv);
			mk_req(buf, sizeof(buf), "ACK", br, host, 5060 + i, 1,
			       call, "f");
			assert_int_equal(txn_owner(scan(m, buf), n), inv);
			/* Host case does not matter (sent-by compare). */
			mk_req(buf, sizeof(buf), "INVITE", br, "EXAMPLE.com", 0,
			       1, call, "f");
			o = txn_owner(scan(m, buf), n);
			mk_req(buf, sizeof(buf), "ACK", br, "example.COM", 0, 1,
			       call, "f");
			assert_int_equal(txn_owner(scan(m, buf), n), o);
			/* RFC 2543: by Call-ID. */
			mk_req(buf, sizeof(buf), "INVITE", NULL, host, 0, 1,
			       call, "f");
			o = txn_owner(scan(m, buf), n);
			mk_req(buf, sizeof(buf), "ACK", NULL, "elsewhere", 0, 1,
			       call, "g");
			assert_int_equal(txn_owner(scan(m, buf), n), o);
			/* A stray response with a foreign branch: in range. */
			mk_resp(buf, sizeof(buf), 200, "INVITE", br);
			assert_true(txn_owner(scan(m, buf), n) < n);
		}
		/* Every worker gets a share. */
		for (unsigned s = 0; s < n; s++)
			assert_true(hits[s] > 0);
	}
	mk_resp(buf, sizeof(buf), 200, "INVITE", "z9hG4bKR05abc");
	assert_int_equal(txn_owner(scan(m, buf), 1), 0);
	/* A shard beyond nshards (a stale branch): still in range. */
	assert_true(txn_owner(scan(m, buf), 4) < 4);
	free(m);
}

struct mfix {
	struct h *h;
	struct tp_peer src;
	char buf[1024];
};

static void in(struct mfix *f, const char *method, const char *branch,
	       const char *host, unsigned port, unsigned cseq, const char *call,
	       const char *ftag)
{
	mk_req(f->buf, sizeof(f->buf), method, branch, host, port, cseq, call,
	       ftag);
	h_input(f->h, f->buf, &f->src);
}

/* §17.2.3: branch + sent-by + method; ACK matches INVITE, CANCEL does
 * not. */
static void test_server_keys(void **state)
{
	struct mfix f = {.h = h_new()};
	const struct txn_stats *st = txn_layer_stats(f.h->l);

	(void)state;
	f.src = h_peer(TP_UDP, "192.0.2.1", 5060);
	in(&f, "INVITE", "z9hG4bK1", "a.example.com", 5060, 1, "c", "f");
	in(&f, "INVITE", "z9hG4bK1", "A.EXAMPLE.COM", 5060, 1, "c", "f");
	assert_int_equal(st->server_created, 1);
	assert_int_equal(st->absorbed, 1);
	/* Another sent-by: another transaction. */
	in(&f, "INVITE", "z9hG4bK1", "b.example.com", 5060, 1, "c", "f");
	in(&f, "INVITE", "z9hG4bK1", "a.example.com", 5070, 1, "c", "f");
	in(&f, "INVITE", "z9hG4bK1", "a.example.com", 0, 1, "c", "f");
	assert_int_equal(st->server_created, 4);
	/* Another method: a separate transaction (CANCEL via tu->cancel). */
	in(&f, "CANCEL", "z9hG4bK1", "a.example.com", 5060, 1, "c", "f");
	assert_int_equal(st->server_created, 5);
	assert_int_equal(h_count(f.h, EV_CANCEL, NULL), 1);
	in(&f, "INFO", "z9hG4bK1", "a.example.com", 5060, 1, "c", "f");
	in(&f, "FOO", "z9hG4bK1", "a.example.com", 5060, 1, "c", "f");
	in(&f, "BAR", "z9hG4bK1", "a.example.com", 5060, 1, "c", "f");
	in(&f, "FOO", "z9hG4bK1", "a.example.com", 5060, 1, "c", "f");
	assert_int_equal(st->server_created, 8);
	assert_int_equal(st->absorbed, 2);
	/* Another branch. */
	in(&f, "INVITE", "z9hG4bK2", "a.example.com", 5060, 1, "c", "f");
	assert_int_equal(st->server_created, 9);
	/* ACK matches the INVITE on branch and sent-by (Proceeding: it is
	 * not for a non-2xx final, so it goes up as stray). */
	in(&f, "ACK", "z9hG4bK1", "a.example.com", 5060, 1, "c", "f");
	assert_int_equal(h_count(f.h, EV_STRAY, NULL), 1);
	assert_int_equal(st->server_created, 9);
	/* The branch is compared exactly. */
	in(&f, "INVITE", "z9hG4bk1", "a.example.com", 5060, 1, "c", "f");
	assert_int_equal(st->server_created, 10);
	h_free(f.h);
}

/* §17.2.3 for RFC 2543 requests: any key differing is a new
 * transaction. */
static void test_rfc2543_keys(void **state)
{
	struct mfix f = {.h = h_new()};
	const struct txn_stats *st = txn_layer_stats(f.h->l);

	(void)state;
	f.src = h_peer(TP_UDP, "192.0.2.1", 5060);
	in(&f, "INVITE", NULL, "a.example.com", 0, 1, "c", "f");
	in(&f, "INVITE", NULL, "a.example.com", 0, 1, "c", "f");
	assert_int_equal(st->server_created, 1);
	assert_int_equal(st->absorbed, 1);
	in(&f, "INVITE", NULL, "a.example.com", 0, 2, "c", "f");
	in(&f, "INVITE", NULL, "a.example.com", 0, 1, "d", "f");
	in(&f, "INVITE", NULL, "a.example.com", 0, 1, "c", "g");
	in(&f, "INVITE", NULL, "b.example.com", 0, 1, "c", "f");
	in(&f, "INVITE", "other", "a.example.com", 0, 1, "c", "f");
	assert_int_equal(st->server_created, 6);
	/* A CANCEL for the first INVITE (same keys but the method). */
	in(&f, "CANCEL", NULL, "a.example.com", 0, 1, "c", "f");
	assert_int_equal(h_count(f.h, EV_CANCEL, NULL), 1);
	assert_int_equal(st->server_created, 7);
	h_free(f.h);
}

/* §17.1.3: branch + CSeq method; a request carrying one of our branches
 * (a spiral) is never matched against a client transaction. */
static void test_client_keys(void **state)
{
	struct h *h = h_new();
	struct tp_peer bob = h_peer(TP_UDP, "192.0.2.20", 5060);
	struct txn *inv, *cancel;
	struct iovec iov;
	char br[64], buf[1024];
	const struct h_ev *e;

	(void)state;
	txn_branch(h->l, br, sizeof(br));
	mk_req(buf, sizeof(buf), "INVITE", br, "192.0.2.10", 5060, 1, "c", "a");
	iov = (struct iovec){.iov_base = buf, .iov_len = strlen(buf)};
	assert_int_equal(txn_request(h->l, &inv, &iov, 1, &bob, NULL), 0);
	/* Looped back to us as a request: a server transaction. */
	h_input(h, buf, &bob);
	assert_int_equal(h_count(h, EV_REQUEST, NULL), 1);
	assert_int_equal(txn_kind(h_last(h, EV_REQUEST)->t), TXN_SERVER_INVITE);
	mk_resp(buf, sizeof(buf), 180, "INVITE", br);
	h_input(h, buf, &bob);
	assert_int_equal(txn_cancel(inv, &cancel), 0);
	assert_non_null(cancel);
	mk_resp(buf, sizeof(buf), 200, "CANCEL", br);
	h_input(h, buf, &bob);
	e = h_last(h, EV_RESPONSE);
	assert_ptr_equal(e->t, cancel);
	mk_resp(buf, sizeof(buf), 487, "INVITE", br);
	h_input(h, buf, &bob);
	e = h_last(h, EV_RESPONSE);
	assert_ptr_equal(e->t, inv);
	assert_int_equal(e->status, 487);
	mk_resp(buf, sizeof(buf), 200, "BYE", br);
	h_input(h, buf, &bob);
	assert_int_equal(h_count(h, EV_STRAY, NULL), 1);
	h_free(h);
}

/* Many live transactions in one table: each retransmission finds its
 * own; the pool refills after they end. */
static void test_many(void **state)
{
	struct txn_cfg cfg;
	struct mfix f;
	const struct txn_stats *st;
	char br[32], call[32];

	(void)state;
	txn_cfg_default(&cfg);
	cfg.max_txns = 200;
	f.h = h_new_cfg(&cfg);
	f.src = h_peer(TP_TCP, "192.0.2.1", 5060);
	st = txn_layer_stats(f.h->l);
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < 200; i++) {
			snprintf(br, sizeof(br), "z9hG4bK%u", i);
			snprintf(call, sizeof(call), "c%u", i);
			in(&f, "MESSAGE", br, "h.example.com", 5060, 1, call,
			   "f");
		}
		assert_int_equal(st->live, 200);
		for (unsigned i = 0; i < 200; i++) {
			snprintf(br, sizeof(br), "z9hG4bK%u", i);
			snprintf(call, sizeof(call), "c%u", i);
			in(&f, "MESSAGE", br, "h.example.com", 5060, 1, call,
			   "f");
		}
		assert_int_equal(st->absorbed, 200u * (round + 1));
		assert_int_equal(st->pool_exhausted, 0);
		/* Answer all: over TCP they end at once. */
		for (unsigned i = 0; i < f.h->nev; i++)
			if (f.h->ev[i].type == EV_REQUEST)
				assert_int_equal(
					txn_reply(f.h->ev[i].t, 200, NULL), 0);
		assert_int_equal(st->live, 0);
		assert_int_equal(f.h->nsent, 200);
		f.h->nsent = 0;
		f.h->nev = 0;
	}
	h_free(f.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_branch_format),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_server_keys),
		cmocka_unit_test(test_rfc2543_keys),
		cmocka_unit_test(test_client_keys),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
