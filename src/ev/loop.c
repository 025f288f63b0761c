/* loop.c - the per-worker event loop: epoll (level-triggered), the timer
 * wheel, eventfd wake-ups and before-sleep hooks (see loop.h).
 *
 * One iteration: run the before-sleep hooks, stop if asked, sleep in
 * epoll_wait until the wheel's next timer (at most EV_MAX_WAIT_MS, so a
 * far timer only costs a wake-up a second), refresh the cached time,
 * dispatch the fd events, then advance the wheel.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ev/loop.h"

#define EV_BATCH       64
#define EV_MAX_WAIT_MS 1000
#define EV_MAX_HOOKS   8

struct ev_hook {
	void (*fn)(void *arg);
	void *arg;
};

struct ev_loop {
	int epfd;
	uint64_t now;
	struct tw timers;
	atomic_bool stop;
	struct ev_wake stopper; /* ev_stop's wake-up */
	struct ev_hook hooks[EV_MAX_HOOKS];
	int nhooks;
	/* The batch being dispatched: ev_io_stop clears entries after
	 * cur that point at the stopped watcher. */
	struct epoll_event evs[EV_BATCH];
	int nevs, cur;
};

static uint64_t ev_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void ev_noop(struct ev_wake *w)
{
	(void)w;
}

int ev_loop_new(struct ev_loop **out)
{
	struct ev_loop *l = calloc(1, sizeof(*l));
	int err;

	if (!l)
		return -ENOMEM;
	l->stopper.io.fd = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		err = -errno;
		goto out;
	}
	l->now = ev_clock_ms();
	tw_init(&l->timers, l->now);
	atomic_init(&l->stop, false);
	err = ev_wake_init(l, &l->stopper, ev_noop);
	if (err)
		goto out;
	*out = l;
	return 0;
out:
	if (l->epfd >= 0)
		close(l->epfd);
	free(l);
	return err;
}

void ev_loop_free(struct ev_loop *l)
{
	if (!l)
		return;
	ev_wake_close(l, &l->stopper);
	close(l->epfd);
	free(l);
}

static uint32_t ev_epoll_events(unsigned events)
{
	return (events & EV_READ ? EPOLLIN : 0u) |
	       (events & EV_WRITE ? EPOLLOUT : 0u);
}

int ev_io_start(struct ev_loop *l, struct ev_io *io, int fd, unsigned events,
		ev_io_fn fn)
{
	struct epoll_event ev = {.events = ev_epoll_events(events),
				 .data.ptr = io};

	io->fd = fd;
	io->events = events;
	io->fn = fn;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int ev_io_set(struct ev_loop *l, struct ev_io *io, unsigned events)
{
	struct epoll_event ev = {.events = ev_epoll_events(events),
				 .data.ptr = io};

	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &ev) < 0)
		return -errno;
	io->events = events;
	return 0;
}

void ev_io_stop(struct ev_loop *l, struct ev_io *io)
{
	/* The fd may already be closed, which removed it from the epoll set
	 * (if it was the last reference); the error is of no interest. */
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	/* An event for io may still wait in the batch being dispatched; the
	 * watcher may be freed by now, so forget it. */
	for (int i = l->cur + 1; i < l->nevs; i++) {
		if (l->evs[i].data.ptr == io)
			l->evs[i].data.ptr = NULL;
	}
}

static void ev_wake_io(struct ev_io *io, unsigned revents)
{
	struct ev_wake *w =
		(struct ev_wake *)((char *)io - offsetof(struct ev_wake, io));
	uint64_t v;

	(void)revents;
	/* One read resets the eventfd counter, however many signals were
	 * added to it: that is the coalescing. */
	if (read(io->fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return; /* spurious: nothing was signalled */
	/* Then clear the flag, then run fn.  In this order no signal is
	 * lost: one that found the flag set before this exchange is covered
	 * by the fn call below (and the exchange, reading what the
	 * signaller wrote, makes what it published visible to fn); one
	 * after it finds the flag clear and writes the eventfd again.
	 * Clearing before the read would lose a signal whose write the read
	 * consumed while the flag stayed set. */
	(void)atomic_exchange_explicit(&w->pending, false,
				       memory_order_acq_rel);
	w->fn(w);
}

int ev_wake_init(struct ev_loop *l, struct ev_wake *w, ev_wake_fn fn)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	w->fn = fn;
	atomic_init(&w->pending, false);
	err = ev_io_start(l, &w->io, fd, EV_READ, ev_wake_io);
	if (err) {
		close(fd);
		w->io.fd = -1;
	}
	return err;
}

void ev_wake_signal(struct ev_wake *w)
{
	uint64_t one = 1;
	ssize_t n;

	/* A wake-up already on its way covers this one: no syscall.  This
	 * is the hand-off path, taken once per moved datagram. */
	if (atomic_exchange_explicit(&w->pending, true, memory_order_acq_rel))
		return;
	/* Only EAGAIN can fail here (the counter is saturated), and then a
	 * wake-up is pending anyway. */
	n = write(w->io.fd, &one, sizeof(one));
	(void)n;
}

void ev_wake_close(struct ev_loop *l, struct ev_wake *w)
{
	if (w->io.fd < 0)
		return;
	ev_io_stop(l, &w->io);
	close(w->io.fd);
	w->io.fd = -1;
}

struct tw *ev_timers(struct ev_loop *l)
{
	return &l->timers;
}

uint64_t ev_now(const struct ev_loop *l)
{
	return l->now;
}

int ev_before_sleep(struct ev_loop *l, void (*fn)(void *arg), void *arg)
{
	if (l->nhooks == EV_MAX_HOOKS)
		return -ENOSPC;
	l->hooks[l->nhooks].fn = fn;
	l->hooks[l->nhooks].arg = arg;
	l->nhooks++;
	return 0;
}

/* Errors and hang-ups are reported as EV_READ, whatever the interest, so
 * the owner meets them in its read (recv returns the error or 0); a watcher
 * that also waits to write gets EV_WRITE as well, so a pending connect or
 * send learns of the failure too. */
static void ev_dispatch(struct ev_loop *l)
{
	for (l->cur = 0; l->cur < l->nevs; l->cur++) {
		struct epoll_event *e = &l->evs[l->cur];
		struct ev_io *io = e->data.ptr;
		unsigned rev = 0;

		if (!io)
			continue; /* stopped earlier in this batch */
		if (e->events & EPOLLIN)
			rev |= EV_READ;
		if (e->events & EPOLLOUT)
			rev |= EV_WRITE;
		/* ev_io_set in this batch may have dropped an interest. */
		rev &= io->events;
		if (e->events & (EPOLLERR | EPOLLHUP))
			rev |= EV_READ | (io->events & EV_WRITE);
		if (rev)
			io->fn(io, rev);
	}
	l->nevs = 0;
	l->cur = 0;
}

/* epoll_wait's timeout: until the next timer, from the time now rather
 * than the cached one, so time spent dispatching is not slept again. */
static int ev_timeout(struct ev_loop *l)
{
	int64_t d = tw_next_delay(&l->timers);
	uint64_t spent;

	if (d < 0 || d > EV_MAX_WAIT_MS)
		d = EV_MAX_WAIT_MS;
	spent = ev_clock_ms() - l->now;
	return spent >= (uint64_t)d ? 0 : (int)(d - (int64_t)spent);
}

int ev_run(struct ev_loop *l)
{
	int n, err = 0;

	l->now = ev_clock_ms();
	tw_advance(&l->timers, l->now);
	for (;;) {
		for (int i = 0; i < l->nhooks; i++)
			l->hooks[i].fn(l->hooks[i].arg);
		/* Clear the flag as it is seen, so ev_run may run again; a
		 * stop requested before ev_run started still counts. */
		if (atomic_exchange(&l->stop, false))
			break;
		n = epoll_wait(l->epfd, l->evs, EV_BATCH, ev_timeout(l));
		if (n < 0) {
			if (errno != EINTR) {
				err = -errno;
				break;
			}
			n = 0;
		}
		/* Time first, then due timers, then I/O: callbacks that arm
		 * timers count from now, not from before the sleep (a 500 ms
		 * Timer E armed after a 1 s sleep must not fire at once). */
		l->now = ev_clock_ms();
		tw_advance(&l->timers, l->now);
		l->nevs = n;
		ev_dispatch(l);
	}
	return err;
}

void ev_stop(struct ev_loop *l)
{
	atomic_store(&l->stop, true);
	ev_wake_signal(&l->stopper);
}
