/* via.c - one via-parm (RFC 3261 §20.42, grammar in §25.1).
 *
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *
 * SLASH, COLON and SEMI are SWS-wrapped, so LWS (including the CRLF + SP of
 * a folded line) may appear around '/', ':' and ';' (RFC 4475 §3.1.1.1,
 * wsinv: "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2").  The value handed in is
 * one comma-separated item (see sip_list_next()); it is never copied.
 */
#include <errno.h>

#include "sip/lex.h"
#include "sip/sip.h"

/* port = 1*DIGIT, 1..65535 (leading zeros allowed, as everywhere). */
static int port_parse(struct sv s, uint16_t *out)
{
	uint64_t v;

	if (sv_to_u64(s, 65535, &v) != 0 || v == 0)
		return -EBADMSG;
	*out = (uint16_t)v;
	return 0;
}

/* received: an IP address (RFC 3261 §18.2.1, §20.42).  RFC 5118 §4.5: the
 * grammar has no brackets for IPv6 here, but by the robustness principle
 * "[2001:db8::9:255]" must be accepted too; we return it without them.
 * Unbracketed values are checked loosely (host characters and ':'), so a
 * peer that writes a host name there does not get its response dropped. */
static int received_parse(struct sv v, struct sv *out)
{
	if (v.len >= 2 && v.p[0] == '[' && v.p[v.len - 1] == ']') {
		v = sv_make(v.p + 1, v.len - 2);
		if (!lex_ipv6_ok(v))
			return -EBADMSG;
	} else if (v.len == 0) {
		return -EBADMSG;
	} else {
		for (size_t i = 0; i < v.len; i++)
			if (!lex_is(v.p[i], LEX_HOST) && v.p[i] != ':')
				return -EBADMSG;
	}
	*out = v;
	return 0;
}

/* One via-params entry: the ones we use are checked against their grammar
 * (§25.1 via-ttl, via-maddr, via-received, via-branch; RFC 3581 response-
 * port), via-extension (generic-param) is left alone.  The first occurrence
 * of a parameter wins. */
static int via_param(struct sip_via *out, struct sv name, struct sv value,
		     bool has_value)
{
	if (sv_casecmp_eq(name, SV("branch"))) {
		if (!has_value || !lex_is_token(value))
			return -EBADMSG;
		if (out->branch.len == 0)
			out->branch = value;
	} else if (sv_casecmp_eq(name, SV("received"))) {
		struct sv r;

		if (!has_value || received_parse(value, &r) != 0)
			return -EBADMSG;
		if (out->received.len == 0)
			out->received = r;
	} else if (sv_casecmp_eq(name, SV("maddr"))) {
		/* maddr = host; an IPv6 reference keeps its brackets here,
		 * as in the URI parameter. */
		if (!has_value || value.len == 0)
			return -EBADMSG;
		if (out->maddr.len == 0)
			out->maddr = value;
	} else if (sv_casecmp_eq(name, SV("ttl"))) {
		uint64_t ttl;

		if (!has_value || sv_to_u64(value, 255, &ttl) != 0)
			return -EBADMSG;
		if (out->ttl.len == 0)
			out->ttl = value;
	} else if (sv_casecmp_eq(name, SV("rport"))) {
		/* RFC 3581 §3: "rport" bare in a request, "rport=port" once
		 * the server filled it in. */
		uint16_t port;

		if (has_value && port_parse(value, &port) != 0)
			return -EBADMSG;
		if (!out->has_rport) {
			out->has_rport = true;
			out->rport = has_value ? value : sv_make(value.p, 0);
		}
	}
	return 0;
}

/* sent-by = host [ COLON port ].  On success *pp is just past it. */
static int sent_by_parse(struct sip_via *out, const char **pp, const char *e)
{
	const char *p = *pp, *b;

	if (p < e && *p == '[') {
		/* IPv6reference = "[" IPv6address "]" */
		b = ++p;
		while (p < e && *p != ']')
			p++;
		if (p == e)
			return -EBADMSG;
		out->host = sv_span(b, p);
		out->host_ipv6 = true;
		if (!lex_ipv6_ok(out->host))
			return -EBADMSG;
		p++;
	} else {
		b = p;
		while (p < e && lex_is(*p, LEX_HOST))
			p++;
		if (p == b)
			return -EBADMSG; /* empty host */
		out->host = sv_span(b, p);
	}
	/* COLON = SWS ":" SWS */
	b = lex_skip_lws(p, e);
	if (b < e && *b == ':') {
		p = lex_skip_lws(b + 1, e);
		b = p;
		while (p < e && lex_digit(*p))
			p++;
		if (port_parse(sv_span(b, p), &out->port) != 0)
			return -EBADMSG;
		out->has_port = true;
	}
	*pp = p;
	return 0;
}

int sip_via_parse(struct sip_via *out, struct sv value)
{
	const char *p, *e, *b;
	struct sv rest, name, pval;
	bool has_value;
	int rc;

	memset(out, 0, sizeof(*out));
	value = sv_trim(value);
	out->value = value;
	p = value.p;
	e = sv_end(value);
	if (value.len == 0)
		return -EBADMSG;

	/* sent-protocol: three tokens separated by SLASH (SWS "/" SWS). */
	b = p;
	p = lex_skip(p, e, LEX_TOKEN);
	out->protocol = sv_span(b, p);
	p = lex_skip_lws(p, e);
	if (out->protocol.len == 0 || p == e || *p != '/')
		return -EBADMSG;
	p = lex_skip_lws(p + 1, e);
	b = p;
	p = lex_skip(p, e, LEX_TOKEN);
	out->version = sv_span(b, p);
	p = lex_skip_lws(p, e);
	if (out->version.len == 0 || p == e || *p != '/')
		return -EBADMSG;
	p = lex_skip_lws(p + 1, e);
	b = p;
	p = lex_skip(p, e, LEX_TOKEN);
	out->transport = sv_span(b, p);
	if (out->transport.len == 0)
		return -EBADMSG; /* missing transport */

	/* LWS between sent-protocol and sent-by is mandatory. */
	if (p == e || !sv_is_lws(*p))
		return -EBADMSG;
	p = lex_skip_lws(p, e);
	rc = sent_by_parse(out, &p, e);
	if (rc != 0)
		return rc;

	/* *( SEMI via-params ): anything else after sent-by is junk. */
	rest = sv_span(p, e);
	b = lex_skip_lws(p, e);
	out->params = sv_span(b, e);
	if (out->params.len != 0 && *b != ';')
		return -EBADMSG;
	while ((rc = sip_param_next(&rest, &name, &pval, &has_value)) == 1) {
		if (via_param(out, name, pval, has_value) != 0)
			return -EBADMSG;
	}
	/* rc < 0: a stray ';' (";;", a trailing ';': RFC 4475 §3.1.2.6
	 * badinv01) or a bad quoted value. */
	return rc < 0 ? -EBADMSG : 0;
}

/* RFC 3261 §8.1.1.7: the magic cookie marks a branch made under RFC 3261
 * rules.  The compare is case-sensitive, and a bare cookie does not count
 * (RFC 4475 §3.2.1, badbranch): fall back to RFC 2543 matching. */
bool sip_via_branch_is_rfc3261(const struct sip_via *v)
{
	return v->branch.len > 7 && memcmp(v->branch.p, "z9hG4bK", 7) == 0;
}
