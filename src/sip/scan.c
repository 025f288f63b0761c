/* scan.c - frame one SIP message, split its start line, index its headers
 * and decode the transaction keys.
 *
 * One pass over the header section, line by line (memchr for LF), with no
 * allocation and no copy: every field is a view into the caller's buffer.
 * Bare LF line ends are tolerated as well as CRLF (robustness; RFC 3261 §7
 * requires CRLF of senders, not of receivers).
 */
#include <errno.h>

#include "sip/hdr_hash.h"
#include "sip/lex.h"
#include "sip/sip.h"

const struct sip_limits sip_limits_default = {
	.max_msg_size = 65535,
	.max_headers = 100,
	.max_line = 8192,
};

/* Scan state shared by the helpers below. */
struct scan {
	struct sip_msg *m;
	const struct sip_limits *lim;
	struct sip_err *err;
	const char *end; /* end of input */
	bool stream;
};

/* Report a problem: requests get the status, responses are dropped
 * (RFC 3261 §18.1.2 / RFC 4475 §3.1.2.5: malformed responses are
 * discarded). */
static int fail(struct scan *s, uint16_t status, uint16_t hdr, const char *at,
		const char *reason)
{
	uint16_t st = s->m->request ? status : 0;

	return sip_err_set(s->err, st, hdr, s->m->buf, at, reason);
}

/* The line starting at p: returns the LF position or NULL if the input ends
 * first.  *line_end is the end of the line content (before CR LF). */
static const char *line_at(const char *p, const char *end,
			   const char **line_end)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));

	if (!lf)
		return NULL;
	*line_end = (lf > p && lf[-1] == '\r') ? lf - 1 : lf;
	return lf;
}

/* "SIP/2.0", case-insensitively (§7.1).  Returns 0, or the status to send:
 * 505 for another well-formed version, 400 for garbage. */
static uint16_t check_version(struct sv v)
{
	size_t i = 4;

	if (sv_casecmp_eq(v, SV("SIP/2.0")))
		return 0;
	if (v.len < 7 || !sv_casecmp_eq(sv_make(v.p, 4), SV("SIP/")))
		return 400;
	if (!lex_digit(v.p[i]))
		return 400;
	while (i < v.len && lex_digit(v.p[i]))
		i++;
	if (i == v.len || v.p[i] != '.')
		return 400;
	if (++i == v.len)
		return 400;
	while (i < v.len && lex_digit(v.p[i]))
		i++;
	return i == v.len ? 505 : 400;
}

/* Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1).
 * Exactly one SP between elements and none at the end: RFC 4475
 * §3.1.2.8-10 allow rejecting the liberal forms, and a proxy must not
 * forward them anyway. */
static int scan_request_line(struct scan *s, struct sv line)
{
	struct sip_msg *m = s->m;
	const char *sp1, *sp2, *u, *e = sv_end(line);
	uint16_t vst;

	sp1 = memchr(line.p, ' ', line.len);
	if (!sp1)
		return fail(s, 400, SIP_HDR_NONE, line.p,
			    "Malformed Request-Line");
	sp2 = memchr(sp1 + 1, ' ', (size_t)(e - sp1 - 1));
	if (!sp2 || memchr(sp2 + 1, ' ', (size_t)(e - sp2 - 1)))
		return fail(s, 400, SIP_HDR_NONE, sp2 ? sp2 : line.p,
			    "Malformed Request-Line");
	m->method = sv_span(line.p, sp1);
	m->ruri = sv_span(sp1 + 1, sp2);
	m->version = sv_span(sp2 + 1, e);
	if (!lex_is_token(m->method))
		return fail(s, 400, SIP_HDR_NONE, line.p, "Bad method");
	/* Request-URI = SIP-URI / SIPS-URI / absoluteURI: all start with a
	 * scheme and ':'.  "<sip:...>" (RFC 4475 ltgtruri) fails here. */
	if (lex_scheme_len(m->ruri) == 0)
		return fail(s, 400, SIP_HDR_NONE, m->ruri.p, "Bad Request-URI");
	for (u = m->ruri.p; u < sp2; u++)
		if ((unsigned char)*u <= ' ' || *u == 0x7f)
			return fail(s, 400, SIP_HDR_NONE, u, "Bad Request-URI");
	vst = check_version(m->version);
	if (vst == 505)
		return fail(s, 505, SIP_HDR_NONE, m->version.p,
			    "Version Not Supported");
	if (vst)
		return fail(s, 400, SIP_HDR_NONE, m->version.p,
			    "Malformed SIP-Version");
	m->method_id = sip_method_id(m->method);
	return 0;
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2).
 * The SP before an empty reason is required but tolerated if missing
 * (RFC 4475 §3.1.1.13). */
static int scan_status_line(struct scan *s, struct sv line)
{
	struct sip_msg *m = s->m;
	const char *p = line.p, *e = sv_end(line);

	if (line.len < 11 || !sv_casecmp_eq(sv_make(p, 8), SV("SIP/2.0 ")))
		return fail(s, 0, SIP_HDR_NONE, p, "Malformed Status-Line");
	m->version = sv_make(p, 7);
	p += 8;
	if (!lex_digit(p[0]) || !lex_digit(p[1]) || !lex_digit(p[2]) ||
	    (p + 3 < e && p[3] != ' '))
		return fail(s, 0, SIP_HDR_NONE, p, "Bad status code");
	m->status = (uint16_t)((p[0] - '0') * 100 + (p[1] - '0') * 10 +
			       (p[2] - '0'));
	/* RFC 4475 §3.1.2.19: codes outside 100-699 are dropped. */
	if (m->status < 100 || m->status > 699)
		return fail(s, 0, SIP_HDR_NONE, p, "Bad status code");
	p += 3;
	if (p < e)
		p++;
	m->reason = sv_span(p, e);
	return 0;
}

static int scan_start_line(struct scan *s, struct sv line)
{
	/* A response starts with the version; a method named "SIP/..." is
	 * not a token (the '/' is not a token char), so this is exact. */
	if (line.len >= 4 && sv_casecmp_eq(sv_make(line.p, 4), SV("SIP/"))) {
		s->m->request = false;
		return scan_status_line(s, line);
	}
	s->m->request = true;
	return scan_request_line(s, line);
}

/* Add the header field "name: value" whose line starts at p. */
static int add_header(struct scan *s, const char *p, const char *le,
		      uint16_t *last)
{
	struct sip_msg *m = s->m;
	const char *q = p;
	uint32_t hash = 0;
	struct sip_hdr *h;
	struct sv name;
	uint16_t idx;
	uint8_t id;

	/* header-name HCOLON, in one pass: a token, optional SP/HTAB (RFC
	 * 4475 wsinv has "TO :"), then the colon. */
	for (; q < le && lex_is(*q, LEX_TOKEN); q++)
		hash = sip_hdr_hash_step(hash, *q);
	name = sv_span(p, q);
	while (q < le && (*q == ' ' || *q == '\t'))
		q++;
	if (q == le || *q != ':' || name.len == 0)
		return fail(s, 400, SIP_HDR_NONE, q,
			    memchr(p, ':', (size_t)(le - p))
				    ? "Bad header name"
				    : "Malformed header line");
	if (m->nhdrs >= s->lim->max_headers || m->nhdrs >= SIP_MSG_HDRS_MAX) {
		sip_err_set(s->err, m->request ? 513 : 0, SIP_HDR_NONE, m->buf,
			    p, "Too many header fields");
		return -EMSGSIZE;
	}
	for (q++; q < le && (*q == ' ' || *q == '\t'); q++)
		;
	idx = m->nhdrs++;
	h = &m->hdrs[idx];
	id = (uint8_t)sip_hdr_lookup_hashed(name, hash);
	h->name = name;
	h->value = sv_span(q, le); /* trimmed again when the field ends */
	h->line = sip_msg_off(m, p);
	h->id = id;
	h->pad = 0;
	h->next = SIP_HDR_END;
	if (id != SIP_HDR_NONE) {
		if (m->first[id] == SIP_HDR_END)
			m->first[id] = idx;
		else
			m->hdrs[last[id]].next = idx;
		last[id] = idx;
		m->count[id]++;
	}
	return 0;
}

/* Index the header section starting at p.  On success *body is the first
 * byte after the empty line. */
static int scan_headers(struct scan *s, const char *p, const char **body)
{
	struct sip_msg *m = s->m;
	uint16_t last[SIP_HDR__COUNT];
	struct sip_hdr *cur = NULL;
	const char *lf, *le;
	int rc;

	for (;;) {
		lf = line_at(p, s->end, &le);
		if (!lf) {
			if (s->stream)
				return -EAGAIN;
			return fail(s, 400, SIP_HDR_NONE, p,
				    "Truncated header section");
		}
		if (cur && (*p == ' ' || *p == '\t') && le > p) {
			/* Folded continuation line (§7.3.1). */
			cur->value.len = (size_t)(le - cur->value.p);
		} else {
			if (cur) {
				cur->value = sv_trim(cur->value);
				cur->end = sip_msg_off(m, p);
				if (cur->end - cur->line > s->lim->max_line)
					return fail(s, 400, cur->id, p,
						    "Header line too long");
			}
			if (le == p)
				break; /* the empty line */
			if (*p == ' ' || *p == '\t')
				return fail(s, 400, SIP_HDR_NONE, p,
					    "Malformed header line");
			rc = add_header(s, p, le, last);
			if (rc)
				return rc;
			cur = &m->hdrs[m->nhdrs - 1];
		}
		p = lf + 1;
	}
	m->hdrs_end = sip_msg_off(m, p);
	*body = lf + 1;
	return 0;
}

/* A header that must appear exactly once (§8.1.1, RFC 4475 §3.3.8): the
 * header, or NULL with *rc set. */
static const struct sip_hdr *single(struct scan *s, enum sip_hdr_id id,
				    const char *missing, const char *multiple,
				    int *rc)
{
	struct sip_msg *m = s->m;

	if (m->count[id] == 0) {
		*rc = fail(s, 400, id, m->buf + m->hdrs_end, missing);
		return NULL;
	}
	if (m->count[id] > 1) {
		*rc = fail(s, 400, id, m->hdrs[m->first[id]].name.p, multiple);
		return NULL;
	}
	*rc = 0;
	return &m->hdrs[m->first[id]];
}

static int scan_content_length(struct scan *s)
{
	struct sip_msg *m = s->m;
	const struct sip_hdr *h;
	uint32_t v;

	m->content_length = -1;
	if (m->count[SIP_HDR_CONTENT_LENGTH] == 0)
		return 0;
	h = &m->hdrs[m->first[SIP_HDR_CONTENT_LENGTH]];
	/* RFC 4475 §3.3.9: two values make framing impossible. */
	if (m->count[SIP_HDR_CONTENT_LENGTH] > 1)
		return fail(s, 400, SIP_HDR_CONTENT_LENGTH, h->name.p,
			    "Multiple Content-Length headers");
	/* RFC 4475 §3.1.2.3: negative or non-numeric is an error. */
	if (sip_uint_parse(h->value, UINT32_MAX, &v) != 0)
		return fail(s, 400, SIP_HDR_CONTENT_LENGTH, h->value.p,
			    "Bad Content-Length");
	m->content_length = v;
	return 0;
}

/* Frame the body (§18.3). */
static int scan_body(struct scan *s, const char *body)
{
	struct sip_msg *m = s->m;
	size_t avail = (size_t)(s->end - body);
	size_t blen;
	int rc = scan_content_length(s);

	if (rc)
		return rc;
	if (m->content_length < 0) {
		/* Stream transports must carry Content-Length (§20.14). */
		if (s->stream)
			return fail(s, 400, SIP_HDR_CONTENT_LENGTH, body,
				    "Missing Content-Length");
		blen = avail;
	} else {
		blen = (size_t)m->content_length;
		if ((size_t)(body - m->buf) + blen > s->lim->max_msg_size) {
			sip_err_set(s->err, m->request ? 513 : 0,
				    SIP_HDR_CONTENT_LENGTH, m->buf, body,
				    "Message Too Large");
			return -EMSGSIZE;
		}
		if (blen > avail) {
			if (s->stream)
				return -EAGAIN;
			/* RFC 4475 §3.1.2.2 over UDP. */
			return fail(s, 400, SIP_HDR_CONTENT_LENGTH, body,
				    "Content-Length larger than message");
		}
	}
	m->body = sv_make(body, blen);
	m->len = (size_t)(body - m->buf) + blen;
	return 0;
}

static int scan_cseq(struct scan *s)
{
	struct sip_msg *m = s->m;
	int rc;
	const struct sip_hdr *h =
		single(s, SIP_HDR_CSEQ, "Missing CSeq", "Multiple CSeq", &rc);

	if (!h)
		return rc;
	rc = sip_cseq_parse(&m->cseq, h->value);
	if (rc == -ERANGE)
		return fail(s, 400, SIP_HDR_CSEQ, h->value.p,
			    "CSeq number too large");
	if (rc)
		return fail(s, 400, SIP_HDR_CSEQ, h->value.p, "Bad CSeq");
	if (m->request && !sv_eq(m->cseq.method, m->method)) {
		/* RFC 4475 §3.1.2.17-18: 400, or 501 for a method we do not
		 * know (better for future extensions). */
		if (m->method_id == SIP_METHOD_OTHER)
			return fail(s, 501, SIP_HDR_CSEQ, h->value.p,
				    "Not Implemented");
		return fail(s, 400, SIP_HDR_CSEQ, h->value.p,
			    "CSeq method does not match Request-Line");
	}
	return 0;
}

static int scan_addr(struct scan *s, enum sip_hdr_id id, struct sip_addr *a,
		     const char *missing, const char *multiple, const char *bad)
{
	int rc;
	const struct sip_hdr *h = single(s, id, missing, multiple, &rc);

	if (!h)
		return rc;
	if (sip_addr_parse(a, h->value) != 0)
		return fail(s, 400, id, h->value.p, bad);
	return 0;
}

static int scan_via(struct scan *s)
{
	struct sip_msg *m = s->m;
	struct sv rest, item;
	const struct sip_hdr *h;

	if (m->count[SIP_HDR_VIA] == 0)
		return fail(s, 400, SIP_HDR_VIA, m->buf + m->hdrs_end,
			    "Missing Via");
	h = &m->hdrs[m->first[SIP_HDR_VIA]];
	rest = h->value;
	/* The common case, no quoted string: the top value ends at the first
	 * comma.  Otherwise let the list walker honour the quotes. */
	if (!memchr(rest.p, '"', rest.len)) {
		item = sv_rtrim(sv_make(rest.p, sv_find(rest, ',')));
		if (item.len == 0)
			return fail(s, 400, SIP_HDR_VIA, h->value.p,
				    "Bad Via header");
	} else if (sip_list_next(&rest, &item) != 1) {
		return fail(s, 400, SIP_HDR_VIA, h->value.p, "Bad Via header");
	}
	if (sip_via_parse(&m->via, item))
		return fail(s, 400, SIP_HDR_VIA, h->value.p, "Bad Via header");
	return 0;
}

static int scan_max_forwards(struct scan *s)
{
	struct sip_msg *m = s->m;
	const struct sip_hdr *h = NULL;
	uint32_t v;
	int rc;

	m->max_forwards = -1;
	if (m->count[SIP_HDR_MAX_FORWARDS] == 0)
		return 0;
	h = single(s, SIP_HDR_MAX_FORWARDS, "", "Multiple Max-Forwards", &rc);
	if (!h)
		return rc;
	/* Max-Forwards = 1*DIGIT, 0-255 (§20.22, RFC 4475 §3.1.2.4). */
	if (sip_uint_parse(h->value, 255, &v) != 0)
		return fail(s, 400, SIP_HDR_MAX_FORWARDS, h->value.p,
			    "Bad Max-Forwards");
	m->max_forwards = (int)v;
	return 0;
}

/* The transaction keys (§17.1.3, §17.2.3) and the mandatory headers of
 * §8.1.1.  Call-ID is checked first: RFC 4475 multi01 and insuf. */
static int scan_keys(struct scan *s)
{
	struct sip_msg *m = s->m;
	const struct sip_hdr *h = NULL;
	int rc;

	h = single(s, SIP_HDR_CALL_ID, "Missing Call-ID", "Multiple Call-ID",
		   &rc);
	if (!h)
		return rc;
	m->call_id = h->value;
	if (m->call_id.len == 0)
		return fail(s, 400, SIP_HDR_CALL_ID, h->name.p, "Bad Call-ID");
	rc = scan_cseq(s);
	if (rc)
		return rc;
	rc = scan_addr(s, SIP_HDR_FROM, &m->from, "Missing From",
		       "Multiple From", "Bad From header");
	if (rc)
		return rc;
	rc = scan_addr(s, SIP_HDR_TO, &m->to, "Missing To", "Multiple To",
		       "Bad To header");
	if (rc)
		return rc;
	m->from_tag = m->from.tag;
	m->to_tag = m->to.tag;
	m->parsed |= SIP_PARSED_FROM | SIP_PARSED_TO;
	rc = scan_via(s);
	if (rc)
		return rc;
	return scan_max_forwards(s);
}

int sip_msg_scan(struct sip_msg *m, const char *buf, size_t len, unsigned flags,
		 const struct sip_limits *lim, struct sip_err *err)
{
	struct scan s = {
		.m = m,
		.lim = lim ? lim : &sip_limits_default,
		.err = err,
		.end = buf + len,
		.stream = (flags & SIP_SCAN_STREAM) != 0,
	};
	const char *p = buf, *lf, *le, *body = NULL;
	size_t limit;
	int rc;

	m->nhdrs = 0;
	m->parsed = 0;
	m->len = 0;
	m->request = true;
	m->status = 0;
	m->body = SV_NULL;
	memset(m->first, 0xff, sizeof(m->first));
	memset(m->count, 0, sizeof(m->count));

	/* §7.5: ignore CRLFs before the start line (stream keep-alives). */
	while (p < s.end && (*p == '\r' || *p == '\n'))
		p++;
	m->buf = p;
	m->consumed = (size_t)(p - buf);
	if (p == s.end) {
		if (s.stream)
			return -EAGAIN;
		sip_err_set(err, 0, SIP_HDR_NONE, buf, p, "Empty message");
		return -ENODATA;
	}
	/* Bound the work: never scan past max_msg_size. */
	limit = s.lim->max_msg_size;
	if ((size_t)(s.end - p) > limit) {
		if (!s.stream) {
			sip_err_set(err, 513, SIP_HDR_NONE, p, p + limit,
				    "Message Too Large");
			return -EMSGSIZE;
		}
		s.end = p + limit;
	}

	lf = line_at(p, s.end, &le);
	if (!lf) {
		if (s.stream && (size_t)(s.end - p) < limit)
			return -EAGAIN;
		if (s.stream) {
			sip_err_set(err, 513, SIP_HDR_NONE, p, s.end,
				    "Message Too Large");
			return -EMSGSIZE;
		}
		return sip_err_set(err, 400, SIP_HDR_NONE, p, s.end,
				   "Truncated start line");
	}
	if ((size_t)(le - p) > s.lim->max_line)
		return sip_err_set(err, 400, SIP_HDR_NONE, p, p,
				   "Start line too long");
	rc = scan_start_line(&s, sv_span(p, le));
	if (rc)
		return rc;
	rc = scan_headers(&s, lf + 1, &body);
	if (rc == -EAGAIN && s.stream && s.end != buf + len) {
		/* Header section longer than the message size limit. */
		sip_err_set(err, m->request ? 513 : 0, SIP_HDR_NONE, p, s.end,
			    "Message Too Large");
		return -EMSGSIZE;
	}
	if (rc)
		return rc;
	/* Framing first: on a stream, nothing can be answered until it is
	 * known where this message ends. */
	s.end = buf + len;
	rc = scan_body(&s, body);
	if (rc)
		return rc;
	m->consumed += m->len;
	return scan_keys(&s);
}
