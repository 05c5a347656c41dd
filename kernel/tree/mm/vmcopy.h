/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fork()'s page table copy engine, generalised so that the copy may be at
 * another address than the source: fork() copies to the same address of a
 * new mm, vmcopy(2) to another address of the same mm.  For mm/ only.
 */
#ifndef _MM_VMCOPY_H
#define _MM_VMCOPY_H

#include <linux/mm_types.h>
#include <linux/spinlock.h>

/* mm/memory.c: copy_page_range() of [addr, end) to dst_addr */
int copy_page_range_to(struct vm_area_struct *dst_vma,
		       struct vm_area_struct *src_vma, unsigned long addr,
		       unsigned long end, unsigned long dst_addr);

/* mm/huge_memory.c: copy_huge_pmd() to dst_addr */
int __copy_huge_pmd(struct mm_struct *dst_mm, struct mm_struct *src_mm,
		    pmd_t *dst_pmd, pmd_t *src_pmd, unsigned long addr,
		    unsigned long dst_addr, struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma);

/* mm/hugetlb.c: copy_hugetlb_page_range() of [start, end) to dst_start */
int __copy_hugetlb_page_range(struct mm_struct *dst, struct mm_struct *src,
			      struct vm_area_struct *dst_vma,
			      struct vm_area_struct *src_vma,
			      unsigned long start, unsigned long end,
			      unsigned long dst_start);

/*
 * Take the source's page table lock while holding the destination's.
 *
 * fork(): nobody else can reach the child's page tables yet, so the child's
 * lock is taken first and the parent's nested in it, as ever.
 *
 * vmcopy(): one mm, so both are locks of the same mm that other paths take
 * in pairs too; take them in address order, as UFFDIO_MOVE does
 * (double_pt_lock()): the destination's lock is dropped and taken again
 * after the source's if it is the higher one.  The caller holds the mmap
 * lock for writing and the destination VMA is new, so its page table cannot
 * go away meanwhile.  Source and destination may share a page table, and
 * so a lock.
 */
static inline void copy_lock_src_ptl(struct mm_struct *dst_mm,
				     struct mm_struct *src_mm,
				     spinlock_t *dst_ptl, spinlock_t *src_ptl)
{
	if (dst_mm == src_mm) {
		if (src_ptl == dst_ptl)
			return;
		if (src_ptl < dst_ptl) {
			spin_unlock(dst_ptl);
			spin_lock(src_ptl);
			spin_lock_nested(dst_ptl, SINGLE_DEPTH_NESTING);
			return;
		}
	}
	spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);
}

static inline void copy_unlock_src_ptl(spinlock_t *dst_ptl,
				       spinlock_t *src_ptl)
{
	if (src_ptl != dst_ptl)
		spin_unlock(src_ptl);
}

#endif /* _MM_VMCOPY_H */
