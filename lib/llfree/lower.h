/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree lower level: bitfields and child entries of all areas. It knows
 * nothing of trees beyond which areas one covers, and nothing of cores.
 */
#ifndef LLFREE_LOWER_H
#define LLFREE_LOWER_H

#include "llfree.h"

/* Frames of @area that exist (512 but for a last, partial area) */
static inline uint32_t llfree_area_capacity(const struct llfree *self,
					    uint64_t area)
{
	uint64_t rest = self->frames - area * LLFREE_AREA_FRAMES;

	return rest < LLFREE_AREA_FRAMES ? (uint32_t)rest : LLFREE_AREA_FRAMES;
}

/* Set up bitfields and children; recover keeps bitfields and huge flags */
void llfree_lower_init(struct llfree *self, enum llfree_init_mode mode);

/*
 * Allocate 2^order frames inside tree @tree, searching from frame @hint.
 * The caller already took the frames from a tree or reservation counter.
 * Returns the first frame or LLFREE_ERR_MEMORY; then the caller gives back
 * all but *@lost frames (counted twice by a racing double free: dropped).
 */
int64_t llfree_lower_get(struct llfree *self, uint64_t tree, uint64_t hint,
			 uint32_t order, uint32_t *lost);

/*
 * Free a block (range and alignment already checked): returns how many
 * frames to count as free (2^order; fewer if a racing double free counted
 * some already) or LLFREE_ERR_FREE (then nothing changed).
 */
int llfree_lower_put(struct llfree *self, uint64_t frame, uint32_t order);

/* The huge allocation holding @frame -> INIT areas (see llfree_split()) */
int llfree_lower_split(struct llfree *self, uint64_t frame);

bool llfree_lower_is_free(const struct llfree *self, uint64_t frame,
			  uint32_t order);

/* Check children against bitfields; returns free frames of @tree or -1 */
int64_t llfree_lower_validate(const struct llfree *self, uint64_t tree);

#endif /* LLFREE_LOWER_H */
