/* hdr.c - header names <-> enum sip_hdr_id.
 *
 * sip_hdr_lookup() runs for every header line of every message: a hash
 * table picks a candidate and a full case-insensitive compare confirms it
 * (header names are case-insensitive, RFC 3261 §7.3.1); single letters are
 * the compact forms (§7.3.3).  tests/unit/test_hdr.c checks every name, and
 * every one-byte mutation of it, against a linear search.
 */
#include <string.h>

#include "sip/hdr_hash.h"
#include "sip/sip.h"

/* Long names as registered with IANA ("Session Initiation Protocol (SIP)
 * Parameters", Header Fields). */
static const struct sv hdr_names[SIP_HDR__COUNT] = {
	[SIP_HDR_NONE] = {NULL, 0},
	[SIP_HDR_ACCEPT] = SV("Accept"),
	[SIP_HDR_ACCEPT_CONTACT] = SV("Accept-Contact"),
	[SIP_HDR_ACCEPT_ENCODING] = SV("Accept-Encoding"),
	[SIP_HDR_ACCEPT_LANGUAGE] = SV("Accept-Language"),
	[SIP_HDR_ALERT_INFO] = SV("Alert-Info"),
	[SIP_HDR_ALLOW] = SV("Allow"),
	[SIP_HDR_ALLOW_EVENTS] = SV("Allow-Events"),
	[SIP_HDR_AUTHENTICATION_INFO] = SV("Authentication-Info"),
	[SIP_HDR_AUTHORIZATION] = SV("Authorization"),
	[SIP_HDR_CALL_ID] = SV("Call-ID"),
	[SIP_HDR_CALL_INFO] = SV("Call-Info"),
	[SIP_HDR_CONTACT] = SV("Contact"),
	[SIP_HDR_CONTENT_DISPOSITION] = SV("Content-Disposition"),
	[SIP_HDR_CONTENT_ENCODING] = SV("Content-Encoding"),
	[SIP_HDR_CONTENT_LANGUAGE] = SV("Content-Language"),
	[SIP_HDR_CONTENT_LENGTH] = SV("Content-Length"),
	[SIP_HDR_CONTENT_TYPE] = SV("Content-Type"),
	[SIP_HDR_CSEQ] = SV("CSeq"),
	[SIP_HDR_DATE] = SV("Date"),
	[SIP_HDR_ERROR_INFO] = SV("Error-Info"),
	[SIP_HDR_EVENT] = SV("Event"),
	[SIP_HDR_EXPIRES] = SV("Expires"),
	[SIP_HDR_FROM] = SV("From"),
	[SIP_HDR_IDENTITY] = SV("Identity"),
	[SIP_HDR_IN_REPLY_TO] = SV("In-Reply-To"),
	[SIP_HDR_MAX_FORWARDS] = SV("Max-Forwards"),
	[SIP_HDR_MIME_VERSION] = SV("MIME-Version"),
	[SIP_HDR_MIN_EXPIRES] = SV("Min-Expires"),
	[SIP_HDR_MIN_SE] = SV("Min-SE"),
	[SIP_HDR_ORGANIZATION] = SV("Organization"),
	[SIP_HDR_PATH] = SV("Path"),
	[SIP_HDR_PRIORITY] = SV("Priority"),
	[SIP_HDR_PRIVACY] = SV("Privacy"),
	[SIP_HDR_PROXY_AUTHENTICATE] = SV("Proxy-Authenticate"),
	[SIP_HDR_PROXY_AUTHORIZATION] = SV("Proxy-Authorization"),
	[SIP_HDR_PROXY_REQUIRE] = SV("Proxy-Require"),
	[SIP_HDR_P_ASSERTED_IDENTITY] = SV("P-Asserted-Identity"),
	[SIP_HDR_RACK] = SV("RAck"),
	[SIP_HDR_REASON] = SV("Reason"),
	[SIP_HDR_RECORD_ROUTE] = SV("Record-Route"),
	[SIP_HDR_REFERRED_BY] = SV("Referred-By"),
	[SIP_HDR_REFER_TO] = SV("Refer-To"),
	[SIP_HDR_REJECT_CONTACT] = SV("Reject-Contact"),
	[SIP_HDR_REPLY_TO] = SV("Reply-To"),
	[SIP_HDR_REQUEST_DISPOSITION] = SV("Request-Disposition"),
	[SIP_HDR_REQUIRE] = SV("Require"),
	[SIP_HDR_RETRY_AFTER] = SV("Retry-After"),
	[SIP_HDR_ROUTE] = SV("Route"),
	[SIP_HDR_RSEQ] = SV("RSeq"),
	[SIP_HDR_SERVER] = SV("Server"),
	[SIP_HDR_SESSION_EXPIRES] = SV("Session-Expires"),
	[SIP_HDR_SUBJECT] = SV("Subject"),
	[SIP_HDR_SUBSCRIPTION_STATE] = SV("Subscription-State"),
	[SIP_HDR_SUPPORTED] = SV("Supported"),
	[SIP_HDR_TIMESTAMP] = SV("Timestamp"),
	[SIP_HDR_TO] = SV("To"),
	[SIP_HDR_UNSUPPORTED] = SV("Unsupported"),
	[SIP_HDR_USER_AGENT] = SV("User-Agent"),
	[SIP_HDR_VIA] = SV("Via"),
	[SIP_HDR_WARNING] = SV("Warning"),
	[SIP_HDR_WWW_AUTHENTICATE] = SV("WWW-Authenticate"),
};

/* Compact forms (RFC 3261 §7.3.3 and the extensions' RFCs). */
/* Case-insensitive equality of a name with a canonical name made only of
 * letters, digits and '-', a machine word at a time.  OR-ing 0x20 folds
 * letters and leaves digits and '-' alone; the only other bytes it maps
 * onto those are control bytes (0x0d -> '-', 0x10-0x19 -> digits), so a
 * word holding a byte below 0x20 is refused.  Same answer as
 * sv_casecmp_eq() for such names, at a fraction of the cost: this runs for
 * every header line.  Names of 4 bytes or more are compared as (possibly
 * overlapping) 8- or 4-byte loads, never reading outside either view. */
static bool word8_eq(const char *a, const char *b)
{
	const uint64_t fold = 0x2020202020202020ull;
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return !((x - fold) & ~x & 0x8080808080808080ull) &&
	       (x | fold) == (y | fold);
}

static bool word4_eq(const char *a, const char *b)
{
	const uint32_t fold = 0x20202020u;
	uint32_t x, y;

	memcpy(&x, a, 4);
	memcpy(&y, b, 4);
	return !((x - fold) & ~x & 0x80808080u) && (x | fold) == (y | fold);
}

static bool name_eq(struct sv in, struct sv canon)
{
	size_t n = in.len, i;

	if (n != canon.len)
		return false;
	if (n >= 8) {
		for (i = 0; i + 8 <= n; i += 8)
			if (!word8_eq(in.p + i, canon.p + i))
				return false;
		return i == n || word8_eq(in.p + n - 8, canon.p + n - 8);
	}
	if (n >= 4)
		return word4_eq(in.p, canon.p) &&
		       word4_eq(in.p + n - 4, canon.p + n - 4);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in.p[i];

		if (c < 0x20 ||
		    (c | 0x20) != ((unsigned char)canon.p[i] | 0x20))
			return false;
	}
	return true;
}

static enum sip_hdr_id compact(char c)
{
	switch (c | 0x20) {
	case 'a':
		return SIP_HDR_ACCEPT_CONTACT;
	case 'b':
		return SIP_HDR_REFERRED_BY;
	case 'c':
		return SIP_HDR_CONTENT_TYPE;
	case 'd':
		return SIP_HDR_REQUEST_DISPOSITION;
	case 'e':
		return SIP_HDR_CONTENT_ENCODING;
	case 'f':
		return SIP_HDR_FROM;
	case 'i':
		return SIP_HDR_CALL_ID;
	case 'j':
		return SIP_HDR_REJECT_CONTACT;
	case 'k':
		return SIP_HDR_SUPPORTED;
	case 'l':
		return SIP_HDR_CONTENT_LENGTH;
	case 'm':
		return SIP_HDR_CONTACT;
	case 'o':
		return SIP_HDR_EVENT;
	case 'r':
		return SIP_HDR_REFER_TO;
	case 's':
		return SIP_HDR_SUBJECT;
	case 't':
		return SIP_HDR_TO;
	case 'u':
		return SIP_HDR_ALLOW_EVENTS;
	case 'v':
		return SIP_HDR_VIA;
	case 'x':
		return SIP_HDR_SESSION_EXPIRES;
	case 'y':
		return SIP_HDR_IDENTITY;
	}
	return SIP_HDR_NONE;
}

/* Long names live in an open-addressing table of HDR_SLOTS slots (62
 * names: load under 1/4, so a lookup is one probe on average), keyed by a
 * case-folded hash the scanner computes while it walks the name anyway.
 * The table is filled from hdr_names[] before main() runs: it is never
 * written afterwards, so threads only ever read it. */
#define HDR_SLOTS 256
static uint8_t hdr_slots[HDR_SLOTS];

static unsigned slot_of(uint32_t h, size_t len)
{
	return (h ^ (h >> 8) ^ (uint32_t)len * 0x9e37u) & (HDR_SLOTS - 1);
}

static uint32_t hdr_hash(struct sv name)
{
	uint32_t h = 0;

	for (size_t i = 0; i < name.len; i++)
		h = sip_hdr_hash_step(h, name.p[i]);
	return h;
}

__attribute__((constructor)) static void hdr_table_init(void)
{
	for (unsigned id = 1; id < SIP_HDR__COUNT; id++) {
		unsigned i =
			slot_of(hdr_hash(hdr_names[id]), hdr_names[id].len);

		while (hdr_slots[i])
			i = (i + 1) & (HDR_SLOTS - 1);
		hdr_slots[i] = (uint8_t)id;
	}
}

enum sip_hdr_id sip_hdr_lookup_hashed(struct sv name, uint32_t hash)
{
	unsigned i;

	if (name.len < 2)
		return name.len == 1 ? compact(name.p[0]) : SIP_HDR_NONE;
	/* The hash only picks candidates: a full compare confirms. */
	for (i = slot_of(hash, name.len); hdr_slots[i];
	     i = (i + 1) & (HDR_SLOTS - 1))
		if (name_eq(name, hdr_names[hdr_slots[i]]))
			return (enum sip_hdr_id)hdr_slots[i];
	return SIP_HDR_NONE;
}

enum sip_hdr_id sip_hdr_lookup(struct sv name)
{
	return sip_hdr_lookup_hashed(name, hdr_hash(name));
}

struct sv sip_hdr_name(enum sip_hdr_id id)
{
	if ((unsigned)id >= SIP_HDR__COUNT)
		return SV_NULL;
	return hdr_names[id];
}
