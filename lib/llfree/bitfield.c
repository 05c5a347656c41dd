// SPDX-License-Identifier: GPL-2.0
/*
 * LLFree lower level, part 1: the 512-bit bitfield of one area.
 */
#include "bitfield.h"

/* Bits at the start of every aligned block of 2^order bits in a word */
static const uint64_t llfree_align_mask[7] = {
	0xffffffffffffffffull, 0x5555555555555555ull, 0x1111111111111111ull,
	0x0101010101010101ull, 0x0001000100010001ull, 0x0000000100000001ull,
	0x0000000000000001ull,
};

static inline uint64_t llfree_block_mask(uint32_t order)
{
	return order >= 6 ? ~0ull : (1ull << (1u << order)) - 1;
}

/* First bit of a free aligned block of 2^order bits in @w, or -1 */
static inline int llfree_word_find(uint64_t w, uint32_t order)
{
	uint64_t free = ~w;
	uint32_t s;

	/* afterwards bit i is set iff bits i .. i + 2^order - 1 are clear */
	for (s = 1; s < (1u << order); s <<= 1)
		free &= free >> s;
	free &= llfree_align_mask[order];
	return free ? (int)llf_ctz64(free) : -1;
}

static int llfree_field_get_small(struct llfree_field *f, uint32_t order,
				  uint32_t start)
{
	uint64_t mask = llfree_block_mask(order);
	uint32_t i;

	for (i = 0; i < LLFREE_FIELD_WORDS; i++) {
		uint32_t wi = (start + i) % LLFREE_FIELD_WORDS;
		uint64_t w = llf_load_relaxed(&f->word[wi]);
		int bit;

		while ((bit = llfree_word_find(w, order)) >= 0) {
			if (llf_cas(&f->word[wi], &w, w | (mask << bit)))
				return (int)(wi * 64 + bit);
		}
	}
	return -1;
}

/*
 * Release words claimed by llfree_field_get_words(); returns how many of
 * their bits were cleared by others meanwhile: a racing put of a frame that
 * was free (a double free) saw the bit set and counted the frame again.
 */
static uint32_t llfree_field_unclaim(struct llfree_field *f, uint32_t first,
				     uint32_t n)
{
	uint32_t i, lost = 0;

	for (i = 0; i < n; i++)
		lost += 64 - llf_popcount64(llf_xchg(&f->word[first + i], 0));
	return lost;
}

/*
 * Orders 7 and 8: 2 or 4 whole words, claimed one by one with a CAS from 0.
 * A block is handed out only if all its words are still ours once claimed;
 * otherwise the claimed words are released (*lost: see above).
 */
int llfree_field_get_words(struct llfree_field *f, uint32_t order,
			   uint32_t *lost)
{
	uint32_t n = 1u << (order - 6);
	uint32_t b, i;

	for (b = 0; b < LLFREE_FIELD_WORDS; b += n) {
		for (i = 0; i < n; i++) {
			uint64_t w = 0;

			if (!llf_cas_strong(&f->word[b + i], &w, ~0ull))
				break;
		}
		if (i == n) {
			while (i && llf_load(&f->word[b + i - 1]) == ~0ull)
				i--;
			if (!i)
				return (int)(b * 64);
			i = n;
		}
		if (i) {
			*lost += llfree_field_unclaim(f, b, i);
			if (*lost)
				return -1;	/* the caller reports it */
		}
	}
	return -1;
}

int llfree_field_get(struct llfree_field *f, uint32_t order, uint32_t start)
{
	uint32_t lost = 0;

	if (order <= 6)
		return llfree_field_get_small(f, order, start);
	return llfree_field_get_words(f, order, &lost);
}

int llfree_field_put(struct llfree_field *f, uint32_t bit, uint32_t order)
{
	uint32_t wi = bit / 64;

	if (order <= 6) {
		uint64_t mask = llfree_block_mask(order) << (bit % 64);
		uint64_t w = llf_load_relaxed(&f->word[wi]);

		do {
			if ((w & mask) != mask)
				return -1;
		} while (!llf_cas(&f->word[wi], &w, w & ~mask));
		return 0;
	}

	{
		uint32_t n = 1u << (order - 6);
		uint32_t i, lost = 0;

		for (i = 0; i < n; i++) {
			if (llf_load_relaxed(&f->word[wi + i]) != ~0ull)
				return -1;
		}
		/*
		 * All set: the block is allocated. A bit cleared from now on
		 * by another put is a racing double free: that put counted
		 * its frame, so this one counts it no more (no rollback that
		 * could undo other cores' changes).
		 */
		for (i = 0; i < n; i++)
			lost += 64 - llf_popcount64(llf_xchg(&f->word[wi + i], 0));
		return (int)lost;
	}
}

bool llfree_field_is_free(const struct llfree_field *f, uint32_t bit,
			  uint32_t order)
{
	uint32_t wi = bit / 64;

	if (order <= 6) {
		uint64_t mask = llfree_block_mask(order) << (bit % 64);

		return (llf_load_relaxed(&f->word[wi]) & mask) == 0;
	}
	{
		uint32_t n = 1u << (order - 6);
		uint32_t i;

		for (i = 0; i < n && wi + i < LLFREE_FIELD_WORDS; i++) {
			if (llf_load_relaxed(&f->word[wi + i]))
				return false;
		}
	}
	return true;
}

uint32_t llfree_field_count_free(const struct llfree_field *f)
{
	uint32_t i, used = 0;

	for (i = 0; i < LLFREE_FIELD_WORDS; i++)
		used += llf_popcount64(llf_load_relaxed(&f->word[i]));
	return LLFREE_AREA_FRAMES - used;
}

void llfree_field_mask_tail(struct llfree_field *f, uint32_t valid)
{
	uint32_t i;

	for (i = 0; i < LLFREE_FIELD_WORDS; i++) {
		uint64_t w = llf_load_relaxed(&f->word[i]);

		if (valid <= i * 64)
			w = ~0ull;
		else if (valid < (i + 1) * 64)
			w |= ~0ull << (valid % 64);
		llf_store_relaxed(&f->word[i], w);
	}
}

void llfree_field_fill(struct llfree_field *f, bool allocated, uint32_t valid)
{
	uint32_t i;

	for (i = 0; i < LLFREE_FIELD_WORDS; i++)
		llf_store_relaxed(&f->word[i], allocated ? ~0ull : 0);
	if (!allocated)
		llfree_field_mask_tail(f, valid);
}
