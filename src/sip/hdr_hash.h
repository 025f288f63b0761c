/* hdr_hash.h - the header-name hash, for the scanner to compute while it
 * walks a name (private to src/sip). */
#ifndef RINGWAY_SIP_HDR_HASH_H
#define RINGWAY_SIP_HDR_HASH_H

#include <stdint.h>

#include "sip/sip.h"

/* One step of the case-folded name hash. */
static inline uint32_t sip_hdr_hash_step(uint32_t h, char c)
{
	return h * 31 + (uint8_t)(c | 0x20);
}

/* sip_hdr_lookup() with the hash of name already computed. */
enum sip_hdr_id sip_hdr_lookup_hashed(struct sv name, uint32_t hash);

#endif
