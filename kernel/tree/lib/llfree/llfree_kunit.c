// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "llfree": the core checks of LLFree's host unit tests
 * (tests/unit/llfree/llfree_checks.h in the Anker repository), run inside
 * the kernel against the same library sources.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define LLF_T			struct kunit
#define LLF_EXPECT(t, cond)	KUNIT_EXPECT_TRUE(t, cond)
#define LLF_CASE_TYPE		struct kunit_case
#define LLF_CASE(fn)		KUNIT_CASE(fn)
#define LLF_CASES_END		{}

/* Metadata and test buffers: page aligned, so 64-byte aligned too */
static void *llf_test_alloc(size_t size)
{
	return vzalloc(size);
}

static void llf_test_free(void *p)
{
	vfree(p);
}

#include "llfree_checks.h"

/*
 * Kernel only: kthreads get and put random orders at once, on whatever CPU
 * they run (the core argument is the CPU), with the kernel's atomics. An
 * ownership bitmap catches a frame handed out twice.
 */
#define LLF_KT_THREADS	4
#define LLF_KT_OPS	20000
#define LLF_KT_LIVE	128

struct llf_kt_shared {
	struct llfree *a;
	unsigned long *owner;
	atomic_t twice, errors;
};

struct llf_kt_worker {
	struct llf_kt_shared *s;
	struct completion done;
	uint64_t seed;
	unsigned int live;
	int64_t blk[LLF_KT_LIVE];
	uint8_t ord[LLF_KT_LIVE];
};

static void llf_kt_put(struct llf_kt_worker *w, unsigned int k)
{
	uint64_t f, n = 1ull << w->ord[k];

	for (f = w->blk[k]; f < w->blk[k] + n; f++)
		clear_bit(f, w->s->owner);
	if (llfree_put(w->s->a, raw_smp_processor_id(), w->blk[k], w->ord[k]))
		atomic_inc(&w->s->errors);
	w->live--;
	w->blk[k] = w->blk[w->live];
	w->ord[k] = w->ord[w->live];
}

static int llf_kt_thread(void *arg)
{
	struct llf_kt_worker *w = arg;
	int i;

	for (i = 0; i < LLF_KT_OPS; i++) {
		uint64_t r = llf_rand(&w->seed), f;
		uint32_t o = r % 10 < 6 ? 0 : r % 10 < 9 ? 1 + (r >> 8) % 8 :
			     9 + (r >> 8) % 2;
		int64_t b;

		if (w->live && (w->live == LLF_KT_LIVE || (r >> 16) % 2)) {
			llf_kt_put(w, (r >> 24) % w->live);
			continue;
		}
		b = llfree_get(w->s->a, raw_smp_processor_id(), o, (r >> 32) % 2);
		if (b == LLFREE_ERR_MEMORY)
			continue;
		if (b < 0) {
			atomic_inc(&w->s->errors);
			continue;
		}
		for (f = b; f < b + (1ull << o); f++) {
			if (test_and_set_bit(f, w->s->owner))
				atomic_inc(&w->s->twice);
		}
		w->blk[w->live] = b;
		w->ord[w->live++] = o;
		if (i % 256 == 0)
			cond_resched();
	}
	while (w->live)
		llf_kt_put(w, w->live - 1);
	complete(&w->done);
	return 0;
}

static void llf_check_kthreads(struct kunit *t)
{
	struct llf_kt_worker *w[LLF_KT_THREADS] = { NULL };
	struct llf_kt_shared s = { 0 };
	struct llf_env e = { 0 };
	unsigned int i, c;

	if (!llf_env_init(t, &e, nr_cpu_ids, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	s.a = &e.a;
	s.owner = llf_test_alloc(LLF_FRAMES / 8);
	KUNIT_EXPECT_NOT_NULL(t, s.owner);
	if (!s.owner)
		goto out;
	for (i = 0; i < LLF_KT_THREADS; i++) {
		w[i] = kzalloc(sizeof(*w[i]), GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(t, w[i]);
		if (!w[i])
			goto out;
		w[i]->s = &s;
		w[i]->seed = 0x9e3779b97f4a7c15ull * (i + 1);
		init_completion(&w[i]->done);
	}
	for (i = 0; i < LLF_KT_THREADS; i++) {
		struct task_struct *task;

		task = kthread_run(llf_kt_thread, w[i], "llfree-kunit/%u", i);
		KUNIT_EXPECT_FALSE(t, IS_ERR(task));
		if (IS_ERR(task))
			complete(&w[i]->done);
	}
	for (i = 0; i < LLF_KT_THREADS; i++)
		wait_for_completion(&w[i]->done);
	for (c = 0; c < nr_cpu_ids; c++)
		llfree_drain(&e.a, c);
	KUNIT_EXPECT_EQ(t, atomic_read(&s.twice), 0);
	KUNIT_EXPECT_EQ(t, atomic_read(&s.errors), 0);
	KUNIT_EXPECT_EQ(t, llfree_free_frames(&e.a), LLF_FRAMES);
	KUNIT_EXPECT_EQ(t, llfree_validate(&e.a), LLFREE_OK);
out:
	for (i = 0; i < LLF_KT_THREADS; i++)
		kfree(w[i]);
	llf_test_free(s.owner);
	llf_env_fini(&e);
}

static struct kunit_suite llfree_test_suite = {
	.name = "llfree",
	.test_cases = llf_cases,
};

static struct kunit_case llfree_smp_cases[] = {
	KUNIT_CASE(llf_check_kthreads),
	{}
};

static struct kunit_suite llfree_smp_test_suite = {
	.name = "llfree_smp",
	.test_cases = llfree_smp_cases,
};

kunit_test_suites(&llfree_test_suite, &llfree_smp_test_suite);

MODULE_DESCRIPTION("KUnit tests of the LLFree page-frame allocator");
MODULE_LICENSE("GPL");
