// SPDX-License-Identifier: GPL-2.0
/*
 * vmcopy(2): map a copy-on-write virtual copy of a range of the caller's
 * address space somewhere else in the same address space.
 *
 * The copy is made the way fork() copies an address space (dup_mmap() and
 * copy_page_range()): one new VMA per source VMA piece, mapping the same
 * file/pgoff/anon_vma, and the page tables of private memory are copied with
 * both sides write-protected, by fork()'s own engine (copy_page_range_to(),
 * mm/vmcopy.h), which takes a destination address other than the source's.
 *
 * Shared memory (and private memory that has no anonymous pages yet) is not
 * copied at the page table level: the new VMA maps the same object and page
 * faults fill it in, exactly as fork() does.
 *
 * See Documentation/anker/vmcopy.rst in the Anker repository.
 */
#include <linux/anker.h>
#include <linux/hugetlb.h>
#include <linux/ksm.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/perf_event.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/syscalls.h>
#include <linux/userfaultfd_k.h>
#include <asm/tlbflush.h>

#include "internal.h"
#include "vmcopy.h"

#define VMCOPY_FLAGS	(VMCOPY_FIXED | VMCOPY_FIXED_NOREPLACE)

/* VMAs we refuse to copy (EINVAL). */
#define VMCOPY_BAD_FLAGS	(VM_IO | VM_PFNMAP | VM_MIXEDMAP | VM_DONTCOPY | \
				 VM_DROPPABLE | VM_SHADOW_STACK)

struct vmcopy_src_info {
	unsigned long nr_vmas;		/* pieces, one new VMA each */
	unsigned long align;		/* alignment dst should share with src */
	unsigned long hp_align;		/* alignment dst must share (hugetlb) */
	bool populate;			/* a VM_LOCKED (not on fault) piece */
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
	/* mseal(2): the source's page tables would change (write-protect). */
	if (!can_modify_vma(vma))
		return -EINVAL;
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
 * Copy the page tables of [start, end) of src_vma to dst in dst_vma with
 * fork()'s engine, a chunk at a time: a fatal signal ends the copy (-EINTR)
 * between two chunks.  A chunk is a multiple of the huge page size.
 */
#define VMCOPY_CHUNK	(32UL << 20)

static int vmcopy_page_range(struct vm_area_struct *dst_vma,
			     struct vm_area_struct *src_vma,
			     unsigned long start, unsigned long end,
			     unsigned long dst)
{
	unsigned long chunk = max(VMCOPY_CHUNK, vma_kernel_pagesize(src_vma));
	unsigned long addr, next;
	int ret = 0;

	/* Nothing that a page fault would not fill in (as in fork). */
	if (!src_vma->anon_vma)
		return 0;

	for (addr = start; addr < end; addr = next) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		next = min(ALIGN(addr + 1, chunk), end);
		ret = copy_page_range_to(dst_vma, src_vma, addr, next,
					 dst + (addr - start));
		if (ret)
			break;
	}
	/*
	 * fork() flushes the parent's TLB at the end of dup_mmap(): no
	 * writable TLB entry of the source may outlive the call.
	 */
	if (is_cow_mapping(src_vma->vm_flags) && addr > start)
		flush_tlb_range(src_vma, start, addr);
	return ret;
}

/*
 * The new VMA mapping [dst, dst + (end - start)) like src_vma maps
 * [start, end): copy_vma() (mremap's helper: policy, anon_vma chain, file,
 * ->open, linked; merged with a neighbour where it can be), then what
 * mmap_region() gives every new mapping.
 */
static struct vm_area_struct *vmcopy_new_vma(struct vm_area_struct *src_vma,
					     unsigned long start,
					     unsigned long end,
					     unsigned long dst)
{
	struct vm_area_struct *vma;
	bool need_rmap_locks;
	pgoff_t pgoff;

	pgoff = src_vma->vm_pgoff + ((start - src_vma->vm_start) >> PAGE_SHIFT);
	/* keep_source: never merged with the source itself */
	vma = copy_vma(&src_vma, dst, end - start, pgoff, &need_rmap_locks,
		       true);
	if (!vma)
		return NULL;
	/*
	 * A private hugetlb copy does not own the source's reservations (a
	 * fork child does not either); hugetlb VMAs are never merged.
	 */
	if (is_vm_hugetlb_page(vma))
		clear_vma_resv_huge_pages(vma);
	perf_event_mmap(vma);
	vm_flags_set(vma, VM_SOFTDIRTY);
	vma_set_page_prot(vma);
	khugepaged_enter_vma(vma, vma->vm_flags);
	return vma;
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
		/* + 2: splits to undo a copy merged with its neighbours */
		if (mm->map_count + info.nr_vmas + 2 > sysctl_max_map_count)
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

		ret = fatal_signal_pending(current) ? -EINTR :
			vmcopy_one(vma, addr, e, dst + (addr - src));
		if (ret) {
			int err;

			/*
			 * Nothing new stays mapped.  The headroom checked
			 * above leaves room for the splits at both ends (the
			 * copy may have merged with a neighbour), so only an
			 * allocation can fail here; then that error is ours.
			 */
			err = do_munmap(mm, dst, len, uf);
			return err ? err : ret;
		}
		addr = e;
	}
	*populate = info.populate;
	return dst;
}

/*
 * Fault in the locked pieces of the copy [start, end), as mmap(MAP_LOCKED)
 * does; the others stay copy-on-write shared with the source.
 */
static void vmcopy_populate(struct mm_struct *mm, unsigned long start,
			    unsigned long end)
{
	unsigned long addr = start;

	while (addr < end) {
		struct vm_area_struct *vma;
		unsigned long s, e;

		if (fatal_signal_pending(current))
			return;
		mmap_read_lock(mm);
		for (vma = find_vma_intersection(mm, addr, end); vma;
		     vma = find_vma_intersection(mm, vma->vm_end, end))
			if ((vma->vm_flags & (VM_LOCKED | VM_LOCKONFAULT)) ==
			    VM_LOCKED)
				break;
		if (!vma) {
			mmap_read_unlock(mm);
			return;
		}
		s = max(vma->vm_start, addr);
		e = min(vma->vm_end, end);
		mmap_read_unlock(mm);
		mm_populate(s, e - s);
		addr = e;
	}
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
		vmcopy_populate(mm, ret, ret + len);
	return ret;
}

static int __init vmcopy_init(void)
{
	return anker_feature_add("vmcopy", "syscall %d", ANKER_NR_vmcopy);
}
late_initcall(vmcopy_init);
