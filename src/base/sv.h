/* sv.h - string views: a pointer and a length, never NUL-terminated.
 *
 * Parsers in ringway never copy or terminate their input; every token they
 * find is a view into the receive buffer.  Views are passed by value.
 */
#ifndef RINGWAY_BASE_SV_H
#define RINGWAY_BASE_SV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sv {
	const char *p;
	size_t len;
};

/* A view of a string literal. */
#define SV(lit) ((struct sv){"" lit, sizeof(lit) - 1})
#define SV_NULL ((struct sv){NULL, 0})

static inline struct sv sv_make(const char *p, size_t len)
{
	return (struct sv){p, len};
}

static inline struct sv sv_from_cstr(const char *s)
{
	return (struct sv){s, s ? strlen(s) : 0};
}

/* A view spanning [b, e). */
static inline struct sv sv_span(const char *b, const char *e)
{
	return (struct sv){b, (size_t)(e - b)};
}

static inline bool sv_is_null(struct sv s)
{
	return s.p == NULL;
}

static inline const char *sv_end(struct sv s)
{
	return s.p + s.len;
}

static inline bool sv_eq(struct sv a, struct sv b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline char sv_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/* ASCII case-insensitive equality (SIP tokens are ASCII). */
static inline bool sv_casecmp_eq(struct sv a, struct sv b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (sv_lower(a.p[i]) != sv_lower(b.p[i]))
			return false;
	return true;
}

static inline bool sv_starts_with_case(struct sv s, struct sv prefix)
{
	return s.len >= prefix.len &&
	       sv_casecmp_eq(sv_make(s.p, prefix.len), prefix);
}

/* Skip n bytes (n <= s.len). */
static inline struct sv sv_skip(struct sv s, size_t n)
{
	return (struct sv){s.p + n, s.len - n};
}

/* Linear whitespace as the SIP grammar sees it inside a header value:
 * SP, HTAB and the CR/LF of a folded line (RFC 3261 §7.3.1). */
static inline bool sv_is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline struct sv sv_ltrim(struct sv s)
{
	while (s.len && sv_is_lws(*s.p)) {
		s.p++;
		s.len--;
	}
	return s;
}

static inline struct sv sv_rtrim(struct sv s)
{
	while (s.len && sv_is_lws(s.p[s.len - 1]))
		s.len--;
	return s;
}

static inline struct sv sv_trim(struct sv s)
{
	return sv_rtrim(sv_ltrim(s));
}

/* Find c in s; returns its index or s.len. */
size_t sv_find(struct sv s, char c);

/* Strict unsigned decimal: 1*DIGIT, no sign, no spaces.  Leading zeros are
 * allowed (RFC 4475 wsinv).  Returns 0, -EINVAL (not a number) or -ERANGE
 * (above max). */
int sv_to_u64(struct sv s, uint64_t max, uint64_t *out);
int sv_to_u32(struct sv s, uint32_t *out);

#endif
