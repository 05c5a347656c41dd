// SPDX-License-Identifier: GPL-2.0
/*
 * LLFree as the page-frame allocator (CONFIG_ANKER_LLFREE_ALLOC), in the
 * guest: /proc/llfreeinfo, validate, MemFree after allocating most of
 * memory, THP split frees, the 2 MiB hugetlb pool. TAP, one behaviour a
 * case. Without the option (no /proc/llfreeinfo) the cases skip; booted
 * with anker_llfree=off only the buddy case runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/falloc.h>

#define KB 1024UL
#define MB (1024 * KB)
#define PG 4096UL
#define INFO "/proc/llfreeinfo"
/* MemFree may differ this much after a test gave everything back */
#define SLACK_KB (16 * 1024UL)

enum { PASS, FAIL, SKIP };
static char why[256];
static int state;	/* -1: no /proc/llfreeinfo, 0: off, 1: on */

static int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return SKIP;
}

#define FAILED(...) do { printf("# " __VA_ARGS__); \
	printf("\n#   at %s:%d\n", __FILE__, __LINE__); return FAIL; } while (0)
#define CHECK(c, ...) do { if (!(c)) FAILED(__VA_ARGS__); } while (0)

struct zinfo {
	char name[16];
	unsigned long long frames, free, huge, nr_free;
	long refused;
};

/* The zones of /proc/llfreeinfo; returns how many (-1: no file) */
static int read_info(struct zinfo *z, int max, int *on)
{
	FILE *f = fopen(INFO, "r");
	char line[256], st[8];
	int n = 0;

	if (!f)
		return -1;
	*on = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "state: %7s", st) == 1) {
			*on = !strcmp(st, "on");
			continue;
		}
		if (n < max &&
		    sscanf(line, "node %*d zone %15s frames %llu free %llu huge %llu nr_free_pages %llu refused %ld",
			   z[n].name, &z[n].frames, &z[n].free, &z[n].huge,
			   &z[n].nr_free, &z[n].refused) == 6)
			n++;
	}
	fclose(f);
	return n;
}

static unsigned long long sum_free(int huge)
{
	struct zinfo z[8];
	unsigned long long s = 0;
	int on, i, n = read_info(z, 8, &on);

	for (i = 0; i < n; i++)
		s += huge ? z[i].huge : z[i].free;
	return s;
}

static long refused(void)
{
	struct zinfo z[8];
	long s = 0;
	int on, i, n = read_info(z, 8, &on);

	for (i = 0; i < n; i++)
		s += z[i].refused;
	return s;
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

/* write(2) of @s to @path: 0 or the errno */
static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

static int validate(void)
{
	return write_file(INFO, "validate\n");
}

static int need_on(void)
{
	if (state < 0)
		return skip("kernel without CONFIG_ANKER_LLFREE_ALLOC");
	if (!state)
		return skip("booted with anker_llfree=off");
	return PASS;
}

/* Drop caches so that MemFree before and after compare */
static void settle(void)
{
	sync();
	write_file("/proc/sys/vm/drop_caches", "3");
}

/* LLFree on: buddy's free lists are empty; off: buddy has free blocks */
static int t_buddy_lists(void)
{
	FILE *f = fopen("/proc/buddyinfo", "r");
	char line[512];
	unsigned long long blocks = 0;

	if (state < 0)
		return skip("kernel without CONFIG_ANKER_LLFREE_ALLOC");
	CHECK(f, "/proc/buddyinfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "zone");
		unsigned long long v;
		int k;

		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
		while (sscanf(p, " %llu%n", &v, &k) == 1) {
			blocks += v;
			p += k;
		}
	}
	fclose(f);
	if (state)
		CHECK(blocks == 0, "LLFree on, but buddy lists hold %llu blocks", blocks);
	else
		CHECK(blocks > 0, "anker_llfree=off, but buddy lists are empty");
	return PASS;
}

static int t_info_zones(void)
{
	struct zinfo z[8];
	int on, i, n = read_info(z, 8, &on), r = need_on();

	if (r)
		return r;
	CHECK(n > 0, "no zone in " INFO);
	for (i = 0; i < n; i++) {
		CHECK(z[i].frames > 0 && z[i].free <= z[i].frames,
		      "zone %s: frames %llu free %llu", z[i].name, z[i].frames,
		      z[i].free);
		CHECK(z[i].huge * 512 <= z[i].free, "zone %s: huge %llu free %llu",
		      z[i].name, z[i].huge, z[i].free);
		CHECK(z[i].refused == 0, "zone %s: %ld frees refused",
		      z[i].name, z[i].refused);
	}
	return PASS;
}

static int t_validate_clean(void)
{
	int r = need_on(), err;

	if (r)
		return r;
	err = validate();
	CHECK(!err, "validate: %s", strerror(err));
	return PASS;
}

/* NR_FREE_PAGES (MemFree, zoneinfo) is LLFree's count, up to vmstat drift */
static int t_counters_agree(void)
{
	struct zinfo z[8];
	int on, i, n, r = need_on();
	unsigned long long free = 0, memfree;
	/* per-CPU vmstat deltas: at most 125 pages a CPU and zone */
	long long tol = 125 * sysconf(_SC_NPROCESSORS_CONF) + 64;

	if (r)
		return r;
	n = read_info(z, 8, &on);
	for (i = 0; i < n; i++) {
		long long d = (long long)z[i].free - (long long)z[i].nr_free;

		printf("# zone %s: LLFree %llu free, NR_FREE_PAGES %llu\n",
		       z[i].name, z[i].free, z[i].nr_free);
		CHECK(d <= tol && d >= -tol, "zone %s: differ by %lld pages",
		      z[i].name, d);
		free += z[i].free;
	}
	memfree = meminfo("MemFree");
	CHECK(free * 4 <= memfree + tol * n * 4 &&
	      free * 4 + tol * n * 4 >= memfree,
	      "LLFree %llu kB free, MemFree %llu kB", free * 4, memfree);
	return PASS;
}

static int t_bad_input(void)
{
	int r = need_on(), err;

	if (r)
		return r;
	err = write_file(INFO, "validat\n");
	CHECK(err == EINVAL, "\"validat\": want EINVAL, got %s", strerror(err));
	err = write_file(INFO, "validate validate validate\n");
	CHECK(err == EINVAL, "long input: want EINVAL, got %s", strerror(err));
	return PASS;
}

static int t_unprivileged(void)
{
	int r = need_on(), st;
	pid_t pid;

	if (r)
		return r;
	pid = fork();
	if (!pid) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		fd = open(INFO, O_RDONLY);
		if (fd < 0)
			_exit(4);
		close(fd);
		_exit(write_file(INFO, "validate\n") == EACCES ? 0 : 5);
	}
	CHECK(pid > 0, "fork: %s", strerror(errno));
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && !WEXITSTATUS(st),
	      "uid 65534: want read ok, validate EACCES; child status %#x", st);
	return PASS;
}

/* Most of free memory as 4 KiB anonymous pages, touched, then unmapped */
static int t_most_memory(void)
{
	int r = need_on(), err;
	unsigned long before, after, len;
	unsigned long long lf0, lf1, lf2;
	char *p;
	size_t i;

	if (r)
		return r;
	settle();
	before = meminfo("MemFree");
	lf0 = sum_free(0);
	len = (before * KB / 10 * 7) & ~(2 * MB - 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED, "mmap %lu MiB: %s", len / MB, strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += PG)
		p[i] = (char)i;
	lf1 = sum_free(0);
	printf("# %lu MiB touched: LLFree free %llu -> %llu frames\n",
	       len / MB, lf0, lf1);
	CHECK(lf0 > lf1 && lf0 - lf1 >= len / PG / 10 * 9,
	      "LLFree free frames fell by %lld for %lu pages",
	      (long long)(lf0 - lf1), len / PG);
	munmap(p, len);
	settle();
	after = meminfo("MemFree");
	lf2 = sum_free(0);
	printf("# MemFree %lu kB before, %lu kB after; LLFree free %llu\n",
	       before, after, lf2);
	CHECK(after + SLACK_KB >= before, "MemFree %lu kB, was %lu kB",
	      after, before);
	err = validate();
	CHECK(!err, "validate: %s", strerror(err));
	CHECK(refused() == 0, "%ld frees refused", refused());
	return PASS;
}

/*
 * A huge tmpfs file (order-9 folios from LLFree) truncated in the middle of
 * its huge pages: the folios are split and their tails freed as 4 KiB
 * pages, base frees inside order-9 blocks (llfree_split())
 */
static int t_thp_split(void)
{
	char dir[] = "/tmp/llfree-XXXXXX", path[64];
	int r = need_on(), fd, err;
	unsigned long shmem0, shmem1, before, after;
	unsigned long shmem2;
	size_t len = 32 * MB, i;
	char *buf;

	if (r)
		return r;
	CHECK(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	if (mount("none", dir, "tmpfs", 0, "huge=always,size=64m")) {
		rmdir(dir);
		return skip("tmpfs huge=always: %s", strerror(errno));
	}
	settle();
	before = meminfo("MemFree");
	shmem0 = meminfo("ShmemHugePages");
	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0, "open: %s", strerror(errno));
	buf = malloc(2 * MB);
	CHECK(buf, "malloc");
	memset(buf, 0x5a, 2 * MB);
	for (i = 0; i < len; i += 2 * MB)
		CHECK(write(fd, buf, 2 * MB) == (ssize_t)(2 * MB), "write: %s",
		      strerror(errno));
	free(buf);
	shmem1 = meminfo("ShmemHugePages");
	printf("# ShmemHugePages %lu kB -> %lu kB\n", shmem0, shmem1);
	CHECK(shmem1 >= shmem0 + len / KB / 2,
	      "huge tmpfs got %lu kB of huge pages for %zu kB",
	      shmem1 - shmem0, len / KB);
	/* cut inside the 3rd huge page: split, its tail freed page by page */
	CHECK(!ftruncate(fd, 4 * MB + 12 * KB), "ftruncate: %s", strerror(errno));
	/* two huge pages left: the third was split (a failed split keeps it) */
	shmem2 = meminfo("ShmemHugePages");
	printf("# after truncating to 4 MiB + 12 KiB: ShmemHugePages %lu kB\n",
	       shmem2);
	CHECK(shmem2 == shmem0 + 4 * MB / KB,
	      "ShmemHugePages %lu kB, want %lu kB: the cut huge page was not split",
	      shmem2, shmem0 + 4 * MB / KB);
	/* punch 4 KiB pages out of the first huge page */
	for (i = 0; i < 8; i++)
		fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE,
			  (off_t)(64 * KB + i * 64 * KB), 4 * KB);
	close(fd);
	unlink(path);
	CHECK(!umount(dir), "umount: %s", strerror(errno));
	rmdir(dir);
	settle();
	after = meminfo("MemFree");
	printf("# MemFree %lu kB before, %lu kB after\n", before, after);
	CHECK(refused() == 0, "%ld frees refused", refused());
	err = validate();
	CHECK(!err, "validate: %s", strerror(err));
	CHECK(after + SLACK_KB >= before, "MemFree %lu kB, was %lu kB", after,
	      before);
	return PASS;
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The 2 MiB hugetlb pool grows (order-9 gets) and shrinks (order-9 puts) */
static int t_hugetlb_pool(void)
{
	const char *nr = "/proc/sys/vm/nr_hugepages";
	int r = need_on(), err;
	long old = read_long(nr), want, got, back;
	unsigned long before, after;
	unsigned long long huge0, huge1;
	char s[32];

	if (r)
		return r;
	CHECK(old >= 0, "%s: %s", nr, strerror(errno));
	settle();
	before = meminfo("MemFree");
	huge0 = sum_free(1);
	want = (long)(before / 1024 / 2 / 2);	/* half of MemFree */
	snprintf(s, sizeof(s), "%ld", old + want);
	err = write_file(nr, s);
	CHECK(!err, "nr_hugepages=%s: %s", s, strerror(err));
	got = read_long(nr) - old;
	huge1 = sum_free(1);
	printf("# %ld of %ld huge pages; LLFree free huge %llu -> %llu\n",
	       got, want, huge0, huge1);
	CHECK(got >= want / 10 * 9, "pool grew by %ld of %ld", got, want);
	CHECK(huge0 >= huge1 + (unsigned long long)got / 10 * 9,
	      "LLFree free huge frames %llu -> %llu for %ld pages", huge0,
	      huge1, got);
	snprintf(s, sizeof(s), "%ld", old);
	err = write_file(nr, s);
	CHECK(!err, "nr_hugepages=%s: %s", s, strerror(err));
	back = read_long(nr);
	CHECK(back == old, "pool %ld, want %ld", back, old);
	settle();
	after = meminfo("MemFree");
	printf("# MemFree %lu kB before, %lu kB after\n", before, after);
	CHECK(after + SLACK_KB >= before, "MemFree %lu kB, was %lu kB", after,
	      before);
	err = validate();
	CHECK(!err, "validate: %s", strerror(err));
	return PASS;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "buddy free lists empty with LLFree, filled with anker_llfree=off", t_buddy_lists },
	{ "llfreeinfo lists the zones, nothing refused", t_info_zones },
	{ "validate is clean", t_validate_clean },
	{ "NR_FREE_PAGES and MemFree agree with LLFree", t_counters_agree },
	{ "bad input to llfreeinfo is EINVAL", t_bad_input },
	{ "uid 65534 reads llfreeinfo, cannot validate (EACCES)", t_unprivileged },
	{ "70% of MemFree touched and freed: MemFree returns", t_most_memory },
	{ "huge tmpfs pages split and freed in parts", t_thp_split },
	{ "2 MiB hugetlb pool grows and shrinks", t_hugetlb_pool },
};

int main(void)
{
	int i, failed = 0, on;
	size_t n = sizeof(cases) / sizeof(cases[0]);
	struct zinfo z[8];

	setvbuf(stdout, NULL, _IOLBF, 0);
	state = read_info(z, 8, &on) < 0 ? -1 : on;
	printf("1..%zu\n", n);
	for (i = 0; i < (int)n; i++) {
		int r;

		why[0] = 0;
		r = cases[i].fn();
		if (r == SKIP)
			printf("ok %d %s # SKIP %s\n", i + 1, cases[i].name, why);
		else
			printf("%sok %d %s\n", r == PASS ? "" : "not ", i + 1,
			       cases[i].name);
		failed |= r == FAIL;
	}
	return failed;
}
