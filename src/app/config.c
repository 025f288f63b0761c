/* config.c - the daemon's INI configuration (docs/config.md), read with
 * inih.
 *
 * inih hands us key/value pairs but not their line numbers (Debian builds
 * it without INI_HANDLER_LINENO), so we feed it through our own line
 * reader, which counts lines and also checks each [section] header as it
 * goes by (inih does not report sections, so an empty unknown section
 * would otherwise pass unnoticed).  The reader strips leading whitespace:
 * inih would take an indented line for a continuation of the previous
 * value, and an indented "key = value" read as a value is a trap.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "app/config.h"

/* ---- value kinds ---- */

int config_parse_bool(const char *s, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	snprintf(err, errlen,
		 "\"%s\" is not a boolean (use yes/no, true/false, on/off "
		 "or 1/0)",
		 s);
	return -EINVAL;
}

/* A decimal number of at most 10 digits (no sign, no spaces); returns the
 * number of digits read, 0 if none or too many. */
static size_t read_digits(const char *s, uint64_t *out)
{
	size_t n = 0;
	uint64_t v = 0;

	while (isdigit((unsigned char)s[n])) {
		if (n == 10)
			return 0;
		v = v * 10 + (uint64_t)(s[n] - '0');
		n++;
	}
	*out = v;
	return n;
}

int config_parse_duration(const char *s, uint32_t *ms, char *err, size_t errlen)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
	uint64_t v;
	size_t n = read_digits(s, &v);

	if (n == 0) {
		snprintf(err, errlen,
			 "\"%s\" is not a duration (write a whole number and "
			 "a unit: 500ms, 2s, 1m, 1h)",
			 s);
		return -EINVAL;
	}
	if (s[n] == '\0') {
		/* A bare 0 means the same in every unit. */
		if (v == 0) {
			*ms = 0;
			return 0;
		}
		snprintf(err, errlen,
			 "\"%s\" has no unit (write %" PRIu64 "ms or %" PRIu64
			 "s)",
			 s, v, v);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + n, units[i].unit) != 0)
			continue;
		if (v * units[i].ms > UINT32_MAX) {
			snprintf(err, errlen, "\"%s\" is too long", s);
			return -EINVAL;
		}
		*ms = (uint32_t)(v * units[i].ms);
		return 0;
	}
	snprintf(err, errlen,
		 "\"%s\": unknown unit \"%s\" (use ms, s, m or h, e.g. 2s)", s,
		 s + n);
	return -EINVAL;
}

int config_parse_q(const char *s, uint16_t *q, char *err, size_t errlen)
{
	if (sip_qvalue_parse(sv_from_cstr(s), q) == 0)
		return 0;
	snprintf(err, errlen,
		 "\"%s\" is not a q-value (0 to 1 with at most 3 decimals, "
		 "e.g. 0.5)",
		 s);
	return -EINVAL;
}

static int parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		      char *err, size_t errlen)
{
	uint64_t v;
	size_t n = read_digits(s, &v);

	if (n == 0 || s[n] != '\0') {
		snprintf(err, errlen, "\"%s\" is not a whole number", s);
		return -EINVAL;
	}
	if (v < min || v > max) {
		snprintf(err, errlen,
			 "%" PRIu64 " is out of range (%" PRIu64 "..%" PRIu64
			 ")",
			 v, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* A duration within [min, max] ms (0 is accepted only if min is 0). */
static int parse_duration_range(const char *s, uint32_t min, uint32_t max,
				uint32_t *out, char *err, size_t errlen)
{
	uint32_t v;
	int rc = config_parse_duration(s, &v, err, errlen);

	if (rc)
		return rc;
	if (v < min || v > max) {
		snprintf(err, errlen,
			 "%s is out of range (%" PRIu32 "ms..%" PRIu32 "ms)", s,
			 min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* ---- the keys ---- */

enum key_id {
	K_ROLE,
	K_WORKERS,
	K_LISTEN,
	K_DOMAIN,
	K_TRACE,
	K_NEXT_HOP,
	K_RING_TIMEOUT,
	K_TARGET_RING_TIMEOUT,
	K_INVITE_TIMEOUT,
	K_RECORD_ROUTE,
	K_RECURSION,
	K_MAX_TARGETS,
	K_CONTACT,
	K_T1,
	K_T2,
	K_T4,
	K_MAX_MESSAGE_SIZE,
	K_MAX_HEADERS,
	K_MAX_TRANSACTIONS,
	K_TCP_MAX_CONNECTIONS,
	K_TCP_IDLE_TIMEOUT,
	K_COUNT,
};

static const struct key {
	const char *section;
	const char *name;
	bool repeatable;
} keys[K_COUNT] = {
	[K_ROLE] = {"server", "role", false},
	[K_WORKERS] = {"server", "workers", false},
	[K_LISTEN] = {"server", "listen", true},
	[K_DOMAIN] = {"server", "domain", true},
	[K_TRACE] = {"server", "trace", false},
	[K_NEXT_HOP] = {"proxy", "next_hop", false},
	[K_RING_TIMEOUT] = {"proxy", "ring_timeout", false},
	[K_TARGET_RING_TIMEOUT] = {"proxy", "target_ring_timeout", true},
	[K_INVITE_TIMEOUT] = {"proxy", "invite_timeout", false},
	[K_RECORD_ROUTE] = {"proxy", "record_route", false},
	[K_RECURSION] = {"proxy", "recursion", false},
	[K_MAX_TARGETS] = {"proxy", "max_targets", false},
	[K_CONTACT] = {"redirect", "contact", true},
	[K_T1] = {"timers", "t1", false},
	[K_T2] = {"timers", "t2", false},
	[K_T4] = {"timers", "t4", false},
	[K_MAX_MESSAGE_SIZE] = {"limits", "max_message_size", false},
	[K_MAX_HEADERS] = {"limits", "max_headers", false},
	[K_MAX_TRANSACTIONS] = {"limits", "max_transactions", false},
	[K_TCP_MAX_CONNECTIONS] = {"limits", "tcp_max_connections", false},
	[K_TCP_IDLE_TIMEOUT] = {"limits", "tcp_idle_timeout", false},
};

enum section_id { S_SERVER, S_PROXY, S_REDIRECT, S_TIMERS, S_LIMITS, S_COUNT };

static const char *const sections[S_COUNT] = {
	[S_SERVER] = "server", [S_PROXY] = "proxy",   [S_REDIRECT] = "redirect",
	[S_TIMERS] = "timers", [S_LIMITS] = "limits",
};

#define KNOWN_SECTIONS "[server], [proxy], [redirect], [timers], [limits]"

#define HOUR_MS 3600000u

struct loader {
	struct ringway_config *cfg;
	const char *path;
	FILE *f;
	char dir[PATH_MAX]; /* the config file's folder */
	int line;	    /* the line inih is working on */
	bool failed;
	char *err;
	size_t errlen;
	int seen[K_COUNT]; /* line of a key's first occurrence, 0: absent */
	int listen_line[ENGINE_MAX_LISTEN];
	int contact_line[REDIRECT_MAX_CONTACTS];
	int section_line[S_COUNT]; /* line of a section's first header */
};

/* Records the first error: "FILE:LINE: [section] key: why" (section and
 * key may be NULL). */
__attribute__((format(printf, 4, 5))) static void fail(struct loader *ld,
						       const char *section,
						       const char *key,
						       const char *fmt, ...)
{
	char why[512];
	va_list ap;

	if (ld->failed)
		return;
	ld->failed = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (section && key)
		snprintf(ld->err, ld->errlen, "%s:%d: [%s] %s: %s", ld->path,
			 ld->line, section, key, why);
	else if (section)
		snprintf(ld->err, ld->errlen, "%s:%d: [%s]: %s", ld->path,
			 ld->line, section, why);
	else
		snprintf(ld->err, ld->errlen, "%s:%d: %s", ld->path, ld->line,
			 why);
}

static int set_listen(struct loader *ld, const char *v, char *why, size_t n)
{
	struct engine_cfg *e = &ld->cfg->engine;
	struct engine_listen l;
	char a[64];

	if (!ld->seen[K_LISTEN])
		e->nlisten = 0; /* the file's list replaces the default */
	if (engine_listen_parse(&l, v)) {
		snprintf(why, n,
			 "\"%s\" is not a listen address (write udp:HOST:PORT "
			 "or tcp:HOST:PORT with a numeric host, e.g. "
			 "udp:127.0.0.1:5060 or tcp:[::1]:5060)",
			 v);
		return -EINVAL;
	}
	for (unsigned i = 0; i < e->nlisten; i++) {
		if (e->listen[i].proto != l.proto ||
		    !tp_addr_eq(&e->listen[i].addr, &l.addr))
			continue;
		(void)tp_addr_fmt(&l.addr, a, sizeof(a));
		snprintf(why, n, "%s:%s is already listed on line %d",
			 l.proto == TP_TCP ? "tcp" : "udp", a,
			 ld->listen_line[i]);
		return -EINVAL;
	}
	if (e->nlisten == ENGINE_MAX_LISTEN) {
		snprintf(why, n, "more than %d listen addresses",
			 ENGINE_MAX_LISTEN);
		return -E2BIG;
	}
	ld->listen_line[e->nlisten] = ld->line;
	e->listen[e->nlisten++] = l;
	return 0;
}

/* Host names, IPv4 and IPv6 addresses (bare or in brackets). */
static bool host_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._:[]", *s))
			return false;
	return true;
}

static int set_domain(struct loader *ld, const char *v, char *why, size_t n)
{
	struct proxy_cfg *p = &ld->cfg->proxy;

	if (!ld->seen[K_DOMAIN])
		p->ndomains = 0; /* the file's list replaces the default */
	if (!host_ok(v)) {
		snprintf(why, n,
			 "\"%s\" is not a host name or address (one per "
			 "line: domain = example.com)",
			 v);
		return -EINVAL;
	}
	if (strlen(v) >= sizeof(p->domains[0])) {
		snprintf(why, n, "longer than %zu characters",
			 sizeof(p->domains[0]) - 1);
		return -EINVAL;
	}
	for (unsigned i = 0; i < p->ndomains; i++)
		if (strcasecmp(p->domains[i], v) == 0) {
			snprintf(why, n, "%s is already listed", v);
			return -EINVAL;
		}
	if (p->ndomains == PROXY_MAX_DOMAINS) {
		snprintf(why, n, "more than %d domains", PROXY_MAX_DOMAINS);
		return -E2BIG;
	}
	snprintf(p->domains[p->ndomains++], sizeof(p->domains[0]), "%s", v);
	return 0;
}

static int set_next_hop(struct loader *ld, const char *v, char *why, size_t n)
{
	struct proxy_cfg *p = &ld->cfg->proxy;
	struct sip_uri u;

	if (strlen(v) >= sizeof(p->next_hop)) {
		snprintf(why, n, "longer than %zu characters",
			 sizeof(p->next_hop) - 1);
		return -EINVAL;
	}
	if (*v && (sip_uri_parse(&u, sv_from_cstr(v)) ||
		   (u.kind != SIP_SCHEME_SIP && u.kind != SIP_SCHEME_SIPS))) {
		snprintf(why, n,
			 "\"%s\" is not a sip: URI (e.g. sip:127.0.0.1:5070)",
			 v);
		return -EINVAL;
	}
	snprintf(p->next_hop, sizeof(p->next_hop), "%s", v);
	return 0;
}

/* target_ring_timeout = URI DURATION: one target's ring timeout. */
static int set_target_ring(struct loader *ld, const char *v, char *why,
			   size_t n)
{
	struct proxy_cfg *p = &ld->cfg->proxy;
	struct proxy_target_ring *r;
	const char *sp = strchr(v, ' ');
	struct sip_uri u;
	size_t ulen;
	int rc;

	if (p->ntarget_rings == PROXY_MAX_TARGET_RINGS) {
		snprintf(why, n, "more than %d entries",
			 PROXY_MAX_TARGET_RINGS);
		return -EINVAL;
	}
	r = &p->target_rings[p->ntarget_rings];
	ulen = sp ? (size_t)(sp - v) : strlen(v);
	if (!sp || ulen >= sizeof(r->uri)) {
		snprintf(why, n,
			 "\"%s\" is not URI DURATION (e.g. "
			 "sip:5550002@127.0.0.1:5081 30s)",
			 v);
		return -EINVAL;
	}
	memcpy(r->uri, v, ulen);
	r->uri[ulen] = '\0';
	if (sip_uri_parse(&u, sv_from_cstr(r->uri)) ||
	    (u.kind != SIP_SCHEME_SIP && u.kind != SIP_SCHEME_SIPS)) {
		snprintf(why, n, "\"%s\" is not a sip: URI", r->uri);
		return -EINVAL;
	}
	while (*sp == ' ')
		sp++;
	rc = parse_duration_range(sp, 0, HOUR_MS, &r->ms, why, n);
	if (rc == 0)
		p->ntarget_rings++;
	return rc;
}

static const char *const role_names[] = {
	[ROLE_PROXY] = "proxy",
	[ROLE_REDIRECT] = "redirect",
};

const char *config_role_name(enum ringway_role role)
{
	return (unsigned)role < sizeof(role_names) / sizeof(role_names[0])
		       ? role_names[role]
		       : "?";
}

static int set_role(struct loader *ld, const char *v, char *why, size_t n)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcasecmp(v, role_names[i]) == 0) {
			ld->cfg->role = (enum ringway_role)i;
			return 0;
		}
	snprintf(why, n, "\"%s\" is not a role (use proxy or redirect)", v);
	return -EINVAL;
}

/* A URI's user part (RFC 3261 §25.1 user: unreserved, escaped,
 * user-unreserved). */
static bool user_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == '%') {
			if (!isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]) ||
			    (s[1] == '0' && s[2] == '0'))
				return false;
			s += 2;
			continue;
		}
		if (!isalnum((unsigned char)*s) &&
		    !strchr("-_.!~*'()&=+$,;?/", *s))
			return false;
	}
	return true;
}

#define CONTACT_SYNTAX                                                         \
	"write USER URI [Q], e.g. contact = 5550002 "                          \
	"sip:5550002@127.0.0.1:5081 1.0"

/* contact = USER URI [Q] */
static int set_contact(struct loader *ld, const char *v, char *why, size_t n)
{
	struct redirect_cfg *r = &ld->cfg->redirect;
	struct redirect_contact c = {.q = 1000};
	char buf[256], *tok[4], *save = NULL;
	struct sip_uri u;
	unsigned ntok = 0;
	int rc;

	snprintf(buf, sizeof(buf), "%s", v);
	for (char *t = strtok_r(buf, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (ntok == 3) {
			ntok++;
			break;
		}
		tok[ntok++] = t;
	}
	if (ntok < 2 || ntok > 3) {
		snprintf(why, n, "\"%s\": %s", v, CONTACT_SYNTAX);
		return -EINVAL;
	}
	if (!user_ok(tok[0]) || strlen(tok[0]) >= sizeof(c.user)) {
		snprintf(why, n,
			 "\"%s\" is not a user part (up to %zu characters "
			 "of a SIP URI's user, e.g. 5550002 or alice)",
			 tok[0], sizeof(c.user) - 1);
		return -EINVAL;
	}
	if (strlen(tok[1]) >= sizeof(c.uri) ||
	    sip_uri_parse(&u, sv_from_cstr(tok[1])) ||
	    (u.kind != SIP_SCHEME_SIP && u.kind != SIP_SCHEME_SIPS &&
	     u.kind != SIP_SCHEME_TEL)) {
		snprintf(why, n,
			 "\"%s\" is not a sip:, sips: or tel: URI of up to "
			 "%zu characters (e.g. sip:5550002@127.0.0.1:5081)",
			 tok[1], sizeof(c.uri) - 1);
		return -EINVAL;
	}
	if (ntok == 3) {
		rc = config_parse_q(tok[2], &c.q, why, n);
		if (rc)
			return rc;
	}
	snprintf(c.user, sizeof(c.user), "%s", tok[0]);
	snprintf(c.uri, sizeof(c.uri), "%s", tok[1]);
	for (unsigned i = 0; i < r->ncontacts; i++)
		if (strcmp(r->contacts[i].user, c.user) == 0 &&
		    strcmp(r->contacts[i].uri, c.uri) == 0) {
			snprintf(why, n, "%s %s is already listed on line %d",
				 c.user, c.uri, ld->contact_line[i]);
			return -EINVAL;
		}
	if (r->ncontacts == REDIRECT_MAX_CONTACTS) {
		snprintf(why, n, "more than %d contacts",
			 REDIRECT_MAX_CONTACTS);
		return -E2BIG;
	}
	ld->contact_line[r->ncontacts] = ld->line;
	r->contacts[r->ncontacts++] = c;
	return 0;
}

static int set_trace(struct loader *ld, const char *v, char *why, size_t n)
{
	char *out = ld->cfg->trace_path;
	size_t cap = sizeof(ld->cfg->trace_path);
	int len;

	if (!*v || v[0] == '/')
		len = snprintf(out, cap, "%s", v);
	else
		len = snprintf(out, cap, "%s/%s", ld->dir, v);
	if (len < 0 || (size_t)len >= cap) {
		out[0] = '\0';
		snprintf(why, n, "the path is too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

static int set_value(struct loader *ld, enum key_id id, const char *v,
		     char *why, size_t n)
{
	struct ringway_config *c = ld->cfg;
	uint64_t u = 0;
	int rc;

	switch (id) {
	case K_ROLE:
		return set_role(ld, v, why, n);
	case K_WORKERS:
		rc = parse_uint(v, 0, ENGINE_MAX_WORKERS, &u, why, n);
		c->engine.workers = (unsigned)u;
		return rc;
	case K_LISTEN:
		return set_listen(ld, v, why, n);
	case K_DOMAIN:
		return set_domain(ld, v, why, n);
	case K_TRACE:
		return set_trace(ld, v, why, n);
	case K_NEXT_HOP:
		return set_next_hop(ld, v, why, n);
	case K_RING_TIMEOUT:
		return parse_duration_range(v, 0, HOUR_MS,
					    &c->proxy.ring_timeout_ms, why, n);
	case K_TARGET_RING_TIMEOUT:
		return set_target_ring(ld, v, why, n);
	case K_INVITE_TIMEOUT:
		return parse_duration_range(
			v, 1000, HOUR_MS, &c->proxy.invite_timeout_ms, why, n);
	case K_RECORD_ROUTE:
		return config_parse_bool(v, &c->proxy.record_route, why, n);
	case K_RECURSION:
		return config_parse_bool(v, &c->proxy.recursion, why, n);
	case K_MAX_TARGETS:
		rc = parse_uint(v, 1, 256, &u, why, n);
		c->proxy.max_targets = (unsigned)u;
		return rc;
	case K_CONTACT:
		return set_contact(ld, v, why, n);
	case K_T1:
		return parse_duration_range(v, 1, 60000, &c->engine.txn.t1, why,
					    n);
	case K_T2:
		return parse_duration_range(v, 1, HOUR_MS, &c->engine.txn.t2,
					    why, n);
	case K_T4:
		return parse_duration_range(v, 1, HOUR_MS, &c->engine.txn.t4,
					    why, n);
	case K_MAX_MESSAGE_SIZE:
		rc = parse_uint(v, 1024, 16u << 20, &u, why, n);
		c->limits.max_msg_size = (uint32_t)u;
		return rc;
	case K_MAX_HEADERS:
		rc = parse_uint(v, 10, UINT16_MAX, &u, why, n);
		c->limits.max_headers = (uint16_t)u;
		return rc;
	case K_MAX_TRANSACTIONS:
		rc = parse_uint(v, 16, 16u << 20, &u, why, n);
		c->engine.txn.max_txns = (uint32_t)u;
		return rc;
	case K_TCP_MAX_CONNECTIONS:
		rc = parse_uint(v, 1, 1000000, &u, why, n);
		c->engine.tcp_max_conns = (unsigned)u;
		return rc;
	case K_TCP_IDLE_TIMEOUT:
		return parse_duration_range(v, 1000, 24 * HOUR_MS,
					    &c->engine.tcp_idle_ms, why, n);
	case K_COUNT:
		break;
	}
	return -EINVAL;
}

/* Keys whose empty value means "none". */
static bool empty_ok(enum key_id id)
{
	return id == K_NEXT_HOP || id == K_TRACE;
}

static void list_keys(const char *section, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < K_COUNT && len < cap; i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
					len ? ", " : "", keys[i].name);
	}
}

static int on_pair(void *user, const char *section, const char *name,
		   const char *value)
{
	struct loader *ld = user;
	char why[400], known[256];
	const struct key *k = NULL;
	enum key_id id = K_COUNT;

	if (ld->failed)
		return 0;
	if (!*section) {
		fail(ld, NULL, NULL,
		     "%s: outside a section (put it under [server], [proxy], "
		     "[redirect], [timers] or [limits])",
		     name);
		return 0;
	}
	for (int i = 0; i < K_COUNT; i++)
		if (strcasecmp(keys[i].section, section) == 0 &&
		    strcasecmp(keys[i].name, name) == 0) {
			id = (enum key_id)i;
			k = &keys[i];
			break;
		}
	if (!k) {
		/* The reader already refused unknown sections. */
		list_keys(section, known, sizeof(known));
		fail(ld, section, name, "unknown key (known here: %s)", known);
		return 0;
	}
	if (ld->seen[id] && !k->repeatable) {
		fail(ld, k->section, k->name, "given twice (first on line %d)",
		     ld->seen[id]);
		return 0;
	}
	if (!*value && !empty_ok(id)) {
		fail(ld, k->section, k->name, "no value");
		return 0;
	}
	if (set_value(ld, id, value, why, sizeof(why))) {
		fail(ld, k->section, k->name, "%s", why);
		return 0;
	}
	if (!ld->seen[id])
		ld->seen[id] = ld->line;
	return 1;
}

/* "[name]" at the start of a (left-trimmed) line: a known section? */
static void check_section(struct loader *ld, const char *line)
{
	const char *end = strchr(line, ']');
	size_t len;

	if (!end) {
		fail(ld, NULL, NULL, "syntax error: \"[\" without \"]\"");
		return;
	}
	len = (size_t)(end - line - 1);
	for (size_t i = 0; i < S_COUNT; i++)
		if (strlen(sections[i]) == len &&
		    strncasecmp(sections[i], line + 1, len) == 0) {
			if (!ld->section_line[i])
				ld->section_line[i] = ld->line;
			return;
		}
	fail(ld, NULL, NULL,
	     "[%.*s]: unknown section (known: " KNOWN_SECTIONS ")", (int)len,
	     line + 1);
}

#define SYNTAX_ERROR                                                           \
	"syntax error (expected \"key = value\", \"[section]\" or a "          \
	"comment starting with ; or #)"

/* A key line as inih reads it: a '=' or ':' before any inline comment (a
 * ';' after whitespace).  inih would report the error too, but only after
 * going on and calling us for the lines after it. */
static void check_pair(struct loader *ld, const char *line)
{
	for (const char *p = line; *p && *p != '\r' && *p != '\n'; p++) {
		if (*p == '=' || *p == ':')
			return;
		if (*p == ';' && p > line && (p[-1] == ' ' || p[-1] == '\t'))
			break;
	}
	fail(ld, NULL, NULL, SYNTAX_ERROR);
}

/* After a line that filled the buffer: was that the whole line? */
static bool at_line_end(FILE *f)
{
	int c = fgetc(f);

	if (c == '\r')
		c = fgetc(f);
	return c == EOF || c == '\n';
}

/* inih's fgets-like reader: counts lines, refuses over-long ones (inih
 * would split them into two lines), strips leading whitespace and checks
 * section names.  Returning NULL ends the parse. */
static char *read_line(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	size_t len, skip = 0;

	if (ld->failed || !fgets(str, num, ld->f))
		return NULL;
	ld->line++;
	len = strlen(str);
	if (len && str[len - 1] != '\n' && !at_line_end(ld->f)) {
		fail(ld, NULL, NULL, "line too long (at most %d characters)",
		     num - 3);
		return NULL;
	}
	while (str[skip] == ' ' || str[skip] == '\t')
		skip++;
	memmove(str, str + skip, len - skip + 1);
	if (str[0] == '[')
		check_section(ld, str);
	else if (str[0] && !strchr(";#\r\n", str[0]))
		check_pair(ld, str);
	return ld->failed ? NULL : str;
}

void config_defaults(struct ringway_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = ROLE_PROXY;
	engine_cfg_default(&cfg->engine);
	cfg->limits = sip_limits_default;
	cfg->engine.txn.limits = &cfg->limits;
	(void)engine_listen_parse(&cfg->engine.listen[0], "udp:127.0.0.1:5060");
	cfg->engine.nlisten = 1;
	/* The proxy's defaults (as proxy.h documents them), set here so that
	 * the configuration does not depend on the proxy's code. */
	snprintf(cfg->proxy.domains[0], sizeof(cfg->proxy.domains[0]),
		 "127.0.0.1");
	cfg->proxy.ndomains = 1;
	cfg->proxy.ring_timeout_ms = 0;
	cfg->proxy.invite_timeout_ms = 180000;
	cfg->proxy.record_route = true;
	cfg->proxy.recursion = true;
	cfg->proxy.max_targets = 16;
}

static void set_dir(struct loader *ld, const char *path)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	/* dirname() may modify tmp and returns a pointer into it or a
	 * static "."; realpath() makes the trace path absolute, so it
	 * means the same whatever the daemon's working folder. */
	if (!realpath(dirname(tmp), ld->dir)) {
		snprintf(tmp, sizeof(tmp), "%s", path);
		snprintf(ld->dir, sizeof(ld->dir), "%s", dirname(tmp));
	}
}

/* A role's sections and keys only: [proxy] (and [server] domain, which
 * only the proxy uses for now) in role redirect, [redirect] in role
 * proxy. */
static void check_role(struct loader *ld)
{
	int role_line = ld->seen[K_ROLE];

	if (ld->cfg->role == ROLE_REDIRECT) {
		if (ld->section_line[S_PROXY]) {
			ld->line = ld->section_line[S_PROXY];
			fail(ld, NULL, NULL,
			     "[proxy] does not apply to role redirect (role "
			     "on line %d)",
			     role_line);
		} else if (ld->seen[K_DOMAIN]) {
			ld->line = ld->seen[K_DOMAIN];
			fail(ld, "server", "domain",
			     "does not apply to role redirect (role on line "
			     "%d; the contact table matches the user part "
			     "whatever the host)",
			     role_line);
		}
		return;
	}
	if (ld->section_line[S_REDIRECT]) {
		char where[64];

		if (role_line)
			snprintf(where, sizeof(where), "role on line %d",
				 role_line);
		else
			snprintf(where, sizeof(where),
				 "the default: set role = redirect in "
				 "[server]");
		ld->line = ld->section_line[S_REDIRECT];
		fail(ld, NULL, NULL,
		     "[redirect] does not apply to role proxy (%s)", where);
	}
}

int config_load(struct ringway_config *out, const char *path, char *err,
		size_t errlen)
{
	struct loader ld = {
		.cfg = out,
		.path = path,
		.err = err,
		.errlen = errlen,
	};
	int rc;

	config_defaults(out);
	if (errlen)
		err[0] = '\0';
	ld.f = fopen(path, "re");
	if (!ld.f) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(-rc));
		return rc;
	}
	set_dir(&ld, path);
	rc = ini_parse_stream(read_line, &ld, on_pair, &ld);
	if (!ld.failed && ferror(ld.f)) {
		snprintf(err, errlen, "%s: read error", path);
		ld.failed = true;
	}
	fclose(ld.f);
	if (!ld.failed && rc > 0) {
		ld.line = rc;
		fail(&ld, NULL, NULL, SYNTAX_ERROR);
	}
	if (!ld.failed)
		check_role(&ld);
	if (!ld.failed && out->engine.txn.t2 < out->engine.txn.t1) {
		ld.line = ld.seen[K_T2] ? ld.seen[K_T2] : ld.seen[K_T1];
		fail(&ld, "timers", ld.seen[K_T2] ? "t2" : "t1",
		     "t2 (%" PRIu32 "ms) must not be less than t1 (%" PRIu32
		     "ms)",
		     out->engine.txn.t2, out->engine.txn.t1);
	}
	return ld.failed ? -EINVAL : 0;
}
