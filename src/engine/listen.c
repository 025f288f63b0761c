/* listen.c - parsing "proto:host:port" listen specifications. */
#include <errno.h>
#include <string.h>

#include "engine/engine.h"

int engine_listen_parse(struct engine_listen *out, const char *text)
{
	struct sv s = sv_from_cstr(text), host;
	uint32_t port = 5060;
	const char *colon;

	out->proto = TP_UDP;
	if (sv_starts_with_case(s, SV("udp:"))) {
		s = sv_skip(s, 4);
	} else if (sv_starts_with_case(s, SV("tcp:"))) {
		out->proto = TP_TCP;
		s = sv_skip(s, 4);
	}
	if (s.len && s.p[0] == '[') {
		/* [v6]:port */
		size_t close = sv_find(s, ']');

		if (close == s.len)
			return -EINVAL;
		host = sv_make(s.p + 1, close - 1);
		s = sv_skip(s, close + 1);
		if (s.len &&
		    (s.p[0] != ':' || sv_to_u32(sv_skip(s, 1), &port) != 0))
			return -EINVAL;
	} else {
		colon = memchr(s.p, ':', s.len);
		host = colon ? sv_span(s.p, colon) : s;
		if (colon && sv_to_u32(sv_span(colon + 1, sv_end(s)), &port))
			return -EINVAL;
	}
	if (port > 65535 || host.len == 0)
		return -EINVAL;
	return tp_addr_from(&out->addr, host, (uint16_t)port);
}
