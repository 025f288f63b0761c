/* test_tcp.c - SIP over TCP (src/transport/tcp.c): framing as a pure
 * function, then listeners, connections and limits on a real ev_loop over
 * loopback (127.0.0.1, ::1) only. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "transport/tcp.h"

#define MSG1                                                                   \
	"OPTIONS sip:x@example.com SIP/2.0\r\n"                                \
	"Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n"                  \
	"From: <sip:a@example.com>;tag=1\r\n"                                  \
	"To: <sip:x@example.com>\r\n"                                          \
	"Call-ID: c1\r\n"                                                      \
	"CSeq: 1 OPTIONS\r\n"                                                  \
	"Max-Forwards: 70\r\n"                                                 \
	"Content-Length: 5\r\n"                                                \
	"\r\n"                                                                 \
	"hello"
#define MSG2                                                                   \
	"SIP/2.0 200 OK\r\n"                                                   \
	"Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n"                  \
	"From: <sip:a@example.com>;tag=1\r\n"                                  \
	"To: <sip:x@example.com>;tag=2\r\n"                                    \
	"Call-ID: c1\r\n"                                                      \
	"CSeq: 1 OPTIONS\r\n"                                                  \
	"Content-Length: 0\r\n"                                                \
	"\r\n"
/* Framed (Content-Length known) but without CSeq: still handed on. */
#define MSG_NOCSEQ                                                             \
	"BYE sip:x@example.com SIP/2.0\r\n"                                    \
	"Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK2\r\n"                  \
	"From: <sip:a@example.com>;tag=1\r\n"                                  \
	"To: <sip:x@example.com>;tag=2\r\n"                                    \
	"Call-ID: c2\r\n"                                                      \
	"Content-Length: 0\r\n"                                                \
	"\r\n"
#define BAD_CL "INVITE sip:x SIP/2.0\r\nContent-Length: -5\r\n\r\n"

static char msg1[] = MSG1;
static char msg2[] = MSG2;

/* ------------------------------------------------------------------------ */
/* Pure framing                                                              */

static struct sip_msg scratch;

static enum tcp_frame_kind frame(struct tcp_frame *f, const char *s, size_t n)
{
	struct guarded g = guard_bytes(s, n);
	enum tcp_frame_kind k = tcp_frame_next(f, &scratch, g.p, g.len, NULL);

	guard_free(&g);
	return k;
}

static void test_frame(void **state)
{
	static const char two[] = MSG1 MSG2;
	static const char crlf_msg[] = "\r\n" MSG2;
	struct tcp_frame f;

	(void)state;
	assert_int_equal(frame(&f, "", 0), TCP_FRAME_NEED);
	assert_int_equal(frame(&f, two, sizeof(two) - 1), TCP_FRAME_MSG);
	assert_int_equal(f.off, 0);
	assert_int_equal(f.len, sizeof(MSG1) - 1);
	assert_int_equal(f.consumed, sizeof(MSG1) - 1);
	assert_int_equal(frame(&f, two + f.consumed, sizeof(MSG2) - 1),
			 TCP_FRAME_MSG);
	assert_int_equal(f.len, sizeof(MSG2) - 1);
	/* Every proper prefix needs more. */
	for (size_t n = 1; n < sizeof(MSG1) - 1; n++)
		if (frame(&f, MSG1, n) != TCP_FRAME_NEED)
			fail_msg("prefix %zu", n);
	/* RFC 5626 §3.5.1 keep-alives. */
	assert_int_equal(frame(&f, "\r\n\r\n", 4), TCP_FRAME_PING);
	assert_int_equal(f.consumed, 4);
	assert_int_equal(frame(&f, "\r\n\r\nOPT", 7), TCP_FRAME_PING);
	assert_int_equal(frame(&f, "\r", 1), TCP_FRAME_NEED);
	assert_int_equal(frame(&f, "\r\n", 2), TCP_FRAME_NEED);
	assert_int_equal(frame(&f, "\r\n\r", 3), TCP_FRAME_NEED);
	assert_int_equal(frame(&f, crlf_msg, sizeof(crlf_msg) - 1),
			 TCP_FRAME_SKIP);
	assert_int_equal(f.consumed, 2);
	assert_int_equal(frame(&f, "\nX", 2), TCP_FRAME_SKIP);
	assert_int_equal(f.consumed, 1);
	/* Unframeable: RFC 4475 §3.1.2.3. */
	assert_int_equal(frame(&f, "HELLO\r\n\r\n", 9), TCP_FRAME_ERROR);
	assert_int_equal(frame(&f, BAD_CL, sizeof(BAD_CL) - 1),
			 TCP_FRAME_ERROR);
	assert_int_equal(
		frame(&f, "INVITE sip:x SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n", 40),
		TCP_FRAME_ERROR); /* no Content-Length on a stream */
	/* Framed but malformed: handed on. */
	assert_int_equal(frame(&f, MSG_NOCSEQ, sizeof(MSG_NOCSEQ) - 1),
			 TCP_FRAME_MSG);
	assert_int_equal(f.len, sizeof(MSG_NOCSEQ) - 1);
}

static void test_frame_too_large(void **state)
{
	struct sip_limits lim = sip_limits_default;
	static char big[4096];
	struct tcp_frame f;
	int n;

	(void)state;
	lim.max_msg_size = 1024;
	n = snprintf(big, sizeof(big),
		     "MESSAGE sip:x SIP/2.0\r\nContent-Length: 2000\r\n\r\n");
	assert_int_equal(tcp_frame_next(&f, &scratch, big, (size_t)n, &lim),
			 TCP_FRAME_ERROR);
	/* A header section that never ends. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "MESSAGE sip:x SIP/2.0\r\nX: ", 26);
	assert_int_equal(tcp_frame_next(&f, &scratch, big, 1000, &lim),
			 TCP_FRAME_NEED);
	assert_int_equal(tcp_frame_next(&f, &scratch, big, sizeof(big), &lim),
			 TCP_FRAME_ERROR);
}

/* ------------------------------------------------------------------------ */
/* On a loop                                                                 */

#define RX_MAX 16

struct rx {
	unsigned n;
	struct tp_peer src[RX_MAX];
	char buf[RX_MAX][512];
	size_t len[RX_MAX];
	bool reply; /* answer MSG2 from inside the callback */
};

static struct ev_loop *loop;
static struct tcp_table *srv;
static struct tp_addr srv_addr;
static struct rx rx;

static void on_rx(void *arg, const char *buf, size_t len,
		  const struct tp_peer *src)
{
	struct rx *r = arg;

	assert_int_equal(src->proto, TP_TCP);
	assert_int_not_equal(src->conn, 0);
	if (r->n < RX_MAX) {
		r->src[r->n] = *src;
		r->len[r->n] = len;
		memcpy(r->buf[r->n], buf, len < 512 ? len : 512);
	}
	r->n++;
	if (r->reply && r == &rx) {
		struct iovec iov = {.iov_base = MSG2,
				    .iov_len = sizeof(MSG2) - 1};

		assert_int_equal(tcp_send(srv, src, &iov, 1), 0);
	}
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct {
	struct tw_timer tick;
	uint64_t deadline;
	bool (*pred)(void);
} run;

static void tick_fire(struct tw_timer *t)
{
	if (mono_ms() >= run.deadline || (run.pred && run.pred()))
		ev_stop(loop);
	else
		tw_add(ev_timers(loop), t, 5);
}

/* Run the loop until pred() holds or ms pass. */
static void run_until(bool (*pred)(void), unsigned ms)
{
	run.deadline = mono_ms() + ms;
	run.pred = pred;
	tw_timer_init(&run.tick, tick_fire);
	tw_add(ev_timers(loop), &run.tick, 0);
	assert_int_equal(ev_run(loop), 0);
	tw_del(ev_timers(loop), &run.tick);
}

static void run_for(unsigned ms)
{
	run_until(NULL, ms);
}

static unsigned want_rx;
static bool rx_reached(void)
{
	return rx.n >= want_rx;
}

static void run_until_rx(unsigned n)
{
	want_rx = n;
	run_until(rx_reached, 2000);
}

static int setup_cfg(const struct tcp_config *cfg, const char *host)
{
	memset(&rx, 0, sizeof(rx));
	if (ev_loop_new(&loop))
		return -1;
	if (tcp_table_new(&srv, loop, cfg, on_rx, &rx))
		return -1;
	if (tp_addr_from(&srv_addr, sv_from_cstr(host), 0))
		return -1;
	if (tcp_listen(srv, &srv_addr, 3))
		return -1;
	return tcp_listener_local(srv, 3, &srv_addr);
}

static int setup(void **state)
{
	(void)state;
	return setup_cfg(NULL, "127.0.0.1");
}

static int setup_v6(void **state)
{
	(void)state;
	return setup_cfg(NULL, "::1");
}

static int setup_short(void **state)
{
	struct tcp_config cfg = tcp_config_default;

	(void)state;
	cfg.max_conns = 4;
	cfg.msg_ms = 200;
	cfg.idle_ms = 400;
	cfg.max_in = 1024;
	cfg.max_out = 8192;
	return setup_cfg(&cfg, "127.0.0.1");
}

static int teardown(void **state)
{
	(void)state;
	tcp_table_free(srv);
	ev_loop_free(loop);
	srv = NULL;
	loop = NULL;
	return 0;
}

/* A blocking client socket connected to the server (the kernel completes
 * the handshake from the listen backlog before the loop accepts). */
static int client(void)
{
	int fd = socket(srv_addr.u.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, &srv_addr.u.sa, srv_addr.len), 0);
	return fd;
}

static void put(int fd, const char *s, size_t n)
{
	assert_int_equal(write(fd, s, n), (ssize_t)n);
}

static void puts_(int fd, const char *s)
{
	put(fd, s, strlen(s));
}

/* Bytes waiting for the client, without blocking. */
static ssize_t get(int fd, char *buf, size_t cap)
{
	return recv(fd, buf, cap, MSG_DONTWAIT);
}

static bool closed_by_server(int fd)
{
	char c[256];
	ssize_t n;

	while ((n = get(fd, c, sizeof(c))) > 0)
		;
	return n == 0 || (n < 0 && errno == ECONNRESET);
}

static void local_of(int fd, struct tp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->len = sizeof(a->u);
	assert_int_equal(getsockname(fd, &a->u.sa, &a->len), 0);
}

static void assert_rx(unsigned i, const char *want)
{
	assert_int_equal(rx.len[i], strlen(want));
	assert_memory_equal(rx.buf[i], want, strlen(want));
}

static void stream_cases(void)
{
	static const char two[] = MSG1 MSG2;
	const size_t n1 = sizeof(MSG1) - 1;
	struct tp_addr me;
	int fd = client();

	local_of(fd, &me);
	put(fd, two, sizeof(two) - 1);
	run_until_rx(2);
	assert_int_equal(rx.n, 2);
	assert_rx(0, MSG1);
	assert_rx(1, MSG2);
	/* One message in three writes, the loop running between them. */
	put(fd, MSG1, 10);
	run_for(20);
	put(fd, &msg1[10], n1 - 20);
	run_for(20);
	assert_int_equal(rx.n, 2);
	put(fd, &msg1[n1 - 10], 10);
	run_until_rx(3);
	assert_int_equal(rx.n, 3);
	assert_rx(2, MSG1);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(rx.src[i].proto, TP_TCP);
		assert_int_equal(rx.src[i].conn, rx.src[0].conn);
		assert_int_equal(rx.src[i].listener, 3);
		assert_true(tp_addr_eq(&rx.src[i].addr, &me));
	}
	assert_int_equal(tcp_table_stats(srv)->rx_messages, 3);
	assert_int_equal(tcp_table_stats(srv)->accepted, 1);
	assert_int_equal(tcp_conn_count(srv), 1);
	close(fd);
	run_for(20);
	assert_int_equal(tcp_conn_count(srv), 0);
	assert_int_equal(tcp_table_stats(srv)->closed_peer, 1);
}

static void test_stream_v4(void **state)
{
	(void)state;
	stream_cases();
}

static void test_stream_v6(void **state)
{
	(void)state;
	stream_cases();
}

static void test_garbage_closes(void **state)
{
	int a = client(), b = client(), good = client();

	(void)state;
	put(good, MSG1, 30); /* half a message, in flight meanwhile */
	puts_(a, "HELLO\r\n\r\n");
	puts_(b, BAD_CL);
	run_for(50);
	assert_true(closed_by_server(a));
	assert_true(closed_by_server(b));
	assert_int_equal(tcp_table_stats(srv)->closed_framing, 2);
	assert_int_equal(rx.n, 0);
	/* The other connection goes on untouched. */
	puts_(good, &msg1[30]);
	puts_(good, MSG_NOCSEQ); /* malformed but framed: handed on */
	puts_(good, MSG2);
	run_until_rx(3);
	assert_int_equal(rx.n, 3);
	assert_rx(0, MSG1);
	assert_rx(1, MSG_NOCSEQ);
	assert_rx(2, MSG2);
	assert_false(closed_by_server(good));
	assert_int_equal(tcp_conn_count(srv), 1);
	close(a);
	close(b);
	close(good);
}

static bool no_conns(void)
{
	return tcp_conn_count(srv) == 0;
}

static void test_stalled_message(void **state)
{
	int fd = client(), busy = client();
	uint64_t t0 = mono_ms(), dt;

	(void)state;
	put(fd, MSG1, 40);
	/* busy keeps completing messages: neither timer closes it. */
	for (int i = 0; i < 6; i++) {
		puts_(busy, MSG2);
		run_for(60);
	}
	assert_true(closed_by_server(fd));
	dt = mono_ms() - t0;
	assert_true(dt >= 200);
	assert_int_equal(tcp_table_stats(srv)->closed_stalled, 1);
	assert_false(closed_by_server(busy));
	assert_int_equal(rx.n, 6);
	/* Now busy goes quiet: idle (400 ms) closes it. */
	run_until(no_conns, 2000);
	assert_true(closed_by_server(busy));
	assert_int_equal(tcp_table_stats(srv)->closed_idle, 1);
	close(fd);
	close(busy);
}

static void test_max_conns(void **state)
{
	int fd[6];

	(void)state;
	for (int i = 0; i < 6; i++) {
		fd[i] = client();
		run_for(10); /* accept in order */
	}
	assert_int_equal(tcp_conn_count(srv), 4);
	assert_int_equal(tcp_table_stats(srv)->accepted, 4);
	assert_int_equal(tcp_table_stats(srv)->refused, 2);
	assert_true(closed_by_server(fd[4]));
	assert_true(closed_by_server(fd[5]));
	for (int i = 0; i < 4; i++)
		puts_(fd[i], MSG2);
	run_until_rx(4);
	assert_int_equal(rx.n, 4);
	for (int i = 0; i < 4; i++) {
		assert_false(closed_by_server(fd[i]));
		for (int j = 0; j < i; j++)
			assert_int_not_equal(rx.src[i].conn, rx.src[j].conn);
	}
	for (int i = 0; i < 6; i++)
		close(fd[i]);
}

static void test_reply_same_conn(void **state)
{
	int a = client(), b = client();
	struct tp_sender snd = tcp_table_sender(srv);
	struct iovec iov[2] = {
		{.iov_base = MSG2, .iov_len = 20},
		{.iov_base = &msg2[20], .iov_len = sizeof(MSG2) - 21},
	};
	char buf[1024];
	struct tp_peer gone;

	(void)state;
	puts_(a, MSG1);
	run_until_rx(1);
	puts_(b, MSG1);
	run_until_rx(2);
	assert_int_not_equal(rx.src[0].conn, rx.src[1].conn);
	/* The response goes back on the request's connection (§18.2.2). */
	assert_int_equal(snd.send(snd.arg, &rx.src[1], iov, 2), 0);
	assert_int_equal(get(b, buf, sizeof(buf)), sizeof(MSG2) - 1);
	assert_memory_equal(buf, MSG2, sizeof(MSG2) - 1);
	assert_true(get(a, buf, sizeof(buf)) < 0);
	/* From inside the callback, too. */
	rx.reply = true;
	puts_(a, MSG1);
	run_until_rx(3);
	assert_int_equal(get(a, buf, sizeof(buf)), sizeof(MSG2) - 1);
	assert_int_equal(tcp_table_stats(srv)->tx_bytes,
			 2 * (sizeof(MSG2) - 1));
	/* A closed connection's id is not reused for another. */
	gone = rx.src[0];
	tcp_close(srv, gone.conn);
	assert_int_equal(snd.send(snd.arg, &gone, iov, 2), -ENOTCONN);
	gone.proto = TP_UDP;
	assert_int_equal(snd.send(snd.arg, &gone, iov, 2), -EPROTONOSUPPORT);
	assert_true(closed_by_server(a));
	close(a);
	close(b);
}

static void test_keepalive(void **state)
{
	int fd = client();
	char buf[16];

	(void)state;
	puts_(fd, "\r\n\r\n");
	run_for(30);
	assert_int_equal(get(fd, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "\r\n", 2);
	/* Ping split over writes, then a pong-like lone CRLF + message. */
	puts_(fd, "\r\n");
	run_for(20);
	puts_(fd, "\r\n\r\n" MSG2);
	run_until_rx(1);
	assert_int_equal(get(fd, buf, sizeof(buf)), 2);
	assert_rx(0, MSG2);
	assert_int_equal(tcp_table_stats(srv)->keepalive_pongs, 2);
	close(fd);
}

static void test_out_overflow(void **state)
{
	int fd = client(), other = client();
	int small = 4096;
	static char blob[4096];
	struct iovec iov = {.iov_base = blob, .iov_len = sizeof(blob)};
	int rc = 0;

	(void)state;
	memset(blob, 'x', sizeof(blob));
	assert_int_equal(
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)),
		0);
	puts_(fd, MSG2);
	puts_(other, MSG2);
	run_until_rx(2);
	/* The client never reads: kernel buffers fill, then the 8 KiB
	 * queue, then the connection is closed. */
	for (int i = 0; i < 100000 && rc == 0; i++)
		rc = tcp_send(srv, &rx.src[0], &iov, 1);
	assert_int_equal(rc, -ENOBUFS);
	assert_int_equal(tcp_table_stats(srv)->closed_overflow, 1);
	assert_int_equal(tcp_conn_count(srv), 1);
	assert_int_equal(tcp_send(srv, &rx.src[0], &iov, 1), -ENOTCONN);
	iov.iov_len = 10;
	assert_int_equal(tcp_send(srv, &rx.src[1], &iov, 1), 0);
	close(fd);
	close(other);
}

static void test_in_overflow(void **state)
{
	int fd = client();
	static char blob[2048];
	int n;

	(void)state;
	/* Framing allows 65535 bytes, but max_in is 1024 here. */
	n = snprintf(blob, sizeof(blob),
		     "MESSAGE sip:x SIP/2.0\r\nContent-Length: 1500\r\n\r\n");
	memset(blob + n, 'b', sizeof(blob) - (size_t)n);
	put(fd, blob, sizeof(blob));
	run_for(50);
	assert_true(closed_by_server(fd));
	assert_int_equal(tcp_table_stats(srv)->closed_overflow, 1);
	close(fd);
}

/* Writing to a connection the peer has closed is an error return, never a
 * SIGPIPE. */
static void test_peer_gone(void **state)
{
	int fd = client(), other = client();
	struct iovec iov = {.iov_base = msg2, .iov_len = sizeof(MSG2) - 1};
	int rc = 0;

	(void)state;
	puts_(fd, MSG1);
	puts_(other, MSG1);
	run_until_rx(2);
	close(fd);
	for (int i = 0; i < 50 && rc == 0; i++) {
		rc = tcp_send(srv, &rx.src[0], &iov, 1);
		usleep(5000);
	}
	assert_true(rc == -EPIPE || rc == -ECONNRESET);
	assert_int_equal(tcp_send(srv, &rx.src[0], &iov, 1), -ENOTCONN);
	assert_int_equal(tcp_send(srv, &rx.src[1], &iov, 1), 0);
	close(other);
}

static bool one_conn(void)
{
	return tcp_conn_count(srv) == 1;
}

/* Out of fds: accept pauses instead of spinning, then resumes. */
static void test_accept_emfile(void **state)
{
	struct rlimit old, low;
	int fd = client(), lowest;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* The kernel hands out the lowest free fd: a limit at it makes
	 * every new fd fail with EMFILE. */
	lowest = dup(0);
	assert_true(lowest >= 0);
	close(lowest);
	low = old;
	low.rlim_cur = (rlim_t)lowest;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	run_for(30);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_true(tcp_table_stats(srv)->accept_errors >= 1);
	assert_true(tcp_table_stats(srv)->accept_errors <= 3);
	assert_int_equal(tcp_conn_count(srv), 0);
	run_until(one_conn, 1000);
	assert_int_equal(tcp_conn_count(srv), 1);
	puts_(fd, MSG2);
	run_until_rx(1);
	assert_int_equal(rx.n, 1);
	close(fd);
}

/* A second table on the same loop is the client side. */
static struct rx crx;
static bool crx_reached(void)
{
	return crx.n >= 1 && rx.n >= 2;
}

static void test_connect_reuse(void **state)
{
	struct tcp_table *cli;
	struct tp_peer to = {.proto = TP_TCP, .addr = srv_addr};
	struct iovec iov = {.iov_base = MSG1, .iov_len = sizeof(MSG1) - 1};
	struct tp_addr dead;
	uint32_t id;
	int fd;

	(void)state;
	memset(&crx, 0, sizeof(crx));
	assert_int_equal(tcp_table_new(&cli, loop, NULL, on_rx, &crx), 0);
	rx.reply = true;
	/* Queued while connecting, sent once connected. */
	assert_int_equal(tcp_send(cli, &to, &iov, 1), 0);
	id = tcp_conn_find(cli, &srv_addr);
	assert_int_not_equal(id, 0);
	assert_int_equal(tcp_send(cli, &to, &iov, 1), 0);
	assert_int_equal(tcp_conn_count(cli), 1); /* §18.1.1: reused */
	run_until(crx_reached, 2000);
	assert_int_equal(rx.n, 2);
	assert_rx(0, MSG1);
	assert_rx(1, MSG1);
	assert_true(crx.n >= 1);
	assert_int_equal(crx.src[0].conn, id);
	assert_true(tp_addr_eq(&crx.src[0].addr, &srv_addr));
	assert_int_equal(tcp_table_stats(cli)->connected, 1);

	/* A port nobody listens on: the connect fails, counted. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(tp_addr_from(&dead, SV("127.0.0.1"), 0), 0);
	assert_int_equal(bind(fd, &dead.u.sa, dead.len), 0);
	local_of(fd, &dead);
	close(fd);
	to.addr = dead;
	assert_int_equal(tcp_send(cli, &to, &iov, 1), 0);
	run_until(NULL, 50);
	assert_int_equal(tcp_table_stats(cli)->connect_failed, 1);
	assert_int_equal(tcp_conn_find(cli, &dead), 0);
	assert_int_equal(tcp_conn_count(cli), 1);
	tcp_table_free(cli);
	assert_int_equal(tcp_table_new(&cli, loop, NULL, NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_frame_too_large),
		cmocka_unit_test_setup_teardown(test_stream_v4, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stream_v6, setup_v6,
						teardown),
		cmocka_unit_test_setup_teardown(test_garbage_closes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stalled_message,
						setup_short, teardown),
		cmocka_unit_test_setup_teardown(test_max_conns, setup_short,
						teardown),
		cmocka_unit_test_setup_teardown(test_reply_same_conn, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keepalive, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_out_overflow, setup_short,
						teardown),
		cmocka_unit_test_setup_teardown(test_in_overflow, setup_short,
						teardown),
		cmocka_unit_test_setup_teardown(test_connect_reuse, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_peer_gone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_accept_emfile, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
