/* proxy.h - the RFC 3261 §16 stateful proxy, a transaction user on the
 * engine (one instance per worker, nothing shared).
 *
 * Request path (§16.3-16.6): validate (400/416 from sip_msg_check, 483 or
 * an answer to OPTIONS at Max-Forwards 0, 482 for a loop detected with the
 * RFC 5393 branch hash, 420 for a Proxy-Require we lack), pre-process Route
 * (strict-router fix-up §16.4, pop our own loose Route), build the target
 * set (§16.5: the Route destination, else our domain's targets — the
 * configured next hop until the location service exists — else the
 * Request-URI), and forward (§16.6: copy, Request-URI, Max-Forwards - 1,
 * Record-Route, our Via with a branch carrying the loop hash, 100 Trying
 * upstream for INVITE).
 *
 * Response context (§16.7) per server transaction: targets ordered by q,
 * equal q in parallel, lower q after (serial forking); a ring timeout per
 * INVITE branch CANCELs that branch and starts the next targets at once;
 * 3xx recursion adds Contacts not yet in the set (§19.1.4 comparison);
 * provisionals relayed once per branch and status; every 2xx forwarded (also
 * late ones, after a CANCEL or after another branch answered), other
 * branches CANCELled; 6xx ends the search; best response per §16.7 item 6
 * (503 -> 500), 401/407 challenges merged; CANCEL from upstream (§16.10)
 * answered 200 and sent to every pending branch.
 *
 * Stateless paths: ACK for 2xx and other requests matching no transaction
 * that carry a Route are forwarded by Route/Request-URI (§16.11 branch);
 * stray 2xx responses are forwarded by their second Via (§16.7 item 4).
 */
#ifndef RINGWAY_PROXY_PROXY_H
#define RINGWAY_PROXY_PROXY_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "sip/sip.h"
#include "transport/tp.h"

#define PROXY_MAX_DOMAINS      8
#define PROXY_MAX_TARGET_RINGS 32

/* A ring timeout for one target (a phone that should ring longer or
 * shorter than the rest), matched by URI equivalence (§19.1.4).  The dial
 * plan's per-entry ring timeouts (issue 5) will fill the same table. */
struct proxy_target_ring {
	char uri[256];
	uint32_t ms; /* 0: no ring timeout for this target */
};

struct proxy_cfg {
	/* Host parts that mean "us" in a Request-URI or Route, besides our
	 * listen addresses (which always do). */
	char domains[PROXY_MAX_DOMAINS][128];
	unsigned ndomains;
	/* Where requests for our domain go while there is no location
	 * service (the seed's redirect server), as a SIP URI; empty: none
	 * (then such requests get 404). */
	char next_hop[256];
	uint32_t ring_timeout_ms;   /* per INVITE branch; 0: none */
	uint32_t invite_timeout_ms; /* whole INVITE, Timer C-like; 180000 */
	bool record_route;	    /* default true */
	bool recursion;		    /* 3xx recursion; default true */
	unsigned max_targets;	    /* target set bound; default 16 */
	struct proxy_target_ring target_rings[PROXY_MAX_TARGET_RINGS];
	unsigned ntarget_rings;
};

void proxy_cfg_default(struct proxy_cfg *cfg);

/* The engine role of a proxy with this configuration (cfg must outlive
 * the engine). */
struct engine_role proxy_role(const struct proxy_cfg *cfg);

struct proxy_stats {
	uint64_t requests, forwarded, stateless_forwarded;
	uint64_t replied_locally; /* 4xx/5xx/6xx we made */
	uint64_t loops, too_many_hops;
	uint64_t branches, ring_timeouts, cancels_sent, recursions;
	uint64_t late_2xx; /* 2xx after a final was already sent */
};

/* Sum over workers; call after engine_join(). */
void proxy_stats(struct engine *e, struct proxy_stats *out);

/* Lower level, for tests and embedding without the engine: a proxy on
 * this timer wheel with these local addresses (protos may be NULL: any
 * transport), attached to its transaction layer with proxy_attach()
 * (whose TU must be proxy_tu with this proxy as tu_arg). */
struct proxy;
struct txn_layer;
struct tw;
int proxy_new(struct proxy **out, const struct proxy_cfg *cfg,
	      struct tw *timers, const struct tp_addr *local,
	      const enum tp_proto *protos, unsigned nlocal);
void proxy_attach(struct proxy *p, struct txn_layer *l);
/* Free the transaction layer first (its destroyed() callbacks reach the
 * proxy). */
void proxy_free(struct proxy *p);
const struct proxy_stats *proxy_get_stats(const struct proxy *p);
extern const struct txn_tu proxy_tu;

#endif
