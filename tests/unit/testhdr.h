/* testhdr.h - pull one header value out of a torture-test file.
 *
 * The value parsers are tested on the exact bytes of RFC 4475 / RFC 5118
 * messages without depending on the message scanner: this naive splitter
 * finds the nth header line whose name is long_name or compact (either may
 * be NULL), case-insensitively, keeps its folded continuation lines, trims
 * it and returns a guarded copy (the byte after it is unreadable).
 */
#ifndef RINGWAY_TESTS_TESTHDR_H
#define RINGWAY_TESTS_TESTHDR_H

#include <stdlib.h>

#include "testutil.h"

static inline int testhdr_match(struct sv name, const char *want)
{
	return want && sv_casecmp_eq(name, sv_from_cstr(want));
}

static inline struct guarded testhdr_value(const char *rel, int lf_to_crlf,
					   const char *long_name,
					   const char *compact, int nth)
{
	struct guarded file = guard_testdata(rel, lf_to_crlf);
	const char *p = file.p, *e = file.p + file.len;
	struct guarded out;

	/* Skip the start line. */
	while (p < e && *p != '\n')
		p++;
	p++;
	while (p < e && *p != '\r' && *p != '\n') {
		const char *line = p, *colon, *vend;
		struct sv name;

		/* The logical line ends at a CRLF not followed by SP/HTAB. */
		while (p < e) {
			if (*p == '\n' &&
			    !(p + 1 < e && (p[1] == ' ' || p[1] == '\t')))
				break;
			p++;
		}
		vend = p;
		p++;
		colon = memchr(line, ':', (size_t)(vend - line));
		if (!colon)
			continue;
		name = sv_trim(sv_span(line, colon));
		if (!testhdr_match(name, long_name) &&
		    !testhdr_match(name, compact))
			continue;
		if (nth-- > 0)
			continue;
		{
			struct sv v = sv_trim(sv_span(colon + 1, vend));

			out = guard_bytes(v.p, v.len);
			guard_free(&file);
			return out;
		}
	}
	abort(); /* the test asked for a header the file does not have */
}

#endif
