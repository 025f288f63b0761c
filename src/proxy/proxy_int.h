/* proxy_int.h - private structures of the stateful proxy (RFC 3261 §16).
 *
 * One struct proxy per worker.  Every server transaction the proxy acts on
 * gets a response context (struct px_ctx, §16.7) from a per-proxy free
 * list; its target set (§16.5) and the client transaction of each tried
 * target (a "branch", §16.6) live inside it, so a client transaction's user
 * pointer is the struct px_target it was started for.
 *
 * Contexts are malloc'ed when the free list is empty and never returned to
 * malloc before proxy_free(): a client transaction (typically the CANCEL
 * the layer started for us, which inherits the INVITE's user pointer) may
 * outlive its context, and a callback for it then reads a target slot that
 * is still valid memory but no longer names that transaction
 * (px_target.ct != t), and is ignored.  Steady state: no allocation per
 * request.  Next step: a bounded pool size from the configuration.
 */
#ifndef RINGWAY_PROXY_PROXY_INT_H
#define RINGWAY_PROXY_PROXY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/slab.h"
#include "ev/timer.h"
#include "proxy/proxy.h"
#include "txn/txn.h"

/* Compile-time capacity of a target set; cfg.max_targets bounds it at run
 * time. */
#define PX_TARGETS_MAX 32
#define PX_URI_MAX     256
#define PX_LOCAL_MAX   ENGINE_MAX_LISTEN
/* Timer C-like grace after the overall INVITE timeout has CANCELled the
 * branches: a branch that answers neither the INVITE nor the CANCEL is
 * given up after this long (64*T1 with the default T1). */
#define PX_GRACE_MS 32000
/* Our branches: txn_branch() then "." and the RFC 5393 loop hash. */
#define PX_BRANCH_MAX 64
#define PX_HASH_LEN   8

struct px_local {
	struct tp_addr addr;
	int proto; /* enum tp_proto, or -1: any */
	char host[64];
	uint16_t port;
};

/* Why we CANCELled a branch: decides whether its 487 is a candidate for
 * the best response (§16.7 item 6). */
enum px_cancel_why {
	PX_CANCEL_NONE = 0,
	PX_CANCEL_RING,	    /* our ring timeout: not a candidate */
	PX_CANCEL_TIMEOUT,  /* the overall INVITE timeout: not a candidate */
	PX_CANCEL_ANSWERED, /* a 2xx or 6xx elsewhere (§16.7 items 9-10) */
	PX_CANCEL_UPSTREAM, /* the caller's CANCEL (§16.10): a candidate */
};

/* A target (§16.5) and, once tried, its branch (§16.6). */
enum px_target_state {
	PXT_UNTRIED = 0,
	PXT_CALLING,	/* client transaction started, no final yet */
	PXT_CANCELLING, /* CANCELled, waiting for its final */
	PXT_DONE,	/* final received, timed out or failed */
};

struct px_ctx;

struct px_target {
	struct px_ctx *ctx;
	struct txn *ct;
	struct tw_timer ring; /* ring timeout, INVITE branches only */
	uint32_t ring_ms;     /* this target's ring timeout (0: none) */
	enum px_target_state state;
	enum px_cancel_why cancel_why;
	uint16_t q;	/* x1000 */
	bool next_hop;	/* destination: cfg.next_hop (§16.5 our domain) */
	bool answered;	/* a 2xx came on this branch */
	bool prov;	/* a provisional came on this branch */
	unsigned final; /* final status, 0 if none */
	uint64_t prov_sent[2]; /* 1xx codes already relayed (bit code-100) */
	uint16_t len;
	char uri[PX_URI_MAX];
};

/* The response context of one server transaction (§16.7). */
enum px_ctx_state {
	PXC_FREE = 0,
	PXC_SEARCHING, /* may start new targets */
	PXC_STOPPED,   /* no new targets (2xx, 6xx, CANCEL, timeout): wait for
			  the pending branches */
	PXC_COMPLETED, /* a final was sent upstream */
};

struct px_ctx {
	struct proxy *p;
	struct px_ctx *next_free;
	struct txn *st;
	enum px_ctx_state state;
	enum sip_method method;
	unsigned hold;	       /* entry points running on this context */
	bool st_gone;	       /* st was destroyed: release when hold is 0 */
	bool cancelled;	       /* §16.10 CANCEL from upstream */
	bool timed_out;	       /* cfg.invite_timeout_ms fired */
	bool answered;	       /* a 2xx was forwarded */
	bool final_sent;       /* a final (2xx or not) went upstream */
	bool grace;	       /* the overall timer is in its grace phase */
	struct tw_timer timer; /* overall INVITE timeout, then grace */
	unsigned ntargets;
	/* Best response so far (§16.7 item 6): a copy of a received final,
	 * or only a status for one we synthesise (408 timeout, 503
	 * transport error).  best_rank: lower is better; -1: none. */
	int best_rank;
	unsigned best_status;
	const char *best_reason; /* for a synthetic one; NULL: default */
	char *best;		 /* slab block, NULL if synthetic */
	size_t best_len;
	/* WWW-/Proxy-Authenticate lines of every 401/407 ("Name: v\r\n"). */
	char *auth;
	size_t auth_len;
	char loop_hash[PX_HASH_LEN + 1];
	struct px_target targets[PX_TARGETS_MAX];
};

struct proxy {
	struct proxy_cfg cfg;
	struct tw *tw;
	struct txn_layer *l;
	struct worker *w; /* engine mode: the layer is looked up lazily */
	struct slab *slab;
	struct px_ctx *free_ctx;
	struct px_ctx **all; /* every context ever allocated */
	size_t nall, capall;
	unsigned nlocal;
	struct px_local local[PX_LOCAL_MAX];
	struct sip_msg scratch; /* scans of our own copies */
	struct proxy_stats stats;
	char out[65536]; /* serialized messages */
	struct sip_edit edit;
};

/* proxy.c: our addresses. */
struct txn_layer *px_layer(struct proxy *p);
/* A URI naming us: host and port (5060 if absent) are one of our listen
 * addresses, or, if domains_too, the host is a configured domain and the
 * port is absent or one we listen on. */
bool px_uri_is_us(const struct proxy *p, const struct sip_uri *u,
		  bool domains_too);
/* A Via sent-by naming us (host:port of a listen address). */
bool px_via_is_us(const struct proxy *p, const struct sip_via *v);
/* The local address to send to dst from (family, then transport). */
const struct px_local *px_local_for(const struct proxy *p,
				    const struct tp_peer *dst, uint16_t *idx);

/* request.c: §16.3-16.6. */
void px_on_request(struct proxy *p, struct txn *st, struct sip_msg *req);
/* Where a URI's requests go (§16.6 item 7, numeric hosts only).
 * -EHOSTUNREACH: a host name (no DNS yet). */
int px_uri_peer(const struct sip_uri *u, struct tp_peer *out);
/* Forward target t of ctx (§16.6): 0, or a negative errno with *status the
 * response it stands for (503). */
int px_forward(struct px_ctx *c, struct px_target *t, unsigned *status);
/* RFC 5393 loop hash of a received request, PX_HASH_LEN hex digits. */
void px_loop_hash(struct sip_msg *m, char out[PX_HASH_LEN + 1]);
/* Our Via for dst with this branch, into buf; returns the length. */
int px_via(const struct proxy *p, const struct tp_peer *dst, struct sv branch,
	   char *buf, size_t cap);

/* context.c: §16.7, §16.10. */
struct px_ctx *px_ctx_new(struct proxy *p, struct txn *st,
			  enum sip_method method);
void px_ctx_hold(struct px_ctx *c);
void px_ctx_unhold(struct px_ctx *c);
/* Add a target unless an equal URI is already in the set. */
int px_ctx_add_target(struct px_ctx *c, struct sv uri, uint16_t q,
		      bool next_hop);
/* Start targets (§16.7 step 1-2: highest q group when nothing is active)
 * and send the best final when nothing is pending. */
void px_ctx_advance(struct px_ctx *c);
void px_ctx_on_response(struct px_target *t, struct txn *ct,
			struct sip_msg *resp);
void px_ctx_on_branch_error(struct px_target *t, struct txn *ct,
			    unsigned status);
void px_ctx_on_branch_destroyed(struct px_target *t, struct txn *ct);
void px_ctx_on_cancel(struct px_ctx *c, struct txn *cancel_st);
void px_ctx_on_st_destroyed(struct px_ctx *c);
void px_ctx_free_all(struct proxy *p);

/* stateless.c: §16.11, stray responses. */
void px_on_stray(struct proxy *p, struct sip_msg *m, const struct tp_rx *rx);
/* Forward a response statelessly by its second Via (§16.7 item 4 after
 * the context is gone / §18.1.2 stray 2xx). */
int px_forward_response_by_via(struct proxy *p, struct sip_msg *resp);
/* Where a response goes by this Via (§18.2.2 with received/rport). */
int px_via_peer(const struct sip_via *v, struct tp_peer *out);

#endif
