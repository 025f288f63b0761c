/* check.c - the syntax checks a server makes on a request before acting on
 * it, beyond the framing and transaction keys that sip_msg_scan() checks. */
#include <errno.h>

#include "sip/sip.h"

static int check_ruri(struct sip_msg *m, struct sip_err *err)
{
	const struct sip_uri *u;

	if (sip_msg_ruri(m, &u) != 0)
		return sip_err_set(err, 400, SIP_HDR_NONE, m->buf, m->ruri.p,
				   "Bad Request-URI");
	/* §8.2.2.1, RFC 4475 §3.3.2-3: a scheme we cannot serve. */
	if (u->kind == SIP_SCHEME_OTHER)
		return sip_err_set(err, 416, SIP_HDR_NONE, m->buf, m->ruri.p,
				   "Unsupported URI Scheme");
	/* §19.1.1: headers are not allowed in a Request-URI; RFC 4475
	 * §3.1.2.11 allows rejecting them. */
	if (u->kind != SIP_SCHEME_TEL && u->headers.len)
		return sip_err_set(err, 400, SIP_HDR_NONE, m->buf, u->headers.p,
				   "Headers in Request-URI");
	return 0;
}

static int check_contacts(struct sip_msg *m, struct sip_err *err)
{
	struct sip_value_iter it;
	struct sip_contact c;
	struct sip_uri u;
	struct sv v;
	int rc;
	unsigned n = 0;
	bool star = false;
	/* A malformed response is dropped, not answered (§18.1.2). */
	uint16_t st = m->request ? 400 : 0;

	sip_value_iter_init(&it, m, SIP_HDR_CONTACT);
	while ((rc = sip_value_iter_next(&it, &v)) == 1) {
		n++;
		if (sip_contact_parse(&c, v) != 0 ||
		    (!c.star && sip_uri_parse(&u, c.addr.uri) != 0))
			return sip_err_set(err, st, SIP_HDR_CONTACT, m->buf,
					   v.p, "Bad Contact header");
		star |= c.star;
	}
	if (rc < 0)
		return sip_err_set(err, st, SIP_HDR_CONTACT, m->buf, it.rest.p,
				   "Bad Contact header");
	/* §10.3 item 6 / §20.10: "*" only alone. */
	if (star && n > 1)
		return sip_err_set(err, st, SIP_HDR_CONTACT, m->buf, NULL,
				   "Contact * mixed with other contacts");
	return 0;
}

int sip_msg_check(struct sip_msg *m, struct sip_err *err)
{
	const struct sip_uri *u;
	int rc;

	if (m->request) {
		rc = check_ruri(m, err);
		if (rc)
			return rc;
	}
	if (sip_msg_from_uri(m, &u) != 0)
		return sip_err_set(err, m->request ? 400 : 0, SIP_HDR_FROM,
				   m->buf, m->from.uri.p, "Bad From URI");
	if (sip_msg_to_uri(m, &u) != 0)
		return sip_err_set(err, m->request ? 400 : 0, SIP_HDR_TO,
				   m->buf, m->to.uri.p, "Bad To URI");
	return check_contacts(m, err);
}
