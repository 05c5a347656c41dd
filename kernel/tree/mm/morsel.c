// SPDX-License-Identifier: GPL-2.0
/*
 * Morsels: memory objects made of whole page-table subtrees.
 *
 * A morsel of level PMD is an array of 2 MiB units, each one PTE table
 * with the pages it maps; a morsel of level PUD is an array of 1 GiB
 * units, each one PMD table with the PTE tables and pages below it. The
 * morsel owns these tables. mmap() of a morsel fd writes one PMD (PUD)
 * entry per unit into the process's page tables, pointing at the
 * morsel's table: every mapper shares the subtree, so a page faulted in
 * through one mapping is present in all of them.
 *
 * Core mm must never zap or free the shared tables as the process's own.
 * unmap_single_vma() hands a morsel VMA to morsel_zap(): on unmap
 * (ZAP_FLAG_UNMAP: munmap, exit, a failed mmap) it clears the upper-level
 * entries only, so free_pgtables() later finds them empty; any other zap
 * (MADV_DONTNEED) clears the shared PTEs and frees the pages for every
 * mapper. mremap() is refused in mm/mremap.c; mprotect() and splits off
 * a unit boundary through vm_ops. The VMA is VM_DONTCOPY | VM_IO (fork
 * does not copy it, MADV_DOFORK cannot undo that, GUP refuses it),
 * VM_MIXEDMAP (smaps and pagemap see the pages), VM_NOHUGEPAGE.
 *
 * Locks: the shared PTE tables are modified under their own split ptl,
 * PMD entries inside a PUD-level morsel under the PMD table's split ptl
 * (so PUD level needs CONFIG_SPLIT_PMD_PTLOCKS). Pages are charged to
 * the creator's memcg, page tables are accounted as PageTables. The
 * morsel is freed when its file goes (fd closed and every VMA gone),
 * after an RCU grace period for lockless page-table walkers.
 */

#include <linux/anker.h>
#include <linux/anker_morsel.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/memcontrol.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <asm/pgalloc.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>
#include <uapi/linux/anker_morsel.h>

struct morsel {
	unsigned long size;
	unsigned int level;
	unsigned int flags;
	unsigned int shift;		/* PMD_SHIFT or PUD_SHIFT */
	unsigned long nr_units;
	struct page **tables;		/* one PTE (PMD) table per unit */
	struct mem_cgroup *memcg;	/* charged for pages and tables */
	atomic_long_t resident;
	atomic_long_t mappers;
	atomic_long_t nr_tables;
	struct rcu_work free_work;
};

#define MORSEL_VM_FLAGS	(VM_MIXEDMAP | VM_IO | VM_DONTCOPY | VM_DONTEXPAND | \
			 VM_DONTDUMP | VM_NOHUGEPAGE)

static inline unsigned long morsel_unit(struct morsel *m)
{
	return 1UL << m->shift;
}

static inline pgprot_t morsel_prot(void)
{
	return vm_get_page_prot(VM_READ | VM_WRITE | VM_SHARED);
}

static struct folio *morsel_alloc_folio(struct morsel *m, gfp_t gfp)
{
	struct mem_cgroup *old;
	struct folio *folio;
	int err;

	folio = folio_alloc(gfp | __GFP_ZERO, 0);
	if (!folio)
		return NULL;
	old = set_active_memcg(m->memcg);
	err = mem_cgroup_charge(folio, NULL, gfp);
	set_active_memcg(old);
	if (err) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

static pte_t morsel_mk_pte(struct folio *folio)
{
	return pte_mkyoung(pte_mkdirty(mk_pte(&folio->page, morsel_prot())));
}

/* Fill every entry of a PTE table nobody can see yet. */
static int morsel_fill_ptes(struct morsel *m, struct page *table)
{
	pte_t *ptes = page_address(table);
	gfp_t gfp = GFP_HIGHUSER | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		struct folio *folio = morsel_alloc_folio(m, gfp);

		if (!folio)
			return -ENOMEM;
		set_pte(&ptes[i], morsel_mk_pte(folio));
		atomic_long_inc(&m->resident);
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	cond_resched();
	return 0;
}

/* Drop the pages of a PTE table and the table itself. */
static void morsel_free_pte_table(struct morsel *m, struct page *table)
{
	pte_t *ptes = page_address(table);
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		pte_t pte = ptep_get(&ptes[i]);

		if (!pte_present(pte))
			continue;
		folio_put(page_folio(pte_page(pte)));
		atomic_long_dec(&m->resident);
	}
	pte_free(NULL, table);
	atomic_long_dec(&m->nr_tables);
}

static void morsel_free_unit(struct morsel *m, struct page *table)
{
	pmd_t *pmds;
	unsigned int i;

	if (m->level == MORSEL_LEVEL_PMD) {
		morsel_free_pte_table(m, table);
		return;
	}
	pmds = page_address(table);
	for (i = 0; i < PTRS_PER_PMD; i++) {
		pmd_t pmd = pmdp_get(&pmds[i]);

		if (!pmd_none(pmd))
			morsel_free_pte_table(m, pmd_page(pmd));
		cond_resched();
	}
	pmd_free(NULL, pmds);
	atomic_long_dec(&m->nr_tables);
}

static void morsel_free(struct morsel *m)
{
	unsigned long u;

	for (u = 0; m->tables && u < m->nr_units; u++) {
		if (m->tables[u])
			morsel_free_unit(m, m->tables[u]);
		cond_resched();
	}
	WARN_ON_ONCE(atomic_long_read(&m->resident));
	WARN_ON_ONCE(atomic_long_read(&m->nr_tables));
	mem_cgroup_put(m->memcg);
	kvfree(m->tables);
	kfree(m);
}

static void morsel_free_workfn(struct work_struct *work)
{
	morsel_free(container_of(to_rcu_work(work), struct morsel, free_work));
}

/* A new unit: its table, and with MORSEL_POPULATE every page below it. */
static int morsel_alloc_unit(struct morsel *m, unsigned long u)
{
	bool populate = m->flags & MORSEL_POPULATE;
	struct mm_struct *mm = current->mm;
	unsigned int i;
	pmd_t *pmds;

	if (m->level == MORSEL_LEVEL_PMD) {
		struct page *table = pte_alloc_one(mm);

		if (!table)
			return -ENOMEM;
		m->tables[u] = table;
		atomic_long_inc(&m->nr_tables);
		return populate ? morsel_fill_ptes(m, table) : 0;
	}

	pmds = pmd_alloc_one(mm, 0);
	if (!pmds)
		return -ENOMEM;
	m->tables[u] = virt_to_page(pmds);
	atomic_long_inc(&m->nr_tables);
	if (!populate)
		return 0;
	for (i = 0; i < PTRS_PER_PMD; i++) {
		struct page *table = pte_alloc_one(mm);
		int err;

		if (!table)
			return -ENOMEM;
		atomic_long_inc(&m->nr_tables);
		pmd_populate(mm, &pmds[i], table);
		err = morsel_fill_ptes(m, table);
		if (err)
			return err;
	}
	return 0;
}

static struct morsel *morsel_create(const struct morsel_create *req)
{
	struct morsel *m;
	unsigned long u;
	int err;

	if (req->flags & ~MORSEL_FLAGS_ALL)
		return ERR_PTR(-EINVAL);
	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return ERR_PTR(-ENOMEM);
	switch (req->level) {
	case MORSEL_LEVEL_PMD:
		m->shift = PMD_SHIFT;
		break;
	case MORSEL_LEVEL_PUD:
		m->shift = PUD_SHIFT;
		break;
	default:
		kfree(m);
		return ERR_PTR(-EINVAL);
	}
	if (!req->size || req->size & (morsel_unit(m) - 1)) {
		kfree(m);
		return ERR_PTR(-EINVAL);
	}
	/* PMD entries of a shared PMD table need the table's own lock */
	if (req->level == MORSEL_LEVEL_PUD &&
	    !IS_ENABLED(CONFIG_SPLIT_PMD_PTLOCKS)) {
		kfree(m);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (req->size > (u64)totalram_pages() << PAGE_SHIFT) {
		kfree(m);
		return ERR_PTR(-E2BIG);
	}
	m->size = req->size;
	m->level = req->level;
	m->flags = req->flags;
	m->nr_units = req->size >> m->shift;
	atomic_long_set(&m->resident, 0);
	atomic_long_set(&m->mappers, 0);
	atomic_long_set(&m->nr_tables, 0);
	INIT_RCU_WORK(&m->free_work, morsel_free_workfn);
	m->memcg = get_mem_cgroup_from_mm(current->mm);
	m->tables = kvcalloc(m->nr_units, sizeof(*m->tables),
			     GFP_KERNEL_ACCOUNT);
	if (!m->tables) {
		morsel_free(m);
		return ERR_PTR(-ENOMEM);
	}
	for (u = 0; u < m->nr_units; u++) {
		err = morsel_alloc_unit(m, u);
		if (err) {
			morsel_free(m);
			return ERR_PTR(err);
		}
	}
	return m;
}

/* The morsel offset of a user address in a morsel VMA. */
static inline unsigned long morsel_off(struct vm_area_struct *vma,
				       unsigned long addr)
{
	return (addr - vma->vm_start) + (vma->vm_pgoff << PAGE_SHIFT);
}

/* The process's entry above the morsel's table at addr, or NULL. */
static pud_t *morsel_find_pud(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;

	if (pgd_none(pgdp_get(pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)))
		return NULL;
	return pud_offset(p4d, addr);
}

/* The process's page table entry of unit u is ours: clear it. */
static void morsel_detach_unit(struct morsel *m, struct mm_struct *mm,
			       unsigned long addr, unsigned long u)
{
	struct page *table = m->tables[u];
	spinlock_t *ptl;
	pud_t *pud;
	pmd_t *pmd;

	pud = morsel_find_pud(mm, addr);
	if (!pud)
		return;
	if (m->level == MORSEL_LEVEL_PUD) {
		ptl = pud_lock(mm, pud);
		if (!pud_none(*pud)) {
			if (!WARN_ON_ONCE(pud_pgtable(*pud) !=
					  (pmd_t *)page_address(table)))
				pud_clear(pud);
		}
		spin_unlock(ptl);
		return;
	}
	if (pud_none(pudp_get(pud)) || pud_leaf(pudp_get(pud)))
		return;
	pmd = pmd_offset(pud, addr);
	ptl = pmd_lock(mm, pmd);
	if (!pmd_none(*pmd)) {
		if (!WARN_ON_ONCE(pmd_leaf(*pmd) || pmd_page(*pmd) != table))
			pmd_clear(pmd);
	}
	spin_unlock(ptl);
}

static void morsel_detach(struct mmu_gather *tlb, struct vm_area_struct *vma,
			  unsigned long start, unsigned long end)
{
	struct morsel *m = vma->vm_private_data;
	unsigned long unit = morsel_unit(m);
	unsigned long addr;

	WARN_ON_ONCE(!IS_ALIGNED(start, unit) || !IS_ALIGNED(end, unit));
	for (addr = ALIGN_DOWN(start, unit); addr < end; addr += unit)
		morsel_detach_unit(m, vma->vm_mm, addr,
				   morsel_off(vma, addr) >> m->shift);
	/*
	 * 4 KiB entries below the cleared entries may be cached, and so may
	 * the pointers to the tables: flush at page granularity, with the
	 * paging-structure caches.
	 */
	tlb_flush_pte_range(tlb, ALIGN_DOWN(start, unit),
			    ALIGN(end, unit) - ALIGN_DOWN(start, unit));
	tlb->freed_tables = 1;
}

/* Clear the PTEs of [idx, idx + n) in a shared PTE table. */
static void morsel_clear_ptes(struct morsel *m, struct page *table,
			      unsigned int idx, unsigned int n,
			      struct list_head *freed)
{
	spinlock_t *ptl = ptlock_ptr(page_ptdesc(table));
	pte_t *ptes = page_address(table);
	unsigned int i;

	spin_lock(ptl);
	for (i = idx; i < idx + n; i++) {
		pte_t pte = ptep_get(&ptes[i]);

		if (pte_none(pte))
			continue;
		pte = ptep_get_and_clear(NULL, 0, &ptes[i]);
		if (pte_present(pte)) {
			list_add(&page_folio(pte_page(pte))->lru, freed);
			atomic_long_dec(&m->resident);
		}
	}
	spin_unlock(ptl);
}

/*
 * MADV_DONTNEED and other zaps that keep the mapping: the pages go for
 * every mapper. Other processes may cache them in their TLBs, so flush
 * every CPU before the pages are freed.
 */
static void morsel_discard(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end)
{
	struct morsel *m = vma->vm_private_data;
	struct folio *folio, *next;
	LIST_HEAD(freed);
	unsigned long addr = start;

	while (addr < end) {
		unsigned long off = morsel_off(vma, addr);
		struct page *table = m->tables[off >> m->shift];
		unsigned long next_addr = min(pmd_addr_end(addr, end), end);
		unsigned int idx = (off >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
		unsigned int n = (next_addr - addr) >> PAGE_SHIFT;

		if (m->level == MORSEL_LEVEL_PUD) {
			pmd_t *pmds = page_address(table);
			pmd_t pmd;

			pmd = pmdp_get_lockless(&pmds[(off >> PMD_SHIFT) &
						      (PTRS_PER_PMD - 1)]);
			table = pmd_none(pmd) ? NULL : pmd_page(pmd);
		}
		if (table)
			morsel_clear_ptes(m, table, idx, n, &freed);
		addr = next_addr;
		cond_resched();
	}
	if (list_empty(&freed))
		return;
	flush_tlb_all();
	list_for_each_entry_safe(folio, next, &freed, lru) {
		list_del(&folio->lru);
		folio_put(folio);
	}
}

/* Called by unmap_single_vma() instead of unmap_page_range(). */
void morsel_zap(struct mmu_gather *tlb, struct vm_area_struct *vma,
		unsigned long start, unsigned long end,
		struct zap_details *details)
{
	if (details && (details->zap_flags & ZAP_FLAG_UNMAP))
		morsel_detach(tlb, vma, start, end);
	else
		morsel_discard(vma, start, end);
}

/* A PUD-level unit's PMD entry has no PTE table yet: give it one. */
static vm_fault_t morsel_fill_pmd(struct morsel *m, struct mm_struct *mm,
				  pmd_t *pmd)
{
	struct mem_cgroup *old;
	struct page *table;
	spinlock_t *ptl;

	old = set_active_memcg(m->memcg);
	table = pte_alloc_one(mm);
	set_active_memcg(old);
	if (!table)
		return VM_FAULT_OOM;
	ptl = pmd_lock(mm, pmd);
	if (pmd_none(*pmd)) {
		smp_wmb();	/* the table's zeroes before its pointer */
		pmd_populate(mm, pmd, table);
		atomic_long_inc(&m->nr_tables);
		table = NULL;
	}
	spin_unlock(ptl);
	if (table)
		pte_free(mm, table);
	return 0;
}

static vm_fault_t morsel_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct morsel *m = vma->vm_private_data;
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio;
	struct page *table;
	spinlock_t *ptl;
	vm_fault_t ret;
	pte_t *pte;

	table = m->tables[(vmf->pgoff << PAGE_SHIFT) >> m->shift];
	if (m->level == MORSEL_LEVEL_PUD) {
		/* the entries are written at mmap(), cleared at unmap only */
		if (pud_none(pudp_get(vmf->pud)) ||
		    pud_pgtable(pudp_get(vmf->pud)) != page_address(table))
			return VM_FAULT_SIGBUS;
		if (pmd_none(pmdp_get_lockless(vmf->pmd))) {
			ret = morsel_fill_pmd(m, mm, vmf->pmd);
			if (ret)
				return ret;
		}
	} else {
		pmd_t pmd = pmdp_get_lockless(vmf->pmd);

		if (pmd_none(pmd) || pmd_leaf(pmd) || pmd_page(pmd) != table)
			return VM_FAULT_SIGBUS;
	}
	folio = morsel_alloc_folio(m, GFP_HIGHUSER);
	if (!folio)
		return VM_FAULT_OOM;
	pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &ptl);
	if (!pte) {
		folio_put(folio);
		return VM_FAULT_NOPAGE;
	}
	if (pte_none(ptep_get(pte))) {
		set_pte_at(mm, vmf->address, pte, morsel_mk_pte(folio));
		update_mmu_cache(vma, vmf->address, pte);
		atomic_long_inc(&m->resident);
		folio = NULL;
	}
	pte_unmap_unlock(pte, ptl);
	if (folio)
		folio_put(folio);
	return VM_FAULT_NOPAGE;
}

static void morsel_vm_open(struct vm_area_struct *vma)
{
	struct morsel *m = vma->vm_private_data;

	atomic_long_inc(&m->mappers);
}

static void morsel_vm_close(struct vm_area_struct *vma)
{
	struct morsel *m = vma->vm_private_data;

	atomic_long_dec(&m->mappers);
}

static int morsel_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	struct morsel *m = vma->vm_private_data;

	return IS_ALIGNED(addr, morsel_unit(m)) ? 0 : -EINVAL;
}

static int morsel_vm_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;	/* mm/mremap.c refuses earlier; never move */
}

/* The shared PTEs carry one protection for every mapper. */
static int morsel_vm_mprotect(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, unsigned long newflags)
{
	if ((newflags ^ vma->vm_flags) & (VM_READ | VM_WRITE | VM_EXEC))
		return -EINVAL;
	return 0;
}

const struct vm_operations_struct morsel_vm_ops = {
	.open		= morsel_vm_open,
	.close		= morsel_vm_close,
	.may_split	= morsel_may_split,
	.mremap		= morsel_vm_mremap,
	.mprotect	= morsel_vm_mprotect,
	.fault		= morsel_fault,
};

/* Write the entry of unit u at addr; -EBUSY if the process has one. */
static int morsel_attach_unit(struct morsel *m, struct mm_struct *mm,
			      unsigned long addr, unsigned long u)
{
	struct page *table = m->tables[u];
	spinlock_t *ptl;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	int err = 0;

	pgd = pgd_offset(mm, addr);
	p4d = p4d_alloc(mm, pgd, addr);
	if (!p4d)
		return -ENOMEM;
	pud = pud_alloc(mm, p4d, addr);
	if (!pud)
		return -ENOMEM;
	if (m->level == MORSEL_LEVEL_PUD) {
		ptl = pud_lock(mm, pud);
		if (pud_none(*pud))
			pud_populate(mm, pud, (pmd_t *)page_address(table));
		else
			err = -EBUSY;
		spin_unlock(ptl);
		return err;
	}
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd)
		return -ENOMEM;
	ptl = pmd_lock(mm, pmd);
	if (pmd_none(*pmd))
		pmd_populate(mm, pmd, table);
	else
		err = -EBUSY;
	spin_unlock(ptl);
	return err;
}

static int morsel_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct morsel *m = file->private_data;
	unsigned long unit = morsel_unit(m);
	unsigned long off = vma->vm_pgoff << PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long addr;
	int err = 0;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	/* one set of PTEs for every mapper: read-write only */
	if ((vma->vm_flags & (VM_READ | VM_WRITE)) != (VM_READ | VM_WRITE))
		return -EACCES;
	if (!IS_ALIGNED(vma->vm_start, unit) || !IS_ALIGNED(len, unit) ||
	    vma->vm_pgoff & ((unit >> PAGE_SHIFT) - 1))
		return -EINVAL;
	if (vma->vm_pgoff > (m->size >> PAGE_SHIFT) || len > m->size - off)
		return -ENXIO;

	vm_flags_mod(vma, MORSEL_VM_FLAGS, VM_MAYEXEC);
	for (addr = vma->vm_start; addr < vma->vm_end; addr += unit) {
		err = morsel_attach_unit(m, vma->vm_mm, addr,
					 morsel_off(vma, addr) >> m->shift);
		if (err)
			break;
	}
	if (err) {
		unsigned long a;

		for (a = vma->vm_start; a < addr; a += unit)
			morsel_detach_unit(m, vma->vm_mm, a,
					   morsel_off(vma, a) >> m->shift);
		flush_tlb_mm(vma->vm_mm);
		return err;
	}
	vma->vm_private_data = m;
	vma->vm_ops = &morsel_vm_ops;
	atomic_long_inc(&m->mappers);
	return 0;
}

static unsigned long morsel_get_unmapped_area(struct file *file,
					      unsigned long addr,
					      unsigned long len,
					      unsigned long pgoff,
					      unsigned long flags)
{
	struct morsel *m = file->private_data;
	unsigned long unit = morsel_unit(m);
	unsigned long ret;

	if (flags & MAP_FIXED)
		return mm_get_unmapped_area(current->mm, NULL, addr, len,
					    pgoff, flags);
	if (addr && IS_ALIGNED(addr, unit)) {
		ret = mm_get_unmapped_area(current->mm, NULL, addr, len, 0,
					   flags);
		if (!IS_ERR_VALUE(ret) && IS_ALIGNED(ret, unit))
			return ret;
	}
	if (len > TASK_SIZE - unit)
		return -ENOMEM;
	ret = mm_get_unmapped_area(current->mm, NULL, 0, len + unit, 0, flags);
	if (IS_ERR_VALUE(ret))
		return ret;
	return ALIGN(ret, unit);
}

static long morsel_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct morsel *m = file->private_data;
	struct morsel_info info = {};

	if (cmd != MORSEL_INFO)
		return -ENOTTY;
	info.size = m->size;
	info.level = m->level;
	info.flags = m->flags;
	info.unit = morsel_unit(m);
	info.resident = atomic_long_read(&m->resident);
	info.mappers = atomic_long_read(&m->mappers);
	info.table_pages = atomic_long_read(&m->nr_tables);
	if (copy_to_user((void __user *)arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int morsel_release(struct inode *inode, struct file *file)
{
	struct morsel *m = file->private_data;

	/* lockless walkers (GUP-fast) may still read the tables */
	queue_rcu_work(system_wq, &m->free_work);
	return 0;
}

static const struct file_operations morsel_fops = {
	.owner			= THIS_MODULE,
	.mmap			= morsel_mmap,
	.get_unmapped_area	= morsel_get_unmapped_area,
	.unlocked_ioctl		= morsel_ioctl,
	.release		= morsel_release,
};

static long morsel_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct morsel_create req;
	struct file *mfile;
	struct morsel *m;
	int fd;

	if (cmd != MORSEL_CREATE)
		return -ENOTTY;
	if (copy_from_user(&req, (void __user *)arg, sizeof(req)))
		return -EFAULT;
	m = morsel_create(&req);
	if (IS_ERR(m))
		return PTR_ERR(m);
	fd = get_unused_fd_flags(O_RDWR |
				 (req.flags & MORSEL_CLOEXEC ? O_CLOEXEC : 0));
	if (fd < 0) {
		morsel_free(m);
		return fd;
	}
	mfile = anon_inode_getfile("[morsel]", &morsel_fops, m, O_RDWR);
	if (IS_ERR(mfile)) {
		put_unused_fd(fd);
		morsel_free(m);
		return PTR_ERR(mfile);
	}
	fd_install(fd, mfile);
	return fd;
}

static const struct file_operations morsel_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= morsel_dev_ioctl,
};

static struct miscdevice morsel_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "morsel",
	.fops	= &morsel_dev_fops,
	.mode	= 0666,
};

static int __init morsel_init(void)
{
	int err = misc_register(&morsel_dev);

	if (err)
		return err;
	return anker_feature_add("morsel", "/dev/morsel; levels: pmd%s",
				 IS_ENABLED(CONFIG_SPLIT_PMD_PTLOCKS) ?
				 " pud" : "");
}
late_initcall(morsel_init);
