// SPDX-License-Identifier: GPL-2.0
/*
 * Anker extents: for each tracked mm, the set of maximal ranges
 * [va, va + len) that map [pa, pa + len) with every page present, one
 * protection class (the VMA's r/w/x/shared bits) and contiguous physical
 * memory.  4 KiB pages, THPs and hugetlb pages all count.
 *
 * The set is an interval tree (an rbtree augmented with the subtree's last
 * address, include/linux/interval_tree_generic.h) of disjoint runs, one
 * node from a slab cache per run.  A run covers pages of one page size and
 * holds a value made of
 *
 *	pfn - va / PAGE_SIZE (mod 2^50) | page size code | protection class
 *
 * which is the same for every page of a run, so a partial removal only
 * trims or splits a node, and two neighbours merge when their values are
 * equal.  Inserting a new run is one slab allocation and one rbtree
 * insertion, with no node copied (the maple tree used before copies a
 * 256-byte node on most stores: 4-9 us a fault under TCG).  Runs of different page sizes that continue each other are shown as
 * one extent (/proc/PID/extents, the summary, EXTENTS_CHECK's counts).
 *
 * Kept up to date, never recomputed on a read:
 *  - populated from the fault path.  do_anonymous_page() and set_pte_range()
 *    (finish_fault(), fault-around) call anker_extents_map() right after
 *    set_ptes(), under the page table lock: it records the PTEs just set
 *    from the address and frame it is given, with no page table read, and
 *    notes the fault's address in ext->hint.  Then, after every successful
 *    fault, anker_extents_fault() (called by handle_mm_fault() with the
 *    mmap_lock or the VMA lock held) returns at once if the hint is the
 *    fault's address; otherwise (COW copy, swap-in, THP, hugetlb...) the
 *    mapping just installed is read and recorded.  For a small page that is
 *    the one PTE of the address (for a mapping with fault-around, the
 *    present PTEs of its 64 KiB window), read without the page table lock
 *    and recorded only if no invalidation started or ended meanwhile
 *    (inv_seq, as mmu_interval_read_begin()/_retry() do); otherwise, and
 *    for a large folio, a THP or a hugetlb page, under the page table lock.
 *  - the run that faults are extending (ext->tail, typically the next page
 *    of a sequential first touch) is kept beside the tree: a page that
 *    continues it only moves its end, without a tree write.  It goes into
 *    the tree when a page that does not continue it arrives and before the
 *    set is read; invalidations cut it like the tree, and reset ext->hint;
 *  - invalidated by an MMU notifier: invalidate_range_start() removes the
 *    range (and splits the extents it cuts) before the page tables change.
 *    Write-protection of the same page (MMU_NOTIFY_PROTECTION_PAGE: fork,
 *    page cleaning) and soft-dirty clearing change neither presence, frame
 *    nor the VMA's protection, so they are ignored.
 *  - a fault that raced with an invalidation of an overlapping range (one
 *    between invalidate_range_start() and _end()) is not recorded: the entry
 *    it read may be stale.  Insertions happen under the page table lock of
 *    the entry, or after checking that no invalidation began since the entry
 *    was read, so an invalidation that starts later removes them again.
 *
 * Hence the set is always a subset of what a walk of the page tables finds
 * (EXTENTS_CHECK compares the two).  It equals the walk except for mappings
 * installed without a fault since tracking started: PTEs copied by fork()
 * into the child, moved by mremap(), copied by vmcopy(), pages restored after
 * migration, a THP collapsed by khugepaged/MADV_COLLAPSE, a PMD split into
 * PTEs, and pages whose VMA protection changed (mprotect(), NUMA hinting).
 * EXTENTS_SYNC adds what a walk finds.  Documentation/anker/extents.rst.
 *
 * Locking: the set's spinlock (ext->lock) protects the tree and the
 * in-progress invalidation state; it nests inside page table locks and the
 * hugetlb VMA lock and never the other way round.  Nothing here sleeps
 * under it; tree nodes are allocated with GFP_NOWAIT, and when that fails a
 * removal drops the whole set (it stays a subset) and an insertion is lost.
 */
#include <linux/anker.h>
#include <linux/anker_extents.h>
#include <linux/capability.h>
#include <linux/hugetlb.h>
#include <linux/huge_mm.h>
#include <linux/interval_tree_generic.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/pagewalk.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/syscalls.h>
#include <linux/sysctl.h>
#include <linux/uaccess.h>

DEFINE_STATIC_KEY_FALSE(anker_extents_key);

/* vm.anker_extents: 0 off, 1 per-process opt-in, 2 every new mm */
static int anker_extents_mode = 1;
static DEFINE_MUTEX(anker_extents_sysctl_mutex);

/* A run of pages: [start, end) with one value */
struct ext_run {
	unsigned long start, end, val;
};

/* A run in the set: [start, last] with one value, a node of the tree */
struct ext_node {
	struct rb_node rb;
	unsigned long start, last;	/* last: the run's last byte */
	unsigned long subtree_last;	/* the largest last below (augment) */
	unsigned long val;
};

#define EXT_NODE_START(n)	((n)->start)
#define EXT_NODE_LAST(n)	((n)->last)

INTERVAL_TREE_DEFINE(struct ext_node, rb, unsigned long, subtree_last,
		     EXT_NODE_START, EXT_NODE_LAST, static, ext_it)

static struct kmem_cache *ext_node_cache __ro_after_init;

struct anker_extents {
	struct mmu_notifier mn;
	spinlock_t lock;		/* protects all below */
	struct rb_root_cached root;	/* the runs, ext_node, disjoint */
	unsigned long nr_nodes;		/* in root */
	bool dead;			/* disabled or mm torn down */
	struct ext_run tail;		/* the run being extended, not in root */
	unsigned long hint;		/* fault address anker_extents_map() recorded */
	unsigned long inv_seq;		/* +1 at every start and end */
	unsigned long inv_count;	/* invalidations in progress */
	unsigned long inv_start;	/* ... covering [inv_start, inv_end) */
	unsigned long inv_end;
	unsigned long nr_raced;		/* faults not recorded (race) */
	unsigned long nr_nomem;		/* insertions lost, sets dropped */
	struct rcu_head rcu;
};

/* ext->hint when no fault address is known to be recorded (never aligned) */
#define EXT_NO_HINT	(~0UL)

/* The fault-around window read after each fault */
#define EXT_WINDOW	(16 * PAGE_SIZE)

#define EXT_CLASS_MASK	0xfUL
#define EXT_PSIZE_SHIFT	4
#define EXT_DELTA_SHIFT	8
#define EXT_DELTA_BITS	50
#define EXT_DELTA_MASK	((1UL << EXT_DELTA_BITS) - 1)

enum { EXT_4K, EXT_2M, EXT_1G };

static unsigned long ext_class(struct vm_area_struct *vma)
{
	return vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED);
}

static unsigned long ext_val(unsigned long va, unsigned long pfn,
			     unsigned long class, unsigned long psize)
{
	unsigned long delta = (pfn - (va >> PAGE_SHIFT)) & EXT_DELTA_MASK;

	return delta << EXT_DELTA_SHIFT | psize << EXT_PSIZE_SHIFT | class;
}

static unsigned long ext_pfn(unsigned long val, unsigned long va)
{
	return ((va >> PAGE_SHIFT) + (val >> EXT_DELTA_SHIFT)) & EXT_DELTA_MASK;
}

static unsigned long ext_psize(unsigned long val)
{
	return (val >> EXT_PSIZE_SHIFT) & 3;
}

/* Same translation (frame offset and class), any page size? */
static bool ext_continues(unsigned long a, unsigned long b)
{
	return (a & ~(3UL << EXT_PSIZE_SHIFT)) == (b & ~(3UL << EXT_PSIZE_SHIFT));
}

static unsigned long ext_psize_code(unsigned long size)
{
	if (size >= PUD_SIZE)
		return EXT_1G;
	if (size >= PMD_SIZE)
		return EXT_2M;
	return EXT_4K;
}

static void ext_lock(struct anker_extents *ext)
{
	spin_lock(&ext->lock);
}

static void ext_unlock(struct anker_extents *ext)
{
	spin_unlock(&ext->lock);
}

/* May [start, end) be recorded now?  Called under the tree lock. */
static bool ext_may_insert(struct anker_extents *ext, unsigned long start,
			   unsigned long end)
{
	if (ext->dead)
		return false;
	if (ext->inv_count && start < ext->inv_end && end > ext->inv_start) {
		ext->nr_raced++;
		return false;
	}
	return true;
}

static struct ext_node *ext_node_alloc(void)
{
	return kmem_cache_alloc(ext_node_cache, GFP_NOWAIT | __GFP_NOWARN);
}

static void ext_node_insert(struct anker_extents *ext, struct ext_node *n,
			    unsigned long start, unsigned long end,
			    unsigned long val)
{
	n->start = start;
	n->last = end - 1;
	n->val = val;
	ext_it_insert(n, &ext->root);
	ext->nr_nodes++;
}

static void ext_node_remove(struct anker_extents *ext, struct ext_node *n)
{
	ext_it_remove(n, &ext->root);
	ext->nr_nodes--;
}

/* Forget the whole set; under the lock. */
static void ext_destroy_locked(struct anker_extents *ext)
{
	struct ext_node *n, *next;

	rbtree_postorder_for_each_entry_safe(n, next, &ext->root.rb_root, rb)
		kmem_cache_free(ext_node_cache, n);
	ext->root = RB_ROOT_CACHED;
	ext->nr_nodes = 0;
}

/*
 * Remove [start, end) from the runs that overlap it, keeping what lies
 * outside, and from runs that only touch it too if @val is their value
 * (then widen [*lo, *hi) to take them in: a store merges its neighbours).
 * Returns a freed node for the caller to reuse, or NULL.  A run that covers
 * [start, end) on both sides is split, which takes a node; if none can be
 * allocated, the whole set is dropped (it stays a subset) and -ENOMEM
 * returned through @err.  Under the lock.
 */
static struct ext_node *ext_cut_locked(struct anker_extents *ext,
				       unsigned long start, unsigned long end,
				       bool merge, unsigned long val,
				       unsigned long *lo, unsigned long *hi,
				       int *err)
{
	unsigned long qs = start, ql = end - 1;
	struct ext_node *n, *next, *spare = NULL;

	if (merge) {		/* neighbours that touch [start, end) too */
		qs = start ? start - 1 : 0;
		ql = end ? end : ULONG_MAX;
	}
	for (n = ext_it_iter_first(&ext->root, qs, ql); n; n = next) {
		unsigned long ns = n->start, ne = n->last + 1, nv = n->val;

		next = ext_it_iter_next(n, qs, ql);
		if (merge && nv == val) {
			*lo = min(*lo, ns);
			*hi = max(*hi, ne);
		} else if (ne <= start || ns >= end) {
			continue;	/* touches with another value */
		} else if (ns < start && ne > end) {
			struct ext_node *right = ext_node_alloc();

			if (!right) {
				if (spare)
					kmem_cache_free(ext_node_cache, spare);
				ext_destroy_locked(ext);
				*err = -ENOMEM;
				return NULL;
			}
			ext_node_remove(ext, n);
			ext_node_insert(ext, n, ns, start, nv);
			ext_node_insert(ext, right, end, ne, nv);
			return NULL;	/* nothing else overlaps */
		} else if (ns < start) {
			ext_node_remove(ext, n);
			ext_node_insert(ext, n, ns, start, nv);
			continue;
		} else if (ne > end) {
			ext_node_remove(ext, n);
			ext_node_insert(ext, n, end, ne, nv);
			continue;
		}
		/* Covered, or merged into the new run: remove it */
		ext_node_remove(ext, n);
		if (spare)
			kmem_cache_free(ext_node_cache, spare);
		spare = n;
	}
	return spare;
}

/*
 * Store the run [start, end) = val over whatever the set held there,
 * merging the neighbours that continue it; under the lock.  Typically (a
 * fault starting a new extent) there is nothing to merge or cut: one node
 * allocated from the slab, one rbtree insertion.
 */
static void ext_store_locked(struct anker_extents *ext, unsigned long start,
			     unsigned long end, unsigned long val)
{
	unsigned long lo = start, hi = end;
	struct ext_node *n;
	int err = 0;

	n = ext_it_iter_first(&ext->root, start, end - 1);
	if (n && n->val == val && n->start <= start && n->last >= end - 1)
		return;		/* known already */
	n = ext_cut_locked(ext, start, end, true, val, &lo, &hi, &err);
	if (err) {
		ext->nr_nomem++;
		return;
	}
	if (!n)
		n = ext_node_alloc();
	if (!n) {
		ext->nr_nomem++;	/* lost: the set stays a subset */
		return;
	}
	ext_node_insert(ext, n, lo, hi, val);
}

/* Record the run [start, end) with value val; under the tree lock. */
static void ext_insert_locked(struct anker_extents *ext, unsigned long start,
			      unsigned long end, unsigned long val)
{
	if (ext_may_insert(ext, start, end))
		ext_store_locked(ext, start, end, val);
}

static bool ext_tail_empty(const struct anker_extents *ext)
{
	return ext->tail.start >= ext->tail.end;
}

/* Move the tail into the tree; under the tree lock. */
static void ext_flush_tail_locked(struct anker_extents *ext)
{
	struct ext_run *t = &ext->tail;

	if (!ext_tail_empty(ext) && !ext->dead)
		ext_store_locked(ext, t->start, t->end, t->val);
	t->start = t->end = 0;
}

/*
 * Record [start, end) = val through the tail: a run that touches the tail
 * with the same translation joins it (no tree write); any other run
 * replaces it, and the old tail goes into the tree.  Under the tree lock.
 */
static bool ext_add_locked(struct anker_extents *ext, unsigned long start,
			   unsigned long end, unsigned long val)
{
	struct ext_run *t = &ext->tail;

	if (!ext_may_insert(ext, start, end))
		return false;
	if (!ext_tail_empty(ext) && t->val == val && start <= t->end &&
	    end >= t->start) {
		t->start = min(t->start, start);
		t->end = max(t->end, end);
		return true;
	}
	ext_flush_tail_locked(ext);
	*t = (struct ext_run){ start, end, val };
	return true;
}

/* An invalidation of [start, end) cuts the tail; under the tree lock. */
static void ext_cut_tail_locked(struct anker_extents *ext, unsigned long start,
				unsigned long end)
{
	struct ext_run *t = &ext->tail;

	if (ext_tail_empty(ext) || end <= t->start || start >= t->end)
		return;
	if (start <= t->start && end >= t->end)
		t->start = t->end = 0;
	else if (start <= t->start)
		t->start = end;		/* the value holds for any start */
	else if (end >= t->end)
		t->end = start;
	else
		ext_flush_tail_locked(ext);	/* the tree splits it */
}

/* Forget [start, end); under the tree lock. */
static void ext_remove_locked(struct anker_extents *ext, unsigned long start,
			      unsigned long end)
{
	struct ext_node *n;
	int err = 0;

	if (start >= end)
		return;
	n = ext_cut_locked(ext, start, end, false, 0, NULL, NULL, &err);
	if (n)
		kmem_cache_free(ext_node_cache, n);
	if (err)
		ext->nr_nomem++;
}

/* Append [start, end) = val to runs[*nr] (max cap), merging; false if full */
static bool ext_run_add(struct ext_run *runs, unsigned int *nr,
			unsigned int cap, unsigned long start,
			unsigned long end, unsigned long val)
{
	struct ext_run *last = *nr ? &runs[*nr - 1] : NULL;

	if (last && last->end == start && last->val == val) {
		last->end = end;
		return true;
	}
	if (*nr >= cap)
		return false;
	runs[*nr].start = start;
	runs[*nr].end = end;
	runs[*nr].val = val;
	(*nr)++;
	return true;
}

/* ---- the fault path ---- */

#ifdef CONFIG_HUGETLB_PAGE
static void ext_fault_hugetlb(struct anker_extents *ext,
			      struct vm_area_struct *vma, unsigned long address)
{
	struct hstate *h = hstate_vma(vma);
	unsigned long sz = huge_page_size(h), start = address & huge_page_mask(h);
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep, entry;

	ptep = huge_pte_offset(mm, start, sz);
	if (!ptep)
		return;
	ptl = huge_pte_lock(h, mm, ptep);
	entry = huge_ptep_get(mm, start, ptep);
	if (pte_present(entry)) {
		unsigned long pfn = pte_pfn(entry) & ~((sz >> PAGE_SHIFT) - 1);

		ext_lock(ext);
		ext_insert_locked(ext, start, start + sz,
				  ext_val(start, pfn, ext_class(vma),
					  ext_psize_code(sz)));
		ext_unlock(ext);
	}
	spin_unlock(ptl);
}
#endif

static void ext_insert_runs(struct anker_extents *ext, struct ext_run *runs,
			    unsigned int *nr)
{
	unsigned int i;

	ext_lock(ext);
	for (i = 0; i < *nr; i++)
		ext_insert_locked(ext, runs[i].start, runs[i].end, runs[i].val);
	ext_unlock(ext);
	*nr = 0;
}

/*
 * The slow path: read, under the page table lock, the PTE of @address (with
 * fault-around, its window as do_fault_around() places it: 64 KiB aligned,
 * but starting no lower than the VMA) and, for a large folio, the rest of
 * the folio (finish_fault() and mTHP faults map it whole), within the VMA
 * and the page table.
 */
static void ext_fault_pte(struct anker_extents *ext, struct vm_area_struct *vma,
			  pmd_t *pmd, unsigned long address)
{
	unsigned long lo = max(address & PMD_MASK, vma->vm_start);
	unsigned long hi = min((address & PMD_MASK) + PMD_SIZE, vma->vm_end);
	unsigned long start = address, end = address + PAGE_SIZE;
	unsigned long class = ext_class(vma), addr;
	struct ext_run runs[16];
	unsigned int nr = 0;
	pte_t *ptep, *pte, entry;
	spinlock_t *ptl;
	struct page *page;

	if (vma->vm_ops && vma->vm_ops->map_pages) {
		start = max(ALIGN_DOWN(address, EXT_WINDOW), lo);
		end = min(start + EXT_WINDOW, hi);
	}
	ptep = pte_offset_map_lock(vma->vm_mm, pmd, address, &ptl);
	if (!ptep)
		return;
	entry = ptep_get(ptep);
	page = pte_present(entry) ? vm_normal_page(vma, address, entry) : NULL;
	if (page && PageCompound(page)) {
		struct folio *folio = page_folio(page);
		unsigned long fs = address -
				   folio_page_idx(folio, page) * PAGE_SIZE;

		start = max(min(start, fs), lo);
		end = min(max(end, fs + folio_size(folio)), hi);
	}
	pte = ptep - ((address - start) >> PAGE_SHIFT);
	for (addr = start; addr < end; addr += PAGE_SIZE, pte++) {
		unsigned long val;

		entry = ptep_get(pte);
		if (!pte_present(entry))
			continue;
		val = ext_val(addr, pte_pfn(entry), class, EXT_4K);
		if (!ext_run_add(runs, &nr, ARRAY_SIZE(runs), addr,
				 addr + PAGE_SIZE, val)) {
			ext_insert_runs(ext, runs, &nr);
			ext_run_add(runs, &nr, ARRAY_SIZE(runs), addr,
				    addr + PAGE_SIZE, val);
		}
	}
	if (nr)
		ext_insert_runs(ext, runs, &nr);
	pte_unmap_unlock(ptep, ptl);
}

static void ext_fault_pmd(struct anker_extents *ext, struct vm_area_struct *vma,
			  pmd_t *pmd, unsigned long address)
{
	unsigned long start = address & PMD_MASK;
	spinlock_t *ptl;
	pmd_t val;

	ptl = pmd_lock(vma->vm_mm, pmd);
	val = pmdp_get(pmd);
	if (pmd_present(val) && pmd_trans_huge(val)) {
		ext_lock(ext);
		ext_insert_locked(ext, start, start + PMD_SIZE,
				  ext_val(start, pmd_pfn(val), ext_class(vma),
					  EXT_2M));
		ext_unlock(ext);
		spin_unlock(ptl);
		return;
	}
	spin_unlock(ptl);
	/* Split meanwhile: read the PTEs */
	if (pmd_present(val) && !pmd_leaf(val))
		ext_fault_pte(ext, vma, pmd, address);
}

/*
 * The fast path for a small page: read the PTE of @address (with
 * fault-around, the present PTEs of its window) without the page table
 * lock, and record it if no invalidation was in progress or began since
 * (inv_seq unchanged: every PTE change that removes or replaces a mapping
 * is bracketed by invalidate_range_start()/_end()).  False: take the slow
 * path (a large folio, a race).
 */
static bool ext_fault_fast(struct anker_extents *ext,
			   struct vm_area_struct *vma, pmd_t *pmd,
			   unsigned long address)
{
	unsigned long start = address, end = address + PAGE_SIZE;
	unsigned long class = ext_class(vma), seq, addr;
	struct ext_run runs[EXT_WINDOW / PAGE_SIZE];
	unsigned int nr = 0, i;
	pte_t *ptep, *pte;

	if (vma->vm_ops && vma->vm_ops->map_pages) {
		/* do_fault_around()'s window, within the VMA and page table */
		unsigned long lo = max(address & PMD_MASK, vma->vm_start);
		unsigned long hi = min((address & PMD_MASK) + PMD_SIZE,
				       vma->vm_end);

		start = max(ALIGN_DOWN(address, EXT_WINDOW), lo);
		end = min(start + EXT_WINDOW, hi);
	}
	/* Pairs with the release in ext_inv_seq_bump() */
	seq = smp_load_acquire(&ext->inv_seq);
	if (READ_ONCE(ext->inv_count))
		return false;
	ptep = pte_offset_map(pmd, start);
	if (!ptep)
		return false;
	for (addr = start, pte = ptep; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t entry = ptep_get(pte);
		unsigned long pfn = pte_pfn(entry);

		if (!pte_present(entry))
			continue;
		/* A large folio is mapped whole: the slow path reads it all */
		if (addr == address && !pte_special(entry) && pfn_valid(pfn) &&
		    PageCompound(pfn_to_page(pfn))) {
			pte_unmap(ptep);
			return false;
		}
		ext_run_add(runs, &nr, ARRAY_SIZE(runs), addr, addr + PAGE_SIZE,
			    ext_val(addr, pfn, class, EXT_4K));
	}
	pte_unmap(ptep);
	if (!nr)
		return true;
	ext_lock(ext);
	if (ext->inv_seq != seq) {
		ext_unlock(ext);
		return false;
	}
	for (i = 0; i < nr; i++)
		ext_add_locked(ext, runs[i].start, runs[i].end, runs[i].val);
	ext_unlock(ext);
	return true;
}

/*
 * do_anonymous_page() and set_pte_range() (finish_fault(), fault-around),
 * under the page table lock, right after set_ptes(): [addr, addr + nr pages)
 * now maps the frames from @pfn on.  Holding the page table lock, the
 * entries cannot change under us, so no page table read and no sequence
 * check is needed: an invalidation that began before is still in progress
 * (ext_may_insert() refuses), one that begins later removes the run again.
 * If the fault's own address was recorded, ext->hint tells
 * anker_extents_fault() so; an invalidation resets it.
 */
void __anker_extents_map(struct vm_fault *vmf, unsigned long addr,
			 unsigned long pfn, unsigned int nr)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long end = addr + nr * PAGE_SIZE;
	struct anker_extents *ext;

	rcu_read_lock();	/* ext is freed after a grace period */
	ext = READ_ONCE(vma->vm_mm->anker_extents);
	if (ext) {
		ext_lock(ext);
		if (ext_add_locked(ext, addr, end,
				   ext_val(addr, pfn, ext_class(vma), EXT_4K)) &&
		    vmf->address >= addr && vmf->address < end)
			WRITE_ONCE(ext->hint, vmf->address);
		ext_unlock(ext);
	}
	rcu_read_unlock();
}

void __anker_extents_fault(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anker_extents *ext;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud, pudval;
	pmd_t *pmd, pmdval;
	bool done;

	if (vma->vm_flags & VM_PFNMAP)
		return;
	address &= PAGE_MASK;	/* handle_mm_fault() gets the faulting byte */

	/* Recorded by anker_extents_map() during this fault? */
	rcu_read_lock();
	ext = READ_ONCE(mm->anker_extents);
	done = !ext || READ_ONCE(ext->hint) == address;
	rcu_read_unlock();
	if (done)
		return;
#ifdef CONFIG_HUGETLB_PAGE
	if (is_vm_hugetlb_page(vma)) {
		hugetlb_vma_lock_read(vma);
		rcu_read_lock();
		ext = READ_ONCE(mm->anker_extents);
		if (ext)
			ext_fault_hugetlb(ext, vma, address);
		rcu_read_unlock();
		hugetlb_vma_unlock_read(vma);
		return;
	}
#endif
	/* The mmap_lock or VMA lock keeps the upper tables. */
	pgd = pgd_offset(mm, address);
	if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
		return;
	p4d = p4d_offset(pgd, address);
	if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
		return;
	pud = pud_offset(p4d, address);
	pudval = READ_ONCE(*pud);
	if (pud_none(pudval) || !pud_present(pudval) || pud_leaf(pudval))
		return;
	pmd = pmd_offset(pud, address);
	pmdval = pmdp_get_lockless(pmd);
	if (pmd_none(pmdval) || !pmd_present(pmdval))
		return;

	rcu_read_lock();	/* ext is freed after a grace period */
	ext = READ_ONCE(mm->anker_extents);
	if (ext) {
		if (pmd_trans_huge(pmdval) || pmd_leaf(pmdval))
			ext_fault_pmd(ext, vma, pmd, address);
		else if (!ext_fault_fast(ext, vma, pmd, address))
			ext_fault_pte(ext, vma, pmd, address);
	}
	rcu_read_unlock();
}

/* ---- the MMU notifier ---- */

static struct anker_extents *mn_ext(struct mmu_notifier *mn)
{
	return container_of(mn, struct anker_extents, mn);
}

/*
 * Under the tree lock: an invalidation starts or ends.  The release orders
 * the page table changes of the invalidation before the new count, so a
 * lockless reader that sees the count also sees them (ext_fault_fast()).
 */
static void ext_inv_seq_bump(struct anker_extents *ext)
{
	/* Pairs with smp_load_acquire() in ext_fault_fast() */
	smp_store_release(&ext->inv_seq, ext->inv_seq + 1);
}

static bool ext_event_ignored(const struct mmu_notifier_range *range)
{
	return range->event == MMU_NOTIFY_PROTECTION_PAGE ||
	       range->event == MMU_NOTIFY_SOFT_DIRTY;
}

static int ext_invalidate_start(struct mmu_notifier *mn,
				const struct mmu_notifier_range *range)
{
	struct anker_extents *ext = mn_ext(mn);

	if (ext_event_ignored(range))
		return 0;
	ext_lock(ext);
	if (!ext->inv_count++) {
		ext->inv_start = range->start;
		ext->inv_end = range->end;
	} else {
		ext->inv_start = min(ext->inv_start, range->start);
		ext->inv_end = max(ext->inv_end, range->end);
	}
	ext_inv_seq_bump(ext);
	WRITE_ONCE(ext->hint, EXT_NO_HINT);
	if (!ext->dead) {
		ext_cut_tail_locked(ext, range->start, range->end);
		ext_remove_locked(ext, range->start, range->end);
	}
	ext_unlock(ext);
	return 0;
}

static void ext_invalidate_end(struct mmu_notifier *mn,
			       const struct mmu_notifier_range *range)
{
	struct anker_extents *ext = mn_ext(mn);

	if (ext_event_ignored(range))
		return;
	ext_lock(ext);
	/* Registration takes all mm locks: no start is ever missed. */
	if (ext->inv_count)
		ext->inv_count--;
	ext_inv_seq_bump(ext);
	ext_unlock(ext);
}

/* Stop tracking: empty the set, refuse insertions. */
static void ext_kill(struct anker_extents *ext)
{
	ext_lock(ext);
	ext->dead = true;
	ext->hint = EXT_NO_HINT;
	ext->tail.start = ext->tail.end = 0;
	ext_destroy_locked(ext);
	ext_unlock(ext);
}

static void ext_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	ext_kill(mn_ext(mn));
	WRITE_ONCE(mm->anker_extents, NULL);
	mmu_notifier_put(mn);
}

static struct mmu_notifier *ext_alloc_notifier(struct mm_struct *mm)
{
	struct anker_extents *ext = kzalloc(sizeof(*ext), GFP_KERNEL_ACCOUNT);

	if (!ext)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&ext->lock);
	ext->root = RB_ROOT_CACHED;
	ext->hint = EXT_NO_HINT;
	return &ext->mn;
}

static void ext_free_notifier(struct mmu_notifier *mn)
{
	/* The fault path looks at it under rcu_read_lock() */
	kfree_rcu(mn_ext(mn), rcu);
}

static const struct mmu_notifier_ops ext_mn_ops = {
	.release		= ext_release,
	.invalidate_range_start	= ext_invalidate_start,
	.invalidate_range_end	= ext_invalidate_end,
	.alloc_notifier		= ext_alloc_notifier,
	.free_notifier		= ext_free_notifier,
};

/* Start tracking @mm; mmap_lock held for writing. */
static struct anker_extents *ext_register(struct mm_struct *mm)
{
	struct mmu_notifier *mn;

	mmap_assert_write_locked(mm);
	if (mm->anker_extents)
		return mm->anker_extents;
	mn = mmu_notifier_get_locked(&ext_mn_ops, mm);
	if (IS_ERR(mn))
		return ERR_CAST(mn);
	WRITE_ONCE(mm->anker_extents, mn_ext(mn));
	return mn_ext(mn);
}

/* Stop tracking @mm; mmap_lock held for writing. */
static void ext_unregister(struct mm_struct *mm)
{
	struct anker_extents *ext = mm->anker_extents;

	mmap_assert_write_locked(mm);
	if (!ext)
		return;
	WRITE_ONCE(mm->anker_extents, NULL);
	ext_kill(ext);
	mmu_notifier_put(&ext->mn);
}

void anker_extents_mm_init(struct mm_struct *mm)
{
	struct mm_struct *parent = current->mm;
	bool want;

	mm->anker_extents = NULL;
	if (!static_branch_unlikely(&anker_extents_key))
		return;
	want = READ_ONCE(anker_extents_mode) == 2 ||
	       (parent && !(current->flags & PF_KTHREAD) &&
		READ_ONCE(parent->anker_extents));
	if (!want)
		return;
	mmap_write_lock(mm);
	ext_register(mm);	/* on failure the mm is just not tracked */
	mmap_write_unlock(mm);
}

/* ---- the page-table walk (EXTENTS_SYNC, EXTENTS_CHECK) ---- */

#define EXT_WALK_BUF	512

/* A growable array of runs in address order */
struct ext_runs {
	struct ext_run *r;
	size_t nr, cap;
};

static int ext_runs_add(struct ext_runs *runs, unsigned long start,
			unsigned long end, unsigned long val)
{
	struct ext_run *last = runs->nr ? &runs->r[runs->nr - 1] : NULL;

	if (last && last->end == start && last->val == val) {
		last->end = end;
		return 0;
	}
	if (runs->nr == runs->cap) {
		size_t cap = max_t(size_t, 2 * runs->cap, 256);
		struct ext_run *r = kvmalloc_array(cap, sizeof(*r), GFP_KERNEL);

		if (!r)
			return -ENOMEM;
		if (runs->nr)
			memcpy(r, runs->r, runs->nr * sizeof(*r));
		kvfree(runs->r);
		runs->r = r;
		runs->cap = cap;
	}
	runs->r[runs->nr++] = (struct ext_run){ start, end, val };
	return 0;
}

struct ext_walk {
	struct anker_extents *ext;	/* insert into it, or */
	struct ext_runs *out;		/* collect into it */
	struct ext_run *buf;		/* one page table's runs */
	unsigned int nr;
};

/* Under the page table lock: insert the buffered runs (insert mode). */
static void ext_walk_insert(struct ext_walk *w)
{
	unsigned int i;

	if (!w->ext || !w->nr)
		return;
	ext_lock(w->ext);
	for (i = 0; i < w->nr; i++)
		ext_insert_locked(w->ext, w->buf[i].start, w->buf[i].end,
				  w->buf[i].val);
	ext_unlock(w->ext);
	w->nr = 0;
}

/* After the page table lock: collect the buffered runs (collect mode). */
static int ext_walk_collect(struct ext_walk *w)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < w->nr && !err; i++)
		err = ext_runs_add(w->out, w->buf[i].start, w->buf[i].end,
				   w->buf[i].val);
	w->nr = 0;
	return err;
}

static int ext_pmd_entry(pmd_t *pmd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	struct ext_walk *w = walk->private;
	unsigned long class = ext_class(walk->vma);
	spinlock_t *ptl;
	pte_t *ptep, *pte;

	ptl = pmd_trans_huge_lock(pmd, walk->vma);
	if (ptl) {
		pmd_t val = pmdp_get(pmd);

		if (pmd_present(val)) {
			unsigned long start = addr & PMD_MASK;

			ext_run_add(w->buf, &w->nr, EXT_WALK_BUF, start,
				    start + PMD_SIZE,
				    ext_val(start, pmd_pfn(val), class, EXT_2M));
			ext_walk_insert(w);
		}
		spin_unlock(ptl);
		walk->action = ACTION_CONTINUE;
		return ext_walk_collect(w);
	}
	ptep = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
	if (!ptep) {
		walk->action = ACTION_AGAIN;
		return 0;
	}
	for (pte = ptep; addr < next; addr += PAGE_SIZE, pte++) {
		pte_t entry = ptep_get(pte);

		if (pte_present(entry))
			ext_run_add(w->buf, &w->nr, EXT_WALK_BUF, addr,
				    addr + PAGE_SIZE,
				    ext_val(addr, pte_pfn(entry), class,
					    EXT_4K));
	}
	ext_walk_insert(w);
	pte_unmap_unlock(ptep, ptl);
	walk->action = ACTION_CONTINUE;
	return ext_walk_collect(w);
}

#ifdef CONFIG_HUGETLB_PAGE
static int ext_hugetlb_entry(pte_t *ptep, unsigned long hmask,
			     unsigned long addr, unsigned long next,
			     struct mm_walk *walk)
{
	struct ext_walk *w = walk->private;
	struct hstate *h = hstate_vma(walk->vma);
	unsigned long sz = huge_page_size(h), start = addr & hmask;
	spinlock_t *ptl;
	pte_t entry;

	ptl = huge_pte_lock(h, walk->mm, ptep);
	entry = huge_ptep_get(walk->mm, start, ptep);
	if (pte_present(entry)) {
		unsigned long pfn = pte_pfn(entry) & ~((sz >> PAGE_SHIFT) - 1);

		ext_run_add(w->buf, &w->nr, EXT_WALK_BUF, start, start + sz,
			    ext_val(start, pfn, ext_class(walk->vma),
				    ext_psize_code(sz)));
		ext_walk_insert(w);
	}
	spin_unlock(ptl);
	return ext_walk_collect(w);
}
#endif

static const struct mm_walk_ops ext_walk_ops = {
	.pmd_entry	= ext_pmd_entry,
#ifdef CONFIG_HUGETLB_PAGE
	.hugetlb_entry	= ext_hugetlb_entry,
#endif
	.walk_lock	= PGWALK_RDLOCK,
};

/* Walk all of @mm (mmap_lock held): insert into @ext or collect in @out. */
static int ext_walk_mm(struct mm_struct *mm, struct anker_extents *ext,
		       struct ext_runs *out)
{
	struct ext_walk w = { .ext = ext, .out = out };
	int err;

	w.buf = kmalloc_array(EXT_WALK_BUF, sizeof(*w.buf), GFP_KERNEL);
	if (!w.buf)
		return -ENOMEM;
	err = walk_page_range(mm, 0, TASK_SIZE_MAX, &ext_walk_ops, &w);
	kfree(w.buf);
	return err;
}

/* Copy the set into @out (address order); mmap_lock held. */
static int ext_snapshot(struct anker_extents *ext, struct ext_runs *out)
{
	for (;;) {
		struct rb_node *rb;
		bool full = false;
		size_t n;

		ext_lock(ext);
		ext_flush_tail_locked(ext);
		n = ext->nr_nodes;
		ext_unlock(ext);
		out->cap = n + 64;
		out->nr = 0;
		out->r = kvmalloc_array(out->cap, sizeof(*out->r), GFP_KERNEL);
		if (!out->r)
			return -ENOMEM;
		ext_lock(ext);
		ext_flush_tail_locked(ext);
		for (rb = rb_first_cached(&ext->root); rb; rb = rb_next(rb)) {
			struct ext_node *e = rb_entry(rb, struct ext_node, rb);

			if (out->nr == out->cap) {
				full = true;
				break;
			}
			out->r[out->nr++] = (struct ext_run){
				e->start, e->last + 1, e->val };
		}
		ext_unlock(ext);
		if (!full)
			return 0;
		kvfree(out->r);		/* grew meanwhile */
	}
}

/* Number of extents (runs merged across page sizes) within [start, end) */
static u64 ext_count(const struct ext_runs *runs, unsigned long start,
		     unsigned long end)
{
	const struct ext_run *prev = NULL;
	u64 n = 0;
	size_t i;

	for (i = 0; i < runs->nr; i++) {
		const struct ext_run *r = &runs->r[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (!prev || prev->end != r->start ||
		    !ext_continues(prev->val, r->val))
			n++;
		prev = r;
	}
	return n;
}

static u64 ext_bytes(const struct ext_runs *runs, unsigned long start,
		     unsigned long end)
{
	u64 b = 0;
	size_t i;

	for (i = 0; i < runs->nr; i++) {
		unsigned long s = max(runs->r[i].start, start);
		unsigned long e = min(runs->r[i].end, end);

		if (s < e)
			b += e - s;
	}
	return b;
}

/* Bytes of [start, end) where both hold the same translation */
static u64 ext_matched(const struct ext_runs *a, const struct ext_runs *b,
		       unsigned long start, unsigned long end)
{
	size_t i = 0, j = 0;
	u64 m = 0;

	while (i < a->nr && j < b->nr) {
		const struct ext_run *x = &a->r[i], *y = &b->r[j];
		unsigned long s = max3(x->start, y->start, start);
		unsigned long e = min3(x->end, y->end, end);

		if (s < e && x->val == y->val)
			m += e - s;
		if (x->end < y->end)
			i++;
		else
			j++;
	}
	return m;
}

static int ext_check(struct mm_struct *mm, struct extents_check __user *uarg)
{
	struct ext_runs set = {}, walk = {};
	struct anker_extents *ext;
	struct extents_check c;
	unsigned long start, end;
	u64 matched;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	if (!c.start && !c.end)
		c.end = TASK_SIZE_MAX;
	if (c.start >= c.end || !PAGE_ALIGNED(c.start) || !PAGE_ALIGNED(c.end))
		return -EINVAL;
	start = c.start;
	end = min_t(u64, c.end, TASK_SIZE_MAX);

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	ext = mm->anker_extents;
	if (!ext) {
		mmap_read_unlock(mm);
		return -ENODATA;
	}
	ret = ext_walk_mm(mm, NULL, &walk);
	if (!ret)
		ret = ext_snapshot(ext, &set);
	mmap_read_unlock(mm);
	if (ret)
		goto out;

	c.tracked_extents = ext_count(&set, start, end);
	c.tracked_bytes = ext_bytes(&set, start, end);
	c.walk_extents = ext_count(&walk, start, end);
	c.walk_bytes = ext_bytes(&walk, start, end);
	matched = ext_matched(&set, &walk, start, end);
	c.missing_bytes = c.walk_bytes - matched;
	c.wrong_bytes = c.tracked_bytes - matched;
	if (c.wrong_bytes)
		ret = EXTENTS_WRONG;
	else if (c.missing_bytes)
		ret = EXTENTS_SUBSET;
	else
		ret = EXTENTS_EQUAL;
	if (copy_to_user(uarg, &c, sizeof(c)))
		ret = -EFAULT;
out:
	kvfree(set.r);
	kvfree(walk.r);
	return ret;
}

static int ext_enable(struct mm_struct *mm)
{
	struct anker_extents *ext;
	bool fresh;
	int ret;

	if (!READ_ONCE(anker_extents_mode))
		return -EOPNOTSUPP;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	fresh = !mm->anker_extents;
	ext = ext_register(mm);
	if (IS_ERR(ext)) {
		mmap_write_unlock(mm);
		return PTR_ERR(ext);
	}
	mmap_write_downgrade(mm);
	/* What is mapped already: the notifier sees every later change. */
	ret = fresh ? ext_walk_mm(mm, ext, NULL) : 0;
	mmap_read_unlock(mm);
	return ret;
}

static int ext_sync(struct mm_struct *mm)
{
	int ret = -ENODATA;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	if (mm->anker_extents)
		ret = ext_walk_mm(mm, mm->anker_extents, NULL);
	mmap_read_unlock(mm);
	return ret;
}

static int ext_disable(struct mm_struct *mm)
{
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	ext_unregister(mm);
	mmap_write_unlock(mm);
	return 0;
}

SYSCALL_DEFINE4(extents_ctl, pid_t, pid, unsigned int, op, unsigned int, flags,
		void __user *, arg)
{
	struct task_struct *task;
	struct mm_struct *mm;
	long ret;

	if (flags || op > EXTENTS_SYNC || pid < 0)
		return -EINVAL;
	if (pid) {
		task = find_get_task_by_vpid(pid);
		if (!task)
			return -ESRCH;
	} else {
		task = get_task_struct(current);
	}
	/* Acting on another process: as ptrace attach would be allowed */
	mm = mm_access(task, PTRACE_MODE_ATTACH_REALCREDS);
	put_task_struct(task);
	if (IS_ERR_OR_NULL(mm))	/* -ESRCH: exited or a kernel thread */
		return mm ? (PTR_ERR(mm) == -EACCES ? -EPERM : PTR_ERR(mm)) : -ESRCH;

	switch (op) {
	case EXTENTS_DISABLE:
		ret = ext_disable(mm);
		break;
	case EXTENTS_ENABLE:
		ret = ext_enable(mm);
		break;
	case EXTENTS_STATUS:
		ret = !!READ_ONCE(mm->anker_extents);
		break;
	case EXTENTS_CHECK:
		ret = ext_check(mm, arg);
		break;
	default:
		ret = ext_sync(mm);
		break;
	}
	mmput(mm);
	return ret;
}

/* ---- /proc/PID/extents ---- */

static int ext_cmp_desc(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

static void ext_show_share(struct seq_file *m, const char *name, u64 part,
			   u64 total)
{
	u64 bp = total ? div64_u64(part * 10000, total) : 0;

	seq_printf(m, "%s %llu.%02llu\n", name, bp / 100, bp % 100);
}

static const char *const ext_psize_names[] = {
	[EXT_4K] = "4k", [EXT_2M] = "2M", [EXT_1G] = "1G"
};

static void ext_show_line(struct seq_file *m, unsigned long start,
			  unsigned long end, unsigned long val,
			  unsigned int sizes, bool show_pa)
{
	unsigned long class = val & EXT_CLASS_MASK;
	const char *sep = "";
	int i;

	seq_printf(m, "%lx-%lx %lu ", start, end, end - start);
	for (i = 0; i < ARRAY_SIZE(ext_psize_names); i++) {
		if (sizes & BIT(i)) {
			seq_printf(m, "%s%s", sep, ext_psize_names[i]);
			sep = "+";
		}
	}
	seq_printf(m, " %c%c%c%c %llx\n",
		   class & VM_READ ? 'r' : '-', class & VM_WRITE ? 'w' : '-',
		   class & VM_EXEC ? 'x' : '-', class & VM_SHARED ? 's' : 'p',
		   show_pa ? (u64)ext_pfn(val, start) << PAGE_SHIFT : 0ULL);
}

int proc_pid_extents(struct seq_file *m, struct pid_namespace *ns,
		     struct pid *pid, struct task_struct *task)
{
	static const unsigned int tops[] = { 8, 32, 128, 512 };
	bool show_pa = file_ns_capable(m->file, &init_user_ns, CAP_SYS_ADMIN);
	struct ext_runs set = {};
	u64 *lens = NULL, total = 0, top;
	unsigned long rss = 0;
	size_t i, n = 0, k;
	struct mm_struct *mm;
	bool on = false;
	int ret = 0;

	mm = mm_access(task, PTRACE_MODE_READ_FSCREDS);
	if (IS_ERR(mm) && PTR_ERR(mm) != -ESRCH)
		return PTR_ERR(mm);
	if (!IS_ERR_OR_NULL(mm)) {	/* -ESRCH: no mm, nothing tracked */
		if (mmap_read_lock_killable(mm)) {
			mmput(mm);
			return -EINTR;
		}
		on = mm->anker_extents;
		if (on)
			ret = ext_snapshot(mm->anker_extents, &set);
		mmap_read_unlock(mm);
		rss = get_mm_rss(mm);
		mmput(mm);
	}
	if (ret)
		return ret;
	if (set.nr) {
		lens = kvmalloc_array(set.nr, sizeof(*lens), GFP_KERNEL);
		if (!lens) {
			kvfree(set.r);
			return -ENOMEM;
		}
	}
	/* Runs of different page sizes continuing each other: one extent */
	for (i = 0; i < set.nr; i++) {
		struct ext_run *r = &set.r[i];

		if (n && set.r[i - 1].end == r->start &&
		    ext_continues(set.r[i - 1].val, r->val))
			lens[n - 1] += r->end - r->start;
		else
			lens[n++] = r->end - r->start;
		total += r->end - r->start;
	}
	seq_printf(m, "enabled %d\nextents %zu\nresident %llu\nrss %lu\n",
		   on, n, total, rss << PAGE_SHIFT);
	sort(lens, n, sizeof(*lens), ext_cmp_desc, NULL);
	for (k = 0, i = 0, top = 0; k < ARRAY_SIZE(tops); k++) {
		char name[8];

		for (; i < n && i < tops[k]; i++)
			top += lens[i];
		snprintf(name, sizeof(name), "top%u", tops[k]);
		ext_show_share(m, name, top, total);
	}
	kvfree(lens);

	for (i = 0; i < set.nr; ) {
		struct ext_run *r = &set.r[i];
		unsigned long end = r->end;
		unsigned int sizes = BIT(ext_psize(r->val));

		for (i++; i < set.nr && set.r[i].start == end &&
		     ext_continues(r->val, set.r[i].val); i++) {
			end = set.r[i].end;
			sizes |= BIT(ext_psize(set.r[i].val));
		}
		ext_show_line(m, r->start, end, r->val, sizes, show_pa);
	}
	kvfree(set.r);
	return 0;
}

/* ---- vm.anker_extents ---- */

static int ext_sysctl_handler(const struct ctl_table *table, int write,
			      void *buffer, size_t *lenp, loff_t *ppos)
{
	int ret;

	mutex_lock(&anker_extents_sysctl_mutex);
	ret = proc_dointvec_minmax(table, write, buffer, lenp, ppos);
	if (!ret && write) {
		if (anker_extents_mode)
			static_branch_enable(&anker_extents_key);
		else
			static_branch_disable(&anker_extents_key);
	}
	mutex_unlock(&anker_extents_sysctl_mutex);
	return ret;
}

static struct ctl_table ext_sysctls[] = {
	{
		.procname	= "anker_extents",
		.data		= &anker_extents_mode,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= ext_sysctl_handler,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
};

static int __init anker_extents_init(void)
{
	ext_node_cache = KMEM_CACHE(ext_node, SLAB_PANIC);
	register_sysctl_init("vm", ext_sysctls);
	if (anker_extents_mode)
		static_branch_enable(&anker_extents_key);
	return anker_feature_add("extents",
				 "syscall %d, /proc/PID/extents, vm.anker_extents",
				 ANKER_NR_extents_ctl);
}
device_initcall(anker_extents_init);
