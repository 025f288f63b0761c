/* test_via.c - sip_via_parse() and sip_via_branch_is_rfc3261(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "sip/sip.h"
#include "testhdr.h"
#include "testutil.h"

/* Parse s placed right before a guard page. */
static int parse(struct guarded *g, struct sip_via *v, const char *s)
{
	*g = guard_str(s);
	return sip_via_parse(v, guard_sv(g));
}

static void test_basic(void **state)
{
	struct guarded g;
	struct sip_via v;

	(void)state;
	assert_int_equal(
		parse(&g, &v,
		      "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds"),
		0);
	assert_sv(v.protocol, "SIP");
	assert_sv(v.version, "2.0");
	assert_sv(v.transport, "UDP");
	assert_sv(v.host, "pc33.atlanta.com");
	assert_false(v.host_ipv6);
	assert_false(v.has_port);
	assert_int_equal(v.port, 0);
	assert_sv(v.params, ";branch=z9hG4bK776asdhds");
	assert_sv(v.branch, "z9hG4bK776asdhds");
	assert_sv(v.value,
		  "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
	assert_true(sip_via_branch_is_rfc3261(&v));
	assert_false(v.has_rport);
	assert_int_equal(v.received.len, 0);
	guard_free(&g);
}

static void test_all_params(void **state)
{
	struct guarded g;
	struct sip_via v;

	(void)state;
	assert_int_equal(
		parse(&g, &v,
		      "  SIP/2.0/TCP 192.0.2.4:5061 ;BRANCH=z9hG4bKx1;rport=40000"
		      ";received=198.51.100.7;maddr=224.2.0.1;ttl=16;x=\"a;b\""
		      ";lr  "),
		0);
	assert_sv(v.transport, "TCP");
	assert_sv(v.host, "192.0.2.4");
	assert_true(v.has_port);
	assert_int_equal(v.port, 5061);
	assert_sv(v.branch, "z9hG4bKx1");
	assert_true(v.has_rport);
	assert_sv(v.rport, "40000");
	assert_sv(v.received, "198.51.100.7");
	assert_sv(v.maddr, "224.2.0.1");
	assert_sv(v.ttl, "16");
	assert_sv(v.params,
		  ";BRANCH=z9hG4bKx1;rport=40000;received=198.51.100.7"
		  ";maddr=224.2.0.1;ttl=16;x=\"a;b\";lr");
	guard_free(&g);

	/* RFC 3581 §3: a bare rport in a request. */
	assert_int_equal(parse(&g, &v, "SIP/2.0/UDP h;rport;branch=z9hG4bKa"),
			 0);
	assert_true(v.has_rport);
	assert_int_equal(v.rport.len, 0);
	assert_sv(v.branch, "z9hG4bKa");
	guard_free(&g);

	/* The first occurrence of a parameter wins. */
	assert_int_equal(
		parse(&g, &v, "SIP/2.0/UDP h;branch=z9hG4bK1;branch=z9hG4bK2"),
		0);
	assert_sv(v.branch, "z9hG4bK1");
	guard_free(&g);
}

static void test_ports_and_spaces(void **state)
{
	struct guarded g;
	struct sip_via v;

	(void)state;
	assert_int_equal(parse(&g, &v, "SIP/2.0/UDP h:65535"), 0);
	assert_int_equal(v.port, 65535);
	assert_int_equal(v.params.len, 0);
	guard_free(&g);
	assert_int_equal(parse(&g, &v, "SIP/2.0/UDP h:00005060"), 0);
	assert_int_equal(v.port, 5060);
	guard_free(&g);
	/* COLON = SWS ":" SWS (§25.1). */
	assert_int_equal(parse(&g, &v, "SIP/2.0/UDP h.example.com. : 5060 ;x"),
			 0);
	assert_sv(v.host, "h.example.com.");
	assert_int_equal(v.port, 5060);
	assert_sv(v.params, ";x");
	guard_free(&g);
	/* Transport names are tokens, any case. */
	assert_int_equal(parse(&g, &v, "sip/2.0/udp\th"), 0);
	assert_sv(v.protocol, "sip");
	assert_sv(v.transport, "udp");
	guard_free(&g);
}

static void test_ipv6(void **state)
{
	struct guarded g;
	struct sip_via v;
	/* 45 characters: the longest textual IPv6 address. */
	static const char max45[] =
		"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";

	(void)state;
	assert_int_equal(sizeof(max45) - 1, 45);
	assert_int_equal(
		parse(&g, &v,
		      "SIP/2.0/UDP [2001:db8::10]:5070;branch=z9hG4bKq"),
		0);
	assert_true(v.host_ipv6);
	assert_sv(v.host, "2001:db8::10");
	assert_int_equal(v.port, 5070);
	guard_free(&g);

	/* RFC 5118 §4.10: three colons must be tolerated. */
	assert_int_equal(parse(&g, &v, "SIP/2.0/UDP [2001:db8:::192.0.2.1]"),
			 0);
	assert_sv(v.host, "2001:db8:::192.0.2.1");
	guard_free(&g);
	assert_int_equal(parse(&g, &v, "SIP/2.0/UDP [::1]"), 0);
	assert_sv(v.host, "::1");
	guard_free(&g);

	{
		char buf[80];

		snprintf(buf, sizeof(buf), "SIP/2.0/UDP [%s]", max45);
		assert_int_equal(parse(&g, &v, buf), 0);
		assert_sv(v.host, max45);
		guard_free(&g);
		snprintf(buf, sizeof(buf), "SIP/2.0/UDP [0%s]", max45);
		assert_int_equal(parse(&g, &v, buf), -EBADMSG);
		guard_free(&g);
	}
}

static void test_errors(void **state)
{
	static const char *const bad[] = {
		"",
		"   ",
		"\r\n ",
		"SIP",
		"SIP/",
		"SIP/2.0",
		"SIP/2.0/",
		"SIP/2.0/ ",
		"SIP/2.0/UDP",	   /* no sent-by */
		"SIP/2.0/UDP ",	   /* trimmed: no sent-by */
		"SIP/2.0/UDPhost", /* no LWS: transport "UDPhost", no host */
		"/2.0/UDP h",
		"SIP//UDP h",
		"SIP/2.0//UDP h",
		"SIP/2.0/UDP ;branch=z9hG4bKa", /* empty host */
		"SIP/2.0/UDP :5060",
		"SIP/2.0/UDP h:",
		"SIP/2.0/UDP h:0",
		"SIP/2.0/UDP h:65536",
		"SIP/2.0/UDP h:99999999999999999999999",
		"SIP/2.0/UDP h:50a",
		"SIP/2.0/UDP h:-1",
		"SIP/2.0/UDP h junk",
		"SIP/2.0/UDP h@x",
		"SIP/2.0/UDP h,x",
		"SIP/2.0/UDP [::1",
		"SIP/2.0/UDP []",
		"SIP/2.0/UDP [1:2]", /* one colon */
		"SIP/2.0/UDP [2001:db8::g]",
		"SIP/2.0/UDP [::1]x",
		"SIP/2.0/UDP [::1]:",
		"SIP/2.0/UDP 2001:db8::1", /* unbracketed IPv6 */
		"SIP/2.0/UDP h;",
		"SIP/2.0/UDP h;;branch=z9hG4bKa",
		"SIP/2.0/UDP h;branch=z9hG4bKa;",
		"SIP/2.0/UDP h;branch",
		"SIP/2.0/UDP h;branch=",
		"SIP/2.0/UDP h;branch=\"z9hG4bKa\"",
		"SIP/2.0/UDP h;branch=a b",
		"SIP/2.0/UDP h;ttl=256",
		"SIP/2.0/UDP h;ttl=x",
		"SIP/2.0/UDP h;rport=0",
		"SIP/2.0/UDP h;rport=65536",
		"SIP/2.0/UDP h;rport=",
		"SIP/2.0/UDP h;received",
		"SIP/2.0/UDP h;received=[]",
		"SIP/2.0/UDP h;received=a/b",
		"SIP/2.0/UDP h;maddr",
		"SIP/2.0/UDP h;x=\"unterminated",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct guarded g;
		struct sip_via v;
		int rc = parse(&g, &v, bad[i]);

		if (rc != -EBADMSG)
			fail_msg("\"%s\": rc %d", bad[i], rc);
		guard_free(&g);
	}
}

static void test_branch_cookie(void **state)
{
	static const struct {
		const char *in;
		bool rfc3261;
	} cases[] = {
		{"SIP/2.0/UDP h;branch=z9hG4bKx", true},
		{"SIP/2.0/UDP h;branch=z9hG4bK", false}, /* RFC 4475 §3.2.1 */
		{"SIP/2.0/UDP h;branch=Z9HG4BKabc", false},
		{"SIP/2.0/UDP h;branch=z9hG4bkabc", false},
		{"SIP/2.0/UDP h;branch=390skdjuw", false},
		{"SIP/2.0/UDP h", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guarded g;
		struct sip_via v;

		assert_int_equal(parse(&g, &v, cases[i].in), 0);
		if (sip_via_branch_is_rfc3261(&v) != cases[i].rfc3261)
			fail_msg("%s", cases[i].in);
		guard_free(&g);
	}
}

/* RFC 4475 §3.1.1.1: LWS and folded lines around '/' and ';'. */
static void test_rfc4475_wsinv(void **state)
{
	struct guarded g = testhdr_value("rfc4475/wsinv.dat", 0, "Via", "v", 0);
	struct sv rest, item;
	struct sip_via v;

	(void)state;
	assert_sv(guard_sv(&g),
		  "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw");
	assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
	assert_sv(v.protocol, "SIP");
	assert_sv(v.version, "2.0");
	assert_sv(v.transport, "UDP");
	assert_sv(v.host, "192.0.2.2");
	assert_sv(v.branch, "390skdjuw");
	assert_false(sip_via_branch_is_rfc3261(&v));
	guard_free(&g);

	/* "v:" with two values, LWS everywhere, a fold after "branch=". */
	g = testhdr_value("rfc4475/wsinv.dat", 0, "Via", "v", 1);
	rest = guard_sv(&g);
	assert_int_equal(sip_list_next(&rest, &item), 1);
	assert_int_equal(sip_via_parse(&v, item), 0);
	assert_sv(v.transport, "TCP");
	assert_sv(v.host, "spindle.example.com");
	assert_sv(v.branch, "z9hG4bK9ikj8");
	assert_true(sip_via_branch_is_rfc3261(&v));
	assert_int_equal(sip_list_next(&rest, &item), 1);
	assert_int_equal(sip_via_parse(&v, item), 0);
	assert_sv(v.transport, "UDP");
	assert_sv(v.host, "192.168.255.111");
	assert_sv(v.branch, "z9hG4bK30239");
	assert_int_equal(sip_list_next(&rest, &item), 0);
	guard_free(&g);
}

/* RFC 4475 §3.1.2.6: "SIP/2.0/UDP 192.0.2.15;;,;,," is invalid. */
static void test_rfc4475_badinv01(void **state)
{
	struct guarded g =
		testhdr_value("rfc4475/badinv01.dat", 0, "Via", "v", 0);
	struct sv rest = guard_sv(&g), item;
	struct sip_via v;

	(void)state;
	assert_sv(rest, "SIP/2.0/UDP 192.0.2.15;;,;,,");
	assert_int_equal(sip_list_next(&rest, &item), 1);
	assert_int_equal(sip_via_parse(&v, item), -EBADMSG);
	guard_free(&g);
}

/* RFC 4475 §3.1.1.10: unknown transports must be accepted. */
static void test_rfc4475_transports(void **state)
{
	static const char *const want[][2] = {
		{"UDP", "t1.example.com"}, {"SCTP", "t2.example.com"},
		{"TLS", "t3.example.com"}, {"UNKNOWN", "t4.example.com"},
		{"TCP", "t5.example.com"},
	};

	(void)state;
	for (int i = 0; i < 5; i++) {
		struct guarded g = testhdr_value("rfc4475/transports.dat", 0,
						 "Via", "v", i);
		struct sip_via v;

		assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
		assert_sv(v.transport, want[i][0]);
		assert_sv(v.host, want[i][1]);
		assert_true(sip_via_branch_is_rfc3261(&v));
		guard_free(&g);
	}
}

/* RFC 4475 §3.2.1: a bare magic cookie is not an RFC 3261 branch. */
static void test_rfc4475_badbranch(void **state)
{
	struct guarded g =
		testhdr_value("rfc4475/badbranch.dat", 0, "Via", "v", 0);
	struct sip_via v;

	(void)state;
	assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
	assert_sv(v.branch, "z9hG4bK");
	assert_false(sip_via_branch_is_rfc3261(&v));
	guard_free(&g);
}

/* RFC 5118 §4.5: received with and without [brackets]. */
static void test_rfc5118_received(void **state)
{
	static const char *const files[] = {
		"rfc5118/via-received-param-with-delim.dat",
		"rfc5118/via-received-param-no-delim.dat",
	};

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct guarded g = testhdr_value(files[i], 1, "Via", "v", 0);
		struct sip_via v;

		assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
		assert_true(v.host_ipv6);
		assert_sv(v.host, "2001:db8::9:1");
		assert_false(v.has_port);
		assert_sv(v.received, "2001:db8::9:255");
		assert_true(sip_via_branch_is_rfc3261(&v));
		guard_free(&g);
	}
}

/* RFC 5118 §4.7: IPv4 and IPv6 Vias mixed, with ports and received. */
static void test_rfc5118_mult_ip(void **state)
{
	struct guarded g;
	struct sip_via v;

	(void)state;
	g = testhdr_value("rfc5118/mult-ip-in-header.dat", 1, "Via", "v", 0);
	assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
	assert_true(v.host_ipv6);
	assert_sv(v.host, "2001:db8::9:1");
	assert_true(v.has_port);
	assert_int_equal(v.port, 6050);
	assert_sv(v.branch, "z9hG4bKas3-111");
	guard_free(&g);

	g = testhdr_value("rfc5118/mult-ip-in-header.dat", 1, "Via", "v", 1);
	assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
	assert_false(v.host_ipv6);
	assert_sv(v.host, "192.0.2.1");
	assert_false(v.has_port);
	guard_free(&g);

	g = testhdr_value("rfc5118/mult-ip-in-header.dat", 1, "Via", "v", 2);
	assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
	assert_sv(v.transport, "TCP");
	assert_true(v.host_ipv6);
	assert_sv(v.host, "2001:db8::9:255");
	assert_sv(v.branch, "z9hG4bK451jj");
	assert_sv(v.received, "192.0.2.200");
	guard_free(&g);
}

/* RFC 5118 §4.9: IPv4-mapped IPv6 addresses. */
static void test_rfc5118_ipv4_mapped(void **state)
{
	struct guarded g;
	struct sip_via v;

	(void)state;
	g = testhdr_value("rfc5118/ipv4-mapped-ipv6.dat", 1, "Via", "v", 0);
	assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
	assert_true(v.host_ipv6);
	assert_sv(v.host, "::ffff:192.0.2.10");
	assert_int_equal(v.port, 19823);
	guard_free(&g);

	g = testhdr_value("rfc5118/ipv4-mapped-ipv6.dat", 1, "Via", "v", 1);
	assert_int_equal(sip_via_parse(&v, guard_sv(&g)), 0);
	assert_true(v.host_ipv6);
	assert_sv(v.host, "::ffff:192.0.2.2");
	assert_false(v.has_port);
	guard_free(&g);
}

/* Every prefix of a valid Via must parse or fail cleanly, never read past
 * its end (the guard page catches it). */
static void parse_prefix(struct sv v)
{
	struct sip_via via;
	int rc = sip_via_parse(&via, v);

	assert_true(rc == 0 || rc == -EBADMSG);
}

static void test_prefixes(void **state)
{
	(void)state;
	guard_each_prefix("SIP / 2.0 / UDP [2001:db8::1] : 5060 ; branch = "
			  "z9hG4bKab ; received=[::1];rport=1;ttl=1;maddr=h;"
			  "x=\"q\\\"\"",
			  parse_prefix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_all_params),
		cmocka_unit_test(test_ports_and_spaces),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_branch_cookie),
		cmocka_unit_test(test_rfc4475_wsinv),
		cmocka_unit_test(test_rfc4475_badinv01),
		cmocka_unit_test(test_rfc4475_transports),
		cmocka_unit_test(test_rfc4475_badbranch),
		cmocka_unit_test(test_rfc5118_received),
		cmocka_unit_test(test_rfc5118_mult_ip),
		cmocka_unit_test(test_rfc5118_ipv4_mapped),
		cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
