// SPDX-License-Identifier: GPL-2.0
/*
 * Multithreaded stress of LLFree: threads (more than cores, so reservations
 * of one core race too) get and put blocks of random orders and kinds.
 * Every frame handed out is claimed in an ownership map, so a frame handed
 * out twice is caught at once. Built twice: plain and with ThreadSanitizer.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llfree.h"

#ifndef STRESS_OPS
#define STRESS_OPS	400000	/* get/put operations per thread */
#endif
#ifndef THREADS
#define THREADS		4
#endif
#ifndef CORES
#define CORES		2
#endif
#define FRAMES		(4ull * LLFREE_TREE_FRAMES + 3 * LLFREE_AREA_FRAMES + 100)
#define MAX_LIVE	1500	/* blocks a thread holds at most */

static struct llfree alloc;
static _Atomic uint8_t owner[FRAMES];
static _Atomic int twice, put_errors, bad_errors;
static _Atomic uint64_t oom;
static pthread_barrier_t barrier;

struct worker {
	pthread_t thread;
	unsigned int id;
	uint64_t seed;
	unsigned int live;
	int64_t blk[MAX_LIVE];
	uint8_t ord[MAX_LIVE];
	uint64_t held;
	uint64_t exhaust_count;
};

static struct worker workers[THREADS];

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void claim(struct worker *w, int64_t frame, unsigned int order)
{
	for (uint64_t f = frame; f < (uint64_t)frame + (1ull << order); f++) {
		if (atomic_exchange(&owner[f], (uint8_t)(w->id + 1)))
			atomic_fetch_add(&twice, 1);
	}
}

static void release(int64_t frame, unsigned int order)
{
	for (uint64_t f = frame; f < (uint64_t)frame + (1ull << order); f++)
		atomic_store(&owner[f], 0);
}

static unsigned int random_order(uint64_t r)
{
	unsigned int p = r % 100;

	if (p < 60)
		return 0;
	if (p < 90)
		return 1 + (r >> 8) % 8;	/* 1 .. 8 */
	return 9 + (r >> 8) % 2;		/* 9, 10 */
}

static void put_one(struct worker *w, unsigned int k)
{
	int64_t b = w->blk[k];
	unsigned int o = w->ord[k];

	release(b, o);
	w->held -= 1ull << o;
	if (llfree_put(&alloc, w->id % CORES, b, o) != LLFREE_OK)
		atomic_fetch_add(&put_errors, 1);
	w->blk[k] = w->blk[--w->live];
	w->ord[k] = w->ord[w->live];
}

static void *run(void *arg)
{
	struct worker *w = arg;
	uint32_t core = w->id % CORES;
	int64_t f;

	/*
	 * phase 1: random orders, kinds, get and put; in the first half each
	 * thread holds at most a share of memory, in the second memory is
	 * nearly full all the time (stealing, out of memory)
	 */
	for (int i = 0; i < STRESS_OPS; i++) {
		uint64_t r = rnd(&w->seed);
		bool full = i < STRESS_OPS / 2 &&
			    w->held > FRAMES / (2 * THREADS);

		if (w->live < MAX_LIVE && !full && (r >> 32) % 100 < 55) {
			unsigned int o = random_order(r);
			int64_t b = llfree_get(&alloc, core, o, (r >> 20) % 2);

			if (b >= 0) {
				claim(w, b, o);
				w->held += 1ull << o;
				w->blk[w->live] = b;
				w->ord[w->live++] = (uint8_t)o;
			} else if (b == LLFREE_ERR_MEMORY) {
				atomic_fetch_add(&oom, 1);
			} else {
				atomic_fetch_add(&bad_errors, 1);
			}
		} else if (w->live) {
			put_one(w, (r >> 40) % w->live);
		}
	}
	pthread_barrier_wait(&barrier);
	/* main thread checks here */
	pthread_barrier_wait(&barrier);
	while (w->live)
		put_one(w, w->live - 1);
	pthread_barrier_wait(&barrier);
	/* main thread checks here */
	pthread_barrier_wait(&barrier);

	/* phase 2: all threads take order-0 frames until memory runs out */
	while ((f = llfree_get(&alloc, core, 0, w->id % 2)) >= 0) {
		claim(w, f, 0);
		w->exhaust_count++;
	}
	pthread_barrier_wait(&barrier);
	return NULL;
}

static int test_no, test_failed;

static void tap(int ok, const char *name)
{
	test_failed += !ok;
	printf("%sok %d - llfree stress %s\n", ok ? "" : "not ", ++test_no, name);
}

int main(void)
{
	size_t size = llfree_metadata_size(CORES, FRAMES);
	void *meta = aligned_alloc(64, (size + 63) & ~(size_t)63);
	uint64_t held = 0, total = 0;
	int failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("1..7\n");
	if (!meta || llfree_init(&alloc, CORES, FRAMES, LLFREE_INIT_FREE, meta)) {
		printf("Bail out! init failed\n");
		return 1;
	}
	pthread_barrier_init(&barrier, NULL, THREADS + 1);
	for (unsigned int i = 0; i < THREADS; i++) {
		workers[i].id = i;
		workers[i].seed = 0x2545f4914f6cdd1dull * (i + 1);
		if (getenv("STRESS_SEED"))	/* to repeat with other seeds */
			workers[i].seed ^= strtoull(getenv("STRESS_SEED"), NULL, 0) << 1;
		pthread_create(&workers[i].thread, NULL, run, &workers[i]);
	}

	pthread_barrier_wait(&barrier);	/* phase 1 done, blocks held */
	for (unsigned int i = 0; i < THREADS; i++) {
		for (unsigned int k = 0; k < workers[i].live; k++)
			held += 1ull << workers[i].ord[k];
	}
	for (unsigned int c = 0; c < CORES; c++)
		llfree_drain(&alloc, c);
	tap(!twice, "no frame handed out twice");
	tap(!put_errors && !bad_errors, "every get and put of a held block succeeds");
	tap(llfree_free_frames(&alloc) == FRAMES - held,
	    "free count equals frames minus held frames");
	tap(llfree_validate(&alloc) == LLFREE_OK, "validate clean with blocks held");
	printf("# %llu frames held, %llu out-of-memory answers\n",
	       (unsigned long long)held, (unsigned long long)oom);
	pthread_barrier_wait(&barrier);

	pthread_barrier_wait(&barrier);	/* all freed */
	for (unsigned int c = 0; c < CORES; c++)
		llfree_drain(&alloc, c);
	tap(llfree_free_frames(&alloc) == FRAMES &&
	    llfree_free_huge(&alloc) == FRAMES / LLFREE_AREA_FRAMES &&
	    llfree_validate(&alloc) == LLFREE_OK,
	    "all memory free and validate clean after freeing everything");
	pthread_barrier_wait(&barrier);

	pthread_barrier_wait(&barrier);	/* concurrent exhaustion done */
	for (unsigned int i = 0; i < THREADS; i++) {
		pthread_join(workers[i].thread, NULL);
		total += workers[i].exhaust_count;
	}
	for (unsigned int c = 0; c < CORES; c++)
		llfree_drain(&alloc, c);
	tap(!twice && total == FRAMES && llfree_free_frames(&alloc) == 0,
	    "concurrent exhaustion hands out every frame once");
	tap(llfree_validate(&alloc) == LLFREE_OK, "validate clean when exhausted");
	printf("# exhaustion: %llu of %llu frames\n", (unsigned long long)total,
	       (unsigned long long)FRAMES);

	failed = test_failed || twice || put_errors || bad_errors;
	free(meta);
	return failed || test_no != 7 ? 1 : 0;
}
