/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree lower level, part 2: the 16-bit child entry of one area.
 * Bits 0-9: free frames (0-512), bit 15: allocated as a huge frame (the
 * bitfield of a huge area stays clear). Order 9 is one CAS on a child.
 */
#ifndef LLFREE_CHILD_H
#define LLFREE_CHILD_H

#include "llfree.h"

#define LLFREE_CHILD_FREE	0x03ffu
#define LLFREE_CHILD_HUGE	0x8000u

static inline uint16_t llfree_child(uint32_t free, bool huge)
{
	return (uint16_t)((free & LLFREE_CHILD_FREE) |
			  (huge ? LLFREE_CHILD_HUGE : 0));
}

static inline uint32_t llfree_child_free(uint16_t c)
{
	return c & LLFREE_CHILD_FREE;
}

static inline bool llfree_child_huge(uint16_t c)
{
	return (c & LLFREE_CHILD_HUGE) != 0;
}

/* Take @n free frames of a base (not huge) area */
static inline bool llfree_child_take(llf_atomic16_t *c, uint32_t n)
{
	uint16_t v = llf_load_relaxed(c);

	do {
		if (llfree_child_huge(v) || llfree_child_free(v) < n)
			return false;
	} while (!llf_cas(c, &v, (uint16_t)(v - n)));
	return true;
}

/* Give @n frames back (never overflows: the count is at most 512) */
static inline void llfree_child_give(llf_atomic16_t *c, uint32_t n)
{
	llf_fetch_add(c, (uint16_t)n);
}

/* Entirely free -> huge */
static inline bool llfree_child_take_huge(llf_atomic16_t *c)
{
	uint16_t v = llfree_child(LLFREE_AREA_FRAMES, false);

	/* a load first: a failed CAS costs as much as a successful one */
	if (llf_load_relaxed(c) != v)
		return false;
	return llf_cas_strong(c, &v, llfree_child(0, true));
}

/* Huge -> entirely free */
static inline bool llfree_child_put_huge(llf_atomic16_t *c)
{
	uint16_t v = llfree_child(0, true);

	return llf_cas_strong(c, &v, llfree_child(LLFREE_AREA_FRAMES, false));
}

#endif /* LLFREE_CHILD_H */
