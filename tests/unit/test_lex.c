/* test_lex.c - every byte of the character class table against the RFC 3261
 * §25.1 character lists, written out as strings here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sip/lex.h"
#include "testutil.h"

#define ALPHA	   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT	   "0123456789"
#define UNRESERVED ALPHA DIGIT "-_.!~*'()"

static const struct {
	unsigned cls;
	const char *chars;
} classes[] = {
	{LEX_ALPHA, ALPHA},
	{LEX_DIGIT, DIGIT},
	{LEX_HEX, DIGIT "abcdefABCDEF"},
	{LEX_TOKEN, ALPHA DIGIT "-.!%*_+`'~"},
	{LEX_LWS, " \t\r\n"},
	{LEX_UNRESERVED, UNRESERVED},
	{LEX_USER, UNRESERVED "&=+$,;?/"},
	{LEX_PASSWORD, UNRESERVED "&=+$,"},
	{LEX_PARAM, UNRESERVED "[]/:&+$"},
	{LEX_HNV, UNRESERVED "[]/?:+$"},
	{LEX_HOST, ALPHA DIGIT "-._"},
};

static void test_every_byte(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(classes) / sizeof(classes[0]); k++)
		for (int c = 0; c < 256; c++) {
			bool want = c != 0 && strchr(classes[k].chars, c);

			assert_int_equal(lex_is((char)c, classes[k].cls), want);
		}
}

static void test_quoted_end(void **state)
{
	struct guarded g = guard_str("\"a\\\"b\" rest");
	struct guarded open = guard_str("\"never closed\\\"");
	struct guarded ctl = guard_bytes("\"a\x01\"", 4);

	(void)state;
	assert_ptr_equal(lex_quoted_end(g.p, g.p + g.len), g.p + 6);
	assert_null(lex_quoted_end(open.p, open.p + open.len));
	assert_null(lex_quoted_end(ctl.p, ctl.p + ctl.len));
	guard_free(&g);
	guard_free(&open);
	guard_free(&ctl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_quoted_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
