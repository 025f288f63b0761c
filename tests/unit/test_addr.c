/* test_addr.c - sip_addr_parse and sip_contact_parse.
 *
 * Every input sits right before a PROT_NONE page (guard_str, guard_bytes),
 * so any over-read crashes the test.  Header values are taken byte-exact
 * from the RFC 4475 messages where one exists.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sip/sip.h"
#include "testutil.h"

/* The value of the first header line starting with prefix (e.g. "To:") in
 * a test message, folded continuation lines included, copied before a
 * guard page. */
static struct guarded header_value_of(const char *rel, const char *prefix)
{
	struct guarded f = guard_testdata(rel, 0), g;
	const char *p = f.p, *e = f.p + f.len, *b;
	size_t n = strlen(prefix);

	for (;;) {
		if ((size_t)(e - p) < n)
			fail_msg("%s: no header %s", rel, prefix);
		if (memcmp(p, prefix, n) == 0)
			break;
		p = memchr(p, '\n', (size_t)(e - p));
		if (!p)
			fail_msg("%s: no header %s", rel, prefix);
		p++;
	}
	b = p += n;
	while (p < e) {
		if (*p == '\r' && e - p >= 3 && p[1] == '\n' &&
		    (p[2] == ' ' || p[2] == '\t')) {
			p += 3;
			continue;
		}
		if (*p == '\r')
			break;
		p++;
	}
	g = guard_bytes(b, (size_t)(p - b));
	guard_free(&f);
	return g;
}

static int addr(struct guarded *g, struct sip_addr *a, const char *s)
{
	*g = guard_str(s);
	return sip_addr_parse(a, guard_sv(g));
}

static void expect_addr_bad(const char *s)
{
	struct guarded g;
	struct sip_addr a;

	if (addr(&g, &a, s) != -EBADMSG)
		fail_msg("accepted invalid address \"%s\"", s);
	guard_free(&g);
}

static void expect_addr_ok(const char *s)
{
	struct guarded g;
	struct sip_addr a;

	if (addr(&g, &a, s) != 0)
		fail_msg("rejected valid address \"%s\"", s);
	guard_free(&g);
}

static void test_name_addr(void **state)
{
	struct guarded g;
	struct sip_addr a;
	struct sip_uri u;

	(void)state;
	assert_int_equal(
		addr(&g, &a, "\"Caller\" <sip:caller@[2001:db8::1]>;tag=81x2"),
		0);
	assert_sv(a.display, "\"Caller\"");
	assert_true(a.display_quoted);
	assert_true(a.angle);
	assert_sv(a.uri, "sip:caller@[2001:db8::1]");
	assert_sv(a.params, ";tag=81x2");
	assert_sv(a.tag, "81x2");
	assert_int_equal(sip_uri_parse(&u, a.uri), 0);
	assert_sv(u.host, "2001:db8::1");
	guard_free(&g);

	assert_int_equal(addr(&g, &a, "  Bob  Smith\t<sip:bob@h>  "), 0);
	assert_sv(a.display, "Bob  Smith");
	assert_false(a.display_quoted);
	assert_sv(a.uri, "sip:bob@h");
	assert_int_equal(a.params.len, 0);
	assert_int_equal(a.tag.len, 0);
	guard_free(&g);

	assert_int_equal(addr(&g, &a, "<sip:a@b>"), 0);
	assert_int_equal(a.display.len, 0);
	assert_false(a.display_quoted);
	assert_true(a.angle);
	assert_sv(a.uri, "sip:a@b");
	guard_free(&g);

	/* Empty quoted display name; first tag wins; names are
	 * case-insensitive. */
	assert_int_equal(addr(&g, &a, "\"\" <sip:a@b>;TAG=x;tag=y"), 0);
	assert_sv(a.display, "\"\"");
	assert_true(a.display_quoted);
	assert_sv(a.tag, "x");
	guard_free(&g);

	/* URI params stay in the URI inside <> (RFC 4475 cparam02). */
	assert_int_equal(
		addr(&g, &a, "<sip:+19725552222@gw1.example.net;unknownparam>"),
		0);
	assert_sv(a.uri, "sip:+19725552222@gw1.example.net;unknownparam");
	assert_int_equal(a.params.len, 0);
	guard_free(&g);

	/* Header params with quoted values holding '<', '>' and ','. */
	assert_int_equal(addr(&g, &a,
			      "<sip:a@b>;+sip.instance=\"<urn:uuid:1,2>\";"
			      "received=[::1];tag=t"),
			 0);
	assert_sv(a.uri, "sip:a@b");
	assert_sv(a.tag, "t");
	guard_free(&g);

	/* RFC 4475 regescrt: an escaped header inside <> is fine. */
	expect_addr_ok(
		"<sip:user@example.com?Route=%3Csip:sip.example.com%3E>");
	expect_addr_ok("Alexander <sip:a.g.bell@example.com>");
	expect_addr_ok("<tel:+1-201-555-0123>");
}

static void test_addr_spec(void **state)
{
	struct guarded g;
	struct sip_addr a;

	(void)state;
	/* RFC 4475 cparam01: the param is a header param. */
	assert_int_equal(
		addr(&g, &a, "sip:+19725552222@gw1.example.net;unknownparam"),
		0);
	assert_false(a.angle);
	assert_int_equal(a.display.len, 0);
	assert_sv(a.uri, "sip:+19725552222@gw1.example.net");
	assert_sv(a.params, ";unknownparam");
	assert_int_equal(a.tag.len, 0);
	guard_free(&g);

	assert_int_equal(addr(&g, &a, "sip:a@b"), 0);
	assert_sv(a.uri, "sip:a@b");
	assert_int_equal(a.params.len, 0);
	guard_free(&g);

	/* A quoted param value holding '<' does not start a name-addr. */
	assert_int_equal(addr(&g, &a, "sip:a@b;+sip.instance=\"<urn:x>\""), 0);
	assert_sv(a.uri, "sip:a@b");
	assert_false(a.angle);
	guard_free(&g);

	/* RFC 4475 unksm2 */
	assert_int_equal(addr(&g, &a, "isbn:2983792873"), 0);
	assert_sv(a.uri, "isbn:2983792873");
	guard_free(&g);
}

/* Values straight from the RFC 4475 messages. */
static void test_rfc4475_values(void **state)
{
	struct guarded g;
	struct sip_addr a;
	struct sip_uri u;

	(void)state;
	/* wsinv To: LWS around ';' and '='. */
	g = header_value_of("rfc4475/wsinv.dat", "TO :");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_false(a.angle);
	assert_sv(a.uri, "sip:vivekg@chair-dnrc.example.com");
	assert_sv(a.tag, "1918181833n");
	guard_free(&g);

	/* wsinv From: escaped quotes, folded params. */
	g = header_value_of("rfc4475/wsinv.dat", "from   :");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_sv(a.display, "\"J Rosenberg \\\\\\\"\"");
	assert_true(a.display_quoted);
	assert_sv(a.uri, "sip:jdrosen@example.com");
	assert_sv(a.tag, "98asjd8");
	guard_free(&g);

	/* intmeth To: quoted-pairs carrying BEL, NUL and DEL. */
	g = header_value_of("rfc4475/intmeth.dat", "To:");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_true(a.display_quoted);
	assert_int_equal(a.display.len, 22);
	assert_memory_equal(a.display.p, "\"BEL:\\\x07 NUL:\\\0 DEL:\\\x7f\"",
			    22);
	assert_sv(a.uri, "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@"
			 "example.com");
	assert_int_equal(sip_uri_parse(&u, a.uri), 0);
	guard_free(&g);

	/* intmeth From: token display names, odd param chars, UTF-8 in a
	 * quoted param value. */
	g = header_value_of("rfc4475/intmeth.dat", "From:");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_sv(a.display, "token1~` token2'+_ token3*%!.-");
	assert_false(a.display_quoted);
	assert_sv(a.uri, "sip:mundane@example.com");
	assert_sv(a.tag, "_token~1'+`*%!-.");
	guard_free(&g);

	/* lwsdisp: no LWS before '<'. */
	g = header_value_of("rfc4475/lwsdisp.dat", "From:");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_sv(a.display, "caller");
	assert_sv(a.tag, "323");
	guard_free(&g);

	/* longreq: a quoted display name right before '<'. */
	g = header_value_of("rfc4475/longreq.dat", "To:");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_true(a.display_quoted);
	assert_int_equal(sip_uri_parse(&u, a.uri), 0);
	assert_true(u.has_port);
	assert_int_equal(u.port, 6000);
	guard_free(&g);

	/* esc02: "%Z%45" is a literal display name. */
	g = header_value_of("rfc4475/esc02.dat", "From:");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_sv(a.display, "\"%Z%45\"");
	assert_sv(a.tag, "f232jadfj23");
	guard_free(&g);

	/* unksm2 */
	g = header_value_of("rfc4475/unksm2.dat", "From:");
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	assert_sv(a.uri, "http://www.example.com");
	assert_sv(a.tag, "3234233");
	guard_free(&g);

	/* Invalid ones. */
	static const struct {
		const char *file, *hdr;
	} bad[] = {
		{"rfc4475/quotbal.dat", "To:"},
		{"rfc4475/baddn.dat", "From:"},
		{"rfc4475/baddn.dat", "To:"},
		{"rfc4475/badaspec.dat", "To:"},
		{"rfc4475/regbadct.dat", "Contact:"},
		{"rfc4475/badinv01.dat", "Contact:"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		g = header_value_of(bad[i].file, bad[i].hdr);
		if (sip_addr_parse(&a, guard_sv(&g)) != -EBADMSG)
			fail_msg("%s %s accepted", bad[i].file, bad[i].hdr);
		guard_free(&g);
	}
}

static void test_addr_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"   ",
		"<>",
		"<sip:a@b",
		"sip:a@b>",
		"<sip:a@b>>",
		"<<sip:a@b>>",
		"<sip:<a@b>>",
		"< sip:a@b>",
		"<sip:a@b >",
		"<sip:a @b>",
		"\"a\" b <sip:a@b>",
		"\"a\" sip:a@b",
		"\"a\"",
		"\"a",
		"\"a\\",
		"\"a\\\" <sip:a@b>",
		"\"a\x01\" <sip:a@b>",
		"\"a\x7f\" <sip:a@b>",
		"\"a\\\n\" <sip:a@b>",
		"<sip:a@b> x",
		"<sip:a@b>x",
		"<sip:a@b>,",
		"<sip:a@b>;",
		"<sip:a@b>;;",
		"<sip:a@b>;;tag=1",
		"<sip:a@b>;=x",
		"<sip:a@b>;tag",
		"<sip:a@b>;tag=",
		"<sip:a@b>;tag=\"x\"",
		"<sip:a@b>;tag=a:b",
		"<sip:a@b>;x=a,b",
		"<sip:a@b>;x=\"a",
		"<sip:a@b>;x=",
		"<sip:a@b>;a/b=1",
		"<sip:a@b>;x=<y>",
		"sip:a,b@c",
		"sip:a@c?x=y",
		"sip:a@b x",
		"sip:a\"b@c",
		"Bell",
		"Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
		"Bell,",
		"*",
		"*;q=1",
		"<*>",
		"<:a>",
		"<1a:b>",
		"a@b <sip:a@b>",
		"a:b <sip:a@b>",
		"\xc3\xa9 <sip:a@b>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_addr_bad(bad[i]);
}

static void test_addr_nul(void **state)
{
	struct guarded g;
	struct sip_addr a;

	(void)state;
	/* A raw NUL is not allowed in a quoted string, only after '\'. */
	g = guard_bytes("\"a\0\" <sip:a@b>", 14);
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), -EBADMSG);
	guard_free(&g);
	g = guard_bytes("\"a\\\0\" <sip:a@b>", 15);
	assert_int_equal(sip_addr_parse(&a, guard_sv(&g)), 0);
	guard_free(&g);
	assert_int_equal(sip_addr_parse(&a, SV_NULL), -EBADMSG);
}

static int contact(struct guarded *g, struct sip_contact *c, const char *s)
{
	*g = guard_str(s);
	return sip_contact_parse(c, guard_sv(g));
}

static void test_contact_star(void **state)
{
	struct guarded g;
	struct sip_contact c;

	(void)state;
	assert_int_equal(contact(&g, &c, "*"), 0);
	assert_true(c.star);
	assert_int_equal(c.q, 1000);
	assert_false(c.has_q);
	assert_false(c.has_expires);
	guard_free(&g);

	assert_int_equal(contact(&g, &c, " \t*\r\n "), 0);
	assert_true(c.star);
	guard_free(&g);

	assert_int_equal(contact(&g, &c, "*;expires=0"), -EBADMSG);
	guard_free(&g);
	assert_int_equal(contact(&g, &c, "**"), -EBADMSG);
	guard_free(&g);
	assert_int_equal(contact(&g, &c, ""), -EBADMSG);
	guard_free(&g);
}

static void test_contact_q(void **state)
{
	static const struct {
		const char *q;
		int want; /* -1: invalid */
	} cases[] = {
		{"0", 0},	{"1", 1000},	{"0.5", 500},	 {"0.33", 330},
		{"0.001", 1},	{"0.999", 999}, {"1.000", 1000}, {"1.", 1000},
		{"0.", 0},	{"1.0", 1000},	{"1.001", -1},	 {"1.1", -1},
		{"2", -1},	{"0.1234", -1}, {".5", -1},	 {"01", -1},
		{"-0", -1},	{"0,5", -1},	{"\"0.5\"", -1}, {"0.5a", -1},
		{"1.0000", -1}, {"0x1", -1},
	};
	char buf[64];
	struct guarded g;
	struct sip_contact c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "<sip:a@b>;q=%s", cases[i].q);
		if (cases[i].want < 0) {
			if (contact(&g, &c, buf) != -EBADMSG)
				fail_msg("accepted %s", buf);
		} else {
			if (contact(&g, &c, buf) != 0)
				fail_msg("rejected %s", buf);
			assert_true(c.has_q);
			assert_int_equal(c.q, cases[i].want);
		}
		guard_free(&g);
	}

	/* Absent, bare, first one wins. */
	assert_int_equal(contact(&g, &c, "<sip:a@b>"), 0);
	assert_false(c.has_q);
	assert_int_equal(c.q, 1000);
	assert_false(c.star);
	guard_free(&g);
	assert_int_equal(contact(&g, &c, "<sip:a@b>;q"), -EBADMSG);
	guard_free(&g);
	assert_int_equal(contact(&g, &c, "<sip:a@b>;Q=0.1;q=0.2"), 0);
	assert_int_equal(c.q, 100);
	guard_free(&g);
	/* Without <>, q is a header param too. */
	assert_int_equal(contact(&g, &c, "sip:a@b;q=0.7"), 0);
	assert_sv(c.addr.uri, "sip:a@b");
	assert_int_equal(c.q, 700);
	guard_free(&g);
	/* Inside <> it belongs to the URI. */
	assert_int_equal(contact(&g, &c, "<sip:a@b;q=0.7>"), 0);
	assert_false(c.has_q);
	guard_free(&g);
}

static void test_contact_expires(void **state)
{
	static const struct {
		const char *v;
		long long want; /* -1: bad (not an error) */
	} cases[] = {
		{"3600", 3600},	    {"0", 0},
		{"0068", 68},	    {"4294967295", 4294967295LL},
		{"4294967296", -1}, {"280297596632815", -1},
		{"abc", -1},	    {"-1", -1},
		{"1.5", -1},	    {"\"60\"", -1},
	};
	char buf[64];
	struct guarded g;
	struct sip_contact c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "<sip:a@b>;expires=%s", cases[i].v);
		if (contact(&g, &c, buf) != 0)
			fail_msg("rejected %s", buf);
		if (cases[i].want < 0) {
			assert_true(c.expires_bad);
			assert_false(c.has_expires);
		} else {
			assert_false(c.expires_bad);
			assert_true(c.has_expires);
			assert_int_equal(c.expires, cases[i].want);
		}
		guard_free(&g);
	}

	assert_int_equal(contact(&g, &c, "<sip:a@b>"), 0);
	assert_false(c.has_expires);
	assert_false(c.expires_bad);
	guard_free(&g);
	assert_int_equal(contact(&g, &c, "<sip:a@b>;expires"), 0);
	assert_true(c.expires_bad);
	guard_free(&g);
	assert_int_equal(contact(&g, &c, "<sip:a@b>;EXPIRES = 30 ;expires=40"),
			 0);
	assert_true(c.has_expires);
	assert_int_equal(c.expires, 30);
	guard_free(&g);
}

static void test_contact_rfc4475(void **state)
{
	struct guarded g;
	struct sip_contact c;

	(void)state;
	/* wsinv: "; q = 0.33" after folded params. */
	g = header_value_of("rfc4475/wsinv.dat", "m:");
	assert_int_equal(sip_contact_parse(&c, guard_sv(&g)), 0);
	assert_sv(c.addr.display, "\"Quoted string \\\"\\\"\"");
	assert_sv(c.addr.uri, "sip:jdrosen@example.com");
	assert_true(c.has_q);
	assert_int_equal(c.q, 330);
	guard_free(&g);

	/* scalar02: expires > 2^32-1 is not an error. */
	g = header_value_of("rfc4475/scalar02.dat", "Contact:");
	assert_int_equal(sip_contact_parse(&c, guard_sv(&g)), 0);
	assert_true(c.expires_bad);
	assert_false(c.has_expires);
	guard_free(&g);

	/* esc01: folded value, escapes in the URI. */
	g = header_value_of("rfc4475/esc01.dat", "Contact:");
	assert_int_equal(sip_contact_parse(&c, guard_sv(&g)), 0);
	assert_sv(c.addr.uri, "sip:cal%6Cer@host5.example.net;%6C%72;"
			      "n%61me=v%61lue%25%34%31");
	guard_free(&g);

	/* badinv01: stray ';' */
	g = header_value_of("rfc4475/badinv01.dat", "Contact:");
	assert_int_equal(sip_contact_parse(&c, guard_sv(&g)), -EBADMSG);
	guard_free(&g);

	/* regbadct: '?' without <> */
	g = header_value_of("rfc4475/regbadct.dat", "Contact:");
	assert_int_equal(sip_contact_parse(&c, guard_sv(&g)), -EBADMSG);
	guard_free(&g);
}

/* A Contact list split with sip_list_next, as callers do. */
static void test_contact_list(void **state)
{
	struct guarded g = guard_str(
		"<sip:a@b>;q=0.1, \"x, y\" <sip:c@d>;expires=60 ,sip:e@f;q=1");
	struct sv rest = guard_sv(&g), item;
	struct sip_contact c[4];
	int n = 0;

	(void)state;
	while (n < 4 && sip_list_next(&rest, &item) == 1)
		assert_int_equal(sip_contact_parse(&c[n++], item), 0);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].q, 100);
	assert_sv(c[1].addr.display, "\"x, y\"");
	assert_int_equal(c[1].expires, 60);
	assert_sv(c[2].addr.uri, "sip:e@f");
	assert_int_equal(c[2].q, 1000);
	guard_free(&g);

	/* RFC 4475 baddn split at its comma: both pieces, or the whole,
	 * must not yield "Bell" as an address. */
	g = guard_str("Bell, Alexander <sip:a.g.bell@example.com>;tag=43");
	rest = guard_sv(&g);
	assert_int_equal(sip_list_next(&rest, &item), 1);
	assert_int_equal(sip_contact_parse(&c[0], item), -EBADMSG);
	guard_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_addr),
		cmocka_unit_test(test_addr_spec),
		cmocka_unit_test(test_rfc4475_values),
		cmocka_unit_test(test_addr_bad),
		cmocka_unit_test(test_addr_nul),
		cmocka_unit_test(test_contact_star),
		cmocka_unit_test(test_contact_q),
		cmocka_unit_test(test_contact_expires),
		cmocka_unit_test(test_contact_rfc4475),
		cmocka_unit_test(test_contact_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
