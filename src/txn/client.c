/* client.c - starting a client transaction (§17.1): keep a copy of the
 * request, index it, send it and hand over to the INVITE or non-INVITE
 * state machine.
 */
#include <errno.h>

#include "txn/txn_int.h"

int txn_client_start(struct txn_layer *l, struct txn **out, char *copy,
		     size_t len, const struct tp_peer *dst, void *user)
{
	struct sip_msg *m = &l->scratch;
	struct txn *t;
	int rc;

	if (sip_msg_scan(m, copy, len, 0, &l->stored_limits, NULL) != 0 ||
	    !m->request || m->method_id == SIP_METHOD_ACK ||
	    !sip_via_branch_is_rfc3261(&m->via)) {
		/* An ACK for a 2xx is sent with txn_send_stateless(). */
		slab_release(l->slab, copy);
		return -EINVAL;
	}
	/* One client transaction per (branch, method). */
	if (txn_find_client(l, m->via.branch, m->method_id, m->method)) {
		slab_release(l->slab, copy);
		return -EEXIST;
	}
	t = txn_alloc(l);
	if (!t) {
		slab_release(l->slab, copy);
		return -ENOBUFS;
	}
	t->req = copy;
	t->req_len = (uint16_t)len;
	t->peer = *dst;
	t->user = user;
	t->flags |= TF_CLIENT;
	txn_keys_set(t, m, copy);
	if (m->method_id == SIP_METHOD_INVITE) {
		t->kind = TXN_CLIENT_INVITE;
		t->state = TXN_CALLING;
	} else {
		t->kind = TXN_CLIENT_NONINVITE;
		t->state = TXN_TRYING;
	}
	/* The first send happens before the TU knows t: if it fails there
	 * is no transaction (no callbacks), only the error. */
	{
		struct iovec iov = {.iov_base = t->req, .iov_len = t->req_len};

		rc = l->sender.send(l->sender.arg, &t->peer, &iov, 1);
	}
	if (rc < 0) {
		l->stats.transport_errors++;
		slab_release(l->slab, t->req);
		t->req = NULL;
		t->hnext = l->free_list;
		t->flags = 0;
		l->free_list = t;
		l->stats.live--;
		return rc;
	}
	txn_hash_insert(t);
	l->stats.client_created++;
	if (t->kind == TXN_CLIENT_INVITE)
		txn_cinv_start(t);
	else
		txn_cnon_start(t);
	if (out)
		*out = t;
	return 0;
}

int txn_request(struct txn_layer *l, struct txn **out, const struct iovec *iov,
		int iovcnt, const struct tp_peer *dst, void *user)
{
	size_t len;
	char *copy;

	if (out)
		*out = NULL;
	if (!l || !iov || iovcnt <= 0 || !dst)
		return -EINVAL;
	copy = txn_store(l, iov, iovcnt, &len);
	if (!copy)
		return len > TXN_MSG_MAX ? -EMSGSIZE : -ENOBUFS;
	return txn_client_start(l, out, copy, len, dst, user);
}
