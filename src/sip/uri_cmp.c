/* uri_cmp.c - URI equivalence (RFC 3261 §19.1.4, RFC 3966 §4).
 *
 * Components are compared as streams of symbols (see uri_int.h): escapes of
 * unreserved characters equal the characters themselves, escapes of reserved
 * characters only equal the same escape.  Nothing is copied, so there is no
 * length limit on a component.
 */
#include "sip/lex.h"
#include "sip/sip.h"
#include "sip/uri_int.h"

/* sip_param_next() on a view that may be { NULL, 0 } (absent component):
 * NULL + 0 is undefined behaviour, so never hand it such a view. */
static int param_next(struct sv *rest, struct sv *name, struct sv *value,
		      bool *has_value)
{
	if (rest->len == 0)
		return 0;
	return sip_param_next(rest, name, value, has_value);
}

/* The first parameter named name (compared unescaped, case-insensitively). */
static bool param_lookup(struct sv params, struct sv name, struct sv *value,
			 bool *has_value)
{
	struct sv n, v;
	bool hv;

	while (param_next(&params, &n, &v, &hv) == 1) {
		if (uri_esc_eq(n, name, true)) {
			*value = v;
			*has_value = hv;
			return true;
		}
	}
	return false;
}

/* True if a parameter named name occurs in params before position at. */
static bool param_seen_before(struct sv params, const char *at, struct sv name)
{
	struct sv n, v;
	bool hv;

	while (param_next(&params, &n, &v, &hv) == 1 && n.p < at)
		if (uri_esc_eq(n, name, true))
			return true;
	return false;
}

/* §19.1.4: "A user, ttl, or method uri-parameter appearing in only one URI
 * never matches, even if it contains the default value.  A URI that
 * includes an maddr parameter will not match a URI that contains no maddr
 * parameter."  transport is treated the same way: the section's examples
 * say "sip:bob@biloxi.com" and "sip:bob@biloxi.com;transport=udp" differ
 * ("can resolve to different transports"). */
static bool param_must_match(struct sv name)
{
	return uri_esc_eq(name, SV("user"), true) ||
	       uri_esc_eq(name, SV("ttl"), true) ||
	       uri_esc_eq(name, SV("method"), true) ||
	       uri_esc_eq(name, SV("maddr"), true) ||
	       uri_esc_eq(name, SV("transport"), true);
}

/* Check the parameters of a against b: any parameter in both must match
 * (names and values case-insensitive, unescaped); a parameter only in a
 * must not be a must-match one (any one, if strict).  With duplicated
 * names, the first occurrence counts, as in sip_param_find(). */
static bool params_cover(struct sv a, struct sv b, bool strict,
			 bool check_values)
{
	struct sv rest = a, n, v, bv;
	bool hv, bhv;
	int rc;

	while ((rc = param_next(&rest, &n, &v, &hv)) == 1) {
		if (param_seen_before(a, n.p, n))
			continue;
		if (param_lookup(b, n, &bv, &bhv)) {
			if (check_values &&
			    (hv != bhv || !uri_esc_eq(v, bv, true)))
				return false;
		} else if (strict || param_must_match(n)) {
			return false;
		}
	}
	return rc == 0;
}

static bool params_equal(struct sv a, struct sv b, bool strict)
{
	return params_cover(a, b, strict, true) &&
	       params_cover(b, a, strict, false);
}

/* Next "hname=hvalue" of a headers component (without the '?'). */
static int hdr_next(struct sv *rest, struct sv *name, struct sv *value)
{
	size_t amp, eq;
	struct sv item;

	if (rest->len == 0)
		return 0;
	amp = sv_find(*rest, '&');
	item = sv_make(rest->p, amp);
	*rest = amp < rest->len ? sv_skip(*rest, amp + 1) : sv_skip(*rest, amp);
	eq = sv_find(item, '=');
	*name = sv_make(item.p, eq);
	*value = eq < item.len ? sv_skip(item, eq + 1) : sv_skip(item, eq);
	return 1;
}

/* How many headers of hs equal name=value.  Header names are
 * case-insensitive; values are compared exactly (after unescaping), the
 * §20 matching rules of each header being beyond a URI comparison. */
static size_t hdr_count(struct sv hs, struct sv name, struct sv value,
			size_t *total)
{
	struct sv n, v;
	size_t count = 0;

	*total = 0;
	while (hdr_next(&hs, &n, &v) == 1) {
		(*total)++;
		if (uri_esc_eq(n, name, true) && uri_esc_eq(v, value, false))
			count++;
	}
	return count;
}

/* §19.1.4: "URI header components are never ignored.  Any present header
 * component MUST be present in both URIs and match for the URIs to match."
 * Order does not matter, so compare as multisets. */
static bool headers_equal(struct sv a, struct sv b)
{
	struct sv rest = a, n, v;
	size_t ta = 0, tb = 0;

	if (a.len == 0 || b.len == 0)
		return a.len == b.len;
	while (hdr_next(&rest, &n, &v) == 1) {
		if (hdr_count(a, n, v, &ta) != hdr_count(b, n, v, &tb))
			return false;
	}
	return ta == tb;
}

/* RFC 3966 §4: telephone numbers are compared ignoring visual separators,
 * case-insensitively (local numbers may hold hex digits). */
static bool tel_number_eq(struct sv a, struct sv b)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < a.len && lex_visual_sep(a.p[i]))
			i++;
		while (j < b.len && lex_visual_sep(b.p[j]))
			j++;
		if (i == a.len || j == b.len)
			return i == a.len && j == b.len;
		if (sv_lower(a.p[i]) != sv_lower(b.p[j]))
			return false;
		i++;
		j++;
	}
}

bool sip_uri_equal(const struct sip_uri *a, const struct sip_uri *b)
{
	if (a->kind != b->kind)
		return false; /* sip and sips never match (§19.1.4) */

	switch (a->kind) {
	case SIP_SCHEME_SIP:
	case SIP_SCHEME_SIPS:
		/* §19.1.4: userinfo is case-sensitive, the host is not; the
		 * user, password, host and port must all match, and an
		 * omitted port never matches an explicit 5060. */
		return uri_esc_eq(a->user, b->user, false) &&
		       uri_esc_eq(a->password, b->password, false) &&
		       a->host_ipv6 == b->host_ipv6 &&
		       uri_esc_eq(a->host, b->host, true) &&
		       a->has_port == b->has_port && a->port == b->port &&
		       params_equal(a->params, b->params, false) &&
		       headers_equal(a->headers, b->headers);
	case SIP_SCHEME_TEL:
		/* RFC 3966 §4: "If one URI has a parameter name not found in
		 * the other, the two URIs are not equal." */
		return tel_number_eq(a->user, b->user) &&
		       params_equal(a->params, b->params, true);
	default:
		return sv_casecmp_eq(a->scheme, b->scheme) &&
		       sv_eq(a->opaque, b->opaque);
	}
}
