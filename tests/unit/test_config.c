/* test_config.c - the daemon's configuration file: every key, the
 * defaults, value kinds, and every kind of error with its exact place. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/config.h"

static char dir[64]; /* a fresh folder per test */
static char path[96];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ringway-test-config.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.conf", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct ringway_config cfg;
static char err[1024];

static int load(const char *text)
{
	write_conf(text);
	return config_load(&cfg, path, err, sizeof(err));
}

/* The error must be exactly "<path>:<rest>". */
static void expect_error(const char *text, const char *rest)
{
	char want[2048];

	assert_int_not_equal(load(text), 0);
	snprintf(want, sizeof(want), "%s:%s", path, rest);
	assert_string_equal(err, want);
}

static void addr_is(const struct engine_listen *l, enum tp_proto proto,
		    const char *want)
{
	char a[64];

	assert_int_equal(l->proto, proto);
	assert_true(tp_addr_fmt(&l->addr, a, sizeof(a)) > 0);
	assert_string_equal(a, want);
}

static void test_defaults(void **state)
{
	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.engine.workers, 0);
	assert_int_equal(cfg.engine.nlisten, 1);
	addr_is(&cfg.engine.listen[0], TP_UDP, "127.0.0.1:5060");
	assert_int_equal(cfg.engine.trace_fd, -1);
	assert_int_equal(cfg.engine.txn.t1, 500);
	assert_int_equal(cfg.engine.txn.t2, 4000);
	assert_int_equal(cfg.engine.txn.t4, 5000);
	assert_int_equal(cfg.engine.txn.max_txns, 65536);
	assert_ptr_equal(cfg.engine.txn.limits, &cfg.limits);
	assert_int_equal(cfg.limits.max_msg_size,
			 sip_limits_default.max_msg_size);
	assert_int_equal(cfg.limits.max_headers,
			 sip_limits_default.max_headers);
	assert_int_equal(cfg.engine.tcp_max_conns, 1024);
	assert_int_equal(cfg.engine.tcp_idle_ms, 120000);
	assert_int_equal(cfg.proxy.ndomains, 1);
	assert_string_equal(cfg.proxy.domains[0], "127.0.0.1");
	assert_string_equal(cfg.proxy.next_hop, "");
	assert_int_equal(cfg.proxy.ring_timeout_ms, 0);
	assert_int_equal(cfg.proxy.invite_timeout_ms, 180000);
	assert_true(cfg.proxy.record_route);
	assert_true(cfg.proxy.recursion);
	assert_int_equal(cfg.proxy.max_targets, 16);
	assert_string_equal(cfg.trace_path, "");
	assert_int_equal(cfg.role, ROLE_PROXY);
	assert_int_equal(cfg.redirect.ncontacts, 0);
	assert_string_equal(config_role_name(ROLE_PROXY), "proxy");
	assert_string_equal(config_role_name(ROLE_REDIRECT), "redirect");
}

/* An empty file, and one with only comments, give the defaults. */
static void test_empty_file(void **state)
{
	(void)state;
	assert_int_equal(load(""), 0);
	assert_int_equal(cfg.engine.nlisten, 1);
	assert_int_equal(load("; nothing\n# at all\n\n[server]\n"), 0);
	assert_int_equal(cfg.engine.nlisten, 1);
	assert_string_equal(cfg.proxy.domains[0], "127.0.0.1");
}

static void test_all_keys(void **state)
{
	char want[160];

	(void)state;
	assert_int_equal(load("# every key\n"
			      "[server]\n"
			      "role = proxy\n"
			      "workers = 3\n"
			      "listen = udp:127.0.0.1:5070\n"
			      "listen = tcp:[::1]:5071\n"
			      "  listen = 127.0.0.2\n" /* indented: fine */
			      "domain = example.com\n"
			      "domain = 192.0.2.1\n"
			      "trace = /var/tmp/ringway.trace\n"
			      "\n"
			      "[proxy]\n"
			      "next_hop = sip:127.0.0.1:5070;transport=udp\n"
			      "ring_timeout = 2s ; inline comment\n"
			      "invite_timeout = 3m\n"
			      "record_route = off\n"
			      "recursion = No\n"
			      "max_targets = 8\n"
			      "[timers]\n"
			      "t1 = 250ms\n"
			      "t2 = 8s\n"
			      "t4 = 1h\n"
			      "[limits]\n"
			      "max_message_size = 4096\n"
			      "max_headers = 50\n"
			      "max_transactions = 1000\n"
			      "tcp_max_connections = 20\n"
			      "tcp_idle_timeout = 30s\n"),
			 0);
	assert_string_equal(err, "");
	assert_int_equal(cfg.role, ROLE_PROXY);
	assert_int_equal(cfg.engine.workers, 3);
	assert_int_equal(cfg.engine.nlisten, 3);
	addr_is(&cfg.engine.listen[0], TP_UDP, "127.0.0.1:5070");
	addr_is(&cfg.engine.listen[1], TP_TCP, "[::1]:5071");
	addr_is(&cfg.engine.listen[2], TP_UDP, "127.0.0.2:5060");
	assert_int_equal(cfg.proxy.ndomains, 2);
	assert_string_equal(cfg.proxy.domains[0], "example.com");
	assert_string_equal(cfg.proxy.domains[1], "192.0.2.1");
	assert_string_equal(cfg.trace_path, "/var/tmp/ringway.trace");
	assert_string_equal(cfg.proxy.next_hop,
			    "sip:127.0.0.1:5070;transport=udp");
	assert_int_equal(cfg.proxy.ring_timeout_ms, 2000);
	assert_int_equal(cfg.proxy.invite_timeout_ms, 180000);
	assert_false(cfg.proxy.record_route);
	assert_false(cfg.proxy.recursion);
	assert_int_equal(cfg.proxy.max_targets, 8);
	assert_int_equal(cfg.engine.txn.t1, 250);
	assert_int_equal(cfg.engine.txn.t2, 8000);
	assert_int_equal(cfg.engine.txn.t4, 3600000);
	assert_int_equal(cfg.limits.max_msg_size, 4096);
	assert_int_equal(cfg.limits.max_headers, 50);
	assert_int_equal(cfg.limits.max_line, sip_limits_default.max_line);
	assert_ptr_equal(cfg.engine.txn.limits, &cfg.limits);
	assert_int_equal(cfg.engine.txn.max_txns, 1000);
	assert_int_equal(cfg.engine.tcp_max_conns, 20);
	assert_int_equal(cfg.engine.tcp_idle_ms, 30000);
	assert_int_equal(cfg.engine.trace_fd, -1);

	/* Relative trace paths resolve against the file's folder. */
	assert_int_equal(load("[server]\ntrace = trace.log\n"), 0);
	snprintf(want, sizeof(want), "%s/trace.log", dir);
	assert_string_equal(cfg.trace_path, want);
	assert_int_equal(load("[server]\ntrace = sub/../t.log\n"), 0);
	snprintf(want, sizeof(want), "%s/sub/../t.log", dir);
	assert_string_equal(cfg.trace_path, want);
	/* An empty trace or next_hop means none. */
	assert_int_equal(load("[server]\ntrace =\n[proxy]\nnext_hop =\n"), 0);
	assert_string_equal(cfg.trace_path, "");
	assert_string_equal(cfg.proxy.next_hop, "");
	/* Section and key names are case-insensitive; CRLF line ends. */
	assert_int_equal(load("[Server]\r\nWorkers = 2\r\n"), 0);
	assert_int_equal(cfg.engine.workers, 2);
}

/* role = redirect and its [redirect] contact lines. */
static void test_redirect_keys(void **state)
{
	const struct redirect_contact *c = cfg.redirect.contacts;

	(void)state;
	assert_int_equal(
		load("[server]\n"
		     "role = Redirect\n"
		     "listen = udp:127.0.0.1:5070\n"
		     "[redirect]\n"
		     "contact = 5550002 sip:5550002@127.0.0.1:5081 1.0\n"
		     "contact = 5550002 sip:5550002@127.0.0.1:5082 0.5\n"
		     "contact =\talice  sips:alice@example.com;transport=tcp\n"
		     "contact = +1(555)000-0003 tel:+1-555-000-0003 0.125\n"
		     "contact = bob sip:bob@192.0.2.1 0\n"
		     "contact = bob sip:bob@192.0.2.2 1.000\n"
		     "contact = bob sip:bob@192.0.2.3 0.\n"),
		0);
	assert_string_equal(err, "");
	assert_int_equal(cfg.role, ROLE_REDIRECT);
	assert_int_equal(cfg.redirect.ncontacts, 7);
	assert_string_equal(c[0].user, "5550002");
	assert_string_equal(c[0].uri, "sip:5550002@127.0.0.1:5081");
	assert_int_equal(c[0].q, 1000);
	assert_string_equal(c[1].uri, "sip:5550002@127.0.0.1:5082");
	assert_int_equal(c[1].q, 500);
	assert_string_equal(c[2].user, "alice");
	assert_string_equal(c[2].uri, "sips:alice@example.com;transport=tcp");
	assert_int_equal(c[2].q, 1000); /* the default */
	assert_string_equal(c[3].user, "+1(555)000-0003");
	assert_string_equal(c[3].uri, "tel:+1-555-000-0003");
	assert_int_equal(c[3].q, 125);
	assert_int_equal(c[4].q, 0);
	assert_int_equal(c[5].q, 1000);
	assert_int_equal(c[6].q, 0);
	/* role = redirect with an empty table: everything gets 404. */
	assert_int_equal(load("[server]\nrole = redirect\n"), 0);
	assert_int_equal(cfg.redirect.ncontacts, 0);
	/* The role may come after [redirect]. */
	assert_int_equal(load("[redirect]\ncontact = a sip:a@b\n"
			      "[server]\nrole = redirect\n"),
			 0);
	assert_int_equal(cfg.redirect.ncontacts, 1);
}

static void test_q_values(void **state)
{
	static const struct {
		const char *s;
		uint16_t q;
	} good[] = {{"0", 0},	    {"0.", 0},	    {"0.5", 500}, {"0.25", 250},
		    {"0.125", 125}, {"0.001", 1},   {"1", 1000},  {"1.", 1000},
		    {"1.0", 1000},  {"1.000", 1000}};
	static const char *const bad[] = {"",	   ".5",     "2",     "1.5",
					  "1.001", "0.1234", "0,5",   "-0",
					  "00.5",  "0.5x",   "1.0000"};
	char why[128];
	uint16_t q;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(
			config_parse_q(good[i].s, &q, why, sizeof(why)), 0);
		assert_int_equal(q, good[i].q);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(config_parse_q(bad[i], &q, why, sizeof(why)),
				 -EINVAL);
}

static void test_errors_redirect(void **state)
{
	char text[8192];
	size_t n;

	(void)state;
	expect_error("[server]\nrole = registrar\n",
		     "2: [server] role: \"registrar\" is not a role (use proxy "
		     "or redirect)");
	expect_error("[server]\nrole = proxy\nrole = redirect\n",
		     "3: [server] role: given twice (first on line 2)");
	expect_error("[server]\nrole = redirect\n\n[proxy]\n"
		     "ring_timeout = 2s\n",
		     "4: [proxy] does not apply to role redirect (role on line "
		     "2)");
	/* Even an empty [proxy], and even before the role. */
	expect_error("[proxy]\n[server]\nrole = redirect\n",
		     "1: [proxy] does not apply to role redirect (role on line "
		     "3)");
	expect_error(
		"[server]\nrole = redirect\ndomain = example.com\n",
		"3: [server] domain: does not apply to role redirect (role "
		"on line 2; the contact table matches the user part "
		"whatever the host)");
	expect_error("[server]\nrole = proxy\n[redirect]\n"
		     "contact = a sip:a@b\n",
		     "3: [redirect] does not apply to role proxy (role on line "
		     "2)");
	expect_error("[redirect]\n",
		     "1: [redirect] does not apply to role proxy (the default: "
		     "set role = redirect in [server])");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = 5550002 sip:5550002@127.0.0.1:5081 1.5\n",
		     "4: [redirect] contact: \"1.5\" is not a q-value (0 to 1 "
		     "with at most 3 decimals, e.g. 0.5)");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = 5550002 sip:5550002@127.0.0.1:5081 0.1234\n",
		     "4: [redirect] contact: \"0.1234\" is not a q-value (0 to "
		     "1 with at most 3 decimals, e.g. 0.5)");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = 5550002 127.0.0.1:5081\n",
		     "4: [redirect] contact: \"127.0.0.1:5081\" is not a sip:, "
		     "sips: or tel: URI of up to 255 characters (e.g. "
		     "sip:5550002@127.0.0.1:5081)");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = 5550002 http://example.com/\n",
		     "4: [redirect] contact: \"http://example.com/\" is not a "
		     "sip:, sips: or tel: URI of up to 255 characters (e.g. "
		     "sip:5550002@127.0.0.1:5081)");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = 5550002\n",
		     "4: [redirect] contact: \"5550002\": write USER URI [Q], "
		     "e.g. contact = 5550002 sip:5550002@127.0.0.1:5081 1.0");
	expect_error(
		"[server]\nrole = redirect\n[redirect]\n"
		"contact = a sip:a@b 1.0 x\n",
		"4: [redirect] contact: \"a sip:a@b 1.0 x\": write USER URI "
		"[Q], e.g. contact = 5550002 sip:5550002@127.0.0.1:5081 "
		"1.0");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = a<b sip:a@b\n",
		     "4: [redirect] contact: \"a<b\" is not a user part (up to "
		     "63 characters of a SIP URI's user, e.g. 5550002 or "
		     "alice)");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = a%2 sip:a@b\n",
		     "4: [redirect] contact: \"a%2\" is not a user part (up to "
		     "63 characters of a SIP URI's user, e.g. 5550002 or "
		     "alice)");
	expect_error("[server]\nrole = redirect\n[redirect]\n"
		     "contact = a sip:a@b\ncontact = b sip:a@b\n"
		     "contact = a sip:a@b 0.5\n",
		     "6: [redirect] contact: a sip:a@b is already listed on "
		     "line 4");
	/* At most REDIRECT_MAX_CONTACTS. */
	n = (size_t)snprintf(text, sizeof(text),
			     "[server]\nrole = redirect\n[redirect]\n");
	for (int i = 0; i <= REDIRECT_MAX_CONTACTS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "contact = u sip:u@192.0.2.%d\n", i);
	expect_error(text, "68: [redirect] contact: more than 64 contacts");
}

/* The seed-flow example in the tree loads as documented. */
static void test_example(void **state)
{
	(void)state;
	assert_int_equal(config_load(&cfg,
				     RINGWAY_SOURCE_DIR
				     "/examples/seed-flow/proxy.conf",
				     err, sizeof(err)),
			 0);
	assert_int_equal(cfg.engine.workers, 2);
	assert_int_equal(cfg.engine.nlisten, 1);
	addr_is(&cfg.engine.listen[0], TP_UDP, "127.0.0.1:5060");
	assert_string_equal(cfg.proxy.domains[0], "127.0.0.1");
	assert_string_equal(cfg.proxy.next_hop, "sip:127.0.0.1:5070");
	assert_int_equal(cfg.proxy.ring_timeout_ms, 2000);
	assert_true(cfg.proxy.record_route);
	assert_int_equal(cfg.role, ROLE_PROXY);
	/* Its redirect server. */
	assert_int_equal(config_load(&cfg,
				     RINGWAY_SOURCE_DIR
				     "/examples/seed-flow/redirect.conf",
				     err, sizeof(err)),
			 0);
	assert_int_equal(cfg.role, ROLE_REDIRECT);
	assert_int_equal(cfg.engine.nlisten, 1);
	addr_is(&cfg.engine.listen[0], TP_UDP, "127.0.0.1:5070");
	assert_int_equal(cfg.redirect.ncontacts, 2);
	assert_string_equal(cfg.redirect.contacts[0].user, "5550002");
	assert_string_equal(cfg.redirect.contacts[0].uri,
			    "sip:5550002@127.0.0.1:5081");
	assert_int_equal(cfg.redirect.contacts[0].q, 1000);
	assert_string_equal(cfg.redirect.contacts[1].uri,
			    "sip:5550002@127.0.0.1:5082");
	assert_int_equal(cfg.redirect.contacts[1].q, 500);
}

static void test_durations(void **state)
{
	static const struct {
		const char *in;
		uint32_t ms;
	} ok[] = {
		{"0", 0},	{"0ms", 0},
		{"500ms", 500}, {"2s", 2000},
		{"1m", 60000},	{"2h", 7200000},
		{"90s", 90000}, {"4294967295ms", UINT32_MAX},
	};
	static const char *const bad[] = {
		"",  "2",    "500", "2 s",   "2S",     "-1s", "1.5s",
		"s", "2sec", "2d",  "2000h", "0x10ms", "+2s", "12345678901ms",
	};
	char why[256];
	uint32_t ms;
	bool b;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(
			config_parse_duration(ok[i].in, &ms, why, sizeof(why)),
			0);
		assert_int_equal(ms, ok[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
			config_parse_duration(bad[i], &ms, why, sizeof(why)),
			-EINVAL);
	assert_int_equal(config_parse_duration("2", &ms, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "\"2\" has no unit (write 2ms or 2s)");
	assert_int_equal(config_parse_duration("2d", &ms, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(
		why, "\"2d\": unknown unit \"d\" (use ms, s, m or h, e.g. 2s)");

	static const char *const yes[] = {"yes", "true", "on",
					  "1",	 "YES",	 "True"};
	static const char *const no[] = {"no", "false", "off", "0", "Off"};
	static const char *const neither[] = {"", "y", "2", "enable", "yes!"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		assert_int_equal(
			config_parse_bool(yes[i], &b, why, sizeof(why)), 0);
		assert_true(b);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		assert_int_equal(config_parse_bool(no[i], &b, why, sizeof(why)),
				 0);
		assert_false(b);
	}
	for (size_t i = 0; i < sizeof(neither) / sizeof(neither[0]); i++)
		assert_int_equal(
			config_parse_bool(neither[i], &b, why, sizeof(why)),
			-EINVAL);
}

/* A repeated listen or domain replaces the default list, in file order. */
static void test_repeated(void **state)
{
	(void)state;
	assert_int_equal(load("[server]\n"
			      "domain = a.example\n"
			      "listen = tcp:127.0.0.1:5080\n"
			      "domain = b.example\n"
			      "listen = udp:127.0.0.1:5080\n"),
			 0);
	assert_int_equal(cfg.engine.nlisten, 2);
	addr_is(&cfg.engine.listen[0], TP_TCP, "127.0.0.1:5080");
	addr_is(&cfg.engine.listen[1], TP_UDP, "127.0.0.1:5080");
	assert_int_equal(cfg.proxy.ndomains, 2);
	assert_string_equal(cfg.proxy.domains[0], "a.example");
	assert_string_equal(cfg.proxy.domains[1], "b.example");
	/* Per-target ring timeouts, repeatable. */
	assert_int_equal(
		load("[proxy]\n"
		     "target_ring_timeout = sip:b@127.0.0.1:5081 30s\n"
		     "target_ring_timeout = sip:c@127.0.0.1:5082  0\n"),
		0);
	assert_int_equal(cfg.proxy.ntarget_rings, 2);
	assert_string_equal(cfg.proxy.target_rings[0].uri,
			    "sip:b@127.0.0.1:5081");
	assert_int_equal(cfg.proxy.target_rings[0].ms, 30000);
	assert_string_equal(cfg.proxy.target_rings[1].uri,
			    "sip:c@127.0.0.1:5082");
	assert_int_equal(cfg.proxy.target_rings[1].ms, 0);
}

static void test_errors_place(void **state)
{
	(void)state;
	expect_error("[server]\nworkers = 2\n[nope]\nx = 1\n",
		     "3: [nope]: unknown section (known: [server], [proxy], "
		     "[redirect], [timers], [limits])");
	/* An empty unknown section is still refused. */
	expect_error("[server]\n\n[Timer]\n",
		     "3: [Timer]: unknown section (known: [server], [proxy], "
		     "[redirect], [timers], [limits])");
	expect_error("[proxy]\nnext_hop = sip:a\nring = 2s\n",
		     "3: [proxy] ring: unknown key (known here: next_hop, "
		     "ring_timeout, target_ring_timeout, invite_timeout, "
		     "record_route, recursion, max_targets)");
	expect_error("workers = 2\n",
		     "1: workers: outside a section (put it under [server], "
		     "[proxy], [redirect], [timers] or [limits])");
	expect_error("[server]\n; ok\nthis is not ini\n",
		     "3: syntax error (expected \"key = value\", \"[section]\" "
		     "or a comment starting with ; or #)");
	expect_error("[server\nworkers = 1\n",
		     "1: syntax error: \"[\" without \"]\"");
	expect_error("[server]\nworkers ; = 1\nfoo = 1\n",
		     "2: syntax error (expected \"key = value\", \"[section]\" "
		     "or a comment starting with ; or #)");
	expect_error("[proxy]\nrecord_route = yes\nrecord_route = no\n",
		     "3: [proxy] record_route: given twice (first on line 2)");
	expect_error("[server]\nworkers =\n", "2: [server] workers: no value");
}

static void test_errors_values(void **state)
{
	(void)state;
	expect_error("[server]\nworkers = two\n",
		     "2: [server] workers: \"two\" is not a whole number");
	expect_error("[server]\nworkers = 65\n",
		     "2: [server] workers: 65 is out of range (0..64)");
	expect_error("[server]\nworkers = -1\n",
		     "2: [server] workers: \"-1\" is not a whole number");
	expect_error("\n[proxy]\nring_timeout = 2\n",
		     "3: [proxy] ring_timeout: \"2\" has no unit (write 2ms "
		     "or 2s)");
	expect_error("[proxy]\ninvite_timeout = 2h\n",
		     "2: [proxy] invite_timeout: 2h is out of range "
		     "(1000ms..3600000ms)");
	expect_error("[proxy]\nrecord_route = maybe\n",
		     "2: [proxy] record_route: \"maybe\" is not a boolean (use "
		     "yes/no, true/false, on/off or 1/0)");
	expect_error("[proxy]\nrecursion = 2\n",
		     "2: [proxy] recursion: \"2\" is not a boolean (use "
		     "yes/no, true/false, on/off or 1/0)");
	expect_error("[proxy]\ntarget_ring_timeout = sip:b@h\n",
		     "2: [proxy] target_ring_timeout: \"sip:b@h\" is not URI "
		     "DURATION (e.g. sip:5550002@127.0.0.1:5081 30s)");
	expect_error("[proxy]\ntarget_ring_timeout = tel:123 2s\n",
		     "2: [proxy] target_ring_timeout: \"tel:123\" is not a "
		     "sip: URI");
	expect_error("[proxy]\ntarget_ring_timeout = sip:b@h 2\n",
		     "2: [proxy] target_ring_timeout: \"2\" has no unit "
		     "(write 2ms or 2s)");
	expect_error("[proxy]\nmax_targets = 0\n",
		     "2: [proxy] max_targets: 0 is out of range (1..256)");
	expect_error("[proxy]\nnext_hop = http://example.com/\n",
		     "2: [proxy] next_hop: \"http://example.com/\" is not a "
		     "sip: URI (e.g. sip:127.0.0.1:5070)");
	expect_error("[proxy]\nnext_hop = 127.0.0.1:5070\n",
		     "2: [proxy] next_hop: \"127.0.0.1:5070\" is not a sip: "
		     "URI (e.g. sip:127.0.0.1:5070)");
	expect_error("[timers]\nt1 = 0\n",
		     "2: [timers] t1: 0 is out of range (1ms..60000ms)");
	expect_error("[timers]\nt2 = 100ms\n",
		     "2: [timers] t2: t2 (100ms) must not be less than t1 "
		     "(500ms)");
	expect_error("[timers]\nt1 = 5s\n",
		     "2: [timers] t1: t2 (4000ms) must not be less than t1 "
		     "(5000ms)");
	expect_error("[limits]\nmax_message_size = 10\n",
		     "2: [limits] max_message_size: 10 is out of range "
		     "(1024..16777216)");
	expect_error("[limits]\nmax_headers = 70000\n",
		     "2: [limits] max_headers: 70000 is out of range "
		     "(10..65535)");
	expect_error("[limits]\nmax_transactions = 1k\n",
		     "2: [limits] max_transactions: \"1k\" is not a whole "
		     "number");
	expect_error("[limits]\ntcp_max_connections = 0\n",
		     "2: [limits] tcp_max_connections: 0 is out of range "
		     "(1..1000000)");
	expect_error("[limits]\ntcp_idle_timeout = 120\n",
		     "2: [limits] tcp_idle_timeout: \"120\" has no unit (write "
		     "120ms or 120s)");
}

static void test_errors_addresses(void **state)
{
	(void)state;
	expect_error("[server]\nlisten = udp:localhost:5060\n",
		     "2: [server] listen: \"udp:localhost:5060\" is not a "
		     "listen address (write udp:HOST:PORT or tcp:HOST:PORT "
		     "with a numeric host, e.g. udp:127.0.0.1:5060 or "
		     "tcp:[::1]:5060)");
	expect_error("[server]\nlisten = udp:127.0.0.1:70000\n",
		     "2: [server] listen: \"udp:127.0.0.1:70000\" is not a "
		     "listen address (write udp:HOST:PORT or tcp:HOST:PORT "
		     "with a numeric host, e.g. udp:127.0.0.1:5060 or "
		     "tcp:[::1]:5060)");
	expect_error("[server]\nlisten = udp:127.0.0.1:5060\n"
		     "listen = tcp:127.0.0.1:5060\n"
		     "listen = udp:127.0.0.1:5060\n",
		     "4: [server] listen: udp:127.0.0.1:5060 is already listed "
		     "on line 2");
	expect_error("[server]\n"
		     "listen = 127.0.0.1:5001\nlisten = 127.0.0.1:5002\n"
		     "listen = 127.0.0.1:5003\nlisten = 127.0.0.1:5004\n"
		     "listen = 127.0.0.1:5005\nlisten = 127.0.0.1:5006\n"
		     "listen = 127.0.0.1:5007\nlisten = 127.0.0.1:5008\n"
		     "listen = 127.0.0.1:5009\n",
		     "10: [server] listen: more than 8 listen addresses");
	expect_error("[server]\ndomain = a b\n",
		     "2: [server] domain: \"a b\" is not a host name or "
		     "address (one per line: domain = example.com)");
	expect_error("[server]\ndomain = a.example\ndomain = A.example\n",
		     "3: [server] domain: A.example is already listed");
}

static void test_errors_file(void **state)
{
	char line[400], text[512], want[1024];

	(void)state;
	/* Over-long lines are refused, not split into two. */
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	snprintf(text, sizeof(text), "[server]\ntrace = %s\n", line);
	assert_int_not_equal(load(text), 0);
	snprintf(want, sizeof(want), "%s:2: line too long", path);
	assert_memory_equal(err, want, strlen(want));
	/* A missing file. */
	unlink(path);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: cannot open: %s", path,
		 strerror(ENOENT));
	assert_string_equal(err, want);
	/* The first error wins; a later good file loads fine again. */
	expect_error("[server]\nworkers = x\nworkers = y\n[bad]\n",
		     "2: [server] workers: \"x\" is not a whole number");
	assert_int_equal(load("[server]\nworkers = 1\n"), 0);
	assert_int_equal(cfg.engine.workers, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_all_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redirect_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_q_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_redirect, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_durations, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_repeated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_place, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors_addresses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors_file, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
