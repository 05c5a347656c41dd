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
 * they run (the core argument is the CPU, preemption is off from get/put
 * to return, as the contract asks), with the kernel's atomics. An
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

static int64_t llf_kt_get(struct llfree *a, uint32_t order, uint32_t kind)
{
	int64_t f = llfree_get(a, get_cpu(), order, kind);

	put_cpu();
	return f;
}

static int llf_kt_put_frame(struct llfree *a, uint64_t frame, uint32_t order)
{
	int ret = llfree_put(a, get_cpu(), frame, order);

	put_cpu();
	return ret;
}

static void llf_kt_put(struct llf_kt_worker *w, unsigned int k)
{
	uint64_t f, n = 1ull << w->ord[k];

	for (f = w->blk[k]; f < w->blk[k] + n; f++)
		clear_bit(f, w->s->owner);
	if (llf_kt_put_frame(w->s->a, w->blk[k], w->ord[k]))
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
		b = llf_kt_get(w->s->a, o, (r >> 32) % 2);
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

/*
 * One tree, kthreads holding at most 512 frames each: memory is never
 * short, so every failed order-0 get is spurious (issue: a count on its way
 * between a tree and a reservation was seen by nobody).
 */
#define LLF_OT_OPS	20000
#define LLF_OT_HOLD	512

struct llf_ot_worker {
	struct llfree *a;
	struct completion done;
	uint64_t seed;
	atomic_t *failed, *errors;
	int64_t held[LLF_OT_HOLD];
};

static int llf_ot_thread(void *arg)
{
	struct llf_ot_worker *w = arg;
	unsigned int live = 0;
	int i;

	for (i = 0; i < LLF_OT_OPS; i++) {
		uint64_t r = llf_rand(&w->seed);

		if (live < LLF_OT_HOLD && (r % 2 || !live)) {
			int64_t f = llf_kt_get(w->a, 0, (r >> 8) % 2);

			if (f >= 0)
				w->held[live++] = f;
			else
				atomic_inc(w->failed);
		} else {
			unsigned int k = (r >> 16) % live;

			if (llf_kt_put_frame(w->a, w->held[k], 0))
				atomic_inc(w->errors);
			w->held[k] = w->held[--live];
		}
		if (i % 256 == 0)
			cond_resched();
	}
	while (live) {
		if (llf_kt_put_frame(w->a, w->held[--live], 0))
			atomic_inc(w->errors);
	}
	complete(&w->done);
	return 0;
}

static void llf_check_kthreads_one_tree(struct kunit *t)
{
	struct llf_ot_worker *w[LLF_KT_THREADS] = { NULL };
	atomic_t failed = ATOMIC_INIT(0), errors = ATOMIC_INIT(0);
	struct llf_env e = { 0 };
	unsigned int i, c;

	if (!llf_env_init(t, &e, nr_cpu_ids, LLFREE_TREE_FRAMES,
			  LLFREE_INIT_FREE))
		goto out;
	for (i = 0; i < LLF_KT_THREADS; i++) {
		w[i] = kzalloc(sizeof(*w[i]), GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(t, w[i]);
		if (!w[i])
			goto out;
		w[i]->a = &e.a;
		w[i]->failed = &failed;
		w[i]->errors = &errors;
		w[i]->seed = 0xd1b54a32d192ed03ull * (i + 1);
		init_completion(&w[i]->done);
	}
	for (i = 0; i < LLF_KT_THREADS; i++) {
		struct task_struct *task;

		task = kthread_run(llf_ot_thread, w[i], "llfree-kunit1/%u", i);
		KUNIT_EXPECT_FALSE(t, IS_ERR(task));
		if (IS_ERR(task))
			complete(&w[i]->done);
	}
	for (i = 0; i < LLF_KT_THREADS; i++)
		wait_for_completion(&w[i]->done);
	for (c = 0; c < nr_cpu_ids; c++)
		llfree_drain(&e.a, c);
	KUNIT_EXPECT_EQ(t, atomic_read(&failed), 0);
	KUNIT_EXPECT_EQ(t, atomic_read(&errors), 0);
	KUNIT_EXPECT_EQ(t, llfree_free_frames(&e.a), LLFREE_TREE_FRAMES);
	KUNIT_EXPECT_EQ(t, llfree_validate(&e.a), LLFREE_OK);
out:
	for (i = 0; i < LLF_KT_THREADS; i++)
		kfree(w[i]);
	llf_env_fini(&e);
}

static struct kunit_suite llfree_test_suite = {
	.name = "llfree",
	.test_cases = llf_cases,
};

static struct kunit_case llfree_smp_cases[] = {
	KUNIT_CASE(llf_check_kthreads),
	KUNIT_CASE(llf_check_kthreads_one_tree),
	{}
};

static struct kunit_suite llfree_smp_test_suite = {
	.name = "llfree_smp",
	.test_cases = llfree_smp_cases,
};

kunit_test_suites(&llfree_test_suite, &llfree_smp_test_suite);

MODULE_DESCRIPTION("KUnit tests of the LLFree page-frame allocator");
MODULE_LICENSE("GPL");
