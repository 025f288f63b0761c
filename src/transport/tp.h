/* tp.h - transport-level identities shared by the transport, transaction
 * and role layers: addresses, peers, and what came with a received message.
 */
#ifndef RINGWAY_TRANSPORT_TP_H
#define RINGWAY_TRANSPORT_TP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "base/sv.h"

enum tp_proto {
	TP_UDP = 0,
	TP_TCP = 1,
	TP_TLS = 2, /* the seam: not implemented yet */
};

static inline bool tp_reliable(enum tp_proto p)
{
	return p != TP_UDP;
}

struct tp_addr {
	socklen_t len;
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	} u;
};

/* Numeric host ("192.0.2.1", "::1", "[::1]") and port: 0 or -EINVAL.
 * Names are resolved above this layer (RFC 3263 is the roles' job). */
int tp_addr_from(struct tp_addr *a, struct sv host, uint16_t port);
/* "192.0.2.1:5060" / "[2001:db8::1]:5060"; returns the length written. */
int tp_addr_fmt(const struct tp_addr *a, char *buf, size_t cap);
/* Host part only, without brackets ("2001:db8::1"). */
int tp_addr_host(const struct tp_addr *a, char *buf, size_t cap);
uint16_t tp_addr_port(const struct tp_addr *a);
bool tp_addr_eq(const struct tp_addr *a, const struct tp_addr *b);

/* Who we talk to, and over what. */
struct tp_peer {
	enum tp_proto proto;
	struct tp_addr addr; /* the remote address */
	uint32_t conn;	     /* stream connection id (0: none / any) */
	uint16_t listener;   /* index of the local socket it came on / goes
				out of */
};

/* What came with a received message. */
struct tp_rx {
	struct tp_peer src;
	uint64_t now_ms; /* monotonic receive time */
};

/* The one thing the transaction layer needs from a transport: send these
 * bytes to this peer.  Returns 0 or a negative errno, which the
 * transaction layer reports to its user as a transport error (RFC 3261
 * §8.1.3.1, §18.4).  The bytes may be copied; they need not outlive the
 * call. */
struct tp_sender {
	int (*send)(void *arg, const struct tp_peer *dst,
		    const struct iovec *iov, int iovcnt);
	void *arg;
};

#endif
