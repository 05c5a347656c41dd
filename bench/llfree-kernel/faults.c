// SPDX-License-Identifier: GPL-2.0
/*
 * bench/llfree-kernel: page-fault and pool workloads whose cost is mostly
 * page allocation, run in the guest once with LLFree and once with
 * anker_llfree=off (same kernel binary). Prints TSV lines
 * "workload <TAB> round <TAB> seconds <TAB> note".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MB (1024UL * 1024)
#define PG 4096UL

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned long meminfo(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t len = strlen(key);
	unsigned long v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && line[len] == ':') {
			v = strtoul(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), r = 0;

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) < 0)
		r = -1;
	close(fd);
	return r;
}

/* Touch @len bytes of fresh anonymous memory, 4 KiB pages or THP */
static void anon(int round, size_t len, int huge)
{
	size_t step = huge ? 2 * MB : PG, i;
	char *m = mmap(NULL, len + 2 * MB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;
	double t0, t1, t2;
	unsigned long thp;

	if (m == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	p = (char *)(((uintptr_t)m + 2 * MB - 1) & ~(2 * MB - 1));
	madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	t0 = now();
	for (i = 0; i < len; i += step)
		p[i] = 1;
	t1 = now();
	thp = meminfo("AnonHugePages");
	munmap(m, len + 2 * MB);
	t2 = now();
	printf("%s_fault\t%d\t%.4f\tAnonHugePages %lu kB\n",
	       huge ? "thp" : "anon4k", round, t1 - t0, thp);
	printf("%s_unmap\t%d\t%.4f\t\n", huge ? "thp" : "anon4k", round,
	       t2 - t1);
}

/* Grow the 2 MiB hugetlb pool by @n pages and shrink it again */
static void hugetlb(int round, long n)
{
	const char *nr = "/proc/sys/vm/nr_hugepages";
	char s[32];
	double t0, t1, t2;
	unsigned long got;

	write_file(nr, "0");
	snprintf(s, sizeof(s), "%ld", n);
	t0 = now();
	write_file(nr, s);
	t1 = now();
	got = meminfo("HugePages_Total");
	write_file(nr, "0");
	t2 = now();
	printf("hugetlb_grow\t%d\t%.4f\t%lu of %ld pages\n", round, t1 - t0,
	       got, n);
	printf("hugetlb_shrink\t%d\t%.4f\t\n", round, t2 - t1);
}

int main(int argc, char **argv)
{
	size_t len = (argc > 1 ? strtoul(argv[1], NULL, 0) : 1024) * MB;
	int rounds = argc > 2 ? atoi(argv[2]) : 5, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (r = 0; r < rounds; r++) {
		anon(r, len, 0);
		anon(r, len, 1);
		hugetlb(r, (long)(len / (2 * MB)));
	}
	return 0;
}
