/* engine.c - workers: one thread, loop, socket set and transaction layer
 * each; datagrams handed whole to the owner of their transaction. */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/handoff.h"
#include "engine/worker.h"

void engine_cfg_default(struct engine_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	txn_cfg_default(&cfg->txn);
	cfg->tcp_max_conns = 1024;
	cfg->tcp_idle_ms = 120000;
	cfg->handoff_slots = 1024;
	cfg->trace_fd = -1;
}

struct txn_layer *worker_txn(struct worker *w)
{
	return w->txn;
}

struct ev_loop *worker_loop(struct worker *w)
{
	return w->loop;
}

unsigned worker_id(const struct worker *w)
{
	return w->id;
}

const struct tp_addr *worker_listen_addr(const struct worker *w, unsigned i)
{
	return i < w->e->cfg.nlisten ? &w->e->local[i] : NULL;
}

unsigned engine_workers(const struct engine *e)
{
	return e->n;
}

void *engine_worker_arg(struct engine *e, unsigned i)
{
	return i < e->n ? e->w[i].tu_arg : NULL;
}

/* ---- receive path ---- */

/* xorshift32: the testing-only loss knob needs no quality. */
static uint32_t rnd(struct worker *w)
{
	uint32_t x = w->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return w->rng = x;
}

/* One datagram from a socket of ours: scan once, pick the owner, process
 * here or hand it whole to the owner. */
static void on_datagram(void *arg, const char *buf, size_t len,
			const struct tp_peer *src)
{
	struct worker *w = arg;
	struct tp_rx rx = {.src = *src, .now_ms = ev_now(w->loop)};
	unsigned owner = w->id;
	int rc;

	if (w->e->cfg.rx_loss_pct && rnd(w) % 100 < w->e->cfg.rx_loss_pct) {
		w->stats.rx_dropped_loss++;
		return;
	}
	if (w->e->cfg.trace_fd >= 0)
		worker_trace(w, false, src, &(struct iovec){(void *)buf, len},
			     1);
	rc = sip_msg_scan(w->scratch, buf, len, 0, w->e->cfg.txn.limits, NULL);
	if (rc == 0 && w->e->n > 1)
		owner = txn_owner(w->scratch, w->e->n);
	if (owner == w->id) {
		/* Malformed input is answered (or dropped) by the layer. */
		if (rc == 0)
			txn_input_msg(w->txn, w->scratch, &rx);
		else
			txn_input(w->txn, buf, len, &rx);
		return;
	}
	if (handoff_push(worker_pair(w->e, w->id, owner), buf, len, &rx)) {
		w->stats.handoff_out++;
		ev_wake_signal(&w->e->w[owner].wake);
	} else {
		w->stats.handoff_dropped++;
	}
}

static void on_udp_readable(struct ev_io *io, unsigned revents)
{
	struct udp_listener *ul = (struct udp_listener *)io;
	struct worker *w = ul->w;
	int n;

	(void)revents;
	/* Drain, but bounded, so that timers and other sockets get a turn. */
	for (int i = 0; i < 16; i++) {
		n = udp_recv_batch(ul->sock, on_datagram, w);
		if (n <= 0 || (unsigned)n < ul->batch)
			break;
	}
}

/* Packets other workers handed to us. */
static void on_wake(struct ev_wake *wk)
{
	struct worker *w =
		(struct worker *)((char *)wk - offsetof(struct worker, wake));
	struct handoff_pair *hp;
	struct handoff_pkt *pkt;

	for (unsigned p = 0; p < w->e->n; p++) {
		if (p == w->id)
			continue;
		hp = worker_pair(w->e, p, w->id);
		while ((pkt = handoff_pop(hp))) {
			w->stats.handoff_in++;
			txn_input(w->txn, pkt->data, pkt->len, &pkt->rx);
			handoff_release(hp, pkt);
		}
	}
}

/* ---- send path ---- */

/* The UDP socket to send to dst from: the listener it names if the
 * address family fits, else the first one that fits. */
static struct udp_sock *udp_for(struct worker *w, const struct tp_peer *dst)
{
	const struct engine_cfg *c = &w->e->cfg;
	sa_family_t fam = dst->addr.u.sa.sa_family;

	if (dst->listener < c->nlisten && w->udp[dst->listener].sock &&
	    w->e->local[dst->listener].u.sa.sa_family == fam)
		return w->udp[dst->listener].sock;
	for (unsigned i = 0; i < c->nlisten; i++)
		if (w->udp[i].sock && w->e->local[i].u.sa.sa_family == fam)
			return w->udp[i].sock;
	return NULL;
}

static int worker_send(void *arg, const struct tp_peer *dst,
		       const struct iovec *iov, int iovcnt)
{
	struct worker *w = arg;
	struct udp_sock *s;
	int rc;

	switch (dst->proto) {
	case TP_UDP:
		s = udp_for(w, dst);
		rc = s ? udp_send(s, &dst->addr, iov, iovcnt) : -EAFNOSUPPORT;
		break;
	case TP_TCP:
		rc = worker_tcp_send(w, dst, iov, iovcnt);
		break;
	default:
		rc = -EPROTONOSUPPORT;
		break;
	}
	if (rc == 0 && w->e->cfg.trace_fd >= 0)
		worker_trace(w, true, dst, iov, iovcnt);
	return rc;
}

/* Before the loop sleeps: send what is queued, publish the counters. */
static void before_sleep(void *arg)
{
	struct worker *w = arg;
	const struct udp_stats *us;
	struct engine_stats *s = &w->stats;

	s->rx_datagrams = s->tx_datagrams = s->rx_batches = s->tx_batches = 0;
	for (unsigned i = 0; i < w->e->cfg.nlisten; i++) {
		if (!w->udp[i].sock)
			continue;
		(void)udp_flush(w->udp[i].sock);
		us = udp_sock_stats(w->udp[i].sock);
		s->rx_datagrams += us->rx_datagrams;
		s->tx_datagrams += us->tx_datagrams;
		s->rx_batches += us->rx_batches;
		s->tx_batches += us->tx_batches;
	}
	worker_tcp_stats(w, s);
	s->txn = *txn_layer_stats(w->txn);
	pthread_mutex_lock(&w->pub_lock);
	w->pub = *s;
	pthread_mutex_unlock(&w->pub_lock);
}

void engine_stats(const struct engine *e, struct engine_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < e->n; i++) {
		struct worker *w = &e->w[i];
		struct engine_stats s;
		uint64_t *a, *b;

		pthread_mutex_lock(&w->pub_lock);
		s = w->pub;
		pthread_mutex_unlock(&w->pub_lock);
		/* Every member is a uint64_t counter: add them as arrays. */
		a = (uint64_t *)out;
		b = (uint64_t *)&s;
		for (size_t k = 0; k < sizeof(s) / sizeof(uint64_t); k++)
			a[k] += b[k];
	}
}

/* ---- threads ---- */

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	(void)ev_run(w->loop);
	/* Publish the final counters. */
	before_sleep(w);
	return NULL;
}

static int worker_open(struct engine *e, struct worker *w)
{
	const struct engine_cfg *c = &e->cfg;
	struct udp_config uc = udp_config_default;
	struct tp_sender sender = {.send = worker_send, .arg = w};
	struct txn_cfg tc = c->txn;
	int rc;

	w->e = e;
	w->rng = 0x9e3779b9u ^ (w->id * 0x85ebca6bu);
	pthread_mutex_init(&w->pub_lock, NULL);
	w->scratch = malloc(sizeof(*w->scratch));
	if (!w->scratch)
		return -ENOMEM;
	rc = ev_loop_new(&w->loop);
	if (rc)
		return rc;
	for (unsigned i = 0; i < c->nlisten; i++) {
		if (c->listen[i].proto != TP_UDP)
			continue;
		uc.listener = (uint16_t)i;
		/* Every worker binds the address the first one got (an
		 * ephemeral port 0 is fixed by the first bind). */
		rc = udp_sock_open(&w->udp[i].sock, &e->local[i], &uc);
		if (rc)
			return rc;
		if (w->id == 0)
			(void)udp_sock_local(w->udp[i].sock, &e->local[i]);
		w->udp[i].w = w;
		w->udp[i].batch = uc.batch;
		rc = ev_io_start(w->loop, &w->udp[i].io,
				 udp_sock_fd(w->udp[i].sock), EV_READ,
				 on_udp_readable);
		if (rc)
			return rc;
	}
	rc = worker_tcp_open(w);
	if (rc)
		return rc;
	rc = ev_wake_init(w->loop, &w->wake, on_wake);
	if (rc)
		return rc;
	rc = ev_before_sleep(w->loop, before_sleep, w);
	if (rc)
		return rc;
	/* The role's per-worker state, made here, before the thread starts
	 * (so the thread sees it without locks). */
	if (e->role.worker_init)
		w->tu_arg = e->role.worker_init(w, e->role.role_arg);
	tc.shard = (uint8_t)w->id;
	tc.nshards = (uint8_t)e->n;
	return txn_layer_new(&w->txn, &tc, ev_timers(w->loop), &sender,
			     e->role.tu, w->tu_arg);
}

static void worker_close(struct worker *w)
{
	if (w->txn)
		txn_layer_free(w->txn);
	if (w->e->role.worker_fini)
		w->e->role.worker_fini(w, w->tu_arg);
	worker_tcp_close(w);
	for (unsigned i = 0; i < ENGINE_MAX_LISTEN; i++) {
		if (!w->udp[i].sock)
			continue;
		ev_io_stop(w->loop, &w->udp[i].io);
		udp_sock_close(w->udp[i].sock);
	}
	if (w->loop) {
		ev_wake_close(w->loop, &w->wake);
		ev_loop_free(w->loop);
	}
	free(w->scratch);
	pthread_mutex_destroy(&w->pub_lock);
}

static void engine_free(struct engine *e)
{
	for (unsigned i = 0; i < e->n; i++)
		if (e->w[i].e)
			worker_close(&e->w[i]);
	if (e->pairs)
		for (unsigned i = 0; i < e->n * e->n; i++)
			handoff_pair_fini(&e->pairs[i]);
	free(e->pairs);
	free(e->w);
	free(e);
}

int engine_start(struct engine **out, const struct engine_cfg *cfg,
		 const struct engine_role *role)
{
	struct engine *e;
	unsigned n = cfg->workers;
	int rc = 0;

	if (!n) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		n = cpus > 0 ? (unsigned)cpus : 1;
	}
	if (n > ENGINE_MAX_WORKERS || cfg->nlisten > ENGINE_MAX_LISTEN ||
	    !role || !role->tu)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->cfg = *cfg;
	e->role = *role;
	e->n = n;
	for (unsigned i = 0; i < cfg->nlisten; i++)
		e->local[i] = cfg->listen[i].addr;
	e->w = calloc(n, sizeof(*e->w));
	e->pairs = calloc((size_t)n * n, sizeof(*e->pairs));
	if (!e->w || !e->pairs) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned p = 0; p < n && n > 1; p++)
		for (unsigned c = 0; c < n; c++) {
			if (p == c)
				continue;
			rc = handoff_pair_init(
				worker_pair(e, p, c),
				cfg->handoff_slots ? cfg->handoff_slots : 1024);
			if (rc)
				goto out;
		}
	for (unsigned i = 0; i < n; i++) {
		e->w[i].id = i;
		rc = worker_open(e, &e->w[i]);
		if (rc)
			goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		rc = -pthread_create(&e->w[i].thread, NULL, worker_main,
				     &e->w[i]);
		if (rc) {
			/* Stop the ones already running, then free. */
			for (unsigned k = 0; k < i; k++) {
				ev_stop(e->w[k].loop);
				pthread_join(e->w[k].thread, NULL);
			}
			goto out;
		}
		e->w[i].started = true;
	}
out:
	if (rc) {
		engine_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

void engine_join(struct engine *e)
{
	for (unsigned i = 0; i < e->n; i++)
		if (e->w[i].started)
			ev_stop(e->w[i].loop);
	for (unsigned i = 0; i < e->n; i++)
		if (e->w[i].started) {
			pthread_join(e->w[i].thread, NULL);
			e->w[i].started = false;
		}
}

void engine_stop(struct engine *e)
{
	if (!e)
		return;
	engine_join(e);
	engine_free(e);
}
