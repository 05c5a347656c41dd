/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the morsel tests: a tiny TAP runner (each case in its own
 * child process), morsel creation, /proc parsing.
 */
#ifndef MOR_H
#define MOR_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/anker_morsel.h>
#include "anker.h"

#define KB 1024UL
#define MB (1024 * KB)
#define GB (1024 * MB)
#define PG 4096UL

#include "../../lib/tap.h"

#define mor_case tap_case

static inline int mor_run(const struct tap_case *cases, int n)
{
	return tap_run(cases, n, 600);
}

/* The morsel calls of libanker (anker.h), by their short names here. */
#define morsel_new anker_morsel_create

static inline int morsel_info(int fd, struct morsel_info *i)
{
	return anker_morsel_info(fd, i);
}

static inline void *mmor(int fd, size_t len, off_t off)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
}

static inline long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* A word per page: page index and seed */
static inline uint64_t pw(uint64_t seed, size_t pg)
{
	return seed * 0x9e3779b97f4a7c15ULL + pg * 0x100000001b3ULL + 1;
}

static inline void fill_pages(char *p, size_t len, uint64_t seed)
{
	for (size_t o = 0; o < len; o += PG)
		*(volatile uint64_t *)(p + o) = pw(seed, o / PG);
}

/* 0 when every page holds its word, else the bad page index + 1 */
static inline size_t check_pages(const char *p, size_t len, uint64_t seed)
{
	for (size_t o = 0; o < len; o += PG)
		if (*(const volatile uint64_t *)(p + o) != pw(seed, o / PG))
			return o / PG + 1;
	return 0;
}

/* A field of /proc/meminfo in kB, -1 if missing */
static inline long meminfo(const char *key)
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

/* The Rss: (kB) of the smaps entry starting at addr, -1 if none */
static inline long smaps_rss(void *addr)
{
	char line[512], start[32];
	int in = 0;
	long v = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, start, strlen(start)))
			in = 1;
		else if (in && !strncmp(line, "Rss:", 4)) {
			v = strtol(line + 4, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static inline int is_mapped(void *p)
{
	unsigned char v;

	return mincore(p, PG, &v) == 0;
}

static inline int waitok(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 1;
	if (WIFEXITED(st))
		diag("child %d exited %d", pid, WEXITSTATUS(st));
	else
		diag("child %d killed by signal %d", pid, WTERMSIG(st));
	return 0;
}

#endif
