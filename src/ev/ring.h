/* ring.h - a bounded single-producer single-consumer ring of pointers,
 * lock-free (C11 acquire/release), for handing datagrams between workers.
 * Pair it with an ev_wake to tell the consumer there is something to pop.
 */
#ifndef RINGWAY_EV_RING_H
#define RINGWAY_EV_RING_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct ev_ring {
	alignas(64) _Atomic size_t head; /* next slot to pop (consumer) */
	alignas(64) _Atomic size_t tail; /* next slot to push (producer) */
	alignas(64) size_t mask;
	void **slots;
};

/* cap is rounded up to a power of two.  0 or -ENOMEM. */
int ev_ring_init(struct ev_ring *r, size_t cap);
void ev_ring_free(struct ev_ring *r);
/* Producer thread only; item must not be NULL.  false if full. */
bool ev_ring_push(struct ev_ring *r, void *item);
/* Consumer thread only.  NULL if empty. */
void *ev_ring_pop(struct ev_ring *r);

#endif
