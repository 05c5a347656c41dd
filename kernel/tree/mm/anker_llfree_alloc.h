/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree as the page-frame allocator (CONFIG_ANKER_LLFREE_ALLOC): the hooks
 * that mm/page_alloc.c and mm/mm_init.c call. See
 * Documentation/anker/llfree-kernel.rst.
 */
#ifndef _MM_ANKER_LLFREE_ALLOC_H
#define _MM_ANKER_LLFREE_ALLOC_H

#include <linux/jump_label.h>
#include <linux/mmzone.h>

#ifdef CONFIG_ANKER_LLFREE_ALLOC

DECLARE_STATIC_KEY_FALSE(anker_llfree_key);

/* True once LLFree serves every zone (not with anker_llfree=off) */
static __always_inline bool anker_llfree_enabled(void)
{
	return static_branch_likely(&anker_llfree_key);
}

void __init anker_llfree_boot_init(void);
struct page *anker_llfree_alloc(struct zone *zone, unsigned int order,
				int migratetype);
void anker_llfree_free(struct zone *zone, struct page *page,
		       unsigned long pfn, unsigned int order);

#else

static inline bool anker_llfree_enabled(void)
{
	return false;
}

static inline void anker_llfree_boot_init(void)
{
}

static inline struct page *anker_llfree_alloc(struct zone *zone,
					      unsigned int order,
					      int migratetype)
{
	return NULL;
}

static inline void anker_llfree_free(struct zone *zone, struct page *page,
				     unsigned long pfn, unsigned int order)
{
}

#endif /* CONFIG_ANKER_LLFREE_ALLOC */
#endif /* _MM_ANKER_LLFREE_ALLOC_H */
