/* test_ring.c - the SPSC ring: single-thread semantics and a two-thread
 * ordering test (run it under ThreadSanitizer too). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ev/ring.h"

/* Items are small integers cast to pointers; 0 is not a valid item. */
#define ITEM(n) ((void *)(uintptr_t)(n))

static void test_rounding(void **state)
{
	static const size_t cases[][2] = {
		{0, 1}, {1, 1},	      {2, 2},	    {3, 4},
		{5, 8}, {1000, 1024}, {1024, 1024},
	};
	struct ev_ring r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = 0;

		assert_int_equal(ev_ring_init(&r, cases[i][0]), 0);
		assert_int_equal(r.mask + 1, cases[i][1]);
		while (ev_ring_push(&r, ITEM(n + 1)))
			n++;
		assert_int_equal(n, cases[i][1]);
		ev_ring_free(&r);
		assert_null(r.slots);
	}
	assert_int_equal(ev_ring_init(&r, SIZE_MAX), -ENOMEM);
}

static void test_full_empty_wrap(void **state)
{
	struct ev_ring r;
	uintptr_t in = 1, out = 1;

	(void)state;
	assert_int_equal(ev_ring_init(&r, 4), 0);
	assert_null(ev_ring_pop(&r));
	for (int i = 0; i < 4; i++)
		assert_true(ev_ring_push(&r, ITEM(in++)));
	assert_false(ev_ring_push(&r, ITEM(99)));
	assert_ptr_equal(ev_ring_pop(&r), ITEM(out++));
	assert_true(ev_ring_push(&r, ITEM(in++)));
	assert_false(ev_ring_push(&r, ITEM(99)));
	/* Many laps of uneven push/pop runs keep FIFO order across the wrap. */
	for (int lap = 0; lap < 1000; lap++) {
		int k = lap % 4 + 1;

		for (int i = 0; i < k; i++) {
			void *p = ev_ring_pop(&r);

			if (!p)
				break;
			assert_ptr_equal(p, ITEM(out++));
		}
		for (int i = 0; i < k; i++) {
			if (!ev_ring_push(&r, ITEM(in)))
				break;
			in++;
		}
		assert_true(in - out <= 4);
	}
	while (out < in)
		assert_ptr_equal(ev_ring_pop(&r), ITEM(out++));
	assert_null(ev_ring_pop(&r));
	ev_ring_free(&r);
}

enum { COUNT = 1000000 };

static void *producer(void *arg)
{
	struct ev_ring *r = arg;

	for (uintptr_t n = 1; n <= COUNT;) {
		if (ev_ring_push(r, ITEM(n)))
			n++;
		else
			sched_yield();
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	struct ev_ring r;
	pthread_t th;
	uintptr_t want = 1;
	unsigned long empty = 0;

	(void)state;
	assert_int_equal(ev_ring_init(&r, 256), 0);
	assert_int_equal(pthread_create(&th, NULL, producer, &r), 0);
	while (want <= COUNT) {
		void *p = ev_ring_pop(&r);

		if (!p) {
			empty++;
			sched_yield();
			continue;
		}
		if (p != ITEM(want))
			fail_msg("got %zu, want %zu", (size_t)(uintptr_t)p,
				 (size_t)want);
		want++;
	}
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_null(ev_ring_pop(&r));
	ev_ring_free(&r);
	printf("two threads: %d items, consumer saw empty %lu times\n", COUNT,
	       empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_full_empty_wrap),
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
