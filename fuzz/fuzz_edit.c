/* fuzz_edit.c - parse -> edit -> serialize -> parse.  Whatever scans must,
 * after a proxy's edits, serialize into a message that scans again with the
 * same transaction keys and body. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sip_msg in, out;
static struct sip_edit e;
static char buf[65536 + 8192];
static const struct sip_limits relaxed = {
	.max_msg_size = sizeof(buf),
	.max_headers = SIP_MSG_HDRS_MAX,
	.max_line = 8192,
};

static void must(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long n;
	int rc;

	if (sip_msg_scan(&in, (const char *)data, size, 0, NULL, NULL) != 0)
		return 0;
	sip_edit_init(&e, &in);
	if (in.request) {
		must(sip_edit_add_top(&e, SIP_HDR_VIA,
				      SV("SIP/2.0/UDP 192.0.2.1:5060;"
					 "branch=z9hG4bKfuzz")) == 0);
		if (sip_msg_hdr(&in, SIP_HDR_ROUTE))
			(void)sip_edit_pop_top(&e, SIP_HDR_ROUTE);
		rc = sip_edit_decr_max_forwards(&e);
		must(rc == 0 || (rc == -ERANGE && in.max_forwards == 0));
		must(sip_edit_add_top(&e, SIP_HDR_RECORD_ROUTE,
				      SV("<sip:192.0.2.1;lr>")) == 0);
		must(sip_edit_set_ruri(&e, SV("sip:bob@192.0.2.4")) == 0);
	} else if (in.count[SIP_HDR_VIA] > 1 || in.via.value.len) {
		(void)sip_edit_pop_top(&e, SIP_HDR_VIA);
	}
	n = sip_edit_write(&e, buf, sizeof(buf));
	if (n < 0)
		return 0; /* a list we could not pop, or edits too large */
	if (!in.request)
		return 0; /* without its top Via a response need not scan */
	/* Room for the lines the edits added. */
	rc = sip_msg_scan(&out, buf, (size_t)n, SIP_SCAN_STREAM, &relaxed,
			  NULL);
	must(rc == 0);
	must(out.consumed == (size_t)n);
	must(sv_eq(out.call_id, in.call_id));
	must(out.cseq.num == in.cseq.num);
	must(sv_eq(out.from_tag, in.from_tag));
	must(sv_eq(out.to_tag, in.to_tag));
	must(sv_eq(out.body, in.body));
	must(sv_eq(out.via.branch, SV("z9hG4bKfuzz")));
	must(out.count[SIP_HDR_VIA] == in.count[SIP_HDR_VIA] + 1);
	must(out.max_forwards == (in.max_forwards < 0 ? 70
				  : in.max_forwards   ? in.max_forwards - 1
						      : 0));
	return 0;
}
