/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core checks of LLFree, shared by the host unit tests
 * (tests/unit/llfree/unit.c) and the KUnit suite in the test kernel
 * (lib/llfree/llfree_kunit.c). Single-threaded; one behaviour per check.
 *
 * The includer defines:
 *   LLF_T                the test context type (struct kunit in the kernel)
 *   LLF_EXPECT(t, cond)  record a failure of @cond, go on
 *   llf_test_alloc(size) zeroed, 64-byte aligned memory (NULL on failure)
 *   llf_test_free(ptr)
 *   LLF_CASE_TYPE        type of an entry of the case table (llf_cases[])
 *   LLF_CASE(fn)         an entry for check function fn
 *   LLF_CASES_END        the table's terminating entry
 * and makes memcmp()/memcpy() available.
 */
#ifndef LLFREE_CHECKS_H
#define LLFREE_CHECKS_H

#include "llfree.h"

/* 4 trees of 32 areas: 65536 frames (256 MiB of 4 KiB frames) */
#define LLF_FRAMES	(4ull * LLFREE_TREE_FRAMES)
#define LLF_CORES	2

struct llf_env {
	struct llfree a;
	void *meta;
	size_t size;
	void *snap;
};

static bool llf_env_init(LLF_T *t, struct llf_env *e, uint32_t cores,
			 uint64_t frames, enum llfree_init_mode mode)
{
	int ret;

	e->size = llfree_metadata_size(cores, frames);
	e->meta = llf_test_alloc(e->size);
	e->snap = llf_test_alloc(e->size);
	LLF_EXPECT(t, e->meta && e->snap);
	if (!e->meta || !e->snap)
		return false;
	ret = llfree_init(&e->a, cores, frames, mode, e->meta);
	LLF_EXPECT(t, ret == LLFREE_OK);
	return ret == LLFREE_OK;
}

static void llf_env_fini(struct llf_env *e)
{
	llf_test_free(e->meta);
	llf_test_free(e->snap);
}

/* Remember the metadata; llf_unchanged() compares with it */
static void llf_snapshot(struct llf_env *e)
{
	memcpy(e->snap, e->meta, e->size);
}

static bool llf_unchanged(struct llf_env *e)
{
	return memcmp(e->snap, e->meta, e->size) == 0;
}

static uint64_t llf_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void llf_check_metadata_size(LLF_T *t)
{
	size_t s = llfree_metadata_size(LLF_CORES, LLF_FRAMES);

	LLF_EXPECT(t, s >= LLF_FRAMES / 8);
	LLF_EXPECT(t, llfree_metadata_size(LLF_CORES, 2 * LLF_FRAMES) > s);
	LLF_EXPECT(t, llfree_metadata_size(0, LLF_FRAMES) == 0);
	LLF_EXPECT(t, llfree_metadata_size(LLF_CORES, 0) == 0);
}

static void llf_check_init_bad_args(LLF_T *t)
{
	size_t s = llfree_metadata_size(LLF_CORES, LLF_FRAMES);
	char *meta = llf_test_alloc(s + 64);
	struct llfree a;

	LLF_EXPECT(t, meta != NULL);
	if (!meta)
		return;
	LLF_EXPECT(t, llfree_init(&a, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE,
				  meta + 8) == LLFREE_ERR_INIT);
	LLF_EXPECT(t, llfree_init(&a, 0, LLF_FRAMES, LLFREE_INIT_FREE,
				  meta) == LLFREE_ERR_INIT);
	LLF_EXPECT(t, llfree_init(&a, LLF_CORES, 0, LLFREE_INIT_FREE,
				  meta) == LLFREE_ERR_INIT);
	LLF_EXPECT(t, llfree_init(&a, LLF_CORES, LLF_FRAMES, 7,
				  meta) == LLFREE_ERR_INIT);
	llf_test_free(meta);
}

static void llf_check_init_free(LLF_T *t)
{
	struct llf_env e = { 0 };

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_free_huge(&e.a) == LLF_FRAMES / LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, llfree_is_free(&e.a, 0, LLFREE_MAX_ORDER));
	LLF_EXPECT(t, llfree_is_free(&e.a, LLF_FRAMES - 1, 0));
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

static void llf_check_init_alloc(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint64_t f;
	bool ok = true;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	LLF_EXPECT(t, llfree_free_frames(&e.a) == 0);
	LLF_EXPECT(t, !llfree_is_free(&e.a, 0, 0));
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_UNMOVABLE) ==
		   LLFREE_ERR_MEMORY);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	for (f = 0; f < LLF_FRAMES; f++)
		ok &= llfree_put(&e.a, 0, f, 0) == LLFREE_OK;
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Areas freed as whole blocks after LLFREE_INIT_ALLOC (as a boot does) */
static void llf_check_init_alloc_put_huge(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint64_t f;
	bool ok = true;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	for (f = 0; f < LLF_FRAMES / 2; f += 1u << LLFREE_MAX_ORDER)
		ok &= llfree_put(&e.a, 0, f, LLFREE_MAX_ORDER) == LLFREE_OK;
	for (; f < LLF_FRAMES; f += LLFREE_AREA_FRAMES)
		ok &= llfree_put(&e.a, 1, f, LLFREE_HUGE_ORDER) == LLFREE_OK;
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_free_huge(&e.a) == LLF_FRAMES / LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

static void llf_check_get_put(LLF_T *t, uint32_t order)
{
	uint64_t n = 1ull << order;
	struct llf_env e = { 0 };
	int64_t f[3];
	int i;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	for (i = 0; i < 3; i++) {
		f[i] = llfree_get(&e.a, i % LLF_CORES, order, i % 2);
		LLF_EXPECT(t, f[i] >= 0);
		if (f[i] < 0)
			goto out;
		LLF_EXPECT(t, f[i] % n == 0);
		LLF_EXPECT(t, (uint64_t)f[i] + n <= LLF_FRAMES);
		LLF_EXPECT(t, !llfree_is_free(&e.a, f[i], order));
		LLF_EXPECT(t, !llfree_is_free(&e.a, f[i] + n - 1, 0));
	}
	LLF_EXPECT(t, f[0] != f[1] && f[1] != f[2] && f[0] != f[2]);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES - 3 * n);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	for (i = 0; i < 3; i++) {
		LLF_EXPECT(t, llfree_put(&e.a, i % LLF_CORES, f[i], order) ==
			   LLFREE_OK);
		LLF_EXPECT(t, llfree_is_free(&e.a, f[i], order));
	}
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Allocate until out of memory: exactly all frames, no overlap; free all */
static void llf_check_exhaust(LLF_T *t, uint32_t order)
{
	uint64_t n = 1ull << order, count = 0, f;
	uint8_t *seen = llf_test_alloc(LLF_FRAMES / 8);
	bool aligned = true, overlap = false, ok = true;
	struct llf_env e = { 0 };
	int64_t r;

	if (!seen || !llf_env_init(t, &e, LLF_CORES, LLF_FRAMES,
				   LLFREE_INIT_FREE)) {
		LLF_EXPECT(t, seen != NULL);
		goto out;
	}
	while ((r = llfree_get(&e.a, count % LLF_CORES, order,
			       count % 3 == 0)) >= 0) {
		aligned &= r % n == 0;
		for (f = r; f < r + n; f++) {
			overlap |= (seen[f / 8] >> (f % 8)) & 1;
			seen[f / 8] |= 1u << (f % 8);
		}
		count++;
	}
	LLF_EXPECT(t, r == LLFREE_ERR_MEMORY);
	LLF_EXPECT(t, count == LLF_FRAMES / n);
	LLF_EXPECT(t, aligned);
	LLF_EXPECT(t, !overlap);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == 0);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	for (f = 0; f < LLF_FRAMES; f += n)
		ok &= llfree_put(&e.a, f / n % LLF_CORES, f, order) == LLFREE_OK;
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_free_huge(&e.a) == LLF_FRAMES / LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
	llf_test_free(seen);
}

#define LLF_ORDER_CHECKS(o)						\
static void llf_check_get_put_o##o(LLF_T *t)				\
{									\
	llf_check_get_put(t, o);					\
}									\
static void llf_check_exhaust_o##o(LLF_T *t)				\
{									\
	llf_check_exhaust(t, o);					\
}

LLF_ORDER_CHECKS(0)
LLF_ORDER_CHECKS(1)
LLF_ORDER_CHECKS(2)
LLF_ORDER_CHECKS(3)
LLF_ORDER_CHECKS(4)
LLF_ORDER_CHECKS(5)
LLF_ORDER_CHECKS(6)
LLF_ORDER_CHECKS(7)
LLF_ORDER_CHECKS(8)
LLF_ORDER_CHECKS(9)
LLF_ORDER_CHECKS(10)

/* Memory that ends inside an area: every frame up to the last one */
static void llf_check_partial_area_to_last_frame(LLF_T *t)
{
	uint64_t frames = LLFREE_TREE_FRAMES + 3 * LLFREE_AREA_FRAMES + 300;
	uint64_t count = 0, max = 0;
	struct llf_env e = { 0 };
	int64_t r;

	if (!llf_env_init(t, &e, LLF_CORES, frames, LLFREE_INIT_FREE))
		goto out;
	LLF_EXPECT(t, llfree_free_frames(&e.a) == frames);
	LLF_EXPECT(t, llfree_free_huge(&e.a) == frames / LLFREE_AREA_FRAMES);
	while ((r = llfree_get(&e.a, 0, 0, LLFREE_MOVABLE)) >= 0) {
		count++;
		if ((uint64_t)r > max)
			max = r;
	}
	LLF_EXPECT(t, count == frames);
	LLF_EXPECT(t, max == frames - 1);
	LLF_EXPECT(t, llfree_put(&e.a, 0, frames - 1, 0) == LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 1, 0, LLFREE_UNMOVABLE) ==
		   (int64_t)frames - 1);
	LLF_EXPECT(t, llfree_put(&e.a, 0, frames, 0) == LLFREE_ERR_RANGE);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Huge orders in memory that ends inside an area and inside a tree */
static void llf_check_partial_area_huge(LLF_T *t)
{
	uint64_t frames = LLFREE_TREE_FRAMES + 3 * LLFREE_AREA_FRAMES + 300;
	uint64_t areas = frames / LLFREE_AREA_FRAMES, count9 = 0, count10 = 0;
	struct llf_env e = { 0 };

	if (!llf_env_init(t, &e, LLF_CORES, frames, LLFREE_INIT_FREE))
		goto out;
	while (llfree_get(&e.a, 0, 10, LLFREE_UNMOVABLE) >= 0)
		count10++;
	while (llfree_get(&e.a, 0, 9, LLFREE_UNMOVABLE) >= 0)
		count9++;
	LLF_EXPECT(t, count10 == areas / 2);
	LLF_EXPECT(t, count9 == areas % 2);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == 300);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* When full, a freed frame is the one the next get returns */
static void llf_check_refill(LLF_T *t)
{
	struct llf_env e = { 0 };
	int64_t mid = LLF_FRAMES / 2 + 77;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	LLF_EXPECT(t, llfree_put(&e.a, 0, mid, 0) == LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 1, 0, LLFREE_MOVABLE) == mid);
	LLF_EXPECT(t, llfree_put(&e.a, 1, LLF_FRAMES - 1, 0) == LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_UNMOVABLE) ==
		   (int64_t)LLF_FRAMES - 1);
	LLF_EXPECT(t, llfree_put(&e.a, 0, LLF_FRAMES - 8, 3) == LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 3, LLFREE_UNMOVABLE) ==
		   (int64_t)LLF_FRAMES - 8);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_UNMOVABLE) ==
		   LLFREE_ERR_MEMORY);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* One base frame in an area keeps huge allocations out of it */
static void llf_check_base_blocks_huge(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint64_t f, areas = LLF_FRAMES / LLFREE_AREA_FRAMES;
	bool ok = true;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	for (f = 0; f < LLF_FRAMES; f++) {
		if (f % LLFREE_AREA_FRAMES != 5)
			ok &= llfree_put(&e.a, 0, f, 0) == LLFREE_OK;
	}
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES - areas);
	LLF_EXPECT(t, llfree_free_huge(&e.a) == 0);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 9, LLFREE_MOVABLE) ==
		   LLFREE_ERR_MEMORY);
	LLF_EXPECT(t, llfree_get(&e.a, 1, 10, LLFREE_MOVABLE) ==
		   LLFREE_ERR_MEMORY);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 3 * LLFREE_AREA_FRAMES + 5, 0) ==
		   LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 1, 9, LLFREE_MOVABLE) ==
		   3 * LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 8, LLFREE_MOVABLE) >= 0);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* A huge allocation takes its area whole: no base frame comes from it */
static void llf_check_huge_blocks_base(LLF_T *t)
{
	uint64_t frames = 2 * LLFREE_AREA_FRAMES;
	struct llf_env e = { 0 };
	int64_t h, r;
	uint64_t count = 0;
	bool inside = false;

	if (!llf_env_init(t, &e, 1, frames, LLFREE_INIT_FREE))
		goto out;
	h = llfree_get(&e.a, 0, 9, LLFREE_MOVABLE);
	LLF_EXPECT(t, h >= 0);
	while ((r = llfree_get(&e.a, 0, 0, LLFREE_MOVABLE)) >= 0) {
		inside |= r >= h && r < h + LLFREE_AREA_FRAMES;
		count++;
	}
	LLF_EXPECT(t, !inside);
	LLF_EXPECT(t, count == LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, llfree_put(&e.a, 0, h, 9) == LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_MOVABLE) >= 0);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Freeing base frames of a huge allocation is refused, changes nothing */
static void llf_check_put_base_in_huge(LLF_T *t)
{
	struct llf_env e = { 0 };
	int64_t h;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	h = llfree_get(&e.a, 0, 9, LLFREE_UNMOVABLE);
	LLF_EXPECT(t, h >= 0);
	if (h < 0)
		goto out;
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, h, 0) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, h + 1, 0) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, h + 256, 8) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, h & ~1023ull, 10) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, llfree_put(&e.a, 0, h, 9) == LLFREE_OK);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Freeing an area with base frames as huge is refused, changes nothing */
static void llf_check_put_huge_on_base(LLF_T *t)
{
	struct llf_env e = { 0 };
	int64_t f;

	if (!llf_env_init(t, &e, 1, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	f = llfree_get(&e.a, 0, 0, LLFREE_UNMOVABLE);
	LLF_EXPECT(t, f >= 0);
	if (f < 0)
		goto out;
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, f & ~511ull, 9) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, f & ~1023ull, 10) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

static void llf_check_bad_range(LLF_T *t)
{
	struct llf_env e = { 0 };

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, LLF_FRAMES, 0) == LLFREE_ERR_RANGE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, ~0ull, 0) == LLFREE_ERR_RANGE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, LLF_FRAMES - 512, 10) ==
		   LLFREE_ERR_RANGE);
	LLF_EXPECT(t, llfree_put(&e.a, 1, LLF_FRAMES + 512, 9) ==
		   LLFREE_ERR_RANGE);
	LLF_EXPECT(t, !llfree_is_free(&e.a, LLF_FRAMES, 0));
	LLF_EXPECT(t, llf_unchanged(&e));
out:
	llf_env_fini(&e);
}

static void llf_check_bad_align(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint32_t o;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	llf_snapshot(&e);
	for (o = 1; o <= LLFREE_MAX_ORDER; o++) {
		LLF_EXPECT(t, llfree_put(&e.a, 0, 1ull << (o - 1), o) ==
			   LLFREE_ERR_ALIGN);
		LLF_EXPECT(t, llfree_put(&e.a, 0, 3, o) == LLFREE_ERR_ALIGN);
	}
	LLF_EXPECT(t, llf_unchanged(&e));
out:
	llf_env_fini(&e);
}

static void llf_check_double_free(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint32_t o;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	/* never allocated */
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 64, 0) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 1024, 10) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	for (o = 0; o <= LLFREE_MAX_ORDER; o++) {
		int64_t f = llfree_get(&e.a, 1, o, LLFREE_MOVABLE);

		LLF_EXPECT(t, f >= 0);
		if (f < 0)
			continue;
		LLF_EXPECT(t, llfree_put(&e.a, 1, f, o) == LLFREE_OK);
		llf_snapshot(&e);
		LLF_EXPECT(t, llfree_put(&e.a, 1, f, o) ==
			   LLFREE_ERR_FREE);
		LLF_EXPECT(t, llfree_put(&e.a, 0, f, o) ==
			   LLFREE_ERR_FREE);
		LLF_EXPECT(t, llf_unchanged(&e));
	}
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* A free of a larger order than allocated is refused */
static void llf_check_wrong_order(LLF_T *t)
{
	struct llf_env e = { 0 };
	int64_t f;

	if (!llf_env_init(t, &e, 1, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	f = llfree_get(&e.a, 0, 2, LLFREE_UNMOVABLE);
	LLF_EXPECT(t, f >= 0 && f % 8 == 0);
	if (f < 0)
		goto out;
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, f, 3) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, f, 7) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, llfree_put(&e.a, 0, f, 2) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

static void llf_check_bad_order(LLF_T *t)
{
	struct llf_env e = { 0 };

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_get(&e.a, 0, LLFREE_MAX_ORDER + 1,
				 LLFREE_UNMOVABLE) == LLFREE_ERR_ORDER);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 64, LLFREE_UNMOVABLE) ==
		   LLFREE_ERR_ORDER);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_KINDS) ==
		   LLFREE_ERR_ORDER);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, LLFREE_MAX_ORDER + 1) ==
		   LLFREE_ERR_ORDER);
	LLF_EXPECT(t, !llfree_is_free(&e.a, 0, LLFREE_MAX_ORDER + 1));
	LLF_EXPECT(t, llf_unchanged(&e));
out:
	llf_env_fini(&e);
}

/* Movable and unmovable (and huge) allocations come from different trees */
static void llf_check_kinds_apart(LLF_T *t)
{
	struct llf_env e = { 0 };
	int64_t u, m, h, u2, m2;

	if (!llf_env_init(t, &e, 1, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	u = llfree_get(&e.a, 0, 0, LLFREE_UNMOVABLE);
	m = llfree_get(&e.a, 0, 0, LLFREE_MOVABLE);
	h = llfree_get(&e.a, 0, 9, LLFREE_MOVABLE);
	u2 = llfree_get(&e.a, 0, 3, LLFREE_UNMOVABLE);
	m2 = llfree_get(&e.a, 0, 3, LLFREE_MOVABLE);
	LLF_EXPECT(t, u >= 0 && m >= 0 && h >= 0 && u2 >= 0 && m2 >= 0);
	LLF_EXPECT(t, u / LLFREE_TREE_FRAMES != m / LLFREE_TREE_FRAMES);
	LLF_EXPECT(t, u / LLFREE_TREE_FRAMES != h / LLFREE_TREE_FRAMES);
	LLF_EXPECT(t, m / LLFREE_TREE_FRAMES != h / LLFREE_TREE_FRAMES);
	LLF_EXPECT(t, u / LLFREE_TREE_FRAMES == u2 / LLFREE_TREE_FRAMES);
	LLF_EXPECT(t, m / LLFREE_TREE_FRAMES == m2 / LLFREE_TREE_FRAMES);
	/* after a drain, each kind returns to its partly used tree */
	llfree_drain(&e.a, 0);
	m2 = llfree_get(&e.a, 0, 0, LLFREE_MOVABLE);
	u2 = llfree_get(&e.a, 0, 0, LLFREE_UNMOVABLE);
	LLF_EXPECT(t, m2 / LLFREE_TREE_FRAMES == m / LLFREE_TREE_FRAMES);
	LLF_EXPECT(t, u2 / LLFREE_TREE_FRAMES == u / LLFREE_TREE_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

static void llf_check_drain(LLF_T *t)
{
	struct llfree_stats st;
	struct llf_env e = { 0 };
	uint32_t c;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	for (c = 0; c < LLF_CORES; c++) {
		LLF_EXPECT(t, llfree_get(&e.a, c, 0, LLFREE_MOVABLE) >= 0);
		LLF_EXPECT(t, llfree_get(&e.a, c, 9, LLFREE_MOVABLE) >= 0);
	}
	llfree_stats(&e.a, &st);
	LLF_EXPECT(t, st.reserved_trees == 2 * LLF_CORES);
	for (c = 0; c < LLF_CORES; c++)
		llfree_drain(&e.a, c);
	llfree_stats(&e.a, &st);
	LLF_EXPECT(t, st.reserved_trees == 0);
	LLF_EXPECT(t, st.free_frames == LLF_FRAMES - LLF_CORES * 513);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* With a single tree, a second core gets frames from the first's tree */
static void llf_check_steal(LLF_T *t)
{
	uint64_t frames = LLFREE_TREE_FRAMES, count = 0;
	struct llf_env e = { 0 };
	int64_t r;

	if (!llf_env_init(t, &e, 4, frames, LLFREE_INIT_FREE))
		goto out;
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_UNMOVABLE) >= 0);
	LLF_EXPECT(t, llfree_get(&e.a, 1, 0, LLFREE_UNMOVABLE) >= 0);
	LLF_EXPECT(t, llfree_get(&e.a, 2, 0, LLFREE_MOVABLE) >= 0);
	LLF_EXPECT(t, llfree_get(&e.a, 3, 9, LLFREE_MOVABLE) >= 0);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	count = 3 + LLFREE_AREA_FRAMES;
	while ((r = llfree_get(&e.a, count % 4, 0, count % 2)) >= 0)
		count++;
	LLF_EXPECT(t, llfree_free_frames(&e.a) == 0);
	LLF_EXPECT(t, count == frames);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

static void llf_check_stats(LLF_T *t)
{
	struct llfree_stats st;
	struct llf_env e = { 0 };

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_MOVABLE) >= 0);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 9, LLFREE_MOVABLE) >= 0);
	LLF_EXPECT(t, llfree_get(&e.a, 1, 10, LLFREE_MOVABLE) >= 0);
	llfree_stats(&e.a, &st);
	LLF_EXPECT(t, st.frames == LLF_FRAMES);
	LLF_EXPECT(t, st.cores == LLF_CORES);
	LLF_EXPECT(t, st.areas == LLF_FRAMES / LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, st.trees == LLF_FRAMES / LLFREE_TREE_FRAMES);
	LLF_EXPECT(t, st.free_frames == LLF_FRAMES - 1 - 512 - 1024);
	LLF_EXPECT(t, st.free_huge == st.areas - 4);
	LLF_EXPECT(t, st.huge_allocated == 3);
	LLF_EXPECT(t, st.free_huge == llfree_free_huge(&e.a));
out:
	llf_env_fini(&e);
}

/* validate() notices a counter that disagrees with the bitfields */
static void llf_check_validate_detects(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint16_t c;
	uint32_t tr;

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_MOVABLE) >= 0);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	c = llf_load(&e.a.child[7]);
	llf_store(&e.a.child[7], c - 1);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_ERR_CORRUPT);
	llf_store(&e.a.child[7], c);
	tr = llf_load(&e.a.tree[3]);
	llf_store(&e.a.tree[3], tr + 1);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_ERR_CORRUPT);
	llf_store(&e.a.tree[3], tr);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Recover rebuilds everything above the bitfields to the state before */
static void llf_check_recover(LLF_T *t)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull, i, f, nfree, huge;
	uint64_t max = 4096, live = 0;
	int64_t *blk = llf_test_alloc(max * sizeof(*blk));
	uint8_t *ord = llf_test_alloc(max);
	uint8_t *state = llf_test_alloc(LLF_FRAMES / 8);
	bool same = true, ok = true;
	struct llf_env e = { 0 };
	uint32_t c, s;

	if (!blk || !ord || !state ||
	    !llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_FREE)) {
		LLF_EXPECT(t, blk && ord && state);
		goto out;
	}
	for (i = 0; i < 3 * max; i++) {
		uint64_t r = llf_rand(&seed);

		if (live < max && (r % 3 || !live)) {
			uint32_t o = r % 16 < 12 ? (r >> 8) % 9 : 9 + (r >> 8) % 2;
			int64_t b = llfree_get(&e.a, (r >> 16) % LLF_CORES, o,
					       (r >> 24) % 2);

			if (b >= 0) {
				blk[live] = b;
				ord[live++] = o;
			}
		} else {
			uint64_t k = (r >> 8) % live;

			ok &= llfree_put(&e.a, (r >> 16) % LLF_CORES, blk[k],
					 ord[k]) == LLFREE_OK;
			blk[k] = blk[--live];
			ord[k] = ord[live];
		}
	}
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, live > 0);
	nfree = llfree_free_frames(&e.a);
	huge = llfree_free_huge(&e.a);
	for (f = 0; f < LLF_FRAMES; f++) {
		if (llfree_is_free(&e.a, f, 0))
			state[f / 8] |= 1u << (f % 8);
	}
	/* lose everything volatile: trees, reservations, child counts (the
	 * flags bits 12-15, how whole areas were allocated, are persistent)
	 */
	for (i = 0; i < e.a.trees; i++)
		llf_store(&e.a.tree[i], 0x5a5a5a5a);
	for (c = 0; c < LLF_CORES; c++) {
		for (s = 0; s < LLFREE_SLOTS; s++)
			llf_store(&e.a.local[c].slot[s].res, ~0ull);
	}
	for (i = 0; i < e.a.areas; i++) {
		uint16_t ch = llf_load(&e.a.child[i]);

		llf_store(&e.a.child[i], (uint16_t)((ch & 0xf000) | 0x1ff));
	}
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_ERR_CORRUPT);
	LLF_EXPECT(t, llfree_init(&e.a, LLF_CORES, LLF_FRAMES,
				  LLFREE_INIT_RECOVER, e.meta) == LLFREE_OK);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == nfree);
	LLF_EXPECT(t, llfree_free_huge(&e.a) == huge);
	for (f = 0; f < LLF_FRAMES; f++)
		same &= llfree_is_free(&e.a, f, 0) == ((state[f / 8] >> (f % 8)) & 1);
	LLF_EXPECT(t, same);
	/* every block still outstanding is freed with its own order */
	for (i = 0; i < live; i++)
		ok &= llfree_put(&e.a, i % LLF_CORES, blk[i], ord[i]) == LLFREE_OK;
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
	llf_test_free(blk);
	llf_test_free(ord);
	llf_test_free(state);
}

static void llf_check_recover_all_allocated(LLF_T *t)
{
	struct llf_env e = { 0 };

	if (!llf_env_init(t, &e, LLF_CORES, LLF_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	LLF_EXPECT(t, llfree_init(&e.a, LLF_CORES, LLF_FRAMES,
				  LLFREE_INIT_RECOVER, e.meta) == LLFREE_OK);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == 0);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_MOVABLE) ==
		   LLFREE_ERR_MEMORY);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Two areas, every frame taken as order 0 (one core, so area by area) */
static bool llf_fill_base(LLF_T *t, struct llf_env *e, uint64_t frames)
{
	uint64_t count = 0;

	if (!llf_env_init(t, e, 1, frames, LLFREE_INIT_FREE))
		return false;
	while (llfree_get(&e->a, 0, 0, LLFREE_MOVABLE) >= 0)
		count++;
	LLF_EXPECT(t, count == frames);
	return count == frames;
}

/* 512 order-0 frames of an area are not an order-9 (or order-10) block */
static void llf_check_put_huge_of_base_frames(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint64_t f;
	bool ok = true;

	if (!llf_fill_base(t, &e, 2 * LLFREE_AREA_FRAMES))
		goto out;
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 9) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, LLFREE_AREA_FRAMES, 9) ==
		   LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 10) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, !llfree_is_free(&e.a, 5, 0));
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	for (f = 0; f < 2 * LLFREE_AREA_FRAMES; f++)
		ok &= llfree_put(&e.a, 0, f, 0) == LLFREE_OK;
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* An order-9 block and an area of order-0 frames are not one order-10 */
static void llf_check_put_order10_huge_and_base(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint64_t count = 0;
	int64_t h;

	if (!llf_env_init(t, &e, 1, 2 * LLFREE_AREA_FRAMES, LLFREE_INIT_FREE))
		goto out;
	h = llfree_get(&e.a, 0, 9, LLFREE_MOVABLE);
	LLF_EXPECT(t, h >= 0);
	while (llfree_get(&e.a, 0, 0, LLFREE_MOVABLE) >= 0)
		count++;
	LLF_EXPECT(t, count == LLFREE_AREA_FRAMES);
	if (h < 0)
		goto out;
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 10) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, !llfree_is_free(&e.a, h, 9));
	LLF_EXPECT(t, llfree_put(&e.a, 0, h, 9) == LLFREE_OK);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* Two order-9 blocks are not one order-10 block, nor the reverse */
static void llf_check_put_huge_orders_swapped(LLF_T *t)
{
	struct llf_env e = { 0 };
	int64_t a, b;

	if (!llf_env_init(t, &e, 1, 2 * LLFREE_AREA_FRAMES, LLFREE_INIT_FREE))
		goto out;
	a = llfree_get(&e.a, 0, 9, LLFREE_MOVABLE);
	b = llfree_get(&e.a, 0, 9, LLFREE_MOVABLE);
	LLF_EXPECT(t, a >= 0 && b >= 0);
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 10) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, llfree_put(&e.a, 0, a, 9) == LLFREE_OK);
	LLF_EXPECT(t, llfree_put(&e.a, 0, b, 9) == LLFREE_OK);
	a = llfree_get(&e.a, 0, 10, LLFREE_MOVABLE);
	LLF_EXPECT(t, a == 0);
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 9) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, LLFREE_AREA_FRAMES, 9) ==
		   LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 10) == LLFREE_OK);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == 2 * LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
out:
	llf_env_fini(&e);
}

/* After LLFREE_INIT_ALLOC, an area once freed in part is no huge block */
static void llf_check_init_alloc_split(LLF_T *t)
{
	struct llf_env e = { 0 };
	uint64_t f;
	bool ok = true;

	if (!llf_env_init(t, &e, 1, 2 * LLFREE_AREA_FRAMES, LLFREE_INIT_ALLOC))
		goto out;
	LLF_EXPECT(t, llfree_put(&e.a, 0, 5, 0) == LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 0, LLFREE_MOVABLE) == 5);
	llf_snapshot(&e);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 9) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llfree_put(&e.a, 0, 0, 10) == LLFREE_ERR_FREE);
	LLF_EXPECT(t, llf_unchanged(&e));
	LLF_EXPECT(t, llfree_put(&e.a, 0, LLFREE_AREA_FRAMES, 9) == LLFREE_OK);
	LLF_EXPECT(t, llfree_put(&e.a, 0, LLFREE_AREA_FRAMES, 9) ==
		   LLFREE_ERR_FREE);
	for (f = 0; f < LLFREE_AREA_FRAMES; f++)
		ok &= llfree_put(&e.a, 0, f, 0) == LLFREE_OK;
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == 2 * LLFREE_AREA_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	LLF_EXPECT(t, llfree_get(&e.a, 0, 10, LLFREE_MOVABLE) == 0);
out:
	llf_env_fini(&e);
}

/* A split huge (order 9) or pair (order 10) block frees in base frames */
static void llf_check_split_huge(LLF_T *t)
{
	struct llf_env e = { 0 };
	int64_t h, p;
	uint64_t f;
	bool ok = true;

	if (!llf_env_init(t, &e, 1, LLF_FRAMES, LLFREE_INIT_FREE))
		goto out;
	h = llfree_get(&e.a, 0, 9, LLFREE_MOVABLE);
	p = llfree_get(&e.a, 0, 10, LLFREE_MOVABLE);
	LLF_EXPECT(t, h >= 0 && p >= 0);
	if (h < 0 || p < 0)
		goto out;
	LLF_EXPECT(t, llfree_split(&e.a, h + 7) == LLFREE_OK);
	LLF_EXPECT(t, llfree_split(&e.a, h) == LLFREE_OK);
	LLF_EXPECT(t, llfree_split(&e.a, p + LLFREE_AREA_FRAMES + 3) ==
		   LLFREE_OK);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	LLF_EXPECT(t, llfree_put(&e.a, 0, h + 256, 8) == LLFREE_OK);
	for (f = 0; f < 256; f++)
		ok &= llfree_put(&e.a, 0, h + f, 0) == LLFREE_OK;
	LLF_EXPECT(t, llfree_put(&e.a, 0, h, 0) == LLFREE_ERR_FREE);
	for (f = 0; f < 2 * LLFREE_AREA_FRAMES; f += 4)
		ok &= llfree_put(&e.a, 0, p + f, 2) == LLFREE_OK;
	LLF_EXPECT(t, ok);
	LLF_EXPECT(t, llfree_free_frames(&e.a) == LLF_FRAMES);
	LLF_EXPECT(t, llfree_validate(&e.a) == LLFREE_OK);
	/* free now: no huge allocation to split */
	LLF_EXPECT(t, llfree_split(&e.a, h) == LLFREE_OK);
	LLF_EXPECT(t, llfree_split(&e.a, LLF_FRAMES) == LLFREE_ERR_RANGE);
	LLF_EXPECT(t, llfree_free_huge(&e.a) == LLF_FRAMES / LLFREE_AREA_FRAMES);
out:
	llf_env_fini(&e);
}

/* Every check, one behaviour each */
static LLF_CASE_TYPE llf_cases[] = {
	LLF_CASE(llf_check_metadata_size),
	LLF_CASE(llf_check_init_bad_args),
	LLF_CASE(llf_check_init_free),
	LLF_CASE(llf_check_init_alloc),
	LLF_CASE(llf_check_init_alloc_put_huge),
	LLF_CASE(llf_check_get_put_o0),
	LLF_CASE(llf_check_get_put_o1),
	LLF_CASE(llf_check_get_put_o2),
	LLF_CASE(llf_check_get_put_o3),
	LLF_CASE(llf_check_get_put_o4),
	LLF_CASE(llf_check_get_put_o5),
	LLF_CASE(llf_check_get_put_o6),
	LLF_CASE(llf_check_get_put_o7),
	LLF_CASE(llf_check_get_put_o8),
	LLF_CASE(llf_check_get_put_o9),
	LLF_CASE(llf_check_get_put_o10),
	LLF_CASE(llf_check_exhaust_o0),
	LLF_CASE(llf_check_exhaust_o1),
	LLF_CASE(llf_check_exhaust_o2),
	LLF_CASE(llf_check_exhaust_o3),
	LLF_CASE(llf_check_exhaust_o4),
	LLF_CASE(llf_check_exhaust_o5),
	LLF_CASE(llf_check_exhaust_o6),
	LLF_CASE(llf_check_exhaust_o7),
	LLF_CASE(llf_check_exhaust_o8),
	LLF_CASE(llf_check_exhaust_o9),
	LLF_CASE(llf_check_exhaust_o10),
	LLF_CASE(llf_check_partial_area_to_last_frame),
	LLF_CASE(llf_check_partial_area_huge),
	LLF_CASE(llf_check_refill),
	LLF_CASE(llf_check_base_blocks_huge),
	LLF_CASE(llf_check_huge_blocks_base),
	LLF_CASE(llf_check_put_base_in_huge),
	LLF_CASE(llf_check_put_huge_on_base),
	LLF_CASE(llf_check_bad_range),
	LLF_CASE(llf_check_bad_align),
	LLF_CASE(llf_check_double_free),
	LLF_CASE(llf_check_wrong_order),
	LLF_CASE(llf_check_bad_order),
	LLF_CASE(llf_check_kinds_apart),
	LLF_CASE(llf_check_drain),
	LLF_CASE(llf_check_steal),
	LLF_CASE(llf_check_stats),
	LLF_CASE(llf_check_validate_detects),
	LLF_CASE(llf_check_recover),
	LLF_CASE(llf_check_recover_all_allocated),
	LLF_CASE(llf_check_put_huge_of_base_frames),
	LLF_CASE(llf_check_put_order10_huge_and_base),
	LLF_CASE(llf_check_put_huge_orders_swapped),
	LLF_CASE(llf_check_init_alloc_split),
	LLF_CASE(llf_check_split_huge),
	LLF_CASES_END
};

#endif /* LLFREE_CHECKS_H */
