/* fuzz_scan.c - sip_msg_scan on datagrams and streams, then every lazy
 * accessor and the full check on whatever scans. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(struct sip_msg *m)
{
	const struct sip_uri *u;
	const struct sip_addr *a;
	struct sip_value_iter it;
	struct sip_err err;
	struct sv v;

	(void)sip_msg_ruri(m, &u);
	(void)sip_msg_from(m, &a);
	(void)sip_msg_to_uri(m, &u);
	(void)sip_msg_check(m, &err);
	(void)sip_msg_has_token(m, SIP_HDR_REQUIRE, SV("100rel"));
	(void)sip_msg_has_token(m, SIP_HDR_ALLOW, SV("INVITE"));
	for (int id = 1; id < SIP_HDR__COUNT; id++) {
		sip_value_iter_init(&it, m, (enum sip_hdr_id)id);
		while (sip_value_iter_next(&it, &v) == 1)
			if (v.p < m->buf || v.p + v.len > m->buf + m->len)
				abort(); /* a view outside the message */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_msg m;
	const char *p = (const char *)data;
	struct sip_err err;
	size_t off = 0;
	int rc;

	if (sip_msg_scan(&m, p, size, 0, NULL, &err) == 0) {
		if (m.len > size || m.body.p + m.body.len > p + size)
			abort();
		walk(&m);
	}
	/* The same bytes as a stream: frame message after message. */
	while (off < size) {
		rc = sip_msg_scan(&m, p + off, size - off, SIP_SCAN_STREAM,
				  NULL, &err);
		if (rc == 0) {
			if (m.consumed == 0 || m.consumed > size - off)
				abort();
			walk(&m);
		} else if (rc != -EBADMSG || m.len == 0) {
			break;
		}
		off += m.consumed;
	}
	return 0;
}
