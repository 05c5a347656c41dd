/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anker extents: per-mm sets of ranges that are contiguous both virtually
 * and physically.  The hooks the core kernel calls; see mm/anker_extents.c.
 */
#ifndef _LINUX_ANKER_EXTENTS_H
#define _LINUX_ANKER_EXTENTS_H

#include <linux/jump_label.h>
#include <linux/mm.h>

struct seq_file;
struct pid_namespace;
struct pid;
struct task_struct;

#ifdef CONFIG_ANKER_EXTENTS
DECLARE_STATIC_KEY_FALSE(anker_extents_key);

void __anker_extents_fault(struct vm_area_struct *vma, unsigned long address);
void __anker_extents_map(struct vm_fault *vmf, unsigned long addr,
			 unsigned long pfn, unsigned int nr);

/*
 * A fault handler has just installed @nr PTEs at @addr mapping the frames
 * from @pfn on, and still holds the page table lock: record them, so that
 * anker_extents_fault() need not read them again.
 */
static inline void anker_extents_map(struct vm_fault *vmf, unsigned long addr,
				     unsigned long pfn, unsigned int nr)
{
	if (static_branch_unlikely(&anker_extents_key) &&
	    READ_ONCE(vmf->vma->vm_mm->anker_extents))
		__anker_extents_map(vmf, addr, pfn, nr);
}

/*
 * After handle_mm_fault() installed a mapping: record it.  Only when the
 * fault succeeded and kept the mmap_lock / VMA lock (vma still valid).
 */
static inline void anker_extents_fault(struct vm_area_struct *vma,
				       unsigned long address, vm_fault_t ret)
{
	if (static_branch_unlikely(&anker_extents_key) &&
	    !(ret & (VM_FAULT_ERROR | VM_FAULT_RETRY | VM_FAULT_COMPLETED)) &&
	    READ_ONCE(vma->vm_mm->anker_extents))
		__anker_extents_fault(vma, address);
}

/* End of mm_init(): clear the copied pointer, inherit tracking. */
void anker_extents_mm_init(struct mm_struct *mm);

/* /proc/PID/extents */
int proc_pid_extents(struct seq_file *m, struct pid_namespace *ns,
		     struct pid *pid, struct task_struct *task);
#else
static inline void anker_extents_map(struct vm_fault *vmf, unsigned long addr,
				     unsigned long pfn, unsigned int nr)
{
}

static inline void anker_extents_fault(struct vm_area_struct *vma,
				       unsigned long address, vm_fault_t ret)
{
}

static inline void anker_extents_mm_init(struct mm_struct *mm)
{
}
#endif

#endif /* _LINUX_ANKER_EXTENTS_H */
