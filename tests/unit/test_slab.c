/* test_slab.c - size classes, reuse, budget and accounting of the slab. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/slab.h"

static void test_block_sizes(void **state)
{
	static const struct {
		size_t len, size;
	} cases[] = {
		{0, 256},	{1, 256},	{256, 256},	{257, 512},
		{512, 512},	{1000, 1024},	{4097, 8192},	{16384, 16384},
		{16385, 32768}, {32769, 65536}, {65536, 65536},
	};
	struct slab *s;

	(void)state;
	assert_int_equal(slab_new(&s, 0), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = slab_alloc(s, cases[i].len);

		assert_non_null(p);
		assert_int_equal(slab_block_size(p), cases[i].size);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		/* The whole block is usable. */
		memset(p, 0xa5, cases[i].size);
		assert_int_equal(slab_in_use(s), cases[i].size);
		slab_release(s, p);
		assert_int_equal(slab_in_use(s), 0);
	}
	assert_null(slab_alloc(s, 65537));
	assert_null(slab_alloc(s, SIZE_MAX));
	slab_release(s, NULL);
	slab_free(s);
	slab_free(NULL);
}

static void test_reuse(void **state)
{
	struct slab *s;
	void *p, *q, *r;
	size_t held;

	(void)state;
	assert_int_equal(slab_new(&s, 0), 0);
	assert_int_equal(slab_held(s), 0);
	p = slab_alloc(s, 300);
	assert_non_null(p);
	held = slab_held(s);
	assert_true(held >= 512);
	assert_true(held <= 64 * 1024 + 64);
	slab_release(s, p);
	/* The same class hands the same block back, without growing. */
	q = slab_alloc(s, 400);
	assert_ptr_equal(q, p);
	assert_int_equal(slab_held(s), held);
	/* Another class takes its own chunk. */
	r = slab_alloc(s, 100);
	assert_non_null(r);
	assert_true(slab_held(s) > held);
	assert_int_equal(slab_in_use(s), 512 + 256);
	slab_release(s, q);
	slab_release(s, r);
	assert_int_equal(slab_in_use(s), 0);
	slab_free(s);
}

/* Many live blocks of mixed sizes never overlap: each is filled with its
 * own pattern and checked when released. */
static void test_random_pattern(void **state)
{
	enum { N = 300, OPS = 20000 };
	static unsigned char *live[N];
	static size_t len[N];
	uint64_t rng = 0x2545f4914f6cdd1dull;
	size_t in_use = 0;
	struct slab *s;

	(void)state;
	assert_int_equal(slab_new(&s, 0), 0);
	for (int op = 0; op < OPS; op++) {
		size_t i;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		i = rng % N;
		if (live[i]) {
			for (size_t k = 0; k < len[i]; k++)
				assert_int_equal(live[i][k], (unsigned char)i);
			in_use -= slab_block_size(live[i]);
			slab_release(s, live[i]);
			live[i] = NULL;
		} else {
			len[i] = (rng >> 20) % (rng & 1 ? 2000 : 65537);
			live[i] = slab_alloc(s, len[i]);
			assert_non_null(live[i]);
			assert_true(slab_block_size(live[i]) >= len[i]);
			memset(live[i], (int)i, len[i]);
			in_use += slab_block_size(live[i]);
		}
		assert_int_equal(slab_in_use(s), in_use);
	}
	assert_true(slab_held(s) >= slab_in_use(s));
	for (size_t i = 0; i < N; i++) {
		slab_release(s, live[i]);
		live[i] = NULL;
	}
	assert_int_equal(slab_in_use(s), 0);
	slab_free(s);
}

static void test_budget(void **state)
{
	enum { MAX = 300 * 1024 };
	void *big[16];
	int n = 0;
	struct slab *s;
	void *p;

	(void)state;
	assert_int_equal(slab_new(&s, MAX), 0);
	while (n < 16 && (big[n] = slab_alloc(s, 65536)) != NULL)
		n++;
	/* 64 KiB blocks plus headers: four fit in 300 KiB, five do not. */
	assert_int_equal(n, 4);
	assert_true(slab_held(s) <= MAX);
	assert_int_equal(slab_in_use(s), 4 * 65536);
	/* The rest of the budget still serves small blocks, then runs out. */
	p = slab_alloc(s, 256);
	assert_non_null(p);
	assert_true(slab_held(s) <= MAX);
	while (slab_alloc(s, 256)) {
		assert_true(slab_held(s) <= MAX);
	}
	assert_null(slab_alloc(s, 1024));
	/* Released blocks are reused within the budget. */
	slab_release(s, big[0]);
	big[0] = slab_alloc(s, 40000);
	assert_non_null(big[0]);
	assert_true(slab_held(s) <= MAX);
	/* Too small a budget for any chunk of a class. */
	slab_free(s);
	assert_int_equal(slab_new(&s, 1000), 0);
	assert_null(slab_alloc(s, 1024));
	assert_non_null(slab_alloc(s, 256));
	assert_true(slab_held(s) <= 1000);
	slab_free(s); /* frees chunks with blocks still handed out */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_sizes),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_random_pattern),
		cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
