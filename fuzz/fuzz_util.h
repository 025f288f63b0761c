/* fuzz_util.h - checks shared by the fuzz targets. */
#ifndef RINGWAY_FUZZ_UTIL_H
#define RINGWAY_FUZZ_UTIL_H

#include <stdlib.h>

#include "base/sv.h"

/* A view a parser returned must lie inside its input. */
static inline void check_view(struct sv v, struct sv in)
{
	if (v.len == 0)
		return;
	if (v.p < in.p || v.len > in.len ||
	    (size_t)(v.p - in.p) > in.len - v.len)
		abort();
}

#endif
