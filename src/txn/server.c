/* server.c - creating server transactions (§17.2) and the TU's way of
 * answering them: txn_reply() builds a response from the stored request
 * (§8.2.6), txn_reply_raw() sends one the TU built.
 */
#include <errno.h>

#include "txn/txn_int.h"

int txn_server_new(struct txn_layer *l, const struct sip_msg *m,
		   const struct tp_rx *rx, struct txn **out)
{
	struct iovec iov = {.iov_base = (void *)m->buf, .iov_len = m->len};
	size_t len;
	struct txn *t;

	*out = NULL;
	t = txn_alloc(l);
	if (!t)
		return -ENOBUFS;
	t->req = txn_store(l, &iov, 1, &len);
	if (!t->req) {
		/* Back to the pool unannounced: the TU never saw it. */
		t->flags = 0;
		t->hnext = l->free_list;
		l->free_list = t;
		l->stats.live--;
		return -ENOBUFS;
	}
	t->req_len = (uint16_t)len;
	/* The copy holds exactly m->buf[0 .. m->len): every view of m is at
	 * the same offset in it. */
	txn_keys_set(t, m, m->buf);
	if (txn_response_peer(m, rx, &t->peer) != 0)
		t->peer = rx->src;
	if (m->method_id == SIP_METHOD_INVITE) {
		t->kind = TXN_SERVER_INVITE;
		t->state = TXN_PROCEEDING; /* §17.2.1 */
	} else {
		t->kind = TXN_SERVER_NONINVITE;
		t->state = TXN_TRYING; /* §17.2.2 */
	}
	txn_hash_insert(t);
	l->stats.server_created++;
	*out = t;
	return 0;
}

int txn_server_store(struct txn *t, const char *buf, size_t len)
{
	struct sip_msg *m = &t->l->scratch;
	int rc = txn_store_resp(t, buf, len);

	if (rc)
		return rc;
	/* RFC 2543 ACKs match on the To tag of our response (§17.2.3). */
	if ((t->flags & TF_RFC2543) &&
	    sip_msg_scan(m, t->resp, t->resp_len, 0, &t->l->stored_limits,
			 NULL) == 0)
		t->resp_to_tag = txn_span_of(t->resp, m->to_tag);
	return 0;
}

static int server_respond(struct txn *t, const char *buf, size_t len,
			  unsigned code)
{
	int rc;

	txn_hold(t);
	if (t->kind == TXN_SERVER_INVITE)
		rc = txn_sinv_respond(t, buf, len, code);
	else
		rc = txn_snon_respond(t, buf, len, code);
	txn_unhold(t);
	return rc;
}

static bool server_usable(const struct txn *t)
{
	return t && (t->flags & TF_LIVE) && !(t->flags & TF_CLIENT) &&
	       t->state != TXN_TERMINATED;
}

int txn_reply(struct txn *st, unsigned code, const struct sip_resp_opts *o)
{
	struct sip_resp_opts opts = {0};
	struct txn_layer *l;
	struct sip_msg *req;
	char tag[24];
	long n;

	if (!server_usable(st) || code < 100 || code > 699)
		return -EINVAL;
	l = st->l;
	req = &l->scratch;
	if (txn_rescan(st, req) != 0)
		return -EINVAL;
	if (o)
		opts = *o;
	/* §8.2.6.2: a response that may create a dialog carries our tag;
	 * the same one for every response of this transaction. */
	if (code > 100 && req->to_tag.len == 0 && opts.to_tag.len == 0) {
		int k = txn_make_tag(st, tag, sizeof(tag));

		if (k > 0)
			opts.to_tag = sv_make(tag, (size_t)k);
	}
	n = sip_resp_build(l->out, sizeof(l->out), req, code, &opts);
	if (n < 0)
		return (int)n;
	return server_respond(st, l->out, (size_t)n, code);
}

/* "SIP/2.0 NNN" at the start of a response. */
static int status_of(const char *p, size_t len)
{
	unsigned code = 0;

	if (len < 12 || !sv_casecmp_eq(sv_make(p, 8), SV("SIP/2.0 ")))
		return -EINVAL;
	for (int i = 8; i < 11; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -EINVAL;
		code = code * 10 + (unsigned)(p[i] - '0');
	}
	if (code < 100 || code > 699 || (p[11] != ' ' && p[11] != '\r'))
		return -EINVAL;
	return (int)code;
}

int txn_reply_raw(struct txn *st, const struct iovec *iov, int iovcnt)
{
	struct txn_layer *l;
	size_t len = 0;
	int code;

	if (!server_usable(st) || !iov || iovcnt <= 0)
		return -EINVAL;
	l = st->l;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > sizeof(l->out) - len)
			return -EMSGSIZE;
		if (iov[i].iov_len)
			memcpy(l->out + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	code = status_of(l->out, len);
	if (code < 0)
		return code;
	return server_respond(st, l->out, len, (unsigned)code);
}
