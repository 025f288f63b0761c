/* redirect.h - a redirect server (RFC 3261 §8.3, §21.3.2, §21.3.3) with a
 * static contact table, a transaction user on the engine (one instance per
 * worker, nothing shared).
 *
 * For a request whose Request-URI user part is in the table it answers
 * 302 Moved Temporarily (one contact) or 300 Multiple Choices (several),
 * with every contact in one Contact header, highest q first (equal q: the
 * table's order), each with its q (§20.10):
 *
 *   Contact: <sip:5550002@127.0.0.1:5081>;q=1.0,
 * <sip:5550002@127.0.0.1:5082>;q=0.5
 *
 * Requests and answers:
 *   - INVITE and any other method but OPTIONS, ACK and CANCEL: 3xx as above
 *     for a known user, 404 for an unknown one (or a URI without a user);
 *   - OPTIONS: 200 with Allow, whoever it is for (§11.2);
 *   - a request with a To tag (in a dialog, which a redirect server never
 *     is): 481 (§12.2.2);
 *   - a CANCEL matching an INVITE: 200 (§9.2); the INVITE was already
 *     answered, we answer at once.  A CANCEL matching nothing: 481;
 *   - Require with any option tag: 420 with Unsupported (§8.2.2.3);
 *     a Request-URI scheme other than sip, sips, tel: 416 (§8.2.2.1);
 *     malformed: the status sip_msg_check() gives (400, ...).
 * The ACK for a 3xx/4xx is absorbed by the transaction layer (§17.2.1).
 *
 * Matching (redirect_norm_user()): the user part is %-decoded; if it is a
 * telephone number -- an optional leading '+', then digits and the visual
 * separators '-' '.' '(' ')' (RFC 3966 §5.1.1), at least one digit, nothing
 * else -- the separators are dropped ("+1 (555) 000-2" style, blanks aside,
 * becomes "+15550002"; the '+' is kept, so +15550002 and 15550002 differ);
 * any other user part is compared as written (case-sensitive, §19.1.4).
 * The host part is not looked at: every host is ours (a location service
 * with domains comes with the registrar).
 */
#ifndef RINGWAY_REDIRECT_REDIRECT_H
#define RINGWAY_REDIRECT_REDIRECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "sip/sip.h"

/* Table entries over all users; they all fit one 3xx (about 17 KB of
 * Contact header at most). */
#define REDIRECT_MAX_CONTACTS 64
#define REDIRECT_USER_MAX     64  /* user part, with the '\0' */
#define REDIRECT_URI_MAX      256 /* contact URI, with the '\0' */

/* One binding of the table: user -> contact URI with a q-value (a
 * location-service binding without expiry). */
struct redirect_contact {
	char user[REDIRECT_USER_MAX]; /* as configured; matched normalised */
	char uri[REDIRECT_URI_MAX];   /* a sip:, sips: or tel: URI */
	uint16_t q;		      /* thousandths: 1000 is q=1.0 */
};

struct redirect_cfg {
	struct redirect_contact contacts[REDIRECT_MAX_CONTACTS];
	unsigned ncontacts;
};

/* The user part of a Request-URI (or of the table) as matched, see above:
 * writes it with a '\0' into out.  Returns its length, -ENOSPC if it does
 * not fit, -EBADMSG for a broken %-escape, -EINVAL if empty. */
int redirect_norm_user(char *out, size_t cap, struct sv user);

/* "1.0", "0.5", "0.25", "0.005", "0.0": q (thousandths, 0..1000) as a
 * qvalue (§25.1), at least one decimal.  Returns the length. */
int redirect_q_fmt(char *out, size_t cap, uint16_t q);

/* The engine role of a redirect server with this configuration (cfg must
 * outlive the engine). */
struct engine_role redirect_role(const struct redirect_cfg *cfg);

struct redirect_stats {
	uint64_t requests;
	uint64_t moved;	   /* 302: one contact */
	uint64_t multiple; /* 300: several */
	uint64_t not_found;
	uint64_t options;
	uint64_t other; /* 4xx other than 404: 400, 416, 420, 481 */
	uint64_t cancels;
};

/* Sum over workers; call after engine_join(). */
void redirect_stats(struct engine *e, struct redirect_stats *out);

/* Lower level, for tests and embedding without the engine: a redirect
 * server answering on transaction layers whose TU is redirect_tu with it
 * as tu_arg.  cfg is copied (normalised and ordered by q).  Returns 0,
 * -EINVAL for a table entry whose user or q is invalid, -ENOMEM. */
struct redirect;
int redirect_new(struct redirect **out, const struct redirect_cfg *cfg);
void redirect_free(struct redirect *r);
const struct redirect_stats *redirect_get_stats(const struct redirect *r);
extern const struct txn_tu redirect_tu;

#endif
