/* main.c - ringwayd, the ringway daemon: a stateful SIP proxy (RFC 3261
 * §16) or a redirect server (§8.3, [server] role) on the engine,
 * configured by an INI file (docs/config.md).
 *
 *   ringwayd [-c FILE] [-t] [-V] [-h]
 *
 * It runs in the foreground and logs to stderr.  SIGINT or SIGTERM stops
 * it cleanly: the workers finish their loop iteration, a one-line summary
 * of the counters goes to stderr, and it exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/config.h"
#include "engine/engine.h"
#include "proxy/proxy.h"
#include "redirect/redirect.h"

#ifndef RINGWAY_VERSION
#define RINGWAY_VERSION "0.3.0"
#endif

static void usage(FILE *f)
{
	fputs("usage: ringwayd [-c FILE] [-t] [-V] [-h]\n"
	      "  -c FILE  read the configuration from FILE (docs/config.md);\n"
	      "           without it: a proxy on udp:127.0.0.1:5060\n"
	      "  -t       check the configuration and exit\n"
	      "  -V       print the version and exit\n"
	      "  -h       this help\n",
	      f);
}

/* "udp:127.0.0.1:5060, tcp:[::1]:5060" */
static void listen_list(const struct engine_cfg *e, char *buf, size_t cap)
{
	size_t len = 0;
	char a[64];

	buf[0] = '\0';
	for (unsigned i = 0; i < e->nlisten && len < cap; i++) {
		if (tp_addr_fmt(&e->listen[i].addr, a, sizeof(a)) <= 0)
			snprintf(a, sizeof(a), "?");
		len += (size_t)snprintf(
			buf + len, cap - len, "%s%s:%s", i ? ", " : "",
			e->listen[i].proto == TP_TCP ? "tcp" : "udp", a);
	}
}

/* The role's counters, then the engine's: one line. */
static void print_summary(struct engine *e, enum ringway_role role)
{
	struct redirect_stats r;
	struct proxy_stats p;
	struct engine_stats s;

	engine_stats(e, &s);
	if (role == ROLE_REDIRECT) {
		redirect_stats(e, &r);
		fprintf(stderr,
			"ringwayd: stopped: requests %" PRIu64
			", redirected %" PRIu64 " (300 %" PRIu64
			", 302 %" PRIu64 "), not found (404) %" PRIu64
			", options %" PRIu64 ", other replies %" PRIu64
			", cancels %" PRIu64 "; datagrams in %" PRIu64
			" out %" PRIu64 ", hand-offs %" PRIu64
			" (dropped %" PRIu64 "), server txns %" PRIu64
			", txn timeouts %" PRIu64 ", malformed %" PRIu64
			", tcp accepted %" PRIu64 " refused %" PRIu64 "\n",
			r.requests, r.multiple + r.moved, r.multiple, r.moved,
			r.not_found, r.options, r.other, r.cancels,
			s.rx_datagrams, s.tx_datagrams, s.handoff_out,
			s.handoff_dropped, s.txn.server_created, s.txn.timeouts,
			s.txn.rx_malformed, s.tcp_accepted, s.tcp_refused);
		return;
	}
	proxy_stats(e, &p);
	fprintf(stderr,
		"ringwayd: stopped: requests %" PRIu64 ", forwarded %" PRIu64
		" (+%" PRIu64 " stateless), replied %" PRIu64 ", loops %" PRIu64
		", too many hops %" PRIu64 ", branches %" PRIu64
		", ring timeouts %" PRIu64 ", cancels %" PRIu64
		", recursions %" PRIu64 ", late 2xx %" PRIu64
		"; datagrams in %" PRIu64 " out %" PRIu64 ", hand-offs %" PRIu64
		" (dropped %" PRIu64 "), server txns %" PRIu64
		", client txns %" PRIu64 ", txn timeouts %" PRIu64
		", malformed %" PRIu64 ", tcp accepted %" PRIu64
		" refused %" PRIu64 "\n",
		p.requests, p.forwarded, p.stateless_forwarded,
		p.replied_locally, p.loops, p.too_many_hops, p.branches,
		p.ring_timeouts, p.cancels_sent, p.recursions, p.late_2xx,
		s.rx_datagrams, s.tx_datagrams, s.handoff_out,
		s.handoff_dropped, s.txn.server_created, s.txn.client_created,
		s.txn.timeouts, s.txn.rx_malformed, s.tcp_accepted,
		s.tcp_refused);
}

static int serve(struct ringway_config *cfg)
{
	struct engine_role role = cfg->role == ROLE_REDIRECT
					  ? redirect_role(&cfg->redirect)
					  : proxy_role(&cfg->proxy);
	struct engine *e;
	char where[600];
	sigset_t set;
	int sig, rc;

	if (cfg->trace_path[0]) {
		cfg->engine.trace_fd =
			open(cfg->trace_path,
			     O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (cfg->engine.trace_fd < 0) {
			fprintf(stderr,
				"ringwayd: cannot open the trace file %s: %s\n",
				cfg->trace_path, strerror(errno));
			return 1;
		}
	}
	/* Signals are taken by sigwait() below, never by a worker: block
	 * them before the workers start (they inherit the mask). */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = engine_start(&e, &cfg->engine, &role);
	if (rc) {
		listen_list(&cfg->engine, where, sizeof(where));
		fprintf(stderr, "ringwayd: cannot start on %s: %s\n", where,
			strerror(-rc));
		if (cfg->engine.trace_fd >= 0)
			close(cfg->engine.trace_fd);
		return 1;
	}
	listen_list(&cfg->engine, where, sizeof(where));
	fprintf(stderr, "ringwayd " RINGWAY_VERSION ": %s on %s (%u %s",
		config_role_name(cfg->role), where, engine_workers(e),
		engine_workers(e) == 1 ? "worker" : "workers");
	if (cfg->role == ROLE_REDIRECT)
		fprintf(stderr, ", %u %s", cfg->redirect.ncontacts,
			cfg->redirect.ncontacts == 1 ? "contact" : "contacts");
	fputs(")\n", stderr);
	if (cfg->trace_path[0])
		fprintf(stderr, "ringwayd: tracing messages to %s\n",
			cfg->trace_path);
	do {
		rc = sigwait(&set, &sig);
	} while (rc == EINTR);
	/* The workers publish their last counters as they stop. */
	engine_join(e);
	print_summary(e, cfg->role);
	engine_stop(e);
	if (cfg->engine.trace_fd >= 0)
		close(cfg->engine.trace_fd);
	return 0;
}

int main(int argc, char **argv)
{
	static struct ringway_config cfg; /* large: not on the stack */
	const char *path = NULL;
	bool check = false;
	char err[1024];
	int c;

	while ((c = getopt(argc, argv, "c:tVh")) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'V':
			puts("ringwayd " RINGWAY_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ringwayd: unexpected argument: %s\n",
			argv[optind]);
		usage(stderr);
		return 1;
	}
	if (path) {
		if (config_load(&cfg, path, err, sizeof(err))) {
			fprintf(stderr, "ringwayd: %s\n", err);
			return 1;
		}
	} else {
		config_defaults(&cfg);
	}
	if (check) {
		printf("config %s: ok\n", path ? path : "(built-in defaults)");
		return 0;
	}
	return serve(&cfg);
}
