/* stateless.c - what the proxy forwards without a transaction: the ACK
 * for a 2xx and other requests matching no transaction that carry a Route
 * (§16.11, RFC 6026), and responses matching no client transaction
 * (§16.7 item 4 / §18.1.2: a 2xx retransmitted after our client
 * transaction ended).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proxy/proxy_int.h"

int px_via_peer(const struct sip_via *v, struct tp_peer *out)
{
	uint16_t port = v->has_port ? v->port : 5060;
	struct sv host = v->host;
	uint32_t rport;

	memset(out, 0, sizeof(*out));
	if (sv_casecmp_eq(v->transport, SV("UDP")))
		out->proto = TP_UDP;
	else if (sv_casecmp_eq(v->transport, SV("TCP")))
		out->proto = TP_TCP;
	else
		return -EPROTONOSUPPORT;
	/* §18.2.2 and RFC 3581 §4: maddr, else received (and rport), else
	 * sent-by. */
	if (v->maddr.len) {
		host = v->maddr;
	} else {
		if (v->received.len)
			host = v->received;
		if (v->has_rport && v->rport.len &&
		    sv_to_u32(v->rport, &rport) == 0 && rport > 0 &&
		    rport < 65536)
			port = (uint16_t)rport;
	}
	return tp_addr_from(&out->addr, host, port);
}

int px_forward_response_by_via(struct proxy *p, struct sip_msg *resp)
{
	struct txn_layer *l = px_layer(p);
	struct sip_value_iter it;
	struct sip_via second;
	struct sv v;
	struct tp_peer dst;
	struct iovec iov[SIP_EDIT_OPS_MAX * 2 + 4];
	uint16_t idx;
	int n, rc;

	if (!l || !px_via_is_us(p, &resp->via))
		return -ENOENT; /* not ours to forward: drop (§18.1.2) */
	sip_value_iter_init(&it, resp, SIP_HDR_VIA);
	if (sip_value_iter_next(&it, &v) != 1 ||
	    sip_value_iter_next(&it, &v) != 1 || sip_via_parse(&second, v) != 0)
		return -ENOENT;
	rc = px_via_peer(&second, &dst);
	if (rc)
		return rc;
	if (px_local_for(p, &dst, &idx))
		dst.listener = idx;
	sip_edit_init(&p->edit, resp);
	rc = sip_edit_pop_top(&p->edit, SIP_HDR_VIA);
	if (rc)
		return rc;
	n = sip_edit_iov(&p->edit, iov, sizeof(iov) / sizeof(iov[0]));
	if (n < 0)
		return n;
	rc = txn_send_stateless(l, &dst, iov, n);
	if (rc == 0)
		p->stats.stateless_forwarded++;
	return rc;
}

/* §16.11: a stateless proxy's branch must be the same for the same
 * request (retransmissions) and differ for different ones: a hash of the
 * fields that identify it, including the previous hop's branch. */
static int px_stateless_branch(const struct sip_msg *m, char *buf, size_t cap)
{
	uint32_t h = 2166136261u;
	const struct sv parts[] = {m->via.branch, m->via.host, m->call_id,
				   m->from_tag,	  m->to_tag,   m->ruri,
				   m->method};

	for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
		for (size_t i = 0; i < parts[k].len; i++) {
			h ^= (uint8_t)parts[k].p[i];
			h *= 16777619u;
		}
		h ^= 0xff;
		h *= 16777619u;
	}
	h ^= m->cseq.num;
	h *= 16777619u;
	return snprintf(buf, cap, "z9hG4bKs%08x", (unsigned)h);
}

static void px_forward_stateless(struct proxy *p, struct sip_msg *m)
{
	struct txn_layer *l = px_layer(p);
	struct sip_edit *e = &p->edit;
	struct sip_value_iter it;
	struct sip_addr a;
	struct sip_uri u, dest;
	struct sv v, ruri = m->ruri;
	struct tp_peer dst;
	struct iovec iov[SIP_EDIT_OPS_MAX * 2 + 4];
	char branch[32], via[256];
	bool popped = false, have_dest = false;
	uint16_t idx;
	int n, rc;

	if (!l || m->max_forwards == 0)
		return; /* §16.3 item 3: nowhere to go; an ACK gets no 483 */
	sip_edit_init(e, m);
	/* §16.4: our own Route (the Record-Route we put in) is removed;
	 * the next one, if any, is where it goes. */
	sip_value_iter_init(&it, m, SIP_HDR_ROUTE);
	while (sip_value_iter_next(&it, &v) == 1) {
		if (sip_addr_parse(&a, v) != 0 || sip_uri_parse(&u, a.uri))
			return;
		if (!popped && px_uri_is_us(p, &u, true)) {
			popped = true;
			if (sip_edit_pop_top(e, SIP_HDR_ROUTE) != 0)
				return;
			continue;
		}
		dest = u;
		have_dest = true;
		break;
	}
	if (!have_dest) {
		/* §16.5-16.6: the Request-URI, unless it is ours (no
		 * location service to look it up in yet: drop). */
		if (sip_uri_parse(&dest, ruri) != 0 ||
		    px_uri_is_us(p, &dest, true))
			return;
	}
	if (px_uri_peer(&dest, &dst) != 0)
		return; /* a host name: no DNS yet */
	if (px_local_for(p, &dst, &idx))
		dst.listener = idx;
	if (sip_edit_decr_max_forwards(e) != 0)
		return;
	n = px_stateless_branch(m, branch, sizeof(branch));
	n = px_via(p, &dst, sv_make(branch, (size_t)n), via, sizeof(via));
	if (n < 0)
		return;
	rc = sip_edit_add_top(e, SIP_HDR_VIA, sv_make(via, (size_t)n));
	if (rc)
		return;
	n = sip_edit_iov(e, iov, sizeof(iov) / sizeof(iov[0]));
	if (n < 0)
		return;
	if (txn_send_stateless(l, &dst, iov, n) == 0)
		p->stats.stateless_forwarded++;
}

void px_on_stray(struct proxy *p, struct sip_msg *m, const struct tp_rx *rx)
{
	(void)rx;
	if (m->request) {
		/* The ACK for a 2xx (end to end, RFC 6026) and anything
		 * else routed through us that matches no transaction. */
		if (m->method_id == SIP_METHOD_ACK || m->count[SIP_HDR_ROUTE])
			px_forward_stateless(p, m);
		return;
	}
	/* §16.7 item 4 / §18.1.2: only a 2xx to an INVITE is forwarded
	 * without a transaction; anything else belongs to one that ended. */
	if (m->status >= 200 && m->status < 300 &&
	    m->cseq.method_id == SIP_METHOD_INVITE)
		(void)px_forward_response_by_via(p, m);
}
