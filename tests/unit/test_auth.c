/* test_auth.c - sip_auth_parse(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sip/sip.h"
#include "testhdr.h"
#include "testutil.h"

static int parse(struct guarded *g, struct sip_auth *a, const char *s)
{
	*g = guard_str(s);
	return sip_auth_parse(a, guard_sv(g));
}

/* RFC 3261 §22.4 / §25.1 credentials, every named field. */
static void test_credentials(void **state)
{
	struct guarded g;
	struct sip_auth a;

	(void)state;
	assert_int_equal(
		parse(&g, &a,
		      "Digest username=\"bob\", realm=\"biloxi.com\","
		      " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\","
		      " uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001,"
		      " cnonce=\"0a4f113b\","
		      " response=\"6629fae49393a05397450978507c4ef1\","
		      " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\","
		      " algorithm=MD5"),
		0);
	assert_sv(a.scheme, "Digest");
	assert_sv(a.username, "bob");
	assert_sv(a.realm, "biloxi.com");
	assert_sv(a.nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
	assert_sv(a.uri, "sip:bob@biloxi.com");
	assert_sv(a.qop, "auth");
	assert_sv(a.nc, "00000001");
	assert_sv(a.cnonce, "0a4f113b");
	assert_sv(a.response, "6629fae49393a05397450978507c4ef1");
	assert_sv(a.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
	assert_sv(a.algorithm, "MD5");
	assert_int_equal(a.domain.len, 0);
	assert_null(a.domain.p);
	assert_int_equal(a.stale.len, 0);
	assert_true(a.params.p > a.scheme.p);
	assert_int_equal(a.params.p[0], 'u');
	assert_int_equal(a.params.p[a.params.len - 1], '5');
	guard_free(&g);
}

/* A challenge: quoted qop list, domain, stale, odd spacing and case. */
static void test_challenge(void **state)
{
	struct guarded g;
	struct sip_auth a;

	(void)state;
	assert_int_equal(
		parse(&g, &a,
		      "  dIgEsT   REALM = \"atlanta.com\" ,DOMAIN=\"sip:ss1.ex"
		      "ample.com sip:ss2.example.com\",\r\n qop=\"auth,auth-in"
		      "t\",nonce=\"84a4cc6f3082121f32b42a2187831a9e\","
		      "stale=FALSE,opaque=\"\",algorithm=MD5  "),
		0);
	assert_sv(a.scheme, "dIgEsT");
	assert_sv(a.realm, "atlanta.com");
	assert_sv(a.domain, "sip:ss1.example.com sip:ss2.example.com");
	assert_sv(a.qop, "auth,auth-int");
	assert_sv(a.nonce, "84a4cc6f3082121f32b42a2187831a9e");
	assert_sv(a.stale, "FALSE");
	/* Present but empty: the view points into the input. */
	assert_int_equal(a.opaque.len, 0);
	assert_non_null(a.opaque.p);
	assert_sv(a.algorithm, "MD5");
	assert_null(a.username.p);
	guard_free(&g);
}

static void test_quoting_and_lws(void **state)
{
	struct guarded g;
	struct sip_auth a;

	(void)state;
	/* quoted-pairs stay as written; ',' and '=' inside quotes are data. */
	assert_int_equal(
		parse(&g, &a,
		      "Digest username=\"a\\\"b\\\\\", realm=\"x,y=z\""),
		0);
	assert_sv(a.username, "a\\\"b\\\\");
	assert_sv(a.realm, "x,y=z");
	guard_free(&g);

	/* Folded lines around the scheme, '=' and ','. */
	assert_int_equal(parse(&g, &a,
			       "Digest\r\n username\r\n\t=\r\n \"u\"\r\n ,\r\n"
			       " realm=r"),
			 0);
	assert_sv(a.username, "u");
	assert_sv(a.realm, "r");
	guard_free(&g);

	/* Empty list elements are tolerated (#rule). */
	assert_int_equal(parse(&g, &a, "Digest realm=r,, ,nonce=n,"), 0);
	assert_sv(a.realm, "r");
	assert_sv(a.nonce, "n");
	guard_free(&g);

	/* Unknown params are skipped; the first of a duplicate wins. */
	assert_int_equal(
		parse(&g, &a,
		      "Digest foo=bar, realm=one, baz=\"q\", realm=two"),
		0);
	assert_sv(a.realm, "one");
	guard_free(&g);

	/* A scheme alone parses; the caller finds no fields. */
	assert_int_equal(parse(&g, &a, "Digest"), 0);
	assert_sv(a.scheme, "Digest");
	assert_int_equal(a.params.len, 0);
	guard_free(&g);
}

/* RFC 4475 §3.1.2.7 (regaut01): an unknown scheme must parse. */
static void test_rfc4475_regaut01(void **state)
{
	struct guarded g = testhdr_value("rfc4475/regaut01.dat", 0,
					 "Authorization", NULL, 0);
	struct sip_auth a;

	(void)state;
	assert_int_equal(sip_auth_parse(&a, guard_sv(&g)), 0);
	assert_sv(a.scheme, "NoOneKnowsThisScheme");
	assert_sv(a.params, "opaque-data=here");
	assert_null(a.opaque.p);
	guard_free(&g);
}

/* RFC 7235 §2.1 token68 for schemes other than Digest (RFC 8898). */
static void test_token68(void **state)
{
	struct guarded g;
	struct sip_auth a;

	(void)state;
	assert_int_equal(parse(&g, &a, "Bearer mF_9.B5f-4.1JqM/+~=="), 0);
	assert_sv(a.scheme, "Bearer");
	assert_sv(a.params, "mF_9.B5f-4.1JqM/+~==");
	guard_free(&g);
	assert_int_equal(parse(&g, &a, "Digest abcdef"), -EBADMSG);
	guard_free(&g);
	assert_int_equal(parse(&g, &a, "Bearer a b"), -EBADMSG);
	guard_free(&g);
}

static void test_errors(void **state)
{
	static const char *const bad[] = {
		"",
		"   ",
		"\r\n ",
		"=x",
		",realm=x",
		"\"Digest\" realm=x",
		"Digest,realm=x",
		"Digest=realm",
		"Digest realm", /* missing '=' */
		"Digest realm x",
		"Digest realm=",	  /* no value */
		"Digest realm= ,nonce=n", /* no value */
		"Digest realm=\"x",	  /* unterminated quote */
		"Digest realm=\"x\\\"",	  /* escaped closing quote */
		"Digest realm=\"x\\",
		"Digest realm=\"",
		"Digest realm=x y",
		"Digest realm=x;nonce=y",
		"Digest realm=\"x\"y",
		"Digest realm=<x>",
		"Digest , realm=x",
		"Digest realm=x, =y",
		"Digest realm=x, nonce",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct guarded g;
		struct sip_auth a;
		int rc = parse(&g, &a, bad[i]);

		if (rc != -EBADMSG)
			fail_msg("\"%s\": rc %d", bad[i], rc);
		guard_free(&g);
	}
}

static void parse_prefix(struct sv v)
{
	struct sip_auth a;
	int rc = sip_auth_parse(&a, v);

	assert_true(rc == 0 || rc == -EBADMSG);
}

static void test_prefixes(void **state)
{
	(void)state;
	guard_each_prefix("Digest username = \"a\\\"b\" ,\r\n realm=r, "
			  "nc=00000001,, opaque=\"\"",
			  parse_prefix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_quoting_and_lws),
		cmocka_unit_test(test_rfc4475_regaut01),
		cmocka_unit_test(test_token68),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
