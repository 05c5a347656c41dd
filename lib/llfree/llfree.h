/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree: a lock-free page-frame allocator (after Wrenger et al., "LLFree:
 * Scalable and Optionally-Persistent Page-Frame Allocation", USENIX ATC 2023).
 *
 * Frames are numbered 0 .. frames-1 (the caller adds its base). The lower
 * level keeps one 512-bit bitfield (one cache line) per 2 MiB area of 512
 * frames and a 16-bit child entry per area (free count, huge flag). The upper
 * level keeps one 32-bit entry per tree of LLFREE_TREE_AREAS areas (free
 * count, reserved flag, kind) and per core one reservation per kind, all
 * updated with compare-and-swap only.
 *
 * All metadata lives in memory the caller provides: ask
 * llfree_metadata_size() first, then pass a 64-byte aligned buffer of that
 * size to llfree_init(). The bitfields and the child entries (at the start of
 * the buffer) are the persistent part: LLFREE_INIT_RECOVER rebuilds
 * everything else from them.
 */
#ifndef LLFREE_H
#define LLFREE_H

#include "llfree_compat.h"

/* Frames per area (a 2 MiB huge page of 4 KiB frames) */
#define LLFREE_AREA_ORDER	9
#define LLFREE_AREA_FRAMES	(1u << LLFREE_AREA_ORDER)
#define LLFREE_HUGE_ORDER	LLFREE_AREA_ORDER
#define LLFREE_MAX_ORDER	10

/*
 * Areas per tree (compile time; even, at most 126: a tree's free count,
 * LLFREE_TREE_AREAS * 512, must fit the 16-bit counters)
 */
#ifndef LLFREE_TREE_AREAS
#define LLFREE_TREE_AREAS	32
#endif
#define LLFREE_TREE_FRAMES	(LLFREE_TREE_AREAS * LLFREE_AREA_FRAMES)

/* Alignment of the metadata buffer */
#define LLFREE_META_ALIGN	64

/* Errors (negative); get() returns a frame >= 0 or one of these */
enum llfree_error {
	LLFREE_OK = 0,
	LLFREE_ERR_MEMORY = -1,	/* no free block of this order left */
	LLFREE_ERR_ORDER = -2,	/* order above LLFREE_MAX_ORDER or bad kind */
	LLFREE_ERR_RANGE = -3,	/* frame out of range */
	LLFREE_ERR_ALIGN = -4,	/* frame not aligned to its order */
	LLFREE_ERR_FREE = -5,	/* not allocated (double free, wrong order) */
	LLFREE_ERR_INIT = -6,	/* bad init arguments */
	LLFREE_ERR_CORRUPT = -7, /* validate(): counters disagree */
};

/* What an allocation is for; kinds are kept in different trees */
enum llfree_kind {
	LLFREE_UNMOVABLE = 0,
	LLFREE_MOVABLE = 1,
	LLFREE_KINDS = 2,
};

enum llfree_init_mode {
	LLFREE_INIT_FREE = 0,	/* every frame free */
	LLFREE_INIT_ALLOC = 1,	/* every frame allocated */
	LLFREE_INIT_RECOVER = 2, /* keep the bitfields/children, rebuild rest */
};

/* Reservation slots of a core: the kinds, plus one for huge orders */
#define LLFREE_SLOT_HUGE	LLFREE_KINDS
#define LLFREE_SLOTS		(LLFREE_KINDS + 1)

/* One per-core reservation of a tree: see upper level (llfree.c) */
struct llfree_local {
	LLF_ATOMIC(uint64_t) res;	/* present, tree index, free count */
	LLF_ATOMIC(uint64_t) hint;	/* where the last search ended */
};

/*
 * A core's reservations, in a cache line of their own, and its count of
 * frames on their way between counters (see llfree.c): bits 0-31
 * transfers under way, bits 32-63 transfers done
 */
struct llfree_core {
	_Alignas(64) struct llfree_local slot[LLFREE_SLOTS];
	LLF_ATOMIC(uint64_t) moves;
};

/* The lower level's bitfield of one area: one bit a frame, 1 = allocated */
struct llfree_field {
	_Alignas(64) LLF_ATOMIC(uint64_t) word[LLFREE_AREA_FRAMES / 64];
};

struct llfree {
	uint64_t frames;
	uint64_t areas;
	uint64_t trees;
	uint32_t cores;
	struct llfree_field *field;		/* [areas], persistent */
	llf_atomic16_t *child;		/* [areas], persistent */
	llf_atomic32_t *tree;		/* [trees] */
	struct llfree_core *local;		/* [cores] */
};

struct llfree_stats {
	uint64_t frames;
	uint64_t free_frames;
	uint64_t free_huge;	/* entirely free areas */
	uint64_t huge_allocated; /* areas allocated as huge (order 9/10) */
	uint64_t areas;
	uint64_t trees;
	uint64_t reserved_trees;
	uint32_t cores;
};

/* Bytes of metadata for this many cores and frames (0: bad arguments) */
size_t llfree_metadata_size(uint32_t cores, uint64_t frames);

/* Set up @self over @meta (64-byte aligned, llfree_metadata_size() bytes) */
int llfree_init(struct llfree *self, uint32_t cores, uint64_t frames,
		enum llfree_init_mode mode, void *meta);

/*
 * Allocate 2^order frames, aligned; returns the first frame or an error.
 * @core: the calling CPU; callers keep preemption disabled from get to
 * return (the kernel passes smp_processor_id()). Order 0 fails with
 * LLFREE_ERR_MEMORY only when no frame is free; orders 1-10 also when
 * free memory is too fragmented for the order, or when a bounded search
 * did not find a free block (huge gets fail cheaply: see README.md).
 */
int64_t llfree_get(struct llfree *self, uint32_t core, uint32_t order,
		   enum llfree_kind kind);

/*
 * Free a block from llfree_get() (or from LLFREE_INIT_ALLOC: any order
 * inside an area, or its whole area(s) as order 9/10), with the order it
 * was allocated with. Refused (LLFREE_ERR_FREE, nothing changed): a block
 * not allocated, an order 9/10 that is not how the area(s) were allocated,
 * a base order inside a huge allocation. Same preemption rule as get.
 */
int llfree_put(struct llfree *self, uint32_t core, uint64_t frame,
	       uint32_t order);

/*
 * Make the order-9/10 allocation holding @frame freeable in base orders,
 * as if LLFREE_INIT_ALLOC had allocated its area(s): all frames stay
 * allocated, and each may now be freed with llfree_put() of orders 0-8
 * (or the area(s) whole as order 9/10). For callers that split huge blocks
 * (the kernel's split_page(), THP splits). LLFREE_OK also when the area is
 * already a base or init area (nothing to do); LLFREE_ERR_FREE when it is
 * not allocated whole, LLFREE_ERR_RANGE out of range.
 */
int llfree_split(struct llfree *self, uint64_t frame);

/* Give a core's reservations back to the trees */
void llfree_drain(struct llfree *self, uint32_t core);

uint64_t llfree_free_frames(const struct llfree *self);
uint64_t llfree_free_huge(const struct llfree *self);
bool llfree_is_free(const struct llfree *self, uint64_t frame, uint32_t order);
void llfree_stats(const struct llfree *self, struct llfree_stats *stats);

/*
 * Check every counter against the bitfields (call when no get/put runs).
 * Returns LLFREE_OK or LLFREE_ERR_CORRUPT (and logs the first mismatch).
 */
int llfree_validate(const struct llfree *self);

#endif /* LLFREE_H */
