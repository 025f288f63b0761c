/* testutil.c - guard-page buffers and test data loading. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

struct guarded guard_bytes(const void *bytes, size_t len)
{
	struct guarded g = {0};
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data_pages = (len + page - 1) / page;
	char *m;

	if (data_pages == 0)
		data_pages = 1;
	g.maplen = (data_pages + 1) * page;
	m = mmap(NULL, g.maplen, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		abort();
	if (mprotect(m + data_pages * page, page, PROT_NONE) != 0)
		abort();
	g.map = m;
	g.p = m + data_pages * page - len;
	g.len = len;
	if (len)
		memcpy((char *)g.p, bytes, len);
	return g;
}

struct guarded guard_str(const char *s)
{
	return guard_bytes(s, strlen(s));
}

void guard_each_prefix(const char *s, void (*fn)(struct sv prefix))
{
	size_t n = strlen(s);

	for (size_t i = 0; i <= n; i++) {
		struct guarded g = guard_bytes(s, i);

		fn(guard_sv(&g));
		guard_free(&g);
	}
}

void guard_free(struct guarded *g)
{
	if (g->map)
		munmap(g->map, g->maplen);
	g->map = NULL;
}

struct guarded guard_testdata(const char *rel, int lf_to_crlf)
{
	char path[512];
	FILE *f;
	char *raw, *out;
	long n;
	size_t olen = 0;
	struct guarded g;

	snprintf(path, sizeof(path), "%s/%s", RINGWAY_TESTDATA, rel);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	raw = malloc((size_t)n + 1);
	out = malloc((size_t)n * 2 + 1);
	if (!raw || !out || fread(raw, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	for (long i = 0; i < n; i++) {
		if (lf_to_crlf && raw[i] == '\n' &&
		    (i == 0 || raw[i - 1] != '\r'))
			out[olen++] = '\r';
		out[olen++] = raw[i];
	}
	g = guard_bytes(out, olen);
	free(raw);
	free(out);
	return g;
}

void assert_sv_at(struct sv got, const char *want, const char *file, int line)
{
	if (sv_eq(got, sv_from_cstr(want)))
		return;
	fprintf(stderr, "%s:%d: got \"%.*s\", want \"%s\"\n", file, line,
		(int)got.len, got.p ? got.p : "", want);
	_fail(file, line);
}
