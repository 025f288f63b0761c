/* server_invite.c - the INVITE server transaction, RFC 3261 §17.2.1 with
 * the Accepted state of RFC 6026 §7.1.
 *
 *   Proceeding --2xx from TU--> Accepted --Timer L--> Terminated
 *       |
 *       +--300-699 from TU--> Completed --ACK--> Confirmed --Timer I--> ...
 *                                 |
 *                                 +--Timer H--> Terminated (timeout)
 */
#include <errno.h>

#include "txn/txn_int.h"

/* Send a stored response again. */
static void sinv_resend(struct txn *t)
{
	if (t->resp)
		(void)txn_send(t, t->resp, t->resp_len);
}

/* §17.2.1: a retransmitted INVITE is absorbed.  In Proceeding the last
 * provisional goes again; if the TU sent none yet it evidently needs more
 * than 200 ms, so a 100 (Trying) is due.  In Completed the final goes
 * again.  Confirmed and Accepted (RFC 6026 §7.1) absorb silently. */
void txn_sinv_retransmit(struct txn *t)
{
	struct txn_layer *l = t->l;

	l->stats.absorbed++;
	switch ((enum txn_state)t->state) {
	case TXN_PROCEEDING:
		if (t->resp) {
			sinv_resend(t);
		} else {
			long n;

			if (txn_rescan(t, &l->scratch) != 0)
				return;
			n = sip_resp_build(l->out, sizeof(l->out), &l->scratch,
					   100, NULL);
			if (n > 0 &&
			    txn_server_store(t, l->out, (size_t)n) == 0)
				sinv_resend(t);
		}
		break;
	case TXN_COMPLETED:
		l->stats.responses_resent++;
		sinv_resend(t);
		break;
	default:
		break;
	}
}

/* An ACK matched.  For our non-2xx final (Completed) it is absorbed and
 * ends the retransmissions: Confirmed with Timer I (T4 over UDP, 0 over
 * reliable transports).  An ACK in Accepted is for a 2xx: end to end, the
 * TU's (RFC 6026). */
void txn_sinv_ack(struct txn *t, struct sip_msg *m, const struct tp_rx *rx)
{
	struct txn_layer *l = t->l;

	switch ((enum txn_state)t->state) {
	case TXN_COMPLETED:
		l->stats.absorbed_acks++;
		tw_del(l->tw, &t->retx);
		tw_del(l->tw, &t->end);
		t->state = TXN_CONFIRMED;
		if (txn_reliable(t))
			txn_terminate(t);
		else
			tw_add(l->tw, &t->end, l->cfg.t4);
		break;
	case TXN_CONFIRMED:
		l->stats.absorbed_acks++;
		break;
	default:
		l->stats.stray++;
		if (l->tu.stray)
			l->tu.stray(l->tu_arg, m, rx);
		break;
	}
}

/* A response from the TU. */
int txn_sinv_respond(struct txn *t, const char *buf, size_t len, unsigned code)
{
	struct txn_layer *l = t->l;
	int rc;

	switch ((enum txn_state)t->state) {
	case TXN_PROCEEDING:
		break;
	case TXN_ACCEPTED:
		/* RFC 6026 §7.1: further 2xx (retransmitted by the UAS core
		 * or forwarded from other forks) go to the transport. */
		if (code < 200 || code > 299)
			return -EINVAL;
		l->stats.retransmitted++;
		return txn_send(t, buf, len);
	case TXN_COMPLETED:
	case TXN_CONFIRMED:
		return -EALREADY;
	default:
		return -EINVAL;
	}
	t->status = (uint16_t)code;
	if (code < 200) {
		/* Proceeding: kept for retransmitted INVITEs. */
		rc = txn_server_store(t, buf, len);
		if (rc)
			return rc;
		return txn_send(t, t->resp, t->resp_len);
	}
	if (code < 300) {
		/* RFC 6026 §7.1: Accepted, Timer L = 64*T1.  Nothing to
		 * re-send from here: the 2xx is the TU's to retransmit. */
		slab_release(l->slab, t->resp);
		t->resp = NULL;
		t->resp_len = 0;
		t->state = TXN_ACCEPTED;
		tw_add(l->tw, &t->end, txn_64t1(l));
		return txn_send(t, buf, len);
	}
	/* 300-699: Completed; Timer G (UDP only) from T1, Timer H 64*T1. */
	rc = txn_server_store(t, buf, len);
	if (rc)
		return rc;
	t->state = TXN_COMPLETED;
	if (!txn_reliable(t)) {
		t->interval = l->cfg.t1;
		tw_add(l->tw, &t->retx, t->interval);
	}
	tw_add(l->tw, &t->end, txn_64t1(l));
	return txn_send(t, t->resp, t->resp_len);
}

/* Timer G (Completed): retransmit the final, doubling up to T2. */
void txn_sinv_timer_retx(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (t->state != TXN_COMPLETED)
		return;
	l->stats.retransmitted++;
	if (txn_send(t, t->resp, t->resp_len) != 0)
		return;
	t->interval = t->interval * 2 < l->cfg.t2 ? t->interval * 2 : l->cfg.t2;
	tw_add(l->tw, &t->retx, t->interval);
}

/* Timer H (Completed): the ACK never came, tell the TU.  Timer I
 * (Confirmed), Timer L (Accepted): the end. */
void txn_sinv_timer_end(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (t->state == TXN_COMPLETED) {
		l->stats.timeouts++;
		if (l->tu.timeout)
			l->tu.timeout(l->tu_arg, t);
	}
	txn_terminate(t);
}
