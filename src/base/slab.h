/* slab.h - size-classed buffer pools for copies of messages that outlive a
 * packet (transaction requests and responses).  One slab per worker, not
 * thread-safe.  Memory is taken from malloc in chunks as the pool grows and
 * reused from per-class free lists afterwards: no allocation per message in
 * steady state.  A byte budget bounds the whole pool.
 */
#ifndef RINGWAY_BASE_SLAB_H
#define RINGWAY_BASE_SLAB_H

#include <stddef.h>

struct slab;

/* Classes are powers of two from 256 to 65536 bytes.  max_bytes bounds the
 * memory held (chunks included); 0 means no bound. */
int slab_new(struct slab **out, size_t max_bytes);
void slab_free(struct slab *s);
/* A block of at least len bytes (len <= 65536), or NULL if len is too big or
 * the budget is spent. */
void *slab_alloc(struct slab *s, size_t len);
/* Usable size of a block from slab_alloc. */
size_t slab_block_size(const void *p);
void slab_release(struct slab *s, void *p); /* NULL is fine */
/* Bytes held from malloc, and bytes in blocks now handed out. */
size_t slab_held(const struct slab *s);
size_t slab_in_use(const struct slab *s);

#endif
