/* uri_int.h - private helpers shared by uri.c and uri_cmp.c: %-escapes.
 *
 * RFC 3261 §19.1.4: "Characters other than those in the 'reserved' set (see
 * RFC 2396) are equivalent to their '%' HEX HEX encoding."  A URI component
 * is therefore walked as a sequence of symbols: a literal octet, an escaped
 * unreserved octet (the same symbol as the literal one), or an escaped
 * reserved octet (a symbol of its own, URI_ESC_RESERVED + octet).  Escapes
 * are decoded once, never recursively (RFC 4475 esc01).
 */
#ifndef RINGWAY_SIP_URI_INT_H
#define RINGWAY_SIP_URI_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sv.h"

#define URI_ESC_RESERVED 256

static inline int uri_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* True if p[0] is '%' followed by two hex digits, all within n bytes. */
static inline bool uri_is_escape(const char *p, size_t n)
{
	return n >= 3 && p[0] == '%' && uri_hexval(p[1]) >= 0 &&
	       uri_hexval(p[2]) >= 0;
}

/* RFC 2396 §2.2 reserved = ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" /
 * "$" / "," */
static inline bool uri_is_reserved(int c)
{
	switch (c) {
	case ';':
	case '/':
	case '?':
	case ':':
	case '@':
	case '&':
	case '=':
	case '+':
	case '$':
	case ',':
		return true;
	default:
		return false;
	}
}

/* p and n rather than an end pointer: views of absent components may be
 * { NULL, 0 }, and NULL + 0 is undefined behaviour. */
struct uri_esc_it {
	const char *p;
	size_t n;
};

/* Next symbol of the component, or -1 at its end.  A '%' that does not
 * start a valid escape (only possible in hand-made structs: the parser
 * rejects it) is taken literally. */
static inline int uri_esc_next(struct uri_esc_it *it)
{
	int c;

	if (it->n == 0)
		return -1;
	if (uri_is_escape(it->p, it->n)) {
		c = uri_hexval(it->p[1]) * 16 + uri_hexval(it->p[2]);
		it->p += 3;
		it->n -= 3;
		return uri_is_reserved(c) ? URI_ESC_RESERVED + c : c;
	}
	it->n--;
	return (unsigned char)*it->p++;
}

static inline int uri_fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Compare two components symbol by symbol; fold: ASCII case-insensitive. */
static inline bool uri_esc_eq(struct sv a, struct sv b, bool fold)
{
	struct uri_esc_it ia = {a.p, a.len};
	struct uri_esc_it ib = {b.p, b.len};
	int ca, cb;

	do {
		ca = uri_esc_next(&ia);
		cb = uri_esc_next(&ib);
		if (fold) {
			ca = uri_fold(ca);
			cb = uri_fold(cb);
		}
		if (ca != cb)
			return false;
	} while (ca >= 0);
	return true;
}

#endif
