// SPDX-License-Identifier: GPL-2.0
/*
 * vmcopy(2): map a copy-on-write virtual copy of a range of the caller's
 * address space somewhere else in the same address space.
 *
 * The copy is made the way fork() copies an address space (dup_mmap() and
 * copy_page_range()): one new VMA per source VMA piece, mapping the same
 * file/pgoff/anon_vma, and the page tables of private memory are copied with
 * both sides write-protected.  fork()'s page table copier assumes that
 * source and destination are at the same address in two different mms;
 * here they are at different addresses in one mm, possibly sharing page
 * tables and page table locks, hence the walker below.
 *
 * Shared memory (and private memory that has no anonymous pages yet) is not
 * copied at the page table level: the new VMA maps the same object and page
 * faults fill it in, exactly as fork() does.
 *
 * See Documentation/anker/vmcopy.rst in the Anker repository.
 */
#include <linux/anker.h>
#include <linux/hugetlb.h>
#include <linux/huge_mm.h>
#include <linux/ksm.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/pgtable.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/security.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/syscalls.h>
#include <linux/userfaultfd_k.h>
#include <asm/pgalloc.h>
#include <asm/tlbflush.h>

#include "internal.h"

#define VMCOPY_FLAGS	(VMCOPY_FIXED | VMCOPY_FIXED_NOREPLACE)

/* VMAs we refuse to copy (EINVAL). */
#define VMCOPY_BAD_FLAGS	(VM_IO | VM_PFNMAP | VM_MIXEDMAP | VM_DONTCOPY | \
				 VM_DROPPABLE | VM_SHADOW_STACK)

struct vmcopy_src_info {
	unsigned long nr_vmas;		/* pieces, one new VMA each */
	unsigned long align;		/* alignment dst should share with src */
	unsigned long hp_align;		/* alignment dst must share (hugetlb) */
	bool populate;			/* a VM_LOCKED piece */
};

/* Can @vma (its part [start, end)) be copied? */
static int vmcopy_check_vma(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	if (vma->vm_flags & VMCOPY_BAD_FLAGS)
		return -EINVAL;
	/* Special mappings and drivers; hugetlbfs sets it too. */
	if ((vma->vm_flags & VM_DONTEXPAND) && !is_vm_hugetlb_page(vma))
		return -EINVAL;
#ifdef VM_SEALED
	if (vma->vm_flags & VM_SEALED)
		return -EINVAL;
#endif
	if (userfaultfd_armed(vma))
		return -EINVAL;
	if (vma_is_dax(vma))
		return -EINVAL;
	if (is_vm_hugetlb_page(vma)) {
		unsigned long sz = huge_page_size(hstate_vma(vma));

		if (!IS_ALIGNED(start, sz) || !IS_ALIGNED(end, sz))
			return -EINVAL;
	}
	return 0;
}

/* Check [start, end): no holes (ENOMEM), nothing unsupported (EINVAL). */
static int vmcopy_check_source(struct mm_struct *mm, unsigned long start,
			       unsigned long end, struct vmcopy_src_info *info)
{
	VMA_ITERATOR(vmi, mm, start);
	unsigned long addr = start;
	struct vm_area_struct *vma;
	int ret;

	memset(info, 0, sizeof(*info));
	info->align = PAGE_SIZE;
	info->hp_align = PAGE_SIZE;
	for_each_vma_range(vmi, vma, end) {
		unsigned long s = max(vma->vm_start, start);
		unsigned long e = min(vma->vm_end, end);

		if (vma->vm_start > addr)
			return -ENOMEM;
		ret = vmcopy_check_vma(vma, s, e);
		if (ret)
			return ret;
		if (is_vm_hugetlb_page(vma))
			info->hp_align = max(info->hp_align,
					     huge_page_size(hstate_vma(vma)));
		else if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) &&
			 end - start >= PMD_SIZE)
			info->align = max_t(unsigned long, info->align,
					    PMD_SIZE);
		if ((vma->vm_flags & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKED)
			info->populate = true;
		info->nr_vmas++;
		addr = e;
	}
	info->align = max(info->align, info->hp_align);
	return addr < end ? -ENOMEM : 0;
}

/*
 * Page table copy.  The caller holds the mmap lock for writing and has
 * write-locked the source VMA; src and dst are in the same mm.
 */
struct vmcopy_walk {
	struct vm_area_struct *src_vma;
	struct vm_area_struct *dst_vma;
	struct mm_struct *mm;
	bool cow;
	bool wrprotected;	/* a source entry lost its write bit */
};

static pmd_t *vmcopy_src_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;

	pgd = pgd_offset(mm, addr);
	if (pgd_none_or_clear_bad(pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none_or_clear_bad(p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	/* No PUD-sized pages in the VMAs we accept. */
	if (pud_none(*pud) || pud_trans_huge(*pud) || pud_devmap(*pud) ||
	    pud_bad(*pud))
		return NULL;
	return pmd_offset(pud, addr);
}

static pmd_t *vmcopy_dst_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;

	p4d = p4d_alloc(mm, pgd, addr);
	if (!p4d)
		return NULL;
	pud = pud_alloc(mm, p4d, addr);
	if (!pud)
		return NULL;
	return pmd_alloc(mm, pud, addr);
}

static struct folio *vmcopy_prealloc(struct vmcopy_walk *w, unsigned long daddr)
{
	struct folio *folio;

	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, w->dst_vma, daddr,
				false);
	if (!folio)
		return NULL;
	if (mem_cgroup_charge(folio, w->mm, GFP_KERNEL)) {
		folio_put(folio);
		return NULL;
	}
	folio_throttle_swaprate(folio, GFP_KERNEL);
	return folio;
}

/*
 * A possibly pinned anonymous exclusive page: the copy gets its own page
 * now, so that the pinned page stays the source's (as fork does).
 */
static int vmcopy_copy_page(struct vmcopy_walk *w, pte_t *dst_pte,
			    unsigned long daddr, struct page *page, int *rss,
			    struct folio **prealloc)
{
	struct folio *new_folio = *prealloc;
	pte_t pte;

	if (!new_folio)
		return -EAGAIN;
	if (copy_mc_user_highpage(&new_folio->page, page, daddr, w->src_vma))
		return -EHWPOISON;
	*prealloc = NULL;
	__folio_mark_uptodate(new_folio);
	folio_add_new_anon_rmap(new_folio, w->dst_vma, daddr, RMAP_EXCLUSIVE);
	folio_add_lru_vma(new_folio, w->dst_vma);
	rss[MM_ANONPAGES]++;

	pte = mk_pte(&new_folio->page, w->dst_vma->vm_page_prot);
	pte = maybe_mkwrite(pte_mkdirty(pte), w->dst_vma);
	set_pte_at(w->mm, daddr, dst_pte, pte);
	return 0;
}

static int vmcopy_present_pte(struct vmcopy_walk *w, pte_t *dst_pte,
			      pte_t *src_pte, pte_t pte, unsigned long addr,
			      unsigned long daddr, int *rss,
			      struct folio **prealloc)
{
	struct page *page;
	struct folio *folio;

	page = vm_normal_page(w->src_vma, addr, pte);
	if (page) {
		folio = page_folio(page);
		folio_get(folio);
		if (folio_test_anon(folio)) {
			if (unlikely(folio_try_dup_anon_rmap_pte(folio, page,
								 w->src_vma))) {
				/* Maybe pinned: copy it. */
				folio_put(folio);
				return vmcopy_copy_page(w, dst_pte, daddr, page,
							rss, prealloc);
			}
			rss[MM_ANONPAGES]++;
			VM_WARN_ON_FOLIO(PageAnonExclusive(page), folio);
		} else {
			folio_dup_file_rmap_pte(folio, page);
			rss[mm_counter_file(folio)]++;
		}
	}

	if (w->cow && pte_write(pte)) {
		ptep_set_wrprotect(w->mm, addr, src_pte);
		pte = pte_wrprotect(pte);
		w->wrprotected = true;
	}
	if (w->src_vma->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);
	/* The copy is never userfaultfd-registered. */
	pte = pte_clear_uffd_wp(pte);
	set_pte_at(w->mm, daddr, dst_pte, pte);
	return 0;
}

/*
 * Returns 0, -EIO (swap count continuation needed), -EBUSY (device exclusive
 * entry restored: retry), -EINVAL (an entry we do not copy).
 */
static int vmcopy_nonpresent_pte(struct vmcopy_walk *w, pte_t *dst_pte,
				 pte_t *src_pte, unsigned long addr,
				 unsigned long daddr, int *rss)
{
	pte_t orig_pte = ptep_get(src_pte);
	swp_entry_t entry = pte_to_swp_entry(orig_pte);
	pte_t pte = orig_pte;
	struct folio *folio;

	if (likely(!non_swap_entry(entry))) {
		if (swap_duplicate(entry) < 0)
			return -EIO;
		/* The mm is on swapoff's mmlist already: it swapped. */
		if (pte_swp_exclusive(orig_pte)) {
			pte = pte_swp_clear_exclusive(orig_pte);
			set_pte_at(w->mm, addr, src_pte, pte);
		}
		rss[MM_SWAPENTS]++;
	} else if (is_migration_entry(entry)) {
		folio = pfn_swap_entry_folio(entry);
		rss[mm_counter(folio)]++;
		if (!is_readable_migration_entry(entry) && w->cow) {
			/* Both sides map it read-only now. */
			entry = make_readable_migration_entry(swp_offset(entry));
			pte = swp_entry_to_pte(entry);
			if (pte_swp_soft_dirty(orig_pte))
				pte = pte_swp_mksoft_dirty(pte);
			if (pte_swp_uffd_wp(orig_pte))
				pte = pte_swp_mkuffd_wp(pte);
			set_pte_at(w->mm, addr, src_pte, pte);
		}
	} else if (is_device_private_entry(entry) ||
		   is_device_exclusive_entry(entry)) {
		return -EINVAL;
	} else if (is_pte_marker_entry(entry)) {
		pte_marker marker = copy_pte_marker(entry, w->dst_vma);

		if (marker)
			set_pte_at(w->mm, daddr, dst_pte,
				   make_pte_marker(marker));
		return 0;
	}
	/* Hardware poison entries are copied as they are. */
	pte = pte_swp_clear_uffd_wp(pte);
	set_pte_at(w->mm, daddr, dst_pte, pte);
	return 0;
}

static void vmcopy_add_rss(struct mm_struct *mm, int *rss)
{
	int i;

	for (i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(mm, i, rss[i]);
}

static int vmcopy_pte_range(struct vmcopy_walk *w, pmd_t *dst_pmd,
			    pmd_t *src_pmd, unsigned long addr,
			    unsigned long end, unsigned long daddr)
{
	struct mm_struct *mm = w->mm;
	pte_t *orig_src_pte, *orig_dst_pte, *src_pte, *dst_pte;
	spinlock_t *src_ptl, *dst_ptl;
	swp_entry_t entry = (swp_entry_t){0};
	struct folio *prealloc = NULL;
	int rss[NR_MM_COUNTERS];
	int progress, ret = 0;
	pte_t ptent;

again:
	progress = 0;
	memset(rss, 0, sizeof(rss));
	dst_pte = pte_alloc_map_lock(mm, dst_pmd, daddr, &dst_ptl);
	if (!dst_pte) {
		ret = -ENOMEM;
		goto out;
	}
	src_pte = pte_offset_map_nolock(mm, src_pmd, addr, &src_ptl);
	if (!src_pte) {
		pte_unmap_unlock(dst_pte, dst_ptl);
		goto out;
	}
	/* Source and copy may share a page table (VMCOPY_FIXED). */
	if (src_ptl != dst_ptl)
		spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);
	orig_src_pte = src_pte;
	orig_dst_pte = dst_pte;
	arch_enter_lazy_mmu_mode();

	do {
		if (progress >= 32) {
			progress = 0;
			if (need_resched() || spin_needbreak(src_ptl) ||
			    spin_needbreak(dst_ptl))
				break;
		}
		ptent = ptep_get(src_pte);
		if (pte_none(ptent)) {
			progress++;
			continue;
		}
		if (unlikely(!pte_present(ptent))) {
			ret = vmcopy_nonpresent_pte(w, dst_pte, src_pte, addr,
						    daddr, rss);
			if (ret == -EIO) {
				entry = pte_to_swp_entry(ptep_get(src_pte));
				break;
			}
			if (ret)
				break;
			progress += 8;
			continue;
		}
		ret = vmcopy_present_pte(w, dst_pte, src_pte, ptent, addr,
					 daddr, rss, &prealloc);
		if (unlikely(ret))
			break;
		if (unlikely(prealloc)) {
			/* Only good for the address it was allocated for. */
			folio_put(prealloc);
			prealloc = NULL;
		}
		progress += 8;
	} while (dst_pte++, src_pte++, daddr += PAGE_SIZE,
		 addr += PAGE_SIZE, addr != end);

	arch_leave_lazy_mmu_mode();
	if (src_ptl != dst_ptl)
		spin_unlock(src_ptl);
	pte_unmap(orig_src_pte);
	vmcopy_add_rss(mm, rss);
	pte_unmap_unlock(orig_dst_pte, dst_ptl);
	cond_resched();

	if (ret == -EIO) {
		if (add_swap_count_continuation(entry, GFP_KERNEL) < 0) {
			ret = -ENOMEM;
			goto out;
		}
		entry.val = 0;
	} else if (ret == -EAGAIN) {
		prealloc = vmcopy_prealloc(w, daddr);
		if (!prealloc)
			return -ENOMEM;
	} else if (ret) {
		goto out;
	}
	ret = 0;
	if (addr != end)
		goto again;
out:
	if (unlikely(prealloc))
		folio_put(prealloc);
	return ret;
}

/*
 * Copy a PMD-mapped THP (or huge zero page, or PMD migration entry) as a
 * PMD, like copy_huge_pmd() but for two addresses of one mm.  Returns 0 when
 * done, -EAGAIN when the caller must copy the range at the PTE level (the
 * source PMD was split), or -ENOMEM.
 */
static int vmcopy_huge_pmd(struct vmcopy_walk *w, pmd_t *dst_pmd,
			   pmd_t *src_pmd, unsigned long addr,
			   unsigned long daddr)
{
	struct mm_struct *mm = w->mm;
	spinlock_t *dst_ptl, *src_ptl;
	struct folio *src_folio;
	struct page *src_page;
	pgtable_t pgtable;
	int ret = -EAGAIN;
	pmd_t pmd;

	/* File THPs: the copy faults them in from the page cache. */
	if (!vma_is_anonymous(w->dst_vma))
		return 0;

	pgtable = pte_alloc_one(mm);
	if (unlikely(!pgtable))
		return -ENOMEM;

	dst_ptl = pmd_lock(mm, dst_pmd);
	src_ptl = pmd_lockptr(mm, src_pmd);
	if (src_ptl != dst_ptl)
		spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);

	pmd = *src_pmd;
	/* A page table left at the destination: copy PTEs instead. */
	if (!pmd_none(*dst_pmd))
		goto split;

#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
	if (unlikely(is_swap_pmd(pmd))) {
		swp_entry_t entry = pmd_to_swp_entry(pmd);

		VM_BUG_ON(!is_pmd_migration_entry(pmd));
		if (!is_readable_migration_entry(entry)) {
			entry = make_readable_migration_entry(swp_offset(entry));
			pmd = swp_entry_to_pmd(entry);
			if (pmd_swp_soft_dirty(*src_pmd))
				pmd = pmd_swp_mksoft_dirty(pmd);
			if (pmd_swp_uffd_wp(*src_pmd))
				pmd = pmd_swp_mkuffd_wp(pmd);
			set_pmd_at(mm, addr, src_pmd, pmd);
		}
		add_mm_counter(mm, MM_ANONPAGES, HPAGE_PMD_NR);
		mm_inc_nr_ptes(mm);
		pgtable_trans_huge_deposit(mm, dst_pmd, pgtable);
		pmd = pmd_swp_clear_uffd_wp(pmd);
		set_pmd_at(mm, daddr, dst_pmd, pmd);
		ret = 0;
		goto out_unlock;
	}
#endif
	if (unlikely(!pmd_trans_huge(pmd))) {
		/* Split meanwhile (it cannot, we hold the locks) or none. */
		pte_free(mm, pgtable);
		goto out_unlock;
	}

	if (is_huge_zero_pmd(pmd)) {
		mm_get_huge_zero_folio(mm);
		goto out_zero_page;
	}

	src_page = pmd_page(pmd);
	VM_BUG_ON_PAGE(!PageHead(src_page), src_page);
	src_folio = page_folio(src_page);
	folio_get(src_folio);
	if (unlikely(folio_try_dup_anon_rmap_pmd(src_folio, src_page,
						 w->src_vma))) {
		/* Maybe pinned: split the source and copy its PTEs. */
		folio_put(src_folio);
		goto split;
	}
	add_mm_counter(mm, MM_ANONPAGES, HPAGE_PMD_NR);
out_zero_page:
	mm_inc_nr_ptes(mm);
	pgtable_trans_huge_deposit(mm, dst_pmd, pgtable);
	if (pmd_write(pmd)) {
		pmdp_set_wrprotect(mm, addr, src_pmd);
		w->wrprotected = true;
	}
	pmd = pmd_clear_uffd_wp(pmd);
	pmd = pmd_wrprotect(pmd);
	pmd = pmd_mkold(pmd);
	set_pmd_at(mm, daddr, dst_pmd, pmd);
	ret = 0;
out_unlock:
	if (src_ptl != dst_ptl)
		spin_unlock(src_ptl);
	spin_unlock(dst_ptl);
	return ret;

split:
	pte_free(mm, pgtable);
	if (src_ptl != dst_ptl)
		spin_unlock(src_ptl);
	spin_unlock(dst_ptl);
	__split_huge_pmd(w->src_vma, src_pmd, addr, false, NULL);
	return -EAGAIN;
}

/* Copy [addr, end), which lies in one PMD of the source and of the copy. */
static int vmcopy_pmd(struct vmcopy_walk *w, unsigned long addr,
		      unsigned long end, unsigned long daddr)
{
	pmd_t *src_pmd, *dst_pmd;
	pmd_t pmdval;
	int ret;

	src_pmd = vmcopy_src_pmd(w->mm, addr);
	if (!src_pmd)
		return 0;
	pmdval = pmdp_get_lockless(src_pmd);
	if (pmd_none(pmdval))
		return 0;
	dst_pmd = vmcopy_dst_pmd(w->mm, daddr);
	if (!dst_pmd)
		return -ENOMEM;

	if (is_swap_pmd(pmdval) || pmd_trans_huge(pmdval) ||
	    pmd_devmap(pmdval)) {
		if (end - addr == HPAGE_PMD_SIZE &&
		    IS_ALIGNED(daddr, HPAGE_PMD_SIZE)) {
			ret = vmcopy_huge_pmd(w, dst_pmd, src_pmd, addr, daddr);
			if (ret != -EAGAIN)
				return ret;
		} else {
			/*
			 * The range starts or ends inside the huge page, or
			 * the copy is not aligned like the source: map it
			 * with PTEs (the folio itself is not split).
			 */
			split_huge_pmd(w->src_vma, src_pmd, addr);
		}
	}
	if (pmd_none_or_clear_bad(src_pmd))
		return 0;
	return vmcopy_pte_range(w, dst_pmd, src_pmd, addr, end, daddr);
}

#ifdef CONFIG_HUGETLB_PAGE
/*
 * Private hugetlb mappings, like copy_hugetlb_page_range() but for two
 * addresses of one mm.  A possibly pinned anonymous page is -EBUSY (fork
 * copies it; we do not allocate hugetlb pages behind the caller's back).
 */
static int vmcopy_hugetlb(struct vm_area_struct *dst_vma,
			  struct vm_area_struct *src_vma, unsigned long addr,
			  unsigned long end, unsigned long daddr)
{
	struct mm_struct *mm = src_vma->vm_mm;
	struct hstate *h = hstate_vma(src_vma);
	unsigned long sz = huge_page_size(h);
	unsigned long npages = pages_per_huge_page(h);
	struct mmu_notifier_range range;
	unsigned long start = addr;
	spinlock_t *src_ptl, *dst_ptl;
	pte_t *src_pte, *dst_pte, entry;
	bool wrprotected = false;
	struct folio *folio;
	int ret = 0;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, addr, end);
	mmu_notifier_invalidate_range_start(&range);
	vma_assert_write_locked(src_vma);
	raw_write_seqcount_begin(&mm->write_protect_seq);

	for (; addr < end; addr += sz, daddr += sz) {
		src_pte = hugetlb_walk(src_vma, addr, sz);
		if (!src_pte)
			continue;
		dst_pte = huge_pte_alloc(mm, dst_vma, daddr, sz);
		if (!dst_pte) {
			ret = -ENOMEM;
			break;
		}
		dst_ptl = huge_pte_lock(h, mm, dst_pte);
		src_ptl = huge_pte_lockptr(h, mm, src_pte);
		if (src_ptl != dst_ptl)
			spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);
		entry = huge_ptep_get(mm, addr, src_pte);
		if (huge_pte_none(entry)) {
			;
		} else if (unlikely(is_hugetlb_entry_hwpoisoned(entry))) {
			set_huge_pte_at(mm, daddr, dst_pte, entry, sz);
		} else if (unlikely(is_hugetlb_entry_migration(entry))) {
			swp_entry_t swp = pte_to_swp_entry(entry);

			if (!is_readable_migration_entry(swp)) {
				swp = make_readable_migration_entry(swp_offset(swp));
				entry = swp_entry_to_pte(swp);
				set_huge_pte_at(mm, addr, src_pte, entry, sz);
			}
			entry = pte_swp_clear_uffd_wp(entry);
			set_huge_pte_at(mm, daddr, dst_pte, entry, sz);
		} else if (unlikely(is_pte_marker(entry))) {
			pte_marker marker = copy_pte_marker(pte_to_swp_entry(entry),
							    dst_vma);

			if (marker)
				set_huge_pte_at(mm, daddr, dst_pte,
						make_pte_marker(marker), sz);
		} else {
			folio = page_folio(pte_page(entry));
			folio_get(folio);
			if (!folio_test_anon(folio)) {
				hugetlb_add_file_rmap(folio);
			} else if (hugetlb_try_dup_anon_rmap(folio, src_vma)) {
				folio_put(folio);
				ret = -EBUSY;
			}
			if (!ret) {
				if (huge_pte_write(entry)) {
					huge_ptep_set_wrprotect(mm, addr, src_pte);
					entry = huge_pte_wrprotect(entry);
					wrprotected = true;
				}
				entry = huge_pte_clear_uffd_wp(entry);
				set_huge_pte_at(mm, daddr, dst_pte, entry, sz);
				hugetlb_count_add(npages, mm);
			}
		}
		if (src_ptl != dst_ptl)
			spin_unlock(src_ptl);
		spin_unlock(dst_ptl);
		if (ret)
			break;
		cond_resched();
	}

	if (wrprotected)
		flush_hugetlb_tlb_range(src_vma, start, end);
	raw_write_seqcount_end(&mm->write_protect_seq);
	mmu_notifier_invalidate_range_end(&range);
	return ret;
}
#else
static int vmcopy_hugetlb(struct vm_area_struct *dst_vma,
			  struct vm_area_struct *src_vma, unsigned long addr,
			  unsigned long end, unsigned long daddr)
{
	return -EINVAL;
}
#endif

/* Copy the page tables of [addr, end) of src_vma to daddr in dst_vma. */
static int vmcopy_page_range(struct vm_area_struct *dst_vma,
			     struct vm_area_struct *src_vma,
			     unsigned long addr, unsigned long end,
			     unsigned long daddr)
{
	struct vmcopy_walk w = {
		.src_vma = src_vma,
		.dst_vma = dst_vma,
		.mm = src_vma->vm_mm,
		.cow = is_cow_mapping(src_vma->vm_flags),
	};
	unsigned long start = addr;
	struct mmu_notifier_range range;
	int ret = 0;

	/* Nothing that a page fault would not fill in (as in fork). */
	if (!src_vma->anon_vma)
		return 0;
	if (is_vm_hugetlb_page(src_vma))
		return w.cow ? vmcopy_hugetlb(dst_vma, src_vma, addr, end, daddr) : 0;

	if (w.cow) {
		mmu_notifier_range_init(&range, MMU_NOTIFY_PROTECTION_PAGE, 0,
					w.mm, addr, end);
		mmu_notifier_invalidate_range_start(&range);
		vma_assert_write_locked(src_vma);
		raw_write_seqcount_begin(&w.mm->write_protect_seq);
	}

	while (addr < end) {
		unsigned long next = pmd_addr_end(addr, end);
		unsigned long dnext = pmd_addr_end(daddr, daddr + (next - addr));

		next = addr + (dnext - daddr);
		ret = vmcopy_pmd(&w, addr, next, daddr);
		if (ret)
			break;
		daddr = dnext;
		addr = next;
	}

	if (w.cow) {
		/*
		 * No writable TLB entry of the source may outlive the call
		 * (not needed if all was read-only already, e.g. copied before).
		 */
		if (w.wrprotected)
			flush_tlb_range(src_vma, start, end);
		raw_write_seqcount_end(&w.mm->write_protect_seq);
		mmu_notifier_invalidate_range_end(&range);
	}
	return ret;
}

/* The new VMA mapping [dst, dst + (end - start)) like src_vma maps [start, end). */
static struct vm_area_struct *vmcopy_new_vma(struct vm_area_struct *src_vma,
					     unsigned long start,
					     unsigned long end,
					     unsigned long dst)
{
	struct mm_struct *mm = src_vma->vm_mm;
	struct vm_area_struct *vma;
	pgoff_t pgoff;

	pgoff = src_vma->vm_pgoff + ((start - src_vma->vm_start) >> PAGE_SHIFT);
	vma = vm_area_dup(src_vma);
	if (!vma)
		return NULL;
	vma_set_range(vma, dst, dst + (end - start), pgoff);
	if (vma_dup_policy(src_vma, vma))
		goto out_free_vma;
	/* Same pgoffs, same anon_vma chain: rmap finds both sides. */
	if (anon_vma_clone(vma, src_vma))
		goto out_free_mempol;
	if (is_vm_hugetlb_page(vma))
		hugetlb_dup_vma_private(vma);
	if (vma->vm_file)
		get_file(vma->vm_file);
	if (vma->vm_ops && vma->vm_ops->open)
		vma->vm_ops->open(vma);
	if (vma_link(mm, vma))
		goto out_vma_link;
	return vma;

out_vma_link:
	vma_close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	unlink_anon_vmas(vma);
out_free_mempol:
	mpol_put(vma_policy(vma));
out_free_vma:
	vm_area_free(vma);
	return NULL;
}

/* Copy one source VMA piece [start, end) to dst; accounted like mmap. */
static int vmcopy_one(struct vm_area_struct *src_vma, unsigned long start,
		      unsigned long end, unsigned long dst)
{
	struct mm_struct *mm = src_vma->vm_mm;
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	vm_flags_t flags = src_vma->vm_flags;
	vm_flags_t ksm_flags = flags;
	struct vm_area_struct *vma;
	int err;

	if (mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	/*
	 * Break KSM pages in the source range first, as mremap does: KSM's
	 * rmap knows one address per page and would never find the copy.
	 * The source stays mergeable (ksm_flags is a local copy).
	 */
	err = ksm_madvise(src_vma, start, end, MADV_UNMERGEABLE, &ksm_flags);
	if (err)
		return err;
	if (!may_expand_vm(mm, flags, npages))
		return -ENOMEM;
	if (flags & VM_LOCKED) {
		if (!mlock_future_ok(mm, flags, end - start))
			return -EAGAIN;
	}
	if ((flags & VM_ACCOUNT) && security_vm_enough_memory_mm(mm, npages))
		return -ENOMEM;

	vma = vmcopy_new_vma(src_vma, start, end, dst);
	if (!vma) {
		if (flags & VM_ACCOUNT)
			vm_unacct_memory(npages);
		return -ENOMEM;
	}
	/* From here on munmap() of the copy undoes the accounting. */
	vm_stat_account(mm, flags, npages);
	if (flags & VM_LOCKED)
		mm->locked_vm += npages;

	/* Excludes page faults under the per-VMA lock, as fork does. */
	vma_start_write(src_vma);
	return vmcopy_page_range(vma, src_vma, start, end, dst);
}

/*
 * Pick the copy's address: free, and with the same offset modulo @align as
 * the source, so that huge pages can be mapped at the same size.
 */
static unsigned long vmcopy_get_area(struct mm_struct *mm, unsigned long hint,
				     unsigned long src, unsigned long len,
				     unsigned long align)
{
	unsigned long addr;

	if (hint && IS_ALIGNED(hint - src, align)) {
		addr = mm_get_unmapped_area(mm, NULL, hint, len, 0, 0);
		if (addr == hint)
			return addr;
	}
	if (align <= PAGE_SIZE)
		return mm_get_unmapped_area(mm, NULL, 0, len, 0, 0);
	if (len + align < len)
		return -ENOMEM;
	addr = mm_get_unmapped_area(mm, NULL, 0, len + align, 0, 0);
	if (IS_ERR_VALUE(addr))
		return addr;
	return addr + ((src - addr) & (align - 1));
}

static unsigned long vmcopy_locked(struct mm_struct *mm, unsigned long src,
				   unsigned long len, unsigned long dst,
				   unsigned int flags, bool *populate,
				   struct list_head *uf)
{
	struct vmcopy_src_info info;
	unsigned long end = src + len;
	unsigned long addr;
	int ret;

	ret = vmcopy_check_source(mm, src, end, &info);
	if (ret)
		return ret;
	/* Early checks; VMCOPY_FIXED may free room first (checked per piece) */
	if (!(flags & VMCOPY_FIXED)) {
		if (mm->map_count + info.nr_vmas > sysctl_max_map_count)
			return -ENOMEM;
		if (!may_expand_vm(mm, 0, len >> PAGE_SHIFT))
			return -ENOMEM;
	}

	if (flags & (VMCOPY_FIXED | VMCOPY_FIXED_NOREPLACE)) {
		/* hugetlb pages must stay aligned; THPs are split if not */
		if (!IS_ALIGNED(dst - src, info.hp_align))
			return -EINVAL;
		ret = security_mmap_addr(dst);
		if (ret)
			return ret;
		if (flags & VMCOPY_FIXED_NOREPLACE) {
			if (find_vma_intersection(mm, dst, dst + len))
				return -EEXIST;
		} else {
			ret = do_munmap(mm, dst, len, uf);
			if (ret)
				return ret;
		}
	} else {
		dst = vmcopy_get_area(mm, dst, src, len, info.align);
		if (IS_ERR_VALUE(dst))
			return dst;
		ret = security_mmap_addr(dst);
		if (ret)
			return ret;
	}

	for (addr = src; addr < end; ) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long e = min(vma->vm_end, end);

		ret = vmcopy_one(vma, addr, e, dst + (addr - src));
		if (ret) {
			do_munmap(mm, dst, len, uf);
			return ret;
		}
		addr = e;
	}
	*populate = info.populate;
	return dst;
}

SYSCALL_DEFINE4(vmcopy, unsigned long, src, unsigned long, len,
		unsigned long, dst, unsigned int, flags)
{
	struct mm_struct *mm = current->mm;
	bool populate = false;
	unsigned long ret;
	LIST_HEAD(uf);

	if (flags & ~VMCOPY_FLAGS)
		return -EINVAL;
	if ((flags & VMCOPY_FIXED) && (flags & VMCOPY_FIXED_NOREPLACE))
		return -EINVAL;
	src = untagged_addr(src);
	dst = untagged_addr(dst);
	if (offset_in_page(src) || !len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len || src + len < src)
		return -EINVAL;
	if (src + len > TASK_SIZE)
		return -ENOMEM;
	if (flags) {
		if (offset_in_page(dst) || dst + len < dst ||
		    dst + len > TASK_SIZE)
			return -EINVAL;
		/* The copy may not overlap the source. */
		if (dst < src + len && src < dst + len)
			return -EINVAL;
	} else {
		dst = offset_in_page(dst) ? 0 : dst;
	}

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	ret = vmcopy_locked(mm, src, len, dst, flags, &populate, &uf);
	mmap_write_unlock(mm);
	userfaultfd_unmap_complete(mm, &uf);
	if (!IS_ERR_VALUE(ret) && populate)
		mm_populate(ret, len);
	return ret;
}

static int __init vmcopy_init(void)
{
	return anker_feature_add("vmcopy", "syscall %d", ANKER_NR_vmcopy);
}
late_initcall(vmcopy_init);
