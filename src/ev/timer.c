/* timer.c - a hierarchical timing wheel (Varghese & Lauck; the layout of the
 * classic Linux timer wheel).
 *
 * Level L has TW_SLOTS slots of 2^(TW_BITS * L) ms each.  A timer whose
 * expiry is delta ms after w->now sits in the lowest level whose span
 * covers delta, in the slot of its expiry at that level's granularity.
 * When the clock reaches the start of a level-L slot's period, that slot
 * is cascaded: its timers are placed again relative to the new time, which
 * moves them to lower levels, and finally to level 0, whose slots are
 * single milliseconds and fire.
 *
 * Invariants (between calls):
 * - Every timer with expires <= w->now has fired, except those armed since
 *   the last tw_advance with delay 0: they sit in level-0 slot w->now and
 *   fire first in the next tw_advance, even one given the same time.
 * - A level-0 slot holds only timers of one exact millisecond, so firing a
 *   slot fires in expiry order.
 * - A level-L slot (L >= 1) is cascaded at the first slot-period start
 *   after w->now that maps to it, which is at or before each of its
 *   timers' expiry.
 *
 * tw_advance does not step one millisecond at a time: it looks up the next
 * time at which a slot must fire or cascade and jumps there, so a jump over
 * an hour of empty wheel costs a few hundred list-head checks.
 *
 * While a callback runs, w->now is the timer's own expiry (the millisecond
 * being processed), so a callback re-arming with a fixed delay keeps a
 * drift-free period.  A callback may arm with delay 0: that timer fires in
 * the same tw_advance call, after the ones already due in that millisecond.
 * Callbacks must not call tw_advance.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ev/timer.h"

#define TW_MASK ((uint64_t)TW_SLOTS - 1)
/* The largest delta the top level can hold.  A later timer is placed as if
 * it expired then; when its slot cascades it is placed again, closer. */
#define TW_MAX_DELTA ((UINT64_C(1) << (TW_BITS * TW_LEVELS)) - 1)

static inline unsigned tw_shift(int level)
{
	return (unsigned)level * TW_BITS;
}

static inline bool tw_empty(const struct tw_timer *head)
{
	return head->next == head;
}

static inline void tw_link(struct tw_timer *head, struct tw_timer *t)
{
	t->next = head;
	t->prev = head->prev;
	head->prev->next = t;
	head->prev = t;
}

static inline void tw_unlink(struct tw_timer *t)
{
	t->prev->next = t->next;
	t->next->prev = t->prev;
	t->next = NULL;
	t->prev = NULL;
}

void tw_init(struct tw *w, uint64_t now_ms)
{
	w->now = now_ms;
	w->count = 0;
	for (int l = 0; l < TW_LEVELS; l++) {
		for (unsigned s = 0; s < TW_SLOTS; s++) {
			w->slots[l][s].next = &w->slots[l][s];
			w->slots[l][s].prev = &w->slots[l][s];
			w->slots[l][s].expires = 0;
			w->slots[l][s].fn = NULL;
		}
	}
}

void tw_timer_init(struct tw_timer *t, tw_fn fn)
{
	t->next = NULL;
	t->prev = NULL;
	t->expires = 0;
	t->fn = fn;
}

/* Put an unlinked timer in its slot relative to w->now. */
static void tw_place(struct tw *w, struct tw_timer *t)
{
	uint64_t at = t->expires, delta;
	int level;

	if (at < w->now)
		at = w->now;
	delta = at - w->now;
	if (delta > TW_MAX_DELTA) {
		delta = TW_MAX_DELTA;
		at = w->now + TW_MAX_DELTA;
	}
	for (level = 0; level < TW_LEVELS - 1; level++) {
		if (delta < UINT64_C(1) << tw_shift(level + 1))
			break;
	}
	tw_link(&w->slots[level][(at >> tw_shift(level)) & TW_MASK], t);
}

void tw_add(struct tw *w, struct tw_timer *t, uint64_t delay_ms)
{
	if (tw_armed(t))
		tw_unlink(t);
	else
		w->count++;
	if (delay_ms > UINT64_MAX - w->now)
		t->expires = UINT64_MAX;
	else
		t->expires = w->now + delay_ms;
	tw_place(w, t);
}

void tw_del(struct tw *w, struct tw_timer *t)
{
	if (!tw_armed(t))
		return;
	tw_unlink(t);
	w->count--;
}

/* The first time in (w->now, limit] at which a level-0 slot fires or a
 * higher slot cascades.  Each level is scanned in time order and the scan
 * stops at the best time found so far, so dense wheels cost a few checks
 * and sparse ones at most TW_LEVELS * TW_SLOTS. */
static bool tw_next_event(const struct tw *w, uint64_t limit, uint64_t *at)
{
	uint64_t best = limit;
	bool found = false;

	for (int l = 0; l < TW_LEVELS; l++) {
		unsigned sh = tw_shift(l);
		uint64_t cur = w->now >> sh;

		/* Level 0's slot for w->now holds only timers already due,
		 * which tw_advance fires before looking ahead; a higher
		 * level's current slot holds timers a full turn ahead. */
		for (uint64_t k = 1; k <= (l == 0 ? TW_MASK : TW_SLOTS); k++) {
			uint64_t t = (cur + k) << sh;

			if (t > best)
				break;
			if (!tw_empty(&w->slots[l][(cur + k) & TW_MASK])) {
				best = t;
				found = true;
				break;
			}
		}
	}
	*at = best;
	return found;
}

/* Fire a level-0 slot.  Timers are taken one at a time from the live list,
 * so a callback may delete any other timer in it, and one armed with delay
 * 0 joins the tail and fires in this same loop. */
static void tw_fire(struct tw *w, struct tw_timer *head)
{
	while (!tw_empty(head)) {
		struct tw_timer *t = head->next;

		tw_unlink(t);
		w->count--;
		t->fn(t);
	}
}

static void tw_cascade(struct tw *w, struct tw_timer *head)
{
	struct tw_timer list;

	if (tw_empty(head))
		return;
	/* Move the list aside first: placement never targets this slot
	 * again, but the loop should not depend on that. */
	list.next = head->next;
	list.prev = head->prev;
	list.next->prev = &list;
	list.prev->next = &list;
	head->next = head;
	head->prev = head;
	while (list.next != &list) {
		struct tw_timer *t = list.next;

		tw_unlink(t);
		tw_place(w, t);
	}
}

void tw_advance(struct tw *w, uint64_t now_ms)
{
	uint64_t t;

	if (now_ms < w->now)
		now_ms = w->now; /* never backwards */
	tw_fire(w, &w->slots[0][w->now & TW_MASK]);
	while (tw_next_event(w, now_ms, &t)) {
		w->now = t;
		/* Cascade every level whose slot period starts at t; the
		 * order does not matter, as a cascaded timer never lands in
		 * a slot that is cascaded at t. */
		for (int l = 1; l < TW_LEVELS; l++) {
			unsigned sh = tw_shift(l);

			if (t & ((UINT64_C(1) << sh) - 1))
				break;
			tw_cascade(w, &w->slots[l][(t >> sh) & TW_MASK]);
		}
		tw_fire(w, &w->slots[0][t & TW_MASK]);
	}
	w->now = now_ms;
}

int64_t tw_next_delay(const struct tw *w)
{
	uint64_t t;

	if (!w->count)
		return -1;
	if (!tw_empty(&w->slots[0][w->now & TW_MASK]))
		return 0;
	if (!tw_next_event(w, UINT64_MAX, &t))
		return -1; /* unreachable while count is right */
	t -= w->now;
	return t > INT64_MAX ? INT64_MAX : (int64_t)t;
}
