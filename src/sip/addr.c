/* addr.c - name-addr / addr-spec with header parameters (RFC 3261 §20.10,
 * §20.20, §20.39, §25.1): From, To, Contact, Route, Record-Route, ...
 *
 *   (name-addr / addr-spec) *( SEMI generic-param )
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *( token LWS ) / quoted-string
 *
 * The URI is only delimited here (and its scheme checked); sip_uri_parse()
 * parses it.
 */
#include <errno.h>

#include "sip/lex.h"
#include "sip/sip.h"

/* gen-value = token / host / quoted-string (§25.1); host adds ':' and the
 * brackets of an IPv6 reference to the token characters. */
static bool gen_value_ok(struct sv v)
{
	if (v.len >= 2 && v.p[0] == '"')
		return v.p[v.len - 1] == '"'; /* sip_param_next checked it */
	for (size_t i = 0; i < v.len; i++)
		if (!lex_is(v.p[i], LEX_TOKEN) && v.p[i] != ':' &&
		    v.p[i] != '[' && v.p[i] != ']')
			return false;
	return v.len > 0;
}

/* ";name[=value]" header parameters: generic-param = token [ EQUAL
 * gen-value ] (§25.1); empty ones (RFC 4475 badinv01 ";;;;") are errors.
 * tag-param = "tag" EQUAL token. */
static int parse_params(struct sip_addr *out, struct sv params)
{
	struct sv rest = params, name, value;
	bool has_value;
	int rc;

	while ((rc = sip_param_next(&rest, &name, &value, &has_value)) == 1) {
		if (!lex_is_token(name) || (has_value && !gen_value_ok(value)))
			return -EBADMSG;
		if (!sv_casecmp_eq(name, SV("tag")))
			continue;
		if (!has_value || !lex_is_token(value))
			return -EBADMSG;
		if (out->tag.p == NULL)
			out->tag = value;
	}
	return rc;
}

int sip_addr_parse(struct sip_addr *out, struct sv in)
{
	struct sv s = sv_trim(in);
	const char *p, *e, *b;

	*out = (struct sip_addr){0};
	if (s.len == 0)
		return -EBADMSG;
	p = s.p;
	e = s.p + s.len;

	if (*p == '"') {
		/* quoted-string display name, then LAQUOT = SWS "<". */
		b = p;
		p = lex_quoted_end(p, e);
		if (!p)
			return -EBADMSG; /* RFC 4475 quotbal */
		out->display = sv_span(b, p);
		out->display_quoted = true;
		p = lex_skip_lws(p, e);
		if (p == e || *p != '<')
			return -EBADMSG;
	} else {
		/* *( token LWS ): no LWS is needed before '<' (RFC 4475
		 * lwsdisp).  Anything else means there is no display name:
		 * the value is an addr-spec. */
		b = p;
		while (p < e && lex_is(*p, LEX_TOKEN | LEX_LWS))
			p++;
		if (p < e && *p == '<') {
			out->display = sv_rtrim(sv_span(b, p));
		} else {
			/* §20: without <> the URI ends at the first ';' (or
			 * LWS before it) and must not contain ',' or '?'
			 * (RFC 4475 regbadct, baddn). */
			p = b;
			while (p < e && *p != ';' && !sv_is_lws(*p)) {
				if (*p == ',' || *p == '?' || *p == '<' ||
				    *p == '>' || *p == '"')
					return -EBADMSG;
				p++;
			}
			out->uri = sv_span(b, p);
		}
	}

	if (p < e && *p == '<') {
		/* No LWS inside the brackets (RFC 4475 badaspec). */
		b = ++p;
		p = lex_skip_not(p, e, LEX_ANGLE_END);
		if (p == e || *p != '>')
			return -EBADMSG;
		out->uri = sv_span(b, p);
		out->angle = true;
		p++;
	}
	/* The URI must at least start with "scheme:": this rejects
	 * display-name fragments such as "Bell" (RFC 4475 baddn) that are
	 * no URI at all. */
	if (lex_scheme_len(out->uri) == 0)
		return -EBADMSG;

	/* Header parameters start at the first ';' after the URI or '>'. */
	p = lex_skip_lws(p, e);
	if (p == e)
		return 0;
	if (*p != ';')
		return -EBADMSG;
	out->params = sv_span(p, e);
	return parse_params(out, out->params) < 0 ? -EBADMSG : 0;
}
