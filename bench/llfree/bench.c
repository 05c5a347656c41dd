// SPDX-License-Identifier: GPL-2.0
/*
 * User-space benchmarks of LLFree after the paper (Wrenger et al., ATC'23):
 *   bulk   - each thread allocates its share of half of memory, then frees it
 *   repeat - each thread allocates and frees one block, over and over
 *   rand   - like bulk, but the blocks are shuffled across threads first
 * at orders 0 and 9 with 1 and 2 threads, in ns per operation (per thread),
 * side by side with a baseline of one spin-locked free list per order.
 * Then the cost of a failing huge get: 1 TiB, 64 simulated cores, memory
 * fragmented so that no area is entirely free (every get of order 9 or 10
 * fails), and how many of the cores' reservations survive those gets.
 * Usage: bench [output.md]; LLFREE_BENCH_ONLY=fail runs only the latter.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "llfree.h"
#include "list.h"

#define FRAMES		(4ull << 20)	/* 16 GiB of 4 KiB frames */
#define MAX_THREADS	2

enum bench { BULK, REPEAT, RAND, BENCHES };
static const char *const bench_name[] = { "bulk", "repeat", "rand" };

struct allocator {
	const char *name;
	void *(*create)(unsigned int cores);
	int64_t (*get)(void *a, unsigned int core, unsigned int order);
	void (*put)(void *a, unsigned int core, uint64_t frame, unsigned int order);
	void (*destroy)(void *a);
};

/* LLFree */
struct llf {
	struct llfree a;
	void *meta;
};

static void *llf_create(unsigned int cores)
{
	struct llf *l = malloc(sizeof(*l));
	size_t size = llfree_metadata_size(cores, FRAMES);

	l->meta = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!l->meta || llfree_init(&l->a, cores, FRAMES, LLFREE_INIT_FREE, l->meta)) {
		fprintf(stderr, "llfree_init failed\n");
		exit(1);
	}
	return l;
}

static int64_t llf_get(void *a, unsigned int core, unsigned int order)
{
	return llfree_get(&((struct llf *)a)->a, core, order, LLFREE_MOVABLE);
}

static void llf_put(void *a, unsigned int core, uint64_t frame, unsigned int order)
{
	if (llfree_put(&((struct llf *)a)->a, core, frame, order)) {
		fprintf(stderr, "llfree_put(%llu, %u) failed\n",
			(unsigned long long)frame, order);
		exit(1);
	}
}

static void llf_destroy(void *a)
{
	struct llf *l = a;

	if (llfree_validate(&l->a)) {
		fprintf(stderr, "llfree_validate failed\n");
		exit(1);
	}
	free(l->meta);
	free(l);
}

/* Locked lists */
static void *list_create(unsigned int cores)
{
	struct list_alloc *l = malloc(sizeof(*l));

	if (!l || list_init(l, FRAMES)) {
		fprintf(stderr, "list_init failed\n");
		exit(1);
	}
	return l;
}

static int64_t list_get_(void *a, unsigned int core, unsigned int order)
{
	return list_get(a, order);
}

static void list_put_(void *a, unsigned int core, uint64_t frame, unsigned int order)
{
	list_put(a, frame, order);
}

static void list_destroy(void *a)
{
	list_fini(a);
	free(a);
}

static const struct allocator allocators[] = {
	{ "LLFree", llf_create, llf_get, llf_put, llf_destroy },
	{ "list", list_create, list_get_, list_put_, list_destroy },
};
#define ALLOCATORS (sizeof(allocators) / sizeof(allocators[0]))

/* Times of one phase: wall clock and the thread's own CPU time */
struct times {
	double wall, cpu;
};

static struct times now(void)
{
	struct timespec w, c;

	clock_gettime(CLOCK_MONOTONIC, &w);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
	return (struct times){ w.tv_sec * 1e9 + w.tv_nsec,
			       c.tv_sec * 1e9 + c.tv_nsec };
}

#define MAX_ROUNDS	200

/* Per-operation times of each round; the median is reported */
struct samples {
	unsigned int n;
	double wall[MAX_ROUNDS], cpu[MAX_ROUNDS];
};

static void add_per_op(struct samples *s, struct times a, struct times b,
		       uint64_t n)
{
	s->wall[s->n] = (b.wall - a.wall) / n;
	s->cpu[s->n++] = (b.cpu - a.cpu) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct times median(struct samples *s)
{
	if (!s->n)
		return (struct times){ 0, 0 };
	qsort(s->wall, s->n, sizeof(double), cmp_double);
	qsort(s->cpu, s->n, sizeof(double), cmp_double);
	return (struct times){ s->wall[s->n / 2], s->cpu[s->n / 2] };
}

/*
 * A spinning barrier: threads stay on their CPUs with warm caches (a
 * sleeping barrier would penalise the runs with more than one thread).
 */
struct spin_barrier {
	atomic_uint count, generation;
	unsigned int threads;
};

static void spin_barrier_wait(struct spin_barrier *b)
{
	unsigned int gen = atomic_load(&b->generation);

	if (atomic_fetch_add(&b->count, 1) + 1 == b->threads) {
		atomic_store(&b->count, 0);
		atomic_fetch_add(&b->generation, 1);
		return;
	}
	while (atomic_load(&b->generation) == gen)
		__builtin_ia32_pause();
}

/* One run: a benchmark, an order, a number of threads, an allocator */
struct run {
	const struct allocator *al;
	void *a;
	enum bench bench;
	unsigned int order, threads, rounds;
	uint64_t per_thread;		/* blocks per thread and round */
	uint64_t *shared;		/* every thread's blocks */
	struct spin_barrier barrier;
	struct times get[MAX_THREADS], put[MAX_THREADS];
};

struct thread {
	struct run *run;
	unsigned int id;
	pthread_t handle;
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int64_t must_get(struct run *r, unsigned int core)
{
	int64_t f = r->al->get(r->a, core, r->order);

	if (f < 0) {
		fprintf(stderr, "%s: out of memory in %s\n", r->al->name,
			bench_name[r->bench]);
		exit(1);
	}
	return f;
}

static void shuffle(uint64_t *a, uint64_t n, uint64_t seed)
{
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = rnd(&seed) % (i + 1), x = a[i];

		a[i] = a[j];
		a[j] = x;
	}
}

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	struct run *r = t->run;
	uint64_t n = r->per_thread, i;
	uint64_t *mine = r->shared + t->id * n;
	struct samples *get = calloc(2, sizeof(*get)), *put = get + 1;
	struct times t0, t1;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(t->id % sysconf(_SC_NPROCESSORS_ONLN), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);

	/* round 0 warms up and is not counted */
	for (unsigned int round = 0; round <= r->rounds; round++) {
		spin_barrier_wait(&r->barrier);
		if (r->bench == REPEAT) {
			t0 = now();
			for (i = 0; i < n; i++)
				r->al->put(r->a, t->id, must_get(r, t->id), r->order);
			t1 = now();
			if (round)
				add_per_op(get, t0, t1, n);
			continue;
		}
		t0 = now();
		for (i = 0; i < n; i++)
			mine[i] = must_get(r, t->id);
		t1 = now();
		if (round)
			add_per_op(get, t0, t1, n);
		if (r->bench == RAND) {
			spin_barrier_wait(&r->barrier);
			if (t->id == 0)
				shuffle(r->shared, n * r->threads, 42 + round);
		}
		spin_barrier_wait(&r->barrier);
		t0 = now();
		for (i = 0; i < n; i++)
			r->al->put(r->a, t->id, mine[i], r->order);
		t1 = now();
		if (round)
			add_per_op(put, t0, t1, n);
	}
	r->get[t->id] = median(get);
	r->put[t->id] = median(put);
	free(get);
	return NULL;
}

struct result {
	struct times get, put;
};

static struct result run_one(const struct allocator *al, enum bench b,
			     unsigned int order, unsigned int threads)
{
	struct thread th[MAX_THREADS];
	struct run r = { .al = al, .bench = b, .order = order, .threads = threads };
	struct result res;

	memset(&res, 0, sizeof(res));
	if (b == REPEAT) {
		r.per_thread = 1000000;
		r.rounds = 9;
	} else {
		/* half of memory, split between the threads */
		r.per_thread = (FRAMES / 2 >> order) / threads;
		r.rounds = order ? 199 : 9;
	}
	r.shared = malloc(sizeof(uint64_t) * r.per_thread * threads);
	r.a = al->create(MAX_THREADS);
	r.barrier.threads = threads;
	for (unsigned int i = 0; i < threads; i++) {
		th[i] = (struct thread){ .run = &r, .id = i };
		pthread_create(&th[i].handle, NULL, thread_main, &th[i]);
	}
	for (unsigned int i = 0; i < threads; i++) {
		pthread_join(th[i].handle, NULL);
		res.get.wall += r.get[i].wall / threads;
		res.get.cpu += r.get[i].cpu / threads;
		res.put.wall += r.put[i].wall / threads;
		res.put.cpu += r.put[i].cpu / threads;
	}
	al->destroy(r.a);
	free(r.shared);
	return res;
}

static void cpu_model(char *buf, size_t size)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, size, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(buf, size, "%s", strchr(line, ':') + 2);
			buf[strcspn(buf, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
}

static double loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f && fscanf(f, "%lf", &l) != 1)
		l = -1;
	if (f)
		fclose(f);
	return l;
}

/* Failing huge gets: 1 TiB of 4 KiB frames, 64 simulated cores */
#define FAIL_FRAMES	(1ull << 28)
#define FAIL_CORES	64
#define FAIL_GETS	2000

struct fail_result {
	double median[2], p99[2], max[2];	/* ns, orders 9 and 10 */
	unsigned int res_before, res_after;	/* reservations present */
	bool ok;
};

static unsigned int reservations(struct llfree *a)
{
	unsigned int n = 0;

	for (unsigned int c = 0; c < a->cores; c++)
		for (unsigned int s = 0; s < LLFREE_SLOTS; s++)
			n += (atomic_load(&a->local[c].slot[s].res) >> 63) != 0;
	return n;
}

static struct fail_result fail_bench(void)
{
	size_t size = llfree_metadata_size(FAIL_CORES, FAIL_FRAMES);
	void *meta = aligned_alloc(64, (size + 63) & ~(size_t)63);
	static double t[FAIL_GETS];
	struct fail_result res = { .ok = true };
	struct llfree a;
	uint64_t area;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (!meta || llfree_init(&a, FAIL_CORES, FAIL_FRAMES, LLFREE_INIT_ALLOC, meta)) {
		fprintf(stderr, "fail bench: init failed\n");
		exit(1);
	}
	/* free every frame but the first of each area, as blocks of 1..256 */
	for (area = 0; area < FAIL_FRAMES / LLFREE_AREA_FRAMES; area++) {
		for (unsigned int o = 0; o < LLFREE_AREA_ORDER; o++) {
			uint64_t f = area * LLFREE_AREA_FRAMES + (1ull << o);

			if (llfree_put(&a, area % FAIL_CORES, f, o)) {
				fprintf(stderr, "fail bench: put failed\n");
				exit(1);
			}
		}
	}
	/* every core works: base reservations of both kinds, a huge one */
	for (unsigned int c = 0; c < FAIL_CORES; c++) {
		res.ok &= llfree_get(&a, c, 0, LLFREE_MOVABLE) >= 0;
		res.ok &= llfree_get(&a, c, 0, LLFREE_UNMOVABLE) >= 0;
		res.ok &= llfree_get(&a, c, 9, LLFREE_MOVABLE) == LLFREE_ERR_MEMORY;
	}
	res.res_before = reservations(&a);
	for (unsigned int o = 0; o < 2; o++) {
		for (unsigned int i = 0; i < FAIL_GETS; i++) {
			struct times t0 = now(), t1;
			int64_t f = llfree_get(&a, i % FAIL_CORES, 9 + o, LLFREE_MOVABLE);

			t1 = now();
			res.ok &= f == LLFREE_ERR_MEMORY;
			t[i] = t1.cpu - t0.cpu;
		}
		qsort(t, FAIL_GETS, sizeof(double), cmp_double);
		res.median[o] = t[FAIL_GETS / 2];
		res.p99[o] = t[FAIL_GETS * 99 / 100];
		res.max[o] = t[FAIL_GETS - 1];
	}
	res.res_after = reservations(&a);
	res.ok &= llfree_validate(&a) == LLFREE_OK;
	free(meta);
	return res;
}

static char *fail_table(char *p, struct fail_result *r)
{
	p += sprintf(p, "\nFailing huge get: 1 TiB (%llu frames), %u simulated cores, no area\n"
		     "entirely free (every area keeps one frame), %u gets per order from\n"
		     "the cores in turn; ns of the thread's CPU time per get:\n\n",
		     (unsigned long long)FAIL_FRAMES, FAIL_CORES, FAIL_GETS);
	p += sprintf(p, "| order | median | p99 | max |\n|---:|---:|---:|---:|\n");
	for (unsigned int o = 0; o < 2; o++)
		p += sprintf(p, "| %u | %.0f | %.0f | %.0f |\n", 9 + o,
			     r->median[o], r->p99[o], r->max[o]);
	p += sprintf(p, "\n- failing order-9 get, median: %.1f us (target <= 50): %s\n",
		     r->median[0] / 1000, r->median[0] <= 50000 ? "met" : "MISSED");
	p += sprintf(p, "- reservations of the %u cores before/after the failing gets: %u / %u (of %u slots)%s\n",
		     FAIL_CORES, r->res_before, r->res_after, FAIL_CORES * LLFREE_SLOTS,
		     r->ok ? "" : "; ERROR: a get did not fail as expected or validate failed");
	return p;
}

static const unsigned int orders[] = { 0, 9 };
static struct result res[BENCHES][2][MAX_THREADS + 1][ALLOCATORS];

static char *table(char *p, bool cpu)
{
	p += sprintf(p, "| benchmark | order | threads | LLFree get | LLFree put | list get | list put |\n");
	p += sprintf(p, "|---|---:|---:|---:|---:|---:|---:|\n");
	for (int b = 0; b < BENCHES; b++)
		for (int o = 0; o < 2; o++)
			for (unsigned int t = 1; t <= MAX_THREADS; t++) {
				struct result *l = &res[b][o][t][0], *k = &res[b][o][t][1];
				double lg = cpu ? l->get.cpu : l->get.wall;
				double lp = cpu ? l->put.cpu : l->put.wall;
				double kg = cpu ? k->get.cpu : k->get.wall;
				double kp = cpu ? k->put.cpu : k->put.wall;

				if (b == REPEAT)
					p += sprintf(p, "| %s | %u | %u | %.1f (get+put) | | %.1f (get+put) | |\n",
						     bench_name[b], orders[o], t, lg, kg);
				else
					p += sprintf(p, "| %s | %u | %u | %.1f | %.1f | %.1f | %.1f |\n",
						     bench_name[b], orders[o], t, lg, lp, kg, kp);
			}
	return p;
}

int main(int argc, char **argv)
{
	char cpu[128], text[16384], *p = text;
	double load0 = loadavg();
	struct fail_result fr;
	FILE *out;

	cpu_model(cpu, sizeof(cpu));
	if (getenv("LLFREE_BENCH_ONLY") && !strcmp(getenv("LLFREE_BENCH_ONLY"), "fail")) {
		fr = fail_bench();
		fail_table(p, &fr);
		printf("%s", text);
		return fr.ok ? 0 : 1;
	}
	for (int b = 0; b < BENCHES; b++)
		for (int o = 0; o < 2; o++)
			for (unsigned int t = 1; t <= MAX_THREADS; t++)
				for (unsigned int a = 0; a < ALLOCATORS; a++) {
					struct result *x = &res[b][o][t][a];

					*x = run_one(&allocators[a], b, orders[o], t);
					fprintf(stderr, "%-6s order %u, %u thread(s), %-6s: get %6.1f put %6.1f ns (cpu), get %6.1f put %6.1f ns (wall)\n",
						bench_name[b], orders[o], t,
						allocators[a].name, x->get.cpu,
						x->put.cpu, x->get.wall, x->put.wall);
				}

	p += sprintf(p, "ns per operation and thread, the thread's own CPU time:\n\n");
	p = table(p, true);
	p += sprintf(p, "\nns per operation and thread, wall clock:\n\n");
	p = table(p, false);
	{
		struct result *b0 = res[BULK][0][1], *b9 = res[BULK][1][1];
		struct result *b0_2 = res[BULK][0][2], *b9_2 = res[BULK][1][2];
		double g0 = b0[0].get.cpu, g9 = b9[0].get.cpu;
		double g0_2 = b0_2[0].get.cpu, g9_2 = b9_2[0].get.cpu;

		p += sprintf(p, "\nTargets (LLFree, CPU time):\n\n");
		p += sprintf(p, "- order-0 bulk get, 1 thread: %.1f ns (target <= 60): %s\n",
			     g0, g0 <= 60 ? "met" : "MISSED");
		p += sprintf(p, "- order-9 bulk get, 1 thread: %.1f ns (target <= 100): %s\n",
			     g9, g9 <= 100 ? "met" : "MISSED");
		p += sprintf(p, "- bulk get, 2 threads vs 1: order 0 %.1f vs %.1f ns, order 9 %.1f vs %.1f ns (target: not more; 10%% noise allowed): %s\n",
			     g0_2, g0, g9_2, g9,
			     g0_2 <= g0 * 1.1 && g9_2 <= g9 * 1.1 ? "met" : "MISSED");
	}
	fr = fail_bench();
	p = fail_table(p, &fr);
	p += sprintf(p, "\nLoad average before/after the run: %.2f / %.2f.\n",
		     load0, loadavg());

	printf("%s", text);
	out = argc > 1 ? fopen(argv[1], "w") : NULL;
	if (out) {
		fprintf(out, "# LLFree user-space benchmark\n\n");
		fprintf(out, "Made by `make bench` (bench/llfree). Median of the rounds after a warm-up\n"
			"round (9 at order 0, 199 at order 9). Memory: %llu frames (16 GiB of 4 KiB frames); bulk and rand\n"
			"allocate half of it, split between the threads; repeat does 1M get+put\n"
			"pairs per thread and round. list = one spin-locked free list per order (split on\n"
			"demand, no merging), the paper's locked-list baseline. Threads pinned to\n"
			"CPUs 0 and 1. CPU time leaves out the time the thread was not running\n"
			"(the machine may be shared); wall clock includes it.\n\n",
			(unsigned long long)FRAMES);
		fprintf(out, "Machine: %s, %ld CPUs.\n\n", cpu, sysconf(_SC_NPROCESSORS_ONLN));
		fprintf(out, "%s", text);
		fclose(out);
	}
	return 0;
}
