/* auth.c - credentials and challenges (RFC 3261 §22, §25.1; RFC 2617).
 *
 *   credentials = ("Digest" LWS digest-response) / other-response
 *   challenge   = ("Digest" LWS digest-cln *(COMMA digest-cln))
 *                 / other-challenge
 *   other-*     = auth-scheme LWS auth-param *(COMMA auth-param)
 *   auth-param  = auth-param-name EQUAL ( token / quoted-string )
 *
 * Every Digest parameter is an auth-param syntactically, so one loop parses
 * them all and the named ones are recorded.  Any scheme is accepted: RFC
 * 4475 §3.1.2.7 (regaut01) sends "NoOneKnowsThisScheme", which a registrar
 * must parse (and then answer 401).  The value may contain folded lines.
 * A scheme with no parameters at all is accepted; the caller finds the
 * fields it needs empty and challenges again.
 */
#include <errno.h>

#include "sip/lex.h"
#include "sip/sip.h"

/* RFC 7235 §2.1: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" /
 * "/" ) *"=".  True if all of s is one. */
static bool is_token68(struct sv s)
{
	size_t i = 0;

	while (i < s.len) {
		char c = s.p[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || c == '+' || c == '/')
			i++;
		else
			break;
	}
	if (i == 0)
		return false;
	while (i < s.len && s.p[i] == '=')
		i++;
	return i == s.len;
}

/* The struct sip_auth member for a Digest parameter name, or NULL. */
static struct sv *digest_field(struct sip_auth *a, struct sv name)
{
	static const struct {
		struct sv name;
		size_t off;
	} fields[] = {
		{SV("username"), offsetof(struct sip_auth, username)},
		{SV("realm"), offsetof(struct sip_auth, realm)},
		{SV("nonce"), offsetof(struct sip_auth, nonce)},
		{SV("uri"), offsetof(struct sip_auth, uri)},
		{SV("response"), offsetof(struct sip_auth, response)},
		{SV("algorithm"), offsetof(struct sip_auth, algorithm)},
		{SV("cnonce"), offsetof(struct sip_auth, cnonce)},
		{SV("opaque"), offsetof(struct sip_auth, opaque)},
		{SV("qop"), offsetof(struct sip_auth, qop)},
		{SV("nc"), offsetof(struct sip_auth, nc)},
		{SV("domain"), offsetof(struct sip_auth, domain)},
		{SV("stale"), offsetof(struct sip_auth, stale)},
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (sv_casecmp_eq(name, fields[i].name))
			return (struct sv *)((char *)a + fields[i].off);
	return NULL;
}

/* One auth-param at *pp.  On success *pp is just past its value and the
 * value is returned without its quotes.  quoted-pair (§25.1: "\" followed by
 * any octet but CR/LF) is skipped over but left as written. */
static int auth_param(const char **pp, const char *e, struct sv *name,
		      struct sv *value)
{
	const char *p = *pp, *b = p;

	p = lex_skip(p, e, LEX_TOKEN);
	if (p == b)
		return -EBADMSG; /* no name */
	*name = sv_span(b, p);
	p = lex_skip_lws(p, e);
	if (p == e || *p != '=')
		return -EBADMSG; /* EQUAL = SWS "=" SWS */
	p = lex_skip_lws(p + 1, e);
	if (p < e && *p == '"') {
		b = ++p;
		for (;;) {
			if (p == e)
				return -EBADMSG; /* unterminated quote */
			if (*p == '"')
				break;
			if (*p == '\\') {
				if (e - p < 2)
					return -EBADMSG;
				p++;
			}
			p++;
		}
		*value = sv_span(b, p);
		p++;
	} else {
		b = p;
		p = lex_skip(p, e, LEX_TOKEN);
		if (p == b)
			return -EBADMSG; /* empty or non-token value */
		*value = sv_span(b, p);
	}
	*pp = p;
	return 0;
}

int sip_auth_parse(struct sip_auth *out, struct sv value)
{
	const char *p, *e, *b;
	struct sv name, val, *field;
	int rc;

	memset(out, 0, sizeof(*out));
	value = sv_trim(value);
	p = value.p;
	e = sv_end(value);

	/* auth-scheme = token, then LWS before the first parameter. */
	b = p;
	p = lex_skip(p, e, LEX_TOKEN);
	out->scheme = sv_span(b, p);
	if (out->scheme.len == 0 || (p < e && !sv_is_lws(*p)))
		return -EBADMSG;
	p = lex_skip_lws(p, e);
	out->params = sv_span(p, e);

	/* A scheme other than Digest may carry one token68 instead of
	 * auth-params (RFC 7235 §2.1; e.g. RFC 8898 "Bearer <token>").  The
	 * two never overlap: an auth-param has a value after its '='. */
	if (is_token68(out->params) &&
	    !sv_casecmp_eq(out->scheme, SV("Digest")))
		return 0;

	while (p < e) {
		rc = auth_param(&p, e, &name, &val);
		if (rc != 0)
			return rc;
		field = digest_field(out, name);
		if (field && field->p == NULL)
			*field = val; /* the first occurrence wins */
		/* COMMA = SWS "," SWS.  Empty list elements are tolerated
		 * (RFC 7230 §7 #rule), so are trailing ones. */
		p = lex_skip_lws(p, e);
		if (p < e && *p != ',')
			return -EBADMSG;
		while (p < e && (*p == ',' || sv_is_lws(*p)))
			p++;
	}
	return 0;
}
