/* cancel.c - CANCEL of a client INVITE transaction, RFC 3261 §9.1. */
#include <errno.h>

#include "txn/txn_int.h"

/* §9.1: Request-URI, Call-ID, To, From and CSeq number of the INVITE,
 * method CANCEL, its top Via only (same branch), its Route headers. */
static long cancel_build(struct txn *ct)
{
	struct txn_layer *l = ct->l;
	struct sip_msg *req = &l->scratch;
	struct txn_wbuf w = {.p = l->out, .cap = sizeof(l->out)};
	const struct sip_hdr *h;

	if (txn_rescan(ct, req) != 0)
		return -EINVAL;
	txn_wb_put(&w, SV("CANCEL "));
	txn_wb_put(&w, req->ruri);
	txn_wb_put(&w, SV(" SIP/2.0\r\n"));
	txn_wb_hdr(&w, "Via", req->via.value);
	for (h = sip_msg_hdr(req, SIP_HDR_ROUTE); h;
	     h = sip_msg_hdr_next(req, h))
		txn_wb_hdr(&w, "Route", h->value);
	txn_wb_put(&w, SV("Max-Forwards: 70\r\n"));
	txn_wb_hdr(&w, "From", sip_msg_hdr(req, SIP_HDR_FROM)->value);
	txn_wb_hdr(&w, "To", sip_msg_hdr(req, SIP_HDR_TO)->value);
	txn_wb_hdr(&w, "Call-ID", req->call_id);
	txn_wb_put(&w, SV("CSeq: "));
	txn_wb_uint(&w, req->cseq.num);
	txn_wb_put(&w, SV(" CANCEL\r\nContent-Length: 0\r\n\r\n"));
	return w.full ? -ENOSPC : (long)w.len;
}

/* Start the CANCEL's own client non-INVITE transaction, to the INVITE's
 * peer, with the INVITE's user pointer. */
int txn_cancel_send(struct txn *ct, struct txn **out)
{
	struct txn_layer *l = ct->l;
	struct iovec iov;
	size_t len;
	char *copy;
	long n = cancel_build(ct);

	if (n < 0)
		return (int)n;
	iov = (struct iovec){.iov_base = l->out, .iov_len = (size_t)n};
	copy = txn_store(l, &iov, 1, &len);
	if (!copy)
		return -ENOBUFS;
	/* §9.1: if the INVITE gets no final response 64*T1 after the
	 * CANCEL, consider it cancelled (a peer that answers the CANCEL but
	 * never sends its 487 must not hold the caller forever). */
	if (ct->state == TXN_PROCEEDING)
		tw_add(l->tw, &ct->end, txn_64t1(l));
	return txn_client_start(l, out, copy, len, &ct->peer, ct->user);
}

int txn_cancel(struct txn *ct, struct txn **out)
{
	int rc = 0;

	if (out)
		*out = NULL;
	if (!ct || !(ct->flags & TF_LIVE) || !(ct->flags & TF_CLIENT) ||
	    ct->kind != TXN_CLIENT_INVITE)
		return -EINVAL;
	if (ct->flags & TF_CANCELLED)
		return -EALREADY;
	switch ((enum txn_state)ct->state) {
	case TXN_CALLING:
		/* §9.1: not before a provisional response has arrived. */
		ct->flags |= TF_CANCELLED | TF_CANCEL_PENDING;
		break;
	case TXN_PROCEEDING:
		ct->flags |= TF_CANCELLED;
		txn_hold(ct);
		rc = txn_cancel_send(ct, out);
		txn_unhold(ct);
		break;
	default:
		/* A final response arrived: nothing left to cancel. */
		break;
	}
	return rc;
}
