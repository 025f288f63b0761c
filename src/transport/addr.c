/* addr.c - numeric transport addresses (tp.h).
 *
 * Only numeric hosts are accepted here: names are resolved above this layer
 * (RFC 3263 is the roles' job), so nothing in the transport can block on DNS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "transport/tp.h"

int tp_addr_from(struct tp_addr *a, struct sv host, uint16_t port)
{
	/* INET6_ADDRSTRLEN (46) covers the longest textual IPv6 address,
	 * including the IPv4-mapped form, plus the NUL. */
	char buf[INET6_ADDRSTRLEN];
	int rc = -EINVAL;

	memset(a, 0, sizeof(*a));
	if (!host.p || host.len == 0)
		goto out;
	/* RFC 3261 §25.1: an IPv6reference in a URI or Via is bracketed. */
	if (host.p[0] == '[') {
		if (host.len < 3 || host.p[host.len - 1] != ']')
			goto out;
		host = sv_make(host.p + 1, host.len - 2);
		if (!memchr(host.p, ':', host.len))
			goto out;
	}
	if (host.len >= sizeof(buf))
		goto out;
	memcpy(buf, host.p, host.len);
	buf[host.len] = '\0';
	if (memchr(host.p, ':', host.len)) {
		if (inet_pton(AF_INET6, buf, &a->u.sin6.sin6_addr) != 1)
			goto out;
		a->u.sin6.sin6_family = AF_INET6;
		a->u.sin6.sin6_port = htons(port);
		a->len = sizeof(a->u.sin6);
	} else {
		if (inet_pton(AF_INET, buf, &a->u.sin.sin_addr) != 1)
			goto out;
		a->u.sin.sin_family = AF_INET;
		a->u.sin.sin_port = htons(port);
		a->len = sizeof(a->u.sin);
	}
	rc = 0;
out:
	if (rc)
		memset(a, 0, sizeof(*a));
	return rc;
}

int tp_addr_host(const struct tp_addr *a, char *buf, size_t cap)
{
	const void *src;

	switch (a->u.sa.sa_family) {
	case AF_INET:
		src = &a->u.sin.sin_addr;
		break;
	case AF_INET6:
		src = &a->u.sin6.sin6_addr;
		break;
	default:
		return -EAFNOSUPPORT;
	}
	if (cap > (size_t)INT32_MAX)
		cap = INT32_MAX;
	if (!inet_ntop(a->u.sa.sa_family, src, buf, (socklen_t)cap))
		return -ENOSPC;
	return (int)strlen(buf);
}

int tp_addr_fmt(const struct tp_addr *a, char *buf, size_t cap)
{
	char host[INET6_ADDRSTRLEN];
	int rc = tp_addr_host(a, host, sizeof(host));
	int n;

	if (rc < 0)
		return rc;
	if (a->u.sa.sa_family == AF_INET6)
		n = snprintf(buf, cap, "[%s]:%u", host, tp_addr_port(a));
	else
		n = snprintf(buf, cap, "%s:%u", host, tp_addr_port(a));
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	return n;
}

uint16_t tp_addr_port(const struct tp_addr *a)
{
	switch (a->u.sa.sa_family) {
	case AF_INET:
		return ntohs(a->u.sin.sin_port);
	case AF_INET6:
		return ntohs(a->u.sin6.sin6_port);
	default:
		return 0;
	}
}

bool tp_addr_eq(const struct tp_addr *a, const struct tp_addr *b)
{
	if (a->u.sa.sa_family != b->u.sa.sa_family)
		return false;
	switch (a->u.sa.sa_family) {
	case AF_INET:
		return a->u.sin.sin_port == b->u.sin.sin_port &&
		       a->u.sin.sin_addr.s_addr == b->u.sin.sin_addr.s_addr;
	case AF_INET6:
		return a->u.sin6.sin6_port == b->u.sin6.sin6_port &&
		       a->u.sin6.sin6_scope_id == b->u.sin6.sin6_scope_id &&
		       memcmp(&a->u.sin6.sin6_addr, &b->u.sin6.sin6_addr,
			      sizeof(a->u.sin6.sin6_addr)) == 0;
	default:
		return false;
	}
}
