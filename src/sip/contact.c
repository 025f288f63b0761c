/* contact.c - one Contact header value (RFC 3261 §20.10, §25.1):
 *
 *   Contact        = ("Contact" / "m" ) HCOLON
 *                    ( STAR / (contact-param *(COMMA contact-param)))
 *   contact-param  = (name-addr / addr-spec) *(SEMI contact-params)
 *   contact-params = c-p-q / c-p-expires / contact-extension
 */
#include <errno.h>

#include "sip/sip.h"

int sip_qvalue_parse(struct sv v, uint16_t *out)
{
	unsigned q, scale = 100;

	if (v.len == 0 || (v.p[0] != '0' && v.p[0] != '1'))
		return -EBADMSG;
	q = (unsigned)(v.p[0] - '0') * 1000;
	if (v.len > 1 && (v.p[1] != '.' || v.len > 5))
		return -EBADMSG;
	for (size_t i = 2; i < v.len; i++, scale /= 10) {
		if (v.p[i] < '0' || v.p[i] > '9' ||
		    (q == 1000 && v.p[i] != '0'))
			return -EBADMSG;
		q += (unsigned)(v.p[i] - '0') * scale;
	}
	*out = (uint16_t)q;
	return 0;
}

int sip_contact_parse(struct sip_contact *out, struct sv value)
{
	struct sv s = sv_trim(value), rest, name, v;
	bool has_value, seen_q = false, seen_expires = false;
	uint32_t secs;
	int rc;

	*out = (struct sip_contact){.q = 1000};
	if (s.len == 1 && s.p[0] == '*') {
		out->star = true;
		return 0;
	}
	rc = sip_addr_parse(&out->addr, s);
	if (rc)
		return rc;

	/* sip_addr_parse validated the parameters and sip_param_next skips
	 * the LWS around '=' (RFC 4475 wsinv: "; q = 0.33").  The first q and
	 * expires count, as with sip_param_find(). */
	rest = out->addr.params;
	while (rest.len && sip_param_next(&rest, &name, &v, &has_value) == 1) {
		if (!seen_q && sv_casecmp_eq(name, SV("q"))) {
			seen_q = true;
			if (!has_value || sip_qvalue_parse(v, &out->q) != 0)
				return -EBADMSG;
			out->has_q = true;
		} else if (!seen_expires &&
			   sv_casecmp_eq(name, SV("expires"))) {
			/* c-p-expires = "expires" EQUAL delta-seconds.  A bad
			 * or overlarge value is not an error: the registrar
			 * uses its default instead (§10.3 step 7, RFC 4475
			 * scalar02).  has_expires stays false so that such a
			 * value can never be taken for 0 (a de-registration).
			 */
			seen_expires = true;
			if (has_value && sv_to_u32(v, &secs) == 0) {
				out->has_expires = true;
				out->expires = secs;
			} else {
				out->expires_bad = true;
			}
		}
	}
	return 0;
}
