/* txn_int.h - private structures and helpers of the transaction layer.
 *
 * A transaction keeps no struct sip_msg (about 7 KB): it keeps the bytes of
 * the request that created it (a slab block) and the few keys matching needs
 * as offsets into that copy.  Whenever a header must be copied (ACK, CANCEL,
 * responses) the copy is re-scanned into a per-layer scratch message.
 */
#ifndef RINGWAY_TXN_TXN_INT_H
#define RINGWAY_TXN_TXN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/slab.h"
#include "txn/txn.h"

/* Stored messages are at most this long, so offsets fit in 16 bits. */
#define TXN_MSG_MAX 65535u
/* Build buffer for responses, ACK and CANCEL, and for repaired copies of
 * malformed requests. */
#define TXN_OUT_MAX 65536u

/* A view into a stored copy: offset and length. */
struct txn_span {
	uint16_t off, len;
};

enum txn_flag {
	TF_LIVE = 1u << 0,	     /* taken from the pool */
	TF_CLIENT = 1u << 1,	     /* client transaction */
	TF_RFC2543 = 1u << 2,	     /* no magic cookie: §17.2.3 fallback */
	TF_HAS_PORT = 1u << 3,	     /* sent-by had a port */
	TF_CANCEL_PENDING = 1u << 4, /* txn_cancel() waits for a 1xx */
	TF_CANCELLED = 1u << 5,	     /* txn_cancel() was called */
	TF_HASHED = 1u << 6,	     /* linked in the match table */
};

struct txn {
	struct tw_timer retx; /* Timer A, E or G: retransmissions */
	struct tw_timer end;  /* Timer B, D, F, H, I, J, K, L or M */
	struct txn_layer *l;
	struct txn *hnext; /* match table chain; free list link */
	void *user;
	char *req;  /* the request that created us (slab) */
	char *resp; /* server: last response sent; client INVITE: our ACK */
	struct tp_peer peer;
	uint32_t hash;
	uint32_t interval; /* current Timer A/E/G interval, ms */
	uint32_t cseq;
	uint16_t req_len, resp_len;
	/* Keys, offsets into req (resp_to_tag: into resp). */
	struct txn_span branch, host, method, ruri, call_id, from_tag, to_tag,
		via, resp_to_tag;
	uint16_t port;
	uint16_t status; /* last response sent / received */
	uint8_t kind;	 /* enum txn_kind */
	uint8_t state;	 /* enum txn_state */
	uint8_t method_id;
	uint8_t hold; /* entry points running on this txn */
	uint8_t flags;
};

struct txn_layer {
	struct txn_cfg cfg;
	struct sip_limits stored_limits; /* for re-scanning our own copies */
	const struct sip_limits *limits;
	struct tw *tw;
	struct tp_sender sender;
	struct txn_tu tu;
	void *tu_arg;
	struct txn_stats stats;
	struct slab *slab;
	struct txn *pool;
	struct txn *free_list;
	struct txn **table;
	uint32_t mask;
	uint64_t seed, counter;
	struct sip_msg in;	/* txn_input() */
	struct sip_msg scratch; /* internal re-scans; never held across a
				   TU callback */
	struct sip_msg pub;	/* txn_request_msg() */
	char out[TXN_OUT_MAX];
	char fix[TXN_OUT_MAX];
};

static inline struct sv txn_sv(const char *base, struct txn_span s)
{
	return sv_make(base + s.off, s.len);
}

static inline struct txn_span txn_span_of(const char *base, struct sv v)
{
	if (!v.p || !v.len)
		return (struct txn_span){0, 0};
	return (struct txn_span){(uint16_t)(v.p - base), (uint16_t)v.len};
}

static inline bool txn_reliable(const struct txn *t)
{
	return tp_reliable(t->peer.proto);
}

static inline uint32_t txn_64t1(const struct txn_layer *l)
{
	return 64 * l->cfg.t1;
}

/* A small append-only writer for ACK, CANCEL and stateless replies. */
struct txn_wbuf {
	char *p;
	size_t len, cap;
	bool full;
};

void txn_wb_put(struct txn_wbuf *w, struct sv s);
void txn_wb_uint(struct txn_wbuf *w, unsigned long v);
/* "Name: value\r\n" */
void txn_wb_hdr(struct txn_wbuf *w, const char *name, struct sv value);

/* layer.c: pool, lifetime, sending. */
struct txn *txn_alloc(struct txn_layer *l);
void txn_hold(struct txn *t);
void txn_unhold(struct txn *t);
/* Move to Terminated: disarm timers, leave the match table.  destroyed()
 * and the return to the pool happen when the last entry point working on
 * t returns (at once if none). */
void txn_terminate(struct txn *t);
/* Copy bytes into a slab block; NULL if the pool is spent. */
char *txn_store(struct txn_layer *l, const struct iovec *iov, int iovcnt,
		size_t *len);
int txn_store_resp(struct txn *t, const char *buf, size_t len);
/* Send bytes to t's peer; on failure report it to the TU, terminate t and
 * return the error. */
int txn_send(struct txn *t, const char *buf, size_t len);
/* Re-scan the stored request into m. */
int txn_rescan(const struct txn *t, struct sip_msg *m);
/* A To tag for responses to t built here (stable for the transaction). */
int txn_make_tag(const struct txn *t, char *buf, size_t cap);
int txn_tag_hex(struct txn_layer *l, uint64_t v, char *buf, size_t cap);
uint32_t txn_fnv1a(uint32_t h, struct sv s, bool lower);
#define TXN_FNV_INIT 2166136261u

/* match.c */
void txn_hash_insert(struct txn *t);
void txn_hash_remove(struct txn *t);
/* Server transaction for request m (§17.2.3); want is the method of the
 * transaction sought (INVITE for an ACK or a CANCEL, §9.2). */
struct txn *txn_match_server(struct txn_layer *l, const struct sip_msg *m,
			     enum sip_method want, struct sv want_name);
/* Client transaction for response m (§17.1.3). */
struct txn *txn_find_client(struct txn_layer *l, struct sv branch,
			    enum sip_method method, struct sv method_name);
struct txn *txn_match_client(struct txn_layer *l, const struct sip_msg *m);
/* Fill t's keys from m; base is the byte of m that is t->req[0]. */
void txn_keys_set(struct txn *t, const struct sip_msg *m, const char *base);

/* The state machines: one function per event. */
void txn_cinv_start(struct txn *t);
void txn_cinv_response(struct txn *t, struct sip_msg *m);
void txn_cnon_start(struct txn *t);
void txn_cnon_response(struct txn *t, struct sip_msg *m);
void txn_sinv_retransmit(struct txn *t);
void txn_sinv_ack(struct txn *t, struct sip_msg *m, const struct tp_rx *rx);
int txn_sinv_respond(struct txn *t, const char *buf, size_t len, unsigned code);
void txn_snon_retransmit(struct txn *t);
int txn_snon_respond(struct txn *t, const char *buf, size_t len, unsigned code);

/* Timer callbacks, dispatched by kind and state. */
void txn_cinv_timer_retx(struct txn *t);
void txn_cinv_timer_end(struct txn *t);
void txn_cnon_timer_retx(struct txn *t);
void txn_cnon_timer_end(struct txn *t);
void txn_sinv_timer_retx(struct txn *t);
void txn_sinv_timer_end(struct txn *t);
void txn_snon_timer_end(struct txn *t);

/* server.c: a server transaction for request m received as rx. */
int txn_server_new(struct txn_layer *l, const struct sip_msg *m,
		   const struct tp_rx *rx, struct txn **out);
/* Keep a copy of a response t sends (and, for RFC 2543 matching of the
 * ACK, where its To tag is). */
int txn_server_store(struct txn *t, const char *buf, size_t len);

/* cancel.c: the CANCEL for client INVITE ct, now. */
int txn_cancel_send(struct txn *ct, struct txn **out);
/* client.c: start a client transaction on bytes already stored. */
int txn_client_start(struct txn_layer *l, struct txn **out, char *copy,
		     size_t len, const struct tp_peer *dst, void *user);

#endif
