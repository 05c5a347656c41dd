/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Morsels: hooks for core mm. A morsel mapping's upper-level entries
 * point at page tables the morsel owns and shares between processes;
 * core mm must neither zap nor free them as the process's own.
 */
#ifndef _LINUX_ANKER_MORSEL_H
#define _LINUX_ANKER_MORSEL_H

#include <linux/mm_types.h>

struct mmu_gather;
struct zap_details;

#ifdef CONFIG_ANKER_MORSEL
extern const struct vm_operations_struct morsel_vm_ops;

static inline bool vma_is_morsel(struct vm_area_struct *vma)
{
	return vma->vm_ops == &morsel_vm_ops;
}

void morsel_zap(struct mmu_gather *tlb, struct vm_area_struct *vma,
		unsigned long start, unsigned long end,
		struct zap_details *details);
#else
static inline bool vma_is_morsel(struct vm_area_struct *vma)
{
	return false;
}

static inline void morsel_zap(struct mmu_gather *tlb,
			      struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, struct zap_details *details)
{
}
#endif

#endif /* _LINUX_ANKER_MORSEL_H */
