/* uri.c - SIP, SIPS and tel URI parsing (RFC 3261 §19.1, §25.1; RFC 3966)
 * and %-unescaping.
 *
 * The parser validates the whole URI against the §25.1 grammar and hands
 * back views of its components; escapes are left in place.  Every loop is
 * bounded by the end of the input view: nothing past in.p + in.len is read.
 */
#include <errno.h>
#include <limits.h>

#include "sip/lex.h"
#include "sip/sip.h"
#include "sip/uri_int.h"

/* Length of the longest prefix of [p, e) made of escapes and characters of
 * class cls (a §25.1 set that includes unreserved, see lex.h).  Stops at a
 * broken escape. */
static size_t span_chars(const char *p, const char *e, unsigned cls)
{
	const char *b = p;

	while (p < e) {
		if (*p == '%') {
			if (!uri_is_escape(p, (size_t)(e - p)))
				break;
			p += 3;
		} else if (lex_is(*p, cls)) {
			p++;
		} else {
			break;
		}
	}
	return (size_t)(p - b);
}

/* True if all of s consists of escapes and characters of cls. */
static bool all_chars(struct sv s, unsigned cls)
{
	return span_chars(s.p, s.p + s.len, cls) == s.len;
}

/* §25.1 uri-parameters = *( ";" uri-parameter );
 * uri-parameter = pname [ "=" pvalue ]; pname = 1*paramchar;
 * pvalue = 1*paramchar.  s starts with ';' and is the whole parameter
 * section. */
static int check_params(struct sv s)
{
	const char *p = s.p, *e = s.p + s.len;
	size_t n;

	while (p < e) {
		if (*p != ';')
			return -EBADMSG;
		p++;
		n = span_chars(p, e, LEX_PARAM);
		if (n == 0)
			return -EBADMSG; /* ";;" or a trailing ';' */
		p += n;
		if (p < e && *p == '=') {
			p++;
			n = span_chars(p, e, LEX_PARAM);
			if (n == 0)
				return -EBADMSG;
			p += n;
		}
	}
	return 0;
}

/* §25.1 headers = "?" header *( "&" header ); header = hname "=" hvalue;
 * hname = 1*( hnv-unreserved / unreserved / escaped );
 * hvalue = *( hnv-unreserved / unreserved / escaped ).
 * s is what follows the '?'. */
static int check_headers(struct sv s)
{
	const char *p = s.p, *e = s.p + s.len;
	size_t n;

	for (;;) {
		n = span_chars(p, e, LEX_HNV);
		if (n == 0)
			return -EBADMSG;
		p += n;
		if (p == e || *p != '=')
			return -EBADMSG;
		p++;
		p += span_chars(p, e, LEX_HNV);
		if (p == e)
			return 0;
		if (*p != '&')
			return -EBADMSG;
		p++;
	}
}

/* Fill the frequently used uri-parameters.  Names are matched after
 * unescaping (RFC 4475 esc01 writes "lr" as "%6C%72"); the first occurrence
 * of a name wins, as with sip_param_find(). */
static void fill_params(struct sip_uri *u)
{
	struct sv rest = u->params, name, value;
	bool has_value;
	struct sv *slot;

	while (sip_param_next(&rest, &name, &value, &has_value) == 1) {
		slot = NULL;
		if (uri_esc_eq(name, SV("transport"), true))
			slot = &u->transport;
		else if (uri_esc_eq(name, SV("user"), true))
			slot = &u->user_param;
		else if (uri_esc_eq(name, SV("maddr"), true))
			slot = &u->maddr;
		else if (uri_esc_eq(name, SV("ttl"), true))
			slot = &u->ttl;
		else if (uri_esc_eq(name, SV("method"), true))
			slot = &u->method;
		else if (uri_esc_eq(name, SV("lr"), true))
			u->lr = true;
		if (slot && slot->p == NULL)
			*slot = value;
	}
}

/* hostport = host [ ":" port ] from p; returns the end of it or NULL. */
static const char *parse_hostport(struct sip_uri *u, const char *p,
				  const char *e)
{
	const char *b;
	uint64_t port;

	if (p < e && *p == '[') {
		/* RFC 5118 §4.3: everything up to ']' is the address; a port
		 * can only follow the bracket. */
		b = ++p;
		while (p < e && *p != ']')
			p++;
		if (p == e)
			return NULL;
		u->host = sv_span(b, p);
		if (!lex_ipv6_ok(u->host))
			return NULL;
		u->host_ipv6 = true;
		p++;
	} else {
		/* hostname / IPv4address: alphanum, '-' and '.'. */
		b = p;
		while (p < e && lex_is(*p, LEX_HOST))
			p++;
		if (p == b)
			return NULL;
		u->host = sv_span(b, p);
	}
	if (p < e && *p == ':') {
		/* port = 1*DIGIT, and it has to fit the 16 bits of a port. */
		b = ++p;
		while (p < e && lex_digit(*p))
			p++;
		if (sv_to_u64(sv_span(b, p), 65535, &port) != 0)
			return NULL;
		u->has_port = true;
		u->port = (uint16_t)port;
	}
	return p;
}

/* SIP-URI / SIPS-URI after "sip:" (§19.1.1, §25.1):
 * [ userinfo ] hostport uri-parameters [ headers ]. */
static int parse_sip(struct sip_uri *u, const char *p, const char *e)
{
	const char *at, *colon, *q;

	/* userinfo ends at the first '@'.  Neither hostport, uri-parameters
	 * nor headers may contain a raw '@', so in a valid URI it can only
	 * end the userinfo; the user part may contain ';', '?', '/' and ','
	 * (RFC 4475 semiuri, intmeth). */
	at = memchr(p, '@', (size_t)(e - p));
	if (at) {
		colon = memchr(p, ':', (size_t)(at - p));
		u->user = sv_span(p, colon ? colon : at);
		if (u->user.len == 0 || !all_chars(u->user, LEX_USER))
			return -EBADMSG;
		if (colon) {
			u->password = sv_span(colon + 1, at);
			if (!all_chars(u->password, LEX_PASSWORD))
				return -EBADMSG;
		}
		p = at + 1;
	}
	p = parse_hostport(u, p, e);
	if (!p)
		return -EBADMSG;
	if (p < e && *p == ';') {
		q = memchr(p, '?', (size_t)(e - p));
		u->params = sv_span(p, q ? q : e);
		if (check_params(u->params) != 0)
			return -EBADMSG;
		p = q ? q : e;
		fill_params(u);
	}
	if (p < e && *p == '?') {
		u->headers = sv_span(p + 1, e);
		if (check_headers(u->headers) != 0)
			return -EBADMSG;
		p = e;
	}
	return p == e ? 0 : -EBADMSG;
}

/* telephone-subscriber (RFC 3966 §3): global-number-digits = "+"
 * *phonedigit DIGIT *phonedigit; local-number-digits = *phonedigit-hex
 * (HEXDIG / "*" / "#") *phonedigit-hex.  Parameters follow after ';' and
 * use the uri-parameter character set. */
static int parse_tel(struct sip_uri *u, const char *p, const char *e)
{
	const char *semi = memchr(p, ';', (size_t)(e - p));
	const char *q, *ne = semi ? semi : e;
	bool global = p < ne && *p == '+', digit = false;

	u->user = sv_span(p, ne);
	for (q = global ? p + 1 : p; q < ne; q++) {
		if (lex_digit(*q) || (!global && (uri_hexval(*q) >= 0 ||
						  *q == '*' || *q == '#')))
			digit = true;
		else if (!lex_visual_sep(*q))
			return -EBADMSG;
	}
	if (!digit)
		return -EBADMSG;
	if (semi) {
		u->params = sv_span(semi, e);
		if (check_params(u->params) != 0)
			return -EBADMSG;
	}
	return 0;
}

/* Any other absoluteURI: the opaque part must be non-empty and free of
 * whitespace, control characters, non-ASCII octets and the '<' '>' that
 * delimit a name-addr (§25.1 uric is printable ASCII). */
static int parse_other(struct sip_uri *u, const char *p, const char *e)
{
	u->opaque = sv_span(p, e);
	if (p == e)
		return -EBADMSG;
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>')
			return -EBADMSG;
	}
	return 0;
}

int sip_uri_parse(struct sip_uri *out, struct sv in)
{
	const char *p, *e;

	*out = (struct sip_uri){.raw = in};
	if (in.len == 0)
		return -EBADMSG;
	p = in.p;
	e = in.p + in.len;

	/* §25.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	out->scheme = sv_make(in.p, lex_scheme_len(in));
	if (out->scheme.len == 0)
		return -EBADMSG;
	p += out->scheme.len + 1;

	/* Schemes compare case-insensitively (§19.1.4): "SIP:" is sip. */
	if (sv_casecmp_eq(out->scheme, SV("sip")))
		out->kind = SIP_SCHEME_SIP;
	else if (sv_casecmp_eq(out->scheme, SV("sips")))
		out->kind = SIP_SCHEME_SIPS;
	else if (sv_casecmp_eq(out->scheme, SV("tel")))
		out->kind = SIP_SCHEME_TEL;
	else
		out->kind = SIP_SCHEME_OTHER;

	switch (out->kind) {
	case SIP_SCHEME_SIP:
	case SIP_SCHEME_SIPS:
		return parse_sip(out, p, e);
	case SIP_SCHEME_TEL:
		return parse_tel(out, p, e);
	default:
		return parse_other(out, p, e);
	}
}

int sip_unescape(char *dst, size_t cap, struct sv in)
{
	size_t i, n = 0;

	/* First pass: validate and measure, so that a broken escape is
	 * reported as such whatever the size of dst. */
	for (i = 0; i < in.len; i++, n++) {
		if (in.p[i] != '%')
			continue;
		if (!uri_is_escape(in.p + i, in.len - i))
			return -EBADMSG;
		i += 2;
	}
	if (n > cap || n > INT_MAX)
		return -ENOSPC;
	/* Second pass: decode, once (RFC 4475 esc01: "%2541" is "%41"). */
	for (i = 0, n = 0; i < in.len; i++, n++) {
		if (in.p[i] == '%') {
			dst[n] = (char)(uri_hexval(in.p[i + 1]) * 16 +
					uri_hexval(in.p[i + 2]));
			i += 2;
		} else {
			dst[n] = in.p[i];
		}
	}
	return (int)n;
}
