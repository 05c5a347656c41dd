// SPDX-License-Identifier: GPL-2.0
/*
 * LLFree as the kernel's page-frame allocator (CONFIG_ANKER_LLFREE_ALLOC).
 *
 * One LLFree instance per populated zone, over the zone's pfn range rounded
 * down to MAX_ORDER_NR_PAGES (so LLFree's order-9/10 alignment is the pfn's).
 * Its metadata comes from memblock, before memblock_free_all(); the instance
 * starts with every frame allocated (LLFREE_INIT_ALLOC), and memblock's free
 * ranges reach it through __free_pages_core() -> free_one_page(), which
 * mm/page_alloc.c routes here. From then on rmqueue() and free_one_page()
 * call anker_llfree_alloc()/anker_llfree_free(); the per-CPU page lists stay
 * empty (LLFree's per-core reservations take their place).
 *
 * anker_llfree=off on the command line leaves the static key off: the buddy
 * allocator runs, with the same binary.
 *
 * /proc/llfreeinfo: free frames and free 2 MiB frames per zone; writing
 * "validate" to it checks every instance against its bitfields with all
 * CPUs stopped (root only).
 *
 * See Documentation/anker/llfree-kernel.rst.
 */
#include <linux/anker.h>
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmstat.h>

#include "../lib/llfree/llfree.h"
#include "anker_llfree_alloc.h"

DEFINE_STATIC_KEY_FALSE(anker_llfree_key);

struct anker_llfree_zone {
	struct llfree llf;
	unsigned long base;	/* pfn of LLFree's frame 0 */
	struct zone *zone;	/* NULL: no instance */
	atomic_long_t refused;	/* frees LLFree refused (pages leaked) */
};

static struct anker_llfree_zone llf_zones[MAX_NUMNODES * MAX_NR_ZONES];
static bool llf_param_on __initdata = true;

static int __init anker_llfree_param(char *arg)
{
	if (!arg)
		return -EINVAL;
	return kstrtobool(arg, &llf_param_on);
}
early_param("anker_llfree", anker_llfree_param);

static inline struct anker_llfree_zone *llf_zone(struct zone *zone)
{
	return &llf_zones[zone_to_nid(zone) * MAX_NR_ZONES + zone_idx(zone)];
}

/* MOVABLE -> movable trees; UNMOVABLE, RECLAIMABLE, HIGHATOMIC -> unmovable */
static inline enum llfree_kind llf_kind(int migratetype)
{
	return migratetype == MIGRATE_MOVABLE ? LLFREE_MOVABLE :
		LLFREE_UNMOVABLE;
}

void __init anker_llfree_boot_init(void)
{
	struct zone *zone;
	unsigned int n = 0;

	if (!llf_param_on) {
		pr_info("anker_llfree: off (anker_llfree=off): buddy allocator\n");
		return;
	}
	for_each_zone(zone) {
		struct anker_llfree_zone *z = llf_zone(zone);
		unsigned long base, frames;
		size_t size;
		void *meta;

		if (zone_is_empty(zone))
			continue;
		base = ALIGN_DOWN(zone->zone_start_pfn, MAX_ORDER_NR_PAGES);
		frames = zone_end_pfn(zone) - base;
		size = llfree_metadata_size(nr_cpu_ids, frames);
		meta = size ? memblock_alloc_node(size, LLFREE_META_ALIGN,
						  zone_to_nid(zone)) : NULL;
		if (!meta ||
		    llfree_init(&z->llf, nr_cpu_ids, frames, LLFREE_INIT_ALLOC,
				meta) != LLFREE_OK) {
			/* nothing was handed out yet: buddy takes over */
			pr_err("anker_llfree: zone %s: no metadata (%zu bytes): buddy allocator\n",
			       zone->name, size);
			memset(llf_zones, 0, sizeof(llf_zones));
			return;
		}
		z->base = base;
		z->zone = zone;
		n++;
		pr_info("anker_llfree: node %d zone %s: pfn %#lx-%#lx, %lu frames, %zu bytes of metadata\n",
			zone_to_nid(zone), zone->name, base, base + frames,
			frames, size);
	}
	if (!n)
		return;
	static_branch_enable(&anker_llfree_key);
	pr_info("anker_llfree: LLFree serves %u zone(s), orders 0-%u, %u cores; compaction finds no free pages in its zones\n",
		n, MAX_PAGE_ORDER, nr_cpu_ids);
}

struct page *anker_llfree_alloc(struct zone *zone, unsigned int order,
				int migratetype)
{
	struct anker_llfree_zone *z = llf_zone(zone);
	int64_t frame;

	if (unlikely(!z->zone))
		return NULL;
	frame = llfree_get(&z->llf, get_cpu(), order, llf_kind(migratetype));
	put_cpu();
	if (frame < 0)
		return NULL;
	mod_zone_page_state(zone, NR_FREE_PAGES, -(1L << order));
	return pfn_to_page(z->base + frame);
}

void anker_llfree_free(struct zone *zone, struct page *page,
		       unsigned long pfn, unsigned int order)
{
	struct anker_llfree_zone *z = llf_zone(zone);
	unsigned int cpu;
	int ret;

	if (WARN_ON_ONCE(!z->zone))
		return;
	cpu = get_cpu();
	ret = llfree_put(&z->llf, cpu, pfn - z->base, order);
	/*
	 * A base order inside an order-9/10 block: the block was split
	 * (split_page(), a THP split); make its area(s) base areas
	 */
	if (ret == LLFREE_ERR_FREE && order < LLFREE_HUGE_ORDER &&
	    llfree_split(&z->llf, pfn - z->base) == LLFREE_OK)
		ret = llfree_put(&z->llf, cpu, pfn - z->base, order);
	put_cpu();
	if (unlikely(ret != LLFREE_OK)) {
		atomic_long_inc(&z->refused);
		pr_err_ratelimited("anker_llfree: zone %s: free of pfn %#lx order %u refused (%d)\n",
				   zone->name, pfn, order, ret);
		return;
	}
	mod_zone_page_state(zone, NR_FREE_PAGES, 1L << order);
}

static int llf_info_show(struct seq_file *m, void *v)
{
	int i;

	seq_printf(m, "state: %s\n", anker_llfree_enabled() ? "on" : "off");
	for (i = 0; i < ARRAY_SIZE(llf_zones); i++) {
		struct anker_llfree_zone *z = &llf_zones[i];

		if (!z->zone)
			continue;
		seq_printf(m, "node %d zone %-8s frames %llu free %llu huge %llu nr_free_pages %lu refused %ld\n",
			   zone_to_nid(z->zone), z->zone->name, z->llf.frames,
			   llfree_free_frames(&z->llf),
			   llfree_free_huge(&z->llf),
			   zone_page_state(z->zone, NR_FREE_PAGES),
			   atomic_long_read(&z->refused));
	}
	return 0;
}

/* With every other CPU stopped and interrupts off: no get/put runs */
static int llf_validate_stopped(void *data)
{
	int *bad = data;
	int i;

	for (i = 0; i < ARRAY_SIZE(llf_zones); i++) {
		if (llf_zones[i].zone &&
		    llfree_validate(&llf_zones[i].llf) != LLFREE_OK)
			(*bad)++;
	}
	return 0;
}

static ssize_t llf_info_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	char buf[16];
	int bad = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (strcmp(strim(buf), "validate"))
		return -EINVAL;
	if (!anker_llfree_enabled())
		return -ENODEV;
	stop_machine(llf_validate_stopped, &bad, NULL);
	if (bad) {
		pr_err("anker_llfree: validate: %d zone(s) inconsistent\n", bad);
		return -EIO;
	}
	pr_info("anker_llfree: validate: consistent\n");
	return count;
}

static int llf_info_open(struct inode *inode, struct file *file)
{
	return single_open(file, llf_info_show, NULL);
}

static const struct proc_ops llf_info_ops = {
	.proc_open	= llf_info_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= llf_info_write,
};

static int __init anker_llfree_proc_init(void)
{
	proc_create("llfreeinfo", 0644, NULL, &llf_info_ops);
	return anker_feature_add("llfree_alloc", "page allocator: %s; /proc/llfreeinfo",
				 anker_llfree_enabled() ? "LLFree" :
				 "buddy (anker_llfree=off)");
}
late_initcall(anker_llfree_proc_init);

#ifdef CONFIG_ANKER_KUNIT_TEST
#include "anker_llfree_alloc_test.c"
#endif
