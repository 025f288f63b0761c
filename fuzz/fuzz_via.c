/* fuzz_via.c - a Via header value: split with sip_list_next(), then
 * sip_via_parse() on each item. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv rest = sv_make((const char *)data, size), item;
	struct sip_via v;

	while (sip_list_next(&rest, &item) == 1) {
		if (sip_via_parse(&v, item) != 0)
			continue;
		/* Every view must lie inside the item. */
		if (v.host.p < item.p || sv_end(v.host) > sv_end(item) ||
		    v.transport.len == 0 || v.host.len == 0 ||
		    (v.has_port && v.port == 0))
			abort();
		if (v.branch.len &&
		    (v.branch.p < item.p || sv_end(v.branch) > sv_end(item)))
			abort();
		(void)sip_via_branch_is_rfc3261(&v);
	}
	return 0;
}
