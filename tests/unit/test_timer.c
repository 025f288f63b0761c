/* test_timer.c - the timing wheel against a reference model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "ev/timer.h"

#define MS_HOUR (3600ull * 1000)
#define MS_DAY	(24 * MS_HOUR)

/* A timer with a back pointer to the test's state: tw_timer is the first
 * member so the callback can cast back. */
struct ttimer {
	struct tw_timer t;
	int id;
};

static struct tw wheel;
static uint64_t fired_at[64];
static int fired_id[64];
static int nfired;

static void record(struct tw_timer *t)
{
	struct ttimer *tt = (struct ttimer *)t;

	assert_true(nfired < 64);
	assert_false(tw_armed(t));
	fired_at[nfired] = wheel.now;
	fired_id[nfired++] = tt->id;
}

static void reset(uint64_t now)
{
	tw_init(&wheel, now);
	nfired = 0;
}

static void test_basic(void **state)
{
	struct ttimer a = {.id = 1}, b = {.id = 2};

	(void)state;
	reset(1000);
	tw_timer_init(&a.t, record);
	tw_timer_init(&b.t, record);
	assert_false(tw_armed(&a.t));
	assert_int_equal(tw_next_delay(&wheel), -1);
	tw_add(&wheel, &a.t, 10);
	tw_add(&wheel, &b.t, 5);
	assert_true(tw_armed(&a.t));
	assert_int_equal(wheel.count, 2);
	assert_int_equal(a.t.expires, 1010);
	assert_int_equal(tw_next_delay(&wheel), 5);
	tw_advance(&wheel, 1004);
	assert_int_equal(nfired, 0);
	assert_int_equal(tw_next_delay(&wheel), 1);
	tw_advance(&wheel, 1005);
	assert_int_equal(nfired, 1);
	assert_int_equal(fired_id[0], 2);
	assert_int_equal(fired_at[0], 1005);
	assert_int_equal(wheel.count, 1);
	/* Re-arming an armed timer moves it and keeps the count. */
	tw_add(&wheel, &a.t, 300);
	assert_int_equal(wheel.count, 1);
	tw_advance(&wheel, 1010);
	assert_int_equal(nfired, 1);
	tw_del(&wheel, &a.t);
	tw_del(&wheel, &a.t); /* harmless twice */
	assert_false(tw_armed(&a.t));
	assert_int_equal(wheel.count, 0);
	tw_advance(&wheel, 5000);
	assert_int_equal(nfired, 1);
	assert_int_equal(wheel.now, 5000);
}

/* Timers added in shuffled order fire in expiry order, each at its own
 * millisecond, across all levels, through one big advance. */
static void test_order_one_jump(void **state)
{
	static const uint64_t delays[] = {
		3 * MS_DAY, 1,
		255,	    256,
		257,	    65535,
		65536,	    65537,
		MS_HOUR,    16777215,
		16777216,   1000,
		0,	    2 * MS_DAY + 7,
		70000,	    513,
		511,
	};
	enum { N = sizeof(delays) / sizeof(delays[0]) };
	struct ttimer t[N];

	(void)state;
	reset(123456789);
	for (int i = 0; i < N; i++) {
		t[i].id = i;
		tw_timer_init(&t[i].t, record);
		tw_add(&wheel, &t[i].t, delays[i]);
	}
	tw_advance(&wheel, 123456789 + 4 * MS_DAY);
	assert_int_equal(nfired, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(fired_at[i], 123456789 + delays[fired_id[i]]);
		if (i)
			assert_true(fired_at[i - 1] < fired_at[i]);
	}
	assert_int_equal(wheel.count, 0);
}

/* Delay 0 from outside a callback: due now, fired by the next tw_advance
 * even when it is given the same time. */
static void test_delay0_outside(void **state)
{
	struct ttimer a = {.id = 7};

	(void)state;
	reset(500);
	tw_timer_init(&a.t, record);
	tw_add(&wheel, &a.t, 0);
	assert_int_equal(tw_next_delay(&wheel), 0);
	tw_advance(&wheel, 500);
	assert_int_equal(nfired, 1);
	assert_int_equal(fired_at[0], 500);
	/* Also just after a cascade boundary has been processed. */
	tw_advance(&wheel, 512);
	tw_add(&wheel, &a.t, 0);
	tw_advance(&wheel, 512);
	assert_int_equal(nfired, 2);
	assert_int_equal(fired_at[1], 512);
}

static struct ttimer chain[3];

/* chain[0] arms chain[1] with delay 0 and deletes chain[2], due in the same
 * millisecond. */
static void chain_fn(struct tw_timer *t)
{
	record(t);
	if (t == &chain[0].t) {
		tw_add(&wheel, &chain[1].t, 0);
		tw_del(&wheel, &chain[2].t);
	}
}

static void test_callbacks_same_tick(void **state)
{
	(void)state;
	reset(0);
	for (int i = 0; i < 3; i++) {
		chain[i].id = i;
		tw_timer_init(&chain[i].t, chain_fn);
	}
	tw_add(&wheel, &chain[0].t, 300);
	tw_add(&wheel, &chain[2].t, 300);
	tw_advance(&wheel, 1000);
	assert_int_equal(nfired, 2);
	assert_int_equal(fired_id[0], 0);
	assert_int_equal(fired_id[1], 1);
	assert_int_equal(fired_at[1], 300); /* in the same call, same ms */
	assert_false(tw_armed(&chain[2].t));
	assert_int_equal(wheel.count, 0);
}

static int periodic_left;

static void periodic_fn(struct tw_timer *t)
{
	record(t);
	if (--periodic_left > 0)
		tw_add(&wheel, t, 100);
}

/* A callback re-arming itself keeps an exact period across one advance. */
static void test_rearm_self(void **state)
{
	struct ttimer p = {.id = 9};

	(void)state;
	reset(77);
	periodic_left = 50;
	tw_timer_init(&p.t, periodic_fn);
	tw_add(&wheel, &p.t, 100);
	tw_advance(&wheel, 77 + 10000);
	assert_int_equal(nfired, 50);
	for (int i = 0; i < 50; i++)
		assert_int_equal(fired_at[i], 77 + 100 * (uint64_t)(i + 1));
	assert_false(tw_armed(&p.t));
}

/* Beyond the top level (49 days) a timer is clamped and re-cascaded; it
 * still fires at its exact time, and a jump over years with nothing due
 * is quick. */
static void test_far_and_long_jumps(void **state)
{
	struct ttimer a = {.id = 1}, b = {.id = 2};
	uint64_t start = 5, far = 400 * MS_DAY + 12345;
	clock_t c0 = clock();

	(void)state;
	reset(start);
	tw_timer_init(&a.t, record);
	tw_timer_init(&b.t, record);
	tw_add(&wheel, &a.t, far);
	tw_add(&wheel, &b.t, UINT64_MAX); /* saturates, never fires */
	assert_true(tw_next_delay(&wheel) > 0);
	assert_true((uint64_t)tw_next_delay(&wheel) <= far);
	for (uint64_t now = start; now < start + far - MS_HOUR; now += MS_HOUR)
		tw_advance(&wheel, now);
	assert_int_equal(nfired, 0);
	tw_advance(&wheel, start + far - 1);
	assert_int_equal(nfired, 0);
	assert_int_equal(tw_next_delay(&wheel), 1);
	tw_advance(&wheel, start + far);
	assert_int_equal(nfired, 1);
	assert_int_equal(fired_at[0], start + far);
	tw_del(&wheel, &b.t);
	/* Ten years of empty wheel in one call. */
	tw_advance(&wheel, wheel.now + 3650 * MS_DAY);
	assert_int_equal(wheel.count, 0);
	assert_true(clock() - c0 < CLOCKS_PER_SEC);
}

/* ---- randomized test against a reference model ---- */

enum { RN = 200 };

struct rtimer {
	struct tw_timer t;
	int id;
	bool armed; /* model */
	uint64_t expires;
};

static struct rtimer rt[RN];
static uint64_t rng;
static uint64_t target;	    /* now_ms of the tw_advance in progress */
static uint64_t last_fired; /* expiry of the previous firing */
static size_t model_count;
static unsigned long total_fired;
static bool draining; /* callbacks stop re-arming */

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t rnd_delay(void)
{
	switch (rnd() % 8) {
	case 0:
		return 0;
	case 1:
	case 2:
		return rnd() % 256; /* level 0 */
	case 3:
		return rnd() % 65536; /* level 1 */
	case 4:
		return rnd() % (1u << 24); /* level 2 */
	case 5:
		return rnd() % (3 * MS_DAY) + 1; /* level 3 */
	case 6:
		return rnd() % 8 + 254; /* around the level 0/1 edge */
	default:
		return rnd() % (60 * MS_DAY); /* sometimes clamped */
	}
}

static void model_add(struct rtimer *r, uint64_t delay)
{
	if (!r->armed)
		model_count++;
	r->armed = true;
	r->expires = wheel.now + delay;
	tw_add(&wheel, &r->t, delay);
}

static void model_del(struct rtimer *r)
{
	if (r->armed)
		model_count--;
	r->armed = false;
	tw_del(&wheel, &r->t);
}

static void rand_fn(struct tw_timer *t)
{
	struct rtimer *r = (struct rtimer *)t;
	uint64_t x;

	assert_true(r->armed);
	assert_int_equal(r->expires, wheel.now);
	assert_true(r->expires <= target);
	assert_true(r->expires >= last_fired);
	assert_false(tw_armed(t));
	last_fired = r->expires;
	r->armed = false;
	model_count--;
	total_fired++;
	if (draining)
		return;

	x = rnd() % 16;
	if (x < 4) {
		model_add(r, rnd_delay()); /* re-arm self */
	} else if (x < 6) {
		model_add(r, rnd() % 3); /* re-arm self, very soon */
	} else if (x < 8) {
		/* Delete another timer, often one due in this same ms. */
		for (int i = 0; i < RN; i++) {
			struct rtimer *o = &rt[(r->id + i) % RN];

			if (o->armed && o->expires == wheel.now) {
				model_del(o);
				break;
			}
		}
	} else if (x < 10) {
		model_add(&rt[rnd() % RN], 0); /* delay 0: fires this call */
	} else if (x < 11) {
		model_del(&rt[rnd() % RN]);
	}
}

static void model_check(void)
{
	uint64_t min = UINT64_MAX;
	int64_t nd = tw_next_delay(&wheel);

	assert_int_equal(wheel.count, model_count);
	for (int i = 0; i < RN; i++) {
		assert_int_equal(tw_armed(&rt[i].t), rt[i].armed);
		if (!rt[i].armed)
			continue;
		assert_int_equal(rt[i].t.expires, rt[i].expires);
		assert_true(rt[i].expires > wheel.now);
		if (rt[i].expires < min)
			min = rt[i].expires;
	}
	if (!model_count) {
		assert_int_equal(nd, -1);
	} else {
		assert_true(nd >= 0);
		assert_true((uint64_t)nd <= min - wheel.now);
	}
}

static void random_run(uint64_t seed, int ops)
{
	rng = seed;
	model_count = 0;
	draining = false;
	reset(seed % 100000000);
	for (int i = 0; i < RN; i++) {
		rt[i].id = i;
		rt[i].armed = false;
		tw_timer_init(&rt[i].t, rand_fn);
	}
	for (int op = 0; op < ops; op++) {
		uint64_t x = rnd() % 100;
		struct rtimer *r = &rt[rnd() % RN];

		if (x < 45) {
			model_add(r, rnd_delay());
		} else if (x < 55) {
			model_del(r);
		} else {
			uint64_t step;

			x = rnd() % 100;
			if (x < 40)
				step = rnd() % 8;
			else if (x < 70)
				step = rnd() % 1000;
			else if (x < 90)
				step = rnd() % (1u << 20);
			else if (x < 97)
				step = rnd() % (1u << 26);
			else
				step = rnd() % (4 * MS_DAY); /* long jump */
			target = wheel.now + step;
			last_fired = 0;
			tw_advance(&wheel, target);
			assert_int_equal(wheel.now, target);
			model_check();
		}
	}
	/* Drain: everything armed fires, in order, and nothing is left. */
	target = wheel.now + 200 * MS_DAY;
	last_fired = 0;
	draining = true;
	tw_advance(&wheel, target);
	model_check();
	assert_int_equal(wheel.count, 0);
}

static void test_random_vs_model(void **state)
{
	static const uint64_t seeds[] = {
		0x9e3779b97f4a7c15ull, 0x1234567ull,	  42,
		0xdeadbeefcafeull,     0x5555aaaa3333ull,
	};

	(void)state;
	total_fired = 0;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		random_run(seeds[i], 10000);
	/* The run must have exercised firing, not just arming. */
	assert_true(total_fired > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_order_one_jump),
		cmocka_unit_test(test_delay0_outside),
		cmocka_unit_test(test_callbacks_same_tick),
		cmocka_unit_test(test_rearm_self),
		cmocka_unit_test(test_far_and_long_jumps),
		cmocka_unit_test(test_random_vs_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
