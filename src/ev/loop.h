/* loop.h - one event loop per worker thread: epoll, a timer wheel, a
 * cross-thread wake-up, and before-sleep hooks (where batched sends are
 * flushed, as redis does in beforeSleep).
 *
 * Everything here is owned by one thread, except ev_wake_signal() and
 * ev_stop(), which any thread may call.
 */
#ifndef RINGWAY_EV_LOOP_H
#define RINGWAY_EV_LOOP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ev/timer.h"

enum { EV_READ = 1u << 0, EV_WRITE = 1u << 1 };

struct ev_loop;

/* An fd watcher, embedded in its owner. */
struct ev_io;
typedef void (*ev_io_fn)(struct ev_io *io, unsigned revents);
struct ev_io {
	int fd;
	unsigned events; /* EV_READ | EV_WRITE */
	ev_io_fn fn;
};

/* A cross-thread wake-up (eventfd): ev_wake_signal() from any thread makes
 * fn run on the loop's thread (coalesced: several signals, one call). */
struct ev_wake;
typedef void (*ev_wake_fn)(struct ev_wake *w);
struct ev_wake {
	struct ev_io io;
	ev_wake_fn fn;
	atomic_bool pending; /* a write is on its way: skip the syscall */
};

int ev_loop_new(struct ev_loop **out);
void ev_loop_free(struct ev_loop *l);

int ev_io_start(struct ev_loop *l, struct ev_io *io, int fd, unsigned events,
		ev_io_fn fn);
int ev_io_set(struct ev_loop *l, struct ev_io *io, unsigned events);
void ev_io_stop(struct ev_loop *l, struct ev_io *io);

int ev_wake_init(struct ev_loop *l, struct ev_wake *w, ev_wake_fn fn);
void ev_wake_signal(struct ev_wake *w); /* any thread */
void ev_wake_close(struct ev_loop *l, struct ev_wake *w);

/* The loop's timer wheel and cached monotonic time (ms, CLOCK_MONOTONIC,
 * refreshed once per iteration).  The wheel's clock starts when the loop
 * is made; ev_run() refreshes it and fires what is due before it first
 * sleeps. */
struct tw *ev_timers(struct ev_loop *l);
uint64_t ev_now(const struct ev_loop *l);

/* Called before every epoll_wait, in registration order (at most 8). */
int ev_before_sleep(struct ev_loop *l, void (*fn)(void *arg), void *arg);

/* Run until ev_stop(); returns 0 or -errno on an epoll failure. */
int ev_run(struct ev_loop *l);
void ev_stop(struct ev_loop *l); /* any thread */

#endif
