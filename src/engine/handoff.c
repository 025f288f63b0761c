/* handoff.c - datagram hand-off between workers (see handoff.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/handoff.h"

#define PKT_SIZE (sizeof(struct handoff_pkt) + HANDOFF_BUF)

int handoff_pair_init(struct handoff_pair *hp, unsigned slots)
{
	int rc;

	memset(hp, 0, sizeof(*hp));
	rc = ev_ring_init(&hp->pkts, slots);
	if (rc)
		goto out;
	rc = ev_ring_init(&hp->free, slots);
	if (rc)
		goto out;
	hp->pool = calloc(slots, PKT_SIZE);
	if (!hp->pool) {
		rc = -ENOMEM;
		goto out;
	}
	/* Before any thread runs: the producer's free ring starts full. */
	for (unsigned i = 0; i < slots; i++)
		if (!ev_ring_push(&hp->free, (char *)hp->pool + i * PKT_SIZE))
			break;
out:
	if (rc)
		handoff_pair_fini(hp);
	return rc;
}

void handoff_pair_fini(struct handoff_pair *hp)
{
	struct handoff_pkt *pkt;

	/* Heap packets still queued are freed; pooled ones go with pool. */
	if (hp->pkts.slots)
		while ((pkt = ev_ring_pop(&hp->pkts)))
			if (pkt->heap)
				free(pkt);
	ev_ring_free(&hp->pkts);
	ev_ring_free(&hp->free);
	free(hp->pool);
	hp->pool = NULL;
}

bool handoff_push(struct handoff_pair *hp, const char *buf, size_t len,
		  const struct tp_rx *rx)
{
	struct handoff_pkt *pkt;
	bool heap = len > HANDOFF_BUF;

	if (heap) {
		pkt = malloc(sizeof(*pkt) + len);
	} else if (hp->spare) {
		pkt = hp->spare;
		hp->spare = NULL;
	} else {
		pkt = ev_ring_pop(&hp->free);
	}
	if (!pkt)
		return false;
	pkt->rx = *rx;
	pkt->len = (uint32_t)len;
	pkt->heap = heap;
	memcpy(pkt->data, buf, len);
	if (ev_ring_push(&hp->pkts, pkt))
		return true;
	/* The packet ring is full (heap packets count against it too).  A
	 * pooled buffer cannot go back into the free ring, whose producer
	 * is the consumer thread: the producer keeps it for next time. */
	if (heap)
		free(pkt);
	else
		hp->spare = pkt;
	return false;
}

struct handoff_pkt *handoff_pop(struct handoff_pair *hp)
{
	return ev_ring_pop(&hp->pkts);
}

void handoff_release(struct handoff_pair *hp, struct handoff_pkt *pkt)
{
	if (pkt->heap) {
		free(pkt);
		return;
	}
	/* The free ring has a slot for every pooled packet. */
	(void)ev_ring_push(&hp->free, pkt);
}
