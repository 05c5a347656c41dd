/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the vmcopy tests: a tiny TAP runner (each case runs in its own
 * child process), patterns, /proc parsing, sysctl save/restore.
 */
#ifndef VMC_H
#define VMC_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
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
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

#include "../../lib/tap.h"

#define vmc_case tap_case

static inline int vmc_run(const struct tap_case *cases, int n)
{
	return tap_run(cases, n, 300);
}

static inline void *vmc(void *src, size_t len, void *dst, unsigned int flags)
{
	long r = syscall(ANKER_NR_vmcopy, src, len, dst, flags);

	return r == -1 ? MAP_FAILED : (void *)r;
}

/* A pattern word for (seed, byte offset). */
static inline uint64_t pat(uint64_t seed, size_t off)
{
	return (seed * 0x9e3779b97f4a7c15ULL) ^ (off * 0x100000001b3ULL) ^ off;
}

/* Fill [p, p+len) with pattern seed, one word per 512 bytes (fast) */
#define PAT_STRIDE 512
static inline void fill(void *p, size_t len, uint64_t seed)
{
	for (size_t o = 0; o < len; o += PAT_STRIDE)
		*(volatile uint64_t *)((char *)p + o) = pat(seed, o);
}

/* 0 if [p, p+len) holds pattern seed; else the first bad offset + 1 */
static inline size_t check(const void *p, size_t len, uint64_t seed)
{
	for (size_t o = 0; o < len; o += PAT_STRIDE)
		if (*(const volatile uint64_t *)((const char *)p + o) != pat(seed, o))
			return o + 1;
	return 0;
}

static inline int all_zero(const void *p, size_t len)
{
	for (size_t o = 0; o < len; o += 8)
		if (*(const volatile uint64_t *)((const char *)p + o))
			return 0;
	return 1;
}

static inline void *map_anon(size_t len, int flags)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_ANONYMOUS | flags, -1, 0);
}

/* A THP-able private anonymous region: 2 MiB aligned, MADV_HUGEPAGE. */
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

/* A field of the smaps entry that starts at addr, in kB; -1 if none. */
static inline long smaps_field(void *addr, const char *field)
{
	char line[512], want[64];
	FILE *f = fopen("/proc/self/smaps", "r");
	int in = 0;
	long v = -1;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "%s:", field);
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, ' ') &&
		    line[strlen(line) - 1] == '\n' && strchr(line, '-') < strchr(line, ' ')) {
			in = s == (unsigned long)addr;
			continue;
		}
		if (in && !strncmp(line, want, strlen(want))) {
			v = strtol(line + strlen(want), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* The VmFlags line of the smaps entry starting at addr ("" if none). */
static inline int smaps_vmflag(void *addr, const char *flag)
{
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");
	int in = 0, found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = s == (unsigned long)addr;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			char want[8];

			snprintf(want, sizeof(want), " %s", flag);
			for (char *q = line + 8; (q = strstr(q, want)); q++)
				if (q[strlen(want)] == ' ' || q[strlen(want)] == '\n')
					found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

/* The permissions ("rw-p") of the mapping containing addr. */
static inline int maps_perms(void *addr, char perms[5])
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &s, &e, p) == 3 &&
		    s <= (unsigned long)addr && (unsigned long)addr < e) {
			memcpy(perms, p, 5);
			found = 1;
			break;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static inline int nr_maps(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n;
}

/* Is any page of [p, p+len) mapped? */
static inline int mapped(void *p, size_t len)
{
	for (size_t o = 0; o < len; o += PG)
		if (msync((char *)p + o, PG, MS_ASYNC) == 0)
			return 1;
	return 0;
}

/* A /proc/meminfo or /proc/self/status value in kB. */
static inline long proc_kb(const char *file, const char *field)
{
	char line[256];
	FILE *f = fopen(file, "r");
	size_t n = strlen(field);
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return v;
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

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#endif
