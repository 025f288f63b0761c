/* msg.c - header lookup, value iteration and lazily parsed members of a
 * scanned message. */
#include <errno.h>

#include "sip/sip.h"

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr_id id)
{
	if (id <= SIP_HDR_NONE || id >= SIP_HDR__COUNT ||
	    m->first[id] == SIP_HDR_END)
		return NULL;
	return &m->hdrs[m->first[id]];
}

const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *m,
				       const struct sip_hdr *h)
{
	return h->next == SIP_HDR_END ? NULL : &m->hdrs[h->next];
}

const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *m,
					  struct sv name)
{
	for (uint16_t i = 0; i < m->nhdrs; i++)
		if (sv_casecmp_eq(m->hdrs[i].name, name))
			return &m->hdrs[i];
	return NULL;
}

void sip_value_iter_init(struct sip_value_iter *it, const struct sip_msg *m,
			 enum sip_hdr_id id)
{
	it->m = m;
	it->h = sip_msg_hdr(m, id);
	it->rest = it->h ? it->h->value : SV_NULL;
}

int sip_value_iter_next(struct sip_value_iter *it, struct sv *value)
{
	int rc;

	while (it->h) {
		rc = sip_list_next(&it->rest, value);
		if (rc != 0)
			return rc;
		it->h = sip_msg_hdr_next(it->m, it->h);
		it->rest = it->h ? it->h->value : SV_NULL;
	}
	return 0;
}

int sip_msg_ruri(struct sip_msg *m, const struct sip_uri **out)
{
	if (!m->request)
		return -EINVAL;
	if (!(m->parsed & SIP_PARSED_RURI)) {
		if (sip_uri_parse(&m->ruri_parsed, m->ruri) != 0)
			return -EBADMSG;
		m->parsed |= SIP_PARSED_RURI;
	}
	*out = &m->ruri_parsed;
	return 0;
}

/* From and To are parsed by sip_msg_scan() (their tags are transaction
 * keys); these only hand them out. */
int sip_msg_from(struct sip_msg *m, const struct sip_addr **out)
{
	if (!(m->parsed & SIP_PARSED_FROM))
		return -EBADMSG;
	*out = &m->from;
	return 0;
}

int sip_msg_to(struct sip_msg *m, const struct sip_addr **out)
{
	if (!(m->parsed & SIP_PARSED_TO))
		return -EBADMSG;
	*out = &m->to;
	return 0;
}

static int addr_uri(struct sip_msg *m, uint32_t have, uint32_t bit,
		    const struct sip_addr *a, struct sip_uri *u,
		    const struct sip_uri **out)
{
	if (!(m->parsed & have))
		return -EBADMSG;
	if (!(m->parsed & bit)) {
		if (sip_uri_parse(u, a->uri) != 0)
			return -EBADMSG;
		m->parsed |= bit;
	}
	*out = u;
	return 0;
}

int sip_msg_from_uri(struct sip_msg *m, const struct sip_uri **out)
{
	return addr_uri(m, SIP_PARSED_FROM, SIP_PARSED_FROM_URI, &m->from,
			&m->from_uri, out);
}

int sip_msg_to_uri(struct sip_msg *m, const struct sip_uri **out)
{
	return addr_uri(m, SIP_PARSED_TO, SIP_PARSED_TO_URI, &m->to, &m->to_uri,
			out);
}

bool sip_msg_has_token(const struct sip_msg *m, enum sip_hdr_id id,
		       struct sv tag)
{
	struct sip_value_iter it;
	struct sv v;
	/* Methods are case-sensitive (§7.1), option tags are not (§19.2). */
	bool methods = id == SIP_HDR_ALLOW;

	sip_value_iter_init(&it, m, id);
	while (sip_value_iter_next(&it, &v) == 1)
		if (methods ? sv_eq(v, tag) : sv_casecmp_eq(v, tag))
			return true;
	return false;
}
