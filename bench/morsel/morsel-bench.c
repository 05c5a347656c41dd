// SPDX-License-Identifier: GPL-2.0
/*
 * Morsel benchmark: map already populated memory as a morsel, with
 * mmap+MAP_POPULATE (anonymous, 4 KiB pages), as hugetlb 2 MiB pages, by
 * sharing a populated memfd; time to map, to touch every page once after
 * mapping, to unmap; page-table memory for N processes mapping one region.
 *
 * Output: TSV lines (kind, size, method, values...) for report.sh.
 *   map   SIZE METHOD map_us touch_us unmap_us touch_faults
 *   pt    SIZE METHOD N pagetables_kB
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <anker.h>

#define MB (1024UL * 1024)
#define PG 4096UL
#define REPS 3

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 4U
#endif

enum method { M_MORSEL, M_ANON_POPULATE, M_MEMFD_POPULATE, M_MEMFD_FAULT,
	      M_HUGETLB, M_NR };
static const char *const names[M_NR] = {
	"morsel", "anon mmap+MAP_POPULATE", "memfd mmap+MAP_POPULATE",
	"memfd mmap, faults", "hugetlb 2 MiB memfd",
};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static long meminfo(const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static int set_hugepages(long n)
{
	FILE *f = fopen("/proc/sys/vm/nr_hugepages", "w");

	if (!f)
		return -1;
	fprintf(f, "%ld\n", n);
	fclose(f);
	return meminfo("HugePages_Total") >= n ? 0 : -1;
}

/* The populated object a method maps: an fd (or -1 for anonymous). */
static int make_source(enum method m, size_t size)
{
	int fd = -1;

	switch (m) {
	case M_MORSEL:
		fd = anker_morsel_create(size, MORSEL_LEVEL_PMD,
					 MORSEL_POPULATE);
		break;
	case M_MEMFD_POPULATE:
	case M_MEMFD_FAULT:
		fd = memfd_create("bench", MFD_CLOEXEC);
		if (fd >= 0 && fallocate(fd, 0, 0, size)) {
			close(fd);
			fd = -1;
		}
		break;
	case M_HUGETLB:
		if (set_hugepages(size / (2 * MB)))
			return -1;
		fd = memfd_create("bench-huge", MFD_CLOEXEC | MFD_HUGETLB);
		if (fd >= 0 && fallocate(fd, 0, 0, size)) {
			close(fd);
			fd = -1;
		}
		break;
	default:
		return -2;	/* anonymous */
	}
	return fd;
}

static void *map_it(enum method m, int fd, size_t size)
{
	switch (m) {
	case M_MORSEL:
		return anker_morsel_map(fd, size, 0);
	case M_ANON_POPULATE:
		return mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	case M_MEMFD_FAULT:
		return mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			    fd, 0);
	default:
		return mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_POPULATE, fd, 0);
	}
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void bench_map(enum method m, size_t size)
{
	double tm[REPS], tt[REPS], tu[REPS];
	long faults = 0;
	int fd, r;

	if (m == M_ANON_POPULATE)
		fd = -2;
	else
		fd = make_source(m, size);
	if (fd == -1) {
		printf("# %s %zu MiB: not available (%s)\n", names[m],
		       size / MB, strerror(errno));
		if (m == M_HUGETLB)
			set_hugepages(0);
		return;
	}
	for (r = 0; r < REPS; r++) {
		volatile char *p;
		double t0, t1, t2, t3;
		long f0;
		char sum = 0;

		t0 = now_us();
		p = map_it(m, fd, size);
		t1 = now_us();
		if (p == MAP_FAILED) {
			printf("# %s: mmap: %s\n", names[m], strerror(errno));
			break;
		}
		f0 = minflt();
		for (size_t o = 0; o < size; o += PG)
			sum += p[o];
		t2 = now_us();
		faults = minflt() - f0;
		munmap((void *)p, size);
		t3 = now_us();
		(void)sum;
		tm[r] = t1 - t0;
		tt[r] = t2 - t1;
		tu[r] = t3 - t2;
	}
	if (r == REPS) {
		qsort(tm, REPS, sizeof(double), cmp_d);
		qsort(tt, REPS, sizeof(double), cmp_d);
		qsort(tu, REPS, sizeof(double), cmp_d);
		printf("map\t%zu\t%s\t%.1f\t%.1f\t%.1f\t%ld\n", size, names[m],
		       tm[REPS / 2], tt[REPS / 2], tu[REPS / 2], faults);
		fflush(stdout);
	}
	if (fd >= 0)
		close(fd);
	if (m == M_HUGETLB)
		set_hugepages(0);
}

/* PageTables growth with n processes mapping (and touching) the region */
static void bench_pt(enum method m, size_t size, int n)
{
	int fd = make_source(m, size), go[2], ready[2], i;
	long pt0, pt1;
	pid_t pids[64];
	char c;

	if (fd < 0 || pipe(go) || pipe(ready))
		return;
	pt0 = meminfo("PageTables");
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			volatile char *p = map_it(m, fd, size);
			char sum = 0;

			close(go[1]);

			if (p == MAP_FAILED)
				_exit(1);
			for (size_t o = 0; o < size; o += PG)
				sum += p[o];
			(void)sum;
			if (write(ready[1], "x", 1) != 1 ||
			    read(go[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			break;
	pt1 = meminfo("PageTables");
	close(go[1]);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	close(go[0]);
	close(ready[0]);
	close(ready[1]);
	close(fd);
	/* the morsel's own tables are counted too (fd still open above) */
	printf("pt\t%zu\t%s\t%d\t%ld\n", size, names[m], n, pt1 - pt0);
	fflush(stdout);
	if (m == M_HUGETLB)
		set_hugepages(0);
}

int main(int argc, char **argv)
{
	size_t max = argc > 1 ? strtoull(argv[1], NULL, 0) : 1024 * MB;
	size_t ptsize = argc > 2 ? strtoull(argv[2], NULL, 0) : 1024 * MB;
	static const int ns[] = { 1, 2, 4, 8 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# morsel-bench: max %zu MiB, %d repetitions (median)\n",
	       max / MB, REPS);
	for (size_t size = 256 * MB; size <= max; size *= 4)
		for (int m = 0; m < M_NR; m++)
			bench_map(m, size);
	for (unsigned int i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		bench_pt(M_MORSEL, ptsize, ns[i]);
		bench_pt(M_MEMFD_POPULATE, ptsize, ns[i]);
		bench_pt(M_HUGETLB, ptsize, ns[i]);
	}
	return 0;
}
