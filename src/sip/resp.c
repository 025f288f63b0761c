/* resp.c - building a response from a request (RFC 3261 §8.2.6). */
#include <errno.h>
#include <stdio.h>

#include "sip/sip.h"

struct wbuf {
	char *p;
	size_t len;
	size_t cap;
	bool full;
};

static void put(struct wbuf *w, struct sv s)
{
	if (w->full || s.len > w->cap - w->len) {
		w->full = true;
		return;
	}
	if (s.len)
		memcpy(w->p + w->len, s.p, s.len);
	w->len += s.len;
}

static void put_uint(struct wbuf *w, unsigned long v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lu", v);

	put(w, sv_make(num, (size_t)n));
}

/* "Name: value\r\n" with the canonical long name. */
static void put_hdr(struct wbuf *w, enum sip_hdr_id id, struct sv value)
{
	put(w, sip_hdr_name(id));
	put(w, SV(": "));
	put(w, value);
	put(w, SV("\r\n"));
}

/* Every header line of this id, in order (§8.2.6.2: Via values in order). */
static void copy_all(struct wbuf *w, const struct sip_msg *req,
		     enum sip_hdr_id id)
{
	for (const struct sip_hdr *h = sip_msg_hdr(req, id); h;
	     h = sip_msg_hdr_next(req, h))
		put_hdr(w, id, h->value);
}

long sip_resp_build(char *buf, size_t cap, const struct sip_msg *req,
		    unsigned code, const struct sip_resp_opts *opts)
{
	static const struct sip_resp_opts none;
	struct wbuf w = {.p = buf, .cap = cap};
	const struct sip_hdr *to = sip_msg_hdr(req, SIP_HDR_TO);
	struct sv reason;

	if (!opts)
		opts = &none;
	if (!req->request || code < 100 || code > 699)
		return -EINVAL;
	reason = opts->reason.len ? opts->reason
				  : sv_from_cstr(sip_status_reason(code));
	put(&w, SV("SIP/2.0 "));
	put_uint(&w, code);
	put(&w, SV(" "));
	put(&w, reason);
	put(&w, SV("\r\n"));
	copy_all(&w, req, SIP_HDR_VIA);
	copy_all(&w, req, SIP_HDR_FROM);
	if (to) {
		put(&w, SV("To: "));
		put(&w, to->value);
		/* §8.2.6.2: add a tag unless the request had one; a 100
		 * Trying never carries one of ours. */
		if (code > 100 && req->to_tag.len == 0 && opts->to_tag.len) {
			put(&w, SV(";tag="));
			put(&w, opts->to_tag);
		}
		put(&w, SV("\r\n"));
	}
	copy_all(&w, req, SIP_HDR_CALL_ID);
	copy_all(&w, req, SIP_HDR_CSEQ);
	/* §8.2.6.1: a 100 echoes Timestamp. */
	if (code == 100)
		copy_all(&w, req, SIP_HDR_TIMESTAMP);
	put(&w, opts->headers);
	put(&w, SV("Content-Length: "));
	put_uint(&w, opts->body.len);
	put(&w, SV("\r\n\r\n"));
	put(&w, opts->body);
	return w.full ? -ENOSPC : (long)w.len;
}
