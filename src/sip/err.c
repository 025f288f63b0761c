/* err.c - filling struct sip_err. */
#include <errno.h>

#include "sip/sip.h"

int sip_err_set(struct sip_err *err, uint16_t status, uint16_t hdr,
		const char *base, const char *at, const char *reason)
{
	if (err) {
		err->status = status;
		err->hdr = hdr;
		err->offset =
			(base && at && at >= base) ? (uint32_t)(at - base) : 0;
		err->reason = reason;
	}
	return -EBADMSG;
}
