/* config.h - the daemon's configuration file (INI, read with inih).
 *
 * Every key, its default, unit and an example are in docs/config.md.
 * Errors name the place and the problem, for an operator:
 *
 *   proxy.conf:12: [proxy] ring_timeout: "2" has no unit (write 2s or 2000ms)
 */
#ifndef RINGWAY_APP_CONFIG_H
#define RINGWAY_APP_CONFIG_H

#include <limits.h>
#include <stddef.h>

#include "engine/engine.h"
#include "proxy/proxy.h"
#include "redirect/redirect.h"
#include "sip/sip.h"

/* [server] role: what the daemon serves. */
enum ringway_role {
	ROLE_PROXY,    /* RFC 3261 §16 stateful proxy: [proxy] */
	ROLE_REDIRECT, /* §8.3 redirect server: [redirect] */
};

struct ringway_config {
	struct engine_cfg engine; /* engine.txn.limits points at limits */
	enum ringway_role role;	  /* default ROLE_PROXY */
	struct proxy_cfg proxy;
	struct redirect_cfg redirect;
	struct sip_limits limits;
	/* [server] trace, made absolute against the config file's folder;
	 * empty: no trace.  The daemon opens it (engine.trace_fd stays -1
	 * here). */
	char trace_path[PATH_MAX];
};

/* The built-in defaults (what the daemon runs without -c): a proxy on
 * udp:127.0.0.1:5060, domain 127.0.0.1, no next hop, one worker per CPU,
 * RFC 3261 timers.  The struct holds a pointer into itself
 * (engine.txn.limits): fill it in place, never copy it by value. */
void config_defaults(struct ringway_config *cfg);

/* Defaults, then the file at path on top.  Returns 0, or a negative errno
 * with "FILE:LINE: [section] key: what is wrong" (or "FILE: what is
 * wrong" when no line is to blame) in err.  On error *out holds no
 * meaning. */
int config_load(struct ringway_config *out, const char *path, char *err,
		size_t errlen);

/* "proxy", "redirect". */
const char *config_role_name(enum ringway_role role);

/* Parsers for the value kinds, for the loader and its tests.  Each returns
 * 0 or -EINVAL with the reason (no place) in err. */
int config_parse_duration(const char *s, uint32_t *ms, char *err,
			  size_t errlen);
int config_parse_bool(const char *s, bool *out, char *err, size_t errlen);
/* A qvalue (RFC 3261 §25.1: 0 to 1 with at most 3 decimals, "1" only with
 * zeros after the point) in thousandths. */
int config_parse_q(const char *s, uint16_t *q, char *err, size_t errlen);

#endif
