/* input.c - a received message: scan it, answer or drop it if malformed,
 * match it to a transaction (§17.1.3, §17.2.3) or start one, and hand it
 * to the state machine or to the TU.
 */
#include <errno.h>
#include <string.h>

#include "txn/txn_int.h"

static void input_stray(struct txn_layer *l, struct sip_msg *m,
			const struct tp_rx *rx)
{
	l->stats.stray++;
	if (l->tu.stray)
		l->tu.stray(l->tu_arg, m, rx);
}

/* The first token of the start line: "ACK" is never answered. */
static bool starts_with_ack(const char *p, size_t len)
{
	while (len && (*p == '\r' || *p == '\n')) {
		p++;
		len--;
	}
	return len >= 4 && memcmp(p, "ACK ", 4) == 0;
}

/* A malformed request gets the status its struct sip_err names, statelessly
 * (§8.2, §16.3, §21.4).  The scan stopped where the problem was, so the
 * headers a response copies (Via, From, To, Call-ID, CSeq) may not be
 * indexed yet: index a repaired copy whose start line is a harmless one,
 * and decode its top Via and To tag by hand. */
static void input_malformed(struct txn_layer *l, const char *buf, size_t len,
			    const struct tp_rx *rx, const struct sip_err *err)
{
	static const char line[] = "X sip:invalid SIP/2.0\r\n";
	struct sip_msg *s = &l->scratch;
	struct sip_resp_opts opts = {0};
	const struct sip_hdr *h;
	const char *lf;
	size_t rest;

	l->stats.rx_malformed++;
	if (err->status == 0 || starts_with_ack(buf, len))
		return;
	while (len && (*buf == '\r' || *buf == '\n')) {
		buf++;
		len--;
	}
	lf = memchr(buf, '\n', len);
	rest = lf ? len - (size_t)(lf + 1 - buf) : 0;
	if (rest > TXN_MSG_MAX - (sizeof(line) - 1))
		rest = TXN_MSG_MAX - (sizeof(line) - 1);
	memcpy(l->fix, line, sizeof(line) - 1);
	if (rest)
		memcpy(l->fix + sizeof(line) - 1, lf + 1, rest);
	s->via = (struct sip_via){0};
	s->cseq = (struct sip_cseq){0};
	s->call_id = SV_NULL;
	s->from_tag = SV_NULL;
	s->to_tag = SV_NULL;
	(void)sip_msg_scan(s, l->fix, sizeof(line) - 1 + rest, 0,
			   &l->stored_limits, NULL);
	s->request = true;
	s->method_id = SIP_METHOD_OTHER;
	h = sip_msg_hdr(s, SIP_HDR_VIA);
	if (h) {
		struct sv vals = h->value, top;

		if (sip_list_next(&vals, &top) != 1 ||
		    sip_via_parse(&s->via, top) != 0)
			h = NULL;
	}
	if (!h) {
		/* No usable Via: answer the source address and port, as
		 * rport would (RFC 3581). */
		s->via = (struct sip_via){.has_rport = true};
	}
	h = sip_msg_hdr(s, SIP_HDR_TO);
	if (h) {
		struct sip_addr to;

		if (sip_addr_parse(&to, h->value) == 0)
			s->to_tag = to.tag;
	}
	opts.reason = sv_from_cstr(err->reason);
	(void)txn_reply_stateless(l, s, rx, err->status, &opts);
}

void txn_input(struct txn_layer *l, const char *buf, size_t len,
	       const struct tp_rx *rx)
{
	struct sip_err err = {0};
	int rc = sip_msg_scan(&l->in, buf, len, 0, l->limits, &err);

	if (rc == -ENODATA)
		return; /* CRLF keep-alive (§7.5) */
	if (rc) {
		input_malformed(l, buf, len, rx, &err);
		return;
	}
	txn_input_msg(l, &l->in, rx);
}

/* A new request: a server transaction, or a 503 when the pool is spent.
 * A CANCEL that matches a server INVITE goes to tu->cancel (§9.2). */
static void input_new_request(struct txn_layer *l, struct sip_msg *m,
			      const struct tp_rx *rx)
{
	struct txn *st, *inv = NULL;

	if (txn_server_new(l, m, rx, &st) != 0) {
		l->stats.pool_exhausted++;
		(void)txn_reply_stateless(l, m, rx, 503, NULL);
		return;
	}
	if (m->method_id == SIP_METHOD_CANCEL)
		inv = txn_match_server(l, m, SIP_METHOD_INVITE, SV("INVITE"));
	txn_hold(st);
	if (inv) {
		txn_hold(inv);
		if (l->tu.cancel)
			l->tu.cancel(l->tu_arg, inv, st, m);
		txn_unhold(inv);
	} else if (l->tu.request) {
		l->tu.request(l->tu_arg, st, m);
	}
	txn_unhold(st);
}

static void input_request(struct txn_layer *l, struct sip_msg *m,
			  const struct tp_rx *rx)
{
	struct txn *t;

	if (m->method_id == SIP_METHOD_ACK) {
		/* §17.2.3: an ACK matches the INVITE it acknowledges. */
		t = txn_match_server(l, m, SIP_METHOD_INVITE, SV("INVITE"));
		if (!t || t->kind != TXN_SERVER_INVITE) {
			input_stray(l, m, rx);
			return;
		}
		txn_hold(t);
		txn_sinv_ack(t, m, rx);
		txn_unhold(t);
		return;
	}
	t = txn_match_server(l, m, m->method_id, m->method);
	if (!t) {
		input_new_request(l, m, rx);
		return;
	}
	/* A retransmission: absorbed by its transaction. */
	txn_hold(t);
	if (t->kind == TXN_SERVER_INVITE)
		txn_sinv_retransmit(t);
	else
		txn_snon_retransmit(t);
	txn_unhold(t);
}

static void input_response(struct txn_layer *l, struct sip_msg *m,
			   const struct tp_rx *rx)
{
	struct txn *t = txn_match_client(l, m);

	if (!t) {
		/* §18.1.2: no transaction; a proxy forwards a stray 2xx. */
		input_stray(l, m, rx);
		return;
	}
	txn_hold(t);
	if (t->kind == TXN_CLIENT_INVITE)
		txn_cinv_response(t, m);
	else
		txn_cnon_response(t, m);
	txn_unhold(t);
}

void txn_input_msg(struct txn_layer *l, struct sip_msg *m,
		   const struct tp_rx *rx)
{
	if (m->request) {
		l->stats.rx_requests++;
		input_request(l, m, rx);
	} else {
		l->stats.rx_responses++;
		input_response(l, m, rx);
	}
}
