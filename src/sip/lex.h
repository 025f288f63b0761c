/* lex.h - character classes of the SIP grammar (RFC 3261 §25.1) and the
 * scanning helpers every parser in src/sip shares.  Private to src/sip. */
#ifndef RINGWAY_SIP_LEX_H
#define RINGWAY_SIP_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sv.h"

enum lex_class {
	LEX_ALPHA = 1u << 0,
	LEX_DIGIT = 1u << 1,
	LEX_HEX = 1u << 2,
	/* token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" /
	 * "`" / "'" / "~") */
	LEX_TOKEN = 1u << 3,
	/* SP, HTAB and the CR LF of a folded line */
	LEX_LWS = 1u << 4,
	/* unreserved = alphanum / mark; mark = "-_.!~*'()" */
	LEX_UNRESERVED = 1u << 5,
	/* user: unreserved / user-unreserved "&=+$,;?/" (escapes apart) */
	LEX_USER = 1u << 6,
	/* password: unreserved / "&=+$," */
	LEX_PASSWORD = 1u << 7,
	/* paramchar: unreserved / param-unreserved "[]/:&+$" */
	LEX_PARAM = 1u << 8,
	/* hname/hvalue: unreserved / hnv-unreserved "[]/?:+$" */
	LEX_HNV = 1u << 9,
	/* hostname: alphanum / "-" / "."; "_" too, which real deployments
	 * use in host names although §25.1 does not allow it */
	LEX_HOST = 1u << 10,
	/* where a ";name=value" parameter's name ends: '=', ';', LWS */
	LEX_PNAME_END = 1u << 11,
	/* where an unquoted parameter value ends: ';', LWS */
	LEX_PVALUE_END = 1u << 12,
	/* what ends an addr-spec inside <>: '>', or an error: '<', LWS */
	LEX_ANGLE_END = 1u << 13,
};

extern const uint16_t sip_lex[256];

static inline bool lex_is(char c, unsigned cls)
{
	return (sip_lex[(unsigned char)c] & cls) != 0;
}

static inline bool lex_digit(char c)
{
	return lex_is(c, LEX_DIGIT);
}

static inline const char *lex_skip(const char *p, const char *e, unsigned cls)
{
	while (p < e && lex_is(*p, cls))
		p++;
	return p;
}

/* Advance p over characters not in cls. */
static inline const char *lex_skip_not(const char *p, const char *e,
				       unsigned cls)
{
	while (p < e && !lex_is(*p, cls))
		p++;
	return p;
}

static inline const char *lex_skip_lws(const char *p, const char *e)
{
	return lex_skip(p, e, LEX_LWS);
}

/* True if s is non-empty and made only of characters of cls. */
static inline bool lex_all(struct sv s, unsigned cls)
{
	return s.len > 0 && lex_skip(s.p, sv_end(s), cls) == sv_end(s);
}

static inline bool lex_is_token(struct sv s)
{
	return lex_all(s, LEX_TOKEN);
}

/* §25.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ): the length
 * of the scheme at the start of s when a ':' follows it, else 0. */
size_t lex_scheme_len(struct sv s);

/* RFC 3261 §25.1 IPv6address, leniently: hex digits, ':' and '.' (a
 * trailing IPv4 part), at least two colons, at most 45 characters.  Three
 * colons in a row pass on purpose: RFC 5118 §4.10 asks receivers to
 * tolerate "2001:db8:::192.0.2.1". */
bool lex_ipv6_ok(struct sv s);

/* RFC 3966 §3 visual-separator = "-" / "." / "(" / ")" */
static inline bool lex_visual_sep(char c)
{
	return c == '-' || c == '.' || c == '(' || c == ')';
}

/* End of the quoted-string starting at p (*p == '"'), or NULL if it is
 * unterminated or holds a raw control byte. */
const char *lex_quoted_end(const char *p, const char *e);

#endif
