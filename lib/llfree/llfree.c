// SPDX-License-Identifier: GPL-2.0
/*
 * LLFree upper level: trees, per-core reservations and the public API.
 *
 * Free frames are counted once: either in a tree entry or in the one
 * reservation that holds the tree. A core allocates from its reservation
 * (CAS on its counter, then the lower level); when that runs short it first
 * pulls frames freed into the tree by others, then reserves another tree
 * (search prefers partly used trees of its kind), and when no tree has
 * enough it steals: it takes from any tree's counter or lowers another
 * core's reservation counter, leaving the reservation in place.
 * There are no locks; every update of shared state is one CAS, exchange or
 * atomic add.
 *
 * Moving a count from one counter to another (reserving a tree, ending a
 * reservation, sync, giving back frames a get could not use) takes two
 * updates, and in between the frames are in no counter. A get that finds
 * nothing must not fail then: every such transfer is bracketed by the
 * moves counter of the core making it (in the cache line of its
 * reservations), and a steal that found nothing fails only after a whole
 * pass with no transfer under way or finished meanwhile on any core; else
 * it retries (bounded, LLFREE_STEAL_PASSES).
 */
#include "llfree.h"
#include "bitfield.h"
#include "child.h"
#include "tree.h"
#include "lower.h"

#ifndef __KERNEL__
_Atomic unsigned int llfree_reports;
#endif

/* A get: attempts on its own reservation, of them new reservations */
#define LLFREE_GET_ATTEMPTS	8
#define LLFREE_GET_RESERVES	2
/* Steal: passes while transfers are under way; lower-level searches of a
 * pass for orders above 0 (order 0 tries every counter with a frame)
 */
#define LLFREE_STEAL_PASSES	64
#define LLFREE_STEAL_LOWER	4
/* Trees a steal of order above 0 looks at (from where the last ended) */
#define LLFREE_STEAL_WINDOW	1024

_Static_assert(LLFREE_TREE_AREAS % 2 == 0 && LLFREE_TREE_FRAMES <= 0xffff,
	       "LLFREE_TREE_AREAS must be even and at most 126");
_Static_assert(sizeof(struct llfree_field) == 64, "bitfield = cache line");
_Static_assert(sizeof(struct llfree_core) == 64, "reservations = cache line");

/* Reservation: bit 63 present, bits 16-62 tree index, bits 0-15 free */
#define LLFREE_LOCAL_PRESENT	(1ull << 63)
#define LLFREE_LOCAL_FREE	0xffffull

static inline uint64_t llfree_local(uint64_t tree, uint32_t free)
{
	return LLFREE_LOCAL_PRESENT | tree << 16 | free;
}

static inline bool llfree_local_present(uint64_t r)
{
	return (r & LLFREE_LOCAL_PRESENT) != 0;
}

static inline uint64_t llfree_local_tree(uint64_t r)
{
	return (r & ~LLFREE_LOCAL_PRESENT) >> 16;
}

static inline uint32_t llfree_local_free(uint64_t r)
{
	return (uint32_t)(r & LLFREE_LOCAL_FREE);
}

static inline uint64_t llfree_div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static inline size_t llfree_align_up(size_t size)
{
	return (size + LLFREE_META_ALIGN - 1) & ~(size_t)(LLFREE_META_ALIGN - 1);
}

static inline uint32_t llfree_tree_capacity(const struct llfree *self,
					    uint64_t tree)
{
	uint64_t rest = self->frames - tree * LLFREE_TREE_FRAMES;

	return rest < LLFREE_TREE_FRAMES ? (uint32_t)rest : LLFREE_TREE_FRAMES;
}

size_t llfree_metadata_size(uint32_t cores, uint64_t frames)
{
	uint64_t areas, trees;

	if (!cores || !frames || frames > (1ull << 46))
		return 0;
	areas = llfree_div_up(frames, LLFREE_AREA_FRAMES);
	trees = llfree_div_up(areas, LLFREE_TREE_AREAS);
	return areas * sizeof(struct llfree_field) +
	       llfree_align_up(areas * sizeof(uint16_t)) +
	       llfree_align_up(trees * sizeof(uint32_t)) +
	       cores * sizeof(struct llfree_core);
}

#define LLFREE_MOVES_BEGIN	1ull
#define LLFREE_MOVES_END	((1ull << 32) - 1)	/* -1 under way, +1 done */

/* A transfer begins: its frames may be in no counter until it ends */
static inline void llfree_move_begin(struct llfree *self, uint32_t core)
{
	llf_fetch_add64(&self->local[core].moves, LLFREE_MOVES_BEGIN);
}

static inline void llfree_move_end(struct llfree *self, uint32_t core)
{
	llf_fetch_add64(&self->local[core].moves, LLFREE_MOVES_END);
}

/*
 * The sum of all cores' moves counters, and whether a transfer is under
 * way. Each counter only grows, so an equal sum later means no transfer
 * began or ended in between. @rmw: read with a fully ordered RMW, so that
 * a transfer after it cannot have been seen by the loads before it.
 */
static uint64_t llfree_moves(struct llfree *self, bool rmw, bool *busy)
{
	uint64_t sum = 0;
	uint32_t c;

	for (c = 0; c < self->cores; c++) {
		uint64_t m = rmw ? llf_fetch_add64(&self->local[c].moves, 0) :
			     llf_load(&self->local[c].moves);

		*busy |= (uint32_t)m != 0;
		sum += m;
	}
	return sum;
}

/* Give @n frames of @tree back to a reservation of @core or to the tree */
static bool llfree_local_give(struct llfree_local *l, uint64_t tree,
			      uint32_t n)
{
	uint64_t r = llf_load_relaxed(&l->res);

	while (llfree_local_present(r) && llfree_local_tree(r) == tree) {
		if (llf_cas(&l->res, &r, r + n))
			return true;
	}
	return false;
}

static void llfree_counter_give(struct llfree *self, uint32_t core,
				uint64_t tree, uint32_t n)
{
	struct llfree_core *c = &self->local[core];
	uint32_t s;

	for (s = 0; s < LLFREE_SLOTS; s++) {
		if (llfree_local_give(&c->slot[s], tree, n))
			return;
	}
	llfree_tree_give(&self->tree[tree], n);
}

/* Move frames freed into our reserved tree by others to the reservation */
static llf_noinline llf_cold bool llfree_sync(struct llfree *self, uint32_t core,
			struct llfree_local *l, uint64_t r)
{
	uint64_t tree = llfree_local_tree(r);
	uint32_t free;

	if (!llfree_tree_free(llf_load_relaxed(&self->tree[tree])))
		return false;
	llfree_move_begin(self, core);
	free = llfree_tree_take_all(&self->tree[tree]);
	if (free && !llfree_local_give(l, tree, free))
		llfree_tree_give(&self->tree[tree], free);
	llfree_move_end(self, core);
	return free != 0;
}

/* Give back @n frames of @tree that a get took but could not use */
static llf_noinline llf_cold void llfree_give_back(struct llfree *self, uint32_t core,
			     struct llfree_local *l, uint64_t tree, uint32_t n)
{
	if (!n)
		return;
	llfree_move_begin(self, core);
	if (!l || !llfree_local_give(l, tree, n))
		llfree_tree_give(&self->tree[tree], n);
	llfree_move_end(self, core);
}

/*
 * How well tree entry @t of capacity @cap suits a reservation for @slot
 * that needs @n frames: 0 best (partly used, of our kind, not almost full:
 * anti-fragmentation), 1 entirely free, 2 of our kind, 3 any; -1 unsuitable.
 */
static inline int llfree_search_rank(uint32_t t, uint32_t cap, uint32_t slot,
				     uint32_t n)
{
	uint32_t free = llfree_tree_free(t);
	uint32_t min = cap / 8 > n ? cap / 8 : n;

	if (llfree_tree_reserved(t) || free < n)
		return -1;
	if (llfree_tree_kind(t) == slot && free < cap && free >= min)
		return 0;
	if (free == cap)
		return 1;
	return llfree_tree_kind(t) == slot ? 2 : 3;
}

/* Trees looked at after a good (rank 1) candidate before taking it */
#define LLFREE_SEARCH_WINDOW	16

/* Reserve a new tree for @slot of @core; the old reservation goes back */
static llf_noinline llf_cold bool llfree_reserve(struct llfree *self, uint32_t core, uint32_t slot,
			   uint32_t n)
{
	struct llfree_local *l = &self->local[core].slot[slot];
	uint64_t start = llf_load_relaxed(&l->hint) / LLFREE_TREE_FRAMES;
	uint32_t tries;

	if (start >= self->trees)
		start = 0;
	/* a candidate may be taken by another core meanwhile: search again */
	for (tries = 0; tries < 4; tries++) {
		uint64_t i, ti = start, best = 0, best_i = 0;
		llf_atomic32_t *tree = self->tree;
		int best_rank = 4;
		uint32_t free;
		uint64_t old;

		/* one pass from where this core worked last; stop early */
		for (i = 0; i < self->trees; i++, ti = ti + 1 < self->trees ? ti + 1 : 0) {
			uint32_t t = llf_load_relaxed(&tree[ti]);
			int rank = llfree_search_rank(t, llfree_tree_capacity(self, ti),
						      slot, n);

			if (rank >= 0 && rank < best_rank) {
				best = ti;
				best_i = i;
				best_rank = rank;
				if (!rank)
					break;
			}
			if (best_rank == 1 && i >= best_i + LLFREE_SEARCH_WINDOW)
				break;
		}
		if (best_rank == 4)
			return false;
		llfree_move_begin(self, core);
		if (!llfree_tree_reserve(&self->tree[best], n, slot, &free)) {
			llfree_move_end(self, core);
			continue;
		}
		llf_store_relaxed(&l->hint, best * LLFREE_TREE_FRAMES);
		old = llf_xchg(&l->res, llfree_local(best, free));
		if (llfree_local_present(old))
			llfree_tree_unreserve(&self->tree[llfree_local_tree(old)],
					      llfree_local_free(old));
		llfree_move_end(self, core);
		return true;
	}
	return false;
}

/* Try the lower level of @tree for frames taken from a counter */
static int64_t llfree_steal_from(struct llfree *self, uint32_t core,
				 struct llfree_local *l, uint64_t tree,
				 uint64_t hint, uint32_t order)
{
	uint32_t lost;
	int64_t frame = llfree_lower_get(self, tree, hint, order, &lost);

	if (frame < 0)
		llfree_give_back(self, core, l, tree, (1u << order) - lost);
	return frame;
}

/* Take @n frames from reservation @l if it has them; its tree in *tree */
static bool llfree_local_take(struct llfree_local *l, uint32_t n,
			      uint64_t *tree)
{
	uint64_t r = llf_load_relaxed(&l->res);

	while (llfree_local_present(r) && llfree_local_free(r) >= n) {
		if (llf_cas(&l->res, &r, r - n)) {
			*tree = llfree_local_tree(r);
			return true;
		}
	}
	return false;
}

/* A counter (tree entry or reservation) worth a lower-level search */
struct llfree_candidate {
	struct llfree_local *l;	/* NULL: the tree entry */
	uint64_t tree;
	uint32_t free;
};

static void llfree_candidate_add(struct llfree_candidate *c, uint32_t *count,
				 struct llfree_local *l, uint64_t tree,
				 uint32_t free)
{
	uint32_t i;

	if (*count < LLFREE_STEAL_LOWER) {
		i = (*count)++;
	} else {
		i = LLFREE_STEAL_LOWER - 1;
		if (c[i].free >= free)
			return;
	}
	/* keep the ones with the most free frames, most first */
	for (; i > 0 && c[i - 1].free < free; i--)
		c[i] = c[i - 1];
	c[i] = (struct llfree_candidate){ l, tree, free };
}

/*
 * Last resort: take from any counter, leaving reservations in place.
 * Order 0: every tree and reservation with a frame. Orders above: the
 * reservations and a window of LLFREE_STEAL_WINDOW trees (the next window
 * next time, kept in @l's hint); the counters with the most free frames,
 * at most LLFREE_STEAL_LOWER lower-level searches: bounded work.
 */
static llf_noinline llf_cold int64_t llfree_steal(struct llfree *self, uint32_t core,
			    struct llfree_local *l, uint32_t order)
{
	uint32_t n = 1u << order, pass;
	uint64_t start = (uint64_t)core * self->trees / self->cores;
	uint64_t window = self->trees;

	if (order) {
		start = llf_load_relaxed(&l->hint) / LLFREE_TREE_FRAMES;
		if (start >= self->trees)
			start = 0;
		if (window > LLFREE_STEAL_WINDOW) {
			window = LLFREE_STEAL_WINDOW;
			llf_store_relaxed(&l->hint, (start + window) % self->trees *
					  LLFREE_TREE_FRAMES);
		}
	}

	for (pass = 0; pass < LLFREE_STEAL_PASSES; pass++) {
		bool busy = false;
		uint64_t moves = llfree_moves(self, false, &busy), i, tree;
		struct llfree_candidate cand[LLFREE_STEAL_LOWER];
		uint32_t count = 0, c, s;
		uint64_t ti = start;
		int64_t frame;

		for (i = 0; i < window; i++, ti = ti + 1 < self->trees ? ti + 1 : 0) {
			uint32_t free = llfree_tree_free(llf_load_relaxed(&self->tree[ti]));

			if (free < n)
				continue;
			if (order) {
				llfree_candidate_add(cand, &count, NULL, ti, free);
				continue;
			}
			if (!llfree_tree_take(&self->tree[ti], n))
				continue;
			frame = llfree_steal_from(self, core, NULL, ti, 0, order);
			if (frame >= 0)
				return frame;
		}
		for (c = 0; c < self->cores; c++) {
			for (s = 0; s < LLFREE_SLOTS; s++) {
				struct llfree_local *o = &self->local[c].slot[s];
				uint64_t r = llf_load_relaxed(&o->res);

				if (!llfree_local_present(r) || llfree_local_free(r) < n)
					continue;
				if (order) {
					llfree_candidate_add(cand, &count, o,
							     llfree_local_tree(r),
							     llfree_local_free(r));
					continue;
				}
				if (!llfree_local_take(o, n, &tree))
					continue;
				frame = llfree_steal_from(self, core, o, tree,
							  llf_load_relaxed(&o->hint),
							  order);
				if (frame >= 0)
					return frame;
			}
		}
		for (i = 0; i < count; i++) {
			struct llfree_candidate *x = &cand[i];

			if (x->l ? !llfree_local_take(x->l, n, &tree) :
			    !llfree_tree_take(&self->tree[x->tree], n))
				continue;
			if (!x->l)
				tree = x->tree;
			frame = llfree_steal_from(self, core, x->l, tree, 0, order);
			if (frame >= 0)
				return frame;
		}
		/* enough frames, too fragmented (or not found in the bound) */
		if (count)
			return LLFREE_ERR_MEMORY;
		/* nothing: unless frames were on their way meanwhile */
		if (llfree_moves(self, true, &busy) == moves && !busy)
			return LLFREE_ERR_MEMORY;
		llf_relax();
	}
	return LLFREE_ERR_MEMORY;
}

int64_t llfree_get(struct llfree *self, uint32_t core, uint32_t order,
		   enum llfree_kind kind)
{
	uint32_t slot, n, attempt, reserves = 0;
	struct llfree_local *l;

	if (order > LLFREE_MAX_ORDER || (uint32_t)kind >= LLFREE_KINDS)
		return LLFREE_ERR_ORDER;
	core %= self->cores;
	slot = order >= LLFREE_HUGE_ORDER ? LLFREE_SLOT_HUGE : (uint32_t)kind;
	l = &self->local[core].slot[slot];
	n = 1u << order;

	for (attempt = 0; attempt < LLFREE_GET_ATTEMPTS; attempt++) {
		uint64_t r = llf_load(&l->res);

		if (llfree_local_present(r) && llfree_local_free(r) >= n) {
			uint64_t tree = llfree_local_tree(r);
			uint32_t lost;
			int64_t frame;

			if (!llf_cas(&l->res, &r, r - n))
				continue;
			frame = llfree_lower_get(self, tree,
						 llf_load_relaxed(&l->hint),
						 order, &lost);
			if (llf_likely(frame >= 0)) {
				llf_store_relaxed(&l->hint, (uint64_t)frame + n);
				return frame;
			}
			/* counted but too fragmented: try another tree */
			llfree_give_back(self, core, l, tree, n - lost);
			/* huge: a bounded steal rather than one more search */
			if (order >= LLFREE_HUGE_ORDER)
				break;
		} else if (llfree_local_present(r) && llfree_sync(self, core, l, r)) {
			continue;
		}
		if (reserves++ == LLFREE_GET_RESERVES ||
		    !llfree_reserve(self, core, slot, n))
			break;
	}
	return llfree_steal(self, core, l, order);
}

int llfree_put(struct llfree *self, uint32_t core, uint64_t frame,
	       uint32_t order)
{
	uint64_t n;
	int ret;

	if (order > LLFREE_MAX_ORDER)
		return LLFREE_ERR_ORDER;
	n = 1ull << order;
	if (frame >= self->frames || self->frames - frame < n)
		return LLFREE_ERR_RANGE;
	if (frame & (n - 1))
		return LLFREE_ERR_ALIGN;
	ret = llfree_lower_put(self, frame, order);
	if (ret < 0)
		return ret;
	if (ret)
		llfree_counter_give(self, core % self->cores,
				    frame / LLFREE_TREE_FRAMES, (uint32_t)ret);
	return LLFREE_OK;
}

int llfree_split(struct llfree *self, uint64_t frame)
{
	if (frame >= self->frames)
		return LLFREE_ERR_RANGE;
	return llfree_lower_split(self, frame);
}

void llfree_drain(struct llfree *self, uint32_t core)
{
	struct llfree_core *c;
	uint32_t s;

	core %= self->cores;
	c = &self->local[core];
	for (s = 0; s < LLFREE_SLOTS; s++) {
		uint64_t r;

		if (!llfree_local_present(llf_load_relaxed(&c->slot[s].res)))
			continue;
		llfree_move_begin(self, core);
		r = llf_xchg(&c->slot[s].res, 0);
		if (llfree_local_present(r))
			llfree_tree_unreserve(&self->tree[llfree_local_tree(r)],
					      llfree_local_free(r));
		llfree_move_end(self, core);
	}
}

int llfree_init(struct llfree *self, uint32_t cores, uint64_t frames,
		enum llfree_init_mode mode, void *meta)
{
	char *p = meta;
	uint64_t t, a;
	uint32_t c, s;

	if (!self || !p || !llfree_metadata_size(cores, frames) ||
	    ((uintptr_t)p & (LLFREE_META_ALIGN - 1)) ||
	    mode > LLFREE_INIT_RECOVER)
		return LLFREE_ERR_INIT;

	self->frames = frames;
	self->cores = cores;
	self->areas = llfree_div_up(frames, LLFREE_AREA_FRAMES);
	self->trees = llfree_div_up(self->areas, LLFREE_TREE_AREAS);
	self->field = (struct llfree_field *)p;
	p += self->areas * sizeof(struct llfree_field);
	self->child = (llf_atomic16_t *)p;
	p += llfree_align_up(self->areas * sizeof(uint16_t));
	self->tree = (llf_atomic32_t *)p;
	p += llfree_align_up(self->trees * sizeof(uint32_t));
	self->local = (struct llfree_core *)p;

	llfree_lower_init(self, mode);

	for (t = 0; t < self->trees; t++) {
		uint64_t end = (t + 1) * LLFREE_TREE_AREAS;
		uint32_t free = 0, kind = LLFREE_UNMOVABLE;

		if (end > self->areas)
			end = self->areas;
		for (a = t * LLFREE_TREE_AREAS; a < end; a++) {
			uint16_t ch = llf_load_relaxed(&self->child[a]);

			free += llfree_child_free(ch);
			if (llfree_child_huge(ch))
				kind = LLFREE_SLOT_HUGE;
		}
		llf_store_relaxed(&self->tree[t], llfree_tree(free, false, kind));
	}
	for (c = 0; c < cores; c++) {
		/* spread the cores' first searches over memory */
		uint64_t start = (uint64_t)c * self->trees / cores;

		llf_store_relaxed(&self->local[c].moves, 0);
		for (s = 0; s < LLFREE_SLOTS; s++) {
			llf_store_relaxed(&self->local[c].slot[s].res, 0);
			llf_store_relaxed(&self->local[c].slot[s].hint,
					  start * LLFREE_TREE_FRAMES);
		}
	}
	/* publish the metadata before other cores use it */
	llf_store(&self->local[0].slot[0].res, 0);
	return LLFREE_OK;
}

uint64_t llfree_free_frames(const struct llfree *self)
{
	uint64_t t, free = 0;
	uint32_t c, s;

	for (t = 0; t < self->trees; t++)
		free += llfree_tree_free(llf_load_relaxed(&self->tree[t]));
	for (c = 0; c < self->cores; c++) {
		for (s = 0; s < LLFREE_SLOTS; s++) {
			uint64_t r = llf_load_relaxed(&self->local[c].slot[s].res);

			if (llfree_local_present(r))
				free += llfree_local_free(r);
		}
	}
	return free;
}

uint64_t llfree_free_huge(const struct llfree *self)
{
	uint64_t a, huge = 0;

	for (a = 0; a < self->areas; a++) {
		uint16_t c = llf_load_relaxed(&self->child[a]);

		if (!llfree_child_huge(c) &&
		    llfree_child_free(c) == LLFREE_AREA_FRAMES)
			huge++;
	}
	return huge;
}

bool llfree_is_free(const struct llfree *self, uint64_t frame, uint32_t order)
{
	uint64_t n;

	if (order > LLFREE_MAX_ORDER)
		return false;
	n = 1ull << order;
	if (frame >= self->frames || self->frames - frame < n ||
	    (frame & (n - 1)))
		return false;
	return llfree_lower_is_free(self, frame, order);
}

void llfree_stats(const struct llfree *self, struct llfree_stats *stats)
{
	uint64_t a, t;

	stats->frames = self->frames;
	stats->areas = self->areas;
	stats->trees = self->trees;
	stats->cores = self->cores;
	stats->free_frames = llfree_free_frames(self);
	stats->free_huge = llfree_free_huge(self);
	stats->huge_allocated = 0;
	for (a = 0; a < self->areas; a++) {
		if (llfree_child_huge(llf_load_relaxed(&self->child[a])))
			stats->huge_allocated++;
	}
	stats->reserved_trees = 0;
	for (t = 0; t < self->trees; t++) {
		if (llfree_tree_reserved(llf_load_relaxed(&self->tree[t])))
			stats->reserved_trees++;
	}
}

int llfree_validate(const struct llfree *self)
{
	uint64_t t;
	uint32_t c, s;

	for (c = 0; c < self->cores; c++) {
		for (s = 0; s < LLFREE_SLOTS; s++) {
			uint64_t r = llf_load_relaxed(&self->local[c].slot[s].res);

			if (llfree_local_present(r) &&
			    llfree_local_tree(r) >= self->trees) {
				llf_warn("validate: core %u: reservation of tree %llu\n", c,
					 (unsigned long long)llfree_local_tree(r));
				return LLFREE_ERR_CORRUPT;
			}
		}
	}
	for (t = 0; t < self->trees; t++) {
		uint32_t e = llf_load_relaxed(&self->tree[t]);
		int64_t lower = llfree_lower_validate(self, t);
		uint64_t counted = llfree_tree_free(e);
		uint32_t holders = 0;

		if (lower < 0)
			return LLFREE_ERR_CORRUPT;
		for (c = 0; c < self->cores; c++) {
			for (s = 0; s < LLFREE_SLOTS; s++) {
				uint64_t r = llf_load_relaxed(&self->local[c].slot[s].res);

				if (llfree_local_present(r) &&
				    llfree_local_tree(r) == t) {
					counted += llfree_local_free(r);
					holders++;
				}
			}
		}
		if (holders != (llfree_tree_reserved(e) ? 1u : 0u)) {
			llf_warn("validate: tree %llu: reserved %d, %u reservations\n",
				 (unsigned long long)t, llfree_tree_reserved(e),
				 holders);
			return LLFREE_ERR_CORRUPT;
		}
		if (counted != (uint64_t)lower) {
			llf_warn("validate: tree %llu: counted %llu free, areas have %lld\n",
				 (unsigned long long)t,
				 (unsigned long long)counted, (long long)lower);
			return LLFREE_ERR_CORRUPT;
		}
	}
	return LLFREE_OK;
}
