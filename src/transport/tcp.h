/* tcp.h - SIP over TCP for one worker: listeners, a connection table,
 * stream framing (RFC 3261 §18.3), connection reuse and limits.
 *
 * Received bytes are framed with sip_msg_scan(SIP_SCAN_STREAM): each
 * complete message is handed to the table's callback with the exact bytes,
 * src.proto = TP_TCP and src.conn = the connection id.  A message that is
 * framed (Content-Length known) but otherwise malformed is still handed on,
 * so the transaction layer can answer 400; a stream that cannot be framed
 * (bad start line, missing, negative or repeated Content-Length, too large)
 * is closed: RFC 4475 §3.1.2.3, framing errors cannot be recovered.  A
 * double-CRLF keep-alive "ping" is answered with a single CRLF "pong"
 * (RFC 5626 §3.5.1).
 *
 * Sending: a response goes back on the connection its request came on
 * (dst->conn); a request to an address reuses an open connection to that
 * address or opens one (§18.1.1, RFC 5923's spirit).  Bytes are written at
 * once when nothing is queued, else queued (bounded) and written on
 * EV_WRITE.
 *
 * Limits (struct tcp_config): connections (over it: accept and close at
 * once), bytes buffered per connection each way (over it: close), idle time
 * (no byte received), and the time a started message has to complete.
 * Closing one connection never affects another.
 *
 * Not thread-safe: one table per worker, on that worker's ev_loop.
 */
#ifndef RINGWAY_TRANSPORT_TCP_H
#define RINGWAY_TRANSPORT_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "ev/loop.h"
#include "sip/sip.h"
#include "transport/tp.h"

#define TCP_LISTEN_MAX 8

struct tcp_config {
	uint32_t max_conns; /* open connections, both directions */
	size_t max_in;	    /* input buffer bound per connection */
	size_t max_out;	    /* queued output bound per connection */
	uint32_t idle_ms;   /* close after this long without a byte in (0:
			       never) */
	uint32_t msg_ms;    /* a started message must complete within this
			       (0: no limit but idle_ms) */
	const struct sip_limits *lim; /* framing limits; NULL: defaults */
};

/* 1024 connections, max_in 64 KiB + 65535, max_out 1 MiB, idle 300 s,
 * message 10 s, sip_limits_default. */
extern const struct tcp_config tcp_config_default;

struct tcp_stats {
	uint64_t accepted;	  /* inbound connections taken */
	uint64_t refused;	  /* inbound over max_conns: closed at once */
	uint64_t accept_errors;	  /* accept() failed (EMFILE...): paused */
	uint64_t connected;	  /* outbound connections opened */
	uint64_t connect_failed;  /* outbound that never came up */
	uint64_t closed_idle;	  /* idle_ms without input */
	uint64_t closed_stalled;  /* message not complete within msg_ms */
	uint64_t closed_framing;  /* unframeable stream */
	uint64_t closed_overflow; /* max_in or max_out exceeded */
	uint64_t closed_peer;	  /* EOF or socket error */
	uint64_t rx_messages;
	uint64_t tx_bytes;
	uint64_t keepalive_pongs;
};

/* Called once per received message; buf and src are valid during the call
 * only.  It may send (on any connection) and close connections. */
typedef void (*tcp_rx_fn)(void *arg, const char *buf, size_t len,
			  const struct tp_peer *src);

struct tcp_table;

/* cfg NULL: tcp_config_default.  0, -EINVAL or -ENOMEM. */
int tcp_table_new(struct tcp_table **out, struct ev_loop *loop,
		  const struct tcp_config *cfg, tcp_rx_fn fn, void *arg);
/* Close every connection and listener, free; before ev_loop_free(), and not
 * from inside a callback of this table.  NULL is fine. */
void tcp_table_free(struct tcp_table *t);

/* Listen on addr (port 0: ephemeral) with SO_REUSEPORT, so every worker
 * can listen on the same address; IPv6 is IPV6_V6ONLY.  listener is the
 * caller's index, reported in tp_peer.listener of what arrives through
 * it.  At most TCP_LISTEN_MAX listeners.  0 or -errno. */
int tcp_listen(struct tcp_table *t, const struct tp_addr *addr,
	       uint16_t listener);
/* The bound address of a listener (to learn an ephemeral port). */
int tcp_listener_local(const struct tcp_table *t, uint16_t listener,
		       struct tp_addr *out);

/* Open a connection to dst (non-blocking; bytes sent meanwhile are
 * queued; a failed connect closes it, counted in connect_failed).  *out is
 * its id; what arrives on it has tp_peer.listener 0.  0, -EMFILE
 * (max_conns reached) or -errno. */
int tcp_connect(uint32_t *out, struct tcp_table *t, const struct tp_addr *dst);

/* Send one message made of iov[0..iovcnt).  dst->conn != 0: on that
 * connection only (-ENOTCONN if it is gone: RFC 3261 §18.2.2 then leaves
 * the choice of a new target to the caller); dst->conn == 0: on an open
 * connection to dst->addr, or a new one.  0 or -errno; -ENOBUFS means the
 * output bound was exceeded and the connection was closed. */
int tcp_send(struct tcp_table *t, const struct tp_peer *dst,
	     const struct iovec *iov, int iovcnt);

/* Close a connection (harmless if already gone). */
void tcp_close(struct tcp_table *t, uint32_t conn);

/* The id of an open connection to addr (0 if none). */
uint32_t tcp_conn_find(const struct tcp_table *t, const struct tp_addr *addr);
unsigned tcp_conn_count(const struct tcp_table *t);
const struct tcp_stats *tcp_table_stats(const struct tcp_table *t);

/* A tp_sender over t: send() is tcp_send() (dst->proto must be TP_TCP,
 * else -EPROTONOSUPPORT). */
struct tp_sender tcp_table_sender(struct tcp_table *t);

/* Stream framing, a pure function (exposed for tests and fuzzing): what the
 * bytes at the head of a connection's input are. */
enum tcp_frame_kind {
	TCP_FRAME_NEED,	 /* incomplete: read more */
	TCP_FRAME_MSG,	 /* a message at buf + off, len bytes */
	TCP_FRAME_PING,	 /* CRLFCRLF keep-alive: answer CRLF */
	TCP_FRAME_SKIP,	 /* a lone CRLF (pong) or stray line end */
	TCP_FRAME_ERROR, /* cannot be framed: close the connection */
};

struct tcp_frame {
	enum tcp_frame_kind kind;
	size_t off, len; /* TCP_FRAME_MSG: the message */
	size_t consumed; /* bytes to drop from the head of the input */
};

/* Frame the head of buf[0..len) into *f, using m as scratch (after a
 * TCP_FRAME_MSG, m holds the scan; the message may still be malformed).
 * lim NULL: defaults.  Returns f->kind. */
enum tcp_frame_kind tcp_frame_next(struct tcp_frame *f, struct sip_msg *m,
				   const char *buf, size_t len,
				   const struct sip_limits *lim);

#endif
