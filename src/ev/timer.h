/* timer.h - a hierarchical timing wheel with millisecond resolution.
 *
 * Pure data structure: no clock, no syscalls.  The owner tells it the time
 * (tw_advance) and it fires what is due, so tests drive it with a simulated
 * clock and a worker drives it from its event loop.  Timers are embedded in
 * their owner's struct (no allocation); add, del and re-arm are O(1); firing
 * is amortised O(1) per timer.  Hundreds of thousands of pending timers
 * (Timer B, D, H, J, K of every transaction) cost only their own memory.
 * Not thread-safe: one wheel per worker.
 */
#ifndef RINGWAY_EV_TIMER_H
#define RINGWAY_EV_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tw_timer;
typedef void (*tw_fn)(struct tw_timer *t);

struct tw_timer {
	struct tw_timer *next, *prev; /* slot list; next == NULL: not armed */
	uint64_t expires;	      /* absolute, ms */
	tw_fn fn;		      /* called once when due; may re-arm */
};

#define TW_BITS	  8
#define TW_SLOTS  (1u << TW_BITS)
#define TW_LEVELS 4 /* 256 ms, 65 s, 4.6 h, 49 days; beyond: clamped */

struct tw {
	uint64_t now; /* ms, last value given to tw_advance/tw_init */
	size_t count; /* armed timers */
	struct tw_timer slots[TW_LEVELS][TW_SLOTS]; /* list heads */
};

void tw_init(struct tw *w, uint64_t now_ms);
void tw_timer_init(struct tw_timer *t, tw_fn fn);
static inline bool tw_armed(const struct tw_timer *t)
{
	return t->next != NULL;
}
/* Arm (or re-arm) t to fire delay_ms after w->now. */
void tw_add(struct tw *w, struct tw_timer *t, uint64_t delay_ms);
/* Disarm; harmless if not armed. */
void tw_del(struct tw *w, struct tw_timer *t);
/* Advance to now_ms (monotonic, never backwards) and fire, in expiry
 * order, every timer with expires <= now_ms.  Callbacks may add or delete
 * any timer, including the one firing, but must not call tw_advance.
 * During a callback w->now is the firing timer's expiry, so re-arming with
 * a fixed delay keeps an exact period.  A timer armed with delay 0 from a
 * callback fires in the same tw_advance (after the others due then); armed
 * from outside, in the next tw_advance. */
void tw_advance(struct tw *w, uint64_t now_ms);
/* Milliseconds from w->now until the earliest armed timer may be due (0 if
 * overdue), or -1 if none is armed.  Never later than the real expiry; for
 * far timers it may be earlier (the wheel then cascades and asks again). */
int64_t tw_next_delay(const struct tw *w);

#endif
