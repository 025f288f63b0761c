/* hdr.c - header names <-> enum sip_hdr_id.
 *
 * sip_hdr_lookup() runs for every header line of every message, so it is a
 * switch on the length and the lower-cased first byte (and, where two names
 * still collide, one more byte) that picks at most one candidate, which a
 * full case-insensitive compare then confirms (header names are
 * case-insensitive, RFC 3261 §7.3.1).  The switch mirrors hdr_names[]: keep
 * the two in step when adding a header (tests/unit/test_hdr.c checks every
 * name, and every one-byte mutation of it, against a linear search).
 *
 * "x | 0x20" lower-cases an ASCII letter and never turns a non-letter into
 * one, so it is a safe candidate selector; the final compare does the rest.
 */
#include <string.h>

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
 * letters, digits and '-', eight bytes at a time.  OR-ing 0x20 folds
 * letters and leaves digits and '-' alone; the only other bytes it maps
 * onto those are control bytes (0x0d -> '-', 0x10-0x19 -> digits), so a
 * word holding a byte below 0x20 is refused first.  Same answer as
 * sv_casecmp_eq() for such names, at a fraction of the cost: this runs for
 * every header line. */
static bool name_eq(struct sv in, struct sv canon)
{
	const uint64_t fold = 0x2020202020202020ull;
	const uint64_t high = 0x8080808080808080ull;
	size_t i = 0;
	uint64_t a, b;

	if (in.len != canon.len)
		return false;
	for (; i + 8 <= in.len; i += 8) {
		memcpy(&a, in.p + i, 8);
		memcpy(&b, canon.p + i, 8);
		if (((a - fold) & ~a & high) || ((a | fold) != (b | fold)))
			return false;
	}
	for (; i < in.len; i++) {
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

enum sip_hdr_id sip_hdr_lookup(struct sv name)
{
	enum sip_hdr_id id = SIP_HDR_NONE;

	switch (name.len) {
	case 0:
		return SIP_HDR_NONE;
	case 1:
		return compact(name.p[0]);
	case 2:
		id = SIP_HDR_TO;
		break;
	case 3:
		id = SIP_HDR_VIA;
		break;
	case 4:
		switch (name.p[0] | 0x20) {
		case 'c':
			id = SIP_HDR_CSEQ;
			break;
		case 'd':
			id = SIP_HDR_DATE;
			break;
		case 'f':
			id = SIP_HDR_FROM;
			break;
		case 'p':
			id = SIP_HDR_PATH;
			break;
		case 'r':
			switch (name.p[1] | 0x20) {
			case 'a':
				id = SIP_HDR_RACK;
				break;
			case 's':
				id = SIP_HDR_RSEQ;
				break;
			}
			break;
		}
		break;
	case 5:
		switch (name.p[0] | 0x20) {
		case 'a':
			id = SIP_HDR_ALLOW;
			break;
		case 'e':
			id = SIP_HDR_EVENT;
			break;
		case 'r':
			id = SIP_HDR_ROUTE;
			break;
		}
		break;
	case 6:
		switch (name.p[0] | 0x20) {
		case 'a':
			id = SIP_HDR_ACCEPT;
			break;
		case 'm':
			id = SIP_HDR_MIN_SE;
			break;
		case 'r':
			id = SIP_HDR_REASON;
			break;
		case 's':
			id = SIP_HDR_SERVER;
			break;
		}
		break;
	case 7:
		switch (name.p[0] | 0x20) {
		case 'c':
			switch (name.p[1] | 0x20) {
			case 'a':
				id = SIP_HDR_CALL_ID;
				break;
			case 'o':
				id = SIP_HDR_CONTACT;
				break;
			}
			break;
		case 'e':
			id = SIP_HDR_EXPIRES;
			break;
		case 'p':
			id = SIP_HDR_PRIVACY;
			break;
		case 'r':
			id = SIP_HDR_REQUIRE;
			break;
		case 's':
			id = SIP_HDR_SUBJECT;
			break;
		case 'w':
			id = SIP_HDR_WARNING;
			break;
		}
		break;
	case 8:
		switch (name.p[0] | 0x20) {
		case 'i':
			id = SIP_HDR_IDENTITY;
			break;
		case 'p':
			id = SIP_HDR_PRIORITY;
			break;
		case 'r':
			switch (name.p[2] | 0x20) {
			case 'f':
				id = SIP_HDR_REFER_TO;
				break;
			case 'p':
				id = SIP_HDR_REPLY_TO;
				break;
			}
			break;
		}
		break;
	case 9:
		switch (name.p[0] | 0x20) {
		case 'c':
			id = SIP_HDR_CALL_INFO;
			break;
		case 's':
			id = SIP_HDR_SUPPORTED;
			break;
		case 't':
			id = SIP_HDR_TIMESTAMP;
			break;
		}
		break;
	case 10:
		switch (name.p[0] | 0x20) {
		case 'a':
			id = SIP_HDR_ALERT_INFO;
			break;
		case 'e':
			id = SIP_HDR_ERROR_INFO;
			break;
		case 'u':
			id = SIP_HDR_USER_AGENT;
			break;
		}
		break;
	case 11:
		switch (name.p[0] | 0x20) {
		case 'i':
			id = SIP_HDR_IN_REPLY_TO;
			break;
		case 'm':
			id = SIP_HDR_MIN_EXPIRES;
			break;
		case 'r':
			switch (name.p[2] | 0x20) {
			case 'f':
				id = SIP_HDR_REFERRED_BY;
				break;
			case 't':
				id = SIP_HDR_RETRY_AFTER;
				break;
			}
			break;
		case 'u':
			id = SIP_HDR_UNSUPPORTED;
			break;
		}
		break;
	case 12:
		switch (name.p[0] | 0x20) {
		case 'a':
			id = SIP_HDR_ALLOW_EVENTS;
			break;
		case 'c':
			id = SIP_HDR_CONTENT_TYPE;
			break;
		case 'm':
			switch (name.p[1] | 0x20) {
			case 'a':
				id = SIP_HDR_MAX_FORWARDS;
				break;
			case 'i':
				id = SIP_HDR_MIME_VERSION;
				break;
			}
			break;
		case 'o':
			id = SIP_HDR_ORGANIZATION;
			break;
		case 'r':
			id = SIP_HDR_RECORD_ROUTE;
			break;
		}
		break;
	case 13:
		switch (name.p[0] | 0x20) {
		case 'a':
			id = SIP_HDR_AUTHORIZATION;
			break;
		case 'p':
			id = SIP_HDR_PROXY_REQUIRE;
			break;
		}
		break;
	case 14:
		switch (name.p[0] | 0x20) {
		case 'a':
			id = SIP_HDR_ACCEPT_CONTACT;
			break;
		case 'c':
			id = SIP_HDR_CONTENT_LENGTH;
			break;
		case 'r':
			id = SIP_HDR_REJECT_CONTACT;
			break;
		}
		break;
	case 15:
		switch (name.p[0] | 0x20) {
		case 'a':
			switch (name.p[7] | 0x20) {
			case 'e':
				id = SIP_HDR_ACCEPT_ENCODING;
				break;
			case 'l':
				id = SIP_HDR_ACCEPT_LANGUAGE;
				break;
			}
			break;
		case 's':
			id = SIP_HDR_SESSION_EXPIRES;
			break;
		}
		break;
	case 16:
		switch (name.p[0] | 0x20) {
		case 'c':
			switch (name.p[8] | 0x20) {
			case 'e':
				id = SIP_HDR_CONTENT_ENCODING;
				break;
			case 'l':
				id = SIP_HDR_CONTENT_LANGUAGE;
				break;
			}
			break;
		case 'w':
			id = SIP_HDR_WWW_AUTHENTICATE;
			break;
		}
		break;
	case 18:
		switch (name.p[0] | 0x20) {
		case 'p':
			id = SIP_HDR_PROXY_AUTHENTICATE;
			break;
		case 's':
			id = SIP_HDR_SUBSCRIPTION_STATE;
			break;
		}
		break;
	case 19:
		switch (name.p[0] | 0x20) {
		case 'a':
			id = SIP_HDR_AUTHENTICATION_INFO;
			break;
		case 'c':
			id = SIP_HDR_CONTENT_DISPOSITION;
			break;
		case 'p':
			switch (name.p[1] | 0x20) {
			case 'r':
				id = SIP_HDR_PROXY_AUTHORIZATION;
				break;
			case '-':
				id = SIP_HDR_P_ASSERTED_IDENTITY;
				break;
			}
			break;
		case 'r':
			id = SIP_HDR_REQUEST_DISPOSITION;
			break;
		}
		break;
	default:
		return SIP_HDR_NONE;
	}
	/* The switch only picked a candidate: confirm the whole name. */
	return id != SIP_HDR_NONE && name_eq(name, hdr_names[id])
		       ? id
		       : SIP_HDR_NONE;
}

struct sv sip_hdr_name(enum sip_hdr_id id)
{
	if ((unsigned)id >= SIP_HDR__COUNT)
		return SV_NULL;
	return hdr_names[id];
}
