/* sip.h - the SIP message layer: scan, typed parsers, compare, edit, build.
 *
 * A pure library: no I/O, no event loop, no allocation.  Everything a parser
 * returns is a view (struct sv) into the caller's buffer, which must outlive
 * the struct sip_msg that indexes it.
 *
 * Flow:  sip_msg_scan()   frames one message, splits the start line, indexes
 *                          every header and decodes the transaction keys
 *                          (top Via, CSeq, Call-ID, From/To tags,
 *                          Max-Forwards, Content-Length).
 *        sip_msg_*()      typed accessors, parsed on first use and cached.
 *        sip_msg_check()  the remaining §8.2/§16.3 syntax checks a server
 *                          makes before acting (Request-URI, From/To URIs,
 *                          Contact syntax).
 *        sip_edit_*()     an ordered list of edits on top of the untouched
 *                          input, serialized as iovecs or into one buffer.
 *        sip_resp_build() a response from a request (§8.2.6).
 *
 * Errors: functions return 0 or a negative errno.  Where a server must answer,
 * a struct sip_err says with which status code (400, 505, 513, ...), with a
 * reason phrase naming the problem, the header concerned and the offset.
 * status 0 means "drop silently" (e.g. a malformed response, RFC 4475
 * §3.1.2.19).
 */
#ifndef RINGWAY_SIP_SIP_H
#define RINGWAY_SIP_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "base/sv.h"

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

struct sip_err {
	uint16_t status; /* status code to answer with; 0 = drop silently */
	uint16_t hdr;	 /* enum sip_hdr_id concerned, SIP_HDR_NONE if none */
	uint32_t offset; /* byte offset in the input where it went wrong */
	const char *reason; /* static reason phrase, e.g. "Bad Via header" */
};

/* Fill *err (if not NULL) and return -EBADMSG.  For parsers. */
int sip_err_set(struct sip_err *err, uint16_t status, uint16_t hdr,
		const char *base, const char *at, const char *reason);

/* ------------------------------------------------------------------------ */
/* Methods, header names, status codes                                       */

enum sip_method {
	SIP_METHOD_OTHER = 0, /* unknown extension method: compare by name */
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_REGISTER,
	SIP_METHOD_PRACK,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_PUBLISH,
	SIP_METHOD_INFO,
	SIP_METHOD_REFER,
	SIP_METHOD_MESSAGE,
	SIP_METHOD_UPDATE,
	SIP_METHOD__COUNT
};

/* Methods are case-sensitive (RFC 3261 §7.1). */
enum sip_method sip_method_id(struct sv name);
struct sv sip_method_name(enum sip_method m);

enum sip_hdr_id {
	SIP_HDR_NONE = 0, /* not a header / unknown: kept opaque */
	SIP_HDR_ACCEPT,
	SIP_HDR_ACCEPT_CONTACT, /* a */
	SIP_HDR_ACCEPT_ENCODING,
	SIP_HDR_ACCEPT_LANGUAGE,
	SIP_HDR_ALERT_INFO,
	SIP_HDR_ALLOW,
	SIP_HDR_ALLOW_EVENTS, /* u */
	SIP_HDR_AUTHENTICATION_INFO,
	SIP_HDR_AUTHORIZATION,
	SIP_HDR_CALL_ID, /* i */
	SIP_HDR_CALL_INFO,
	SIP_HDR_CONTACT, /* m */
	SIP_HDR_CONTENT_DISPOSITION,
	SIP_HDR_CONTENT_ENCODING, /* e */
	SIP_HDR_CONTENT_LANGUAGE,
	SIP_HDR_CONTENT_LENGTH, /* l */
	SIP_HDR_CONTENT_TYPE,	/* c */
	SIP_HDR_CSEQ,
	SIP_HDR_DATE,
	SIP_HDR_ERROR_INFO,
	SIP_HDR_EVENT, /* o */
	SIP_HDR_EXPIRES,
	SIP_HDR_FROM,	  /* f */
	SIP_HDR_IDENTITY, /* y */
	SIP_HDR_IN_REPLY_TO,
	SIP_HDR_MAX_FORWARDS,
	SIP_HDR_MIME_VERSION,
	SIP_HDR_MIN_EXPIRES,
	SIP_HDR_MIN_SE,
	SIP_HDR_ORGANIZATION,
	SIP_HDR_PATH,
	SIP_HDR_PRIORITY,
	SIP_HDR_PRIVACY,
	SIP_HDR_PROXY_AUTHENTICATE,
	SIP_HDR_PROXY_AUTHORIZATION,
	SIP_HDR_PROXY_REQUIRE,
	SIP_HDR_P_ASSERTED_IDENTITY,
	SIP_HDR_RACK,
	SIP_HDR_REASON,
	SIP_HDR_RECORD_ROUTE,
	SIP_HDR_REFERRED_BY,	/* b */
	SIP_HDR_REFER_TO,	/* r */
	SIP_HDR_REJECT_CONTACT, /* j */
	SIP_HDR_REPLY_TO,
	SIP_HDR_REQUEST_DISPOSITION, /* d */
	SIP_HDR_REQUIRE,
	SIP_HDR_RETRY_AFTER,
	SIP_HDR_ROUTE,
	SIP_HDR_RSEQ,
	SIP_HDR_SERVER,
	SIP_HDR_SESSION_EXPIRES, /* x */
	SIP_HDR_SUBJECT,	 /* s */
	SIP_HDR_SUBSCRIPTION_STATE,
	SIP_HDR_SUPPORTED, /* k */
	SIP_HDR_TIMESTAMP,
	SIP_HDR_TO, /* t */
	SIP_HDR_UNSUPPORTED,
	SIP_HDR_USER_AGENT,
	SIP_HDR_VIA, /* v */
	SIP_HDR_WARNING,
	SIP_HDR_WWW_AUTHENTICATE,
	SIP_HDR__COUNT
};

/* Header id from its (long or compact) name, case-insensitively; any hash
 * hit is confirmed by a full compare.  SIP_HDR_NONE if unknown. */
enum sip_hdr_id sip_hdr_lookup(struct sv name);
/* Canonical long name ("Via", "Call-ID", ...). */
struct sv sip_hdr_name(enum sip_hdr_id id);

/* Default reason phrase for a status code ("Ringing"); "" if unknown. */
const char *sip_status_reason(unsigned code);

/* ------------------------------------------------------------------------ */
/* Generic parameters and comma lists                                        */

/* Walk ";name[=value]" parameters.  *rest starts at (or before, after LWS)
 * the first ';'.  Returns 1 with name/value set (value empty and
 * *has_value false for a bare name), 0 at the end, -EBADMSG on bad syntax
 * (empty name, stray ';', unterminated quoted value).  LWS around ';' and '='
 * is skipped.  Quoted values are returned with their quotes. */
int sip_param_next(struct sv *rest, struct sv *name, struct sv *value,
		   bool *has_value);

/* Find a parameter by case-insensitive name; true if present. */
bool sip_param_find(struct sv params, struct sv name, struct sv *value);

/* Split a header value at top-level commas (not inside "quotes" or <angle
 * brackets>).  *rest is the unparsed remainder; returns 1 with *item set
 * (trimmed), 0 when nothing is left, -EBADMSG on an empty element or an
 * unbalanced quote/bracket. */
int sip_list_next(struct sv *rest, struct sv *item);

/* ------------------------------------------------------------------------ */
/* URIs (RFC 3261 §19.1, RFC 3966 tel)                                      */

enum sip_scheme {
	SIP_SCHEME_OTHER = 0, /* any other absoluteURI: kept opaque */
	SIP_SCHEME_SIP,
	SIP_SCHEME_SIPS,
	SIP_SCHEME_TEL,
};

struct sip_uri {
	struct sv raw;	  /* the whole URI text */
	struct sv scheme; /* "sip", "sips", "tel", "http", ... */
	enum sip_scheme kind;
	/* sip/sips: userinfo and hostport.  Views are still %-escaped. */
	struct sv user;	    /* may be empty; tel: the telephone-subscriber */
	struct sv password; /* empty if none */
	struct sv host;	    /* IPv6 references without the [brackets] */
	bool host_ipv6;
	bool has_port;
	uint16_t port;	   /* 0 if none */
	struct sv params;  /* ";a=b;lr" with the leading ';', or empty */
	struct sv headers; /* after '?', without it, or empty */
	/* Frequently used uri-parameters, found in params (empty if absent). */
	struct sv transport;
	struct sv user_param; /* user=phone */
	struct sv maddr;
	struct sv ttl;
	struct sv method;
	bool lr;
	/* Anything after "scheme:" for SIP_SCHEME_OTHER. */
	struct sv opaque;
};

/* Parse a URI.  sip/sips/tel are parsed fully; other schemes need only a
 * valid scheme (ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")) followed by ':' and
 * no whitespace.  Returns 0 or -EBADMSG. */
int sip_uri_parse(struct sip_uri *out, struct sv in);

/* URI equivalence, RFC 3261 §19.1.4: scheme and host case-insensitive,
 * user and password case-sensitive, %-escapes compared decoded, parameters
 * that appear in both must match, user/ttl/method/maddr/transport must match
 * if present in either, other parameters only if in both, headers must all
 * match.  tel URIs compared by number (visual separators ignored) and params.
 * Other schemes: case-insensitive scheme, byte compare of the rest. */
bool sip_uri_equal(const struct sip_uri *a, const struct sip_uri *b);

/* Decode %HH escapes into dst (never recursively: RFC 4475 esc01).  Returns
 * the decoded length, or -ENOSPC if cap is too small, -EBADMSG on a broken
 * escape. */
int sip_unescape(char *dst, size_t cap, struct sv in);

/* ------------------------------------------------------------------------ */
/* name-addr / addr-spec (From, To, Contact, Route, Record-Route, ...)      */

struct sip_addr {
	struct sv display; /* display name as written: with quotes if quoted,
			      trimmed; empty if none */
	bool display_quoted;
	bool angle;	  /* URI was in <...> */
	struct sv uri;	  /* URI text (without < >), not yet parsed */
	struct sv params; /* header params after the URI (";tag=x;..."), or
			     empty */
	struct sv tag;	  /* value of the tag param, or empty */
};

/* Parse one name-addr or addr-spec followed by header params.  Without angle
 * brackets the URI ends at the first ';' (its params are header params,
 * RFC 3261 §20) and must not contain ',', '?' or ';'.  The URI itself is not
 * parsed: call sip_uri_parse(addr.uri) when needed. */
int sip_addr_parse(struct sip_addr *out, struct sv in);

/* ------------------------------------------------------------------------ */
/* Contact (§20.10)                                                          */

struct sip_contact {
	bool star; /* "Contact: *" */
	struct sip_addr addr;
	uint16_t q; /* q-value x1000 (0..1000); 1000 if absent */
	bool has_q;
	bool has_expires;
	uint32_t expires; /* seconds, when has_expires */
	bool expires_bad; /* present but not a valid delta-seconds (too
			     large or not a number): the registrar treats it
			     as 3600 (§10.2.1.1, RFC 4475 §3.1.2.4) */
};

/* §25.1 qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), stored
 * x1000 (0..1000).  0 or -EBADMSG. */
int sip_qvalue_parse(struct sv v, uint16_t *out);

/* One comma-separated Contact value (see sip_list_next).  Returns 0 or
 * -EBADMSG (bad q, bad name-addr). */
int sip_contact_parse(struct sip_contact *out, struct sv value);

/* ------------------------------------------------------------------------ */
/* Via (§20.42)                                                              */

struct sip_via {
	struct sv value;     /* the whole via-parm */
	struct sv protocol;  /* "SIP" */
	struct sv version;   /* "2.0" */
	struct sv transport; /* "UDP", "TCP", "TLS", "SCTP", "WS", unknown... */
	struct sv host;	     /* sent-by host, IPv6 without brackets */
	bool host_ipv6;
	bool has_port;
	uint16_t port;
	struct sv params;   /* ";branch=...;rport" with leading ';', or empty */
	struct sv branch;   /* empty if absent */
	struct sv received; /* brackets stripped if present (RFC 5118 §4.5) */
	struct sv maddr;
	struct sv ttl;
	bool has_rport;
	struct sv rport; /* empty when "rport" has no value */
};

/* Parse one via-parm.  LWS is allowed around '/' (RFC 4475 wsinv). */
int sip_via_parse(struct sip_via *out, struct sv value);

/* True if the branch starts with the RFC 3261 magic cookie "z9hG4bK" and has
 * something after it (RFC 4475 §3.2.1: a bare cookie is not a transaction
 * id; fall back to RFC 2543 matching). */
bool sip_via_branch_is_rfc3261(const struct sip_via *v);

/* ------------------------------------------------------------------------ */
/* Scalars                                                                   */

struct sip_cseq {
	uint32_t num;
	struct sv method;
	enum sip_method method_id;
};

/* "1*DIGIT LWS Method"; the number must fit in 32 bits (§8.1.1.5). */
int sip_cseq_parse(struct sip_cseq *out, struct sv value);

/* Delta-seconds style value (Expires, Min-Expires, Content-Length,
 * Max-Forwards with max 255): LWS-trimmed digits not above max.  Returns 0,
 * -EINVAL or -ERANGE. */
int sip_uint_parse(struct sv value, uint32_t max, uint32_t *out);

/* ------------------------------------------------------------------------ */
/* Option tags and method lists (Require, Proxy-Require, Supported,          */
/* Unsupported, Allow)                                                       */

/* True if any value of header id in msg equals tag (case-insensitive for
 * option tags; Allow compares methods case-sensitively). */
struct sip_msg;
bool sip_msg_has_token(const struct sip_msg *m, enum sip_hdr_id id,
		       struct sv tag);

/* ------------------------------------------------------------------------ */
/* Authentication (RFC 3261 §22, RFC 2617 digest)                            */

struct sip_auth {
	struct sv scheme; /* "Digest", or any other scheme (kept, RFC 4475
			     regaut01) */
	struct sv params; /* everything after the scheme */
	/* Digest parameters, quotes removed (quoted-pair escapes kept as
	 * written); empty if absent. */
	struct sv username, realm, nonce, uri, response, algorithm, cnonce,
		opaque, qop, nc, domain, stale;
};

/* Parse a credentials or challenge value (Authorization, WWW-Authenticate,
 * Proxy-*).  The whole header value is one item (commas separate params). */
int sip_auth_parse(struct sip_auth *out, struct sv value);

/* ------------------------------------------------------------------------ */
/* The message                                                               */

#ifndef SIP_MSG_HDRS_MAX
#define SIP_MSG_HDRS_MAX                                                       \
	128 /* compile-time capacity; limits.max_headers                       \
	       is the run-time bound */
#endif
#define SIP_HDR_END 0xffff

struct sip_limits {
	uint32_t max_msg_size; /* whole message incl. body: -> 513 */
	uint16_t max_headers;  /* header fields (lines): -> 513 */
	uint32_t max_line;     /* one header field incl. folding: -> 400 */
};

/* 65535 octets (UDP's limit), 100 headers, 8 KiB a header line. */
extern const struct sip_limits sip_limits_default;

struct sip_hdr {
	struct sv name;	 /* as written ("v", "VIA", ...) */
	struct sv value; /* trimmed; may contain folded CRLF + LWS */
	uint32_t line;	 /* offset of the line's first byte in msg->buf */
	uint32_t end;	 /* offset just past its line terminator */
	uint16_t next;	 /* index of the next header with the same id */
	uint8_t id;	 /* enum sip_hdr_id */
	uint8_t pad;
};

enum sip_scan_flags {
	SIP_SCAN_STREAM = 1u << 0, /* TCP/TLS: Content-Length mandatory,
				      incomplete input -> -EAGAIN */
};

/* Lazily parsed members (msg->parsed bits). */
enum {
	SIP_PARSED_RURI = 1u << 0,
	SIP_PARSED_FROM = 1u << 1,
	SIP_PARSED_TO = 1u << 2,
	SIP_PARSED_FROM_URI = 1u << 3,
	SIP_PARSED_TO_URI = 1u << 4,
};

struct sip_msg {
	const char *buf; /* first byte of the start line */
	size_t len;	 /* message length incl. body (extra octets excluded) */
	size_t consumed; /* bytes of input used, incl. leading CRLFs: advance a
			    stream buffer by this much */
	bool request;
	/* request line */
	struct sv method;
	enum sip_method method_id;
	struct sv ruri;
	/* status line */
	uint16_t status;
	struct sv reason;
	struct sv version; /* "SIP/2.0" */
	uint32_t hdrs_end; /* offset of the empty line ending the headers */
	struct sv body;

	/* Transaction keys, decoded eagerly by sip_msg_scan(). */
	struct sip_via via; /* top Via value */
	struct sip_cseq cseq;
	struct sv call_id;
	struct sv from_tag;
	struct sv to_tag;
	int max_forwards;	/* -1 if absent */
	int64_t content_length; /* -1 if absent */

	/* Header index. */
	uint16_t nhdrs;
	uint16_t first[SIP_HDR__COUNT]; /* SIP_HDR_END if absent */
	uint16_t count[SIP_HDR__COUNT];

	/* Lazy caches. */
	uint32_t parsed;
	struct sip_uri ruri_parsed;
	struct sip_addr from, to;
	struct sip_uri from_uri, to_uri;

	struct sip_hdr hdrs[SIP_MSG_HDRS_MAX];
};

/* Scan one message from buf.  Without SIP_SCAN_STREAM, buf is one datagram:
 * the body is Content-Length octets (extra octets ignored, RFC 3261 §18.3) or
 * the rest of the datagram if Content-Length is absent.  With it, returns
 * -EAGAIN until the whole message is in buf.  Leading CRLFs are skipped
 * (§7.5).  On error returns -EBADMSG or -EMSGSIZE with *err filled.
 * lim may be NULL for the defaults. */
int sip_msg_scan(struct sip_msg *m, const char *buf, size_t len, unsigned flags,
		 const struct sip_limits *lim, struct sip_err *err);

/* Offset of p in the message. */
static inline uint32_t sip_msg_off(const struct sip_msg *m, const char *p)
{
	return (uint32_t)(p - m->buf);
}

/* First header with this id, or NULL. */
const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr_id id);
/* Next header with the same id, or NULL. */
const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *m,
				       const struct sip_hdr *h);
/* First header whose name equals name (case-insensitive), for unknown
 * headers; NULL if none. */
const struct sip_hdr *sip_msg_hdr_by_name(const struct sip_msg *m,
					  struct sv name);

/* Iterate the comma-separated values of every header with this id, in
 * message order. */
struct sip_value_iter {
	const struct sip_msg *m;
	const struct sip_hdr *h;
	struct sv rest;
};
void sip_value_iter_init(struct sip_value_iter *it, const struct sip_msg *m,
			 enum sip_hdr_id id);
/* Returns 1 with *value set, 0 at the end, -EBADMSG on a bad list. */
int sip_value_iter_next(struct sip_value_iter *it, struct sv *value);

/* Lazy typed accessors (parsed once, cached in m).  0 or -EBADMSG. */
int sip_msg_ruri(struct sip_msg *m, const struct sip_uri **out);
int sip_msg_from(struct sip_msg *m, const struct sip_addr **out);
int sip_msg_to(struct sip_msg *m, const struct sip_addr **out);
int sip_msg_from_uri(struct sip_msg *m, const struct sip_uri **out);
int sip_msg_to_uri(struct sip_msg *m, const struct sip_uri **out);

/* The syntax checks a server makes before acting on a request, beyond what
 * sip_msg_scan() already did: Request-URI syntax (400) and scheme (416 for
 * anything but sip/sips/tel), no headers in a SIP Request-URI (400, RFC 4475
 * §3.1.2.11), From/To URI syntax, every Contact value (400).  Option tags
 * (420) are the role's business: it knows what it supports. */
int sip_msg_check(struct sip_msg *m, struct sip_err *err);

/* ------------------------------------------------------------------------ */
/* Editing and serializing                                                   */

#ifndef SIP_EDIT_OPS_MAX
#define SIP_EDIT_OPS_MAX 32
#endif
#ifndef SIP_EDIT_SCRATCH
#define SIP_EDIT_SCRATCH 2048
#endif

/* One change: at offset off of the input, delete del bytes and insert ins. */
struct sip_edit_op {
	uint32_t off;
	uint32_t del;
	struct sv ins;
	uint16_t seq; /* insertion order, keeps inserts at one offset stable */
	bool early;   /* goes before other inserts at the same offset */
};

/* An ordered list of edits over an untouched parsed message.  Inserted text
 * is either the caller's (must outlive the edit) or copied into scratch. */
struct sip_edit {
	const struct sip_msg *m;
	uint16_t nops;
	bool failed;	    /* a previous call failed: serialize refuses */
	struct sv new_body; /* replaces the body if .p != NULL */
	size_t used;
	char cl_buf[24]; /* Content-Length text made at serialize time */
	struct sip_edit_op ops[SIP_EDIT_OPS_MAX];
	char scratch[SIP_EDIT_SCRATCH];
};

void sip_edit_init(struct sip_edit *e, const struct sip_msg *m);

/* Insert a header line "Name: value\r\n" above the first header of that id
 * (so it becomes the top value: Via, Record-Route), or, if there is none,
 * right after the start line.  Text is copied into the edit's scratch. */
int sip_edit_add_top(struct sip_edit *e, enum sip_hdr_id id, struct sv value);
/* Append a header line after the last header.  Text is copied. */
int sip_edit_add_bottom(struct sip_edit *e, struct sv name, struct sv value);
/* Remove the first value of the first header with this id (pop Route, pop
 * Via): the whole line if it had one value, else up to the next value. */
int sip_edit_pop_top(struct sip_edit *e, enum sip_hdr_id id);
/* Remove header line number idx (index into m->hdrs). */
int sip_edit_remove_hdr(struct sip_edit *e, uint16_t idx);
/* Replace the Request-URI (text copied). */
int sip_edit_set_ruri(struct sip_edit *e, struct sv uri);
/* §16.6 step 3: Max-Forwards - 1, or add "Max-Forwards: 70" if absent.
 * -ERANGE if it is already 0 (the caller answers 483). */
int sip_edit_decr_max_forwards(struct sip_edit *e);
/* Replace the body (caller's memory).  Content-Length follows. */
void sip_edit_set_body(struct sip_edit *e, struct sv body);

/* Serialize.  Content-Length is always written to match the body sent (added
 * if the input had none).  sip_edit_iov returns the number of iovecs used or
 * -ENOSPC; sip_edit_write returns the length written or -ENOSPC. */
int sip_edit_iov(struct sip_edit *e, struct iovec *iov, size_t max);
long sip_edit_write(struct sip_edit *e, char *buf, size_t cap);

/* ------------------------------------------------------------------------ */
/* Responses (§8.2.6)                                                        */

struct sip_resp_opts {
	struct sv reason;  /* empty: the default phrase for the code */
	struct sv to_tag;  /* added to To if it has none and code > 100 */
	struct sv headers; /* extra header lines, each ending in CRLF */
	struct sv body;	   /* with its Content-Type in headers */
};

/* Build a response to req into buf: status line, every Via (in order),
 * From, To (+tag), Call-ID, CSeq, Timestamp for 100 (§8.2.6.1), extra
 * headers, Content-Length, body.  Returns the length or -ENOSPC. */
long sip_resp_build(char *buf, size_t cap, const struct sip_msg *req,
		    unsigned code, const struct sip_resp_opts *opts);

#endif
