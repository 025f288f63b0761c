/* engine.h - N worker threads, each with its own event loop, sockets,
 * timer wheel and transaction layer: nothing shared on the per-packet path.
 *
 * Every worker opens its own SO_REUSEPORT socket on every UDP listen
 * address, so the kernel spreads datagrams over the workers by 4-tuple.
 * A datagram that belongs to a transaction another worker owns (txn_owner():
 * the shard in our Via branch for responses, a hash of branch and sent-by
 * for requests) is copied whole into a single-producer ring to that worker,
 * which an eventfd wakes.  Correctness never depends on the kernel's choice;
 * N=1 is the same code with no hand-offs.
 *
 * Stream connections are owned by the worker that accepted or opened them,
 * and so are the transactions that travel on them: messages read from a
 * connection are never handed off (their responses must leave on that
 * connection, which only its owner may write).
 */
#ifndef RINGWAY_ENGINE_ENGINE_H
#define RINGWAY_ENGINE_ENGINE_H

#include <stdint.h>

#include "transport/tp.h"
#include "txn/txn.h"

#define ENGINE_MAX_WORKERS 64
#define ENGINE_MAX_LISTEN  8

struct engine_listen {
	enum tp_proto proto;
	struct tp_addr addr;
};

struct engine_cfg {
	unsigned workers; /* 0: one per online CPU */
	unsigned nlisten;
	struct engine_listen listen[ENGINE_MAX_LISTEN];
	struct txn_cfg txn;	/* shard/nshards are set per worker */
	unsigned tcp_max_conns; /* per worker */
	unsigned tcp_idle_ms;	/* close a silent connection */
	unsigned tcp_msg_ms;	/* a started message must complete */
	unsigned handoff_slots; /* ring size per worker pair */
	unsigned rx_loss_pct;	/* testing only: drop this % of
				   received datagrams */
	/* Message trace (docs/engine.md "Trace"): one line per message in
	 * and out, written with one write() each; -1: off. */
	int trace_fd;
};

void engine_cfg_default(struct engine_cfg *cfg);

/* "udp:127.0.0.1:5060", "tcp:[::1]:5060" (proto defaults to udp, port to
 * 5060): 0 or -EINVAL. */
int engine_listen_parse(struct engine_listen *out, const char *text);

struct engine;
struct worker;

/* What a role provides: the transaction-user callbacks, and a per-worker
 * argument for them (a role keeps per-worker state: nothing shared). */
struct engine_role {
	const struct txn_tu *tu;
	/* Called for each worker by engine_start(), on its thread, before
	 * the worker's thread starts; returns the worker's tu_arg.  The
	 * worker's loop exists (timers can be armed); its transaction layer
	 * does not yet (look it up with worker_txn() when serving). */
	void *(*worker_init)(struct worker *w, void *role_arg);
	/* Called by engine_stop(), on its thread, after the worker's thread
	 * ended and its transactions were destroyed. */
	void (*worker_fini)(struct worker *w, void *tu_arg);
	void *role_arg;
};

/* Open every socket (errors here are reported before any thread starts),
 * then start the workers. */
int engine_start(struct engine **out, const struct engine_cfg *cfg,
		 const struct engine_role *role);
/* Stop every worker (any thread) and wait for them to end.  Counters
 * (engine_stats) stay readable until engine_stop(). */
void engine_join(struct engine *e);
/* engine_join() if not done, then free everything (the roles'
 * worker_fini() runs here). */
void engine_stop(struct engine *e);
unsigned engine_workers(const struct engine *e);
/* Worker i's tu_arg (the role's per-worker state): after engine_join(). */
void *engine_worker_arg(struct engine *e, unsigned i);

/* Per-worker access for roles, on that worker's thread. */
struct txn_layer *worker_txn(struct worker *w);
struct ev_loop *worker_loop(struct worker *w);
unsigned worker_id(const struct worker *w);
/* The local address of listen socket i (e.g. to write a Via or Contact). */
const struct tp_addr *worker_listen_addr(const struct worker *w, unsigned i);

struct engine_stats {
	struct txn_stats txn; /* summed over the workers */
	uint64_t rx_datagrams, tx_datagrams, rx_batches, tx_batches;
	uint64_t handoff_out, handoff_in, handoff_dropped;
	uint64_t rx_dropped_loss; /* rx_loss_pct drops */
	uint64_t tcp_accepted, tcp_refused, tcp_closed;
};

/* Sum of the workers' counters.  Each worker publishes its counters at
 * the end of every loop iteration; this reads the published copies, so it
 * is safe from any thread and at most one iteration old. */
void engine_stats(const struct engine *e, struct engine_stats *out);

#endif
