/* test_udp.c - batched UDP sockets (src/transport/udp.c), loopback only. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "transport/udp.h"

#define NMSG 100

struct rx {
	unsigned n;
	struct tp_addr from[NMSG];
	char data[NMSG][64];
	size_t len[NMSG];
};

static void on_rx(void *arg, const char *buf, size_t len,
		  const struct tp_peer *src)
{
	struct rx *r = arg;

	assert_int_equal(src->proto, TP_UDP);
	assert_int_equal(src->conn, 0);
	assert_int_equal(src->listener, 7);
	if (r->n < NMSG) {
		r->from[r->n] = src->addr;
		r->len[r->n] = len;
		memcpy(r->data[r->n], buf, len < 64 ? len : 64);
	}
	r->n++;
}

/* Receive until want datagrams came or a second passes without any. */
static void recv_until(struct udp_sock *s, struct rx *r, unsigned want)
{
	struct pollfd p = {.fd = udp_sock_fd(s), .events = POLLIN};

	while (r->n < want) {
		int rc = udp_recv_batch(s, on_rx, r);

		assert_true(rc >= 0);
		if (rc == 0 && poll(&p, 1, 1000) != 1)
			break;
	}
}

static struct udp_sock *open_on(const char *host, uint16_t port,
				const struct udp_config *cfg,
				struct tp_addr *local)
{
	struct udp_config c = cfg ? *cfg : udp_config_default;
	struct udp_sock *s;
	struct tp_addr a;

	c.listener = 7;
	assert_int_equal(tp_addr_from(&a, sv_from_cstr(host), port), 0);
	assert_int_equal(udp_sock_open(&s, &a, &c), 0);
	assert_int_equal(udp_sock_local(s, local), 0);
	assert_int_not_equal(tp_addr_port(local), 0);
	return s;
}

static void exchange(const char *host)
{
	struct tp_addr la, lb;
	struct udp_sock *a = open_on(host, 0, NULL, &la);
	struct udp_sock *b = open_on(host, 0, NULL, &lb);
	const struct udp_stats *st;
	static struct rx r;
	char msg[32];

	memset(&r, 0, sizeof(r));
	for (int i = 0; i < NMSG; i++) {
		struct iovec iov[2] = {
			{.iov_base = "msg ", .iov_len = 4},
			{.iov_base = msg,
			 .iov_len =
				 (size_t)snprintf(msg, sizeof(msg), "%d", i)},
		};

		assert_int_equal(udp_send(a, &lb, iov, 2), 0);
	}
	assert_true(udp_pending(a) > 0);
	assert_int_equal(udp_flush(a), 0);
	assert_int_equal(udp_pending(a), 0);
	recv_until(b, &r, NMSG);
	assert_int_equal(r.n, NMSG);
	for (int i = 0; i < NMSG; i++) {
		int n = snprintf(msg, sizeof(msg), "msg %d", i);

		/* Loopback keeps order. */
		assert_int_equal(r.len[i], n);
		assert_memory_equal(r.data[i], msg, (size_t)n);
		assert_true(tp_addr_eq(&r.from[i], &la));
	}
	st = udp_sock_stats(a);
	assert_int_equal(st->tx_datagrams, NMSG);
	assert_true(st->tx_batches < st->tx_datagrams);
	assert_true(st->tx_batches >= 2); /* 64 per sendmmsg */
	assert_int_equal(st->tx_errors, 0);
	st = udp_sock_stats(b);
	assert_int_equal(st->rx_datagrams, NMSG);
	assert_true(st->rx_batches < st->rx_datagrams);
	assert_int_equal(st->rx_truncated, 0);

	/* And back: b answers each source address it saw. */
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < 10; i++) {
		struct iovec iov = {.iov_base = "pong", .iov_len = 4};

		assert_int_equal(udp_send(b, &la, &iov, 1), 0);
	}
	assert_int_equal(udp_flush(b), 0);
	recv_until(a, &r, 10);
	assert_int_equal(r.n, 10);
	assert_true(tp_addr_eq(&r.from[9], &lb));
	udp_sock_close(a);
	udp_sock_close(b);
}

static void test_exchange_v4(void **state)
{
	(void)state;
	exchange("127.0.0.1");
}

static void test_exchange_v6(void **state)
{
	(void)state;
	exchange("::1");
}

static void test_reuseport(void **state)
{
	struct tp_addr la, lb, lc;
	struct udp_sock *a = open_on("127.0.0.1", 0, NULL, &la);
	struct udp_sock *b = open_on("127.0.0.1", tp_addr_port(&la), NULL, &lb);
	struct udp_sock *c = open_on("127.0.0.1", 0, NULL, &lc);
	struct pollfd p[2] = {
		{.fd = udp_sock_fd(a), .events = POLLIN},
		{.fd = udp_sock_fd(b), .events = POLLIN},
	};
	static struct rx r;
	struct iovec iov = {.iov_base = "x", .iov_len = 1};

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_true(tp_addr_eq(&la, &lb));
	/* The kernel picks one of the two sockets; either is fine. */
	assert_int_equal(udp_send(c, &la, &iov, 1), 0);
	assert_int_equal(udp_flush(c), 0);
	assert_int_equal(poll(p, 2, 1000), 1);
	assert_int_equal(udp_recv_batch(p[0].revents ? a : b, on_rx, &r), 1);
	assert_int_equal(r.n, 1);
	assert_true(tp_addr_eq(&r.from[0], &lc));
	udp_sock_close(a);
	udp_sock_close(b);
	udp_sock_close(c);
}

static void test_truncated(void **state)
{
	struct udp_config cfg = udp_config_default;
	struct tp_addr la, lb;
	struct udp_sock *a = open_on("127.0.0.1", 0, NULL, &la);
	struct udp_sock *b;
	static char big[2000];
	static struct rx r;
	const size_t sizes[] = {100, 2000, 512, 513, 7};

	(void)state;
	memset(&r, 0, sizeof(r));
	cfg.slot_size = 512;
	cfg.batch = 4;
	b = open_on("127.0.0.1", 0, &cfg, &lb);
	memset(big, 'A', sizeof(big));
	for (size_t i = 0; i < 5; i++) {
		struct iovec iov = {.iov_base = big, .iov_len = sizes[i]};

		big[0] = (char)('0' + i);
		assert_int_equal(udp_send(a, &lb, &iov, 1), 0);
	}
	assert_int_equal(udp_flush(a), 0);
	recv_until(b, &r, 3);
	/* Let the rest arrive too; nothing more may be handed on. */
	assert_int_equal(poll(&(struct pollfd){.fd = udp_sock_fd(b)}, 1, 50),
			 0);
	(void)udp_recv_batch(b, on_rx, &r);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.len[0], 100);
	assert_int_equal(r.data[0][0], '0');
	assert_int_equal(r.len[1], 512);
	assert_int_equal(r.data[1][0], '2');
	assert_int_equal(r.len[2], 7);
	assert_int_equal(r.data[2][0], '4');
	assert_int_equal(udp_sock_stats(b)->rx_truncated, 2);
	assert_int_equal(udp_sock_stats(b)->rx_datagrams, 3);
	udp_sock_close(a);
	udp_sock_close(b);
}

static void test_autoflush(void **state)
{
	struct udp_config cfg = udp_config_default;
	struct tp_addr la, lb;
	struct udp_sock *a, *b = open_on("127.0.0.1", 0, NULL, &lb);
	static struct rx r;
	static char blob[1000];
	struct iovec iov = {.iov_base = blob, .iov_len = sizeof(blob)};

	(void)state;
	memset(&r, 0, sizeof(r));
	cfg.send_max = 4;
	cfg.send_bytes = 2500; /* two datagrams of 1000 */
	a = open_on("127.0.0.1", 0, &cfg, &la);
	for (int i = 0; i < 10; i++)
		assert_int_equal(udp_send(a, &lb, &iov, 1), 0);
	/* The arena held two at a time: four flushes so far. */
	assert_int_equal(udp_sock_stats(a)->tx_batches, 4);
	assert_int_equal(udp_pending(a), 2);
	assert_int_equal(udp_flush(a), 0);
	assert_int_equal(udp_sock_stats(a)->tx_datagrams, 10);
	iov.iov_len = 10;
	for (int i = 0; i < 9; i++)
		assert_int_equal(udp_send(a, &lb, &iov, 1), 0);
	assert_int_equal(udp_pending(a), 1); /* 4 + 4 sent, one queued */
	assert_int_equal(udp_flush(a), 0);
	recv_until(b, &r, 19);
	assert_int_equal(r.n, 19);
	/* Larger than the arena: refused, nothing queued. */
	iov.iov_len = sizeof(blob);
	struct iovec three[3] = {iov, iov, iov};
	assert_int_equal(udp_send(a, &lb, three, 3), -EMSGSIZE);
	assert_int_equal(udp_pending(a), 0);
	udp_sock_close(a);
	udp_sock_close(b);
}

static void test_send_errors(void **state)
{
	struct tp_addr la, lb, l6, zero;
	struct udp_sock *a = open_on("127.0.0.1", 0, NULL, &la);
	struct udp_sock *b = open_on("127.0.0.1", 0, NULL, &lb);
	static char huge[65536];
	struct iovec iov = {.iov_base = "ok", .iov_len = 2};
	struct iovec big = {.iov_base = huge, .iov_len = 65508};
	struct tp_sender snd = udp_sock_sender(a);
	struct tp_peer peer = {.proto = TP_UDP, .addr = lb};
	static struct rx r;
	struct udp_config bad = udp_config_default;
	struct udp_sock *s;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tp_addr_from(&l6, SV("::1"), 5060), 0);
	assert_int_equal(udp_send(a, &l6, &iov, 1), -EAFNOSUPPORT);
	assert_int_equal(udp_send(a, &lb, &big, 1), -EMSGSIZE);
	big.iov_len = 65507;
	/* Port 0 is not a destination: the kernel refuses that datagram
	 * alone (EINVAL); the others still go. */
	assert_int_equal(tp_addr_from(&zero, SV("127.0.0.1"), 0), 0);
	assert_int_equal(snd.send(snd.arg, &peer, &iov, 1), 0);
	assert_int_equal(udp_send(a, &zero, &iov, 1), 0);
	assert_int_equal(udp_send(a, &lb, &big, 1), 0);
	assert_int_equal(udp_pending(a), 3);
	assert_int_equal(udp_flush(a), -EINVAL);
	assert_int_equal(udp_pending(a), 0);
	assert_int_equal(udp_sock_stats(a)->tx_errors, 1);
	assert_int_equal(udp_sock_stats(a)->tx_datagrams, 2);
	recv_until(b, &r, 2);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.len[0], 2);
	assert_int_equal(r.len[1], 65507);
	peer.proto = TP_TCP;
	assert_int_equal(snd.send(snd.arg, &peer, &iov, 1), -EPROTONOSUPPORT);

	bad.batch = 0;
	assert_int_equal(udp_sock_open(&s, &la, &bad), -EINVAL);
	assert_null(s);
	bad = udp_config_default;
	bad.slot_size = 70000;
	assert_int_equal(udp_sock_open(&s, &la, &bad), -EINVAL);
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(udp_sock_open(&s, &zero, NULL), -EAFNOSUPPORT);
	udp_sock_close(NULL);
	udp_sock_close(a);
	udp_sock_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exchange_v4),
		cmocka_unit_test(test_exchange_v6),
		cmocka_unit_test(test_reuseport),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_autoflush),
		cmocka_unit_test(test_send_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
