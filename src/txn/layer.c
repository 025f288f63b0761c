/* layer.c - the transaction layer object: configuration, the transaction
 * pool, lifetime (hold / terminate), stored copies, sending, branches and
 * the owner shard of a message.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "txn/txn_int.h"

/* Our branches: "z9hG4bK" 'R' <shard, 2 hex digits> <16 hex digits>. */
#define TXN_COOKIE "z9hG4bK"
#define TXN_MARK   'R'

void txn_cfg_default(struct txn_cfg *cfg)
{
	*cfg = (struct txn_cfg){
		.t1 = 500,
		.t2 = 4000,
		.t4 = 5000,
		.max_txns = 65536,
		.shard = 0,
		.nshards = 1,
		.limits = NULL,
	};
}

/* splitmix64's finaliser: a bijection, so distinct counters give distinct
 * branch suffixes within one layer. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

uint32_t txn_fnv1a(uint32_t h, struct sv s, bool lower)
{
	for (size_t i = 0; i < s.len; i++) {
		h ^= (uint8_t)(lower ? sv_lower(s.p[i]) : s.p[i]);
		h *= 16777619u;
	}
	return h;
}

static void timer_retx(struct tw_timer *tt)
{
	struct txn *t = (struct txn *)((char *)tt - offsetof(struct txn, retx));

	txn_hold(t);
	switch ((enum txn_kind)t->kind) {
	case TXN_CLIENT_INVITE:
		txn_cinv_timer_retx(t);
		break;
	case TXN_CLIENT_NONINVITE:
		txn_cnon_timer_retx(t);
		break;
	case TXN_SERVER_INVITE:
		txn_sinv_timer_retx(t);
		break;
	case TXN_SERVER_NONINVITE:
		break;
	}
	txn_unhold(t);
}

static void timer_end(struct tw_timer *tt)
{
	struct txn *t = (struct txn *)((char *)tt - offsetof(struct txn, end));

	txn_hold(t);
	switch ((enum txn_kind)t->kind) {
	case TXN_CLIENT_INVITE:
		txn_cinv_timer_end(t);
		break;
	case TXN_CLIENT_NONINVITE:
		txn_cnon_timer_end(t);
		break;
	case TXN_SERVER_INVITE:
		txn_sinv_timer_end(t);
		break;
	case TXN_SERVER_NONINVITE:
		txn_snon_timer_end(t);
		break;
	}
	txn_unhold(t);
}

int txn_layer_new(struct txn_layer **out, const struct txn_cfg *cfg,
		  struct tw *timers, const struct tp_sender *sender,
		  const struct txn_tu *tu, void *tu_arg)
{
	struct txn_layer *l;
	uint32_t size = 16;
	uint64_t seed = 0;
	int rc;

	*out = NULL;
	if (!cfg || !timers || !sender || !sender->send || !tu ||
	    cfg->max_txns == 0 || cfg->t1 == 0 || cfg->t2 < cfg->t1 ||
	    cfg->nshards == 0 || cfg->nshards > 64 ||
	    cfg->shard >= cfg->nshards || cfg->max_txns > (1u << 24))
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->cfg = *cfg;
	l->limits = cfg->limits ? cfg->limits : &sip_limits_default;
	/* Our own copies were accepted once; re-scans only need room. */
	l->stored_limits = (struct sip_limits){
		.max_msg_size = TXN_MSG_MAX,
		.max_headers = SIP_MSG_HDRS_MAX,
		.max_line = TXN_MSG_MAX,
	};
	l->tw = timers;
	l->sender = *sender;
	l->tu = *tu;
	l->tu_arg = tu_arg;
	while (size < cfg->max_txns)
		size <<= 1;
	l->mask = size - 1;
	l->table = calloc(size, sizeof(struct txn *));
	l->pool = calloc(cfg->max_txns, sizeof(*l->pool));
	/* Bound the copies: a few KB per transaction on average is plenty
	 * (requests and their last response), plus room for large ones. */
	rc = slab_new(&l->slab, (size_t)cfg->max_txns * 8192 + (1u << 20));
	if (!l->table || !l->pool || rc) {
		txn_layer_free(l);
		return rc ? rc : -ENOMEM;
	}
	for (uint32_t i = cfg->max_txns; i-- > 0;) {
		l->pool[i].hnext = l->free_list;
		l->free_list = &l->pool[i];
	}
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)l;
	l->seed = seed;
	*out = l;
	return 0;
}

/* The end of a transaction: tell the TU, release its copies, back to the
 * pool. */
static void txn_finish(struct txn *t)
{
	struct txn_layer *l = t->l;

	assert(t->hold == 0);
	tw_del(l->tw, &t->retx);
	tw_del(l->tw, &t->end);
	txn_hash_remove(t);
	if (l->tu.destroyed)
		l->tu.destroyed(l->tu_arg, t);
	slab_release(l->slab, t->req);
	slab_release(l->slab, t->resp);
	memset(t, 0, sizeof(*t));
	t->hnext = l->free_list;
	l->free_list = t;
	l->stats.live--;
}

void txn_layer_free(struct txn_layer *l)
{
	if (!l)
		return;
	if (l->pool) {
		for (uint32_t i = 0; i < l->cfg.max_txns; i++) {
			struct txn *t = &l->pool[i];

			if (!(t->flags & TF_LIVE))
				continue;
			assert(t->hold == 0);
			t->state = TXN_TERMINATED;
			txn_finish(t);
		}
	}
	slab_free(l->slab);
	free(l->pool);
	free(l->table);
	free(l);
}

const struct txn_stats *txn_layer_stats(const struct txn_layer *l)
{
	return &l->stats;
}

struct txn *txn_alloc(struct txn_layer *l)
{
	struct txn *t = l->free_list;

	if (!t)
		return NULL;
	l->free_list = t->hnext;
	memset(t, 0, sizeof(*t));
	t->l = l;
	t->flags = TF_LIVE;
	tw_timer_init(&t->retx, timer_retx);
	tw_timer_init(&t->end, timer_end);
	l->stats.live++;
	return t;
}

void txn_hold(struct txn *t)
{
	assert(t->hold < UINT8_MAX);
	t->hold++;
}

void txn_unhold(struct txn *t)
{
	assert(t->hold > 0);
	if (--t->hold == 0 && t->state == TXN_TERMINATED)
		txn_finish(t);
}

void txn_terminate(struct txn *t)
{
	if (t->state == TXN_TERMINATED)
		return;
	t->state = TXN_TERMINATED;
	t->flags &= (uint8_t)~TF_CANCEL_PENDING;
	tw_del(t->l->tw, &t->retx);
	tw_del(t->l->tw, &t->end);
	txn_hash_remove(t);
	if (t->hold == 0)
		txn_finish(t);
}

char *txn_store(struct txn_layer *l, const struct iovec *iov, int iovcnt,
		size_t *len)
{
	size_t total = 0, at = 0;
	char *p;

	for (int i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	*len = total;
	if (total == 0 || total > TXN_MSG_MAX)
		return NULL;
	p = slab_alloc(l->slab, total);
	if (!p)
		return NULL;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len)
			memcpy(p + at, iov[i].iov_base, iov[i].iov_len);
		at += iov[i].iov_len;
	}
	return p;
}

int txn_store_resp(struct txn *t, const char *buf, size_t len)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	char *p = txn_store(t->l, &iov, 1, &len);

	if (!p)
		return len > TXN_MSG_MAX ? -EMSGSIZE : -ENOBUFS;
	slab_release(t->l->slab, t->resp);
	t->resp = p;
	t->resp_len = (uint16_t)len;
	t->resp_to_tag = (struct txn_span){0, 0};
	return 0;
}

int txn_send(struct txn *t, const char *buf, size_t len)
{
	struct txn_layer *l = t->l;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	int rc = l->sender.send(l->sender.arg, &t->peer, &iov, 1);

	if (rc >= 0)
		return 0;
	/* §17.1.4, §17.2.4: tell the TU and end the transaction. */
	l->stats.transport_errors++;
	txn_hold(t);
	if (l->tu.transport_error)
		l->tu.transport_error(l->tu_arg, t, rc);
	txn_terminate(t);
	txn_unhold(t);
	return rc;
}

int txn_rescan(const struct txn *t, struct sip_msg *m)
{
	return sip_msg_scan(m, t->req, t->req_len, 0, &t->l->stored_limits,
			    NULL);
}

int txn_tag_hex(struct txn_layer *l, uint64_t v, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%016llx",
			 (unsigned long long)mix64(v ^ l->seed));

	return (n < 0 || (size_t)n >= cap) ? -ENOSPC : n;
}

int txn_make_tag(const struct txn *t, char *buf, size_t cap)
{
	/* Derived, not stored: the same for every response of t. */
	return txn_tag_hex(t->l,
			   ((uint64_t)t->hash << 32) ^ t->cseq ^
				   (uint64_t)(uintptr_t)t,
			   buf, cap);
}

void txn_wb_put(struct txn_wbuf *w, struct sv s)
{
	if (w->full || s.len > w->cap - w->len) {
		w->full = true;
		return;
	}
	if (s.len)
		memcpy(w->p + w->len, s.p, s.len);
	w->len += s.len;
}

void txn_wb_uint(struct txn_wbuf *w, unsigned long v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lu", v);

	txn_wb_put(w, sv_make(num, (size_t)n));
}

void txn_wb_hdr(struct txn_wbuf *w, const char *name, struct sv value)
{
	txn_wb_put(w, sv_from_cstr(name));
	txn_wb_put(w, SV(": "));
	txn_wb_put(w, value);
	txn_wb_put(w, SV("\r\n"));
}

int txn_branch(struct txn_layer *l, char *buf, size_t cap)
{
	uint64_t v = mix64(l->seed + l->counter++);
	int n;

	if (cap < 40)
		return -ENOSPC;
	n = snprintf(buf, cap, TXN_COOKIE "%c%02x%016llx", TXN_MARK,
		     (unsigned)l->cfg.shard, (unsigned long long)v);
	return n;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The shard in one of our branches, or -1. */
static int branch_shard(struct sv b)
{
	const size_t cl = sizeof(TXN_COOKIE) - 1;
	int hi, lo;

	if (b.len < cl + 3 || memcmp(b.p, TXN_COOKIE, cl) != 0 ||
	    b.p[cl] != TXN_MARK)
		return -1;
	hi = hex_val(b.p[cl + 1]);
	lo = hex_val(b.p[cl + 2]);
	if (hi < 0 || lo < 0)
		return -1;
	return hi * 16 + lo;
}

unsigned txn_owner(const struct sip_msg *m, unsigned nshards)
{
	uint32_t h = TXN_FNV_INIT;
	char port[8];
	int n;

	if (nshards <= 1)
		return 0;
	if (!m->request) {
		int s = branch_shard(m->via.branch);

		if (s >= 0 && (unsigned)s < nshards)
			return (unsigned)s;
		/* Not ours: a stray; any worker will do, consistently. */
		return txn_fnv1a(h, m->via.branch, false) % nshards;
	}
	/* Requests: the server transaction key without the method, so that
	 * a CANCEL or a non-2xx ACK lands where its INVITE did. */
	if (!sip_via_branch_is_rfc3261(&m->via))
		return txn_fnv1a(h, m->call_id, false) % nshards;
	h = txn_fnv1a(h, m->via.branch, false);
	h = txn_fnv1a(h, m->via.host, true);
	n = snprintf(port, sizeof(port), ":%u", (unsigned)m->via.port);
	h = txn_fnv1a(h, sv_make(port, (size_t)n), false);
	return h % nshards;
}

/* ---- accessors ---- */

enum txn_kind txn_kind(const struct txn *t)
{
	return (enum txn_kind)t->kind;
}

enum txn_state txn_state(const struct txn *t)
{
	return (enum txn_state)t->state;
}

void *txn_user(const struct txn *t)
{
	return t->user;
}

void txn_set_user(struct txn *t, void *user)
{
	t->user = user;
}

const struct sip_msg *txn_request_msg(const struct txn *t)
{
	struct txn_layer *l = t->l;

	if (!t->req || txn_rescan(t, &l->pub) != 0)
		return NULL;
	return &l->pub;
}

const struct tp_peer *txn_peer(const struct txn *t)
{
	return &t->peer;
}

unsigned txn_status(const struct txn *t)
{
	return t->status;
}
