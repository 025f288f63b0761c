/* fuzz_uri.c - libFuzzer target for sip_uri_parse, sip_uri_equal and
 * sip_unescape.
 *
 * Invariants checked (abort() on violation):
 *  - a parsed URI equals itself, and a second parse of the same text;
 *  - every view lies within the input;
 *  - equality of the two halves (split at the first '\n') is symmetric.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_uri(const struct sip_uri *u, struct sv in)
{
	const struct sv views[] = {
		u->raw,	   u->scheme,  u->user,	     u->password,   u->host,
		u->params, u->headers, u->transport, u->user_param, u->maddr,
		u->ttl,	   u->method,  u->opaque};
	char buf[64];

	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		check_view(views[i], in);
		(void)sip_unescape(buf, sizeof(buf), views[i]);
	}
	if (!u->has_port && u->port != 0)
		abort();
	if (!sip_uri_equal(u, u))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv in = sv_make((const char *)data, size), a, b;
	struct sip_uri u, v;
	char buf[64];
	size_t nl;
	bool ab, ba;

	if (size == 0)
		in.p = ""; /* libFuzzer may hand over NULL with size 0 */

	(void)sip_unescape(buf, sizeof(buf), in);

	if (sip_uri_parse(&u, in) == 0) {
		check_uri(&u, in);
		if (sip_uri_parse(&v, in) != 0 || !sip_uri_equal(&u, &v))
			abort();
	}

	/* Two URIs: symmetric comparison. */
	nl = sv_find(in, '\n');
	if (nl < in.len) {
		a = sv_make(in.p, nl);
		b = sv_skip(in, nl + 1);
		if (sip_uri_parse(&u, a) == 0 && sip_uri_parse(&v, b) == 0) {
			check_uri(&u, in);
			check_uri(&v, in);
			ab = sip_uri_equal(&u, &v);
			ba = sip_uri_equal(&v, &u);
			if (ab != ba)
				abort();
		}
	}
	return 0;
}
