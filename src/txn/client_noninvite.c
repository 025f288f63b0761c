/* client_noninvite.c - the non-INVITE client transaction, RFC 3261
 * §17.1.2.
 *
 *   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
 *   Trying --200-699--> Completed
 *   Trying, Proceeding --Timer F--> Terminated (timeout)
 */
#include "txn/txn_int.h"

/* §17.1.2.2: Timer E (UDP only) starts at T1, Timer F at 64*T1. */
void txn_cnon_start(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (!txn_reliable(t)) {
		t->interval = l->cfg.t1;
		tw_add(l->tw, &t->retx, t->interval);
	}
	tw_add(l->tw, &t->end, txn_64t1(l));
}

/* Timer E: retransmit; in Trying the interval doubles up to T2
 * (500, 1000, 2000, 4000, 4000, ...), in Proceeding it is T2. */
void txn_cnon_timer_retx(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (t->state != TXN_TRYING && t->state != TXN_PROCEEDING)
		return;
	l->stats.retransmitted++;
	if (txn_send(t, t->req, t->req_len) != 0)
		return;
	if (t->state == TXN_PROCEEDING)
		t->interval = l->cfg.t2;
	else
		t->interval = t->interval * 2 < l->cfg.t2 ? t->interval * 2
							  : l->cfg.t2;
	tw_add(l->tw, &t->retx, t->interval);
}

/* Timer F (Trying, Proceeding): timeout.  Timer K (Completed): the end. */
void txn_cnon_timer_end(struct txn *t)
{
	struct txn_layer *l = t->l;

	if (t->state == TXN_TRYING || t->state == TXN_PROCEEDING) {
		l->stats.timeouts++;
		if (l->tu.timeout)
			l->tu.timeout(l->tu_arg, t);
	}
	txn_terminate(t);
}

/* 1xx in Trying or Proceeding: Proceeding, passed up.  Timer E keeps its
 * current deadline and continues at T2. */
static void cnon_on_provisional(struct txn *t, struct sip_msg *m)
{
	struct txn_layer *l = t->l;

	if (t->state != TXN_TRYING && t->state != TXN_PROCEEDING)
		return;
	t->state = TXN_PROCEEDING;
	t->status = m->status;
	if (l->tu.response)
		l->tu.response(l->tu_arg, t, m);
}

/* A final in Trying or Proceeding: Completed with Timer K (T4 over UDP, 0
 * over reliable transports), passed up.  In Completed retransmitted finals
 * are absorbed. */
static void cnon_on_final(struct txn *t, struct sip_msg *m)
{
	struct txn_layer *l = t->l;

	if (t->state != TXN_TRYING && t->state != TXN_PROCEEDING)
		return;
	tw_del(l->tw, &t->retx);
	tw_del(l->tw, &t->end);
	t->state = TXN_COMPLETED;
	t->status = m->status;
	if (l->tu.response)
		l->tu.response(l->tu_arg, t, m);
	if (t->state != TXN_COMPLETED)
		return;
	if (txn_reliable(t))
		txn_terminate(t);
	else
		tw_add(l->tw, &t->end, l->cfg.t4);
}

void txn_cnon_response(struct txn *t, struct sip_msg *m)
{
	if (m->status < 200)
		cnon_on_provisional(t, m);
	else
		cnon_on_final(t, m);
}
