/* test_trace.c - the message trace's line scan and line format
 * (engine/trace.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/worker.h"

static void scan(const char *msg, struct trace_fields *f)
{
	trace_scan(msg, strlen(msg), f);
}

static void test_scan_request(void **state)
{
	struct trace_fields f;

	(void)state;
	scan("\r\n\r\nINVITE sip:b@example.com SIP/2.0\r\n"
	     "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK1\r\n"
	     "cseq : 314159 INVITE\r\n"
	     "Call-ID: a84b4c76e66710@pc33\r\n"
	     "Call-ID: second@ignored\r\n"
	     "\r\n"
	     "CSeq: 1 BODY\r\n",
	     &f);
	assert_string_equal(f.start, "INVITE sip:b@example.com SIP/2.0");
	assert_string_equal(f.cseq, "314159 INVITE");
	assert_string_equal(f.call_id, "a84b4c76e66710@pc33");
}

static void test_scan_compact_folded(void **state)
{
	struct trace_fields f;

	(void)state;
	/* Compact Call-ID, a folded CSeq, bare LF line ends, a tab inside a
	 * value (tabs separate the trace's fields: it becomes a space). */
	scan("SIP/2.0 300 Multiple Choices\n"
	     "i:\tabc\tdef  \n"
	     "CSeq: 7\n"
	     " \t INVITE\n",
	     &f);
	assert_string_equal(f.start, "SIP/2.0 300 Multiple Choices");
	assert_string_equal(f.call_id, "abc def");
	assert_string_equal(f.cseq, "7 INVITE");
}

static void test_scan_missing(void **state)
{
	struct trace_fields f;

	(void)state;
	scan("", &f);
	assert_string_equal(f.start, "");
	scan("garbage without line end", &f);
	assert_string_equal(f.start, "garbage without line end");
	assert_string_equal(f.cseq, "");
	assert_string_equal(f.call_id, "");
}

static void test_scan_long(void **state)
{
	static char msg[2048];
	struct trace_fields f;
	char id[1001];

	(void)state;
	/* Over-long values are cut to the field, still NUL-terminated. */
	memset(id, 'c', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	snprintf(msg, sizeof(msg),
		 "OPTIONS sip:x SIP/2.0\r\nCall-ID: %s\r\n\r\n", id);
	scan(msg, &f);
	assert_int_equal(strlen(f.call_id), sizeof(f.call_id) - 1);
}

static void test_format(void **state)
{
	struct tp_addr a, b;
	char line[512];
	const char *msg = "SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\n"
			  "Call-ID: c1\r\n\r\n";
	int n;

	(void)state;
	assert_int_equal(tp_addr_from(&a, SV("127.0.0.1"), 5060), 0);
	assert_int_equal(tp_addr_from(&b, SV("::1"), 5081), 0);
	n = trace_format(line, sizeof(line), 1700000000123ull, true, TP_UDP, &a,
			 &b, msg, strlen(msg));
	assert_string_equal(line, "1700000000123\tout\tudp\t127.0.0.1:5060\t"
				  "[::1]:5081\tSIP/2.0 180 Ringing\t1 INVITE\t"
				  "c1\n");
	assert_int_equal(n, (int)strlen(line));
	/* Unknown parts print as "-". */
	n = trace_format(line, sizeof(line), 5, false, TP_TCP, NULL, &b, "X",
			 1);
	assert_string_equal(line, "5\tin\ttcp\t-\t[::1]:5081\tX\t-\t-\n");
	assert_int_equal(n, (int)strlen(line));
	/* A line cut to fit is still one line. */
	n = trace_format(line, 20, 5, false, TP_TCP, &a, &b, msg, strlen(msg));
	assert_int_equal(n, 19);
	assert_int_equal(line[18], '\n');
	assert_int_equal(line[19], '\0');
	assert_int_equal(trace_format(line, 1, 5, false, TP_TCP, &a, &b, msg,
				      strlen(msg)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_request),
		cmocka_unit_test(test_scan_compact_folded),
		cmocka_unit_test(test_scan_missing),
		cmocka_unit_test(test_scan_long),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
