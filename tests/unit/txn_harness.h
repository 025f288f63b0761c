/* txn_harness.h - a simulated world for the transaction layer tests: a
 * timer wheel driven by hand, a sender that captures every message with
 * the time it left, and a TU that records every callback.
 */
#ifndef RINGWAY_TESTS_TXN_HARNESS_H
#define RINGWAY_TESTS_TXN_HARNESS_H

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev/timer.h"
#include "sip/sip.h"
#include "transport/tp.h"
#include "txn/txn.h"

#define H_MAX_SENT 256
#define H_MAX_EV   2048

struct h_sent {
	uint64_t at;
	struct tp_peer dst;
	size_t len;
	char buf[4096];
};

enum h_ev_type {
	EV_REQUEST,
	EV_RESPONSE,
	EV_TIMEOUT,
	EV_TERR,
	EV_CANCEL,
	EV_STRAY,
	EV_DESTROYED,
};

struct h_ev {
	enum h_ev_type type;
	uint64_t at;
	struct txn *t, *t2;
	unsigned status;
	enum sip_method method;
	int err;
};

struct h {
	struct tw w;
	struct txn_cfg cfg;
	struct txn_layer *l;
	int send_rc; /* what the sender returns */
	unsigned nsent, nev, ndestroyed;
	struct h_sent sent[H_MAX_SENT];
	struct h_ev ev[H_MAX_EV];
	struct sip_msg msg; /* scans of sent messages */
};

static inline int h_send(void *arg, const struct tp_peer *dst,
			 const struct iovec *iov, int iovcnt)
{
	struct h *h = arg;
	struct h_sent *s;

	if (h->send_rc)
		return h->send_rc;
	assert_true(h->nsent < H_MAX_SENT);
	s = &h->sent[h->nsent++];
	s->at = h->w.now;
	s->dst = *dst;
	s->len = 0;
	for (int i = 0; i < iovcnt; i++) {
		assert_true(s->len + iov[i].iov_len <= sizeof(s->buf));
		memcpy(s->buf + s->len, iov[i].iov_base, iov[i].iov_len);
		s->len += iov[i].iov_len;
	}
	return 0;
}

static inline struct h_ev *h_push(struct h *h, enum h_ev_type type,
				  struct txn *t)
{
	struct h_ev *e;

	assert_true(h->nev < H_MAX_EV);
	e = &h->ev[h->nev++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->t = t;
	e->at = h->w.now;
	return e;
}

static inline void tu_request(void *arg, struct txn *st, struct sip_msg *req)
{
	struct h_ev *e = h_push(arg, EV_REQUEST, st);

	e->method = req->method_id;
}

static inline void tu_response(void *arg, struct txn *ct, struct sip_msg *m)
{
	struct h_ev *e = h_push(arg, EV_RESPONSE, ct);

	e->status = m->status;
	e->method = m->cseq.method_id;
}

static inline void tu_timeout(void *arg, struct txn *t)
{
	h_push(arg, EV_TIMEOUT, t);
}

static inline void tu_terr(void *arg, struct txn *t, int err)
{
	h_push(arg, EV_TERR, t)->err = err;
}

static inline void tu_cancel(void *arg, struct txn *inv, struct txn *cst,
			     struct sip_msg *m)
{
	struct h_ev *e = h_push(arg, EV_CANCEL, inv);

	e->t2 = cst;
	e->method = m->method_id;
}

static inline void tu_stray(void *arg, struct sip_msg *m,
			    const struct tp_rx *rx)
{
	struct h_ev *e = h_push(arg, EV_STRAY, NULL);

	(void)rx;
	e->status = m->status;
	e->method = m->request ? m->method_id : m->cseq.method_id;
}

static inline void tu_destroyed(void *arg, struct txn *t)
{
	struct h *h = arg;

	/* Exactly once: a second call would find the slot wiped. */
	assert_int_equal(txn_state(t), TXN_TERMINATED);
	h_push(h, EV_DESTROYED, t);
	h->ndestroyed++;
}

static const struct txn_tu h_tu = {
	.request = tu_request,
	.response = tu_response,
	.timeout = tu_timeout,
	.transport_error = tu_terr,
	.cancel = tu_cancel,
	.stray = tu_stray,
	.destroyed = tu_destroyed,
};

static inline struct h *h_new_cfg(const struct txn_cfg *cfg)
{
	struct h *h = calloc(1, sizeof(*h));
	struct tp_sender snd = {.send = h_send, .arg = h};

	assert_non_null(h);
	tw_init(&h->w, 0);
	if (cfg)
		h->cfg = *cfg;
	else
		txn_cfg_default(&h->cfg);
	assert_int_equal(txn_layer_new(&h->l, &h->cfg, &h->w, &snd, &h_tu, h),
			 0);
	return h;
}

static inline struct h *h_new(void)
{
	return h_new_cfg(NULL);
}

/* Free the layer: every transaction ever created is destroyed exactly
 * once. */
static inline void h_free(struct h *h)
{
	const struct txn_stats *st = txn_layer_stats(h->l);
	uint64_t created = st->server_created + st->client_created;

	txn_layer_free(h->l);
	assert_int_equal(h->ndestroyed, created);
	free(h);
}

static inline void h_at(struct h *h, uint64_t ms)
{
	tw_advance(&h->w, ms);
}

/* Advance 1 ms at a time, so every timer fires at its exact time. */
static inline void h_run_to(struct h *h, uint64_t ms)
{
	while (h->w.now < ms)
		tw_advance(&h->w, h->w.now + 1);
}

static inline struct tp_peer h_peer(enum tp_proto proto, const char *ip,
				    uint16_t port)
{
	struct tp_peer p = {.proto = proto};

	p.addr.u.sin.sin_family = AF_INET;
	p.addr.u.sin.sin_port = htons(port);
	inet_pton(AF_INET, ip, &p.addr.u.sin.sin_addr);
	p.addr.len = sizeof(p.addr.u.sin);
	if (proto != TP_UDP)
		p.conn = 7;
	return p;
}

static inline uint16_t h_port(const struct tp_peer *p)
{
	return ntohs(p->addr.u.sin.sin_port);
}

static inline bool h_ip_is(const struct tp_peer *p, const char *ip)
{
	char buf[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &p->addr.u.sin.sin_addr, buf, sizeof(buf));
	return strcmp(buf, ip) == 0;
}

/* Feed text as received from src. */
static inline void h_input(struct h *h, const char *text,
			   const struct tp_peer *src)
{
	struct tp_rx rx = {.src = *src, .now_ms = h->w.now};

	txn_input(h->l, text, strlen(text), &rx);
}

/* Scan sent message i. */
static inline struct sip_msg *h_sent_msg(struct h *h, unsigned i)
{
	struct sip_err err;

	assert_true(i < h->nsent);
	assert_int_equal(sip_msg_scan(&h->msg, h->sent[i].buf, h->sent[i].len,
				      0, NULL, &err),
			 0);
	return &h->msg;
}

/* The number of events of a type (and, if t != NULL, on t). */
static inline unsigned h_count(const struct h *h, enum h_ev_type type,
			       const struct txn *t)
{
	unsigned n = 0;

	for (unsigned i = 0; i < h->nev; i++)
		if (h->ev[i].type == type && (!t || h->ev[i].t == t))
			n++;
	return n;
}

/* The last event of a type, or NULL. */
static inline const struct h_ev *h_last(const struct h *h, enum h_ev_type type)
{
	for (unsigned i = h->nev; i-- > 0;)
		if (h->ev[i].type == type)
			return &h->ev[i];
	return NULL;
}

static inline bool h_contains(const struct h_sent *s, const char *needle)
{
	return memmem(s->buf, s->len, needle, strlen(needle)) != NULL;
}

#endif
