/* handoff.h - moving a datagram whole to the worker that owns its
 * transaction (private to src/engine).
 *
 * For every ordered pair of workers (producer p, consumer c) there are two
 * single-producer single-consumer rings: `pkts` (p -> c) carries packets,
 * `free` (c -> p) brings the buffers back.  A pair starts with a fixed
 * number of buffers, so nothing is allocated per datagram; when the pool of
 * a pair is empty the datagram is dropped and counted (UDP: the sender
 * retransmits).  Datagrams larger than a buffer are rare and copied into a
 * malloc'ed packet that the consumer frees.
 */
#ifndef RINGWAY_ENGINE_HANDOFF_H
#define RINGWAY_ENGINE_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ev/ring.h"
#include "transport/tp.h"

#define HANDOFF_BUF 8192 /* bytes of datagram a pooled packet holds */

struct handoff_pkt {
	struct tp_rx rx;
	uint32_t len;
	bool heap; /* malloc'ed (too big for a pooled buffer) */
	char data[];
};

struct handoff_pair {
	struct ev_ring pkts; /* producer -> consumer */
	struct ev_ring free; /* consumer -> producer */
	void *pool;	     /* the pooled packets, one allocation */
	void *spare;	     /* producer's: a pooled packet the full ring
				refused */
};

int handoff_pair_init(struct handoff_pair *hp, unsigned slots);
void handoff_pair_fini(struct handoff_pair *hp);

/* Producer side: copy the datagram into a packet and queue it.  false if
 * the pair has no free buffer or the ring is full (the datagram is lost). */
bool handoff_push(struct handoff_pair *hp, const char *buf, size_t len,
		  const struct tp_rx *rx);
/* Consumer side: the next packet or NULL; give it back with
 * handoff_release() once processed. */
struct handoff_pkt *handoff_pop(struct handoff_pair *hp);
void handoff_release(struct handoff_pair *hp, struct handoff_pkt *pkt);

#endif
