/* params.c - generic ";name=value" parameters and comma-separated lists.
 *
 * Both walk a view and hand back views; nothing is copied.  LWS (including
 * the CRLF of folded lines, RFC 3261 §7.3.1) is skipped around separators.
 */
#include <errno.h>

#include "sip/sip.h"

static const char *skip_lws(const char *p, const char *e)
{
	while (p < e && sv_is_lws(*p))
		p++;
	return p;
}

/* End of a quoted-string starting at p (p points at '"'); NULL if
 * unterminated.  quoted-pair (backslash + any octet) is honoured. */
static const char *quoted_end(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '"')
			return p + 1;
	}
	return NULL;
}

int sip_param_next(struct sv *rest, struct sv *name, struct sv *value,
		   bool *has_value)
{
	const char *p = rest->p, *e = rest->p + rest->len, *b;

	p = skip_lws(p, e);
	if (p == e) {
		*rest = sv_span(e, e);
		return 0;
	}
	if (*p != ';')
		return -EBADMSG;
	p = skip_lws(p + 1, e);
	b = p;
	while (p < e && *p != '=' && *p != ';' && !sv_is_lws(*p))
		p++;
	if (p == b)
		return -EBADMSG; /* ";;" or a trailing ';' */
	*name = sv_span(b, p);
	*value = sv_span(p, p);
	*has_value = false;
	p = skip_lws(p, e);
	if (p < e && *p == '=') {
		p = skip_lws(p + 1, e);
		b = p;
		if (p < e && *p == '"') {
			p = quoted_end(p, e);
			if (!p)
				return -EBADMSG;
		} else {
			while (p < e && *p != ';' && !sv_is_lws(*p))
				p++;
		}
		*value = sv_span(b, p);
		*has_value = true;
	}
	p = skip_lws(p, e);
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

	p = skip_lws(p, e);
	if (p == e) {
		*rest = sv_span(e, e);
		return 0;
	}
	b = p;
	while (p < e) {
		if (*p == '"') {
			p = quoted_end(p, e);
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
		p = skip_lws(p + 1, e);
		if (p == e)
			return -EBADMSG;
	}
	*rest = sv_span(p, e);
	return 1;
}
