// SPDX-License-Identifier: GPL-2.0
/*
 * swapbench: a memory-hungry workload for bench/rswap, run inside a memory
 * cgroup whose limit is well below its working set, so that it swaps.
 *
 *   swapbench --size MIB --pattern seq|rand [--accesses N] [--seed S]
 *
 * 1. fill: writes every 4 KiB page of a MIB-sized anonymous mapping (THP
 *    off: swap works on 4 KiB pages), half of each page pseudo-random;
 *    most of it is swapped out.
 * 2. measure: reads one word of pages in the pattern (seq: every page in
 *    order, twice over; rand: N uniformly random pages), checking each
 *    page's content.  Each access is timed (CLOCK_MONOTONIC); an access
 *    during which the thread's major-fault count rose is a major fault,
 *    its time a major-fault latency.
 *
 * Prints one line of key=value: fill and measure times, major faults,
 * swap-in bytes (/proc/vmstat pswpin), swap-in MiB/s over the measure
 * phase, p50/p90/p99/max major-fault latency in µs.  Exit 1 if a page read
 * back wrong (data lost), 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096ul

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_majflt;
}

static unsigned long vmstat(const char *key)
{
	char name[64];
	unsigned long v, ret = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %lu", name, &v) == 2)
		if (!strcmp(name, key))
			ret = v;
	fclose(f);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t tag(size_t page)
{
	return (page + 1) * 0x9E3779B97F4A7C15ull;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "accesses", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long mib = 0, accesses = 0;
	const char *pattern = "seq";
	size_t pages, nmaj = 0, bad = 0;
	double t0, t1, t2, *lat;
	unsigned long in0, in1, out0, out1;
	unsigned char *mem;
	long maj0;
	int o;

	rng = 88172645463325252ull;
	while ((o = getopt_long(argc, argv, "s:p:n:S:h", opts, NULL)) != -1) {
		switch (o) {
		case 's': mib = strtoul(optarg, NULL, 0); break;
		case 'p': pattern = optarg; break;
		case 'n': accesses = strtoul(optarg, NULL, 0); break;
		case 'S': rng = strtoull(optarg, NULL, 0) | 1; break;
		default:
			fprintf(stderr, "usage: swapbench --size MIB --pattern seq|rand "
				"[--accesses N] [--seed S]\n");
			return o == 'h' ? 0 : 2;
		}
	}
	if (!mib || (strcmp(pattern, "seq") && strcmp(pattern, "rand"))) {
		fprintf(stderr, "swapbench: need --size MIB and --pattern seq|rand\n");
		return 2;
	}
	pages = mib * (1024 * 1024 / PAGE);
	if (!strcmp(pattern, "seq"))
		accesses = 2 * pages;
	else if (!accesses)
		accesses = pages;
	lat = malloc(accesses * sizeof(*lat));
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!lat || mem == MAP_FAILED) {
		perror("swapbench: memory");
		return 1;
	}
	madvise(mem, pages * PAGE, MADV_NOHUGEPAGE);

	/* 1. fill */
	out0 = vmstat("pswpout");
	t0 = now();
	for (size_t p = 0; p < pages; p++) {
		uint64_t *w = (uint64_t *)(mem + p * PAGE);
		uint64_t x = tag(p);

		/* Half the page pseudo-random, half zero: compresses about
		 * 2:1, so zram is not flattered by empty pages. */
		for (size_t k = 1; k < PAGE / 16; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w[k] = x;
		}
		w[0] = tag(p);
		w[PAGE / 8 - 1] = ~tag(p);
	}
	t1 = now();

	/* 2. measure */
	in0 = vmstat("pswpin");
	maj0 = majflt();
	for (size_t i = 0; i < accesses; i++) {
		size_t p = pattern[0] == 's' ? i % pages : (size_t)(rnd() % pages);
		volatile uint64_t *w = (volatile uint64_t *)(mem + p * PAGE);
		long m = majflt();
		double a = now();
		uint64_t v = w[0], v2 = w[PAGE / 8 - 1];
		double b = now();

		if (majflt() != m)
			lat[nmaj++] = (b - a) * 1e6;
		if (v != tag(p) || v2 != ~tag(p))
			bad++;
	}
	t2 = now();
	in1 = vmstat("pswpin");
	out1 = vmstat("pswpout");

	qsort(lat, nmaj, sizeof(*lat), cmp_double);
#define PCT(q) (nmaj ? lat[(size_t)((double)(nmaj - 1) * (q))] : 0.0)
	printf("pattern=%s size_mib=%lu accesses=%lu fill_s=%.3f measure_s=%.3f "
	       "majflt=%zu majflt_rusage=%ld swapin_mib=%.1f swapout_mib=%.1f "
	       "swapin_mibps=%.2f p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f bad=%zu\n",
	       pattern, mib, accesses, t1 - t0, t2 - t1, nmaj, majflt() - maj0,
	       (double)(in1 - in0) * PAGE / 1048576.0, (double)(out1 - out0) * PAGE / 1048576.0,
	       (double)(in1 - in0) * PAGE / 1048576.0 / (t2 - t1),
	       PCT(0.5), PCT(0.9), PCT(0.99), nmaj ? lat[nmaj - 1] : 0.0, bad);
	return bad ? 1 : 0;
}
