/* test_scalar.c - CSeq, unsigned values, methods and reason phrases. */
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

static int cseq(struct guarded *g, struct sip_cseq *c, const char *s)
{
	*g = guard_str(s);
	return sip_cseq_parse(c, guard_sv(g));
}

static void test_cseq_ok(void **state)
{
	static const struct {
		const char *in;
		uint32_t num;
		const char *method;
		enum sip_method id;
	} cases[] = {
		{"1 INVITE", 1, "INVITE", SIP_METHOD_INVITE},
		{"  314159   ACK  ", 314159, "ACK", SIP_METHOD_ACK},
		{"0 REGISTER", 0, "REGISTER", SIP_METHOD_REGISTER},
		{"4294967295 BYE", 4294967295u, "BYE", SIP_METHOD_BYE},
		{"00000000000000000000007\tOPTIONS", 7, "OPTIONS",
		 SIP_METHOD_OPTIONS},
		{"2 invite", 2, "invite", SIP_METHOD_OTHER},
		{"3 FOO.BAR!%*_+`'~-", 3, "FOO.BAR!%*_+`'~-", SIP_METHOD_OTHER},
		{"4 UPDATE", 4, "UPDATE", SIP_METHOD_UPDATE},
		{"5\r\n CANCEL", 5, "CANCEL", SIP_METHOD_CANCEL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guarded g;
		struct sip_cseq c;

		if (cseq(&g, &c, cases[i].in) != 0)
			fail_msg("\"%s\"", cases[i].in);
		assert_int_equal(c.num, cases[i].num);
		assert_sv(c.method, cases[i].method);
		assert_int_equal(c.method_id, cases[i].id);
		guard_free(&g);
	}
}

static void test_cseq_bad(void **state)
{
	static const struct {
		const char *in;
		int rc;
	} cases[] = {
		{"", -EBADMSG},
		{"   ", -EBADMSG},
		{"1", -EBADMSG},
		{"1 ", -EBADMSG},
		{"INVITE", -EBADMSG},
		{" INVITE", -EBADMSG},
		{"1INVITE", -EBADMSG},
		{"-1 INVITE", -EBADMSG},
		{"+1 INVITE", -EBADMSG},
		{"1 INVITE x", -EBADMSG},
		{"1 INVITE;x", -EBADMSG},
		{"1 INV:ITE", -EBADMSG},
		{"1 \"INVITE\"", -EBADMSG},
		{"1 2 INVITE", -EBADMSG},
		{"1a INVITE", -EBADMSG},
		{"4294967296 INVITE", -ERANGE},
		{"99999999999999999999999999999 INVITE", -ERANGE},
		/* Syntax is checked before range. */
		{"4294967296 ", -EBADMSG},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guarded g;
		struct sip_cseq c;
		int rc = cseq(&g, &c, cases[i].in);

		if (rc != cases[i].rc)
			fail_msg("\"%s\": rc %d, want %d", cases[i].in, rc,
				 cases[i].rc);
		guard_free(&g);
	}
}

/* RFC 4475 §3.1.1.1: leading zeros and a folded line before the method. */
static void test_cseq_rfc4475_wsinv(void **state)
{
	struct guarded g =
		testhdr_value("rfc4475/wsinv.dat", 0, "CSeq", NULL, 0);
	struct sip_cseq c;

	(void)state;
	assert_sv(guard_sv(&g), "0009\r\n  INVITE");
	assert_int_equal(sip_cseq_parse(&c, guard_sv(&g)), 0);
	assert_int_equal(c.num, 9);
	assert_sv(c.method, "INVITE");
	assert_int_equal(c.method_id, SIP_METHOD_INVITE);
	guard_free(&g);
}

/* RFC 4475 §3.1.2.4: CSeq 2^65 does not fit 32 bits. */
static void test_cseq_rfc4475_scalar02(void **state)
{
	struct guarded g =
		testhdr_value("rfc4475/scalar02.dat", 0, "CSeq", NULL, 0);
	struct sip_cseq c;

	(void)state;
	assert_sv(guard_sv(&g), "36893488147419103232 REGISTER");
	assert_int_equal(sip_cseq_parse(&c, guard_sv(&g)), -ERANGE);
	guard_free(&g);
	g = guard_str("36893488147419103232 INVITE");
	assert_int_equal(sip_cseq_parse(&c, guard_sv(&g)), -ERANGE);
	guard_free(&g);
}

/* RFC 4475 §3.1.1.5: "RE%47IST%45R" is not REGISTER. */
static void test_cseq_rfc4475_esc02(void **state)
{
	struct guarded g =
		testhdr_value("rfc4475/esc02.dat", 0, "CSeq", NULL, 0);
	struct sip_cseq c;

	(void)state;
	assert_int_equal(sip_cseq_parse(&c, guard_sv(&g)), 0);
	assert_int_equal(c.num, 29344);
	assert_sv(c.method, "RE%47IST%45R");
	assert_int_equal(c.method_id, SIP_METHOD_OTHER);
	guard_free(&g);
}

static void cseq_prefix(struct sv v)
{
	struct sip_cseq c;
	int rc = sip_cseq_parse(&c, v);

	assert_true(rc == 0 || rc == -EBADMSG);
}

static void test_cseq_prefixes(void **state)
{
	(void)state;
	guard_each_prefix(" 0012 \r\n\tSUBSCRIBE ", cseq_prefix);
}

static void test_uint(void **state)
{
	static const struct {
		const char *in;
		uint32_t max;
		int rc;
		uint32_t want;
	} cases[] = {
		{"0", 255, 0, 0},
		{"70", 255, 0, 70},
		{" 0068 ", 255, 0, 68}, /* RFC 4475 wsinv Max-Forwards */
		{"255", 255, 0, 255},
		{"256", 255, -ERANGE, 0},
		{"300", 255, -ERANGE, 0}, /* RFC 4475 scalar02 */
		{"4294967295", UINT32_MAX, 0, UINT32_MAX},
		{"4294967296", UINT32_MAX, -ERANGE, 0},
		{"10000000000000000000000000000000000000000", UINT32_MAX,
		 -ERANGE, 0},
		{"\r\n 3600\r\n ", UINT32_MAX, 0, 3600},
		{"", 255, -EINVAL, 0},
		{"  ", 255, -EINVAL, 0},
		{"-1", 255, -EINVAL, 0},
		{"+1", 255, -EINVAL, 0},
		{"1 2", 255, -EINVAL, 0},
		{"12a", 255, -EINVAL, 0},
		{"0x10", 255, -EINVAL, 0},
		{"-999", UINT32_MAX, -EINVAL, 0}, /* RFC 4475 ncl */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guarded g = guard_str(cases[i].in);
		uint32_t v = 12345;
		int rc = sip_uint_parse(guard_sv(&g), cases[i].max, &v);

		if (rc != cases[i].rc)
			fail_msg("\"%s\": rc %d, want %d", cases[i].in, rc,
				 cases[i].rc);
		if (rc == 0)
			assert_int_equal(v, cases[i].want);
		else
			assert_int_equal(v, 12345); /* untouched on error */
		guard_free(&g);
	}
}

static void test_method(void **state)
{
	static const char *const names[SIP_METHOD__COUNT] = {
		[SIP_METHOD_INVITE] = "INVITE",
		[SIP_METHOD_ACK] = "ACK",
		[SIP_METHOD_BYE] = "BYE",
		[SIP_METHOD_CANCEL] = "CANCEL",
		[SIP_METHOD_OPTIONS] = "OPTIONS",
		[SIP_METHOD_REGISTER] = "REGISTER",
		[SIP_METHOD_PRACK] = "PRACK",
		[SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE",
		[SIP_METHOD_NOTIFY] = "NOTIFY",
		[SIP_METHOD_PUBLISH] = "PUBLISH",
		[SIP_METHOD_INFO] = "INFO",
		[SIP_METHOD_REFER] = "REFER",
		[SIP_METHOD_MESSAGE] = "MESSAGE",
		[SIP_METHOD_UPDATE] = "UPDATE",
	};
	static const char *const other[] = {
		"",	   "invite",  "Invite",	   "INVITEX",	 "INVIT",
		"ACKK",	   "AC",      "BYF",	   "INFX",	 "PRACX",
		"REFEX",   "CANCEK",  "NOTIFX",	   "UPDATF",	 "OPTIONX",
		"PUBLISX", "MESSAGX", "REGISTEX",  "SUBSCRIBX",	 "RE%47IST%45R",
		"XINVITE", "DO",      "NEWMETHOD", "SUBSCRIBES",
	};

	(void)state;
	for (int m = 1; m < SIP_METHOD__COUNT; m++) {
		struct guarded g = guard_str(names[m]);
		struct sv n = sip_method_name((enum sip_method)m);

		assert_int_equal(sip_method_id(guard_sv(&g)), m);
		assert_sv(n, names[m]);
		guard_free(&g);
	}
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		struct guarded g = guard_str(other[i]);

		if (sip_method_id(guard_sv(&g)) != SIP_METHOD_OTHER)
			fail_msg("\"%s\" is not a known method", other[i]);
		guard_free(&g);
	}
	assert_int_equal(sip_method_name(SIP_METHOD_OTHER).len, 0);
	assert_null(sip_method_name(SIP_METHOD_OTHER).p);
	assert_int_equal(sip_method_name(SIP_METHOD__COUNT).len, 0);
	assert_int_equal(sip_method_name((enum sip_method) - 1).len, 0);
	assert_int_equal(sip_method_id(SV_NULL), SIP_METHOD_OTHER);
}

static void test_status_reason(void **state)
{
	static const struct {
		unsigned code;
		const char *reason;
	} cases[] = {
		{100, "Trying"},
		{180, "Ringing"},
		{181, "Call Is Being Forwarded"},
		{182, "Queued"},
		{183, "Session Progress"},
		{199, "Early Dialog Terminated"},
		{200, "OK"},
		{202, "Accepted"},
		{204, "No Notification"},
		{300, "Multiple Choices"},
		{301, "Moved Permanently"},
		{302, "Moved Temporarily"},
		{305, "Use Proxy"},
		{380, "Alternative Service"},
		{400, "Bad Request"},
		{401, "Unauthorized"},
		{402, "Payment Required"},
		{403, "Forbidden"},
		{404, "Not Found"},
		{405, "Method Not Allowed"},
		{406, "Not Acceptable"},
		{407, "Proxy Authentication Required"},
		{408, "Request Timeout"},
		{410, "Gone"},
		{412, "Conditional Request Failed"},
		{413, "Request Entity Too Large"},
		{414, "Request-URI Too Long"},
		{415, "Unsupported Media Type"},
		{416, "Unsupported URI Scheme"},
		{417, "Unknown Resource-Priority"},
		{420, "Bad Extension"},
		{421, "Extension Required"},
		{422, "Session Interval Too Small"},
		{423, "Interval Too Brief"},
		{428, "Use Identity Header"},
		{429, "Provide Referrer Identity"},
		{430, "Flow Failed"},
		{433, "Anonymity Disallowed"},
		{436, "Bad Identity Info"},
		{437, "Unsupported Credential"},
		{438, "Invalid Identity Header"},
		{439, "First Hop Lacks Outbound Support"},
		{440, "Max-Breadth Exceeded"},
		{469, "Bad Info Package"},
		{470, "Consent Needed"},
		{480, "Temporarily Unavailable"},
		{481, "Call/Transaction Does Not Exist"},
		{482, "Loop Detected"},
		{483, "Too Many Hops"},
		{484, "Address Incomplete"},
		{485, "Ambiguous"},
		{486, "Busy Here"},
		{487, "Request Terminated"},
		{488, "Not Acceptable Here"},
		{489, "Bad Event"},
		{491, "Request Pending"},
		{493, "Undecipherable"},
		{494, "Security Agreement Required"},
		{500, "Server Internal Error"},
		{501, "Not Implemented"},
		{502, "Bad Gateway"},
		{503, "Service Unavailable"},
		{504, "Server Time-out"},
		{505, "Version Not Supported"},
		{513, "Message Too Large"},
		{580, "Precondition Failure"},
		{600, "Busy Everywhere"},
		{603, "Decline"},
		{604, "Does Not Exist Anywhere"},
		{606, "Not Acceptable"},
		{607, "Unwanted"},
		{608, "Rejected"},
	};
	static const unsigned unknown[] = {0,	99,  101,  201,	  299,
					   409, 411, 499,  599,	  699,
					   700, 999, 1000, 65535, 4294967295u};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(sip_status_reason(cases[i].code),
				    cases[i].reason);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_string_equal(sip_status_reason(unknown[i]), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cseq_ok),
		cmocka_unit_test(test_cseq_bad),
		cmocka_unit_test(test_cseq_rfc4475_wsinv),
		cmocka_unit_test(test_cseq_rfc4475_scalar02),
		cmocka_unit_test(test_cseq_rfc4475_esc02),
		cmocka_unit_test(test_cseq_prefixes),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_method),
		cmocka_unit_test(test_status_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
