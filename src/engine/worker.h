/* worker.h - the engine's private structures (src/engine only). */
#ifndef RINGWAY_ENGINE_WORKER_H
#define RINGWAY_ENGINE_WORKER_H

#include <pthread.h>
#include <stdbool.h>

#include "engine/engine.h"
#include "engine/handoff.h"
#include "ev/loop.h"
#include "transport/udp.h"

struct udp_listener {
	struct ev_io io; /* first: the callback gets it back */
	struct worker *w;
	struct udp_sock *sock;
	unsigned batch;
};

struct tcp_table;

struct worker {
	struct engine *e;
	unsigned id;
	pthread_t thread;
	bool started;
	struct ev_loop *loop;
	struct udp_listener udp[ENGINE_MAX_LISTEN];
	struct tcp_table *tcp;
	struct txn_layer *txn;
	struct ev_wake wake;
	struct sip_msg *scratch; /* one scan buffer per worker */
	void *tu_arg;
	uint32_t rng;
	struct engine_stats stats; /* this thread's */
	pthread_mutex_t pub_lock;
	struct engine_stats pub; /* published copy, under pub_lock */
};

struct engine {
	struct engine_cfg cfg;
	struct engine_role role;
	unsigned n;
	struct tp_addr local[ENGINE_MAX_LISTEN]; /* bound addresses */
	struct worker *w;
	struct handoff_pair *pairs; /* n * n, [producer * n + consumer] */
};

static inline struct handoff_pair *worker_pair(struct engine *e, unsigned p,
					       unsigned c)
{
	return &e->pairs[p * e->n + c];
}

/* Stream transports of a worker (engine/stream.c). */
int worker_tcp_open(struct worker *w);
void worker_tcp_close(struct worker *w);
int worker_tcp_send(struct worker *w, const struct tp_peer *dst,
		    const struct iovec *iov, int iovcnt);
void worker_tcp_stats(struct worker *w, struct engine_stats *s);

#endif
