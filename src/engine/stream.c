/* stream.c - a worker's TCP listeners and connections, wired to its
 * transaction layer.
 *
 * Every worker listens on every TCP address (SO_REUSEPORT: the kernel
 * spreads connections) and owns the connections it accepted or opened.
 * Messages read from a connection are processed by its owner, never handed
 * off: their responses must leave on that connection, which only the owner
 * may write (see engine.h).
 */
#include <errno.h>

#include "engine/worker.h"
#include "transport/tcp.h"

static void on_message(void *arg, const char *buf, size_t len,
		       const struct tp_peer *src)
{
	struct worker *w = arg;
	struct tp_rx rx = {.src = *src, .now_ms = ev_now(w->loop)};

	if (w->e->cfg.trace_fd >= 0)
		worker_trace(w, false, src, &(struct iovec){(void *)buf, len},
			     1);
	txn_input(w->txn, buf, len, &rx);
}

int worker_tcp_open(struct worker *w)
{
	struct engine *e = w->e;
	struct tcp_config tc = tcp_config_default;
	int rc;

	tc.max_conns =
		e->cfg.tcp_max_conns ? e->cfg.tcp_max_conns : tc.max_conns;
	tc.idle_ms = e->cfg.tcp_idle_ms ? e->cfg.tcp_idle_ms : tc.idle_ms;
	tc.msg_ms = e->cfg.tcp_msg_ms ? e->cfg.tcp_msg_ms : tc.msg_ms;
	tc.lim = e->cfg.txn.limits;
	rc = tcp_table_new(&w->tcp, w->loop, &tc, on_message, w);
	if (rc)
		return rc;
	for (unsigned i = 0; i < e->cfg.nlisten; i++) {
		if (e->cfg.listen[i].proto != TP_TCP)
			continue;
		rc = tcp_listen(w->tcp, &e->local[i], (uint16_t)i);
		if (rc)
			return rc;
		/* An ephemeral port is fixed by the first worker's bind. */
		if (w->id == 0)
			(void)tcp_listener_local(w->tcp, (uint16_t)i,
						 &e->local[i]);
	}
	return 0;
}

void worker_tcp_close(struct worker *w)
{
	tcp_table_free(w->tcp);
	w->tcp = NULL;
}

int worker_tcp_send(struct worker *w, const struct tp_peer *dst,
		    const struct iovec *iov, int iovcnt)
{
	return tcp_send(w->tcp, dst, iov, iovcnt);
}

void worker_tcp_stats(struct worker *w, struct engine_stats *s)
{
	const struct tcp_stats *ts = tcp_table_stats(w->tcp);

	s->tcp_accepted = ts->accepted;
	s->tcp_refused = ts->refused;
	s->tcp_closed = ts->closed_idle + ts->closed_stalled +
			ts->closed_framing + ts->closed_overflow +
			ts->closed_peer;
}
