/* match.c - the transaction table: matching responses to client
 * transactions (§17.1.3) and requests to server transactions (§17.2.3,
 * with the RFC 2543 fallback for branches without the magic cookie).
 *
 * One chained hash table per layer, sized to the pool.  RFC 3261
 * transactions are hashed by branch only (so that an ACK or CANCEL lands in
 * its INVITE's chain whatever its method), RFC 2543 ones by Call-ID; the
 * full key is compared in the chain.
 */
#include "txn/txn_int.h"

static uint32_t key_hash(struct sv branch, bool rfc2543, struct sv call_id)
{
	return txn_fnv1a(TXN_FNV_INIT, rfc2543 ? call_id : branch, false);
}

void txn_keys_set(struct txn *t, const struct sip_msg *m, const char *b)
{
	bool rfc2543 = !sip_via_branch_is_rfc3261(&m->via);

	t->branch = txn_span_of(b, m->via.branch);
	t->host = txn_span_of(b, m->via.host);
	t->port = m->via.port;
	if (m->via.has_port)
		t->flags |= TF_HAS_PORT;
	t->method = txn_span_of(b, m->method);
	t->method_id = (uint8_t)m->method_id;
	t->cseq = m->cseq.num;
	t->call_id = txn_span_of(b, m->call_id);
	t->from_tag = txn_span_of(b, m->from_tag);
	t->to_tag = txn_span_of(b, m->to_tag);
	t->ruri = txn_span_of(b, m->ruri);
	t->via = txn_span_of(b, m->via.value);
	if (rfc2543)
		t->flags |= TF_RFC2543;
	t->hash = key_hash(m->via.branch, rfc2543, m->call_id);
}

void txn_hash_insert(struct txn *t)
{
	struct txn_layer *l = t->l;
	struct txn **head = &l->table[t->hash & l->mask];

	t->hnext = *head;
	*head = t;
	t->flags |= TF_HASHED;
}

void txn_hash_remove(struct txn *t)
{
	struct txn_layer *l = t->l;
	struct txn **pp;

	if (!(t->flags & TF_HASHED))
		return;
	for (pp = &l->table[t->hash & l->mask]; *pp; pp = &(*pp)->hnext) {
		if (*pp == t) {
			*pp = t->hnext;
			break;
		}
	}
	t->hnext = NULL;
	t->flags &= (uint8_t)~TF_HASHED;
}

static bool method_is(const struct txn *t, enum sip_method id, struct sv name)
{
	if (t->method_id != id)
		return false;
	return id != SIP_METHOD_OTHER || sv_eq(txn_sv(t->req, t->method), name);
}

/* §17.2.3, RFC 3261 branch: branch, sent-by and method (ACK matching
 * INVITE is folded into want by the caller). */
static bool match_3261(const struct txn *t, const struct sip_msg *m,
		       enum sip_method want, struct sv want_name)
{
	const struct sip_via *v = &m->via;

	return !(t->flags & TF_RFC2543) &&
	       sv_eq(txn_sv(t->req, t->branch), v->branch) &&
	       sv_casecmp_eq(txn_sv(t->req, t->host), v->host) &&
	       t->port == v->port &&
	       !!(t->flags & TF_HAS_PORT) == v->has_port &&
	       method_is(t, want, want_name);
}

/* §17.2.3, last paragraphs: a request from an RFC 2543 element matches on
 * Request-URI, To tag, From tag, Call-ID, CSeq and top Via; an ACK on the
 * same without the CSeq method, its To tag against the tag of the response
 * we sent. */
static bool match_2543(const struct txn *t, const struct sip_msg *m,
		       enum sip_method want, struct sv want_name)
{
	struct sv to_tag;

	if (!(t->flags & TF_RFC2543) || t->cseq != m->cseq.num ||
	    !method_is(t, want, want_name) ||
	    !sv_eq(txn_sv(t->req, t->call_id), m->call_id) ||
	    !sv_eq(txn_sv(t->req, t->ruri), m->ruri) ||
	    !sv_eq(txn_sv(t->req, t->from_tag), m->from_tag) ||
	    !sv_eq(txn_sv(t->req, t->via), m->via.value))
		return false;
	if (m->method_id == SIP_METHOD_ACK)
		to_tag = t->resp ? txn_sv(t->resp, t->resp_to_tag) : SV_NULL;
	else
		to_tag = txn_sv(t->req, t->to_tag);
	return sv_eq(to_tag, m->to_tag);
}

struct txn *txn_match_server(struct txn_layer *l, const struct sip_msg *m,
			     enum sip_method want, struct sv want_name)
{
	bool rfc2543 = !sip_via_branch_is_rfc3261(&m->via);
	uint32_t h = key_hash(m->via.branch, rfc2543, m->call_id);

	for (struct txn *t = l->table[h & l->mask]; t; t = t->hnext) {
		if (t->hash != h || (t->flags & TF_CLIENT))
			continue;
		if (rfc2543 ? match_2543(t, m, want, want_name)
			    : match_3261(t, m, want, want_name))
			return t;
	}
	return NULL;
}

struct txn *txn_find_client(struct txn_layer *l, struct sv branch,
			    enum sip_method method, struct sv method_name)
{
	uint32_t h = key_hash(branch, false, SV_NULL);

	for (struct txn *t = l->table[h & l->mask]; t; t = t->hnext) {
		if (t->hash != h || !(t->flags & TF_CLIENT))
			continue;
		if (sv_eq(txn_sv(t->req, t->branch), branch) &&
		    method_is(t, method, method_name))
			return t;
	}
	return NULL;
}

struct txn *txn_match_client(struct txn_layer *l, const struct sip_msg *m)
{
	/* Our client transactions always carry an RFC 3261 branch. */
	if (!sip_via_branch_is_rfc3261(&m->via))
		return NULL;
	/* §17.1.3: branch and CSeq method. */
	return txn_find_client(l, m->via.branch, m->cseq.method_id,
			       m->cseq.method);
}
