/* test_hdr.c - sip_hdr_lookup() and sip_hdr_name(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sip/sip.h"
#include "testutil.h"

/* Written out independently of hdr.c: IANA long names and compact forms. */
static const struct {
	enum sip_hdr_id id;
	const char *name;
	char compact;
} hdrs[] = {
	{SIP_HDR_ACCEPT, "Accept", 0},
	{SIP_HDR_ACCEPT_CONTACT, "Accept-Contact", 'a'},
	{SIP_HDR_ACCEPT_ENCODING, "Accept-Encoding", 0},
	{SIP_HDR_ACCEPT_LANGUAGE, "Accept-Language", 0},
	{SIP_HDR_ALERT_INFO, "Alert-Info", 0},
	{SIP_HDR_ALLOW, "Allow", 0},
	{SIP_HDR_ALLOW_EVENTS, "Allow-Events", 'u'},
	{SIP_HDR_AUTHENTICATION_INFO, "Authentication-Info", 0},
	{SIP_HDR_AUTHORIZATION, "Authorization", 0},
	{SIP_HDR_CALL_ID, "Call-ID", 'i'},
	{SIP_HDR_CALL_INFO, "Call-Info", 0},
	{SIP_HDR_CONTACT, "Contact", 'm'},
	{SIP_HDR_CONTENT_DISPOSITION, "Content-Disposition", 0},
	{SIP_HDR_CONTENT_ENCODING, "Content-Encoding", 'e'},
	{SIP_HDR_CONTENT_LANGUAGE, "Content-Language", 0},
	{SIP_HDR_CONTENT_LENGTH, "Content-Length", 'l'},
	{SIP_HDR_CONTENT_TYPE, "Content-Type", 'c'},
	{SIP_HDR_CSEQ, "CSeq", 0},
	{SIP_HDR_DATE, "Date", 0},
	{SIP_HDR_ERROR_INFO, "Error-Info", 0},
	{SIP_HDR_EVENT, "Event", 'o'},
	{SIP_HDR_EXPIRES, "Expires", 0},
	{SIP_HDR_FROM, "From", 'f'},
	{SIP_HDR_IDENTITY, "Identity", 'y'},
	{SIP_HDR_IN_REPLY_TO, "In-Reply-To", 0},
	{SIP_HDR_MAX_FORWARDS, "Max-Forwards", 0},
	{SIP_HDR_MIME_VERSION, "MIME-Version", 0},
	{SIP_HDR_MIN_EXPIRES, "Min-Expires", 0},
	{SIP_HDR_MIN_SE, "Min-SE", 0},
	{SIP_HDR_ORGANIZATION, "Organization", 0},
	{SIP_HDR_PATH, "Path", 0},
	{SIP_HDR_PRIORITY, "Priority", 0},
	{SIP_HDR_PRIVACY, "Privacy", 0},
	{SIP_HDR_PROXY_AUTHENTICATE, "Proxy-Authenticate", 0},
	{SIP_HDR_PROXY_AUTHORIZATION, "Proxy-Authorization", 0},
	{SIP_HDR_PROXY_REQUIRE, "Proxy-Require", 0},
	{SIP_HDR_P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0},
	{SIP_HDR_RACK, "RAck", 0},
	{SIP_HDR_REASON, "Reason", 0},
	{SIP_HDR_RECORD_ROUTE, "Record-Route", 0},
	{SIP_HDR_REFERRED_BY, "Referred-By", 'b'},
	{SIP_HDR_REFER_TO, "Refer-To", 'r'},
	{SIP_HDR_REJECT_CONTACT, "Reject-Contact", 'j'},
	{SIP_HDR_REPLY_TO, "Reply-To", 0},
	{SIP_HDR_REQUEST_DISPOSITION, "Request-Disposition", 'd'},
	{SIP_HDR_REQUIRE, "Require", 0},
	{SIP_HDR_RETRY_AFTER, "Retry-After", 0},
	{SIP_HDR_ROUTE, "Route", 0},
	{SIP_HDR_RSEQ, "RSeq", 0},
	{SIP_HDR_SERVER, "Server", 0},
	{SIP_HDR_SESSION_EXPIRES, "Session-Expires", 'x'},
	{SIP_HDR_SUBJECT, "Subject", 's'},
	{SIP_HDR_SUBSCRIPTION_STATE, "Subscription-State", 0},
	{SIP_HDR_SUPPORTED, "Supported", 'k'},
	{SIP_HDR_TIMESTAMP, "Timestamp", 0},
	{SIP_HDR_TO, "To", 't'},
	{SIP_HDR_UNSUPPORTED, "Unsupported", 0},
	{SIP_HDR_USER_AGENT, "User-Agent", 0},
	{SIP_HDR_VIA, "Via", 'v'},
	{SIP_HDR_WARNING, "Warning", 0},
	{SIP_HDR_WWW_AUTHENTICATE, "WWW-Authenticate", 0},
};

#define NHDRS (sizeof(hdrs) / sizeof(hdrs[0]))

/* One guarded area for every lookup: names are copied to its very end so
 * the byte after them is the unreadable page (mapping a fresh guard per
 * lookup would make test_mutations slow). */
#define AREA 64
static struct guarded area;

static int setup(void **state)
{
	static const char zeros[AREA];

	(void)state;
	area = guard_bytes(zeros, AREA);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	guard_free(&area);
	return 0;
}

static enum sip_hdr_id lookup_bytes(const void *p, size_t len)
{
	char *at = (char *)area.p + AREA - len;

	assert_true(len <= AREA);
	memcpy(at, p, len);
	return sip_hdr_lookup(sv_make(at, len));
}

static enum sip_hdr_id lookup(const char *s)
{
	return lookup_bytes(s, strlen(s));
}

/* The slow, obviously right lookup the fast one must agree with. */
static enum sip_hdr_id reference(struct sv name)
{
	for (size_t i = 0; i < NHDRS; i++) {
		if (sv_casecmp_eq(name, sv_from_cstr(hdrs[i].name)))
			return hdrs[i].id;
		if (hdrs[i].compact && name.len == 1 &&
		    sv_lower(name.p[0]) == hdrs[i].compact)
			return hdrs[i].id;
	}
	return SIP_HDR_NONE;
}

static void test_table_complete(void **state)
{
	(void)state;
	/* Every id but NONE appears exactly once, in enum order. */
	assert_int_equal(NHDRS, SIP_HDR__COUNT - 1);
	for (size_t i = 0; i < NHDRS; i++)
		assert_int_equal(hdrs[i].id, i + 1);
}

static void test_long_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < NHDRS; i++) {
		struct sv n = sip_hdr_name(hdrs[i].id);

		if (!sv_eq(n, sv_from_cstr(hdrs[i].name)))
			fail_msg("name(%d) = \"%.*s\", want \"%s\"", hdrs[i].id,
				 (int)n.len, n.p ? n.p : "", hdrs[i].name);
		if (lookup(hdrs[i].name) != hdrs[i].id)
			fail_msg("lookup(\"%s\")", hdrs[i].name);
		/* Round trip through the canonical name. */
		assert_int_equal(sip_hdr_lookup(n), hdrs[i].id);
	}
	assert_int_equal(sip_hdr_name(SIP_HDR_NONE).len, 0);
	assert_int_equal(sip_hdr_name(SIP_HDR__COUNT).len, 0);
	assert_int_equal(sip_hdr_name((enum sip_hdr_id)1000).len, 0);
}

static void test_compact(void **state)
{
	int seen = 0;

	(void)state;
	for (size_t i = 0; i < NHDRS; i++) {
		char c[2] = {hdrs[i].compact, 0};

		if (!c[0])
			continue;
		seen++;
		if (lookup(c) != hdrs[i].id)
			fail_msg("lookup(\"%s\")", c);
		c[0] = (char)(c[0] - 'a' + 'A');
		if (lookup(c) != hdrs[i].id)
			fail_msg("lookup(\"%s\")", c);
	}
	assert_int_equal(seen, 19);
	/* "V" is the compact Via: names are case-insensitive (§7.3.1). */
	assert_int_equal(lookup("V"), SIP_HDR_VIA);
	/* Letters without a compact form. */
	for (const char *p = "ghnpqwzGHNPQWZ"; *p; p++)
		assert_int_equal(lookup_bytes(p, 1), SIP_HDR_NONE);
}

static void test_case_variants(void **state)
{
	(void)state;
	assert_int_equal(lookup("vIa"), SIP_HDR_VIA);
	assert_int_equal(lookup("VIA"), SIP_HDR_VIA);
	assert_int_equal(lookup("CALL-id"), SIP_HDR_CALL_ID);
	assert_int_equal(lookup("call-id"), SIP_HDR_CALL_ID);
	assert_int_equal(lookup("cseq"), SIP_HDR_CSEQ);
	assert_int_equal(lookup("MaX-fOrWaRdS"), SIP_HDR_MAX_FORWARDS);
	assert_int_equal(lookup("www-AUTHENTICATE"), SIP_HDR_WWW_AUTHENTICATE);
	for (size_t i = 0; i < NHDRS; i++) {
		char up[32], lo[32], alt[32];
		size_t n = strlen(hdrs[i].name);

		for (size_t k = 0; k <= n; k++) {
			char c = hdrs[i].name[k];

			lo[k] = sv_lower(c);
			up[k] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
			alt[k] = (k & 1) ? lo[k] : up[k];
		}
		assert_int_equal(lookup(up), hdrs[i].id);
		assert_int_equal(lookup(lo), hdrs[i].id);
		assert_int_equal(lookup(alt), hdrs[i].id);
	}
}

static void test_unknown(void **state)
{
	static const char *const unknown[] = {
		"",
		"C%6Fntact", /* RFC 4475 §3.1.1.5, esc02 */
		"Viaa",
		"Vi",
		"Via ",
		" Via",
		"Via:",
		"Call_ID",
		"CallID",
		"Call-IDs",
		"Contacts",
		"Contac",
		"-",
		"1",
		"Cseq2",
		"NewFangledHeader",
		"UnknownHeaderWithUnusualValue",
		"P-Preferred-Identity",
		"X-Foo",
		"Tx",
		"Toto",
		"Rack2",
		"Min-Se-",
		"Mime",
		"WWW-Authenticat",
		"Proxy-Authorizatio",
		"Content-Lengths",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		if (lookup(unknown[i]) != SIP_HDR_NONE)
			fail_msg("\"%s\" is not a header name", unknown[i]);
	assert_int_equal(sip_hdr_lookup(SV_NULL), SIP_HDR_NONE);
	assert_int_equal(lookup_bytes("Via\0", 4), SIP_HDR_NONE);
	assert_int_equal(lookup_bytes("V\0a", 3), SIP_HDR_NONE);
	assert_int_equal(lookup_bytes("\xd6", 1), SIP_HDR_NONE);
	/* A byte with bit 5 set that is not a letter must not alias one:
	 * 'V' | 0x20 == 'v', but '\x16' | 0x20 == '6'. */
	assert_int_equal(lookup_bytes("\x16", 1), SIP_HDR_NONE);
	assert_int_equal(lookup_bytes("\x16ia", 3), SIP_HDR_NONE);
}

/* Every name with every single byte replaced by every octet, and with a
 * byte dropped or added, agrees with the reference lookup. */
static void test_mutations(void **state)
{
	(void)state;
	for (size_t i = 0; i < NHDRS; i++) {
		char buf[40];
		size_t n = strlen(hdrs[i].name);

		for (size_t k = 0; k < n; k++) {
			for (int c = 0; c < 256; c++) {
				memcpy(buf, hdrs[i].name, n);
				buf[k] = (char)c;
				if (lookup_bytes(buf, n) !=
				    reference(sv_make(buf, n)))
					fail_msg("%s[%zu] = %d", hdrs[i].name,
						 k, c);
			}
			/* Drop byte k. */
			memcpy(buf, hdrs[i].name, k);
			memcpy(buf + k, hdrs[i].name + k + 1, n - k - 1);
			assert_int_equal(lookup_bytes(buf, n - 1),
					 reference(sv_make(buf, n - 1)));
		}
		for (int c = 0; c < 256; c++) {
			memcpy(buf, hdrs[i].name, n);
			buf[n] = (char)c;
			assert_int_equal(lookup_bytes(buf, n + 1),
					 reference(sv_make(buf, n + 1)));
		}
	}
	for (int c = 0; c < 256; c++) {
		char b = (char)c;

		assert_int_equal(lookup_bytes(&b, 1),
				 reference(sv_make(&b, 1)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_case_variants),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
