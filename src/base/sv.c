/* sv.c - string view helpers that are too large to inline. */
#include "base/sv.h"

#include <errno.h>

size_t sv_find(struct sv s, char c)
{
	const char *hit = s.len ? memchr(s.p, c, s.len) : NULL;

	return hit ? (size_t)(hit - s.p) : s.len;
}

int sv_to_u64(struct sv s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s.len == 0)
		return -EINVAL;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';

		if (d > 9)
			return -EINVAL;
		/* No division per digit: multiply with an overflow check. */
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, d, &v) || v > max)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

int sv_to_u32(struct sv s, uint32_t *out)
{
	uint64_t v;
	int rc = sv_to_u64(s, UINT32_MAX, &v);

	if (rc == 0)
		*out = (uint32_t)v;
	return rc;
}
