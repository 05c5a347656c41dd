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

#define KB 1024UL
#define MB (1024 * KB)
#define GB (1024 * MB)
#define PG 4096UL

struct mor_case {
	const char *name;
	int (*fn)(void);	/* 0 pass, 1 fail, 2 skip */
};

static char *mor_msg;

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define FAIL(...) do { diag(__VA_ARGS__); diag("  at %s:%d", __FILE__, __LINE__); return 1; } while (0)
#define CHECK(c, ...) do { if (!(c)) FAIL(__VA_ARGS__); } while (0)
#define CHECK_ERR(call, e) do { errno = 0; long _r = (long)(call); \
	CHECK(_r == -1 && errno == (e), "%s: want -1/%s, got %ld/%s", #call, \
	      strerror(e), _r, strerror(errno)); } while (0)

static inline int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(mor_msg, 256, fmt, ap);
	va_end(ap);
	return 2;
}

static inline int mor_run(const struct mor_case *cases, int n)
{
	int i, failed = 0;

	mor_msg = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", n);
	for (i = 0; i < n; i++) {
		int st = 0, rc;
		pid_t pid;

		mor_msg[0] = 0;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			alarm(600);
			_exit(cases[i].fn());
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st))
			rc = WEXITSTATUS(st);
		else {
			diag("case died with signal %d", WTERMSIG(st));
			rc = 1;
		}
		if (rc == 2)
			printf("ok %d - %s # SKIP %s\n", i + 1, cases[i].name,
			       mor_msg);
		else
			printf("%sok %d - %s\n", rc ? "not " : "", i + 1,
			       cases[i].name);
		failed += rc == 1;
	}
	return failed ? 1 : 0;
}

/* A new morsel fd, or -1 with errno. */
static inline int morsel_new(uint64_t size, unsigned int level,
			     unsigned int flags)
{
	struct morsel_create c = { .size = size, .level = level,
				   .flags = flags };
	int dev = open(MORSEL_DEVICE, O_RDWR | O_CLOEXEC), fd, e;

	if (dev < 0)
		return -1;
	fd = ioctl(dev, MORSEL_CREATE, &c);
	e = errno;
	close(dev);
	errno = e;
	return fd;
}

static inline int morsel_info(int fd, struct morsel_info *i)
{
	return ioctl(fd, MORSEL_INFO, i);
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
