/* client_invite.c - the INVITE client transaction, RFC 3261 §17.1.1 with
 * the Accepted state of RFC 6026 §7.2.
 *
 *   Calling --1xx--> Proceeding --2xx--> Accepted --Timer M--> Terminated
 *      |                 |
 *      +---300-699-------+--> Completed (ACK sent) --Timer D--> Terminated
 *   Calling --Timer B--> Terminated (timeout)
 */
#include <errno.h>

#include "txn/txn_int.h"

static void cinv_pass_up(struct txn *t, struct sip_msg *m)
{
	struct txn_layer *l = t->l;

	if (l->tu.response)
		l->tu.response(l->tu_arg, t, m);
}

/* §17.1.1.1: Timer A (UDP only) starts at T1, Timer B at 64*T1. */
void txn_cinv_start(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (!txn_reliable(t)) {
		t->interval = l->cfg.t1;
		tw_add(l->tw, &t->retx, t->interval);
	}
	tw_add(l->tw, &t->end, txn_64t1(l));
}

/* Timer A fired in Calling: retransmit, double the interval (no cap for
 * INVITE: 500, 1000, 2000, ... until Timer B). */
void txn_cinv_timer_retx(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (t->state != TXN_CALLING)
		return;
	l->stats.retransmitted++;
	if (txn_send(t, t->req, t->req_len) != 0)
		return;
	t->interval *= 2;
	tw_add(l->tw, &t->retx, t->interval);
}

/* Timer B (Calling): timeout, the TU acts as on a 408 (§8.1.3.1).
 * In Proceeding the timer runs only after our CANCEL (txn_cancel_send):
 * §9.1, no final 64*T1 after the CANCEL, the INVITE is considered
 * cancelled; the TU hears a timeout.  Timer D (Completed), Timer M
 * (Accepted): the end. */
void txn_cinv_timer_end(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (t->state == TXN_CALLING || t->state == TXN_PROCEEDING) {
		l->stats.timeouts++;
		if (l->tu.timeout)
			l->tu.timeout(l->tu_arg, t);
	}
	txn_terminate(t);
}

/* §17.1.1.3: the ACK for a non-2xx final: Request-URI, Call-ID, From and
 * CSeq number of the request, CSeq method ACK, the request's top Via only,
 * To of the response (with its tag), the request's Route headers. */
static long cinv_build_ack(struct txn *t, const struct sip_msg *resp)
{
	struct txn_layer *l = t->l;
	struct sip_msg *req = &l->scratch;
	struct txn_wbuf w = {.p = l->out, .cap = sizeof(l->out)};
	const struct sip_hdr *h;

	if (txn_rescan(t, req) != 0)
		return -EINVAL;
	txn_wb_put(&w, SV("ACK "));
	txn_wb_put(&w, req->ruri);
	txn_wb_put(&w, SV(" SIP/2.0\r\n"));
	txn_wb_hdr(&w, "Via", req->via.value);
	for (h = sip_msg_hdr(req, SIP_HDR_ROUTE); h;
	     h = sip_msg_hdr_next(req, h))
		txn_wb_hdr(&w, "Route", h->value);
	txn_wb_put(&w, SV("Max-Forwards: 70\r\n"));
	h = sip_msg_hdr(req, SIP_HDR_FROM);
	txn_wb_hdr(&w, "From", h->value);
	h = sip_msg_hdr(resp, SIP_HDR_TO);
	txn_wb_hdr(&w, "To", h->value);
	txn_wb_hdr(&w, "Call-ID", req->call_id);
	txn_wb_put(&w, SV("CSeq: "));
	txn_wb_uint(&w, req->cseq.num);
	txn_wb_put(&w, SV(" ACK\r\nContent-Length: 0\r\n\r\n"));
	return w.full ? -ENOSPC : (long)w.len;
}

/* 1xx in Calling or Proceeding (§17.1.1.2): stop retransmitting; Timer B
 * only guards Calling.  A CANCEL that waited for this goes now (§9.1). */
static void cinv_on_provisional(struct txn *t, struct sip_msg *m)
{
	struct txn_layer *l = t->l;

	if (t->state != TXN_CALLING && t->state != TXN_PROCEEDING)
		return;
	if (t->state == TXN_CALLING) {
		tw_del(l->tw, &t->retx);
		tw_del(l->tw, &t->end);
		t->state = TXN_PROCEEDING;
	}
	t->status = m->status;
	if (t->flags & TF_CANCEL_PENDING) {
		t->flags &= (uint8_t)~TF_CANCEL_PENDING;
		(void)txn_cancel_send(t, NULL);
	}
	cinv_pass_up(t, m);
}

/* 2xx: RFC 6026 §7.2, Accepted with Timer M; every 2xx goes up (a proxy
 * forwards each, §16.7 step 4). */
static void cinv_on_success(struct txn *t, struct sip_msg *m)
{
	struct txn_layer *l = t->l;

	switch ((enum txn_state)t->state) {
	case TXN_CALLING:
	case TXN_PROCEEDING:
		tw_del(l->tw, &t->retx);
		t->flags &= (uint8_t)~TF_CANCEL_PENDING;
		t->state = TXN_ACCEPTED;
		tw_add(l->tw, &t->end, txn_64t1(l));
		break;
	case TXN_ACCEPTED:
		break;
	default:
		return; /* a 2xx after a non-2xx final: nothing to do */
	}
	t->status = m->status;
	cinv_pass_up(t, m);
}

/* 300-699 (§17.1.1.2): ACK it, Completed with Timer D (32 s over UDP, at
 * least 64*T1; 0 over reliable transports).  Retransmissions of the final
 * get the same ACK and are not passed up. */
static void cinv_on_failure(struct txn *t, struct sip_msg *m)
{
	struct txn_layer *l = t->l;
	long n;

	if (t->state == TXN_COMPLETED) {
		l->stats.retransmitted++;
		(void)txn_send(t, t->resp, t->resp_len);
		return;
	}
	if (t->state != TXN_CALLING && t->state != TXN_PROCEEDING)
		return;
	tw_del(l->tw, &t->retx);
	tw_del(l->tw, &t->end);
	t->flags &= (uint8_t)~TF_CANCEL_PENDING;
	t->state = TXN_COMPLETED;
	t->status = m->status;
	n = cinv_build_ack(t, m);
	if (n > 0 && txn_store_resp(t, l->out, (size_t)n) == 0 &&
	    txn_send(t, t->resp, t->resp_len) != 0)
		return; /* transport error: reported, terminated */
	cinv_pass_up(t, m);
	if (t->state != TXN_COMPLETED)
		return;
	if (txn_reliable(t)) {
		txn_terminate(t);
	} else {
		uint32_t d = txn_64t1(l) > 32000 ? txn_64t1(l) : 32000;

		tw_add(l->tw, &t->end, d);
	}
}

void txn_cinv_response(struct txn *t, struct sip_msg *m)
{
	if (m->status < 200)
		cinv_on_provisional(t, m);
	else if (m->status < 300)
		cinv_on_success(t, m);
	else
		cinv_on_failure(t, m);
}
