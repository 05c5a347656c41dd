/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the extents tests: a TAP runner (each case in its own child
 * process), extents_ctl() and /proc/self/extents parsing, mappings.
 */
#ifndef EXT_H
#define EXT_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/anker.h>
#include "anker.h"

#define KB 1024UL
#define MB (1024 * KB)
#define GB (1024 * MB)
#define PG 4096UL

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

#include "../../lib/tap.h"

#define ext_case tap_case

static inline int ext_run(const struct tap_case *cases, int n)
{
	return tap_run(cases, n, 300);
}

static const char *const ext_results[] = { "EQUAL", "SUBSET", "WRONG" };

static inline const char *res_name(int r)
{
	return r >= 0 && r <= 2 ? ext_results[r] : strerror(errno);
}

/* Compare [p, p+len) (len 0: everything) with the walk; print on mismatch. */
static inline int chk(void *p, size_t len, struct extents_check *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->start = (uintptr_t)p;
	c->end = len ? (uintptr_t)p + len : 0;
	r = anker_extents_check(0, c);
	if (r != EXTENTS_EQUAL)
		diag("check %p+%zu: %s: set %llu extents %llu bytes, walk %llu extents %llu bytes, missing %llu, wrong %llu",
		     p, len, res_name(r), (unsigned long long)c->tracked_extents,
		     (unsigned long long)c->tracked_bytes,
		     (unsigned long long)c->walk_extents,
		     (unsigned long long)c->walk_bytes,
		     (unsigned long long)c->missing_bytes,
		     (unsigned long long)c->wrong_bytes);
	return r;
}

static inline int sync_set(void)
{
	return (int)extents_ctl(0, EXTENTS_SYNC, 0, NULL);
}

/* One line of /proc/self/extents */
struct ext_line {
	unsigned long start, end, len;
	char sizes[16], prot[8];
	unsigned long long pa;
};

/* The extent lines of /proc/PID/extents overlapping [lo, hi); count or -1 */
static inline int ext_lines(int pid, unsigned long lo, unsigned long hi,
			    struct ext_line *out, int max)
{
	char path[64], line[256];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), pid ? "/proc/%d/extents" : "/proc/self/extents", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct ext_line l;

		if (sscanf(line, "%lx-%lx %lu %15s %7s %llx", &l.start, &l.end,
			   &l.len, l.sizes, l.prot, &l.pa) != 6)
			continue;
		if (l.end <= lo || l.start >= hi)
			continue;
		if (n < max)
			out[n] = l;
		n++;
	}
	fclose(f);
	return n;
}

static inline void touch(void *p, size_t len)
{
	for (size_t o = 0; o < len; o += PG)
		((volatile char *)p)[o] = 1 + (o >> 12);
}

static inline void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

/* A 2 MiB aligned private anonymous region, MADV_HUGEPAGE. */
static inline void *map_thp(size_t len)
{
	char *p = mmap(NULL, len + 2 * MB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return p;
	a = (char *)(((uintptr_t)p + 2 * MB - 1) & ~(2 * MB - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + len + 2 * MB - (a + len));
	madvise(a, len, MADV_HUGEPAGE);
	return a;
}

static inline long read_long(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return strtol(buf, NULL, 10);
}

static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

static inline int write_long(const char *path, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return write_str(path, buf);
}

/* The physical frame of the page at p (root: /proc/self/pagemap), 0 if none */
static inline uint64_t pfn_of(void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (uintptr_t)p / PG * 8) != 8)
		e = 0;
	close(fd);
	return (e >> 63) ? (e & ((1ULL << 55) - 1)) : 0;
}

#define ENABLE() CHECK(anker_extents_enable(0) == 0, "enable: %s", strerror(errno))

#endif
