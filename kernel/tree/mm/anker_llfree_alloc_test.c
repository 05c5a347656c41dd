// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "anker_llfree_alloc": the page allocator of the running kernel
 * with LLFree behind it. Included by anker_llfree_alloc.c (static helpers).
 * Skips when booted with anker_llfree=off.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/random.h>

static int llf_test_validate(void)
{
	int bad = 0;

	stop_machine(llf_validate_stopped, &bad, NULL);
	return bad;
}

static long llf_test_refused(void)
{
	long r = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(llf_zones); i++)
		r += atomic_long_read(&llf_zones[i].refused);
	return r;
}

static int llf_test_init(struct kunit *test)
{
	if (!anker_llfree_enabled())
		kunit_skip(test, "booted with anker_llfree=off");
	return 0;
}

#define LLF_TEST_BLOCKS	16

/* Every order 0-10: aligned blocks of the zone LLFree serves, given back */
static void llf_test_orders(struct kunit *test)
{
	struct page *pg[LLF_TEST_BLOCKS];
	long refused = llf_test_refused();
	unsigned int order;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		int i, n = 0;

		for (i = 0; i < LLF_TEST_BLOCKS; i++) {
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN |
						     __GFP_NORETRY, order);
			struct anker_llfree_zone *z;

			if (!p)
				break;
			pg[n++] = p;
			z = llf_zone(page_zone(p));
			KUNIT_EXPECT_PTR_EQ(test, z->zone, page_zone(p));
			KUNIT_EXPECT_EQ(test, page_to_pfn(p) & ((1UL << order) - 1), 0);
			KUNIT_EXPECT_FALSE(test, llfree_is_free(&z->llf,
					   page_to_pfn(p) - z->base, order));
		}
		KUNIT_EXPECT_GT_MSG(test, n, 0, "order %u: no block", order);
		for (i = 0; i < n; i++)
			__free_pages(pg[i], order);
	}
	KUNIT_EXPECT_EQ(test, llf_test_refused(), refused);
	KUNIT_EXPECT_EQ(test, llf_test_validate(), 0);
}

/* split_page() of an order-9 block, then 512 frees of order 0 */
static void llf_test_split(struct kunit *test)
{
	long refused = llf_test_refused();
	struct anker_llfree_zone *z;
	struct page *p;
	unsigned long pfn;
	int i;

	p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 9);
	if (!p)
		kunit_skip(test, "no order-9 block free");
	z = llf_zone(page_zone(p));
	pfn = page_to_pfn(p);
	split_page(p, 9);
	for (i = 0; i < 512; i++)
		__free_page(p + i);
	KUNIT_EXPECT_EQ(test, llf_test_refused(), refused);
	KUNIT_EXPECT_TRUE(test, llfree_is_free(&z->llf, pfn - z->base, 0));
	KUNIT_EXPECT_EQ(test, llf_test_validate(), 0);
}

#define LLF_TEST_OPS	3000
#define LLF_TEST_LIVE	32

struct llf_test_worker {
	struct completion done;
	int bad;
	u32 seed;
};

/* Random orders 0-10 allocated and freed; each block is marked while held */
static int llf_test_thread(void *arg)
{
	struct llf_test_worker *w = arg;
	struct page *live[LLF_TEST_LIVE] = { NULL };
	u8 ord[LLF_TEST_LIVE];
	int op;

	for (op = 0; op < LLF_TEST_OPS; op++) {
		int i = get_random_u32_below(LLF_TEST_LIVE);

		if (live[i]) {
			u64 *mark = page_address(live[i]);

			if (*mark != (u64)page_to_pfn(live[i]))
				w->bad++;
			__free_pages(live[i], ord[i]);
			live[i] = NULL;
			continue;
		}
		/* orders 0-3 mostly, 9 and 10 now and then */
		ord[i] = get_random_u32_below(16);
		if (ord[i] > MAX_PAGE_ORDER)
			ord[i] = get_random_u32_below(4);
		live[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
				      ord[i]);
		if (live[i])
			*(u64 *)page_address(live[i]) = page_to_pfn(live[i]);
		if ((op & 63) == 0)
			cond_resched();
	}
	for (op = 0; op < LLF_TEST_LIVE; op++)
		if (live[op])
			__free_pages(live[op], ord[op]);
	complete(&w->done);
	return 0;
}

/* One kthread a CPU at once: no block handed out twice, counters true */
static void llf_test_cpus(struct kunit *test)
{
	struct llf_test_worker *w;
	long refused = llf_test_refused();
	int cpu, n = 0, i, bad = 0;

	w = kunit_kcalloc(test, nr_cpu_ids, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		init_completion(&w[n].done);
		t = kthread_create(llf_test_thread, &w[n], "llf_test/%d", cpu);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		kthread_bind(t, cpu);
		wake_up_process(t);
		n++;
	}
	for (i = 0; i < n; i++) {
		wait_for_completion(&w[i].done);
		bad += w[i].bad;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, llf_test_refused(), refused);
	KUNIT_EXPECT_EQ(test, llf_test_validate(), 0);
}

static struct kunit_case llf_test_cases[] = {
	KUNIT_CASE(llf_test_orders),
	KUNIT_CASE(llf_test_split),
	KUNIT_CASE(llf_test_cpus),
	{}
};

static struct kunit_suite llf_test_suite = {
	.name = "anker_llfree_alloc",
	.init = llf_test_init,
	.test_cases = llf_test_cases,
};
kunit_test_suite(llf_test_suite);
