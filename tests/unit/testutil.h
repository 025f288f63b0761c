/* testutil.h - helpers shared by the unit tests. */
#ifndef RINGWAY_TESTS_TESTUTIL_H
#define RINGWAY_TESTS_TESTUTIL_H

#include <stddef.h>

#include "base/sv.h"

/* A copy of some bytes placed so that the byte after the last one is the
 * first byte of a PROT_NONE page: any over-read by a parser crashes
 * (picohttpparser's test trick).  Free with guard_free(). */
struct guarded {
	void *map;
	size_t maplen;
	const char *p;
	size_t len;
};

struct guarded guard_bytes(const void *bytes, size_t len);
struct guarded guard_str(const char *s);
void guard_free(struct guarded *g);

/* Read tests/data/<rel> (e.g. "rfc4475/wsinv.dat") into a guarded buffer.
 * With lf_to_crlf, bare LF line ends become CRLF (RFC 5118's files are
 * LF-only text, see tests/data/rfc5118/INDEX.md). */
struct guarded guard_testdata(const char *rel, int lf_to_crlf);

/* Call fn on every prefix of s (lengths 0 .. strlen(s)), each placed
 * right before a guard page: parsers must accept or reject every
 * truncation cleanly and never read past it. */
void guard_each_prefix(const char *s, void (*fn)(struct sv prefix));

/* Fail the current cmocka test unless the view equals the C string,
 * printing both (assert_sv(got, "want")). */
void assert_sv_at(struct sv got, const char *want, const char *file, int line);
#define assert_sv(got, want) assert_sv_at((got), (want), __FILE__, __LINE__)

static inline struct sv guard_sv(const struct guarded *g)
{
	return sv_make(g->p, g->len);
}

#endif
