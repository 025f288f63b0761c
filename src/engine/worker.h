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

/* Message trace (engine/trace.c), when cfg.trace_fd >= 0: one line for a
 * message received from (out false) or sent to (out true) peer. */
void worker_trace(struct worker *w, bool out, const struct tp_peer *peer,
		  const struct iovec *iov, int iovcnt);

/* The parts of a message a trace line shows, NUL-terminated, control
 * characters made spaces, cut to fit; empty when absent. */
struct trace_fields {
	char start[256];
	char cseq[64];
	char call_id[256];
};

/* A cheap line scan of a raw message (no framing, no validation). */
void trace_scan(const char *msg, size_t len, struct trace_fields *out);
/* One trace line, LF-terminated, into line; returns its length or
 * -EINVAL.  src or dst may be NULL ("-"). */
int trace_format(char *line, size_t cap, uint64_t epoch_ms, bool out,
		 enum tp_proto proto, const struct tp_addr *src,
		 const struct tp_addr *dst, const char *msg, size_t len);

#endif
