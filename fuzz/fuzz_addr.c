/* fuzz_addr.c - libFuzzer target for sip_list_next, sip_contact_parse,
 * sip_addr_parse and sip_uri_parse of the address's URI.
 *
 * Invariants checked (abort() on violation): every view lies within the
 * item it came from, q stays within 0..1000, the two parsers agree on the
 * address, and a parsed URI equals itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool sv_same(struct sv a, struct sv b)
{
	return a.p == b.p && a.len == b.len;
}

static bool addr_same(const struct sip_addr *a, const struct sip_addr *b)
{
	return sv_same(a->display, b->display) &&
	       a->display_quoted == b->display_quoted && a->angle == b->angle &&
	       sv_same(a->uri, b->uri) && sv_same(a->params, b->params) &&
	       sv_same(a->tag, b->tag);
}

static void check_addr(const struct sip_addr *a, struct sv item)
{
	struct sip_uri u;

	check_view(a->display, item);
	check_view(a->uri, item);
	check_view(a->params, item);
	check_view(a->tag, item);
	if (a->uri.len == 0)
		abort();
	if (sip_uri_parse(&u, a->uri) == 0 && !sip_uri_equal(&u, &u))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv rest = sv_make((const char *)data, size), item;
	struct sip_contact c;
	struct sip_addr a;
	int rc_c, rc_a;

	if (size == 0)
		return 0;
	while (sip_list_next(&rest, &item) == 1) {
		rc_c = sip_contact_parse(&c, item);
		rc_a = sip_addr_parse(&a, item);
		if (rc_c == 0 && !c.star) {
			if (rc_a != 0 || c.q > 1000 || !addr_same(&c.addr, &a))
				abort();
			if (c.has_expires && c.expires_bad)
				abort();
		}
		if (rc_a == 0)
			check_addr(&a, item);
	}
	return 0;
}
