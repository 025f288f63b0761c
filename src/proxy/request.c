/* request.c - a request on a new server transaction: validation (§16.3),
 * Route pre-processing (§16.4), the initial target set (§16.5) and
 * forwarding one target (§16.6).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proxy/proxy_int.h"

#define PX_ROUTES_MAX 16

static const char px_allow[] =
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, PRACK, "
	"SUBSCRIBE, NOTIFY, PUBLISH, INFO, REFER, MESSAGE, UPDATE\r\n";

/* Answer st ourselves; 3xx-6xx count as replied_locally. */
static void px_reply(struct proxy *p, struct txn *st, unsigned code,
		     const char *reason, struct sv headers)
{
	struct sip_resp_opts o = {.headers = headers};

	if (reason)
		o.reason = sv_from_cstr(reason);
	if (code >= 300)
		p->stats.replied_locally++;
	(void)txn_reply(st, code, &o);
}

/* Append s to buf (length *n, capacity cap); false if it does not fit. */
static bool px_cat(char *buf, size_t *n, size_t cap, struct sv s)
{
	if (*n + s.len > cap)
		return false;
	memcpy(buf + *n, s.p, s.len);
	*n += s.len;
	return true;
}

/* ---- §16.3 item 4, RFC 5393: the loop hash ---- */

static uint32_t fnv(uint32_t h, struct sv s)
{
	for (size_t i = 0; i < s.len; i++) {
		h ^= (uint8_t)s.p[i];
		h *= 16777619u;
	}
	/* A separator, so that ("ab","c") and ("a","bc") differ. */
	h ^= 0xff;
	h *= 16777619u;
	return h;
}

static uint32_t fnv_hdr(uint32_t h, struct sip_msg *m, enum sip_hdr_id id)
{
	for (const struct sip_hdr *x = sip_msg_hdr(m, id); x;
	     x = sip_msg_hdr_next(m, x))
		h = fnv(h, x->value);
	return h;
}

/* RFC 5393 §4.2 (RFC 3261 §16.6 item 8): the fields that change when a
 * request spirals (Request-URI) but not when it loops, of the request as
 * received: Request-URI, From tag, To tag, Call-ID, CSeq number,
 * Proxy-Require and Route.  A looping request comes back with the same
 * values, so the hash in our Via branch equals the new one. */
void px_loop_hash(struct sip_msg *m, char out[PX_HASH_LEN + 1])
{
	uint32_t h = 2166136261u;
	char num[16];
	int n = snprintf(num, sizeof(num), "%u", (unsigned)m->cseq.num);

	h = fnv(h, m->ruri);
	h = fnv(h, m->from_tag);
	h = fnv(h, m->to_tag);
	h = fnv(h, m->call_id);
	h = fnv(h, sv_make(num, (size_t)n));
	h = fnv_hdr(h, m, SIP_HDR_PROXY_REQUIRE);
	h = fnv_hdr(h, m, SIP_HDR_ROUTE);
	snprintf(out, PX_HASH_LEN + 1, "%08x", (unsigned)h);
}

/* A Via of ours whose branch carries this hash: the request has been
 * here before with the same routing fields (a loop, not a spiral). */
static bool px_is_loop(const struct proxy *p, struct sip_msg *m,
		       const char *hash)
{
	struct sip_value_iter it;
	struct sv v;

	sip_value_iter_init(&it, m, SIP_HDR_VIA);
	while (sip_value_iter_next(&it, &v) == 1) {
		struct sip_via via;
		struct sv b;

		if (sip_via_parse(&via, v) != 0 || !px_via_is_us(p, &via))
			continue;
		b = via.branch;
		if (b.len > PX_HASH_LEN + 1 &&
		    b.p[b.len - PX_HASH_LEN - 1] == '.' &&
		    memcmp(b.p + b.len - PX_HASH_LEN, hash, PX_HASH_LEN) == 0)
			return true;
	}
	return false;
}

/* ---- §16.4 Route pre-processing ---- */

struct px_plan {
	bool strict;	/* the Request-URI was our Record-Route (a strict
			   router before us): replaced by the last Route */
	bool pop_top;	/* the top Route (after that) is us: removed */
	struct sv ruri; /* Request-URI after §16.4 */
	unsigned nleft; /* Route values left */
	unsigned first; /* index in vals of the first one left */
	struct sv dest; /* URI of the first Route left */
	unsigned nvals;
	struct sv vals[PX_ROUTES_MAX]; /* every Route value, in order */
};

static int route_uri(struct sv value, struct sv *uri)
{
	struct sip_addr a;

	if (sip_addr_parse(&a, value) != 0)
		return -EBADMSG;
	*uri = a.uri;
	return 0;
}

static int px_plan_make(const struct proxy *p, struct sip_msg *m,
			struct px_plan *pl)
{
	struct sip_value_iter it;
	const struct sip_uri *ru;
	struct sip_uri u;
	struct sv v;
	int rc;

	memset(pl, 0, sizeof(*pl));
	pl->ruri = m->ruri;
	sip_value_iter_init(&it, m, SIP_HDR_ROUTE);
	while ((rc = sip_value_iter_next(&it, &v)) == 1) {
		if (pl->nvals == PX_ROUTES_MAX)
			return -E2BIG;
		pl->vals[pl->nvals++] = v;
	}
	if (rc < 0)
		return -EBADMSG;
	pl->nleft = pl->nvals;
	if (sip_msg_ruri(m, &ru) != 0)
		return -EBADMSG;
	/* §16.4: a Request-URI that is a URI we put in a Record-Route came
	 * from a strict router: the real Request-URI is the last Route. */
	if (pl->nvals && ru->user.len == 0 && ru->lr &&
	    px_uri_is_us(p, ru, false)) {
		if (route_uri(pl->vals[pl->nvals - 1], &pl->ruri) != 0)
			return -EBADMSG;
		pl->strict = true;
		pl->nleft--;
	}
	/* §16.4: the top Route naming us is removed. */
	if (pl->nleft) {
		if (route_uri(pl->vals[0], &v) != 0 || sip_uri_parse(&u, v))
			return -EBADMSG;
		if (px_uri_is_us(p, &u, true)) {
			pl->pop_top = true;
			pl->first = 1;
			pl->nleft--;
		}
	}
	if (pl->nleft && route_uri(pl->vals[pl->first], &pl->dest) != 0)
		return -EBADMSG;
	return 0;
}

/* The Route edits of a plan.  The common case pops one value; the strict
 * router case rewrites the Route set as one header line. */
static int px_plan_edit(struct sip_edit *e, struct sip_msg *m,
			const struct px_plan *pl)
{
	char buf[2048];
	size_t n = 0;

	if (!pl->strict)
		return pl->pop_top ? sip_edit_pop_top(e, SIP_HDR_ROUTE) : 0;
	for (const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_ROUTE); h;
	     h = sip_msg_hdr_next(m, h)) {
		int rc = sip_edit_remove_hdr(e, (uint16_t)(h - m->hdrs));

		if (rc)
			return rc;
	}
	for (unsigned i = 0; i < pl->nleft; i++) {
		if ((i && !px_cat(buf, &n, sizeof(buf), SV(", "))) ||
		    !px_cat(buf, &n, sizeof(buf), pl->vals[pl->first + i]))
			return -ENOSPC;
	}
	if (pl->nleft == 0)
		return 0;
	return sip_edit_add_bottom(e, SV("Route"), sv_make(buf, n));
}

/* ---- §16.6 destinations and our Via ---- */

int px_uri_peer(const struct sip_uri *u, struct tp_peer *out)
{
	struct sv host = u->maddr.len ? u->maddr : u->host;
	uint16_t port = u->has_port ? u->port : 5060;

	memset(out, 0, sizeof(*out));
	if (u->kind != SIP_SCHEME_SIP && u->kind != SIP_SCHEME_SIPS)
		return -EPROTONOSUPPORT;
	if (u->transport.len == 0 || sv_casecmp_eq(u->transport, SV("udp")))
		out->proto = TP_UDP;
	else if (sv_casecmp_eq(u->transport, SV("tcp")))
		out->proto = TP_TCP;
	else
		return -EPROTONOSUPPORT;
	/* RFC 3263 is not implemented yet: numeric hosts only. */
	if (tp_addr_from(&out->addr, host, port) != 0)
		return -EHOSTUNREACH;
	return 0;
}

static const char *proto_name(enum tp_proto p)
{
	switch (p) {
	case TP_TCP:
		return "TCP";
	case TP_TLS:
		return "TLS";
	default:
		return "UDP";
	}
}

static int host_port(const struct px_local *lo, char *buf, size_t cap)
{
	bool v6 = lo->addr.u.sa.sa_family == AF_INET6;

	return snprintf(buf, cap, "%s%s%s:%u", v6 ? "[" : "", lo->host,
			v6 ? "]" : "", (unsigned)lo->port);
}

int px_via(const struct proxy *p, const struct tp_peer *dst, struct sv branch,
	   char *buf, size_t cap)
{
	char hp[96];
	uint16_t idx;
	const struct px_local *lo = px_local_for(p, dst, &idx);
	int n;

	if (!lo)
		return -EADDRNOTAVAIL;
	host_port(lo, hp, sizeof(hp));
	n = snprintf(buf, cap, "SIP/2.0/%s %s;branch=%.*s;rport",
		     proto_name(dst->proto), hp, (int)branch.len, branch.p);
	return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

static bool record_routes(enum sip_method m)
{
	/* Dialog-creating methods (§12.1, RFC 3265, RFC 3515). */
	return m == SIP_METHOD_INVITE || m == SIP_METHOD_SUBSCRIBE ||
	       m == SIP_METHOD_REFER || m == SIP_METHOD_NOTIFY;
}

/* Where target t goes: the first Route left, the configured next hop
 * (our domain, §16.5), or the target URI itself (§16.6 item 7). */
static int px_dest(struct px_ctx *c, struct px_target *t,
		   const struct px_plan *pl, struct tp_peer *dst)
{
	struct sip_uri u;
	struct sv s;

	if (pl->nleft)
		s = pl->dest;
	else if (t->next_hop)
		s = sv_from_cstr(c->p->cfg.next_hop);
	else
		s = sv_make(t->uri, t->len);
	if (sip_uri_parse(&u, s) != 0)
		return -EINVAL;
	return px_uri_peer(&u, dst);
}

int px_forward(struct px_ctx *c, struct px_target *t, unsigned *status)
{
	struct proxy *p = c->p;
	struct txn_layer *l = px_layer(p);
	struct sip_edit *e = &p->edit;
	struct sip_msg *m;
	struct px_plan pl;
	struct tp_peer dst;
	struct iovec iov[SIP_EDIT_OPS_MAX * 2 + 4];
	char branch[PX_BRANCH_MAX], via[256], rr[160], hp[96];
	uint16_t idx;
	const struct px_local *lo;
	int n, rc;

	*status = 500;
	if (!l || !c->st)
		return -EINVAL;
	m = (struct sip_msg *)txn_request_msg(c->st);
	if (!m || px_plan_make(p, m, &pl) != 0) {
		*status = 400;
		return -EBADMSG;
	}
	rc = px_dest(c, t, &pl, &dst);
	if (rc) {
		*status = 503;
		return rc;
	}
	lo = px_local_for(p, &dst, &idx);
	if (!lo)
		return -EADDRNOTAVAIL;
	dst.listener = idx;
	/* §16.6 item 8: a new branch per target, with the RFC 5393 loop
	 * hash after a '.' (txn_owner() reads only the shard prefix). */
	n = txn_branch(l, branch, sizeof(branch));
	if (n < 0 || (size_t)n + PX_HASH_LEN + 2 > sizeof(branch))
		return -ENOSPC;
	branch[n++] = '.';
	memcpy(branch + n, c->loop_hash, PX_HASH_LEN);
	n += PX_HASH_LEN;
	branch[n] = '\0';

	sip_edit_init(e, m);
	/* §16.6 item 2: the Request-URI of the target. */
	if (pl.strict || !sv_eq(sv_make(t->uri, t->len), m->ruri))
		rc = sip_edit_set_ruri(e, sv_make(t->uri, t->len));
	/* §16.4 (done here on each copy, §16.6 item 1). */
	if (!rc)
		rc = px_plan_edit(e, m, &pl);
	/* §16.6 item 3. */
	if (!rc)
		rc = sip_edit_decr_max_forwards(e);
	/* §16.6 item 4: stay on the path of dialogs we help create. */
	if (!rc && p->cfg.record_route && record_routes(m->method_id) &&
	    m->to_tag.len == 0) {
		host_port(lo, hp, sizeof(hp));
		n = snprintf(rr, sizeof(rr), "<sip:%s%s;lr>", hp,
			     dst.proto == TP_TCP ? ";transport=tcp" : "");
		rc = sip_edit_add_top(e, SIP_HDR_RECORD_ROUTE,
				      sv_make(rr, (size_t)n));
	}
	/* §16.6 item 8: our Via on top. */
	if (!rc) {
		n = px_via(p, &dst, sv_make(branch, strlen(branch)), via,
			   sizeof(via));
		rc = n < 0 ? n
			   : sip_edit_add_top(e, SIP_HDR_VIA,
					      sv_make(via, (size_t)n));
	}
	if (rc)
		return rc;
	n = sip_edit_iov(e, iov, sizeof(iov) / sizeof(iov[0]));
	if (n < 0)
		return n;
	/* §16.6 item 10: a client transaction per branch. */
	rc = txn_request(l, &t->ct, iov, n, &dst, t);
	if (rc) {
		*status = 503;
		return rc;
	}
	p->stats.branches++;
	return 0;
}

/* ---- the request ---- */

/* §16.3 item 5: we support no extension, so every Proxy-Require option
 * tag is unsupported: 420 listing them. */
static bool px_proxy_require(struct proxy *p, struct txn *st, struct sip_msg *m)
{
	struct sip_value_iter it;
	char buf[1024];
	size_t n = 0;
	struct sv v;

	if (!m->count[SIP_HDR_PROXY_REQUIRE])
		return false;
	px_cat(buf, &n, sizeof(buf), SV("Unsupported: "));
	sip_value_iter_init(&it, m, SIP_HDR_PROXY_REQUIRE);
	while (sip_value_iter_next(&it, &v) == 1) {
		if (n + v.len + 4 > sizeof(buf))
			break;
		if (n > 13)
			px_cat(buf, &n, sizeof(buf), SV(", "));
		px_cat(buf, &n, sizeof(buf), v);
	}
	if (n == 13)
		return false; /* empty header: nothing required */
	px_cat(buf, &n, sizeof(buf), SV("\r\n"));
	px_reply(p, st, 420, NULL, sv_make(buf, n));
	return true;
}

/* §16.3: reasons not to forward.  True if st was answered. */
static bool px_validate(struct proxy *p, struct txn *st, struct sip_msg *m,
			const char *hash)
{
	const struct sip_uri *ru;
	struct sip_err err = {0};

	/* Items 1-2: syntax and URI scheme (400, 416). */
	if (sip_msg_check(m, &err) != 0) {
		px_reply(p, st, err.status ? err.status : 400, err.reason,
			 SV_NULL);
		return true;
	}
	if (sip_msg_ruri(m, &ru) != 0) {
		px_reply(p, st, 400, "Bad Request-URI", SV_NULL);
		return true;
	}
	/* Item 3: Max-Forwards.  An OPTIONS for us at 0 is answered by us
	 * (§11, §16.3 item 3). */
	if (m->max_forwards == 0) {
		if (m->method_id == SIP_METHOD_OPTIONS &&
		    px_uri_is_us(p, ru, true)) {
			px_reply(p, st, 200, NULL,
				 sv_make(px_allow, sizeof(px_allow) - 1));
			return true;
		}
		p->stats.too_many_hops++;
		px_reply(p, st, 483, NULL, SV_NULL);
		return true;
	}
	/* Item 4: loop detection (RFC 5393 §4.2). */
	if (px_is_loop(p, m, hash)) {
		p->stats.loops++;
		px_reply(p, st, 482, NULL, SV_NULL);
		return true;
	}
	/* Item 5: Proxy-Require. */
	return px_proxy_require(p, st, m);
	/* Item 6 (Proxy-Authorization) is a policy hook: none yet. */
}

void px_on_request(struct proxy *p, struct txn *st, struct sip_msg *req)
{
	struct px_ctx *c;
	struct px_plan pl;
	struct sip_uri ru;
	char hash[PX_HASH_LEN + 1];
	bool next_hop = false;

	p->stats.requests++;
	px_loop_hash(req, hash);
	if (px_validate(p, st, req, hash))
		return;
	if (px_plan_make(p, req, &pl) != 0) {
		px_reply(p, st, 400, "Bad Route header", SV_NULL);
		return;
	}
	if (sip_uri_parse(&ru, pl.ruri) != 0) {
		px_reply(p, st, 400, "Bad Route header", SV_NULL);
		return;
	}
	/* §16.5: no Route left and the Request-URI in our domain: targets
	 * from the location service, which does not exist yet: the
	 * configured next hop stands in for it. */
	if (!pl.nleft && px_uri_is_us(p, &ru, true)) {
		if (!p->cfg.next_hop[0]) {
			px_reply(p, st, 404, NULL, SV_NULL);
			return;
		}
		next_hop = true;
	}
	c = px_ctx_new(p, st, req->method_id);
	if (!c) {
		px_reply(p, st, 503, "Out of proxy contexts", SV_NULL);
		return;
	}
	px_ctx_hold(c);
	memcpy(c->loop_hash, hash, sizeof(hash));
	/* §16.2: 100 Trying at once for an INVITE (the branches may take
	 * long), before forwarding. */
	if (req->method_id == SIP_METHOD_INVITE)
		(void)txn_reply(st, 100, NULL);
	if (px_ctx_add_target(c, pl.ruri, 1000, next_hop) != 0)
		px_reply(p, st, 500, "Bad target", SV_NULL);
	else
		px_ctx_advance(c);
	px_ctx_unhold(c);
}
