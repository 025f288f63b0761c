/* edit.c - an ordered list of edits on top of an untouched message, and its
 * serialization as iovecs or into one buffer.
 *
 * The input is never written to: a forwarded request is the input's bytes
 * with some ranges deleted and some text inserted (Kamailio's "lumps",
 * simplified).  Offsets refer to the scanned message (msg->buf).
 */
#include <errno.h>
#include <stdio.h>

#include "sip/sip.h"

void sip_edit_init(struct sip_edit *e, const struct sip_msg *m)
{
	e->m = m;
	e->nops = 0;
	e->failed = false;
	e->new_body = SV_NULL;
	e->used = 0;
}

/* Offset of the first body byte: everything before it is the header
 * section, where all edits happen. */
static uint32_t body_off(const struct sip_msg *m)
{
	return sip_msg_off(m, m->body.p);
}

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return a < b + blen && b < a + alen;
}

static int add_op_at(struct sip_edit *e, uint32_t off, uint32_t del,
		     struct sv ins, bool early)
{
	if (e->failed)
		return -EINVAL;
	if (e->nops >= SIP_EDIT_OPS_MAX || off + del > body_off(e->m)) {
		e->failed = true;
		return -ENOSPC;
	}
	for (uint16_t i = 0; i < e->nops; i++) {
		const struct sip_edit_op *o = &e->ops[i];

		/* Two deletions of the same bytes, or an insert inside a
		 * deleted range, mean the caller edited something twice. */
		if ((del && o->del && overlaps(off, del, o->off, o->del)) ||
		    (!del && o->del && off > o->off && off < o->off + o->del) ||
		    (del && !o->del && o->off > off && o->off < off + del)) {
			e->failed = true;
			return -EALREADY;
		}
	}
	e->ops[e->nops] = (struct sip_edit_op){.off = off,
					       .del = del,
					       .ins = ins,
					       .seq = e->nops,
					       .early = early};
	e->nops++;
	return 0;
}

static int add_op(struct sip_edit *e, uint32_t off, uint32_t del, struct sv ins)
{
	return add_op_at(e, off, del, ins, false);
}

/* Copy the concatenation of parts into scratch. */
static int scratch_cat(struct sip_edit *e, struct sv *out,
		       const struct sv *parts, size_t n)
{
	size_t total = 0;
	char *d;

	for (size_t i = 0; i < n; i++)
		total += parts[i].len;
	if (total > SIP_EDIT_SCRATCH - e->used) {
		e->failed = true;
		return -ENOSPC;
	}
	d = e->scratch + e->used;
	for (size_t i = 0; i < n; i++) {
		if (parts[i].len)
			memcpy(d, parts[i].p, parts[i].len);
		d += parts[i].len;
	}
	*out = sv_make(e->scratch + e->used, total);
	e->used += total;
	return 0;
}

static int header_line(struct sip_edit *e, struct sv name, struct sv value,
		       struct sv *out)
{
	const struct sv parts[] = {name, SV(": "), value, SV("\r\n")};

	return scratch_cat(e, out, parts, 4);
}

/* Where the first header line starts (right after the start line). */
static uint32_t headers_start(const struct sip_msg *m)
{
	return m->nhdrs ? m->hdrs[0].line : m->hdrs_end;
}

int sip_edit_add_top(struct sip_edit *e, enum sip_hdr_id id, struct sv value)
{
	const struct sip_hdr *h = sip_msg_hdr(e->m, id);
	struct sv line;
	int rc = header_line(e, sip_hdr_name(id), value, &line);

	if (rc)
		return rc;
	/* The first of its kind goes right under the start line, above the
	 * other headers and above anything else inserted there (a new
	 * Record-Route above a new Via, as proxies usually write it). */
	if (!h)
		return add_op_at(e, headers_start(e->m), 0, line, true);
	return add_op(e, h->line, 0, line);
}

int sip_edit_add_bottom(struct sip_edit *e, struct sv name, struct sv value)
{
	struct sv line;
	int rc = header_line(e, name, value, &line);

	if (rc)
		return rc;
	return add_op(e, e->m->hdrs_end, 0, line);
}

int sip_edit_pop_top(struct sip_edit *e, enum sip_hdr_id id)
{
	const struct sip_msg *m = e->m;
	const struct sip_hdr *h = sip_msg_hdr(m, id);
	struct sv rest, item;

	if (!h)
		return -ENOENT;
	rest = h->value;
	if (sip_list_next(&rest, &item) != 1)
		return -EBADMSG;
	if (rest.len == 0)
		return add_op(e, h->line, h->end - h->line, SV_NULL);
	/* "a, b": delete "a, " so that b becomes the first value. */
	return add_op(e, sip_msg_off(m, item.p),
		      sip_msg_off(m, rest.p) - sip_msg_off(m, item.p), SV_NULL);
}

int sip_edit_remove_hdr(struct sip_edit *e, uint16_t idx)
{
	const struct sip_hdr *h;

	if (idx >= e->m->nhdrs)
		return -EINVAL;
	h = &e->m->hdrs[idx];
	return add_op(e, h->line, h->end - h->line, SV_NULL);
}

int sip_edit_set_ruri(struct sip_edit *e, struct sv uri)
{
	const struct sip_msg *m = e->m;
	struct sv copy;
	int rc;

	if (!m->request)
		return -EINVAL;
	rc = scratch_cat(e, &copy, &uri, 1);
	if (rc)
		return rc;
	return add_op(e, sip_msg_off(m, m->ruri.p), (uint32_t)m->ruri.len,
		      copy);
}

int sip_edit_decr_max_forwards(struct sip_edit *e)
{
	const struct sip_msg *m = e->m;
	const struct sip_hdr *h;
	char num[8];
	struct sv copy;
	int n, rc;

	/* §16.6 step 3: add one with 70 if absent. */
	if (m->max_forwards < 0)
		return sip_edit_add_bottom(e, SV("Max-Forwards"), SV("70"));
	if (m->max_forwards == 0)
		return -ERANGE; /* §16.3 item 3: the caller answers 483 */
	h = sip_msg_hdr(m, SIP_HDR_MAX_FORWARDS);
	n = snprintf(num, sizeof(num), "%d", m->max_forwards - 1);
	rc = scratch_cat(e, &copy, &(struct sv){num, (size_t)n}, 1);
	if (rc)
		return rc;
	return add_op(e, sip_msg_off(m, h->value.p), (uint32_t)h->value.len,
		      copy);
}

void sip_edit_set_body(struct sip_edit *e, struct sv body)
{
	e->new_body = body.p ? body : SV("");
}

/* The Content-Length edit for the body to be sent, if one is needed.
 * Returns 1 and fills *op, or 0. */
static int content_length_op(struct sip_edit *e, struct sip_edit_op *op)
{
	const struct sip_msg *m = e->m;
	size_t blen = e->new_body.p ? e->new_body.len : m->body.len;
	const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_CONTENT_LENGTH);
	int n;

	if (h && m->content_length == (int64_t)blen)
		return 0;
	if (h) {
		n = snprintf(e->cl_buf, sizeof(e->cl_buf), "%zu", blen);
		*op = (struct sip_edit_op){
			.off = sip_msg_off(m, h->value.p),
			.del = (uint32_t)h->value.len,
			.ins = sv_make(e->cl_buf, (size_t)n),
			.seq = SIP_EDIT_OPS_MAX,
		};
	} else {
		n = snprintf(e->cl_buf, sizeof(e->cl_buf),
			     "Content-Length: %zu\r\n", blen);
		*op = (struct sip_edit_op){
			.off = m->hdrs_end,
			.ins = sv_make(e->cl_buf, (size_t)n),
			.seq = SIP_EDIT_OPS_MAX,
		};
	}
	return 1;
}

/* Serialization order: by offset; at one offset early inserts first, then
 * insertion order. */
static bool op_after(const struct sip_edit_op *a, const struct sip_edit_op *b)
{
	if (a->off != b->off)
		return a->off > b->off;
	if (a->early != b->early)
		return b->early;
	return a->seq > b->seq;
}

int sip_edit_iov(struct sip_edit *e, struct iovec *iov, size_t max)
{
	const struct sip_msg *m = e->m;
	struct sip_edit_op ops[SIP_EDIT_OPS_MAX + 1], t;
	size_t n = 0, nops = e->nops;
	uint32_t pos = 0, end = body_off(m);
	struct sv body = e->new_body.p ? e->new_body : m->body;

	if (e->failed)
		return -EINVAL;
	memcpy(ops, e->ops, nops * sizeof(ops[0]));
	nops += (size_t)content_length_op(e, &ops[nops]);
	/* Insertion sort by (offset, insertion order): a handful of ops. */
	for (size_t i = 1; i < nops; i++) {
		size_t j = i;

		t = ops[i];
		while (j > 0 && op_after(&ops[j - 1], &t)) {
			ops[j] = ops[j - 1];
			j--;
		}
		ops[j] = t;
	}
#define EMIT(ptr, l)                                                           \
	do {                                                                   \
		if ((l) > 0) {                                                 \
			if (n == max)                                          \
				return -ENOSPC;                                \
			iov[n].iov_base = (void *)(ptr);                       \
			iov[n].iov_len = (l);                                  \
			n++;                                                   \
		}                                                              \
	} while (0)
	for (size_t i = 0; i < nops; i++) {
		if (ops[i].off < pos)
			return -EINVAL; /* overlapping edits */
		EMIT(m->buf + pos, ops[i].off - pos);
		EMIT(ops[i].ins.p, ops[i].ins.len);
		pos = ops[i].off + ops[i].del;
	}
	EMIT(m->buf + pos, end - pos);
	EMIT(body.p, body.len);
#undef EMIT
	return (int)n;
}

long sip_edit_write(struct sip_edit *e, char *buf, size_t cap)
{
	struct iovec iov[2 * SIP_EDIT_OPS_MAX + 4];
	int n = sip_edit_iov(e, iov, sizeof(iov) / sizeof(iov[0]));
	size_t len = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (iov[i].iov_len > cap - len)
			return -ENOSPC;
		memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	return (long)len;
}
