// SPDX-License-Identifier: GPL-2.0
/*
 * vmcopy() vs malloc()+memcpy() vs fork() of a process holding the region,
 * for sizes 4 KiB .. 1 GiB backed by 4 KiB pages, THP and hugetlb (2 MiB);
 * and the cost of the first write to a copied page (the COW fault).
 *
 * Output: one TSV line per (backing, size):
 *   backing size_bytes vmcopy_us memcpy_us fork_us cow_ns_per_4k_page
 * Times are medians over several repetitions, measured side by side in one
 * run. memcpy includes malloc()'s page faults (the real cost of a physical
 * copy); fork is the time until fork() returns in the parent.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "anker.h"

#define KB 1024UL
#define MB (1024 * KB)
#define GB (1024 * MB)
#define HP (2 * MB)

enum backing { B_4K, B_THP, B_HUGETLB };
static const char *const bname[] = { "4k", "thp", "hugetlb" };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* An aligned region of the given backing, filled. */
static char *region(enum backing b, size_t len)
{
	size_t map = len < HP ? len : len + HP;
	char *p, *a;

	if (b == B_HUGETLB) {
		size_t l = (len + HP - 1) & ~(HP - 1);

		p = mmap(NULL, l, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED)
			return p;
		memset(p, 0x5a, len);
		return p;
	}
	p = mmap(NULL, map, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return p;
	a = p;
	if (map != len) {
		a = (char *)(((uintptr_t)p + HP - 1) & ~(HP - 1));
		if (a > p)
			munmap(p, a - p);
		munmap(a + len, p + map - (a + len));
	}
	madvise(a, len, b == B_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	memset(a, 0x5a, len);
	return a;
}

static void unmap(enum backing b, char *p, size_t len)
{
	if (b == B_HUGETLB)
		len = (len + HP - 1) & ~(HP - 1);
	munmap(p, len);
}

static int reps_for(size_t len)
{
	if (len <= 1 * MB)
		return 50;
	if (len <= 64 * MB)
		return 15;
	return 7;
}

static void bench(enum backing b, size_t len)
{
	int reps = reps_for(len), i;
	double tv[64], tm[64], tf[64], tc[64];
	double t0;
	char *src = region(b, len);
	/* the COW cost per page is measured on the first 16 MiB at most */
	size_t cow_len = len < 16 * MB ? len : 16 * MB;

	if (src == MAP_FAILED) {
		printf("# %s %zu: cannot map the source: %s\n", bname[b], len,
		       strerror(errno));
		return;
	}
	for (i = 0; i < reps; i++) {
		char *cp, *dst;
		pid_t pid;

		/* vmcopy */
		t0 = now();
		cp = vmcopy(src, len);
		tv[i] = now() - t0;
		if (cp == MAP_FAILED) {
			printf("# %s %zu: vmcopy: %s\n", bname[b], len, strerror(errno));
			goto out;
		}
		/* the first write to each 4 KiB page of the copy */
		t0 = now();
		for (size_t o = 0; o < cow_len; o += 4 * KB)
			cp[o] = 1;
		tc[i] = (now() - t0) / (cow_len / (4 * KB));
		unmap(b, cp, len);

		/* malloc + memcpy (the buffer backed like the source) */
		t0 = now();
		if (b == B_4K) {
			dst = malloc(len);
		} else {
			dst = NULL;
			if (posix_memalign((void **)&dst, HP, len))
				dst = NULL;
			if (dst)
				madvise(dst, len, MADV_HUGEPAGE);
		}
		if (!dst) {
			printf("# malloc failed\n");
			goto out;
		}
		memcpy(dst, src, len);
		tm[i] = now() - t0;
		free(dst);

		/* fork of a process holding the region */
		t0 = now();
		pid = fork();
		if (pid == 0)
			_exit(0);
		tf[i] = now() - t0;
		waitpid(pid, NULL, 0);
	}
	printf("%s\t%zu\t%.2f\t%.2f\t%.2f\t%.1f\n", bname[b], len,
	       median(tv, reps) * 1e6, median(tm, reps) * 1e6,
	       median(tf, reps) * 1e6, median(tc, reps) * 1e9);
	fflush(stdout);
out:
	unmap(b, src, len);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = {
		4 * KB, 64 * KB, 2 * MB, 16 * MB, 256 * MB, 1 * GB,
	};
	size_t max = argc > 1 ? strtoull(argv[1], NULL, 0) : GB;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# backing\tsize\tvmcopy_us\tmemcpy_us\tfork_us\tcow_ns_per_page\n");
	for (enum backing b = B_4K; b <= B_HUGETLB; b++) {
		if (b == B_HUGETLB) {
			/* 2 MiB pages for the source and its COW copy */
			FILE *f = fopen("/proc/sys/vm/nr_hugepages", "w");

			if (f) {
				fprintf(f, "%lu\n", 2 * (max / HP) + 8);
				fclose(f);
			}
		}
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			if (sizes[i] > max)
				continue;
			if (b == B_HUGETLB && sizes[i] < HP)
				continue;
			bench(b, sizes[i]);
		}
	}
	return 0;
}
