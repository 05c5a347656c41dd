// SPDX-License-Identifier: GPL-2.0
/*
 * LLFree lower level: bitfields and child entries of all areas.
 *
 * Counting rule: a child's free count never exceeds the clear bits of its
 * bitfield. get() lowers the count before it sets bits, put() clears bits
 * before it raises the count. So a huge allocation, which needs a count of
 * 512, never meets a base frame, and a base allocation that got its count
 * always finds a clear bit (order 0) or gives the count back.
 *
 * A failing call changes nothing: checks come before changes, and steps
 * that may have to be undone are made on a BUSY child, which only its
 * owner changes, so undoing them cannot fail. Every retry loop is bounded;
 * an inconsistency left by a racing double free is repaired and reported
 * (llf_report), never spun on.
 */
#include "lower.h"
#include "bitfield.h"
#include "child.h"

/* Passes over a bitfield an order-0 get makes before it gives up */
#define LLFREE_FIELD_PASSES	64

static void llfree_lower_recover_area(struct llfree *self, uint64_t a,
				      uint32_t cap)
{
	struct llfree_field *f = &self->field[a];
	uint16_t c = llf_load_relaxed(&self->child[a]);
	uint32_t flags = llfree_child_flags(c) & ~LLFREE_CHILD_BUSY;

	if (cap == LLFREE_AREA_FRAMES && (flags & LLFREE_CHILD_HUGE)) {
		/* half an order-10 block without its other half: not done */
		if (flags & LLFREE_CHILD_PAIR) {
			uint16_t p = llf_load_relaxed(&self->child[a ^ 1]);
			uint32_t want = LLFREE_CHILD_HUGE | LLFREE_CHILD_PAIR;

			if ((a ^ 1) >= self->areas ||
			    (llfree_child_flags(p) & want) != want)
				flags = 0;
		}
		llfree_field_fill(f, false, cap);
		c = flags ? llfree_child(0, flags) : llfree_child(cap, 0);
	} else if (cap == LLFREE_AREA_FRAMES && flags == LLFREE_CHILD_INIT) {
		/* an order-9/10 put of it may have begun: not done */
		llfree_field_fill(f, true, cap);
		c = llfree_child(0, LLFREE_CHILD_INIT);
	} else {
		llfree_field_mask_tail(f, cap);
		c = llfree_child(llfree_field_count_free(f), 0);
	}
	llf_store_relaxed(&self->child[a], c);
}

void llfree_lower_init(struct llfree *self, enum llfree_init_mode mode)
{
	uint64_t a;

	for (a = 0; a < self->areas; a++) {
		uint32_t cap = llfree_area_capacity(self, a);
		struct llfree_field *f = &self->field[a];
		uint16_t c;

		if (mode == LLFREE_INIT_RECOVER) {
			llfree_lower_recover_area(self, a, cap);
			continue;
		} else if (mode == LLFREE_INIT_ALLOC) {
			llfree_field_fill(f, true, cap);
			c = llfree_child(0, cap == LLFREE_AREA_FRAMES ?
					 LLFREE_CHILD_INIT : 0);
		} else {
			llfree_field_fill(f, false, cap);
			c = llfree_child(cap, 0);
		}
		llf_store_relaxed(&self->child[a], c);
	}
}

/* Set a BUSY child, which no other core changes, from @old to @new */
static void llfree_child_release(struct llfree *self, uint64_t a,
				 uint16_t old, uint16_t new)
{
	if (!llf_cas_strong(&self->child[a], &old, new))
		llf_report("area %llu: busy entry changed to %#x\n",
			   (unsigned long long)a, old);
}

/* Base orders (0-8) in one area */
static int64_t llfree_lower_get_area(struct llfree *self, uint64_t a,
				     uint32_t order, uint32_t start_word,
				     uint32_t *lost)
{
	uint32_t n = 1u << order, pass, twice = 0;
	int bit;

	if (!llfree_child_take(&self->child[a], n))
		return LLFREE_ERR_MEMORY;

	if (order <= 6)
		bit = llfree_field_get(&self->field[a], order, start_word);
	else
		bit = llfree_field_get_words(&self->field[a], order, &twice);
	if (llf_likely(bit >= 0))
		return (int64_t)(a * LLFREE_AREA_FRAMES + (uint32_t)bit);
	/* a count of one always has a bit to it; races only delay finding it */
	for (pass = 0; bit < 0 && order == 0 && pass < LLFREE_FIELD_PASSES;
	     pass++)
		bit = llfree_field_get(&self->field[a], order, 0);
	if (bit >= 0)
		return (int64_t)(a * LLFREE_AREA_FRAMES + (uint32_t)bit);
	if (order == 0) {
		/* the count exceeds the clear bits: drop our share of it */
		llf_report("area %llu: free count above its free frames (double free?)\n",
			   (unsigned long long)a);
		*lost = 1;
		return LLFREE_ERR_MEMORY;
	}
	if (twice) {
		/* racing double frees counted frames twice: absorb that */
		llf_report("area %llu: %u frames freed twice while being allocated\n",
			   (unsigned long long)a, twice);
		*lost = twice < n ? twice : n;
	}
	/* enough frames, but too fragmented for this order */
	llfree_child_give(&self->child[a], n - *lost);
	return LLFREE_ERR_MEMORY;
}

static int64_t llfree_lower_get_huge(struct llfree *self, uint64_t a,
				     uint32_t order)
{
	const uint32_t pair = LLFREE_CHILD_HUGE | LLFREE_CHILD_PAIR;

	if (llfree_area_capacity(self, a) != LLFREE_AREA_FRAMES)
		return LLFREE_ERR_MEMORY;
	if (order == LLFREE_HUGE_ORDER) {
		if (!llfree_child_take_huge(&self->child[a], LLFREE_CHILD_HUGE))
			return LLFREE_ERR_MEMORY;
		return (int64_t)(a * LLFREE_AREA_FRAMES);
	}
	/* order 10: two adjacent children, the first one even, kept BUSY */
	if (a % 2 || a + 1 >= self->areas ||
	    llfree_area_capacity(self, a + 1) != LLFREE_AREA_FRAMES)
		return LLFREE_ERR_MEMORY;
	if (!llfree_child_take_huge(&self->child[a], pair | LLFREE_CHILD_BUSY))
		return LLFREE_ERR_MEMORY;
	if (!llfree_child_take_huge(&self->child[a + 1], pair)) {
		llfree_child_release(self, a, llfree_child(0, pair | LLFREE_CHILD_BUSY),
				     llfree_child(LLFREE_AREA_FRAMES, 0));
		return LLFREE_ERR_MEMORY;
	}
	llfree_child_release(self, a, llfree_child(0, pair | LLFREE_CHILD_BUSY),
			     llfree_child(0, pair));
	return (int64_t)(a * LLFREE_AREA_FRAMES);
}

int64_t llfree_lower_get(struct llfree *self, uint64_t tree, uint64_t hint,
			 uint32_t order, uint32_t *lost)
{
	uint64_t first = tree * LLFREE_TREE_AREAS;
	uint64_t count = self->areas - first;
	uint64_t start = hint / LLFREE_AREA_FRAMES;
	uint64_t i;

	*lost = 0;
	if (count > LLFREE_TREE_AREAS)
		count = LLFREE_TREE_AREAS;
	if (start < first || start >= first + count)
		start = first;
	start -= first;

	if (order > LLFREE_HUGE_ORDER) {
		/* pairs of areas; trees have an even number of areas */
		uint64_t pairs = count / 2;

		for (i = 0; i < pairs; i++) {
			uint64_t a = first + 2 * ((start / 2 + i) % pairs);
			int64_t frame = llfree_lower_get_huge(self, a, order);

			if (frame >= 0)
				return frame;
		}
		return LLFREE_ERR_MEMORY;
	}

	for (i = 0; i < count; i++) {
		uint64_t a = first + (start + i) % count;
		int64_t frame;

		if (order == LLFREE_HUGE_ORDER) {
			frame = llfree_lower_get_huge(self, a, order);
		} else {
			uint32_t word = i ? 0 : (uint32_t)(hint / 64) %
					LLFREE_FIELD_WORDS;

			frame = llfree_lower_get_area(self, a, order, word, lost);
		}
		if (frame >= 0)
			return frame;
		if (*lost)
			return LLFREE_ERR_MEMORY;
	}
	return LLFREE_ERR_MEMORY;
}

/* Order-9 put of area @a: allocated by an order-9 get or at init */
static int llfree_lower_put_area(struct llfree *self, uint64_t a)
{
	uint16_t c = llf_load_relaxed(&self->child[a]);
	uint16_t init = llfree_child(0, LLFREE_CHILD_INIT);

	if (c == llfree_child(0, LLFREE_CHILD_HUGE))
		return llfree_child_swap(&self->child[a], c,
					 llfree_child(LLFREE_AREA_FRAMES, 0)) ?
		       (int)LLFREE_AREA_FRAMES : LLFREE_ERR_FREE;
	if (c != init || !llfree_child_swap(&self->child[a], init,
					    init | LLFREE_CHILD_BUSY))
		return LLFREE_ERR_FREE;
	/* BUSY: no base put splits the area now, its bits are ours */
	llfree_field_fill(&self->field[a], false, LLFREE_AREA_FRAMES);
	llfree_child_release(self, a, init | LLFREE_CHILD_BUSY,
			     llfree_child(LLFREE_AREA_FRAMES, 0));
	return (int)LLFREE_AREA_FRAMES;
}

/* Order-10 put of areas @a (even) and @a + 1: both halves of one block */
static int llfree_lower_put_pair(struct llfree *self, uint64_t a)
{
	const uint16_t pair = llfree_child(0, LLFREE_CHILD_HUGE | LLFREE_CHILD_PAIR);
	const uint16_t init = llfree_child(0, LLFREE_CHILD_INIT);
	const uint16_t free = llfree_child(LLFREE_AREA_FRAMES, 0);
	uint16_t c = llf_load_relaxed(&self->child[a]);
	uint16_t d = llf_load_relaxed(&self->child[a + 1]);

	if (c != d || (c != pair && c != init))
		return LLFREE_ERR_FREE;
	if (!llfree_child_swap(&self->child[a], c, c | LLFREE_CHILD_BUSY))
		return LLFREE_ERR_FREE;
	if (c == pair) {
		if (!llfree_child_swap(&self->child[a + 1], c, free)) {
			llfree_child_release(self, a, c | LLFREE_CHILD_BUSY, c);
			return LLFREE_ERR_FREE;
		}
		llfree_child_release(self, a, c | LLFREE_CHILD_BUSY, free);
		return 2 * (int)LLFREE_AREA_FRAMES;
	}
	if (!llfree_child_swap(&self->child[a + 1], c, c | LLFREE_CHILD_BUSY)) {
		llfree_child_release(self, a, c | LLFREE_CHILD_BUSY, c);
		return LLFREE_ERR_FREE;
	}
	llfree_field_fill(&self->field[a], false, LLFREE_AREA_FRAMES);
	llfree_field_fill(&self->field[a + 1], false, LLFREE_AREA_FRAMES);
	llfree_child_release(self, a + 1, c | LLFREE_CHILD_BUSY, free);
	llfree_child_release(self, a, c | LLFREE_CHILD_BUSY, free);
	return 2 * (int)LLFREE_AREA_FRAMES;
}

int llfree_lower_put(struct llfree *self, uint64_t frame, uint32_t order)
{
	uint64_t a = frame / LLFREE_AREA_FRAMES;
	uint32_t n = 1u << order, tries;
	int lost;

	if (order == LLFREE_HUGE_ORDER)
		return llfree_lower_put_area(self, a);
	if (order > LLFREE_HUGE_ORDER)
		return llfree_lower_put_pair(self, a);

	/*
	 * A base frame inside a huge allocation has the wrong order; the
	 * first base put into an area allocated at init makes it a base area
	 */
	for (tries = 0; tries < 4; tries++) {
		uint16_t c = llf_load_relaxed(&self->child[a]);

		if (!llfree_child_flags(c))
			break;
		if (c != llfree_child(0, LLFREE_CHILD_INIT))
			return LLFREE_ERR_FREE;
		if (llfree_child_swap(&self->child[a], c, llfree_child(0, 0)))
			break;
	}
	if (tries == 4)
		return LLFREE_ERR_FREE;
	lost = llfree_field_put(&self->field[a], frame % LLFREE_AREA_FRAMES,
				order);
	if (lost < 0)
		return LLFREE_ERR_FREE;
	if (lost)
		llf_report("area %llu: %d frames freed twice while being freed\n",
			   (unsigned long long)a, lost);
	llfree_child_give(&self->child[a], n - (uint32_t)lost);
	return (int)(n - (uint32_t)lost);
}

/* Tries of a split that finds the area BUSY (another core splits it) */
#define LLFREE_SPLIT_TRIES	256

int llfree_lower_split(struct llfree *self, uint64_t frame)
{
	const uint16_t huge = llfree_child(0, LLFREE_CHILD_HUGE);
	const uint16_t pair = llfree_child(0, LLFREE_CHILD_HUGE | LLFREE_CHILD_PAIR);
	const uint16_t init = llfree_child(0, LLFREE_CHILD_INIT);
	const uint16_t busy = LLFREE_CHILD_BUSY;
	uint64_t a = frame / LLFREE_AREA_FRAMES, b = a & ~1ull;
	uint32_t tries;

	for (tries = 0; tries < LLFREE_SPLIT_TRIES; tries++) {
		uint16_t c = llf_load_relaxed(&self->child[a]);

		if (c & busy) {
			llf_relax();
			continue;
		}
		if (c == huge) {
			if (!llfree_child_swap(&self->child[a], huge, huge | busy))
				continue;
			/* BUSY: the bits are ours; all set, as after init */
			llfree_field_fill(&self->field[a], true, LLFREE_AREA_FRAMES);
			llfree_child_release(self, a, huge | busy, init);
			return LLFREE_OK;
		}
		if (c == pair) {
			if (b + 1 >= self->areas ||
			    !llfree_child_swap(&self->child[b], pair, pair | busy))
				continue;
			if (!llfree_child_swap(&self->child[b + 1], pair,
					       pair | busy)) {
				llfree_child_release(self, b, pair | busy, pair);
				continue;
			}
			llfree_field_fill(&self->field[b], true, LLFREE_AREA_FRAMES);
			llfree_field_fill(&self->field[b + 1], true,
					  LLFREE_AREA_FRAMES);
			llfree_child_release(self, b + 1, pair | busy, init);
			llfree_child_release(self, b, pair | busy, init);
			return LLFREE_OK;
		}
		/* a base area or one from init: base puts apply already */
		return (c == init || !llfree_child_flags(c)) ? LLFREE_OK :
			LLFREE_ERR_FREE;
	}
	return LLFREE_ERR_FREE;
}

bool llfree_lower_is_free(const struct llfree *self, uint64_t frame,
			  uint32_t order)
{
	uint64_t a = frame / LLFREE_AREA_FRAMES;
	uint16_t c;

	if (order > LLFREE_HUGE_ORDER)
		return llfree_lower_is_free(self, frame, LLFREE_HUGE_ORDER) &&
		       llfree_lower_is_free(self, frame + LLFREE_AREA_FRAMES,
					    LLFREE_HUGE_ORDER);
	c = llf_load_relaxed(&self->child[a]);
	if (llfree_child_flags(c))
		return false;
	if (order == LLFREE_HUGE_ORDER)
		return llfree_child_free(c) == LLFREE_AREA_FRAMES;
	return llfree_field_is_free(&self->field[a], frame % LLFREE_AREA_FRAMES,
				    order);
}

int64_t llfree_lower_validate(const struct llfree *self, uint64_t tree)
{
	uint64_t a, end = (tree + 1) * LLFREE_TREE_AREAS;
	int64_t sum = 0;

	if (end > self->areas)
		end = self->areas;
	for (a = tree * LLFREE_TREE_AREAS; a < end; a++) {
		uint16_t c = llf_load_relaxed(&self->child[a]);
		uint32_t bits = llfree_field_count_free(&self->field[a]);
		uint32_t flags = llfree_child_flags(c), want = 0;
		bool ok;

		if (flags & LLFREE_CHILD_PAIR) {
			uint16_t p = llf_load_relaxed(&self->child[a ^ 1]);

			ok = (a ^ 1) < self->areas && p == c;
			want = LLFREE_CHILD_HUGE | LLFREE_CHILD_PAIR;
		} else {
			ok = true;
			want = flags & LLFREE_CHILD_HUGE;
		}
		if (flags & LLFREE_CHILD_INIT) {
			want = LLFREE_CHILD_INIT;
			ok &= !bits && !llfree_child_free(c);
		} else if (flags & LLFREE_CHILD_HUGE) {
			ok &= bits == LLFREE_AREA_FRAMES && !llfree_child_free(c);
		} else {
			ok &= llfree_child_free(c) == bits;
		}
		if (!ok || flags != want) {
			llf_warn("validate: area %llu: entry %#x, clear bits %u\n",
				 (unsigned long long)a, c, bits);
			return -1;
		}
		sum += llfree_child_free(c);
	}
	return sum;
}
