/* ring.c - a bounded SPSC ring of pointers (see ring.h).
 *
 * head and tail run freely and are reduced by mask only to index slots, so
 * tail - head is the fill level and all cap slots are usable.  Each side
 * loads its own index relaxed (only it writes it) and the other side's with
 * acquire, and publishes its own with release: the producer's release of
 * tail makes the slot it filled visible to the consumer, and the consumer's
 * release of head tells the producer the slot it emptied may be reused.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "ev/ring.h"

int ev_ring_init(struct ev_ring *r, size_t cap)
{
	size_t n = 1;

	while (n < cap) {
		if (n > SIZE_MAX / 2 / sizeof(void *))
			return -ENOMEM;
		n <<= 1;
	}
	r->slots = calloc(n, sizeof(void *));
	if (!r->slots)
		return -ENOMEM;
	r->mask = n - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return 0;
}

void ev_ring_free(struct ev_ring *r)
{
	free(r->slots);
	r->slots = NULL;
}

bool ev_ring_push(struct ev_ring *r, void *item)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	assert(item); /* NULL is pop's "empty" */
	if (tail - head > r->mask)
		return false;
	r->slots[tail & r->mask] = item;
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return true;
}

void *ev_ring_pop(struct ev_ring *r)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	void *item;

	if (head == tail)
		return NULL;
	item = r->slots[head & r->mask];
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return item;
}
