/* proxy.c - the proxy object: configuration, our addresses, the
 * transaction-user callbacks (dispatch only) and the engine role.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ev/loop.h"
#include "proxy/proxy_int.h"

void proxy_cfg_default(struct proxy_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ring_timeout_ms = 0;
	cfg->invite_timeout_ms = 180000;
	cfg->record_route = true;
	cfg->recursion = true;
	cfg->max_targets = 16;
}

int proxy_new(struct proxy **out, const struct proxy_cfg *cfg,
	      struct tw *timers, const struct tp_addr *local,
	      const enum tp_proto *protos, unsigned nlocal)
{
	struct proxy *p;
	int rc;

	*out = NULL;
	if (!cfg || !timers || nlocal > PX_LOCAL_MAX || (nlocal && !local))
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->cfg = *cfg;
	if (p->cfg.max_targets == 0 || p->cfg.max_targets > PX_TARGETS_MAX)
		p->cfg.max_targets = PX_TARGETS_MAX;
	p->tw = timers;
	rc = slab_new(&p->slab, 0);
	if (rc) {
		free(p);
		return rc;
	}
	for (unsigned i = 0; i < nlocal; i++) {
		struct px_local *lo = &p->local[p->nlocal];

		if (local[i].len == 0)
			continue;
		lo->addr = local[i];
		lo->proto = protos ? (int)protos[i] : -1;
		lo->port = tp_addr_port(&local[i]);
		if (tp_addr_host(&local[i], lo->host, sizeof(lo->host)) < 0)
			continue;
		p->nlocal++;
	}
	*out = p;
	return 0;
}

void proxy_attach(struct proxy *p, struct txn_layer *l)
{
	p->l = l;
}

void proxy_free(struct proxy *p)
{
	if (!p)
		return;
	px_ctx_free_all(p);
	slab_free(p->slab);
	free(p);
}

const struct proxy_stats *proxy_get_stats(const struct proxy *p)
{
	return &p->stats;
}

struct txn_layer *px_layer(struct proxy *p)
{
	/* engine_role.worker_init runs before the worker's layer exists. */
	if (!p->l && p->w)
		p->l = worker_txn(p->w);
	return p->l;
}

/* ---- our addresses ---- */

static bool host_is_local(const struct proxy *p, struct sv host, uint16_t port)
{
	struct tp_addr a;

	if (tp_addr_from(&a, host, port) != 0)
		return false;
	for (unsigned i = 0; i < p->nlocal; i++) {
		const struct px_local *lo = &p->local[i];

		if (lo->addr.u.sa.sa_family != a.u.sa.sa_family)
			continue;
		if (lo->port != port)
			continue;
		if (!sv_casecmp_eq(host, sv_from_cstr(lo->host))) {
			char h[64];

			/* Compare canonical forms ("::1" vs "0::1"). */
			if (tp_addr_host(&a, h, sizeof(h)) < 0 ||
			    strcmp(h, lo->host) != 0)
				continue;
		}
		return true;
	}
	return false;
}

static bool port_is_local(const struct proxy *p, uint16_t port)
{
	for (unsigned i = 0; i < p->nlocal; i++)
		if (p->local[i].port == port)
			return true;
	return false;
}

bool px_uri_is_us(const struct proxy *p, const struct sip_uri *u,
		  bool domains_too)
{
	uint16_t port = u->has_port ? u->port : 5060;

	if (u->kind != SIP_SCHEME_SIP && u->kind != SIP_SCHEME_SIPS)
		return false;
	/* One of our listen addresses: host AND port.  A phone on our own
	 * IP at another port (every party of a loopback test, or a proxy
	 * sharing a host with a PBX) is not us. */
	if (host_is_local(p, u->host, port))
		return true;
	if (!domains_too)
		return false;
	/* A configured domain: without a port, or with one we listen on;
	 * "127.0.0.1:5081" is a phone even when 127.0.0.1 is our domain. */
	for (unsigned i = 0; i < p->cfg.ndomains; i++)
		if (sv_casecmp_eq(u->host, sv_from_cstr(p->cfg.domains[i])) &&
		    (!u->has_port || port_is_local(p, u->port)))
			return true;
	return false;
}

bool px_via_is_us(const struct proxy *p, const struct sip_via *v)
{
	return host_is_local(p, v->host, v->has_port ? v->port : 5060);
}

const struct px_local *px_local_for(const struct proxy *p,
				    const struct tp_peer *dst, uint16_t *idx)
{
	const struct px_local *fam = NULL;
	uint16_t fam_i = 0;

	for (unsigned i = 0; i < p->nlocal; i++) {
		const struct px_local *lo = &p->local[i];

		if (lo->addr.u.sa.sa_family != dst->addr.u.sa.sa_family)
			continue;
		if (lo->proto < 0 || lo->proto == (int)dst->proto) {
			*idx = (uint16_t)i;
			return lo;
		}
		if (!fam) {
			fam = lo;
			fam_i = (uint16_t)i;
		}
	}
	if (!fam && p->nlocal) {
		fam = &p->local[0];
		fam_i = 0;
	}
	*idx = fam_i;
	return fam;
}

/* ---- transaction-user callbacks: dispatch ---- */

static void tu_request(void *arg, struct txn *st, struct sip_msg *req)
{
	struct proxy *p = arg;

	(void)px_layer(p);
	px_on_request(p, st, req);
}

/* A client transaction's user is the target it was started for; a
 * server transaction's is its context. */
static void tu_response(void *arg, struct txn *ct, struct sip_msg *resp)
{
	struct proxy *p = arg;
	struct px_target *t = txn_user(ct);

	(void)px_layer(p);
	if (t && t->ct == ct) {
		px_ctx_on_response(t, ct, resp);
		return;
	}
	/* The context is gone (or this is the CANCEL we sent): a 2xx is
	 * still forwarded (§16.7 item 4: every 2xx goes upstream). */
	if (txn_kind(ct) == TXN_CLIENT_INVITE && resp->status >= 200 &&
	    resp->status < 300)
		(void)px_forward_response_by_via(p, resp);
}

static void tu_timeout(void *arg, struct txn *t)
{
	struct px_target *tg;

	(void)px_layer(arg);
	if (txn_kind(t) == TXN_SERVER_INVITE ||
	    txn_kind(t) == TXN_SERVER_NONINVITE)
		return; /* Timer H: the ACK never came; nothing to do */
	tg = txn_user(t);
	if (tg && tg->ct == t)
		px_ctx_on_branch_error(tg, t, 408); /* §16.7 item 2 / 8.1.3.1 */
}

static void tu_transport_error(void *arg, struct txn *t, int err)
{
	struct px_target *tg;

	(void)err;
	(void)px_layer(arg);
	if (txn_kind(t) == TXN_SERVER_INVITE ||
	    txn_kind(t) == TXN_SERVER_NONINVITE)
		return; /* the server transaction ends: destroyed() follows */
	tg = txn_user(t);
	if (tg && tg->ct == t)
		px_ctx_on_branch_error(tg, t, 503); /* §16.7 item 2 */
}

static void tu_cancel(void *arg, struct txn *invite_st, struct txn *cancel_st,
		      struct sip_msg *cancel)
{
	struct px_ctx *c = txn_user(invite_st);

	(void)cancel;
	(void)px_layer(arg);
	if (c && c->st == invite_st) {
		px_ctx_on_cancel(c, cancel_st);
		return;
	}
	/* §16.10: the INVITE has no context (any more): answer the CANCEL;
	 * the INVITE's own transaction answers any retransmission. */
	(void)txn_reply(cancel_st, 200, NULL);
}

static void tu_stray(void *arg, struct sip_msg *m, const struct tp_rx *rx)
{
	struct proxy *p = arg;

	(void)px_layer(p);
	px_on_stray(p, m, rx);
}

static void tu_destroyed(void *arg, struct txn *t)
{
	(void)arg;
	if (txn_kind(t) == TXN_SERVER_INVITE ||
	    txn_kind(t) == TXN_SERVER_NONINVITE) {
		struct px_ctx *c = txn_user(t);

		if (c && c->st == t)
			px_ctx_on_st_destroyed(c);
	} else {
		struct px_target *tg = txn_user(t);

		if (tg && tg->ct == t)
			px_ctx_on_branch_destroyed(tg, t);
	}
}

const struct txn_tu proxy_tu = {
	.request = tu_request,
	.response = tu_response,
	.timeout = tu_timeout,
	.transport_error = tu_transport_error,
	.cancel = tu_cancel,
	.stray = tu_stray,
	.destroyed = tu_destroyed,
};

/* ---- the engine role ---- */

static void *role_worker_init(struct worker *w, void *role_arg)
{
	const struct proxy_cfg *cfg = role_arg;
	struct tp_addr local[PX_LOCAL_MAX];
	unsigned n = 0;
	struct proxy *p;

	while (n < PX_LOCAL_MAX) {
		const struct tp_addr *a = worker_listen_addr(w, n);

		if (!a)
			break;
		local[n++] = *a;
	}
	/* The engine does not tell a role each socket's transport: any
	 * local address of the right family will do for Via and
	 * Record-Route (known gap with UDP and TCP on different ports). */
	if (proxy_new(&p, cfg, ev_timers(worker_loop(w)), local, NULL, n) != 0)
		return NULL;
	p->w = w;
	return p;
}

static void role_worker_fini(struct worker *w, void *tu_arg)
{
	(void)w;
	proxy_free(tu_arg);
}

struct engine_role proxy_role(const struct proxy_cfg *cfg)
{
	return (struct engine_role){
		.tu = &proxy_tu,
		.worker_init = role_worker_init,
		.worker_fini = role_worker_fini,
		.role_arg = (void *)cfg,
	};
}

void proxy_stats(struct engine *e, struct proxy_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < engine_workers(e); i++) {
		const struct proxy *p = engine_worker_arg(e, i);
		const struct proxy_stats *s;

		if (!p)
			continue;
		s = &p->stats;
		out->requests += s->requests;
		out->forwarded += s->forwarded;
		out->stateless_forwarded += s->stateless_forwarded;
		out->replied_locally += s->replied_locally;
		out->loops += s->loops;
		out->too_many_hops += s->too_many_hops;
		out->branches += s->branches;
		out->ring_timeouts += s->ring_timeouts;
		out->cancels_sent += s->cancels_sent;
		out->recursions += s->recursions;
		out->late_2xx += s->late_2xx;
	}
}
