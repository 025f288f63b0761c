/* test_loop.c - the event loop with real fds, real time (short) and
 * threads. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ev/loop.h"

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* A watchdog: every test arms it so a broken loop fails instead of
 * hanging. */
struct guard {
	struct tw_timer t;
	struct ev_loop *l;
	bool fired;
};

static struct guard guard;

static void guard_fn(struct tw_timer *t)
{
	struct guard *g = (struct guard *)t;

	g->fired = true;
	ev_stop(g->l);
}

static struct ev_loop *loop_new(void)
{
	struct ev_loop *l;

	assert_int_equal(ev_loop_new(&l), 0);
	guard.l = l;
	guard.fired = false;
	tw_timer_init(&guard.t, guard_fn);
	tw_add(ev_timers(l), &guard.t, 3000);
	return l;
}

static void loop_free(struct ev_loop *l)
{
	assert_false(guard.fired);
	tw_del(ev_timers(l), &guard.t);
	ev_loop_free(l);
}

/* ---- pipe readable ---- */

struct reader {
	struct ev_io io;
	struct ev_loop *l;
	unsigned revents;
	int calls;
	char buf[16];
	ssize_t got;
};

static void reader_fn(struct ev_io *io, unsigned revents)
{
	struct reader *r = (struct reader *)io;

	r->calls++;
	r->revents = revents;
	r->got = read(io->fd, r->buf, sizeof(r->buf));
	ev_stop(r->l);
}

static void test_pipe_readable(void **state)
{
	struct ev_loop *l = loop_new();
	struct reader r = {.l = l};
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	assert_int_equal(ev_io_start(l, &r.io, p[0], EV_READ, reader_fn), 0);
	assert_int_equal(write(p[1], "hello", 5), 5);
	assert_int_equal(ev_run(l), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.revents, EV_READ);
	assert_int_equal(r.got, 5);
	assert_memory_equal(r.buf, "hello", 5);

	/* A hang-up is reported as EV_READ, and read() then returns 0. */
	close(p[1]);
	assert_int_equal(ev_run(l), 0);
	assert_int_equal(r.calls, 2);
	assert_int_equal(r.revents, EV_READ);
	assert_int_equal(r.got, 0);
	ev_io_stop(l, &r.io);
	close(p[0]);
	/* A bad fd is an error, not a crash. */
	assert_int_equal(ev_io_start(l, &r.io, -1, EV_READ, reader_fn), -EBADF);
	loop_free(l);
}

/* ---- a timer through the loop ---- */

struct ltimer {
	struct tw_timer t;
	struct ev_loop *l;
	uint64_t fired_now; /* ev_now() in the callback */
	uint64_t fired_real;
	uint64_t expires;
};

static void ltimer_fn(struct tw_timer *t)
{
	struct ltimer *lt = (struct ltimer *)t;

	lt->fired_now = ev_now(lt->l);
	lt->fired_real = mono_ms();
	lt->expires = t->expires;
	ev_stop(lt->l);
}

static void test_timer_fires(void **state)
{
	struct ev_loop *l = loop_new();
	struct ltimer lt = {.l = l};
	uint64_t start;

	(void)state;
	sleep_ms(5); /* ev_run refreshes the cached time before sleeping */
	start = ev_now(l);
	assert_true(start + 5 <= mono_ms());
	tw_timer_init(&lt.t, ltimer_fn);
	tw_add(ev_timers(l), &lt.t, 20);
	assert_int_equal(ev_run(l), 0);
	assert_int_equal(lt.expires, start + 20);
	assert_true(lt.fired_real >= start + 20);
	assert_true(lt.fired_real < start + 500);
	assert_true(lt.fired_now >= lt.expires);
	assert_true(lt.fired_now <= lt.fired_real);
	loop_free(l);
}

/* ---- before-sleep hooks ---- */

static int hook_log[64];
static int nhook;

static void hook_fn(void *arg)
{
	if (nhook < 64)
		hook_log[nhook++] = (int)(intptr_t)arg;
}

static int ticks_left;

static void tick_fn(struct tw_timer *t)
{
	struct ltimer *lt = (struct ltimer *)t;

	if (--ticks_left > 0)
		tw_add(ev_timers(lt->l), t, 2);
	else
		ev_stop(lt->l);
}

static void test_before_sleep(void **state)
{
	struct ev_loop *l = loop_new();
	struct ltimer lt = {.l = l};
	int i;

	(void)state;
	nhook = 0;
	assert_int_equal(ev_before_sleep(l, hook_fn, (void *)1), 0);
	assert_int_equal(ev_before_sleep(l, hook_fn, (void *)2), 0);
	for (i = 2; i < 8; i++)
		assert_int_equal(ev_before_sleep(l, hook_fn, (void *)0), 0);
	assert_int_equal(ev_before_sleep(l, hook_fn, (void *)0), -ENOSPC);
	ticks_left = 3;
	tw_timer_init(&lt.t, tick_fn);
	tw_add(ev_timers(l), &lt.t, 2);
	assert_int_equal(ev_run(l), 0);
	/* At least one sleep per tick, eight hooks each, in order; the
	 * hooks also run once more before ev_run returns. */
	assert_true(nhook >= 4 * 8);
	assert_int_equal(nhook % 8, 0);
	for (i = 0; i < nhook; i += 8) {
		assert_int_equal(hook_log[i], 1);
		assert_int_equal(hook_log[i + 1], 2);
	}
	loop_free(l);
}

/* ---- wake-ups and stop from other threads ---- */

struct waker {
	struct ev_wake w;
	struct ev_loop *l;
	atomic_int calls;
	int stop_after;
};

static void waker_fn(struct ev_wake *w)
{
	struct waker *k = (struct waker *)w;

	if (atomic_fetch_add(&k->calls, 1) + 1 >= k->stop_after)
		ev_stop(k->l);
}

static void *signal_thread(void *arg)
{
	struct waker *k = arg;

	sleep_ms(10);
	for (int i = 0; i < 5; i++)
		ev_wake_signal(&k->w);
	return NULL;
}

static void test_wake(void **state)
{
	struct ev_loop *l = loop_new();
	struct waker k = {.l = l, .stop_after = 1};
	pthread_t th;

	(void)state;
	assert_int_equal(ev_wake_init(l, &k.w, waker_fn), 0);
	/* Signals before the loop runs coalesce into one call. */
	for (int i = 0; i < 5; i++)
		ev_wake_signal(&k.w);
	assert_int_equal(ev_run(l), 0);
	assert_int_equal(atomic_load(&k.calls), 1);

	/* From another thread. */
	atomic_store(&k.calls, 0);
	assert_int_equal(pthread_create(&th, NULL, signal_thread, &k), 0);
	assert_int_equal(ev_run(l), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_true(atomic_load(&k.calls) >= 1);
	assert_true(atomic_load(&k.calls) <= 5);
	ev_wake_close(l, &k.w);
	ev_wake_close(l, &k.w); /* harmless twice */
	loop_free(l);
}

static void *stop_thread(void *arg)
{
	sleep_ms(20);
	ev_stop(arg);
	return NULL;
}

static void test_stop_other_thread(void **state)
{
	struct ev_loop *l = loop_new();
	pthread_t th;
	uint64_t start = mono_ms();

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, stop_thread, l), 0);
	/* Nothing else is pending: only the stop's wake-up ends the sleep,
	 * well before the 1 s cap. */
	assert_int_equal(ev_run(l), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_true(mono_ms() - start >= 20);
	assert_true(mono_ms() - start < 500);
	/* A stop before ev_run is not lost. */
	ev_stop(l);
	assert_int_equal(ev_run(l), 0);
	loop_free(l);
}

/* ---- stopping a watcher from another's callback in the same batch ---- */

struct pair {
	struct ev_io io[2];
	int calls[2];
	struct ev_loop *l;
	bool free_other; /* also reuse the stopped watcher's memory */
	int other_fd;
};

static struct pair pr;

static void pair_fn(struct ev_io *io, unsigned revents)
{
	int me = io == &pr.io[0] ? 0 : 1;
	struct ev_io *other = &pr.io[1 - me];

	(void)revents;
	pr.calls[me]++;
	if (pr.calls[me] > 1)
		return;
	ev_io_stop(pr.l, other);
	if (pr.free_other) {
		/* The stopped watcher's memory is reused for a different fd
		 * with a different callback: the stale event from this
		 * batch must not reach it. */
		assert_int_equal(
			ev_io_start(pr.l, other, pr.other_fd, EV_READ, pair_fn),
			0);
	}
	ev_stop(pr.l);
}

static void run_pair(bool free_other)
{
	struct ev_loop *l = loop_new();
	int a[2], b[2], c[2];

	assert_int_equal(pipe2(a, O_NONBLOCK), 0);
	assert_int_equal(pipe2(b, O_NONBLOCK), 0);
	assert_int_equal(pipe2(c, O_NONBLOCK), 0);
	pr = (struct pair){.l = l, .free_other = free_other, .other_fd = c[0]};
	assert_int_equal(ev_io_start(l, &pr.io[0], a[0], EV_READ, pair_fn), 0);
	assert_int_equal(ev_io_start(l, &pr.io[1], b[0], EV_READ, pair_fn), 0);
	/* Both readable before the loop sleeps: one epoll batch. */
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "x", 1), 1);
	assert_int_equal(ev_run(l), 0);
	assert_int_equal(pr.calls[0] + pr.calls[1], 1);
	ev_io_stop(l, &pr.io[0]);
	ev_io_stop(l, &pr.io[1]);
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
		close(c[i]);
	}
	loop_free(l);
}

static void test_stop_in_batch(void **state)
{
	(void)state;
	run_pair(false);
	run_pair(true);
}

/* A producer thread signals once per item while the loop drains items in
 * the wake callback: no signal may be lost (a lost one leaves items
 * unseen, the loop never wakes again and the fail-safe timer stops it).
 * This caught ev_wake_io clearing the pending flag before reading the
 * eventfd. */
#define WAKE_ITEMS 200000

static atomic_uint wake_avail;
static unsigned wake_seen;
static struct ev_loop *wake_loop;

static void on_items(struct ev_wake *w)
{
	(void)w;
	wake_seen += atomic_exchange(&wake_avail, 0);
	if (wake_seen == WAKE_ITEMS)
		ev_stop(wake_loop);
}

static void *wake_producer(void *arg)
{
	struct ev_wake *w = arg;

	for (unsigned i = 0; i < WAKE_ITEMS; i++) {
		atomic_fetch_add(&wake_avail, 1);
		ev_wake_signal(w);
		if (i % 1024 == 0)
			sched_yield();
	}
	return NULL;
}

static void on_failsafe(struct tw_timer *t)
{
	(void)t;
	ev_stop(wake_loop);
}

static void test_wake_no_lost_signal(void **state)
{
	struct ev_wake w;
	struct tw_timer failsafe;
	pthread_t th;

	(void)state;
	assert_int_equal(ev_loop_new(&wake_loop), 0);
	assert_int_equal(ev_wake_init(wake_loop, &w, on_items), 0);
	tw_timer_init(&failsafe, on_failsafe);
	tw_add(ev_timers(wake_loop), &failsafe, 10000);
	assert_int_equal(pthread_create(&th, NULL, wake_producer, &w), 0);
	assert_int_equal(ev_run(wake_loop), 0);
	pthread_join(th, NULL);
	assert_int_equal(wake_seen, WAKE_ITEMS);
	tw_del(ev_timers(wake_loop), &failsafe);
	ev_wake_close(wake_loop, &w);
	ev_loop_free(wake_loop);
}

/* A timer armed from an I/O callback after the loop slept counts from
 * the wake-up, not from before the sleep: this caught the wheel being
 * advanced after the I/O dispatch (a 500 ms Timer E armed by a request
 * that arrived after a 1 s idle sleep fired at once: a duplicate send). */
struct late_arm {
	int fds[2];
	struct ev_loop *l;
	struct ev_io io;
	struct tw_timer t;
	struct timespec armed, fired;
};

static struct late_arm late;

static void late_fired(struct tw_timer *t)
{
	(void)t;
	clock_gettime(CLOCK_MONOTONIC, &late.fired);
	ev_stop(late.l);
}

static void late_readable(struct ev_io *io, unsigned revents)
{
	char c;

	(void)revents;
	if (read(io->fd, &c, 1) != 1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &late.armed);
	tw_add(ev_timers(late.l), &late.t, 200);
}

static void *late_writer(void *arg)
{
	(void)arg;
	usleep(400000); /* the loop sleeps meanwhile: no timer is armed */
	if (write(late.fds[1], "x", 1) != 1)
		abort();
	return NULL;
}

static void test_timer_from_io_after_sleep(void **state)
{
	pthread_t th;
	long ms;

	(void)state;
	assert_int_equal(pipe(late.fds), 0);
	assert_int_equal(ev_loop_new(&late.l), 0);
	tw_timer_init(&late.t, late_fired);
	assert_int_equal(ev_io_start(late.l, &late.io, late.fds[0], EV_READ,
				     late_readable),
			 0);
	assert_int_equal(pthread_create(&th, NULL, late_writer, NULL), 0);
	assert_int_equal(ev_run(late.l), 0);
	pthread_join(th, NULL);
	ms = (late.fired.tv_sec - late.armed.tv_sec) * 1000 +
	     (late.fired.tv_nsec - late.armed.tv_nsec) / 1000000;
	assert_true(ms >= 190);
	ev_io_stop(late.l, &late.io);
	ev_loop_free(late.l);
	close(late.fds[0]);
	close(late.fds[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_readable),
		cmocka_unit_test(test_timer_fires),
		cmocka_unit_test(test_before_sleep),
		cmocka_unit_test(test_wake),
		cmocka_unit_test(test_stop_other_thread),
		cmocka_unit_test(test_stop_in_batch),
		cmocka_unit_test(test_wake_no_lost_signal),
		cmocka_unit_test(test_timer_from_io_after_sleep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
