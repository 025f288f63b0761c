/* test_tp_addr.c - numeric transport addresses (src/transport/addr.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "transport/tp.h"

static int from(struct tp_addr *a, const char *host, uint16_t port)
{
	return tp_addr_from(a, sv_from_cstr(host), port);
}

static void test_from_fmt(void **state)
{
	static const struct {
		const char *host;
		uint16_t port;
		const char *fmt, *hostonly;
		int family;
	} cases[] = {
		{"127.0.0.1", 5060, "127.0.0.1:5060", "127.0.0.1", AF_INET},
		{"192.0.2.1", 0, "192.0.2.1:0", "192.0.2.1", AF_INET},
		{"::1", 5061, "[::1]:5061", "::1", AF_INET6},
		{"[::1]", 5062, "[::1]:5062", "::1", AF_INET6},
		{"2001:DB8::1", 65535, "[2001:db8::1]:65535", "2001:db8::1",
		 AF_INET6},
		{"::ffff:192.0.2.128", 1, "[::ffff:192.0.2.128]:1",
		 "::ffff:192.0.2.128", AF_INET6},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tp_addr a;
		char buf[64];

		if (from(&a, cases[i].host, cases[i].port) != 0)
			fail_msg("%s", cases[i].host);
		assert_int_equal(a.u.sa.sa_family, cases[i].family);
		assert_int_equal(a.len, cases[i].family == AF_INET
						? sizeof(struct sockaddr_in)
						: sizeof(struct sockaddr_in6));
		assert_int_equal(tp_addr_port(&a), cases[i].port);
		assert_int_equal(tp_addr_fmt(&a, buf, sizeof(buf)),
				 strlen(cases[i].fmt));
		assert_string_equal(buf, cases[i].fmt);
		assert_int_equal(tp_addr_host(&a, buf, sizeof(buf)),
				 strlen(cases[i].hostonly));
		assert_string_equal(buf, cases[i].hostonly);
	}
}

static void test_from_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"localhost",
		"example.com",
		"1.2.3",
		"1.2.3.4.5",
		"256.1.1.1",
		"1.2.3.4 ",
		" 1.2.3.4",
		"[1.2.3.4]",
		"[::1",
		"::1]",
		"[]",
		"[",
		":::",
		"fe80::1%eth0",
		"1:2:3:4:5:6:7:8:9",
		"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:1",
	};
	struct tp_addr a;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (from(&a, bad[i], 5060) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	/* Not NUL-terminated: only the view counts. */
	assert_int_equal(tp_addr_from(&a, sv_make("10.0.0.12345", 8), 9), 0);
	assert_int_equal(tp_addr_fmt(&a, (char[32]){0}, 32), 10);
	assert_int_equal(tp_addr_from(&a, SV_NULL, 9), -EINVAL);
}

static void test_fmt_small(void **state)
{
	struct tp_addr a;
	char buf[16];

	(void)state;
	assert_int_equal(from(&a, "2001:db8::1", 5060), 0);
	assert_int_equal(tp_addr_fmt(&a, buf, 10), -ENOSPC);
	assert_int_equal(tp_addr_host(&a, buf, 4), -ENOSPC);
	assert_int_equal(from(&a, "10.0.0.1", 5060), 0);
	/* "10.0.0.1:5060" is 13 bytes + NUL. */
	assert_int_equal(tp_addr_fmt(&a, buf, 13), -ENOSPC);
	assert_int_equal(tp_addr_fmt(&a, buf, 14), 13);
	memset(&a, 0, sizeof(a));
	assert_int_equal(tp_addr_fmt(&a, buf, sizeof(buf)), -EAFNOSUPPORT);
	assert_int_equal(tp_addr_port(&a), 0);
}

static void test_eq(void **state)
{
	struct tp_addr a, b;

	(void)state;
	assert_int_equal(from(&a, "127.0.0.1", 5060), 0);
	assert_int_equal(from(&b, "127.0.0.1", 5060), 0);
	assert_true(tp_addr_eq(&a, &b));
	assert_int_equal(from(&b, "127.0.0.1", 5061), 0);
	assert_false(tp_addr_eq(&a, &b));
	assert_int_equal(from(&b, "127.0.0.2", 5060), 0);
	assert_false(tp_addr_eq(&a, &b));
	assert_int_equal(from(&b, "::ffff:127.0.0.1", 5060), 0);
	assert_false(tp_addr_eq(&a, &b));
	assert_int_equal(from(&a, "[2001:db8::1]", 5060), 0);
	assert_int_equal(from(&b, "2001:0db8:0:0::1", 5060), 0);
	assert_true(tp_addr_eq(&a, &b));
	b.u.sin6.sin6_scope_id = 2;
	assert_false(tp_addr_eq(&a, &b));
	/* Only meaningful fields count: garbage in sin_zero does not. */
	assert_int_equal(from(&a, "10.1.2.3", 1), 0);
	b = a;
	memset(b.u.sin.sin_zero, 0x55, sizeof(b.u.sin.sin_zero));
	assert_true(tp_addr_eq(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_fmt),
		cmocka_unit_test(test_from_bad),
		cmocka_unit_test(test_fmt_small),
		cmocka_unit_test(test_eq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
