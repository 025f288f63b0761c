/* tcp.c - SIP over TCP: listeners, connection table, framing (see tcp.h). */
#include <errno.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "transport/tcp.h"

#define container_of(ptr, type, member)                                        \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

const struct tcp_config tcp_config_default = {
	.max_conns = 1024,
	.max_in = (size_t)64 * 1024 + 65535,
	.max_out = (size_t)1024 * 1024,
	.idle_ms = 300 * 1000,
	.msg_ms = 10 * 1000,
	.lim = NULL,
};

#define TCP_IN_INITIAL ((size_t)16 * 1024)
/* A drained output queue larger than this is freed. */
#define TCP_OUT_KEEP	    ((size_t)64 * 1024)
#define TCP_CONNS_LIMIT	    (1u << 24)
#define TCP_ACCEPT_PAUSE_MS 100
/* A peer that reset the connection must cost an -EPIPE, not a SIGPIPE that
 * kills the process. */
#define TCP_SEND_FLAGS (MSG_NOSIGNAL | MSG_DONTWAIT)

enum conn_state {
	CONN_CONNECTING, /* connect() in progress: waiting for EV_WRITE */
	CONN_OPEN,
};

enum close_reason {
	CLOSE_QUIET, /* by the owner: not counted */
	CLOSE_PEER,
	CLOSE_IDLE,
	CLOSE_STALLED,
	CLOSE_FRAMING,
	CLOSE_OVERFLOW,
	CLOSE_CONNECT,
};

struct tcp_conn {
	struct tcp_table *t;
	struct ev_io io;
	uint32_t id;
	uint32_t slot;
	enum conn_state state;
	bool dead;     /* closed; freed when busy drops to 0 */
	unsigned busy; /* nested handlers running on this connection */
	struct tp_peer peer;
	struct tcp_conn *hnext; /* address hash chain */

	char *in;
	size_t in_len, in_cap;
	char *out;
	size_t out_head, out_len, out_cap;

	uint64_t last_rx; /* ev_now() of the last byte received */
	struct tw_timer idle;
	struct tw_timer msg;
};

struct tcp_listener {
	struct tcp_table *t;
	struct ev_io io;
	int fd;
	uint16_t id;
	struct tp_addr local;
	struct tw_timer pause; /* accept paused after EMFILE and the like */
};

struct tcp_table {
	struct ev_loop *loop;
	struct tcp_config cfg;
	struct sip_limits lim;
	tcp_rx_fn fn;
	void *arg;
	struct tcp_stats stats;

	/* Connection ids: (generation << slot_bits) | (slot + 1), so an id is
	 * never 0 and a stale id never finds a newer connection in its slot
	 * (until the generation wraps). */
	struct tcp_conn **slots;
	uint32_t *gen;
	uint32_t *free_slots; /* stack of free slot indexes */
	uint32_t nfree;
	unsigned slot_bits;
	uint32_t nconns;

	struct tcp_conn **buckets; /* by remote address */
	uint32_t bucket_mask;

	struct tcp_listener listeners[TCP_LISTEN_MAX];
	unsigned nlisteners;

	struct sip_msg scratch; /* framing scan, reused */
};

static void conn_close(struct tcp_conn *c, enum close_reason why);

/* ------------------------------------------------------------------------ */
/* Framing                                                                   */

enum tcp_frame_kind tcp_frame_next(struct tcp_frame *f, struct sip_msg *m,
				   const char *buf, size_t len,
				   const struct sip_limits *lim)
{
	static const char ping[4] = {'\r', '\n', '\r', '\n'};
	struct sip_err err;
	int rc;

	memset(f, 0, sizeof(*f));
	if (len == 0)
		return f->kind = TCP_FRAME_NEED;
	if (buf[0] == '\r' || buf[0] == '\n') {
		/* RFC 5626 §3.5.1: a double CRLF is a ping, answered by a
		 * single CRLF pong; a lone CRLF is a pong.  Other line ends
		 * before a start line are ignored (RFC 3261 §7.5). */
		if (len >= 4 && memcmp(buf, ping, 4) == 0) {
			f->consumed = 4;
			return f->kind = TCP_FRAME_PING;
		}
		if (len < 4 && memcmp(buf, ping, len) == 0)
			return f->kind = TCP_FRAME_NEED;
		f->consumed =
			(len >= 2 && buf[0] == '\r' && buf[1] == '\n') ? 2 : 1;
		return f->kind = TCP_FRAME_SKIP;
	}
	rc = sip_msg_scan(m, buf, len, SIP_SCAN_STREAM, lim, &err);
	if (rc == -EAGAIN)
		return f->kind = TCP_FRAME_NEED;
	/* An error before the message length is known (m->len == 0) leaves
	 * no way to find the next message: RFC 4475 §3.1.2.3. */
	if (rc && m->len == 0)
		return f->kind = TCP_FRAME_ERROR;
	f->off = (size_t)(m->buf - buf);
	f->len = m->len;
	f->consumed = m->consumed;
	return f->kind = TCP_FRAME_MSG;
}

/* ------------------------------------------------------------------------ */
/* Table bookkeeping                                                         */

static uint32_t addr_hash(const struct tp_addr *a)
{
	const unsigned char *p;
	size_t n;
	uint32_t h = 2166136261u; /* FNV-1a */
	uint16_t port = tp_addr_port(a);

	if (a->u.sa.sa_family == AF_INET6) {
		p = (const unsigned char *)&a->u.sin6.sin6_addr;
		n = sizeof(a->u.sin6.sin6_addr);
	} else {
		p = (const unsigned char *)&a->u.sin.sin_addr;
		n = sizeof(a->u.sin.sin_addr);
	}
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	h = (h ^ (port & 0xff)) * 16777619u;
	h = (h ^ (port >> 8)) * 16777619u;
	return h;
}

static void hash_add(struct tcp_table *t, struct tcp_conn *c)
{
	struct tcp_conn **b =
		&t->buckets[addr_hash(&c->peer.addr) & t->bucket_mask];

	c->hnext = *b;
	*b = c;
}

static void hash_del(struct tcp_table *t, struct tcp_conn *c)
{
	struct tcp_conn **pp =
		&t->buckets[addr_hash(&c->peer.addr) & t->bucket_mask];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			c->hnext = NULL;
			return;
		}
	}
}

static struct tcp_conn *conn_by_id(const struct tcp_table *t, uint32_t id)
{
	uint32_t slot = (id & ((1u << t->slot_bits) - 1)) - 1;
	struct tcp_conn *c;

	if (id == 0 || slot >= t->cfg.max_conns)
		return NULL;
	c = t->slots[slot];
	return c && c->id == id ? c : NULL;
}

static struct tcp_conn *conn_by_addr(const struct tcp_table *t,
				     const struct tp_addr *a)
{
	struct tcp_conn *c = t->buckets[addr_hash(a) & t->bucket_mask];

	for (; c; c = c->hnext)
		if (tp_addr_eq(&c->peer.addr, a))
			return c;
	return NULL;
}

uint32_t tcp_conn_find(const struct tcp_table *t, const struct tp_addr *addr)
{
	const struct tcp_conn *c = conn_by_addr(t, addr);

	return c ? c->id : 0;
}

unsigned tcp_conn_count(const struct tcp_table *t)
{
	return t->nconns;
}

const struct tcp_stats *tcp_table_stats(const struct tcp_table *t)
{
	return &t->stats;
}

/* ------------------------------------------------------------------------ */
/* Connections                                                               */

static void conn_free(struct tcp_conn *c)
{
	free(c->in);
	free(c->out);
	free(c);
}

static void conn_close(struct tcp_conn *c, enum close_reason why)
{
	struct tcp_table *t = c->t;

	if (c->dead)
		return;
	c->dead = true;
	switch (why) {
	case CLOSE_QUIET:
		break;
	case CLOSE_PEER:
		t->stats.closed_peer++;
		break;
	case CLOSE_IDLE:
		t->stats.closed_idle++;
		break;
	case CLOSE_STALLED:
		t->stats.closed_stalled++;
		break;
	case CLOSE_FRAMING:
		t->stats.closed_framing++;
		break;
	case CLOSE_OVERFLOW:
		t->stats.closed_overflow++;
		break;
	case CLOSE_CONNECT:
		t->stats.connect_failed++;
		break;
	}
	/* DESIGN §7.4: forget ourselves everywhere before going. */
	ev_io_stop(t->loop, &c->io);
	close(c->io.fd);
	tw_del(ev_timers(t->loop), &c->idle);
	tw_del(ev_timers(t->loop), &c->msg);
	hash_del(t, c);
	t->slots[c->slot] = NULL;
	t->free_slots[t->nfree++] = c->slot;
	t->nconns--;
	if (c->busy == 0)
		conn_free(c);
}

/* Handlers hold the connection across callbacks that may close it. */
static void conn_hold(struct tcp_conn *c)
{
	c->busy++;
}

static void conn_release(struct tcp_conn *c)
{
	if (--c->busy == 0 && c->dead)
		conn_free(c);
}

static void idle_fire(struct tw_timer *tm)
{
	struct tcp_conn *c = container_of(tm, struct tcp_conn, idle);
	struct tcp_table *t = c->t;
	uint64_t now = ev_now(t->loop);
	uint64_t quiet = now - c->last_rx;

	/* Reads only stamp last_rx; the timer checks lazily, so a busy
	 * connection costs no timer re-arm per read. */
	if (quiet >= t->cfg.idle_ms)
		conn_close(c, CLOSE_IDLE);
	else
		tw_add(ev_timers(t->loop), &c->idle, t->cfg.idle_ms - quiet);
}

static void msg_fire(struct tw_timer *tm)
{
	conn_close(container_of(tm, struct tcp_conn, msg), CLOSE_STALLED);
}

static void conn_io(struct ev_io *io, unsigned revents);

static int conn_new(struct tcp_conn **out, struct tcp_table *t, int fd,
		    const struct tp_addr *peer, enum conn_state state,
		    uint16_t listener)
{
	struct tcp_conn *c;
	uint32_t slot, gen_mask;
	int rc;

	*out = NULL;
	if (t->nfree == 0)
		return -EMFILE;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->in_cap =
		t->cfg.max_in < TCP_IN_INITIAL ? t->cfg.max_in : TCP_IN_INITIAL;
	c->in = malloc(c->in_cap);
	if (!c->in) {
		free(c);
		return -ENOMEM;
	}
	c->t = t;
	c->state = state;
	c->peer.proto = TP_TCP;
	c->peer.addr = *peer;
	c->peer.listener = listener;
	tw_timer_init(&c->idle, idle_fire);
	tw_timer_init(&c->msg, msg_fire);
	rc = ev_io_start(t->loop, &c->io, fd,
			 state == CONN_OPEN ? EV_READ : EV_WRITE, conn_io);
	if (rc) {
		conn_free(c);
		return rc;
	}
	slot = t->free_slots[--t->nfree];
	gen_mask = t->slot_bits >= 32 ? 0 : (UINT32_MAX >> t->slot_bits);
	t->gen[slot] = (t->gen[slot] + 1) & gen_mask;
	c->slot = slot;
	c->id = (t->gen[slot] << t->slot_bits) | (slot + 1);
	c->peer.conn = c->id;
	t->slots[slot] = c;
	t->nconns++;
	hash_add(t, c);
	c->last_rx = ev_now(t->loop);
	if (t->cfg.idle_ms)
		tw_add(ev_timers(t->loop), &c->idle, t->cfg.idle_ms);
	*out = c;
	return 0;
}

static void sock_opts(int fd)
{
	int one = 1;

	/* SIP messages are written whole: do not hold the tail back. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Queue bytes after the first skip bytes of iov (already written). */
static int out_append(struct tcp_conn *c, const struct iovec *iov, int iovcnt,
		      size_t skip, size_t rest)
{
	struct tcp_table *t = c->t;
	size_t need;
	char *p;

	if (c->out_len + rest > t->cfg.max_out) {
		conn_close(c, CLOSE_OVERFLOW);
		return -ENOBUFS;
	}
	need = c->out_len + rest;
	if (c->out_head + need > c->out_cap) {
		if (c->out_head) {
			memmove(c->out, c->out + c->out_head, c->out_len);
			c->out_head = 0;
		}
		if (need > c->out_cap) {
			size_t cap = c->out_cap ? c->out_cap * 2 : 4096;

			while (cap < need)
				cap *= 2;
			if (cap > t->cfg.max_out)
				cap = t->cfg.max_out;
			p = realloc(c->out, cap);
			if (!p) {
				conn_close(c, CLOSE_OVERFLOW);
				return -ENOMEM;
			}
			c->out = p;
			c->out_cap = cap;
		}
	}
	p = c->out + c->out_head + c->out_len;
	for (int i = 0; i < iovcnt; i++) {
		size_t n = iov[i].iov_len;
		const char *b = iov[i].iov_base;

		if (skip >= n) {
			skip -= n;
			continue;
		}
		memcpy(p, b + skip, n - skip);
		p += n - skip;
		skip = 0;
	}
	c->out_len += rest;
	if (c->state == CONN_OPEN && !(c->io.events & EV_WRITE))
		(void)ev_io_set(t->loop, &c->io, EV_READ | EV_WRITE);
	return 0;
}

static int conn_write(struct tcp_conn *c, const struct iovec *iov, int iovcnt)
{
	size_t total = 0;
	ssize_t n = 0;

	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	if (total == 0)
		return 0;
	if (c->state == CONN_OPEN && c->out_len == 0) {
		do {
			n = sendmsg(
				c->io.fd,
				&(struct msghdr){.msg_iov = (struct iovec *)iov,
						 .msg_iovlen = (size_t)iovcnt},
				TCP_SEND_FLAGS);
		} while (n < 0 && errno == EINTR);
		if (n < 0) {
			int err = errno;

			if (err != EAGAIN && err != EWOULDBLOCK) {
				conn_close(c, CLOSE_PEER);
				return -err;
			}
			n = 0;
		}
		c->t->stats.tx_bytes += (size_t)n;
		if ((size_t)n == total)
			return 0;
	}
	return out_append(c, iov, iovcnt, (size_t)n, total - (size_t)n);
}

/* EV_WRITE on an open connection: write what is queued. */
static void conn_flush(struct tcp_conn *c)
{
	struct tcp_table *t = c->t;
	ssize_t n;

	while (c->out_len) {
		n = send(c->io.fd, c->out + c->out_head, c->out_len,
			 TCP_SEND_FLAGS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(c, CLOSE_PEER);
			return;
		}
		t->stats.tx_bytes += (size_t)n;
		c->out_head += (size_t)n;
		c->out_len -= (size_t)n;
	}
	c->out_head = 0;
	if (c->out_cap > TCP_OUT_KEEP) {
		free(c->out);
		c->out = NULL;
		c->out_cap = 0;
	}
	(void)ev_io_set(t->loop, &c->io, EV_READ);
}

/* EV_WRITE while connecting: the outcome of connect(). */
static void conn_connected(struct tcp_conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->io.fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		conn_close(c, CLOSE_CONNECT);
		return;
	}
	c->state = CONN_OPEN;
	c->t->stats.connected++;
	(void)ev_io_set(c->t->loop, &c->io,
			EV_READ | (c->out_len ? EV_WRITE : 0));
}

static bool only_line_ends(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/* Hand on every complete message in the input buffer. */
static void conn_frame(struct tcp_conn *c)
{
	static const struct iovec pong = {.iov_base = "\r\n", .iov_len = 2};
	struct tcp_table *t = c->t;
	struct tw *tw = ev_timers(t->loop);
	struct tcp_frame f;
	bool completed = false;
	size_t off = 0;

	while (!c->dead) {
		switch (tcp_frame_next(&f, &t->scratch, c->in + off,
				       c->in_len - off, &t->lim)) {
		case TCP_FRAME_NEED:
			goto done;
		case TCP_FRAME_PING:
			t->stats.keepalive_pongs++;
			(void)conn_write(c, &pong, 1);
			break;
		case TCP_FRAME_SKIP:
			break;
		case TCP_FRAME_MSG:
			t->stats.rx_messages++;
			completed = true;
			t->fn(t->arg, c->in + off + f.off, f.len, &c->peer);
			break;
		case TCP_FRAME_ERROR:
			conn_close(c, CLOSE_FRAMING);
			return;
		}
		off += f.consumed;
	}
done:
	if (c->dead)
		return;
	if (off) {
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
	}
	/* Give back what one big message made the buffer grow to, so idle
	 * connections hold only TCP_IN_INITIAL bytes each. */
	if (c->in_len == 0 && c->in_cap > TCP_IN_INITIAL) {
		char *p = realloc(c->in, TCP_IN_INITIAL);

		if (p) {
			c->in = p;
			c->in_cap = TCP_IN_INITIAL;
		}
	}
	/* The message timer runs from the first byte of a message to its
	 * last; a completed message restarts it for the next one. */
	if (c->in_len == 0 || only_line_ends(c->in, c->in_len))
		tw_del(tw, &c->msg);
	else if (t->cfg.msg_ms && (completed || !tw_armed(&c->msg)))
		tw_add(tw, &c->msg, t->cfg.msg_ms);
}

/* EV_READ: read until the socket is drained (correct for level- and
 * edge-triggered loops alike). */
static void conn_read(struct tcp_conn *c)
{
	struct tcp_table *t = c->t;
	ssize_t n;

	while (!c->dead) {
		if (c->in_len == c->in_cap) {
			size_t cap = c->in_cap * 2;
			char *p;

			if (c->in_cap >= t->cfg.max_in) {
				conn_close(c, CLOSE_OVERFLOW);
				return;
			}
			if (cap > t->cfg.max_in)
				cap = t->cfg.max_in;
			p = realloc(c->in, cap);
			if (!p) {
				conn_close(c, CLOSE_OVERFLOW);
				return;
			}
			c->in = p;
			c->in_cap = cap;
		}
		n = read(c->io.fd, c->in + c->in_len, c->in_cap - c->in_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(c, CLOSE_PEER);
			return;
		}
		c->in_len += (size_t)n;
		c->last_rx = ev_now(t->loop);
		conn_frame(c);
	}
}

static void conn_io(struct ev_io *io, unsigned revents)
{
	struct tcp_conn *c = container_of(io, struct tcp_conn, io);

	conn_hold(c);
	if (revents & EV_WRITE) {
		if (c->state == CONN_CONNECTING)
			conn_connected(c);
		if (!c->dead && c->state == CONN_OPEN)
			conn_flush(c);
	}
	if ((revents & EV_READ) && !c->dead && c->state == CONN_OPEN)
		conn_read(c);
	conn_release(c);
}

/* ------------------------------------------------------------------------ */
/* Listeners and connect                                                     */

static void listener_resume(struct tw_timer *tm)
{
	struct tcp_listener *l = container_of(tm, struct tcp_listener, pause);

	(void)ev_io_set(l->t->loop, &l->io, EV_READ);
}

static void listener_io(struct ev_io *io, unsigned revents)
{
	struct tcp_listener *l = container_of(io, struct tcp_listener, io);
	struct tcp_table *t = l->t;
	struct tcp_conn *c;
	struct tp_addr peer;
	int fd;

	(void)revents;
	for (;;) {
		memset(&peer, 0, sizeof(peer));
		peer.len = sizeof(peer.u);
		fd = accept4(l->fd, &peer.u.sa, &peer.len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			/* EMFILE, ENFILE, ENOBUFS, ENOMEM: the pending
			 * connection stays in the backlog and the listener
			 * stays readable, so a level-triggered loop would
			 * spin.  Pause accepting for a while instead. */
			t->stats.accept_errors++;
			if (ev_io_set(t->loop, &l->io, 0) == 0)
				tw_add(ev_timers(t->loop), &l->pause,
				       TCP_ACCEPT_PAUSE_MS);
			return;
		}
		if (t->nconns >= t->cfg.max_conns) {
			t->stats.refused++;
			close(fd);
			continue;
		}
		sock_opts(fd);
		if (conn_new(&c, t, fd, &peer, CONN_OPEN, l->id)) {
			t->stats.refused++;
			close(fd);
			continue;
		}
		t->stats.accepted++;
	}
}

int tcp_listen(struct tcp_table *t, const struct tp_addr *addr,
	       uint16_t listener)
{
	struct tcp_listener *l;
	int one = 1;
	int fd = -1;
	int rc;

	if (t->nlisteners == TCP_LISTEN_MAX)
		return -ENOSPC;
	if (addr->u.sa.sa_family != AF_INET && addr->u.sa.sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	l = &t->listeners[t->nlisteners];
	fd = socket(addr->u.sa.sa_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) ||
	    (addr->u.sa.sa_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, &addr->u.sa, addr->len) || listen(fd, SOMAXCONN)) {
		rc = -errno;
		goto out;
	}
	memset(&l->local, 0, sizeof(l->local));
	l->local.len = sizeof(l->local.u);
	if (getsockname(fd, &l->local.u.sa, &l->local.len)) {
		rc = -errno;
		goto out;
	}
	l->t = t;
	l->fd = fd;
	l->id = listener;
	tw_timer_init(&l->pause, listener_resume);
	rc = ev_io_start(t->loop, &l->io, fd, EV_READ, listener_io);
	if (rc)
		goto out;
	t->nlisteners++;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int tcp_listener_local(const struct tcp_table *t, uint16_t listener,
		       struct tp_addr *out)
{
	for (unsigned i = 0; i < t->nlisteners; i++) {
		if (t->listeners[i].id == listener) {
			*out = t->listeners[i].local;
			return 0;
		}
	}
	return -ENOENT;
}

int tcp_connect(uint32_t *out, struct tcp_table *t, const struct tp_addr *dst)
{
	struct tcp_conn *c;
	enum conn_state state = CONN_CONNECTING;
	int fd;
	int rc;

	*out = 0;
	if (dst->u.sa.sa_family != AF_INET && dst->u.sa.sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (t->nconns >= t->cfg.max_conns)
		return -EMFILE;
	fd = socket(dst->u.sa.sa_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	sock_opts(fd);
	if (connect(fd, &dst->u.sa, dst->len) == 0) {
		state = CONN_OPEN;
	} else if (errno != EINPROGRESS) {
		rc = -errno;
		goto out;
	}
	rc = conn_new(&c, t, fd, dst, state, 0);
	if (rc)
		goto out;
	if (state == CONN_OPEN)
		t->stats.connected++;
	*out = c->id;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int tcp_send(struct tcp_table *t, const struct tp_peer *dst,
	     const struct iovec *iov, int iovcnt)
{
	struct tcp_conn *c;
	uint32_t id;
	int rc;

	if (dst->conn) {
		c = conn_by_id(t, dst->conn);
		if (!c)
			return -ENOTCONN;
	} else {
		c = conn_by_addr(t, &dst->addr);
		if (!c) {
			rc = tcp_connect(&id, t, &dst->addr);
			if (rc)
				return rc;
			c = conn_by_id(t, id);
		}
	}
	return conn_write(c, iov, iovcnt);
}

void tcp_close(struct tcp_table *t, uint32_t conn)
{
	struct tcp_conn *c = conn_by_id(t, conn);

	if (c)
		conn_close(c, CLOSE_QUIET);
}

static int tcp_sender_send(void *arg, const struct tp_peer *dst,
			   const struct iovec *iov, int iovcnt)
{
	if (dst->proto != TP_TCP)
		return -EPROTONOSUPPORT;
	return tcp_send(arg, dst, iov, iovcnt);
}

struct tp_sender tcp_table_sender(struct tcp_table *t)
{
	return (struct tp_sender){.send = tcp_sender_send, .arg = t};
}

/* ------------------------------------------------------------------------ */
/* Table                                                                     */

int tcp_table_new(struct tcp_table **out, struct ev_loop *loop,
		  const struct tcp_config *cfg, tcp_rx_fn fn, void *arg)
{
	struct tcp_table *t;
	uint32_t nb = 16;
	int rc = -ENOMEM;

	*out = NULL;
	if (!cfg)
		cfg = &tcp_config_default;
	if (cfg->max_conns == 0 || cfg->max_conns > TCP_CONNS_LIMIT ||
	    cfg->max_in < 64 || cfg->max_out < 64 || !fn)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->cfg = *cfg;
	t->lim = cfg->lim ? *cfg->lim : sip_limits_default;
	t->fn = fn;
	t->arg = arg;
	while (nb < cfg->max_conns)
		nb <<= 1;
	t->bucket_mask = nb - 1;
	t->slot_bits = 1;
	while ((1u << t->slot_bits) <= cfg->max_conns)
		t->slot_bits++;
	t->slots = calloc(cfg->max_conns, sizeof(struct tcp_conn *));
	t->gen = calloc(cfg->max_conns, sizeof(*t->gen));
	t->free_slots = calloc(cfg->max_conns, sizeof(*t->free_slots));
	t->buckets = calloc(nb, sizeof(struct tcp_conn *));
	if (!t->slots || !t->gen || !t->free_slots || !t->buckets)
		goto out;
	/* Lowest slots first out of the stack. */
	for (uint32_t i = 0; i < cfg->max_conns; i++)
		t->free_slots[i] = cfg->max_conns - 1 - i;
	t->nfree = cfg->max_conns;
	*out = t;
	t = NULL;
	rc = 0;
out:
	tcp_table_free(t);
	return rc;
}

void tcp_table_free(struct tcp_table *t)
{
	if (!t)
		return;
	if (t->slots) {
		for (uint32_t i = 0; i < t->cfg.max_conns; i++)
			if (t->slots[i])
				conn_close(t->slots[i], CLOSE_QUIET);
	}
	for (unsigned i = 0; i < t->nlisteners; i++) {
		tw_del(ev_timers(t->loop), &t->listeners[i].pause);
		ev_io_stop(t->loop, &t->listeners[i].io);
		close(t->listeners[i].fd);
	}
	free(t->slots);
	free(t->gen);
	free(t->free_slots);
	free(t->buckets);
	free(t);
}
