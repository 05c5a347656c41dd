// SPDX-License-Identifier: GPL-2.0
/*
 * LLFree lower level: bitfields and child entries of all areas.
 *
 * Counting rule: a child's free count never exceeds the clear bits of its
 * bitfield. get() lowers the count before it sets bits, put() clears bits
 * before it raises the count. So a huge allocation, which needs a count of
 * 512, never meets a base frame, and a base allocation that got its count
 * always finds a clear bit (order 0) or gives the count back.
 */
#include "lower.h"
#include "bitfield.h"
#include "child.h"

void llfree_lower_init(struct llfree *self, enum llfree_init_mode mode)
{
	uint64_t a;

	for (a = 0; a < self->areas; a++) {
		uint32_t cap = llfree_area_capacity(self, a);
		struct llfree_field *f = &self->field[a];
		uint16_t c;

		if (mode == LLFREE_INIT_RECOVER) {
			c = llf_load_relaxed(&self->child[a]);
			if (llfree_child_huge(c) && cap == LLFREE_AREA_FRAMES) {
				llfree_field_fill(f, false, cap);
				c = llfree_child(0, true);
			} else {
				llfree_field_mask_tail(f, cap);
				c = llfree_child(llfree_field_count_free(f),
						 false);
			}
		} else if (mode == LLFREE_INIT_ALLOC) {
			llfree_field_fill(f, true, cap);
			c = llfree_child(0, false);
		} else {
			llfree_field_fill(f, false, cap);
			c = llfree_child(cap, false);
		}
		llf_store_relaxed(&self->child[a], c);
	}
}

/* Base orders (0-8) in one area */
static int64_t llfree_lower_get_area(struct llfree *self, uint64_t a,
				     uint32_t order, uint32_t start_word)
{
	uint32_t n = 1u << order;
	int bit;

	if (!llfree_child_take(&self->child[a], n))
		return LLFREE_ERR_MEMORY;

	bit = llfree_field_get(&self->field[a], order, start_word);
	/* a count of one always has a bit to it; races only delay finding it */
	while (bit < 0 && order == 0)
		bit = llfree_field_get(&self->field[a], order, 0);
	if (bit < 0) {
		/* enough frames, but too fragmented for this order */
		llfree_child_give(&self->child[a], n);
		return LLFREE_ERR_MEMORY;
	}
	return (int64_t)(a * LLFREE_AREA_FRAMES + (uint32_t)bit);
}

static int64_t llfree_lower_get_huge(struct llfree *self, uint64_t a,
				     uint32_t order)
{
	if (llfree_area_capacity(self, a) != LLFREE_AREA_FRAMES)
		return LLFREE_ERR_MEMORY;
	if (order == LLFREE_HUGE_ORDER) {
		if (!llfree_child_take_huge(&self->child[a]))
			return LLFREE_ERR_MEMORY;
		return (int64_t)(a * LLFREE_AREA_FRAMES);
	}
	/* order 10: two adjacent children, the first one even */
	if (a % 2 || a + 1 >= self->areas ||
	    llfree_area_capacity(self, a + 1) != LLFREE_AREA_FRAMES)
		return LLFREE_ERR_MEMORY;
	if (!llfree_child_take_huge(&self->child[a]))
		return LLFREE_ERR_MEMORY;
	if (!llfree_child_take_huge(&self->child[a + 1])) {
		llfree_child_put_huge(&self->child[a]);
		return LLFREE_ERR_MEMORY;
	}
	return (int64_t)(a * LLFREE_AREA_FRAMES);
}

int64_t llfree_lower_get(struct llfree *self, uint64_t tree, uint64_t hint,
			 uint32_t order)
{
	uint64_t first = tree * LLFREE_TREE_AREAS;
	uint64_t count = self->areas - first;
	uint64_t start = hint / LLFREE_AREA_FRAMES;
	uint64_t i;

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

			frame = llfree_lower_get_area(self, a, order, word);
		}
		if (frame >= 0)
			return frame;
	}
	return LLFREE_ERR_MEMORY;
}

/*
 * Free area @a as one block: it was allocated as huge, or (after
 * LLFREE_INIT_ALLOC or 512 base allocations) all its bits are set.
 */
static int llfree_lower_put_area(struct llfree *self, uint64_t a, bool *huge)
{
	uint16_t c = llf_load_relaxed(&self->child[a]);

	*huge = llfree_child_huge(c);
	if (*huge)
		return llfree_child_put_huge(&self->child[a]) ?
		       LLFREE_OK : LLFREE_ERR_FREE;
	if (llfree_child_free(c) ||
	    llfree_area_capacity(self, a) != LLFREE_AREA_FRAMES ||
	    llfree_field_put(&self->field[a], 0, LLFREE_AREA_ORDER))
		return LLFREE_ERR_FREE;
	llfree_child_give(&self->child[a], LLFREE_AREA_FRAMES);
	return LLFREE_OK;
}

/* Undo llfree_lower_put_area() (after a lost race) */
static void llfree_lower_retake_area(struct llfree *self, uint64_t a,
				     bool huge)
{
	if (huge)
		llfree_child_take_huge(&self->child[a]);
	else if (llfree_child_take(&self->child[a], LLFREE_AREA_FRAMES))
		llfree_field_fill(&self->field[a], true, LLFREE_AREA_FRAMES);
}

int llfree_lower_put(struct llfree *self, uint64_t frame, uint32_t order)
{
	uint64_t a = frame / LLFREE_AREA_FRAMES;
	bool huge, huge2;
	uint16_t c;

	if (order == LLFREE_HUGE_ORDER)
		return llfree_lower_put_area(self, a, &huge);
	if (order > LLFREE_HUGE_ORDER) {
		if (llfree_lower_put_area(self, a, &huge))
			return LLFREE_ERR_FREE;
		if (llfree_lower_put_area(self, a + 1, &huge2)) {
			llfree_lower_retake_area(self, a, huge);
			return LLFREE_ERR_FREE;
		}
		return LLFREE_OK;
	}

	/* a base frame inside a huge allocation has the wrong order */
	c = llf_load_relaxed(&self->child[a]);
	if (llfree_child_huge(c))
		return LLFREE_ERR_FREE;
	if (llfree_field_put(&self->field[a], frame % LLFREE_AREA_FRAMES,
			     order))
		return LLFREE_ERR_FREE;
	llfree_child_give(&self->child[a], 1u << order);
	return LLFREE_OK;
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
	if (llfree_child_huge(c))
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

		if (llfree_child_huge(c)) {
			if (llfree_child_free(c) || bits != LLFREE_AREA_FRAMES) {
				llf_warn("validate: area %llu: huge, free %u, clear bits %u\n",
					 (unsigned long long)a,
					 llfree_child_free(c), bits);
				return -1;
			}
		} else if (llfree_child_free(c) != bits) {
			llf_warn("validate: area %llu: free %u, clear bits %u\n",
				 (unsigned long long)a, llfree_child_free(c),
				 bits);
			return -1;
		}
		sum += llfree_child_free(c);
	}
	return sum;
}
