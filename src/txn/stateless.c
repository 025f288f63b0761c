/* stateless.c - sending without a transaction, and where responses go
 * (RFC 3261 §18.2.2, RFC 3581 rport).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "txn/txn_int.h"

int txn_send_stateless(struct txn_layer *l, const struct tp_peer *dst,
		       const struct iovec *iov, int iovcnt)
{
	int rc;

	if (!l || !dst || !iov || iovcnt <= 0)
		return -EINVAL;
	rc = l->sender.send(l->sender.arg, dst, iov, iovcnt);
	if (rc < 0) {
		l->stats.transport_errors++;
		return rc;
	}
	return 0;
}

static int addr_set_port(struct tp_addr *a, uint16_t port)
{
	switch (a->u.sa.sa_family) {
	case AF_INET:
		a->u.sin.sin_port = htons(port);
		return 0;
	case AF_INET6:
		a->u.sin6.sin6_port = htons(port);
		return 0;
	default:
		return -EAFNOSUPPORT;
	}
}

/* A numeric maddr ("192.0.2.1", "[2001:db8::1]"); names are resolved above
 * this layer, so anything else is -EINVAL. */
static int addr_numeric(struct tp_addr *a, struct sv host, uint16_t port)
{
	char buf[INET6_ADDRSTRLEN + 1];

	if (host.len >= 2 && host.p[0] == '[' && host.p[host.len - 1] == ']')
		host = sv_make(host.p + 1, host.len - 2);
	if (host.len == 0 || host.len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, host.p, host.len);
	buf[host.len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, &a->u.sin.sin_addr) == 1) {
		a->u.sin.sin_family = AF_INET;
		a->u.sin.sin_port = htons(port);
		a->len = sizeof(a->u.sin);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &a->u.sin6.sin6_addr) == 1) {
		a->u.sin6.sin6_family = AF_INET6;
		a->u.sin6.sin6_port = htons(port);
		a->len = sizeof(a->u.sin6);
		return 0;
	}
	return -EINVAL;
}

/* §18.2.2 for a request received as rx:
 * - reliable transports: the connection it came on (and its address);
 * - maddr (numeric): there, at the sent-by port or 5060;
 * - rport (RFC 3581 §4): the source address and port;
 * - otherwise the source address ("received") at the sent-by port or
 *   5060. */
int txn_response_peer(const struct sip_msg *req, const struct tp_rx *rx,
		      struct tp_peer *out)
{
	const struct sip_via *v = &req->via;
	uint16_t port = v->has_port ? v->port : 5060;

	*out = rx->src;
	if (tp_reliable(rx->src.proto))
		return 0;
	out->conn = 0;
	if (v->maddr.len && addr_numeric(&out->addr, v->maddr, port) == 0)
		return 0;
	if (v->has_rport)
		return 0;
	return addr_set_port(&out->addr, port);
}

int txn_reply_stateless(struct txn_layer *l, const struct sip_msg *req,
			const struct tp_rx *rx, unsigned code,
			const struct sip_resp_opts *o)
{
	struct sip_resp_opts opts = {0};
	struct tp_peer dst;
	struct iovec iov;
	char tag[24];
	long n;

	/* An ACK is never answered (§17.2.3, §8.2.7). */
	if (!l || !req || !req->request || req->method_id == SIP_METHOD_ACK)
		return -EINVAL;
	if (o)
		opts = *o;
	/* §8.2.7: a stateless UAS makes the same tag for the same request. */
	if (code > 100 && req->to_tag.len == 0 && opts.to_tag.len == 0) {
		uint32_t h = txn_fnv1a(TXN_FNV_INIT, req->call_id, false);
		int k;

		h = txn_fnv1a(h, req->via.branch, false);
		k = txn_tag_hex(l, ((uint64_t)h << 32) | req->cseq.num, tag,
				sizeof(tag));
		if (k > 0)
			opts.to_tag = sv_make(tag, (size_t)k);
	}
	n = sip_resp_build(l->out, sizeof(l->out), req, code, &opts);
	if (n < 0)
		return (int)n;
	if (txn_response_peer(req, rx, &dst) != 0)
		dst = rx->src;
	iov = (struct iovec){.iov_base = l->out, .iov_len = (size_t)n};
	return txn_send_stateless(l, &dst, &iov, 1);
}
