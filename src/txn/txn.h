/* txn.h - the RFC 3261 §17 transaction layer (with the RFC 6026 "Accepted"
 * states), one instance per worker.
 *
 * A transaction user (TU: the proxy, registrar, redirect server or phone
 * agent) sees exactly the callbacks of struct txn_tu: a new request (server
 * transaction), a response on a client transaction, a timeout, a transport
 * error, a CANCEL matching a server INVITE, and messages that match no
 * transaction and start none (ACK for 2xx, stray responses).  Everything
 * else -- retransmissions, absorbing retransmitted requests, ACK for non-2xx
 * finals, timers A-M -- happens here and is invisible to the TU.
 *
 * The layer owns no clock and no socket: it is driven by txn_input() and by
 * the timer wheel it is given (whose owner advances it), and it sends
 * through a struct tp_sender.  Unit tests use a simulated clock and a
 * capturing sender; a worker uses its event loop and its sockets.
 *
 * Memory: transactions come from a fixed pool (cfg.max_txns); copies of
 * requests and responses kept for retransmission and matching come from
 * size-classed slabs.  Nothing is allocated per message in steady state.
 * Not thread-safe: one layer per worker, fed only by that worker.
 */
#ifndef RINGWAY_TXN_TXN_H
#define RINGWAY_TXN_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ev/timer.h"
#include "sip/sip.h"
#include "transport/tp.h"

struct txn_cfg {
	uint32_t t1; /* ms, RTT estimate: 500 (§17.1.1.1) */
	uint32_t t2; /* ms, max non-INVITE/INVITE-response interval: 4000 */
	uint32_t t4; /* ms, max time a message stays in the network: 5000 */
	uint32_t max_txns; /* pool size; over it new requests get 503 */
	uint8_t shard;	   /* this worker's number, put into our branches */
	uint8_t nshards;   /* number of workers (1..64) */
	const struct sip_limits *limits; /* NULL: sip_limits_default */
};

/* RFC 3261 defaults: T1 500 ms, T2 4 s, T4 5 s, 65536 transactions,
 * shard 0 of 1. */
void txn_cfg_default(struct txn_cfg *cfg);

enum txn_kind {
	TXN_CLIENT_INVITE,    /* §17.1.1 */
	TXN_CLIENT_NONINVITE, /* §17.1.2 */
	TXN_SERVER_INVITE,    /* §17.2.1 */
	TXN_SERVER_NONINVITE, /* §17.2.2 */
};

enum txn_state {
	TXN_CALLING,	/* client INVITE, request sent */
	TXN_TRYING,	/* client/server non-INVITE */
	TXN_PROCEEDING, /* a provisional response was sent/received */
	TXN_COMPLETED,	/* a non-2xx final (INVITE) / any final (non-INVITE) */
	TXN_CONFIRMED,	/* server INVITE: ACK received (§17.2.1) */
	TXN_ACCEPTED,	/* INVITE: 2xx sent/received (RFC 6026 §7.1/§7.2) */
	TXN_TERMINATED,
};

struct txn;
struct txn_layer;

/* The transaction user.  The struct sip_msg handed to a callback is valid
 * only during the call; copy what must be kept. */
struct txn_tu {
	/* A new server transaction for req (any method but ACK).  The TU
	 * answers it with txn_reply*(), now or later. */
	void (*request)(void *tu, struct txn *st, struct sip_msg *req);
	/* A response on client transaction ct.  In the Accepted state
	 * (RFC 6026) retransmitted 2xx are passed up too, for a proxy to
	 * forward (§16.7 step 4). */
	void (*response)(void *tu, struct txn *ct, struct sip_msg *resp);
	/* Timer B or F fired on a client transaction (act as on a 408,
	 * §8.1.3.1), or Timer H on a server INVITE (the ACK never came). */
	void (*timeout)(void *tu, struct txn *t);
	/* Sending failed (§8.1.3.1, §17.1.4, §17.2.4); err is -errno. */
	void (*transport_error)(void *tu, struct txn *t, int err);
	/* A CANCEL matched server INVITE transaction invite_st (§9.2).
	 * cancel_st is the CANCEL's own server transaction: the TU answers
	 * it (200) and decides what happens to the INVITE (487 for a UAS,
	 * CANCEL the branches for a proxy, §16.10).  A CANCEL that matches
	 * nothing arrives through request(). */
	void (*cancel)(void *tu, struct txn *invite_st, struct txn *cancel_st,
		       struct sip_msg *cancel);
	/* A message that matches no transaction and starts none: an ACK
	 * (for a 2xx: end to end, §17.2.3 / RFC 6026), or a response that
	 * matches no client transaction (§18.1.2: a proxy forwards 2xx
	 * statelessly).  rx says where it came from. */
	void (*stray)(void *tu, struct sip_msg *msg, const struct tp_rx *rx);
	/* The transaction is about to be freed: forget it.  Every
	 * transaction ends here exactly once. */
	void (*destroyed)(void *tu, struct txn *t);
};

struct txn_stats {
	uint64_t rx_requests, rx_responses;
	uint64_t rx_malformed; /* answered 4xx/5xx or dropped */
	uint64_t server_created, client_created;
	uint64_t absorbed;	   /* retransmitted requests absorbed */
	uint64_t absorbed_acks;	   /* ACKs for non-2xx absorbed */
	uint64_t retransmitted;	   /* our retransmissions (A, E, G, 2xx) */
	uint64_t responses_resent; /* finals re-sent for a retransmitted
				      request */
	uint64_t timeouts;	   /* B, F, H */
	uint64_t transport_errors;
	uint64_t stray;
	uint64_t pool_exhausted; /* requests refused with 503 */
	uint64_t live;		 /* transactions now */
};

int txn_layer_new(struct txn_layer **out, const struct txn_cfg *cfg,
		  struct tw *timers, const struct tp_sender *sender,
		  const struct txn_tu *tu, void *tu_arg);
/* Destroys every transaction (destroyed() is called for each). */
void txn_layer_free(struct txn_layer *l);
const struct txn_stats *txn_layer_stats(const struct txn_layer *l);

/* Feed one received message: a datagram, or one message framed from a
 * stream.  Malformed requests are answered statelessly with the status of
 * their struct sip_err (400, 505, 513, ...), malformed responses dropped.
 * Then: match (§17.1.3 / §17.2.3, RFC 2543 fallback for branches without
 * the magic cookie), run the state machine, call the TU. */
void txn_input(struct txn_layer *l, const char *buf, size_t len,
	       const struct tp_rx *rx);
/* The same for a message already scanned by the caller (the worker scans
 * once to pick the owner). */
void txn_input_msg(struct txn_layer *l, struct sip_msg *m,
		   const struct tp_rx *rx);

/* Which of nshards workers owns the transaction m belongs to.  Responses
 * (and anything carrying one of our branches) go to the shard encoded in
 * the branch; requests are hashed by (branch, sent-by), or by Call-ID
 * without the magic cookie, so that a CANCEL or non-2xx ACK lands where
 * its INVITE did. */
unsigned txn_owner(const struct sip_msg *m, unsigned nshards);

/* ---- server side ---- */

/* Answer server transaction st with a response built from its request
 * (§8.2.6; sip_resp_build): code, reason/to-tag/headers/body in opts. */
int txn_reply(struct txn *st, unsigned code, const struct sip_resp_opts *o);
/* Send a response the TU built (a proxy forwarding one, §16.7): its bytes
 * are copied.  The status code is read from the bytes. */
int txn_reply_raw(struct txn *st, const struct iovec *iov, int iovcnt);

/* ---- client side ---- */

/* Write a new unique branch ("z9hG4bK" + our shard + ...) into buf (at
 * least 40 bytes); returns its length. */
int txn_branch(struct txn_layer *l, char *buf, size_t cap);
/* Start a client transaction: send request (whose top Via carries a branch
 * from txn_branch()) to dst and keep a copy for retransmission, ACK and
 * CANCEL.  *out stays valid until destroyed(). */
int txn_request(struct txn_layer *l, struct txn **out, const struct iovec *iov,
		int iovcnt, const struct tp_peer *dst, void *user);
/* CANCEL client INVITE transaction ct (§9.1): a CANCEL with the same
 * Request-URI, Call-ID, From, To, CSeq number, Route and top Via, sent to
 * the same peer as a client non-INVITE transaction, as soon as a
 * provisional response has arrived (at once if one has).  Harmless once a
 * final response has arrived.  *out (may be NULL) is the CANCEL's
 * transaction, or NULL while it waits for the provisional. */
int txn_cancel(struct txn *ct, struct txn **out);

/* ---- any transaction ---- */

enum txn_kind txn_kind(const struct txn *t);
enum txn_state txn_state(const struct txn *t);
void *txn_user(const struct txn *t);
void txn_set_user(struct txn *t, void *user);
/* The request that created t (a scanned copy kept by the layer). */
/* CONTRACT CHANGE: the layer keeps the request's bytes, not a struct
 * sip_msg (~7 KB each); this re-scans them into one per-layer message, so
 * the result is valid until the next txn_request_msg() call on this
 * layer. */
const struct sip_msg *txn_request_msg(const struct txn *t);
/* Where responses (server) or requests (client) go. */
const struct tp_peer *txn_peer(const struct txn *t);
/* Last response status sent (server) or received (client); 0 if none. */
unsigned txn_status(const struct txn *t);

/* ---- stateless ---- */

/* Send bytes with no transaction: 2xx ACK forwarding, stray 2xx
 * forwarding, stateless responses. */
int txn_send_stateless(struct txn_layer *l, const struct tp_peer *dst,
		       const struct iovec *iov, int iovcnt);
/* §18.2.2: where a response to req (received as rx) goes: the source
 * address for rport (RFC 3581) and streams, else received/sent-by and
 * the sent-by port (5060 if none). */
int txn_response_peer(const struct sip_msg *req, const struct tp_rx *rx,
		      struct tp_peer *out);
/* Answer req statelessly (no transaction): build with sip_resp_build and
 * send to txn_response_peer(). */
int txn_reply_stateless(struct txn_layer *l, const struct sip_msg *req,
			const struct tp_rx *rx, unsigned code,
			const struct sip_resp_opts *o);

#endif
