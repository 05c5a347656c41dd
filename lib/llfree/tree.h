/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree upper level, part 1: the 32-bit entry of one tree.
 * Bits 0-15: free frames not counted by a reservation, bit 16: reserved by a
 * core, bits 17-18: kind of the last reservation (llfree_kind or
 * LLFREE_SLOT_HUGE), kept after it ends so that kinds stay apart.
 */
#ifndef LLFREE_TREE_H
#define LLFREE_TREE_H

#include "llfree.h"

#define LLFREE_TREE_FREE	0xffffu
#define LLFREE_TREE_RESERVED	(1u << 16)
#define LLFREE_TREE_KIND_SHIFT	17

static inline uint32_t llfree_tree(uint32_t free, bool reserved, uint32_t kind)
{
	return (free & LLFREE_TREE_FREE) |
	       (reserved ? LLFREE_TREE_RESERVED : 0) |
	       (kind << LLFREE_TREE_KIND_SHIFT);
}

static inline uint32_t llfree_tree_free(uint32_t t)
{
	return t & LLFREE_TREE_FREE;
}

static inline bool llfree_tree_reserved(uint32_t t)
{
	return (t & LLFREE_TREE_RESERVED) != 0;
}

static inline uint32_t llfree_tree_kind(uint32_t t)
{
	return t >> LLFREE_TREE_KIND_SHIFT;
}

/* Reserve an unreserved tree with at least @min free frames for @kind; its
 * free count moves to the reservation (*free).
 */
static inline bool llfree_tree_reserve(llf_atomic32_t *e, uint32_t min,
				       uint32_t kind, uint32_t *free)
{
	uint32_t t = llf_load_relaxed(e);

	do {
		if (llfree_tree_reserved(t) || llfree_tree_free(t) < min)
			return false;
	} while (!llf_cas(e, &t, llfree_tree(0, true, kind)));
	*free = llfree_tree_free(t);
	return true;
}

/* End a reservation, returning its @free frames to the tree */
static inline void llfree_tree_unreserve(llf_atomic32_t *e,
					 uint32_t free)
{
	uint32_t t = llf_load_relaxed(e);

	while (!llf_cas(e, &t, llfree_tree(llfree_tree_free(t) + free, false,
					   llfree_tree_kind(t))))
		;
}

/* Take @n frames from the tree's own count (reserved or not) */
static inline bool llfree_tree_take(llf_atomic32_t *e, uint32_t n)
{
	uint32_t t = llf_load_relaxed(e);

	do {
		if (llfree_tree_free(t) < n)
			return false;
	} while (!llf_cas(e, &t, t - n));
	return true;
}

/* Take the whole count of the tree; returns it */
static inline uint32_t llfree_tree_take_all(llf_atomic32_t *e)
{
	uint32_t t = llf_load_relaxed(e);

	do {
		if (!llfree_tree_free(t))
			return 0;
	} while (!llf_cas(e, &t, t & ~LLFREE_TREE_FREE));
	return llfree_tree_free(t);
}

/* Give @n frames back (the count never exceeds LLFREE_TREE_FRAMES) */
static inline void llfree_tree_give(llf_atomic32_t *e, uint32_t n)
{
	llf_add(e, n);
}

#endif /* LLFREE_TREE_H */
