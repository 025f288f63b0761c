/* trace.c - the message trace (docs/engine.md "Trace"): one line per SIP
 * message received or sent, when engine_cfg.trace_fd >= 0.
 *
 *   <epoch ms> TAB <in|out> TAB <udp|tcp> TAB <src ip:port> TAB
 *   <dst ip:port> TAB <start line> TAB <CSeq> TAB <Call-ID> LF
 *
 * Each line is written with one write() on a descriptor opened with
 * O_APPEND, so lines from several workers never interleave.  It is a
 * debugging aid: a cheap line scan of the raw bytes (the worker's scan
 * buffer may be in use by the message being processed when we send), a
 * copy of a gathered message and a syscall per message.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "engine/worker.h"

/* Enough for the start line and header section of any sane message; a
 * Call-ID or CSeq beyond it shows as "-". */
#define TRACE_SCAN_MAX 16384

struct field {
	char *buf;
	size_t cap, len;
};

/* Appends a header value or start line, control characters (tabs
 * included: they separate the fields) turned into spaces. */
static void field_add(struct field *f, const char *p, size_t n)
{
	for (size_t i = 0; i < n && f->len + 1 < f->cap; i++) {
		unsigned char c = (unsigned char)p[i];

		f->buf[f->len++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	f->buf[f->len] = '\0';
}

static bool name_is(const char *p, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

static size_t line_end(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != '\r' && *q != '\n')
		q++;
	return (size_t)(q - p);
}

static const char *next_line(const char *p, const char *end)
{
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	return p;
}

void trace_scan(const char *msg, size_t len, struct trace_fields *out)
{
	const char *p = msg, *end = msg + len;
	struct field start = {out->start, sizeof(out->start), 0};
	struct field cseq = {out->cseq, sizeof(out->cseq), 0};
	struct field cid = {out->call_id, sizeof(out->call_id), 0};
	struct field *cur = NULL; /* the header folded lines continue */
	size_t n;

	out->start[0] = out->cseq[0] = out->call_id[0] = '\0';
	while (p < end && (*p == '\r' || *p == '\n'))
		p++; /* keep-alive CRLFs before a message */
	n = line_end(p, end);
	field_add(&start, p, n);
	p = next_line(p + n, end);
	while (p < end) {
		const char *colon, *v;

		n = line_end(p, end);
		if (n == 0)
			break; /* end of the header section */
		if (*p == ' ' || *p == '\t') {
			/* A folded continuation line (RFC 3261 §7.3.1). */
			if (cur && cur->len)
				field_add(cur, " ", 1);
			while (n && (*p == ' ' || *p == '\t')) {
				p++;
				n--;
			}
			if (cur)
				field_add(cur, p, n);
			p = next_line(p + n, end);
			continue;
		}
		cur = NULL;
		colon = memchr(p, ':', n);
		if (colon) {
			size_t nl = (size_t)(colon - p);

			while (nl && (p[nl - 1] == ' ' || p[nl - 1] == '\t'))
				nl--;
			if (name_is(p, nl, "CSeq") && !cseq.len)
				cur = &cseq;
			else if ((name_is(p, nl, "Call-ID") ||
				  name_is(p, nl, "i")) &&
				 !cid.len)
				cur = &cid;
			v = colon + 1;
			while (v < p + n && (*v == ' ' || *v == '\t'))
				v++;
			if (cur)
				field_add(cur, v, (size_t)(p + n - v));
		}
		p = next_line(p + n, end);
	}
	/* Trailing blanks of a value (before its CRLF) are not part of it. */
	while (cseq.len && cseq.buf[cseq.len - 1] == ' ')
		cseq.buf[--cseq.len] = '\0';
	while (cid.len && cid.buf[cid.len - 1] == ' ')
		cid.buf[--cid.len] = '\0';
}

static void fmt_addr(const struct tp_addr *a, char *buf, size_t cap)
{
	if (!a || a->len == 0 || tp_addr_fmt(a, buf, cap) <= 0)
		snprintf(buf, cap, "-");
}

static const char *dash(const char *s)
{
	return *s ? s : "-";
}

int trace_format(char *line, size_t cap, uint64_t epoch_ms, bool out,
		 enum tp_proto proto, const struct tp_addr *src,
		 const struct tp_addr *dst, const char *msg, size_t len)
{
	struct trace_fields f;
	char s[64], d[64];
	int n;

	trace_scan(msg, len, &f);
	fmt_addr(src, s, sizeof(s));
	fmt_addr(dst, d, sizeof(d));
	n = snprintf(line, cap, "%" PRIu64 "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		     epoch_ms, out ? "out" : "in",
		     proto == TP_TCP   ? "tcp"
		     : proto == TP_TLS ? "tls"
				       : "udp",
		     s, d, dash(f.start), dash(f.cseq), dash(f.call_id));
	if (n < 0 || cap < 2)
		return -EINVAL;
	if ((size_t)n >= cap) {
		/* Cut, but still one whole line. */
		line[cap - 2] = '\n';
		n = (int)cap - 1;
	}
	return n;
}

/* Our address for a message to or from a peer: the listen address the
 * peer names if it fits (protocol and family), else the first that fits
 * (the choice worker_send makes for UDP). */
static const struct tp_addr *local_addr(const struct worker *w,
					const struct tp_peer *peer)
{
	const struct engine *e = w->e;
	sa_family_t fam = peer->addr.u.sa.sa_family;

	if (peer->listener < e->cfg.nlisten &&
	    e->cfg.listen[peer->listener].proto == peer->proto &&
	    e->local[peer->listener].u.sa.sa_family == fam)
		return &e->local[peer->listener];
	for (unsigned i = 0; i < e->cfg.nlisten; i++)
		if (e->cfg.listen[i].proto == peer->proto &&
		    e->local[i].u.sa.sa_family == fam)
			return &e->local[i];
	return NULL;
}

void worker_trace(struct worker *w, bool out, const struct tp_peer *peer,
		  const struct iovec *iov, int iovcnt)
{
	static __thread char flat[TRACE_SCAN_MAX];
	const struct tp_addr *local = local_addr(w, peer);
	const char *msg;
	size_t len = 0;
	struct timespec ts;
	uint64_t ms;
	char line[1024];
	ssize_t wr;
	int n;

	if (iovcnt == 1) {
		msg = iov[0].iov_base;
		len = iov[0].iov_len;
	} else {
		for (int i = 0; i < iovcnt && len < sizeof(flat); i++) {
			size_t k = iov[i].iov_len;

			if (k > sizeof(flat) - len)
				k = sizeof(flat) - len;
			memcpy(flat + len, iov[i].iov_base, k);
			len += k;
		}
		msg = flat;
	}
	/* A keep-alive (CRLFs only) is no message. */
	while (len && (*msg == '\r' || *msg == '\n')) {
		msg++;
		len--;
	}
	if (!len)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	n = trace_format(line, sizeof(line), ms, out, peer->proto,
			 out ? local : &peer->addr, out ? &peer->addr : local,
			 msg, len);
	if (n <= 0)
		return;
	/* One write() per line: O_APPEND keeps lines whole between
	 * workers.  A failed write is not worth failing the send for. */
	wr = write(w->e->cfg.trace_fd, line, (size_t)n);
	(void)wr;
}
