/* test_engine.c - the engine with N workers on loopback.
 *
 * Each worker starts K client transactions (OPTIONS) towards a plain UDP
 * socket that this test answers from its own thread.  All workers send
 * from the same SO_REUSEPORT address, so the kernel delivers every response
 * to one of them: the responses of the other workers' transactions arrive
 * on a worker that does not own them and must be handed over (DESIGN §3).
 * The test checks every transaction got its 200 and that hand-offs happened
 * and were all matched.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "ev/loop.h"
#include "testutil.h"

#define K 50

struct peer {
	int fd;
	struct tp_addr addr;
	atomic_int stop;
	unsigned answered;
};

struct role_worker {
	struct worker *w;
	const struct tp_addr *peer;
	struct tw_timer start;
	unsigned sent, ok, other, errors;
};

static struct role_worker rw[ENGINE_MAX_WORKERS];

static void send_options(struct role_worker *r)
{
	struct txn_layer *l = worker_txn(r->w);
	const struct tp_addr *me = worker_listen_addr(r->w, 0);
	char branch[64], host[64], msg[1024];
	struct tp_peer dst = {.proto = TP_UDP, .addr = *r->peer};
	struct iovec iov;
	struct txn *t;
	int n;

	/* Worker thread: no cmocka asserts here, count instead. */
	if (txn_branch(l, branch, sizeof(branch)) <= 0 ||
	    tp_addr_fmt(me, host, sizeof(host)) <= 0) {
		r->errors++;
		return;
	}
	n = snprintf(msg, sizeof(msg),
		     "OPTIONS sip:peer@127.0.0.1 SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP %s;branch=%s\r\n"
		     "Max-Forwards: 70\r\n"
		     "To: <sip:peer@127.0.0.1>\r\n"
		     "From: <sip:engine@127.0.0.1>;tag=w%u\r\n"
		     "Call-ID: c%u-%u@test\r\n"
		     "CSeq: 1 OPTIONS\r\n"
		     "Content-Length: 0\r\n\r\n",
		     host, branch, worker_id(r->w), worker_id(r->w), r->sent);
	iov = (struct iovec){msg, (size_t)n};
	if (txn_request(l, &t, &iov, 1, &dst, r) == 0)
		r->sent++;
	else
		r->errors++;
}

static void on_start(struct tw_timer *t)
{
	struct role_worker *r =
		(struct role_worker *)((char *)t -
				       offsetof(struct role_worker, start));

	for (int i = 0; i < K; i++)
		send_options(r);
}

static void tu_response(void *tu, struct txn *ct, struct sip_msg *resp)
{
	struct role_worker *r = tu;

	/* The transaction is ours: the hand-off reached the owner. */
	if (txn_user(ct) != r)
		r->errors++;
	else if (resp->status == 200)
		r->ok++;
	else if (resp->status >= 200)
		r->other++;
}

static void tu_request(void *tu, struct txn *st, struct sip_msg *req)
{
	(void)tu;
	(void)req;
	(void)txn_reply(st, 501, NULL);
}

static void tu_ignore(void *tu, struct txn *t)
{
	(void)tu;
	(void)t;
}

static void tu_error(void *tu, struct txn *t, int err)
{
	(void)tu;
	(void)t;
	(void)err;
}

static void tu_cancel(void *tu, struct txn *a, struct txn *b, struct sip_msg *m)
{
	(void)tu;
	(void)a;
	(void)m;
	(void)txn_reply(b, 481, NULL);
}

static void tu_stray(void *tu, struct sip_msg *m, const struct tp_rx *rx)
{
	(void)tu;
	(void)m;
	(void)rx;
}

static const struct txn_tu tu = {
	.request = tu_request,
	.response = tu_response,
	.timeout = tu_ignore,
	.transport_error = tu_error,
	.cancel = tu_cancel,
	.stray = tu_stray,
	.destroyed = tu_ignore,
};

static void *role_init(struct worker *w, void *arg)
{
	struct role_worker *r = &rw[worker_id(w)];

	memset(r, 0, sizeof(*r));
	r->w = w;
	r->peer = arg;
	tw_timer_init(&r->start, on_start);
	tw_add(ev_timers(worker_loop(w)), &r->start, 20);
	return r;
}

/* The far end: answer every request with a 200 built from it. */
static void *peer_main(void *arg)
{
	struct peer *p = arg;
	struct sip_msg *m = malloc(sizeof(*m));
	char buf[4096], out[4096];

	while (!atomic_load(&p->stop)) {
		struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n;
		long r;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = recvfrom(p->fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n <= 0 ||
		    sip_msg_scan(m, buf, (size_t)n, 0, NULL, NULL) != 0 ||
		    !m->request)
			continue;
		r = sip_resp_build(out, sizeof(out), m, 200, NULL);
		if (r > 0 && sendto(p->fd, out, (size_t)r, 0,
				    (struct sockaddr *)&from, flen) == r)
			p->answered++;
	}
	free(m);
	return NULL;
}

static void run(unsigned workers)
{
	struct engine_cfg cfg;
	struct engine_role role = {.tu = &tu, .worker_init = role_init};
	struct engine_stats s;
	struct peer p = {0};
	pthread_t th;
	struct engine *e;
	unsigned ok = 0, sent = 0;

	/* The far end, on an ephemeral loopback port. */
	assert_int_equal(tp_addr_from(&p.addr, SV("127.0.0.1"), 0), 0);
	p.fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(p.fd >= 0);
	assert_int_equal(bind(p.fd, &p.addr.u.sa, p.addr.len), 0);
	p.addr.len = sizeof(p.addr.u);
	assert_int_equal(getsockname(p.fd, &p.addr.u.sa, &p.addr.len), 0);
	assert_int_equal(pthread_create(&th, NULL, peer_main, &p), 0);

	engine_cfg_default(&cfg);
	cfg.workers = workers;
	cfg.nlisten = 1;
	assert_int_equal(engine_listen_parse(&cfg.listen[0], "udp:127.0.0.1:0"),
			 0);
	role.role_arg = &p.addr;
	assert_int_equal(engine_start(&e, &cfg, &role), 0);
	/* Wait (bounded) until every transaction has its answer. */
	for (int i = 0; i < 500; i++) {
		engine_stats(e, &s);
		if (s.txn.client_created == (uint64_t)K * workers &&
		    s.txn.rx_responses >= (uint64_t)K * workers)
			break;
		usleep(10000);
	}
	engine_join(e);
	engine_stats(e, &s);
	for (unsigned i = 0; i < workers; i++) {
		ok += rw[i].ok;
		sent += rw[i].sent;
		assert_int_equal(rw[i].other, 0);
		assert_int_equal(rw[i].errors, 0);
	}
	fprintf(stderr,
		"[ workers=%u ] sent %u ok %u handoff out %llu in %llu "
		"dropped %llu\n",
		workers, sent, ok, (unsigned long long)s.handoff_out,
		(unsigned long long)s.handoff_in,
		(unsigned long long)s.handoff_dropped);
	assert_int_equal(sent, K * workers);
	assert_int_equal(ok, K * workers);
	assert_int_equal(s.handoff_out, s.handoff_in);
	assert_int_equal(s.handoff_dropped, 0);
	if (workers > 1) {
		/* All responses come from one 4-tuple, so they land on one
		 * worker: the other workers' K each were handed over. */
		assert_int_equal(s.handoff_in, (uint64_t)K * (workers - 1));
	} else {
		assert_int_equal(s.handoff_in, 0);
	}
	engine_stop(e);
	atomic_store(&p.stop, 1);
	pthread_join(th, NULL);
	close(p.fd);
}

static void test_one_worker(void **state)
{
	(void)state;
	run(1);
}

static void test_two_workers(void **state)
{
	(void)state;
	run(2);
}

static void test_four_workers(void **state)
{
	(void)state;
	run(4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_worker),
		cmocka_unit_test(test_two_workers),
		cmocka_unit_test(test_four_workers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
