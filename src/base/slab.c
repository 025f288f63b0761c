/* slab.c - size-classed buffer pools (see slab.h).
 *
 * Each block is preceded by a small header naming its class, so release and
 * block_size need only the pointer.  Blocks are carved from chunks of about
 * SLAB_CHUNK bytes (or exactly one block for classes that do not fit twice)
 * and go back to their class's free list on release; chunks are returned to
 * malloc only by slab_free.  A free block's first bytes hold the free-list
 * link.
 *
 * Under AddressSanitizer headers and free blocks are poisoned, so a write
 * past the end of a block, or any use of a released one, is reported even
 * though blocks share a malloc'd chunk.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/slab.h"

#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define SLAB_POISON(p, n)   ASAN_POISON_MEMORY_REGION(p, n)
#define SLAB_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define SLAB_POISON(p, n)   ((void)(p), (void)(n))
#define SLAB_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define SLAB_MIN_SHIFT 8  /* 256 bytes */
#define SLAB_MAX_SHIFT 16 /* 65536 bytes */
#define SLAB_CLASSES   (SLAB_MAX_SHIFT - SLAB_MIN_SHIFT + 1)
#define SLAB_CHUNK     ((size_t)64 * 1024)
#define SLAB_MAGIC     0x51ab

/* Padded to max_align_t so the block after it keeps malloc's alignment. */
union slab_hdr {
	struct {
		uint16_t magic;
		uint8_t cls;
		bool used;
	} h;
	max_align_t align;
};

union slab_chunk {
	union slab_chunk *next;
	max_align_t align;
};

struct slab {
	size_t max_bytes;
	size_t held;
	size_t in_use;
	union slab_chunk *chunks;
	void *free[SLAB_CLASSES];
};

static inline size_t slab_class_size(unsigned cls)
{
	return (size_t)1 << (cls + SLAB_MIN_SHIFT);
}

static inline size_t slab_stride(unsigned cls)
{
	return sizeof(union slab_hdr) + slab_class_size(cls);
}

static inline union slab_hdr *slab_hdr_of(const void *p)
{
	return (union slab_hdr *)((char *)(uintptr_t)p -
				  sizeof(union slab_hdr));
}

int slab_new(struct slab **out, size_t max_bytes)
{
	struct slab *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->max_bytes = max_bytes;
	*out = s;
	return 0;
}

void slab_free(struct slab *s)
{
	union slab_chunk *c, *next;

	if (!s)
		return;
	for (c = s->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(s);
}

/* Add a chunk of class cls to the pool: as many blocks as fit in SLAB_CHUNK
 * (at least one), fewer if that is what the budget still allows.  Returns
 * the class's new free-list head, or NULL (over budget or out of memory). */
static void *slab_grow(struct slab *s, unsigned cls)
{
	size_t stride = slab_stride(cls);
	size_t n = SLAB_CHUNK / stride, len;
	union slab_chunk *c;
	char *b;

	if (!n)
		n = 1;
	if (s->max_bytes) {
		size_t room =
			s->max_bytes > s->held ? s->max_bytes - s->held : 0;

		if (room < sizeof(*c) + stride)
			return NULL;
		if (n > (room - sizeof(*c)) / stride)
			n = (room - sizeof(*c)) / stride;
	}
	len = sizeof(*c) + n * stride;
	c = malloc(len);
	if (!c)
		return NULL;
	c->next = s->chunks;
	s->chunks = c;
	s->held += len;
	b = (char *)(c + 1);
	/* Thread the new blocks onto the free list, first block first out. */
	for (size_t i = n; i-- > 0;) {
		union slab_hdr *h = (union slab_hdr *)(b + i * stride);
		void *p = h + 1;

		h->h.magic = SLAB_MAGIC;
		h->h.cls = (uint8_t)cls;
		h->h.used = false;
		*(void **)p = s->free[cls];
		s->free[cls] = p;
		SLAB_POISON(h, stride);
	}
	return s->free[cls];
}

void *slab_alloc(struct slab *s, size_t len)
{
	unsigned cls = 0;
	union slab_hdr *h;
	void *p;

	if (len > slab_class_size(SLAB_CLASSES - 1))
		return NULL;
	while (slab_class_size(cls) < len)
		cls++;
	p = s->free[cls];
	if (!p && !(p = slab_grow(s, cls)))
		return NULL;
	h = slab_hdr_of(p);
	SLAB_UNPOISON(h, slab_stride(cls));
	assert(h->h.magic == SLAB_MAGIC && !h->h.used);
	s->free[cls] = *(void **)p;
	h->h.used = true;
	SLAB_POISON(h, sizeof(*h));
	s->in_use += slab_class_size(cls);
	return p;
}

size_t slab_block_size(const void *p)
{
	union slab_hdr *h = slab_hdr_of(p);
	size_t size;

	SLAB_UNPOISON(h, sizeof(*h));
	assert(h->h.magic == SLAB_MAGIC && h->h.used);
	size = slab_class_size(h->h.cls);
	SLAB_POISON(h, sizeof(*h));
	return size;
}

void slab_release(struct slab *s, void *p)
{
	union slab_hdr *h;
	unsigned cls;

	if (!p)
		return;
	h = slab_hdr_of(p);
	SLAB_UNPOISON(h, sizeof(*h));
	assert(h->h.magic == SLAB_MAGIC && h->h.used); /* double release */
	cls = h->h.cls;
	h->h.used = false;
	*(void **)p = s->free[cls];
	s->free[cls] = p;
	s->in_use -= slab_class_size(cls);
	SLAB_POISON(h, slab_stride(cls));
}

size_t slab_held(const struct slab *s)
{
	return s->held;
}

size_t slab_in_use(const struct slab *s)
{
	return s->in_use;
}
