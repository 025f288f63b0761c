/* scalar.c - CSeq and the delta-seconds style unsigned values. */
#include <errno.h>

#include "sip/lex.h"
#include "sip/sip.h"

/* CSeq = "CSeq" HCOLON 1*DIGIT LWS Method (§20.16).  The number must be
 * expressible as a 32-bit unsigned integer (§8.1.1.5); RFC 4475 §3.1.2.4
 * (scalar02) sends 2^65.  LWS may be a folded line (RFC 4475 §3.1.1.1,
 * wsinv: "0009\r\n  INVITE").  Leading zeros are fine. */
int sip_cseq_parse(struct sip_cseq *out, struct sv value)
{
	const char *p, *e, *b;
	struct sv num;
	int rc;

	memset(out, 0, sizeof(*out));
	value = sv_trim(value);
	p = value.p;
	e = sv_end(value);

	b = p;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	num = sv_span(b, p);
	if (num.len == 0 || p == e || !sv_is_lws(*p))
		return -EBADMSG;
	while (p < e && sv_is_lws(*p))
		p++;
	b = p;
	while (p < e && lex_is(*p, LEX_TOKEN))
		p++;
	/* Method = token, and nothing may follow it (value is trimmed). */
	if (p == b || p != e)
		return -EBADMSG;
	/* Syntax first, then range: a well-formed but huge number is -ERANGE
	 * so the caller can say so in its 400 reason. */
	rc = sv_to_u32(num, &out->num);
	if (rc != 0)
		return -ERANGE; /* only digits here: -EINVAL is impossible */
	out->method = sv_span(b, p);
	out->method_id = sip_method_id(out->method);
	return 0;
}

int sip_uint_parse(struct sv value, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int rc = sv_to_u64(sv_trim(value), max, &v);

	if (rc == 0)
		*out = (uint32_t)v;
	return rc;
}
