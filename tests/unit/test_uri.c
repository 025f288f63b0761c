/* test_uri.c - sip_uri_parse, sip_unescape, sip_uri_equal.
 *
 * Every input sits right before a PROT_NONE page (guard_str), so any
 * over-read crashes the test.
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

/* Parse s from a guarded copy; the caller frees g after using u. */
static int parse(struct guarded *g, struct sip_uri *u, const char *s)
{
	*g = guard_str(s);
	return sip_uri_parse(u, guard_sv(g));
}

static void expect_ok(const char *s)
{
	struct guarded g;
	struct sip_uri u;

	if (parse(&g, &u, s) != 0)
		fail_msg("rejected valid URI \"%s\"", s);
	if (!sip_uri_equal(&u, &u))
		fail_msg("URI \"%s\" does not equal itself", s);
	guard_free(&g);
}

static void expect_bad(const char *s)
{
	struct guarded g;
	struct sip_uri u;

	if (parse(&g, &u, s) != -EBADMSG)
		fail_msg("accepted invalid URI \"%s\"", s);
	guard_free(&g);
}

static void test_all_fields(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	assert_int_equal(
		parse(&g, &u,
		      "sip:alice:secret@atlanta.com:5061;transport=tcp;"
		      "user=phone;maddr=239.255.255.1;ttl=15;method=INVITE;lr;"
		      "foo=bar?subject=project%20x&priority=urgent"),
		0);
	assert_int_equal(u.kind, SIP_SCHEME_SIP);
	assert_sv(u.raw, "sip:alice:secret@atlanta.com:5061;transport=tcp;"
			 "user=phone;maddr=239.255.255.1;ttl=15;method=INVITE;"
			 "lr;foo=bar?subject=project%20x&priority=urgent");
	assert_sv(u.scheme, "sip");
	assert_sv(u.user, "alice");
	assert_sv(u.password, "secret");
	assert_sv(u.host, "atlanta.com");
	assert_false(u.host_ipv6);
	assert_true(u.has_port);
	assert_int_equal(u.port, 5061);
	assert_sv(u.params, ";transport=tcp;user=phone;maddr=239.255.255.1;"
			    "ttl=15;method=INVITE;lr;foo=bar");
	assert_sv(u.headers, "subject=project%20x&priority=urgent");
	assert_sv(u.transport, "tcp");
	assert_sv(u.user_param, "phone");
	assert_sv(u.maddr, "239.255.255.1");
	assert_sv(u.ttl, "15");
	assert_sv(u.method, "INVITE");
	assert_true(u.lr);
	assert_int_equal(u.opaque.len, 0);
	guard_free(&g);
}

static void test_minimal(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	assert_int_equal(parse(&g, &u, "sip:example.com"), 0);
	assert_sv(u.host, "example.com");
	assert_int_equal(u.user.len, 0);
	assert_int_equal(u.password.len, 0);
	assert_false(u.has_port);
	assert_int_equal(u.port, 0);
	assert_int_equal(u.params.len, 0);
	assert_int_equal(u.headers.len, 0);
	assert_false(u.lr);
	assert_int_equal(u.transport.len, 0);
	guard_free(&g);

	/* A host with params but no user; a bare "lr". */
	assert_int_equal(parse(&g, &u, "sip:p1.example.com;lr"), 0);
	assert_sv(u.host, "p1.example.com");
	assert_sv(u.params, ";lr");
	assert_true(u.lr);
	guard_free(&g);

	/* IPv4 host, port, headers without params. */
	assert_int_equal(parse(&g, &u, "sip:192.0.2.4:0?h=v"), 0);
	assert_sv(u.host, "192.0.2.4");
	assert_true(u.has_port);
	assert_int_equal(u.port, 0);
	assert_sv(u.headers, "h=v");
	guard_free(&g);

	assert_int_equal(parse(&g, &u, "sip:h:65535"), 0);
	assert_int_equal(u.port, 65535);
	guard_free(&g);

	/* An empty password after ':' and an empty header value. */
	assert_int_equal(parse(&g, &u, "sip:a:@h?x="), 0);
	assert_sv(u.user, "a");
	assert_int_equal(u.password.len, 0);
	assert_sv(u.headers, "x=");
	guard_free(&g);
}

static void test_scheme_case(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	assert_int_equal(parse(&g, &u, "SIP:Bob@Biloxi.COM"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_SIP);
	assert_sv(u.scheme, "SIP");
	assert_sv(u.user, "Bob");
	assert_sv(u.host, "Biloxi.COM");
	guard_free(&g);

	assert_int_equal(parse(&g, &u, "sIpS:bob@biloxi.com"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_SIPS);
	guard_free(&g);
}

/* The first occurrence of a parameter wins; names match unescaped. */
static void test_param_fields(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	/* RFC 4475 esc01 Contact: ";%6C%72" is "lr". */
	assert_int_equal(parse(&g, &u,
			       "sip:cal%6Cer@host5.example.net;%6C%72;"
			       "n%61me=v%61lue%25%34%31"),
			 0);
	assert_sv(u.user, "cal%6Cer");
	assert_true(u.lr);
	assert_sv(u.params, ";%6C%72;n%61me=v%61lue%25%34%31");
	guard_free(&g);

	assert_int_equal(parse(&g, &u,
			       "sip:h;TRANSPORT=udp;transport=tcp;Maddr=x;"
			       "uSeR;ttl=1;lR=on"),
			 0);
	assert_sv(u.transport, "udp");
	assert_sv(u.maddr, "x");
	assert_non_null(u.user_param.p); /* present without a value */
	assert_int_equal(u.user_param.len, 0);
	assert_sv(u.ttl, "1");
	assert_true(u.lr);
	guard_free(&g);

	/* The param chars of §25.1: "[]/:&+$" and escapes. */
	expect_ok("sip:h;a=[x]/:&+$;b%20c=%41");
	expect_ok("sip:h;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
}

/* RFC 5118: IPv6 references. */
static void test_ipv6(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	/* §4.1 */
	assert_int_equal(parse(&g, &u, "sip:[2001:db8::10]"), 0);
	assert_sv(u.host, "2001:db8::10");
	assert_true(u.host_ipv6);
	assert_false(u.has_port);
	guard_free(&g);

	/* §4.3: the whole bracket content is the address, no port. */
	assert_int_equal(parse(&g, &u, "sip:[2001:db8::10:5070]"), 0);
	assert_sv(u.host, "2001:db8::10:5070");
	assert_false(u.has_port);
	assert_int_equal(u.port, 0);
	guard_free(&g);

	/* §4.4 */
	assert_int_equal(parse(&g, &u, "sip:[2001:db8::10]:5070"), 0);
	assert_sv(u.host, "2001:db8::10");
	assert_true(u.has_port);
	assert_int_equal(u.port, 5070);
	guard_free(&g);

	/* §4.9 */
	assert_int_equal(parse(&g, &u, "sip:ted@[::ffff:192.0.2.2]"), 0);
	assert_sv(u.user, "ted");
	assert_sv(u.host, "::ffff:192.0.2.2");
	guard_free(&g);

	/* §4.10: three colons must be tolerated, two are correct. */
	assert_int_equal(parse(&g, &u, "sip:user@[2001:db8:::192.0.2.1]"), 0);
	assert_sv(u.host, "2001:db8:::192.0.2.1");
	guard_free(&g);
	assert_int_equal(parse(&g, &u, "sip:user@[2001:db8::192.0.2.1]"), 0);
	assert_sv(u.host, "2001:db8::192.0.2.1");
	guard_free(&g);

	assert_int_equal(parse(&g, &u, "sips:[::1]:5061;transport=tls"), 0);
	assert_sv(u.host, "::1");
	assert_int_equal(u.port, 5061);
	assert_sv(u.transport, "tls");
	guard_free(&g);

	/* §4.2: no brackets -> "db8::10" is no port. */
	expect_bad("sip:2001:db8::10");
	expect_bad("sip:[::1");
	expect_bad("sip:[]");
	expect_bad("sip:[1]");
	expect_bad("sip:[:1]");
	expect_bad("sip:[::g]");
	expect_bad("sip:[::1]x");
	expect_bad("sip:[::1]:");
	expect_bad("sip:[::1]:99999");
	expect_bad("sip:[::1%25eth0]");
	expect_bad("sip:[0000:0000:0000:0000:0000:0000:0000:0000:0000:1]");
	expect_ok("sip:[0000:0000:0000:0000:0000:ffff:255.255.255.255]");
}

/* The first request line token of a data file, as the scanner would hand
 * it over, copied before a guard page. */
static struct guarded request_uri_of(const char *rel, int lf_to_crlf)
{
	struct guarded f = guard_testdata(rel, lf_to_crlf), g;
	const char *p = f.p, *e = f.p + f.len, *b;

	while (p < e && *p != ' ')
		p++;
	b = ++p;
	while (p < e && *p != ' ')
		p++;
	g = guard_bytes(b, (size_t)(p - b));
	guard_free(&f);
	return g;
}

static void test_rfc5118_files(void **state)
{
	static const struct {
		const char *file, *host;
		int port;
	} cases[] = {
		{"rfc5118/ipv6-good.dat", "2001:db8::10", -1},
		{"rfc5118/port-ambiguous.dat", "2001:db8::10:5070", -1},
		{"rfc5118/port-unambiguous.dat", "2001:db8::10", 5070},
		{"rfc5118/ipv6-bug-abnf-3-colons.dat", "2001:db8:::192.0.2.1",
		 -1},
		{"rfc5118/ipv6-correct-abnf-2-colons.dat",
		 "2001:db8::192.0.2.1", -1},
		{"rfc5118/ipv6-in-sdp.dat", "2001:db8::10", -1},
		{"rfc5118/via-received-param-no-delim.dat", "2001:db8::10", -1},
		{"rfc5118/mult-ip-in-header.dat", "host.example.net", -1},
	};
	struct guarded g;
	struct sip_uri u;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		g = request_uri_of(cases[i].file, 1);
		assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), 0);
		assert_sv(u.host, cases[i].host);
		assert_int_equal(u.has_port, cases[i].port >= 0);
		if (cases[i].port >= 0)
			assert_int_equal(u.port, cases[i].port);
		assert_true(sip_uri_equal(&u, &u));
		guard_free(&g);
	}
	/* §4.2: the only invalid message. */
	g = request_uri_of("rfc5118/ipv6-bad.dat", 1);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), -EBADMSG);
	guard_free(&g);
}

static void test_rfc4475_uris(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	/* intmeth: '?', ',', '/', ';' and '*' in the user, a password full of
	 * marks. */
	g = request_uri_of("rfc4475/intmeth.dat", 0);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), 0);
	assert_sv(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
	assert_sv(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
	assert_sv(u.host, "example.com");
	assert_int_equal(u.params.len, 0);
	assert_int_equal(u.headers.len, 0);
	guard_free(&g);

	/* semiuri */
	g = request_uri_of("rfc4475/semiuri.dat", 0);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), 0);
	assert_sv(u.user, "user;par=u%40example.net");
	assert_sv(u.host, "example.com");
	assert_int_equal(u.params.len, 0);
	guard_free(&g);

	/* esc01: escapes stay in the view. */
	g = request_uri_of("rfc4475/esc01.dat", 0);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), 0);
	assert_sv(u.user, "sips%3Auser%40example.com");
	assert_sv(u.host, "example.net");
	assert_int_equal(u.kind, SIP_SCHEME_SIP);
	guard_free(&g);

	/* escruri: syntactically a URI with a header (sip_msg_check is the
	 * one that refuses headers in a Request-URI). */
	g = request_uri_of("rfc4475/escruri.dat", 0);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), 0);
	assert_sv(u.headers, "Route=%3Csip:example.com%3E");
	guard_free(&g);

	/* unkscm, novelsc: other schemes are opaque. */
	g = request_uri_of("rfc4475/unkscm.dat", 0);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), 0);
	assert_int_equal(u.kind, SIP_SCHEME_OTHER);
	assert_sv(u.scheme, "nobodyKnowsThisScheme");
	assert_sv(u.opaque, "totallyopaquecontent");
	guard_free(&g);

	g = request_uri_of("rfc4475/novelsc.dat", 0);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), 0);
	assert_int_equal(u.kind, SIP_SCHEME_OTHER);
	assert_sv(u.scheme, "soap.beep");
	assert_sv(u.opaque, "//192.0.2.103:3002");
	guard_free(&g);

	/* ltgtruri */
	g = request_uri_of("rfc4475/ltgtruri.dat", 0);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), -EBADMSG);
	guard_free(&g);

	/* lwsruri, as one string. */
	expect_bad("sip:user@example.com; lr");
	expect_bad("sip:user@example.com;");
}

static void test_escapes(void **state)
{
	struct guarded g, in;
	struct sip_uri u;
	char buf[64];

	(void)state;
	/* RFC 4475 esc01: decoded once, "sips:user@example.com". */
	assert_int_equal(parse(&g, &u,
			       "sip:sips%3Auser%40example.com@"
			       "example.net"),
			 0);
	assert_int_equal(sip_unescape(buf, sizeof(buf), u.user), 21);
	assert_memory_equal(buf, "sips:user@example.com", 21);
	guard_free(&g);

	/* RFC 4475 escnull: the NUL does not cut the user short. */
	assert_int_equal(parse(&g, &u, "sip:null-%00-null@example.com"), 0);
	assert_sv(u.user, "null-%00-null");
	assert_int_equal(sip_unescape(buf, sizeof(buf), u.user), 11);
	assert_memory_equal(buf, "null-\0-null", 11);
	guard_free(&g);
	in = guard_str("sip:null-%00-null@example.com");
	assert_int_equal(sip_unescape(buf, sizeof(buf), guard_sv(&in)), 27);
	assert_memory_equal(buf, "sip:null-\0-null@example.com", 27);
	guard_free(&in);
	in = guard_str("null-%00-null@");
	assert_int_equal(sip_unescape(buf, sizeof(buf), guard_sv(&in)), 12);
	guard_free(&in);
	in = guard_str("%00%00");
	assert_int_equal(sip_unescape(buf, sizeof(buf), guard_sv(&in)), 2);
	assert_memory_equal(buf, "\0\0", 2);
	guard_free(&in);

	/* esc01: "value%2541" is "value%41", never "valueA". */
	in = guard_str("v%61lue%25%34%31");
	assert_int_equal(sip_unescape(buf, sizeof(buf), guard_sv(&in)), 8);
	assert_memory_equal(buf, "value%41", 8);
	guard_free(&in);

	/* Exact fit, too small, empty. */
	in = guard_str("a%2fB");
	assert_int_equal(sip_unescape(buf, 3, guard_sv(&in)), 3);
	assert_memory_equal(buf, "a/B", 3);
	assert_int_equal(sip_unescape(buf, 2, guard_sv(&in)), -ENOSPC);
	guard_free(&in);
	assert_int_equal(sip_unescape(NULL, 0, SV("")), 0);
	assert_int_equal(sip_unescape(NULL, 0, SV_NULL), 0);

	/* Broken escapes, at the very end of the input too. */
	static const char *const bad[] = {"%",	 "a%",	 "a%4",	 "%G1",
					  "%1G", "%%41", "abc%4"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in = guard_str(bad[i]);
		assert_int_equal(sip_unescape(buf, sizeof(buf), guard_sv(&in)),
				 -EBADMSG);
		/* A bad escape is reported even when dst is too small. */
		assert_int_equal(sip_unescape(buf, 0, guard_sv(&in)), -EBADMSG);
		guard_free(&in);
	}

	/* Broken escapes make the URI invalid. */
	expect_bad("sip:a%4@h");
	expect_bad("sip:a%@h");
	expect_bad("sip:a@h;x=%zz");
	expect_bad("sip:a@h;x=%4");
	expect_bad("sip:a@h?x=%4");
	expect_bad("sip:a:%g0@h");
}

static void test_tel(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	assert_int_equal(parse(&g, &u, "tel:+1-201-555-0123"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_TEL);
	assert_sv(u.scheme, "tel");
	assert_sv(u.user, "+1-201-555-0123");
	assert_int_equal(u.host.len, 0);
	assert_int_equal(u.params.len, 0);
	guard_free(&g);

	assert_int_equal(parse(&g, &u, "TEL:7042;phone-context=example.com"),
			 0);
	assert_int_equal(u.kind, SIP_SCHEME_TEL);
	assert_sv(u.user, "7042");
	assert_sv(u.params, ";phone-context=example.com");
	guard_free(&g);

	expect_ok("tel:+1(201)555.0123;ext=22;isub=x%20y");
	expect_ok("tel:*61#;phone-context=+1");
	expect_ok("tel:1aF;phone-context=example.com");

	expect_bad("tel:");
	expect_bad("tel:+");
	expect_bad("tel:-");
	expect_bad("tel:;ext=1");
	expect_bad("tel:+12a");
	expect_bad("tel:+1#");
	expect_bad("tel:xyz");
	expect_bad("tel:1 2");
	expect_bad("tel:+1;;ext=1");
	expect_bad("tel:+1;ext=1;");
	expect_bad("tel:+1?x=y");
}

static void test_other_schemes(void **state)
{
	struct guarded g;
	struct sip_uri u;

	(void)state;
	assert_int_equal(parse(&g, &u, "http://www.example.com"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_OTHER);
	assert_sv(u.scheme, "http");
	assert_sv(u.opaque, "//www.example.com");
	assert_int_equal(u.host.len, 0);
	guard_free(&g);

	/* RFC 4475 unksm2 */
	expect_ok("isbn:2983792873");
	expect_ok("name:John_Smith");
	expect_ok("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
	expect_ok("x+y-z.1:a");
	expect_ok("mailto:a@b?subject=x%20y");

	expect_bad("http:");
	expect_bad("http://a b");
	expect_bad("http://a\tb");
	expect_bad("x:<a>");
	expect_bad("x:a>");
	expect_bad("x:\x7f");
	expect_bad("x:\xc3\xa9");
	expect_bad("1abc:x");
	expect_bad(":x");
	expect_bad("+x:y");
	expect_bad("ab");
	expect_bad("a_b:c");
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"sip",
		"sip:",
		"sip:@",
		"sip:@host",
		"sip::pw@host",
		"sip:user@",
		"sip:user@:5060",
		"sip:host:",
		"sip:host:99999",
		"sip:host:65536",
		"sip:host:-1",
		"sip:host:5060x",
		"sip:host:50 60",
		" sip:host",
		"sip:host ",
		"sip: host",
		"sip:us er@host",
		"sip:user@ho st",
		"sip:user@host\r\n",
		"sip:user@host;lr ",
		"sip:<user@host>",
		"<sip:user@host>",
		"sip:user@host>",
		"sip:us<er@host",
		"sip:user@host;a=<b>",
		"sip:user@host?a=<b>",
		"sip:a@b@c",
		"sip:a\"b@c",
		"sip:a@b/c",
		"sip:a@b;;lr",
		"sip:a@b;=x",
		"sip:a@b;x=",
		"sip:a@b;x==y",
		"sip:a@b;x=y=z",
		"sip:a@b;x=\"y\"",
		"sip:a@b?",
		"sip:a@b?x",
		"sip:a@b?=y",
		"sip:a@b?x=y&",
		"sip:a@b?x=y&&z=w",
		"sip:a@b?x=y=z",
		"sip:a:b:c@host",
		"sip:a@b:5060:5060",
		"sip:a@b:5060@c",
		"sip:\x80@host",
	};
	struct guarded g;
	struct sip_uri u;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i]);

	/* An embedded NUL (guard_str would stop at it). */
	g = guard_bytes("sip:a@h\0st", 10);
	assert_int_equal(sip_uri_parse(&u, guard_sv(&g)), -EBADMSG);
	guard_free(&g);
	/* A NULL view. */
	assert_int_equal(sip_uri_parse(&u, SV_NULL), -EBADMSG);
}

/* Valid odds and ends (some only valid because '?' and ';' may be in the
 * user part once an '@' follows). */
static void test_good(void **state)
{
	static const char *const good[] = {
		"sip:a@b",
		"sip:h",
		"sip:h.",
		"sip:1.2.3.4",
		"sip:a-b.c-d.example",
		"sip:b?x=c@d",
		"sip:host;param=a:b@c",
		"sip:&=+$,;?/-_.!~*'():passwd@some.host.com:5555;transport=tcp",
		"sip:the_user:-_.!~*'()&=+$,@some.host.com:5555;transport=tcp",
		"sip:h;x=y?a=b&c=d&e=",
		"sip:h?a=[x]/?:+$",
		"sip:+12125551212@gw.example.com;user=phone",
		"sip:alice;day=tuesday@atlanta.com",
		"sip:host:00000000000000000000001",
		/* '_' is not a §25.1 hostname character, but real networks
		 * use it (container and SRV-style names): tolerated. */
		"sip:a@b_c",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		expect_ok(good[i]);
}

/* Parse both and compare, both ways. */
static bool equal(const char *a, const char *b)
{
	struct guarded ga, gb;
	struct sip_uri ua, ub;
	bool ab, ba;

	if (parse(&ga, &ua, a) != 0)
		fail_msg("cannot parse \"%s\"", a);
	if (parse(&gb, &ub, b) != 0)
		fail_msg("cannot parse \"%s\"", b);
	ab = sip_uri_equal(&ua, &ub);
	ba = sip_uri_equal(&ub, &ua);
	if (ab != ba)
		fail_msg("asymmetric: \"%s\" vs \"%s\"", a, b);
	guard_free(&ga);
	guard_free(&gb);
	return ab;
}

static void expect_equal(const char *a, const char *b)
{
	if (!equal(a, b))
		fail_msg("\"%s\" should equal \"%s\"", a, b);
}

static void expect_differ(const char *a, const char *b)
{
	if (equal(a, b))
		fail_msg("\"%s\" should differ from \"%s\"", a, b);
}

/* RFC 3261 §19.1.4, the examples. */
static void test_equal_rfc3261(void **state)
{
	(void)state;
	/* "The URIs within each of the following sets are equivalent" */
	expect_equal("sip:%61lice@atlanta.com;transport=TCP",
		     "sip:alice@AtLanTa.CoM;Transport=tcp");
	expect_equal("sip:carol@chicago.com",
		     "sip:carol@chicago.com;newparam=5");
	expect_equal("sip:carol@chicago.com",
		     "sip:carol@chicago.com;security=on");
	expect_equal("sip:carol@chicago.com;newparam=5",
		     "sip:carol@chicago.com;security=on");
	expect_equal("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:"
		     "bob%40biloxi.com",
		     "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:"
		     "bob%40biloxi.com");
	expect_equal("sip:alice@atlanta.com?subject=project%20x&priority="
		     "urgent",
		     "sip:alice@atlanta.com?priority=urgent&subject=project%"
		     "20x");

	/* "The URIs within each of the following sets are not equivalent" */
	expect_differ("SIP:ALICE@AtLanTa.CoM;Transport=udp",
		      "sip:alice@AtLanTa.CoM;Transport=UDP");
	expect_differ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060");
	expect_differ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp");
	expect_differ("sip:bob@biloxi.com",
		      "sip:bob@biloxi.com:6000;transport=tcp");
	expect_differ("sip:carol@chicago.com",
		      "sip:carol@chicago.com?Subject=next%20meeting");
	expect_differ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4");
}

static void test_equal_more(void **state)
{
	(void)state;
	/* Scheme: case-insensitive, but sip never equals sips. */
	expect_equal("SIP:a@h", "sip:a@h");
	expect_differ("sip:a@h", "sips:a@h");
	/* userinfo is case-sensitive, compared unescaped. */
	expect_differ("sip:a@h", "sip:A@h");
	expect_equal("sip:%41@h", "sip:A@h");
	expect_equal("sip:%7e@h", "sip:%7E@h");
	expect_differ("sip:%61@h", "sip:%41@h");
	expect_differ("sip:a@h", "sip:h");
	expect_differ("sip:a:x@h", "sip:a@h");
	expect_differ("sip:a:x@h", "sip:a:X@h");
	expect_equal("sip:a:%78@h", "sip:a:x@h");
	/* Escaped reserved characters differ from the raw ones. */
	expect_differ("sip:a%3Bb@h", "sip:a;b@h");
	expect_equal("sip:a%3Bb@h", "sip:a%3bb@h");
	/* Never recursively: %2541 is "%41", not "A". */
	expect_differ("sip:v%2541@h", "sip:vA@h");
	expect_differ("sip:v%2541@h", "sip:v%41@h");
	/* NULs count (RFC 4475 escnull registers two contacts). */
	expect_differ("sip:%00@h", "sip:%00%00@h");
	/* Host, port. */
	expect_equal("sip:a@[2001:DB8::1]", "sip:a@[2001:db8::1]");
	expect_differ("sip:a@h:5060", "sip:a@h:5061");
	expect_equal("sip:a@h:05060", "sip:a@h:5060");
	/* Must-match parameters, both ways. */
	expect_differ("sip:a@h;user=phone", "sip:a@h");
	expect_differ("sip:a@h;ttl=1", "sip:a@h");
	expect_differ("sip:a@h;method=INVITE", "sip:a@h");
	expect_differ("sip:a@h", "sip:a@h;maddr=1.2.3.4");
	expect_differ("sip:a@h;maddr=x", "sip:a@h;maddr=y");
	expect_equal("sip:a@h;maddr=X", "sip:a@h;MADDR=x");
	expect_equal("sip:a@h;%6Daddr=x", "sip:a@h;maddr=x");
	/* Other parameters: only if in both.  lr is one of them. */
	expect_equal("sip:a@h;lr", "sip:a@h");
	expect_equal("sip:a@h;lr;x=1", "sip:a@h;y=2;lr");
	expect_differ("sip:a@h;x=1", "sip:a@h;x=2");
	expect_differ("sip:a@h;x", "sip:a@h;x=1");
	expect_equal("sip:a@h;x=ABC", "sip:a@h;X=abc");
	expect_equal("sip:a@h;x=%41", "sip:a@h;x=a");
	/* Duplicates: the first one counts. */
	expect_equal("sip:a@h;x=1;x=2", "sip:a@h;x=1;x=2");
	expect_equal("sip:a@h;x=1;x=2", "sip:a@h;x=1");
	expect_differ("sip:a@h;x=2;x=1", "sip:a@h;x=1");
	/* Headers: never ignored, order-free, counted. */
	expect_differ("sip:a@h?x=1", "sip:a@h");
	expect_differ("sip:a@h?x=1", "sip:a@h?x=2");
	expect_differ("sip:a@h?x=a", "sip:a@h?x=A");
	expect_equal("sip:a@h?X=a", "sip:a@h?x=a");
	expect_equal("sip:a@h?x=1&y=2&x=3", "sip:a@h?x=3&x=1&y=2");
	expect_differ("sip:a@h?x=1&x=1", "sip:a@h?x=1");
	expect_differ("sip:a@h?x=1&x=1&y=2", "sip:a@h?x=1&y=2&y=2");
	expect_equal("sip:a@h?x=", "sip:a@h?x=");
	/* tel: separators ignored, all parameters in both. */
	expect_equal("tel:+1-201-555-0123", "tel:+12015550123");
	expect_equal("tel:+1(201)555.0123", "TEL:+1-201-555-0123");
	expect_differ("tel:+12015550123", "tel:12015550123");
	expect_differ("tel:+12015550123", "tel:+12015550124");
	expect_differ("tel:+12015550123", "tel:+1201555012");
	expect_equal("tel:7042;phone-context=EXAMPLE.com",
		     "tel:7-042;phone-context=example.com");
	expect_differ("tel:7042;phone-context=a", "tel:7042");
	expect_equal("tel:+1;a=1;b=2", "tel:+1;b=2;a=1");
	expect_differ("tel:+1;a=1", "tel:+1;a=2");
	expect_equal("tel:abc;phone-context=x", "tel:ABC;phone-context=x");
	expect_differ("tel:+1", "sip:+1@h");
	/* Other schemes: scheme case-insensitive, the rest byte-exact. */
	expect_equal("HTTP://a", "http://a");
	expect_differ("http://A", "http://a");
	expect_differ("http://a", "https://a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_scheme_case),
		cmocka_unit_test(test_param_fields),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_rfc5118_files),
		cmocka_unit_test(test_rfc4475_uris),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_tel),
		cmocka_unit_test(test_other_schemes),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_equal_rfc3261),
		cmocka_unit_test(test_equal_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
