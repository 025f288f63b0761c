/* fuzz_scalar.c - sip_cseq_parse(), sip_uint_parse(), sip_hdr_lookup() and
 * sip_method_id() on the same input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv in = sv_make((const char *)data, size);
	struct sip_cseq c;
	uint32_t u;
	enum sip_hdr_id h;
	enum sip_method m;

	if (sip_cseq_parse(&c, in) == 0 &&
	    c.method_id != sip_method_id(c.method))
		abort();
	if (sip_uint_parse(in, 255, &u) == 0 && u > 255)
		abort();
	(void)sip_uint_parse(in, UINT32_MAX, &u);

	/* A known name must round-trip through its canonical spelling. */
	h = sip_hdr_lookup(in);
	if (h != SIP_HDR_NONE && size > 1 &&
	    sip_hdr_lookup(sip_hdr_name(h)) != h)
		abort();
	if (h != SIP_HDR_NONE && size > 1 &&
	    !sv_casecmp_eq(in, sip_hdr_name(h)))
		abort();

	/* Methods are case-sensitive: a hit is a byte-exact match. */
	m = sip_method_id(in);
	if (m != SIP_METHOD_OTHER && !sv_eq(in, sip_method_name(m)))
		abort();
	(void)sip_status_reason(size ? data[0] * 4u : 0);
	return 0;
}
