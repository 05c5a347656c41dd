/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree lower level, part 2: the 16-bit child entry of one area.
 * Bits 0-9: free frames (0-512). Bits 12-15 record how an area that is
 * allocated as a whole was allocated, so that a put of the wrong order is
 * refused:
 *   HUGE        an order-9 get; the bitfield stays clear
 *   HUGE|PAIR   one half of an order-10 get (the even area and the next)
 *   INIT        allocated by LLFREE_INIT_ALLOC; the bitfield is all set;
 *               may be freed as order 9, with its INIT neighbour as order
 *               10, or in base frames (the first base put drops INIT)
 *   BUSY        a multi-step get or put of this area is under way; only
 *               the core that set BUSY changes the entry until it clears it
 * A base area (none of these) counts its clear bits. Order 9 is one CAS.
 */
#ifndef LLFREE_CHILD_H
#define LLFREE_CHILD_H

#include "llfree.h"

#define LLFREE_CHILD_FREE	0x03ffu
#define LLFREE_CHILD_BUSY	0x1000u
#define LLFREE_CHILD_INIT	0x2000u
#define LLFREE_CHILD_PAIR	0x4000u
#define LLFREE_CHILD_HUGE	0x8000u
#define LLFREE_CHILD_FLAGS	0xf000u

static inline uint16_t llfree_child(uint32_t free, uint32_t flags)
{
	return (uint16_t)((free & LLFREE_CHILD_FREE) |
			  (flags & LLFREE_CHILD_FLAGS));
}

static inline uint32_t llfree_child_free(uint16_t c)
{
	return c & LLFREE_CHILD_FREE;
}

static inline uint32_t llfree_child_flags(uint16_t c)
{
	return c & LLFREE_CHILD_FLAGS;
}

static inline bool llfree_child_huge(uint16_t c)
{
	return (c & LLFREE_CHILD_HUGE) != 0;
}

/* Take @n free frames of a base area */
static inline bool llfree_child_take(llf_atomic16_t *c, uint32_t n)
{
	uint16_t v = llf_load_relaxed(c);

	do {
		if (llfree_child_flags(v) || llfree_child_free(v) < n)
			return false;
	} while (!llf_cas(c, &v, (uint16_t)(v - n)));
	return true;
}

/* Give @n frames back to a base area (the count stays at most 512) */
static inline void llfree_child_give(llf_atomic16_t *c, uint32_t n)
{
	llf_add(c, (uint16_t)n);
}

/* Change the entry from exactly @old to @new; false if it was not @old */
static inline bool llfree_child_swap(llf_atomic16_t *c, uint16_t old,
				     uint16_t new)
{
	/* a load first: a failed CAS costs as much as a successful one */
	if (llf_load_relaxed(c) != old)
		return false;
	return llf_cas_strong(c, &old, new);
}

/* Entirely free -> @flags (HUGE, HUGE|PAIR|BUSY) */
static inline bool llfree_child_take_huge(llf_atomic16_t *c, uint32_t flags)
{
	return llfree_child_swap(c, llfree_child(LLFREE_AREA_FRAMES, 0),
				 llfree_child(0, flags));
}

#endif /* LLFREE_CHILD_H */
