/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree lower level, part 1: the 512-bit bitfield of one area.
 * Bit set = frame allocated. Orders 0-6 are claimed with one CAS on one
 * word, orders 7 and 8 with one CAS per word (rolled back on conflict).
 */
#ifndef LLFREE_BITFIELD_H
#define LLFREE_BITFIELD_H

#include "llfree.h"

#define LLFREE_FIELD_WORDS	(LLFREE_AREA_FRAMES / 64)

/* Claim an aligned free block of 2^order bits (order <= 8), start near word
 * @start; returns its first bit or -1 when there is none.
 */
int llfree_field_get(struct llfree_field *f, uint32_t order, uint32_t start);

/* Orders 7 and 8: the same; *@lost counts frames freed twice by racing
 * puts while words were claimed: their counts were raised once too often
 * (then the result is -1)
 */
int llfree_field_get_words(struct llfree_field *f, uint32_t order,
			   uint32_t *lost);

/* Release the block at @bit (order <= 8); returns -1 (and changes nothing)
 * unless all of its bits were set, else the number of its frames that a
 * racing double free released first (0 normally): count those no more.
 */
int llfree_field_put(struct llfree_field *f, uint32_t bit, uint32_t order);

bool llfree_field_is_free(const struct llfree_field *f, uint32_t bit,
			  uint32_t order);

/* Number of clear bits */
uint32_t llfree_field_count_free(const struct llfree_field *f);

/* Set every bit (@allocated) or clear every bit below @valid (others set) */
void llfree_field_fill(struct llfree_field *f, bool allocated, uint32_t valid);

/* Set every bit at and above @valid (frames beyond the end of memory) */
void llfree_field_mask_tail(struct llfree_field *f, uint32_t valid);

#endif /* LLFREE_BITFIELD_H */
