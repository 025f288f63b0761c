/* server_noninvite.c - the non-INVITE server transaction, RFC 3261
 * §17.2.2.
 *
 *   Trying --1xx from TU--> Proceeding --200-699 from TU--> Completed
 *   Trying --200-699 from TU--> Completed --Timer J--> Terminated
 */
#include <errno.h>

#include "txn/txn_int.h"

/* A retransmitted request: absorbed in Trying, answered with the last
 * provisional in Proceeding and with the final in Completed. */
void txn_snon_retransmit(struct txn *t)
{
	struct txn_layer *l = t->l;

	l->stats.absorbed++;
	switch ((enum txn_state)t->state) {
	case TXN_PROCEEDING:
		if (t->resp)
			(void)txn_send(t, t->resp, t->resp_len);
		break;
	case TXN_COMPLETED:
		l->stats.responses_resent++;
		if (t->resp)
			(void)txn_send(t, t->resp, t->resp_len);
		break;
	default:
		break;
	}
}

/* A response from the TU.  A final moves to Completed with Timer J (64*T1
 * over UDP, 0 over reliable transports). */
int txn_snon_respond(struct txn *t, const char *buf, size_t len, unsigned code)
{
	struct txn_layer *l = t->l;
	int rc;

	if (t->state == TXN_COMPLETED)
		return -EALREADY;
	if (t->state != TXN_TRYING && t->state != TXN_PROCEEDING)
		return -EINVAL;
	rc = txn_server_store(t, buf, len);
	if (rc)
		return rc;
	t->status = (uint16_t)code;
	if (code < 200) {
		t->state = TXN_PROCEEDING;
		return txn_send(t, t->resp, t->resp_len);
	}
	t->state = TXN_COMPLETED;
	rc = txn_send(t, t->resp, t->resp_len);
	if (rc)
		return rc;
	if (txn_reliable(t))
		txn_terminate(t);
	else
		tw_add(l->tw, &t->end, txn_64t1(l));
	return 0;
}

/* Timer J (Completed): the end. */
void txn_snon_timer_end(struct txn *t)
{
	txn_terminate(t);
}
