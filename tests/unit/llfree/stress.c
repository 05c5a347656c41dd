// SPDX-License-Identifier: GPL-2.0
/*
 * Multithreaded stress of LLFree.
 *
 * Part 1 (cases 1-7): threads (more than cores, so reservations of one core
 * race too) get and put blocks of random orders and kinds. Every frame
 * handed out is claimed in an ownership map, so a frame handed out twice is
 * caught at once.
 * Part 2 (cases 8-9): one tree, one core per thread, each thread holding
 * at most 512 frames and now and then ending its reservations (so the
 * tree's whole count changes hands): memory is never short, so every
 * failed get is spurious and must not happen.
 * Part 3 (cases 10-12): like part 1, but threads also free held blocks with
 * a wrong order (huge orders record how they were allocated, so every such
 * put must be refused) and check at once that their block is still
 * allocated; after every round of rejected calls validate() must be clean.
 * Part 4 (cases 13-15): a racing double free: one thread tries order-7 gets
 * that claim and roll back bitfield words, another frees frames that are
 * free. Nothing may hang, and the counters must stay consistent.
 *
 * Built twice: plain and with ThreadSanitizer. A watchdog ends a hanging run.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
#define SP_THREADS	8	/* part 2: threads = cores on one tree */
#define SP_HOLD		512	/* frames a thread holds at most */
#define BAD_ROUNDS	20	/* part 3: rounds, validate() after each */
#define WATCHDOG	240	/* seconds a part may take */
#define TESTS		15

static struct llfree alloc;
static void *main_meta;
static _Atomic uint8_t owner[FRAMES];
static _Atomic int twice, put_errors, bad_errors, bad_accepted, bad_changed;
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
	bool bad;		/* part 3: also wrong-order puts */
};

static struct worker workers[THREADS];
static int test_no, test_failed;
static const char *part = "start";

static void watchdog(int sig)
{
	char msg[160];
	int len = snprintf(msg, sizeof(msg),
			   "not ok %d - llfree stress %s: no progress in %d s (hang)\n",
			   test_no + 1, part, WATCHDOG);

	(void)sig;
	if (write(1, msg, len) < 0)
		_exit(2);
	_exit(1);
}

static void tap(int ok, const char *name)
{
	test_failed += !ok;
	printf("%sok %d - llfree stress %s\n", ok ? "" : "not ", ++test_no, name);
}

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

/* Is every frame of a held block still allocated? */
static bool still_held(int64_t b, unsigned int o)
{
	if (o >= LLFREE_HUGE_ORDER)
		return !llfree_is_free(&alloc, b, LLFREE_HUGE_ORDER) &&
		       (o == LLFREE_HUGE_ORDER ||
			!llfree_is_free(&alloc, b + LLFREE_AREA_FRAMES,
					LLFREE_HUGE_ORDER));
	for (uint64_t f = b; f < (uint64_t)b + (1ull << o); f++) {
		if (llfree_is_free(&alloc, f, 0))
			return false;
	}
	return true;
}

/*
 * Part 3: free held block k with a wrong order that the allocator can tell:
 * a huge block with the other huge order, a base block as a huge block.
 */
static void bad_put(struct worker *w, unsigned int k, uint64_t r)
{
	int64_t b = w->blk[k];
	unsigned int o = w->ord[k];
	uint64_t frame;
	unsigned int order;
	int ret;

	if (o == LLFREE_MAX_ORDER) {
		frame = b + (r % 2) * LLFREE_AREA_FRAMES;
		order = LLFREE_HUGE_ORDER;
	} else if (o == LLFREE_HUGE_ORDER) {
		if (r % 2) {
			frame = b & ~((1ull << LLFREE_MAX_ORDER) - 1);
			order = LLFREE_MAX_ORDER;
		} else {
			frame = b + 8;
			order = 3;
		}
	} else {
		order = LLFREE_HUGE_ORDER + r % 2;
		frame = b & ~((1ull << order) - 1);
	}
	if (frame + (1ull << order) > FRAMES)
		return;
	ret = llfree_put(&alloc, w->id % CORES, frame, order);
	if (ret != LLFREE_ERR_FREE)
		atomic_fetch_add(&bad_accepted, 1);
	if (!still_held(b, o))
		atomic_fetch_add(&bad_changed, 1);
}

static void random_ops(struct worker *w, int ops, bool limit)
{
	uint32_t core = w->id % CORES;

	for (int i = 0; i < ops; i++) {
		uint64_t r = rnd(&w->seed);
		bool full = limit && w->held > FRAMES / (2 * THREADS);

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
		} else if (w->live && w->bad && (r >> 32) % 100 < 60) {
			bad_put(w, (r >> 40) % w->live, r >> 8);
		} else if (w->live) {
			put_one(w, (r >> 40) % w->live);
		}
	}
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
	random_ops(w, STRESS_OPS / 2, true);
	random_ops(w, STRESS_OPS / 2, false);
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

static void drain_all(struct llfree *a, uint32_t cores)
{
	for (uint32_t c = 0; c < cores; c++)
		llfree_drain(a, c);
}

static void part1(void)
{
	uint64_t held = 0, total = 0;

	part = "random";
	alarm(WATCHDOG);
	for (unsigned int i = 0; i < THREADS; i++)
		pthread_create(&workers[i].thread, NULL, run, &workers[i]);

	pthread_barrier_wait(&barrier);	/* phase 1 done, blocks held */
	for (unsigned int i = 0; i < THREADS; i++) {
		for (unsigned int k = 0; k < workers[i].live; k++)
			held += 1ull << workers[i].ord[k];
	}
	drain_all(&alloc, CORES);
	tap(!twice, "no frame handed out twice");
	tap(!put_errors && !bad_errors, "every get and put of a held block succeeds");
	tap(llfree_free_frames(&alloc) == FRAMES - held,
	    "free count equals frames minus held frames");
	tap(llfree_validate(&alloc) == LLFREE_OK, "validate clean with blocks held");
	printf("# %llu frames held, %llu out-of-memory answers\n",
	       (unsigned long long)held, (unsigned long long)oom);
	pthread_barrier_wait(&barrier);

	pthread_barrier_wait(&barrier);	/* all freed */
	drain_all(&alloc, CORES);
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
	drain_all(&alloc, CORES);
	tap(!twice && total == FRAMES && llfree_free_frames(&alloc) == 0,
	    "concurrent exhaustion hands out every frame once");
	tap(llfree_validate(&alloc) == LLFREE_OK, "validate clean when exhausted");
	printf("# exhaustion: %llu of %llu frames\n", (unsigned long long)total,
	       (unsigned long long)FRAMES);
}

/* Part 2: one tree, every failure is spurious */
static struct llfree sp_alloc;
static _Atomic uint64_t sp_failed, sp_gets;
static _Atomic int sp_errors;

static void *sp_run(void *arg)
{
	uint64_t id = (uintptr_t)arg, seed = 0x9e3779b97f4a7c15ull * (id + 1);
	int64_t held[SP_HOLD];
	unsigned int live = 0;
	uint64_t failed = 0, gets = 0;

	pthread_barrier_wait(&barrier);
	for (int i = 0; i < STRESS_OPS / 2; i++) {
		uint64_t r = rnd(&seed);

		/* now and then end the reservations: the tree changes hands */
		if ((r >> 24) % 64 == 0)
			llfree_drain(&sp_alloc, id);
		if (live < SP_HOLD && (r % 2 || !live)) {
			int64_t f = llfree_get(&sp_alloc, id, 0, (r >> 8) % 2);

			gets++;
			if (f >= 0)
				held[live++] = f;
			else
				failed++;
		} else {
			unsigned int k = (r >> 16) % live;

			if (llfree_put(&sp_alloc, id, held[k], 0))
				atomic_fetch_add(&sp_errors, 1);
			held[k] = held[--live];
		}
	}
	while (live) {
		if (llfree_put(&sp_alloc, id, held[--live], 0))
			atomic_fetch_add(&sp_errors, 1);
	}
	atomic_fetch_add(&sp_failed, failed);
	atomic_fetch_add(&sp_gets, gets);
	return NULL;
}

static void part2(void)
{
	size_t size = llfree_metadata_size(SP_THREADS, LLFREE_TREE_FRAMES);
	void *meta = aligned_alloc(64, (size + 63) & ~(size_t)63);
	pthread_t th[SP_THREADS];
	pthread_barrier_t *b = &barrier;

	part = "one tree";
	alarm(WATCHDOG);
	if (!meta || llfree_init(&sp_alloc, SP_THREADS, LLFREE_TREE_FRAMES,
				 LLFREE_INIT_FREE, meta)) {
		tap(0, "one tree: init");
		tap(0, "one tree: validate");
		free(meta);
		return;
	}
	pthread_barrier_destroy(b);
	pthread_barrier_init(b, NULL, SP_THREADS);
	for (uintptr_t i = 0; i < SP_THREADS; i++)
		pthread_create(&th[i], NULL, sp_run, (void *)i);
	for (unsigned int i = 0; i < SP_THREADS; i++)
		pthread_join(th[i], NULL);
	printf("# one tree, %d threads on %d cores holding <= %d frames each: %llu of %llu gets failed\n",
	       SP_THREADS, SP_THREADS, SP_HOLD, (unsigned long long)sp_failed,
	       (unsigned long long)sp_gets);
	tap(sp_failed == 0 && !sp_errors,
	    "one tree: no get fails while memory is free (spurious failures)");
	drain_all(&sp_alloc, SP_THREADS);
	tap(llfree_free_frames(&sp_alloc) == LLFREE_TREE_FRAMES &&
	    llfree_validate(&sp_alloc) == LLFREE_OK,
	    "one tree: all free and validate clean afterwards");
	free(meta);
}

/* Part 3: wrong-order puts of held blocks, validate after every round */
static void *bad_run(void *arg)
{
	struct worker *w = arg;

	for (int r = 0; r < BAD_ROUNDS; r++) {
		random_ops(w, STRESS_OPS / 2 / BAD_ROUNDS, r % 2 == 0);
		pthread_barrier_wait(&barrier);
		/* main thread validates here */
		pthread_barrier_wait(&barrier);
	}
	while (w->live)
		put_one(w, w->live - 1);
	return NULL;
}

static void part3(void)
{
	int rounds_ok = 0;

	part = "wrong-order puts";
	alarm(WATCHDOG);
	drain_all(&alloc, CORES);
	if (llfree_init(&alloc, CORES, FRAMES, LLFREE_INIT_FREE, main_meta)) {
		printf("Bail out! init failed\n");
		exit(1);
	}
	memset(owner, 0, sizeof(owner));
	atomic_store(&twice, 0);
	pthread_barrier_destroy(&barrier);
	pthread_barrier_init(&barrier, NULL, THREADS + 1);
	for (unsigned int i = 0; i < THREADS; i++) {
		workers[i].live = 0;
		workers[i].held = 0;
		workers[i].bad = true;
		workers[i].seed = 0xd1b54a32d192ed03ull * (i + 1);
		pthread_create(&workers[i].thread, NULL, bad_run, &workers[i]);
	}
	for (int r = 0; r < BAD_ROUNDS; r++) {
		uint64_t held = 0;

		pthread_barrier_wait(&barrier);
		for (unsigned int i = 0; i < THREADS; i++) {
			for (unsigned int k = 0; k < workers[i].live; k++)
				held += 1ull << workers[i].ord[k];
		}
		rounds_ok += llfree_validate(&alloc) == LLFREE_OK &&
			     llfree_free_frames(&alloc) == FRAMES - held;
		pthread_barrier_wait(&barrier);
	}
	for (unsigned int i = 0; i < THREADS; i++)
		pthread_join(workers[i].thread, NULL);
	printf("# %d wrong-order puts accepted, %d left a held block free, %d of %d rounds validated\n",
	       bad_accepted, bad_changed, rounds_ok, BAD_ROUNDS);
	tap(!bad_accepted, "wrong-order puts: every one refused");
	tap(!bad_changed && !twice && !put_errors && !bad_errors,
	    "wrong-order puts: a refused put changes nothing");
	drain_all(&alloc, CORES);
	tap(rounds_ok == BAD_ROUNDS && llfree_validate(&alloc) == LLFREE_OK &&
	    llfree_free_frames(&alloc) == FRAMES,
	    "wrong-order puts: validate clean after every round");
}

/* Part 4: a racing double free against order-7 claims and rollbacks */
#define DF_FRAMES	(2 * LLFREE_AREA_FRAMES)
static struct llfree df_alloc;
static _Atomic bool df_stop;
static _Atomic uint64_t df_accepted;

static void *df_getter(void *arg)
{
	int ops = STRESS_OPS / 4;

	(void)arg;
	for (int i = 0; i < ops; i++) {
		int64_t f = llfree_get(&df_alloc, 0, 7, LLFREE_MOVABLE);

		/* every 128-block holds a used frame: order 7 never fits */
		if (f >= 0)
			llfree_put(&df_alloc, 0, f, 7);
	}
	atomic_store(&df_stop, true);
	return NULL;
}

static void *df_freer(void *arg)
{
	uint64_t seed = 12345;

	(void)arg;
	while (!atomic_load(&df_stop)) {
		uint64_t r = rnd(&seed);
		/* a free frame in the first word of a 128-frame block */
		uint64_t f = (r % (DF_FRAMES / 128)) * 128 + (r >> 16) % 64;

		if (llfree_put(&df_alloc, 1, f, 0) == LLFREE_OK)
			atomic_fetch_add(&df_accepted, 1);
	}
	return NULL;
}

static void part4(void)
{
	size_t size = llfree_metadata_size(2, DF_FRAMES);
	void *meta = aligned_alloc(64, (size + 63) & ~(size_t)63);
	pthread_t g, f;
	uint64_t n = 0, freed, count = 0;
	int64_t r;
	bool ok = true;

	part = "racing double free";
	alarm(WATCHDOG);
	if (!meta || llfree_init(&df_alloc, 2, DF_FRAMES, LLFREE_INIT_FREE, meta)) {
		printf("Bail out! init failed\n");
		exit(1);
	}
	/* take everything, give back all but frame 69 of each 128-block */
	while (llfree_get(&df_alloc, 0, 0, LLFREE_MOVABLE) >= 0)
		n++;
	for (uint64_t x = 0; x < DF_FRAMES; x++) {
		if (x % 128 != 69)
			ok &= llfree_put(&df_alloc, 0, x, 0) == LLFREE_OK;
	}
	ok &= n == DF_FRAMES;
	pthread_create(&g, NULL, df_getter, NULL);
	pthread_create(&f, NULL, df_freer, NULL);
	pthread_join(g, NULL);
	pthread_join(f, NULL);
	drain_all(&df_alloc, 2);
	printf("# %llu frees of free frames accepted inside a claim window\n",
	       (unsigned long long)df_accepted);
	tap(ok, "racing double free: set up");
	tap(llfree_validate(&df_alloc) == LLFREE_OK,
	    "racing double free: counters match the bitfields afterwards");
	freed = llfree_free_frames(&df_alloc);
	while ((r = llfree_get(&df_alloc, count % 2, 0, LLFREE_MOVABLE)) >= 0)
		count++;
	tap(count == freed && llfree_free_frames(&df_alloc) == 0 &&
	    llfree_validate(&df_alloc) == LLFREE_OK,
	    "racing double free: exhaustion afterwards ends, hands out every free frame");
	free(meta);
}

int main(void)
{
	size_t size = llfree_metadata_size(CORES, FRAMES);
	void *meta = aligned_alloc(64, (size + 63) & ~(size_t)63);

	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGALRM, watchdog);
	printf("1..%d\n", TESTS);
	main_meta = meta;
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
	}
	part1();
	part2();
	pthread_barrier_destroy(&barrier);
	pthread_barrier_init(&barrier, NULL, THREADS + 1);
	part3();
	part4();
	alarm(0);
	free(meta);
	return test_failed || test_no != TESTS ? 1 : 0;
}
