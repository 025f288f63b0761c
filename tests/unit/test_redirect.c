/* test_redirect.c - the redirect server (RFC 3261 §8.3, §21.3) on a real
 * transaction layer with a simulated clock and a capturing sender: 300
 * with the contacts in q order, 302, 404, telephone-number normalisation,
 * OPTIONS, CANCEL, in-dialog requests, Require, the ACK for the 3xx.
 */
#include "txn_harness.h"
#include "testutil.h"

#include "redirect/redirect.h"

#define IP_PROXY "192.0.2.1"

struct rf {
	struct h *h;
	struct redirect *r;
	struct redirect_cfg cfg;
	struct tp_peer px;
	char buf[4096];
};

static void add(struct redirect_cfg *cfg, const char *user, const char *uri,
		uint16_t q)
{
	struct redirect_contact *c = &cfg->contacts[cfg->ncontacts++];

	snprintf(c->user, sizeof(c->user), "%s", user);
	snprintf(c->uri, sizeof(c->uri), "%s", uri);
	c->q = q;
}

/* The seed table, C listed first so that the q order is not the file's:
 * 5550002 -> B q=1.0, C q=0.5; alice -> one contact; +15550000003 -> one. */
static void rf_start(struct rf *f)
{
	struct tp_sender snd;

	memset(f, 0, sizeof(*f));
	add(&f->cfg, "5550002", "sip:5550002@127.0.0.1:5082", 500);
	add(&f->cfg, "alice", "sip:alice@192.0.2.7:5070;transport=tcp", 1000);
	add(&f->cfg, "555-0002", "sip:5550002@127.0.0.1:5081", 1000);
	add(&f->cfg, "+1(555)000-0003", "sip:carol@192.0.2.8", 250);
	assert_int_equal(redirect_new(&f->r, &f->cfg), 0);
	f->h = calloc(1, sizeof(*f->h));
	assert_non_null(f->h);
	tw_init(&f->h->w, 0);
	txn_cfg_default(&f->h->cfg);
	snd = (struct tp_sender){.send = h_send, .arg = f->h};
	assert_int_equal(txn_layer_new(&f->h->l, &f->h->cfg, &f->h->w, &snd,
				       &redirect_tu, f->r),
			 0);
	f->px = h_peer(TP_UDP, IP_PROXY, 5060);
}

static void rf_free(struct rf *f)
{
	txn_layer_free(f->h->l);
	redirect_free(f->r);
	free(f->h);
}

static const struct redirect_stats *rf_stats(struct rf *f)
{
	return redirect_get_stats(f->r);
}

/* A request from the proxy. */
static void rf_send(struct rf *f, const char *method, const char *ruri,
		    const char *branch, const char *to_tag, const char *extra)
{
	snprintf(f->buf, sizeof(f->buf),
		 "%s %s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP " IP_PROXY ":5060;branch=%s\r\n"
		 "Via: SIP/2.0/UDP 192.0.2.2:5061;branch=z9hG4bKa\r\n"
		 "Max-Forwards: 69\r\n"
		 "From: A <sip:5550001@ringway.test>;tag=fa1\r\n"
		 "To: <%s>%s%s\r\n"
		 "Call-ID: seed-1@192.0.2.2\r\n"
		 "CSeq: 1 %s\r\n"
		 "%s"
		 "Content-Length: 0\r\n"
		 "\r\n",
		 method, ruri, branch, ruri, to_tag ? ";tag=" : "",
		 to_tag ? to_tag : "", method, extra ? extra : "");
	h_input(f->h, f->buf, &f->px);
}

/* The last message sent: its status, and the header line that starts with
 * name (with CRLF cut) copied into line. */
static unsigned last_reply(struct rf *f, const char *name, char *line,
			   size_t cap)
{
	struct h_sent *s;
	const char *p, *end;

	assert_true(f->h->nsent > 0);
	s = &f->h->sent[f->h->nsent - 1];
	assert_true(s->len < sizeof(s->buf));
	s->buf[s->len] = '\0';
	assert_true(h_port(&s->dst) == 5060 && h_ip_is(&s->dst, IP_PROXY));
	if (line) {
		line[0] = '\0';
		p = strstr(s->buf, name);
		if (p) {
			end = strstr(p + strlen(name), "\r\n");
			snprintf(line, cap, "%.*s", (int)(end - p), p);
		}
	}
	return (unsigned)strtoul(s->buf + 8, NULL, 10);
}

/* §21.3.1: several contacts, highest q first, each with its q. */
static void test_300_q_order(void **state)
{
	struct rf f;
	char line[512];
	struct sip_msg *m;

	(void)state;
	rf_start(&f);
	rf_send(&f, "INVITE", "sip:5550002@ringway.test;user=phone",
		"z9hG4bKr1", NULL, NULL);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(last_reply(&f, "\r\nContact: ", line, sizeof(line)),
			 300);
	assert_string_equal(line, "\r\nContact: <sip:5550002@127.0.0.1:5081>;"
				  "q=1.0, <sip:5550002@127.0.0.1:5082>;q=0.5");
	assert_true(h_contains(&f.h->sent[0], "SIP/2.0 300 Multiple Choices"));
	/* §8.2.6.2: a To tag; both Vias in order. */
	m = h_sent_msg(f.h, 0);
	assert_true(m->to_tag.len > 0);
	assert_int_equal(m->count[SIP_HDR_VIA], 2);
	assert_int_equal(rf_stats(&f)->multiple, 1);
	/* The ACK for the 300 is absorbed by the layer (§17.2.1). */
	snprintf(f.buf, sizeof(f.buf),
		 "ACK sip:5550002@ringway.test;user=phone SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP " IP_PROXY ":5060;branch=z9hG4bKr1\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: A <sip:5550001@ringway.test>;tag=fa1\r\n"
		 "To: <sip:5550002@ringway.test;user=phone>;tag=%.*s\r\n"
		 "Call-ID: seed-1@192.0.2.2\r\n"
		 "CSeq: 1 ACK\r\n"
		 "Content-Length: 0\r\n\r\n",
		 (int)m->to_tag.len, m->to_tag.p);
	h_input(f.h, f.buf, &f.px);
	assert_int_equal(txn_layer_stats(f.h->l)->absorbed_acks, 1);
	assert_int_equal(f.h->nsent, 1);
	assert_int_equal(rf_stats(&f)->requests, 1);
	rf_free(&f);
}

/* §21.3.3: one contact. */
static void test_302_one(void **state)
{
	struct rf f;
	char line[512];

	(void)state;
	rf_start(&f);
	rf_send(&f, "INVITE", "sip:alice@ringway.test", "z9hG4bKr2", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "\r\nContact: ", line, sizeof(line)),
			 302);
	assert_string_equal(line, "\r\nContact: "
				  "<sip:alice@192.0.2.7:5070;transport=tcp>;"
				  "q=1.0");
	assert_true(h_contains(&f.h->sent[0], "SIP/2.0 302 Moved Temporarily"));
	/* Other methods for a known user are redirected too. */
	rf_send(&f, "MESSAGE", "sip:alice@ringway.test", "z9hG4bKr3", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 302);
	assert_int_equal(rf_stats(&f)->moved, 2);
	rf_free(&f);
}

/* §21.4.5: unknown user, no user, case-sensitive user. */
static void test_404_unknown(void **state)
{
	struct rf f;
	char line[256];

	(void)state;
	rf_start(&f);
	rf_send(&f, "INVITE", "sip:5550009@ringway.test", "z9hG4bKr4", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "\r\nContact: ", line, sizeof(line)),
			 404);
	assert_string_equal(line, "");
	rf_send(&f, "INVITE", "sip:ringway.test", "z9hG4bKr5", NULL, NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 404);
	rf_send(&f, "INVITE", "sip:Alice@ringway.test", "z9hG4bKr6", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 404);
	rf_send(&f, "INVITE", "mailto:alice@ringway.test", "z9hG4bKr7", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 416);
	assert_int_equal(rf_stats(&f)->not_found, 3);
	assert_int_equal(rf_stats(&f)->other, 1);
	rf_free(&f);
}

static void norm_is(const char *in, const char *want)
{
	char out[REDIRECT_USER_MAX];
	int n = redirect_norm_user(out, sizeof(out), sv_from_cstr(in));

	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(out, want);
}

/* Visual separators are dropped from telephone numbers; '+' stays. */
static void test_normalise(void **state)
{
	struct rf f;
	char out[8];

	(void)state;
	norm_is("5550002", "5550002");
	norm_is("555-0002", "5550002");
	norm_is("(555)000.2", "5550002");
	norm_is("+1-555-000-0003", "+15550000003");
	norm_is("+1(555)000-0003", "+15550000003");
	norm_is("555%2D0002", "5550002"); /* %-decoded first */
	norm_is("john.doe", "john.doe");  /* not a number: as written */
	norm_is("555-ABC", "555-ABC");
	norm_is("-.()", "-.()"); /* no digit */
	norm_is("1+2", "1+2");	 /* '+' only in front */
	assert_int_equal(redirect_norm_user(out, sizeof(out), SV("")), -EINVAL);
	assert_int_equal(redirect_norm_user(out, sizeof(out), SV("12345678")),
			 -ENOSPC);
	assert_int_equal(redirect_norm_user(out, sizeof(out), SV("1%2")),
			 -EBADMSG);

	rf_start(&f);
	/* Table "555-0002" and "5550002" are the same user. */
	rf_send(&f, "INVITE", "sip:555.000.2@ringway.test", "z9hG4bKn1", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 300);
	rf_send(&f, "INVITE", "tel:+1-555-000-0003", "z9hG4bKn2", NULL, NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 302);
	/* Without the '+' it is another number. */
	rf_send(&f, "INVITE", "sip:15550000003@ringway.test", "z9hG4bKn3", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 404);
	rf_free(&f);
}

static void q_is(uint16_t q, const char *want)
{
	char out[8];

	assert_int_equal(redirect_q_fmt(out, sizeof(out), q),
			 (int)strlen(want));
	assert_string_equal(out, want);
}

static void test_q_fmt(void **state)
{
	(void)state;
	q_is(1000, "1.0");
	q_is(500, "0.5");
	q_is(250, "0.25");
	q_is(5, "0.005");
	q_is(0, "0.0");
	q_is(999, "0.999");
}

/* §11.2: OPTIONS is answered 200 with Allow, for anyone. */
static void test_options(void **state)
{
	struct rf f;
	char line[256];

	(void)state;
	rf_start(&f);
	rf_send(&f, "OPTIONS", "sip:5550002@ringway.test", "z9hG4bKo1", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "\r\nAllow: ", line, sizeof(line)),
			 200);
	assert_string_equal(line, "\r\nAllow: INVITE, ACK, CANCEL, OPTIONS");
	assert_false(h_contains(&f.h->sent[0], "Contact:"));
	rf_send(&f, "OPTIONS", "sip:nobody@ringway.test", "z9hG4bKo2", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 200);
	assert_int_equal(rf_stats(&f)->options, 2);
	rf_free(&f);
}

/* §9.2 CANCEL, §12.2.2 in-dialog requests, §8.2.2.3 Require. */
static void test_cancel_dialog_require(void **state)
{
	struct rf f;
	char line[256];

	(void)state;
	rf_start(&f);
	rf_send(&f, "INVITE", "sip:5550002@ringway.test", "z9hG4bKc1", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 300);
	rf_send(&f, "CANCEL", "sip:5550002@ringway.test", "z9hG4bKc1", NULL,
		NULL);
	assert_int_equal(f.h->nsent, 2);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 200);
	assert_true(h_contains(&f.h->sent[1], "CSeq: 1 CANCEL"));
	assert_int_equal(rf_stats(&f)->cancels, 1);
	/* A CANCEL matching nothing. */
	rf_send(&f, "CANCEL", "sip:5550002@ringway.test", "z9hG4bKc2", NULL,
		NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 481);
	rf_send(&f, "BYE", "sip:5550002@ringway.test", "z9hG4bKc3", "t1", NULL);
	assert_int_equal(last_reply(&f, "x", NULL, 0), 481);
	rf_send(&f, "INVITE", "sip:5550002@ringway.test", "z9hG4bKc4", NULL,
		"Require: 100rel, foo\r\n");
	assert_int_equal(
		last_reply(&f, "\r\nUnsupported: ", line, sizeof(line)), 420);
	assert_string_equal(line, "\r\nUnsupported: 100rel, foo");
	assert_int_equal(rf_stats(&f)->other, 3);
	rf_free(&f);
}

/* A bad table entry is refused. */
static void test_bad_table(void **state)
{
	struct redirect_cfg cfg = {0};
	struct redirect *r;

	(void)state;
	add(&cfg, "", "sip:x@192.0.2.1", 1000);
	assert_int_equal(redirect_new(&r, &cfg), -EINVAL);
	assert_null(r);
	cfg.ncontacts = 0;
	add(&cfg, "x", "sip:x@192.0.2.1", 1001);
	assert_int_equal(redirect_new(&r, &cfg), -EINVAL);
	cfg.ncontacts = 0;
	assert_int_equal(redirect_new(&r, &cfg), 0);
	redirect_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_300_q_order),
		cmocka_unit_test(test_302_one),
		cmocka_unit_test(test_404_unknown),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_q_fmt),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_cancel_dialog_require),
		cmocka_unit_test(test_bad_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
