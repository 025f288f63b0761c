/* udp.c - batched UDP receive and send (see udp.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/udp.h"

const struct udp_config udp_config_default = {
	.batch = 32,
	.slot_size = 65535,
	.send_bytes = (size_t)256 * 1024,
	.send_max = UDP_BATCH_MAX,
	.rcvbuf = 4 * 1024 * 1024,
	.sndbuf = 4 * 1024 * 1024,
	.listener = 0,
};

/* The largest UDP payload: 65535 minus the UDP header and, for IPv4, the
 * minimal IP header (IPv6's fixed header is outside its payload length). */
#define UDP_MAX_V4 (65535 - 8 - 20)
#define UDP_MAX_V6 (65535 - 8)

struct udp_sock {
	int fd;
	sa_family_t family;
	struct udp_config cfg;
	struct udp_stats stats;

	/* Receive: cfg.batch slots of cfg.slot_size bytes. */
	char *rx_buf;
	struct mmsghdr *rx_msgs;
	struct iovec *rx_iov;
	struct tp_peer *rx_peer; /* msg_name points into rx_peer[i].addr */

	/* Send queue: datagrams tx_head..tx_count in tx_buf[0..tx_used). */
	char *tx_buf;
	size_t tx_used;
	unsigned tx_head, tx_count;
	struct mmsghdr *tx_msgs;
	struct iovec *tx_iov;
	struct tp_addr *tx_addr;
};

static int cfg_check(const struct udp_config *c)
{
	if (c->batch < 1 || c->batch > UDP_BATCH_MAX)
		return -EINVAL;
	if (c->slot_size < 1 || c->slot_size > 65535)
		return -EINVAL;
	if (c->send_max < 1 || c->send_max > UDP_BATCH_MAX)
		return -EINVAL;
	if (c->send_bytes < 1)
		return -EINVAL;
	return 0;
}

/* Ask for a big socket buffer: the privileged *FORCE variant first (it
 * ignores net.core.rmem_max), then the ordinary one.  Failures are fine. */
static void set_buf(int fd, int force_opt, int opt, int bytes)
{
	if (bytes <= 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof(bytes)) == 0)
		return;
	(void)setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof(bytes));
}

static void tx_slot(struct udp_sock *s, unsigned i, char *p, size_t len)
{
	struct msghdr *h = &s->tx_msgs[i].msg_hdr;

	s->tx_iov[i].iov_base = p;
	s->tx_iov[i].iov_len = len;
	memset(h, 0, sizeof(*h));
	h->msg_name = &s->tx_addr[i].u;
	h->msg_namelen = s->tx_addr[i].len;
	h->msg_iov = &s->tx_iov[i];
	h->msg_iovlen = 1;
}

int udp_sock_open(struct udp_sock **out, const struct tp_addr *addr,
		  const struct udp_config *cfg)
{
	struct udp_sock *s = NULL;
	int one = 1;
	int rc;

	*out = NULL;
	if (!cfg)
		cfg = &udp_config_default;
	rc = cfg_check(cfg);
	if (rc)
		return rc;
	if (addr->u.sa.sa_family != AF_INET && addr->u.sa.sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->cfg = *cfg;
	s->family = addr->u.sa.sa_family;
	s->rx_buf = malloc(cfg->batch * cfg->slot_size);
	s->rx_msgs = calloc(cfg->batch, sizeof(*s->rx_msgs));
	s->rx_iov = calloc(cfg->batch, sizeof(*s->rx_iov));
	s->rx_peer = calloc(cfg->batch, sizeof(*s->rx_peer));
	s->tx_buf = malloc(cfg->send_bytes);
	s->tx_msgs = calloc(cfg->send_max, sizeof(*s->tx_msgs));
	s->tx_iov = calloc(cfg->send_max, sizeof(*s->tx_iov));
	s->tx_addr = calloc(cfg->send_max, sizeof(*s->tx_addr));
	if (!s->rx_buf || !s->rx_msgs || !s->rx_iov || !s->rx_peer ||
	    !s->tx_buf || !s->tx_msgs || !s->tx_iov || !s->tx_addr) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < cfg->batch; i++) {
		struct msghdr *h = &s->rx_msgs[i].msg_hdr;

		s->rx_iov[i].iov_base = s->rx_buf + i * cfg->slot_size;
		s->rx_iov[i].iov_len = cfg->slot_size;
		h->msg_name = &s->rx_peer[i].addr.u;
		h->msg_iov = &s->rx_iov[i];
		h->msg_iovlen = 1;
		s->rx_peer[i].proto = TP_UDP;
		s->rx_peer[i].conn = 0;
		s->rx_peer[i].listener = cfg->listener;
	}

	s->fd = socket(s->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		rc = -errno;
		goto out;
	}
	/* DESIGN §3: one socket per worker on the same address. */
	if (setsockopt(s->fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	    (s->family == AF_INET6 &&
	     setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))) {
		rc = -errno;
		goto out;
	}
	set_buf(s->fd, SO_RCVBUFFORCE, SO_RCVBUF, cfg->rcvbuf);
	set_buf(s->fd, SO_SNDBUFFORCE, SO_SNDBUF, cfg->sndbuf);
	if (bind(s->fd, &addr->u.sa, addr->len)) {
		rc = -errno;
		goto out;
	}
	*out = s;
	s = NULL;
	rc = 0;
out:
	udp_sock_close(s);
	return rc;
}

void udp_sock_close(struct udp_sock *s)
{
	if (!s)
		return;
	if (s->fd >= 0) {
		(void)udp_flush(s);
		close(s->fd);
	}
	free(s->rx_buf);
	free(s->rx_msgs);
	free(s->rx_iov);
	free(s->rx_peer);
	free(s->tx_buf);
	free(s->tx_msgs);
	free(s->tx_iov);
	free(s->tx_addr);
	free(s);
}

int udp_sock_fd(const struct udp_sock *s)
{
	return s->fd;
}

int udp_sock_local(const struct udp_sock *s, struct tp_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->len = sizeof(out->u);
	if (getsockname(s->fd, &out->u.sa, &out->len))
		return -errno;
	return 0;
}

const struct udp_stats *udp_sock_stats(const struct udp_sock *s)
{
	return &s->stats;
}

int udp_recv_batch(struct udp_sock *s, udp_rx_fn fn, void *arg)
{
	unsigned batch = s->cfg.batch;
	int n;

	for (unsigned i = 0; i < batch; i++) {
		s->rx_msgs[i].msg_hdr.msg_namelen =
			sizeof(s->rx_peer[i].addr.u);
		s->rx_msgs[i].msg_hdr.msg_flags = 0;
	}
	do {
		n = recvmmsg(s->fd, s->rx_msgs, batch, MSG_DONTWAIT, NULL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
	if (n > 0)
		s->stats.rx_batches++;
	for (int i = 0; i < n; i++) {
		const struct mmsghdr *m = &s->rx_msgs[i];
		struct tp_peer *src = &s->rx_peer[i];

		/* A datagram longer than its slot came in cut: parsing the
		 * head as if it were the whole message would be wrong. */
		if (m->msg_hdr.msg_flags & MSG_TRUNC) {
			s->stats.rx_truncated++;
			continue;
		}
		src->addr.len = m->msg_hdr.msg_namelen;
		s->stats.rx_datagrams++;
		fn(arg, s->rx_iov[i].iov_base, m->msg_len, src);
	}
	return n;
}

/* Move the unsent tail of the queue to the front of the arena. */
static void tx_compact(struct udp_sock *s)
{
	unsigned n = s->tx_count - s->tx_head;
	size_t off;

	if (s->tx_head == 0)
		return;
	off = (size_t)((char *)s->tx_iov[s->tx_head].iov_base - s->tx_buf);
	memmove(s->tx_buf, s->tx_buf + off, s->tx_used - off);
	for (unsigned j = 0; j < n; j++) {
		unsigned i = s->tx_head + j;

		s->tx_addr[j] = s->tx_addr[i];
		tx_slot(s, j, (char *)s->tx_iov[i].iov_base - off,
			s->tx_iov[i].iov_len);
	}
	s->tx_used -= off;
	s->tx_head = 0;
	s->tx_count = n;
}

int udp_flush(struct udp_sock *s)
{
	int err = 0;
	int n;

	while (s->tx_head < s->tx_count) {
		n = sendmmsg(s->fd, &s->tx_msgs[s->tx_head],
			     s->tx_count - s->tx_head, MSG_DONTWAIT);
		if (n > 0) {
			s->tx_head += (unsigned)n;
			s->stats.tx_datagrams += (unsigned)n;
			s->stats.tx_batches++;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			err = -EAGAIN;
			break;
		}
		/* sendmmsg() reports an error only for the first datagram of
		 * the call: drop that one and go on with the rest. */
		if (!err)
			err = n < 0 ? -errno : -EIO;
		s->stats.tx_errors++;
		s->tx_head++;
	}
	if (s->tx_head == s->tx_count) {
		s->tx_head = s->tx_count = 0;
		s->tx_used = 0;
	} else {
		tx_compact(s);
	}
	return err;
}

unsigned udp_pending(const struct udp_sock *s)
{
	return s->tx_count - s->tx_head;
}

int udp_send(struct udp_sock *s, const struct tp_addr *dst,
	     const struct iovec *iov, int iovcnt)
{
	size_t max = s->family == AF_INET6 ? UDP_MAX_V6 : UDP_MAX_V4;
	size_t total = 0, off = 0;
	unsigned i;
	char *p;

	if (dst->u.sa.sa_family != s->family)
		return -EAFNOSUPPORT;
	if (iovcnt < 0)
		return -EINVAL;
	for (int k = 0; k < iovcnt; k++) {
		total += iov[k].iov_len;
		if (total > max)
			return -EMSGSIZE;
	}
	if (total > s->cfg.send_bytes)
		return -EMSGSIZE;
	if (s->tx_count == s->cfg.send_max ||
	    s->tx_used + total > s->cfg.send_bytes) {
		/* Errors of other datagrams are counted, not ours. */
		(void)udp_flush(s);
		if (s->tx_count == s->cfg.send_max ||
		    s->tx_used + total > s->cfg.send_bytes)
			return -EAGAIN;
	}
	i = s->tx_count++;
	p = s->tx_buf + s->tx_used;
	for (int k = 0; k < iovcnt; k++) {
		if (iov[k].iov_len)
			memcpy(p + off, iov[k].iov_base, iov[k].iov_len);
		off += iov[k].iov_len;
	}
	s->tx_addr[i] = *dst;
	tx_slot(s, i, p, total);
	s->tx_used += total;
	return 0;
}

static int udp_sender_send(void *arg, const struct tp_peer *dst,
			   const struct iovec *iov, int iovcnt)
{
	if (dst->proto != TP_UDP)
		return -EPROTONOSUPPORT;
	return udp_send(arg, &dst->addr, iov, iovcnt);
}

struct tp_sender udp_sock_sender(struct udp_sock *s)
{
	return (struct tp_sender){.send = udp_sender_send, .arg = s};
}
