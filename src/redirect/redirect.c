/* redirect.c - the redirect server (redirect.h): a static contact table,
 * answered 300/302/404 from the request callback.  No client transaction
 * is ever started, so the other callbacks have little to do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redirect/redirect.h"

struct rd_entry {
	char user[REDIRECT_USER_MAX]; /* normalised */
	char uri[REDIRECT_URI_MAX];
	uint16_t q;
};

struct redirect {
	struct rd_entry e[REDIRECT_MAX_CONTACTS]; /* by q, highest first */
	unsigned n;
	struct redirect_stats stats;
	/* "Contact: <uri>;q=0.125, ...\r\n" for every entry of one user */
	char hdr[16 + REDIRECT_MAX_CONTACTS * (REDIRECT_URI_MAX + 16)];
};

/* ---- matching ---- */

/* RFC 3966 §5.1.1 global-number-digits / local-number-digits without
 * the hex digits, '*' and '#': [+] (DIGIT / visual-separator)+ with at
 * least one digit. */
static bool is_phone_number(const char *s, size_t len)
{
	bool digit = false;
	size_t i = 0;

	if (len && s[0] == '+')
		i++;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit = true;
		else if (!strchr("-.()", s[i]) || s[i] == '\0')
			return false;
	}
	return digit;
}

int redirect_norm_user(char *out, size_t cap, struct sv user)
{
	size_t k = 0;
	int n;

	if (cap == 0)
		return -ENOSPC;
	n = sip_unescape(out, cap, user);
	if (n < 0)
		return n;
	if ((size_t)n >= cap)
		return -ENOSPC;
	out[n] = '\0';
	if (n == 0)
		return -EINVAL;
	if (!is_phone_number(out, (size_t)n))
		return n;
	for (int i = 0; i < n; i++)
		if (!strchr("-.()", out[i]))
			out[k++] = out[i];
	out[k] = '\0';
	return (int)k;
}

int redirect_q_fmt(char *out, size_t cap, uint16_t q)
{
	char frac[4];
	int len = 3;

	if (q > 1000)
		q = 1000;
	snprintf(frac, sizeof(frac), "%03u", (unsigned)(q % 1000));
	while (len > 1 && frac[len - 1] == '0')
		len--;
	return snprintf(out, cap, "%u.%.*s", (unsigned)(q / 1000), len, frac);
}

/* ---- the object ---- */

int redirect_new(struct redirect **out, const struct redirect_cfg *cfg)
{
	struct redirect *r;

	*out = NULL;
	if (!cfg || cfg->ncontacts > REDIRECT_MAX_CONTACTS)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (unsigned i = 0; i < cfg->ncontacts; i++) {
		const struct redirect_contact *c = &cfg->contacts[i];
		struct rd_entry e = {.q = c->q};
		unsigned j;

		if (c->q > 1000 ||
		    redirect_norm_user(e.user, sizeof(e.user),
				       sv_from_cstr(c->user)) < 0 ||
		    strlen(c->uri) >= sizeof(e.uri)) {
			free(r);
			return -EINVAL;
		}
		memcpy(e.uri, c->uri, strlen(c->uri) + 1);
		/* Insertion sort, stable: equal q keep the table's order. */
		for (j = r->n; j > 0 && r->e[j - 1].q < e.q; j--)
			r->e[j] = r->e[j - 1];
		r->e[j] = e;
		r->n++;
	}
	*out = r;
	return 0;
}

void redirect_free(struct redirect *r)
{
	free(r);
}

const struct redirect_stats *redirect_get_stats(const struct redirect *r)
{
	return &r->stats;
}

/* ---- answering ---- */

static void reply(struct txn *st, unsigned code, struct sv headers)
{
	struct sip_resp_opts o = {.headers = headers};

	(void)txn_reply(st, code, &o);
}

/* Append s to buf (length *n, capacity cap); false if it does not fit. */
static bool cat(char *buf, size_t *n, size_t cap, struct sv s)
{
	if (*n + s.len > cap)
		return false;
	memcpy(buf + *n, s.p, s.len);
	*n += s.len;
	return true;
}

/* §8.2.2.3: we support no extension, so every option tag in Require is
 * unsupported: 420 listing them.  True if st was answered. */
static bool unsupported(struct redirect *r, struct txn *st, struct sip_msg *m)
{
	const struct sv pre = SV("Unsupported: ");
	struct sip_value_iter it;
	char buf[1024];
	size_t n = 0;
	struct sv v;

	if (!m->count[SIP_HDR_REQUIRE])
		return false;
	(void)cat(buf, &n, sizeof(buf), pre);
	sip_value_iter_init(&it, m, SIP_HDR_REQUIRE);
	while (sip_value_iter_next(&it, &v) == 1) {
		if (n + v.len + 4 > sizeof(buf))
			break;
		if (n > pre.len)
			(void)cat(buf, &n, sizeof(buf), SV(", "));
		(void)cat(buf, &n, sizeof(buf), v);
	}
	if (n == pre.len)
		return false; /* an empty Require: nothing required */
	(void)cat(buf, &n, sizeof(buf), SV("\r\n"));
	r->stats.other++;
	reply(st, 420, sv_make(buf, n));
	return true;
}

/* The Contact header for user into r->hdr; returns the number of contacts
 * (0: unknown user) and the header in *hdr. */
static unsigned contacts_of(struct redirect *r, const char *user,
			    struct sv *hdr)
{
	size_t n = 0, cap = sizeof(r->hdr);
	unsigned found = 0;
	char q[8];

	n += (size_t)snprintf(r->hdr, cap, "Contact: ");
	for (unsigned i = 0; i < r->n; i++) {
		if (strcmp(r->e[i].user, user) != 0)
			continue;
		(void)redirect_q_fmt(q, sizeof(q), r->e[i].q);
		/* Fits by construction: at most REDIRECT_MAX_CONTACTS
		 * entries of at most REDIRECT_URI_MAX + 16 bytes. */
		n += (size_t)snprintf(r->hdr + n, cap - n, "%s<%s>;q=%s",
				      found ? ", " : "", r->e[i].uri, q);
		found++;
	}
	n += (size_t)snprintf(r->hdr + n, cap - n, "\r\n");
	*hdr = sv_make(r->hdr, n);
	return found;
}

static void on_request(struct redirect *r, struct txn *st, struct sip_msg *m)
{
	static const struct sv allow =
		SV("Allow: INVITE, ACK, CANCEL, OPTIONS\r\n");
	const struct sip_uri *ru;
	struct sip_err err = {0};
	char user[REDIRECT_USER_MAX];
	struct sv hdr;
	unsigned n;

	r->stats.requests++;
	if (sip_msg_check(m, &err) != 0) {
		struct sip_resp_opts o = {0};

		if (err.reason)
			o.reason = sv_from_cstr(err.reason);
		r->stats.other++;
		(void)txn_reply(st, err.status ? err.status : 400, &o);
		return;
	}
	if (sip_msg_ruri(m, &ru) != 0) {
		r->stats.other++;
		reply(st, 400, SV_NULL);
		return;
	}
	/* §8.2.2.1: a scheme we do not understand. */
	if (ru->kind != SIP_SCHEME_SIP && ru->kind != SIP_SCHEME_SIPS &&
	    ru->kind != SIP_SCHEME_TEL) {
		r->stats.other++;
		reply(st, 416, SV_NULL);
		return;
	}
	if (m->method_id == SIP_METHOD_CANCEL) {
		/* §9.2: a CANCEL that matches no transaction. */
		r->stats.other++;
		reply(st, 481, SV_NULL);
		return;
	}
	if (unsupported(r, st, m))
		return;
	/* §12.2.2: a request inside a dialog; we are in none. */
	if (m->to_tag.len) {
		r->stats.other++;
		reply(st, 481, SV_NULL);
		return;
	}
	/* §11.2: OPTIONS is answered by the server itself. */
	if (m->method_id == SIP_METHOD_OPTIONS) {
		r->stats.options++;
		reply(st, 200, allow);
		return;
	}
	/* §8.3: look the Request-URI up; §21.3.2/§21.3.3: 302 for one
	 * contact, 300 for several; §21.4.5: 404 for a user we do not
	 * know. */
	if (redirect_norm_user(user, sizeof(user), ru->user) < 0 ||
	    (n = contacts_of(r, user, &hdr)) == 0) {
		r->stats.not_found++;
		reply(st, 404, SV_NULL);
		return;
	}
	if (n == 1)
		r->stats.moved++;
	else
		r->stats.multiple++;
	reply(st, n == 1 ? 302 : 300, hdr);
}

/* ---- transaction-user callbacks ---- */

static void tu_request(void *arg, struct txn *st, struct sip_msg *req)
{
	if (!arg) { /* worker_init failed (out of memory) */
		reply(st, 500, SV_NULL);
		return;
	}
	on_request(arg, st, req);
}

/* We start no client transaction: nothing arrives here. */
static void tu_response(void *arg, struct txn *ct, struct sip_msg *resp)
{
	(void)arg;
	(void)ct;
	(void)resp;
}

/* Timer H (no ACK for our 3xx/4xx): the transaction just ends. */
static void tu_timeout(void *arg, struct txn *t)
{
	(void)arg;
	(void)t;
}

static void tu_transport_error(void *arg, struct txn *t, int err)
{
	(void)arg;
	(void)t;
	(void)err;
}

/* §9.2: answer the CANCEL 200; an INVITE still without a final response
 * (never, as we answer at once) gets 487. */
static void tu_cancel(void *arg, struct txn *invite_st, struct txn *cancel_st,
		      struct sip_msg *cancel)
{
	struct redirect *r = arg;

	(void)cancel;
	if (r)
		r->stats.cancels++;
	reply(cancel_st, 200, SV_NULL);
	if (txn_status(invite_st) < 200)
		reply(invite_st, 487, SV_NULL);
}

/* An ACK for a 2xx (we send none to an INVITE) or a stray response. */
static void tu_stray(void *arg, struct sip_msg *m, const struct tp_rx *rx)
{
	(void)arg;
	(void)m;
	(void)rx;
}

static void tu_destroyed(void *arg, struct txn *t)
{
	(void)arg;
	(void)t;
}

const struct txn_tu redirect_tu = {
	.request = tu_request,
	.response = tu_response,
	.timeout = tu_timeout,
	.transport_error = tu_transport_error,
	.cancel = tu_cancel,
	.stray = tu_stray,
	.destroyed = tu_destroyed,
};

/* ---- the engine role ---- */

static void *role_worker_init(struct worker *w, void *role_arg)
{
	struct redirect *r;

	(void)w;
	if (redirect_new(&r, role_arg) != 0)
		return NULL;
	return r;
}

static void role_worker_fini(struct worker *w, void *tu_arg)
{
	(void)w;
	redirect_free(tu_arg);
}

struct engine_role redirect_role(const struct redirect_cfg *cfg)
{
	return (struct engine_role){
		.tu = &redirect_tu,
		.worker_init = role_worker_init,
		.worker_fini = role_worker_fini,
		.role_arg = (void *)cfg,
	};
}

void redirect_stats(struct engine *e, struct redirect_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < engine_workers(e); i++) {
		const struct redirect *r = engine_worker_arg(e, i);

		if (!r)
			continue;
		out->requests += r->stats.requests;
		out->moved += r->stats.moved;
		out->multiple += r->stats.multiple;
		out->not_found += r->stats.not_found;
		out->options += r->stats.options;
		out->other += r->stats.other;
		out->cancels += r->stats.cancels;
	}
}
