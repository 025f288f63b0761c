/* method.c - method names <-> enum sip_method.
 *
 * Methods are case-sensitive (RFC 3261 §7.1): "invite" is an extension
 * method, not INVITE.  Nothing is unescaped either: "RE%47IST%45R" is an
 * unknown method, not REGISTER (RFC 4475 §3.1.1.5, esc02).
 */
#include "sip/sip.h"

static const struct sv method_names[SIP_METHOD__COUNT] = {
	[SIP_METHOD_OTHER] = {NULL, 0},
	[SIP_METHOD_INVITE] = SV("INVITE"),
	[SIP_METHOD_ACK] = SV("ACK"),
	[SIP_METHOD_BYE] = SV("BYE"),
	[SIP_METHOD_CANCEL] = SV("CANCEL"),
	[SIP_METHOD_OPTIONS] = SV("OPTIONS"),
	[SIP_METHOD_REGISTER] = SV("REGISTER"),
	[SIP_METHOD_PRACK] = SV("PRACK"),
	[SIP_METHOD_SUBSCRIBE] = SV("SUBSCRIBE"),
	[SIP_METHOD_NOTIFY] = SV("NOTIFY"),
	[SIP_METHOD_PUBLISH] = SV("PUBLISH"),
	[SIP_METHOD_INFO] = SV("INFO"),
	[SIP_METHOD_REFER] = SV("REFER"),
	[SIP_METHOD_MESSAGE] = SV("MESSAGE"),
	[SIP_METHOD_UPDATE] = SV("UPDATE"),
};

/* Exact compare against the canonical name of m; the caller has already
 * matched the length. */
static enum sip_method is(struct sv name, enum sip_method m)
{
	return memcmp(name.p, method_names[m].p, name.len) == 0
		       ? m
		       : SIP_METHOD_OTHER;
}

/* Dispatch on the length, then on the first (or a distinguishing) byte, so
 * that at most one memcmp runs. */
enum sip_method sip_method_id(struct sv name)
{
	switch (name.len) {
	case 3:
		if (name.p[0] == 'A')
			return is(name, SIP_METHOD_ACK);
		if (name.p[0] == 'B')
			return is(name, SIP_METHOD_BYE);
		break;
	case 4:
		return is(name, SIP_METHOD_INFO);
	case 5:
		if (name.p[0] == 'P')
			return is(name, SIP_METHOD_PRACK);
		if (name.p[0] == 'R')
			return is(name, SIP_METHOD_REFER);
		break;
	case 6:
		switch (name.p[0]) {
		case 'I':
			return is(name, SIP_METHOD_INVITE);
		case 'C':
			return is(name, SIP_METHOD_CANCEL);
		case 'N':
			return is(name, SIP_METHOD_NOTIFY);
		case 'U':
			return is(name, SIP_METHOD_UPDATE);
		}
		break;
	case 7:
		switch (name.p[0]) {
		case 'O':
			return is(name, SIP_METHOD_OPTIONS);
		case 'P':
			return is(name, SIP_METHOD_PUBLISH);
		case 'M':
			return is(name, SIP_METHOD_MESSAGE);
		}
		break;
	case 8:
		return is(name, SIP_METHOD_REGISTER);
	case 9:
		return is(name, SIP_METHOD_SUBSCRIBE);
	}
	return SIP_METHOD_OTHER;
}

struct sv sip_method_name(enum sip_method m)
{
	if ((unsigned)m >= SIP_METHOD__COUNT)
		return SV_NULL;
	return method_names[m];
}
