/* params.c - generic ";name=value" parameters and comma-separated lists.
 *
 * Both walk a view and hand back views; nothing is copied.  LWS (including
 * the CRLF of folded lines, RFC 3261 §7.3.1) is skipped around separators.
 */
#include <errno.h>

#include "sip/lex.h"
#include "sip/sip.h"

int sip_param_next(struct sv *rest, struct sv *name, struct sv *value,
		   bool *has_value)
{
	const char *p = rest->p, *e = rest->p + rest->len, *b;

	p = lex_skip_lws(p, e);
	if (p == e) {
		*rest = sv_span(e, e);
		return 0;
	}
	if (*p != ';')
		return -EBADMSG;
	p = lex_skip_lws(p + 1, e);
	b = p;
	p = lex_skip_not(p, e, LEX_PNAME_END);
	if (p == b)
		return -EBADMSG; /* ";;" or a trailing ';' */
	*name = sv_span(b, p);
	*value = sv_span(p, p);
	*has_value = false;
	p = lex_skip_lws(p, e);
	if (p < e && *p == '=') {
		p = lex_skip_lws(p + 1, e);
		b = p;
		if (p < e && *p == '"') {
			p = lex_quoted_end(p, e);
			if (!p)
				return -EBADMSG;
		} else {
			p = lex_skip_not(p, e, LEX_PVALUE_END);
		}
		*value = sv_span(b, p);
		*has_value = true;
	}
	p = lex_skip_lws(p, e);
	if (p < e && *p != ';')
		return -EBADMSG; /* junk after a parameter */
	*rest = sv_span(p, e);
	return 1;
}

bool sip_param_find(struct sv params, struct sv name, struct sv *value)
{
	struct sv n, v;
	bool hv;

	while (sip_param_next(&params, &n, &v, &hv) == 1) {
		if (sv_casecmp_eq(n, name)) {
			if (value)
				*value = v;
			return true;
		}
	}
	return false;
}

int sip_list_next(struct sv *rest, struct sv *item)
{
	const char *p = rest->p, *e = rest->p + rest->len, *b;
	int angle = 0;

	p = lex_skip_lws(p, e);
	if (p == e) {
		*rest = sv_span(e, e);
		return 0;
	}
	b = p;
	while (p < e) {
		if (*p == '"') {
			p = lex_quoted_end(p, e);
			if (!p)
				return -EBADMSG;
			continue;
		}
		if (*p == '<')
			angle++;
		else if (*p == '>' && angle > 0)
			angle--;
		else if (*p == ',' && angle == 0)
			break;
		p++;
	}
	if (angle)
		return -EBADMSG;
	*item = sv_rtrim(sv_span(b, p));
	if (item->len == 0)
		return -EBADMSG; /* ",," or a leading ',' */
	if (p < e) {
		/* Skip the comma; a trailing comma is an empty element. */
		p = lex_skip_lws(p + 1, e);
		if (p == e)
			return -EBADMSG;
	}
	*rest = sv_span(p, e);
	return 1;
}
