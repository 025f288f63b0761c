/* context.c - the response context of a server transaction, RFC 3261
 * §16.7, with serial/parallel forking by q, 3xx recursion, the ring
 * timeout, the overall INVITE timeout (§16.8 Timer C) and CANCEL from
 * upstream (§16.10).
 *
 * Context states (enum px_ctx_state), one function per event below:
 *
 *   SEARCHING --2xx / 6xx / CANCEL / INVITE timeout--> STOPPED
 *   SEARCHING, STOPPED --final sent upstream--> COMPLETED
 *
 * Target states (enum px_target_state):
 *
 *   UNTRIED --forwarded--> CALLING --final / timeout / error--> DONE
 *                             |
 *                             +--we CANCEL it--> CANCELLING --final--> DONE
 *
 * "Active" targets (CALLING) hold back the next q group; "pending" ones
 * (CALLING or CANCELLING) hold back the final response: a ring timeout
 * moves a branch to CANCELLING, so the next targets start at once while
 * its 487 is still collected (and not relayed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proxy/proxy_int.h"

static void px_ctx_timer_fired(struct tw_timer *tt);
static void px_target_ring_fired(struct tw_timer *tt);

/* ---- lifetime ---- */

static int px_ctx_grow(struct proxy *p)
{
	struct px_ctx *c;

	if (p->nall == p->capall) {
		size_t cap = p->capall ? p->capall * 2 : 16;
		struct px_ctx **all =
			realloc(p->all, cap * sizeof(struct px_ctx *));

		if (!all)
			return -ENOMEM;
		p->all = all;
		p->capall = cap;
	}
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	memset(c, 0, sizeof(*c));
	p->all[p->nall++] = c;
	c->next_free = p->free_ctx;
	p->free_ctx = c;
	return 0;
}

struct px_ctx *px_ctx_new(struct proxy *p, struct txn *st,
			  enum sip_method method)
{
	struct px_ctx *c;

	if (!p->free_ctx && px_ctx_grow(p) != 0)
		return NULL;
	c = p->free_ctx;
	p->free_ctx = c->next_free;
	/* Stale CANCEL transactions may still point at our targets: after
	 * this their ct (NULL) never equals them, so they are ignored. */
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->st = st;
	c->state = PXC_SEARCHING;
	c->method = method;
	c->best_rank = -1;
	tw_timer_init(&c->timer, px_ctx_timer_fired);
	for (unsigned i = 0; i < PX_TARGETS_MAX; i++) {
		c->targets[i].ctx = c;
		tw_timer_init(&c->targets[i].ring, px_target_ring_fired);
	}
	txn_set_user(st, c);
	/* §16.8 Timer C (> 3 min): the whole INVITE. */
	if (method == SIP_METHOD_INVITE && p->cfg.invite_timeout_ms)
		tw_add(p->tw, &c->timer, p->cfg.invite_timeout_ms);
	return c;
}

/* Back to the free list: timers off, client transactions forget us (a
 * 2xx on them is then forwarded by its Via, §16.7 item 4). */
static void px_ctx_release(struct px_ctx *c)
{
	struct proxy *p = c->p;

	tw_del(p->tw, &c->timer);
	for (unsigned i = 0; i < c->ntargets; i++) {
		struct px_target *t = &c->targets[i];

		tw_del(p->tw, &t->ring);
		if (t->ct) {
			txn_set_user(t->ct, NULL);
			t->ct = NULL;
		}
	}
	slab_release(p->slab, c->best);
	slab_release(p->slab, c->auth);
	c->best = NULL;
	c->auth = NULL;
	c->state = PXC_FREE;
	c->next_free = p->free_ctx;
	p->free_ctx = c;
}

void px_ctx_hold(struct px_ctx *c)
{
	c->hold++;
}

void px_ctx_unhold(struct px_ctx *c)
{
	if (--c->hold == 0 && c->st_gone)
		px_ctx_release(c);
}

void px_ctx_free_all(struct proxy *p)
{
	for (size_t i = 0; i < p->nall; i++) {
		struct px_ctx *c = p->all[i];

		if (c->state != PXC_FREE) {
			slab_release(p->slab, c->best);
			slab_release(p->slab, c->auth);
		}
		free(c);
	}
	free(p->all);
	p->all = NULL;
	p->nall = p->capall = 0;
	p->free_ctx = NULL;
}

/* ---- the target set (§16.5, §16.7 item 5 recursion) ---- */

int px_ctx_add_target(struct px_ctx *c, struct sv uri, uint16_t q,
		      bool next_hop)
{
	struct sip_uri u, o;
	struct px_target *t;

	if (uri.len == 0 || uri.len >= PX_URI_MAX)
		return -ENAMETOOLONG;
	if (sip_uri_parse(&u, uri) != 0)
		return -EBADMSG;
	/* §16.5: a URI already in the set is not added again. */
	for (unsigned i = 0; i < c->ntargets; i++) {
		t = &c->targets[i];
		if (sip_uri_parse(&o, sv_make(t->uri, t->len)) == 0 &&
		    sip_uri_equal(&u, &o))
			return -EEXIST;
	}
	if (c->ntargets >= c->p->cfg.max_targets)
		return -ENOSPC;
	t = &c->targets[c->ntargets++];
	memcpy(t->uri, uri.p, uri.len);
	t->uri[uri.len] = '\0';
	t->len = (uint16_t)uri.len;
	t->q = q;
	t->next_hop = next_hop;
	t->state = PXT_UNTRIED;
	/* The target's own ring timeout if configured, else the global. */
	t->ring_ms = c->p->cfg.ring_timeout_ms;
	for (unsigned i = 0; i < c->p->cfg.ntarget_rings; i++) {
		const struct proxy_target_ring *r = &c->p->cfg.target_rings[i];

		if (sip_uri_parse(&o, sv_from_cstr(r->uri)) == 0 &&
		    sip_uri_equal(&u, &o)) {
			t->ring_ms = r->ms;
			break;
		}
	}
	return 0;
}

static unsigned px_count(const struct px_ctx *c, bool with_cancelling)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->ntargets; i++) {
		enum px_target_state s = c->targets[i].state;

		if (s == PXT_CALLING ||
		    (with_cancelling && s == PXT_CANCELLING))
			n++;
	}
	return n;
}

/* ---- the best response (§16.7 item 6) ---- */

/* Lower is better: 6xx first, then the lowest class; within 4xx prefer
 * the challenges (401, 407), then 415, 420, 484 (which the caller can
 * act on), as §16.7 item 6 suggests. */
static int px_rank(unsigned code)
{
	int base;

	if (code >= 600)
		return 0;
	base = (int)(code / 100 - 2) * 10;
	if (code / 100 == 4) {
		if (code == 401 || code == 407)
			return base;
		if (code == 415 || code == 420 || code == 484)
			return base + 1;
		return base + 2;
	}
	return base;
}

/* A candidate: the first of the best rank is kept (deterministic: the
 * earliest received). */
static void px_consider(struct px_ctx *c, unsigned code,
			const struct sip_msg *m, const char *reason)
{
	struct proxy *p = c->p;
	int r = px_rank(code);
	char *copy = NULL;

	if (c->best_rank >= 0 && r >= c->best_rank)
		return;
	if (m) {
		copy = slab_alloc(p->slab, m->len);
		if (copy)
			memcpy(copy, m->buf, m->len);
	}
	slab_release(p->slab, c->best);
	c->best = copy;
	c->best_len = copy ? m->len : 0;
	c->best_rank = r;
	c->best_status = code;
	c->best_reason = reason;
}

/* Keep every challenge of a 401/407 (§16.7 item 7: merged into the one
 * response sent). */
static void px_collect_auth(struct px_ctx *c, const struct sip_msg *m)
{
	static const enum sip_hdr_id ids[] = {SIP_HDR_WWW_AUTHENTICATE,
					      SIP_HDR_PROXY_AUTHENTICATE};
	struct proxy *p = c->p;

	for (unsigned k = 0; k < 2; k++) {
		struct sv name = sip_hdr_name(ids[k]);

		for (const struct sip_hdr *h = sip_msg_hdr(m, ids[k]); h;
		     h = sip_msg_hdr_next(m, h)) {
			size_t need = name.len + 2 + h->value.len + 2;
			size_t cap = c->auth ? slab_block_size(c->auth) : 0;

			if (c->auth_len + need > cap) {
				char *n = slab_alloc(p->slab,
						     c->auth_len + need + 256);

				if (!n)
					return;
				if (c->auth && c->auth_len)
					memcpy(n, c->auth, c->auth_len);
				slab_release(p->slab, c->auth);
				c->auth = n;
			}
			if (!c->auth)
				return;
			memcpy(c->auth + c->auth_len, name.p, name.len);
			memcpy(c->auth + c->auth_len + name.len, ": ", 2);
			memcpy(c->auth + c->auth_len + name.len + 2, h->value.p,
			       h->value.len);
			memcpy(c->auth + c->auth_len + need - 2, "\r\n", 2);
			c->auth_len += need;
		}
	}
}

/* ---- sending upstream ---- */

/* The response without our Via (§16.7 item 9), plus the merged
 * challenges if asked; into iov.  Uses p->edit. */
static int px_resp_iov(struct proxy *p, const struct sip_msg *m,
		       const struct px_ctx *merge, struct iovec *iov,
		       size_t max)
{
	struct sip_edit *e = &p->edit;
	int rc;

	sip_edit_init(e, m);
	rc = sip_edit_pop_top(e, SIP_HDR_VIA);
	if (!rc && merge && merge->auth_len) {
		struct sv rest = sv_make(merge->auth, merge->auth_len);

		for (uint16_t i = 0; !rc && i < m->nhdrs; i++)
			if (m->hdrs[i].id == SIP_HDR_WWW_AUTHENTICATE ||
			    m->hdrs[i].id == SIP_HDR_PROXY_AUTHENTICATE)
				rc = sip_edit_remove_hdr(e, i);
		while (!rc && rest.len) {
			size_t colon = sv_find(rest, ':');
			size_t eol = sv_find(rest, '\r');

			if (colon >= eol || eol + 2 > rest.len)
				break;
			rc = sip_edit_add_bottom(
				e, sv_make(rest.p, colon),
				sv_make(rest.p + colon + 2, eol - colon - 2));
			rest = sv_skip(rest, eol + 2);
		}
	}
	if (rc)
		return rc;
	return sip_edit_iov(e, iov, max);
}

/* §16.7 items 4 and 9 for a 2xx: to the server transaction, or, if it
 * already sent a final (a late 2xx, §16.7 item 5 / RFC 6026) or is gone,
 * statelessly to where its responses go. */
static void px_send_2xx(struct px_ctx *c, const struct sip_msg *m)
{
	struct proxy *p = c->p;
	struct iovec iov[SIP_EDIT_OPS_MAX * 2 + 4];
	int n = px_resp_iov(p, m, NULL, iov, sizeof(iov) / sizeof(iov[0]));
	int rc;

	if (n < 0)
		return;
	if (!c->st || c->st_gone) {
		(void)px_forward_response_by_via(p, (struct sip_msg *)m);
		return;
	}
	rc = txn_reply_raw(c->st, iov, n);
	if (rc == -EALREADY) {
		/* Completed/Confirmed with a non-2xx: the transaction
		 * refuses, the 2xx still goes (RFC 6026 §8.? / §16.7). */
		if (txn_send_stateless(px_layer(p), txn_peer(c->st), iov, n) ==
		    0)
			p->stats.stateless_forwarded++;
	}
}

/* A provisional (101-199): once per branch and status code. */
static void px_send_provisional(struct px_ctx *c, struct px_target *t,
				const struct sip_msg *m)
{
	struct iovec iov[SIP_EDIT_OPS_MAX * 2 + 4];
	unsigned bit = m->status - 100;
	uint64_t mask = 1ull << (bit % 64);
	int n;

	if (c->final_sent || !c->st || c->st_gone)
		return;
	if (t->prov_sent[bit / 64] & mask)
		return;
	t->prov_sent[bit / 64] |= mask;
	n = px_resp_iov(c->p, m, NULL, iov, sizeof(iov) / sizeof(iov[0]));
	if (n > 0)
		(void)txn_reply_raw(c->st, iov, n);
}

static bool px_any_ring(const struct px_ctx *c)
{
	for (unsigned i = 0; i < c->ntargets; i++)
		if (c->targets[i].cancel_why == PX_CANCEL_RING)
			return true;
	return false;
}

/* §16.7 item 6: nothing pending, nothing left to try: the best final. */
static void px_send_best(struct px_ctx *c)
{
	struct proxy *p = c->p;
	unsigned code;
	const char *reason = NULL;
	struct sip_resp_opts o = {0};

	if (c->final_sent || !c->st || c->st_gone)
		return;
	c->final_sent = true;
	c->state = PXC_COMPLETED;
	tw_del(p->tw, &c->timer);
	if (c->best_rank >= 0 &&
	    (!c->cancelled || c->best_status >= 600 || c->best_status == 487)) {
		code = c->best_status;
		reason = c->best_reason;
	} else if (c->cancelled) {
		code = 487; /* §16.10: the caller gave up */
	} else if (!c->timed_out && px_any_ring(c)) {
		/* Every branch rang until our ring timeout CANCELled it
		 * (any other ending leaves a candidate: the callee's final,
		 * or 408/503 for a timeout or an error).  480 says "reached,
		 * but no answer" (§21.4.18 names this case); 408 would claim
		 * the request itself timed out, and 487 would tell the
		 * caller that it CANCELled. */
		code = 480;
	} else {
		/* Nothing came back (Timer B/F), or §16.8 Timer C with
		 * nothing better. */
		code = 408;
	}
	/* §16.7 item 6: a 503 becomes 500 (the caller must not think we
	 * are the overloaded one).  Our own 503 with a reason (a host we
	 * cannot resolve yet) is about us and stays. */
	if (code == 503 && !(code == c->best_status && c->best_reason)) {
		code = 500;
		reason = NULL;
	}
	if (c->best && code == c->best_status) {
		struct sip_msg *m = &p->scratch;
		struct iovec iov[SIP_EDIT_OPS_MAX * 2 + 4];
		bool merge = code == 401 || code == 407;
		int n;

		if (sip_msg_scan(m, c->best, c->best_len, 0, NULL, NULL) == 0) {
			n = px_resp_iov(p, m, merge ? c : NULL, iov,
					sizeof(iov) / sizeof(iov[0]));
			if (n > 0 && txn_reply_raw(c->st, iov, n) == 0)
				return;
		}
	}
	if (reason)
		o.reason = sv_from_cstr(reason);
	if (code == 401 || code == 407)
		o.headers = sv_make(c->auth, c->auth_len);
	p->stats.replied_locally++;
	(void)txn_reply(c->st, code, &o);
}

/* ---- branches ---- */

static void px_cancel_branch(struct px_ctx *c, struct px_target *t,
			     enum px_cancel_why why)
{
	struct proxy *p = c->p;

	if (t->state != PXT_CALLING)
		return;
	t->state = PXT_CANCELLING;
	t->cancel_why = why;
	tw_del(p->tw, &t->ring);
	/* §9.1: the layer sends it at once if a provisional came, else as
	 * soon as one does. */
	if (t->ct && c->method == SIP_METHOD_INVITE &&
	    txn_cancel(t->ct, NULL) == 0)
		p->stats.cancels_sent++;
}

static void px_cancel_all(struct px_ctx *c, enum px_cancel_why why)
{
	for (unsigned i = 0; i < c->ntargets; i++)
		px_cancel_branch(c, &c->targets[i], why);
}

static void px_start_target(struct px_ctx *c, struct px_target *t)
{
	struct proxy *p = c->p;
	unsigned status;

	t->state = PXT_CALLING;
	if (px_forward(c, t, &status) != 0) {
		/* No branch: it stands for the response it would have had
		 * (503 for an unresolvable host, §16.7 item 2). */
		t->state = PXT_DONE;
		t->final = status;
		t->ct = NULL;
		px_consider(c, status, NULL,
			    status == 503 ? "DNS not supported yet" : NULL);
		return;
	}
	p->stats.forwarded++;
	if (c->method == SIP_METHOD_INVITE && t->ring_ms)
		tw_add(p->tw, &t->ring, t->ring_ms);
}

/* §16.7 steps 1-2 (§16.6): the untried targets with the highest q, in
 * parallel.  False if none is left. */
static bool px_start_group(struct px_ctx *c)
{
	int best = -1;

	for (unsigned i = 0; i < c->ntargets; i++)
		if (c->targets[i].state == PXT_UNTRIED &&
		    (int)c->targets[i].q > best)
			best = c->targets[i].q;
	if (best < 0)
		return false;
	for (unsigned i = 0; i < c->ntargets; i++) {
		struct px_target *t = &c->targets[i];

		if (t->state == PXT_UNTRIED && t->q == (uint16_t)best)
			px_start_target(c, t);
	}
	return true;
}

void px_ctx_advance(struct px_ctx *c)
{
	if (c->st_gone)
		return;
	while (c->state == PXC_SEARCHING && px_count(c, false) == 0)
		if (!px_start_group(c))
			break;
	if (px_count(c, true) == 0 && !c->final_sent) {
		bool untried = false;

		for (unsigned i = 0; i < c->ntargets; i++)
			if (c->targets[i].state == PXT_UNTRIED)
				untried = true;
		if (c->state != PXC_SEARCHING || !untried)
			px_send_best(c);
	}
}

/* ---- events on a branch ---- */

/* Provisional (§16.7 item 4, 101-199 relayed; 100 is hop by hop). */
static void px_on_provisional(struct px_ctx *c, struct px_target *t,
			      const struct sip_msg *m)
{
	t->prov = true;
	if (m->status > 100)
		px_send_provisional(c, t, m);
}

/* 2xx (§16.7 items 4-5, 10): forwarded at once, every one of them; the
 * other branches are CANCELled and no new ones start. */
static void px_on_2xx(struct px_ctx *c, struct px_target *t,
		      const struct sip_msg *m)
{
	struct proxy *p = c->p;

	if (!t->answered) {
		t->answered = true;
		if (c->final_sent)
			p->stats.late_2xx++;
	}
	tw_del(p->tw, &t->ring);
	t->state = PXT_DONE;
	t->final = m->status;
	px_send_2xx(c, m);
	c->answered = true;
	c->final_sent = true;
	c->state = PXC_COMPLETED;
	tw_del(p->tw, &c->timer);
	px_cancel_all(c, PX_CANCEL_ANSWERED);
}

/* 3xx-6xx (§16.7 item 5). */
static void px_on_failure(struct px_ctx *c, struct px_target *t,
			  const struct sip_msg *m)
{
	struct proxy *p = c->p;
	unsigned code = m->status;
	bool own = t->cancel_why == PX_CANCEL_RING ||
		   t->cancel_why == PX_CANCEL_TIMEOUT ||
		   t->cancel_why == PX_CANCEL_ANSWERED;

	if (t->state == PXT_DONE)
		return; /* given up on already (Timer C) */
	tw_del(p->tw, &t->ring);
	t->state = PXT_DONE;
	t->final = code;
	if (code >= 300 && code < 400 && p->cfg.recursion &&
	    c->state == PXC_SEARCHING) {
		/* §16.5/§16.7 item 5: recurse on the Contacts (q kept;
		 * §19.1.4 equality keeps the set free of repeats). */
		struct sip_value_iter it;
		struct sv v;
		bool added = false;

		sip_value_iter_init(&it, m, SIP_HDR_CONTACT);
		while (sip_value_iter_next(&it, &v) == 1) {
			struct sip_contact ct;

			if (sip_contact_parse(&ct, v) != 0 || ct.star)
				continue;
			if (px_ctx_add_target(c, ct.addr.uri, ct.q, false) == 0)
				added = true;
		}
		if (added) {
			p->stats.recursions++;
			return;
		}
	}
	if (code == 487 && own)
		return; /* we caused it: not the callee's answer */
	px_consider(c, code, m, NULL);
	if (code == 401 || code == 407)
		px_collect_auth(c, m);
	if (code >= 600 && c->state == PXC_SEARCHING) {
		/* §16.7 item 5: a 6xx ends the search; the pending ones
		 * are CANCELled. */
		c->state = PXC_STOPPED;
		px_cancel_all(c, PX_CANCEL_ANSWERED);
	}
}

void px_ctx_on_response(struct px_target *t, struct txn *ct,
			struct sip_msg *resp)
{
	struct px_ctx *c = t->ctx;

	(void)ct;
	px_ctx_hold(c);
	if (resp->status < 200)
		px_on_provisional(c, t, resp);
	else if (resp->status < 300)
		px_on_2xx(c, t, resp);
	else
		px_on_failure(c, t, resp);
	px_ctx_advance(c);
	px_ctx_unhold(c);
}

/* Timer B/F (408) or a transport error (503), §16.7 item 2 / §16.8. */
void px_ctx_on_branch_error(struct px_target *t, struct txn *ct,
			    unsigned status)
{
	struct px_ctx *c = t->ctx;
	bool own = t->cancel_why == PX_CANCEL_RING ||
		   t->cancel_why == PX_CANCEL_TIMEOUT ||
		   t->cancel_why == PX_CANCEL_ANSWERED;

	(void)ct;
	if (t->state != PXT_CALLING && t->state != PXT_CANCELLING)
		return;
	px_ctx_hold(c);
	tw_del(c->p->tw, &t->ring);
	t->state = PXT_DONE;
	t->final = status;
	if (!own)
		px_consider(c, status, NULL, NULL);
	px_ctx_advance(c);
	px_ctx_unhold(c);
}

void px_ctx_on_branch_destroyed(struct px_target *t, struct txn *ct)
{
	struct px_ctx *c = t->ctx;

	(void)ct;
	t->ct = NULL;
	if (t->state == PXT_CALLING || t->state == PXT_CANCELLING) {
		/* Ended with no final and no timeout (the layer is being
		 * freed): nothing to wait for any more. */
		tw_del(c->p->tw, &t->ring);
		t->state = PXT_DONE;
	}
}

/* The ring timeout (per INVITE branch): CANCEL it, and start the next
 * targets at once -- the CANCEL leaves first (the seed's steps 7, 9). */
static void px_target_ring_fired(struct tw_timer *tt)
{
	struct px_target *t =
		(struct px_target *)((char *)tt -
				     offsetof(struct px_target, ring));
	struct px_ctx *c = t->ctx;

	if (t->state != PXT_CALLING)
		return;
	px_ctx_hold(c);
	c->p->stats.ring_timeouts++;
	px_cancel_branch(c, t, PX_CANCEL_RING);
	/* No provisional yet: the CANCEL waits in the transaction layer
	 * (§9.1) and may never leave; Timer B would end the INVITE only
	 * 64*T1 later.  Give the branch up now, so the search goes on (or
	 * ends with 480) at the ring timeout.  A 2xx that still comes is
	 * forwarded: px_on_2xx takes a branch in any state. */
	if (t->ct && txn_state(t->ct) == TXN_CALLING) {
		t->state = PXT_DONE;
		t->final = 408;
	}
	px_ctx_advance(c);
	px_ctx_unhold(c);
}

/* The overall INVITE timeout (§16.8 Timer C): CANCEL the branches that
 * had a provisional, treat the others as 408; after a grace period give
 * up on any branch that answered neither. */
static void px_ctx_timer_fired(struct tw_timer *tt)
{
	struct px_ctx *c =
		(struct px_ctx *)((char *)tt - offsetof(struct px_ctx, timer));
	struct proxy *p = c->p;

	px_ctx_hold(c);
	if (!c->grace) {
		c->grace = true;
		c->timed_out = true;
		if (c->state == PXC_SEARCHING)
			c->state = PXC_STOPPED;
		for (unsigned i = 0; i < c->ntargets; i++) {
			struct px_target *t = &c->targets[i];

			if (t->state != PXT_CALLING)
				continue;
			if (t->prov) {
				px_cancel_branch(c, t, PX_CANCEL_TIMEOUT);
			} else {
				/* §16.8: as if it got a 408; a CANCEL
				 * follows any late provisional. */
				px_cancel_branch(c, t, PX_CANCEL_TIMEOUT);
				t->state = PXT_DONE;
				t->final = 408;
				px_consider(c, 408, NULL, NULL);
			}
		}
		if (px_count(c, true))
			tw_add(p->tw, &c->timer, PX_GRACE_MS);
	} else {
		for (unsigned i = 0; i < c->ntargets; i++) {
			struct px_target *t = &c->targets[i];

			if (t->state == PXT_CALLING ||
			    t->state == PXT_CANCELLING)
				t->state = PXT_DONE;
		}
	}
	px_ctx_advance(c);
	px_ctx_unhold(c);
}

/* ---- events on the server transaction ---- */

/* §16.10: CANCEL from upstream. */
void px_ctx_on_cancel(struct px_ctx *c, struct txn *cancel_st)
{
	px_ctx_hold(c);
	(void)txn_reply(cancel_st, 200, NULL);
	if (!c->final_sent) {
		c->cancelled = true;
		if (c->state == PXC_SEARCHING)
			c->state = PXC_STOPPED;
		px_cancel_all(c, PX_CANCEL_UPSTREAM);
		px_ctx_advance(c);
	}
	px_ctx_unhold(c);
}

void px_ctx_on_st_destroyed(struct px_ctx *c)
{
	/* Branches still pending have nobody to answer: CANCEL them. */
	if (!c->final_sent)
		px_cancel_all(c, PX_CANCEL_UPSTREAM);
	c->st = NULL;
	c->st_gone = true;
	if (c->hold == 0)
		px_ctx_release(c);
}
