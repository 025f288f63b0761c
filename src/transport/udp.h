/* udp.h - one worker's UDP socket: batched receive (recvmmsg) and batched,
 * queued send (sendmmsg).
 *
 * DESIGN §3: every worker opens its own socket on the same address with
 * SO_REUSEPORT; the kernel spreads datagrams over them by 4-tuple.  A worker
 * receives up to cfg.batch datagrams per system call into a preallocated
 * slot area and queues outgoing datagrams in a send arena that is flushed
 * with one sendmmsg() before its loop sleeps (ev_before_sleep), or earlier
 * when the arena fills.  No allocation after udp_sock_open().
 *
 * Not thread-safe: one udp_sock per worker.
 */
#ifndef RINGWAY_TRANSPORT_UDP_H
#define RINGWAY_TRANSPORT_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "transport/tp.h"

#define UDP_BATCH_MAX 64

struct udp_config {
	/* Receive: datagrams per recvmmsg() (1..UDP_BATCH_MAX) and bytes per
	 * slot.  A datagram larger than a slot is counted as truncated and
	 * dropped, never handed on.  65535 (the default) truncates nothing. */
	unsigned batch;
	size_t slot_size;
	/* Send: arena bytes and queued datagrams (1..UDP_BATCH_MAX) before an
	 * automatic flush. */
	size_t send_bytes;
	unsigned send_max;
	/* SO_RCVBUF / SO_SNDBUF to ask for (0: kernel default); a refusal is
	 * not an error (the kernel caps them at rmem_max / wmem_max). */
	int rcvbuf, sndbuf;
	uint16_t listener; /* copied into tp_peer.listener of received
			      datagrams */
};

/* batch 32, slot 65535, send 256 KiB / 64 datagrams, buffers 4 MiB. */
extern const struct udp_config udp_config_default;

struct udp_stats {
	uint64_t rx_datagrams; /* handed on (truncated ones excluded) */
	uint64_t rx_batches;   /* recvmmsg() calls that returned data */
	uint64_t rx_truncated; /* larger than a slot: dropped */
	uint64_t tx_datagrams; /* accepted by the kernel */
	uint64_t tx_batches;   /* sendmmsg() calls that sent something */
	uint64_t tx_errors;    /* dropped on a send error */
};

struct udp_sock;

/* Bind a non-blocking socket to addr (port 0: ephemeral) with SO_REUSEPORT;
 * IPv6 sockets are IPV6_V6ONLY.  cfg NULL: udp_config_default.
 * 0 or -errno (-EINVAL for a bad cfg). */
int udp_sock_open(struct udp_sock **out, const struct tp_addr *addr,
		  const struct udp_config *cfg);
/* Flush what is queued (best effort), close, free.  NULL is fine. */
void udp_sock_close(struct udp_sock *s);

int udp_sock_fd(const struct udp_sock *s);
/* The bound address (getsockname), e.g. to learn an ephemeral port. */
int udp_sock_local(const struct udp_sock *s, struct tp_addr *out);
const struct udp_stats *udp_sock_stats(const struct udp_sock *s);

/* Called once per received datagram; buf and src are valid during the call
 * only (copy what must outlive it).  src->proto is TP_UDP, src->conn 0. */
typedef void (*udp_rx_fn)(void *arg, const char *buf, size_t len,
			  const struct tp_peer *src);

/* One recvmmsg() of up to cfg.batch datagrams, fn called for each complete
 * one.  Returns the number of datagrams the kernel gave (truncated ones
 * included: call again while it equals cfg.batch), 0 if none was waiting,
 * or -errno. */
int udp_recv_batch(struct udp_sock *s, udp_rx_fn fn, void *arg);

/* Queue one datagram made of iov[0..iovcnt) to dst; the bytes are copied.
 * Flushes first when the arena or the queue is full.  0, -EMSGSIZE (larger
 * than a datagram or than the arena), -EAFNOSUPPORT (dst's family differs
 * from the socket's), or -EAGAIN if the kernel's buffer is full and the
 * queue is too (the datagram is not queued: for UDP that is a loss). */
int udp_send(struct udp_sock *s, const struct tp_addr *dst,
	     const struct iovec *iov, int iovcnt);

/* Send everything queued with sendmmsg().  0 when the queue is empty;
 * -EAGAIN when the kernel's buffer is full (the rest stays queued: flush
 * again on EV_WRITE or before the next sleep); any other -errno is the first
 * per-datagram error met (that datagram is dropped and counted in
 * tx_errors, the others are still sent). */
int udp_flush(struct udp_sock *s);

/* Datagrams queued, not yet sent. */
unsigned udp_pending(const struct udp_sock *s);

/* A tp_sender over s: send() queues with udp_send() to dst->addr (dst->proto
 * must be TP_UDP, else -EPROTONOSUPPORT).  The caller flushes. */
struct tp_sender udp_sock_sender(struct udp_sock *s);

#endif
