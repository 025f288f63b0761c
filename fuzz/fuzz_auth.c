/* fuzz_auth.c - sip_auth_parse() on an Authorization/WWW-Authenticate
 * value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv in = sv_make((const char *)data, size);
	struct sip_auth a;

	if (sip_auth_parse(&a, in) == 0) {
		const struct sv *f[] = {&a.username, &a.realm,	  &a.nonce,
					&a.uri,	     &a.response, &a.algorithm,
					&a.cnonce,   &a.opaque,	  &a.qop,
					&a.nc,	     &a.domain,	  &a.stale};

		if (a.scheme.len == 0)
			abort();
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			if (f[i]->p &&
			    (f[i]->p < in.p || sv_end(*f[i]) > sv_end(in)))
				abort();
	}
	return 0;
}
