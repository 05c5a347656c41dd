/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers of the rswap VM tests: TAP, commands, cgroups, page patterns. */
#ifndef RS_H
#define RS_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int rs_n;

static inline void rs_plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline int rs_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++rs_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

static inline void rs_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - ", ++rs_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

static inline void rs_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline double rs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run a shell command, its first output line in out; the exit status
 * (128+N for signal N, -1 if it could not run). */
static inline int rs_run(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024], line[512] = "";
	va_list ap;
	FILE *f;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		line[strcspn(line, "\n")] = 0;
	while (fgetc(f) != EOF)
		;
	st = pclose(f);
	if (out)
		snprintf(out, len, "%s", line);
	if (st < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline int rs_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static inline long long rs_read_ll(const char *fmt, ...)
{
	char path[512], buf[64] = "";
	va_list ap;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return atoll(buf);
}

static inline void rs_read_str(char *buf, size_t len, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	buf[0] = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/* A memory cgroup with memory.max MAX; its path in path. */
static inline int rs_cgroup(char *path, size_t len, const char *name, const char *max)
{
	char f[600];

	rs_write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	snprintf(path, len, "/sys/fs/cgroup/%s", name);
	rmdir(path);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	snprintf(f, sizeof(f), "%s/memory.max", path);
	return rs_write_file(f, max);
}

/* Page contents: every 8-byte word a function of seed, page and word. */
static inline uint64_t rs_word(uint64_t seed, size_t page, size_t w)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL ^ (page << 10 | w);

	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ULL;
	return x ^ (x >> 29);
}

static inline void rs_fill(char *p, size_t pages, uint64_t seed)
{
	size_t i, w, n = 4096 / 8;

	for (i = 0; i < pages; i++) {
		uint64_t *q = (uint64_t *)(p + i * 4096);

		for (w = 0; w < n; w++)
			q[w] = rs_word(seed, i, w);
	}
}

/* The first page whose contents are wrong, or -1. */
static inline long rs_verify(const char *p, size_t pages, uint64_t seed)
{
	size_t i, w, n = 4096 / 8;

	for (i = 0; i < pages; i++) {
		const uint64_t *q = (const uint64_t *)(p + i * 4096);

		for (w = 0; w < n; w++)
			if (q[w] != rs_word(seed, i, w))
				return i;
	}
	return -1;
}

/*
 * A worker in cgroup cg: maps mib MiB, fills them, writes 'F' to *from,
 * waits for a byte on *to, verifies, exits 0 (all good), 3 (bad page).
 */
static inline pid_t rs_worker(const char *cg, size_t mib, uint64_t seed, int *to,
		       int *from)
{
	int a[2], b[2];
	pid_t pid;

	if (pipe(a) || pipe(b))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		char f[600], c, pidtext[32];
		size_t pages = mib << 8;
		char *p;
		long bad;

		close(a[1]);
		close(b[0]);
		snprintf(f, sizeof(f), "%s/cgroup.procs", cg);
		snprintf(pidtext, sizeof(pidtext), "%d", getpid());
		if (rs_write_file(f, pidtext))
			_exit(4);
		p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(5);
		madvise(p, pages * 4096, MADV_NOHUGEPAGE);
		rs_fill(p, pages, seed);
		if (write(b[1], "F", 1) != 1 || read(a[0], &c, 1) != 1)
			_exit(6);
		bad = rs_verify(p, pages, seed);
		if (bad >= 0) {
			fprintf(stderr, "# worker %d: page %ld is wrong\n", getpid(), bad);
			_exit(3);
		}
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	*to = a[1];
	*from = b[0];
	return pid;
}

/* waitpid with a deadline: the status, or -1 (killed after secs). */
static inline int rs_wait(pid_t pid, int secs)
{
	double end = rs_now() + secs;
	int st;

	while (rs_now() < end) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0)
			return -1;
		usleep(100 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* Connect with anker-rswap; the device (/dev/rswapN) in dev; exit status. */
static inline int rs_connect(char *dev, size_t len, const char *addr, const char *size,
		      const char *name, const char *extra)
{
	return rs_run(dev, len, "anker-rswap connect %s --size %s --name %s %s 2>&1",
		      addr, size, name, extra ? extra : "");
}

#endif
