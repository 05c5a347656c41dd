// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/faults in the guest: each counter driven by a program that
 * causes exactly that kind of fault a known number of times, the sum rules
 * against /proc/PID/stat, permissions, the sysctl, anker-faults. TAP.
 *
 * Every case runs in a child of its own, i.e. a fresh process whose
 * counters and min_flt/maj_flt start at 0. A case measures the delta of
 * the counters around the faulting loop, after a warm-up that maps the
 * code, stack and buffers the measurement itself uses; the counted kind
 * must then move by exactly the expected number. Where the kernel itself
 * adds faults a case says so and allows for it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <grp.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/tap.h"

#define KB 1024UL
#define MB (1024 * KB)
#define PG 4096UL

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2MB_ (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB_ (30 << MAP_HUGE_SHIFT)
#define TMPFS_MAGIC_ 0x01021994

enum {
	ANON_ZERO, ANON_COW, FILE_MINOR, FILE_MAJOR, SWAP_MINOR, SWAP_MAJOR,
	THP, HUGETLB, WP, NUMA, OTHER_MINOR, OTHER_MAJOR, FAILED, MINOR, MAJOR,
	NF
};

static const char *const names[NF] = {
	"anon_zero", "anon_cow", "file_minor", "file_major", "swap_minor",
	"swap_major", "thp", "hugetlb", "wp", "numa", "other_minor",
	"other_major", "failed", "minor", "major",
};

/* Counters of /proc/PID/faults plus min_flt/maj_flt of /proc/PID/stat. */
struct snap {
	long long v[NF];
	long long min_flt, maj_flt;
};

static int fd_faults = -1, fd_stat = -1;
static char rbuf[8192];

/* Parses a /proc/PID/faults text; -1 unless every name is there in order. */
static int parse_faults(const char *s, long long *v)
{
	for (int i = 0; i < NF; i++) {
		size_t n = strlen(names[i]);
		char *end;

		if (strncmp(s, names[i], n) || s[n] != ' ')
			return -1;
		v[i] = strtoll(s + n + 1, &end, 10);
		if (*end != '\n')
			return -1;
		s = end + 1;
	}
	return *s ? -1 : 0;
}

static int parse_stat(const char *s, long long *min, long long *maj)
{
	const char *p = strrchr(s, ')');

	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %lld %*u %lld",
			 min, maj) != 2)
		return -1;
	return 0;
}

static char fbuf[2][4096], sbuf[4096];

static int pread_all(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/*
 * Both files of this process, read with pread on fds opened once: faults,
 * stat, faults again, until both readings of faults agree, so that no
 * fault (e.g. of the reading code itself) fell between faults and stat.
 */
static int snap(struct snap *s)
{
	if (fd_faults < 0) {
		fd_faults = open("/proc/self/faults", O_RDONLY);
		fd_stat = open("/proc/self/stat", O_RDONLY);
		if (fd_faults < 0 || fd_stat < 0)
			return -1;
	}
	for (int t = 0; t < 10; t++) {
		if (pread_all(fd_faults, fbuf[0], sizeof(fbuf[0])) ||
		    pread_all(fd_stat, sbuf, sizeof(sbuf)) ||
		    pread_all(fd_faults, fbuf[1], sizeof(fbuf[1])))
			return -1;
		if (strcmp(fbuf[0], fbuf[1]))
			continue;
		if (parse_faults(fbuf[0], s->v))
			return -1;
		return parse_stat(sbuf, &s->min_flt, &s->maj_flt);
	}
	return -1;
}

static void delta(struct snap *d, const struct snap *a, const struct snap *b)
{
	for (int i = 0; i < NF; i++)
		d->v[i] = b->v[i] - a->v[i];
	d->min_flt = b->min_flt - a->min_flt;
	d->maj_flt = b->maj_flt - a->maj_flt;
}

static void show(const char *what, const struct snap *d)
{
	char line[512];
	int o = 0;

	for (int i = 0; i < NF; i++)
		if (d->v[i])
			o += snprintf(line + o, sizeof(line) - o, " %s=%lld",
				      names[i], d->v[i]);
	diag("%s:%s min_flt=%lld maj_flt=%lld", what, o ? line : " (none)",
	     d->min_flt, d->maj_flt);
}

/* The sum rules hold for every delta (and for the totals). */
static int sums_ok(const struct snap *d)
{
	long long min = 0, maj = 0;

	for (int i = 0; i < FAILED; i++) {
		if (i == FILE_MAJOR || i == SWAP_MAJOR || i == OTHER_MAJOR)
			maj += d->v[i];
		else
			min += d->v[i];
	}
	return min == d->v[MINOR] && maj == d->v[MAJOR] &&
	       min == d->min_flt && maj == d->maj_flt;
}

/*
 * Runs fn(arg) between two snapshots; fn is run once before on warm-up
 * memory so the code and stack it needs are mapped already.
 */
static int measure(struct snap *d, void (*fn)(char *, size_t), char *p,
		   size_t n, char *warm)
{
	struct snap a, b;

	if (warm)
		fn(warm, 1);
	if (snap(&a) || snap(&a))
		return -1;
	fn(p, n);
	if (snap(&b))
		return -1;
	delta(d, &a, &b);
	return 0;
}

/* Expect the kind moved by exactly want, and the sums to hold. */
static int expect(const char *what, const struct snap *d, int kind,
		  long long want)
{
	show(what, d);
	CHECK(d->v[kind] == want, "%s: %s moved by %lld, expected %lld",
	      what, names[kind], d->v[kind], want);
	CHECK(sums_ok(d), "%s: minor/major sums differ from min_flt/maj_flt",
	      what);
	return 0;
}

static void write_pages(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((volatile char *)p)[i * PG] = 1;
}

static void read_pages(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		(void)((volatile char *)p)[i * PG];
}

/* one access per 2 MiB */
static void read_huge(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		(void)((volatile char *)p)[i * 2 * MB];
}

static void write_huge(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((volatile char *)p)[i * 2 * MB] = 1;
}

static char *map_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		madvise(p, len, MADV_NOHUGEPAGE);
	return p == MAP_FAILED ? NULL : p;
}

static char *map_aligned(size_t len, size_t align)
{
	char *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + len + align - (a + len));
	return a;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static long read_long(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

#define N 256		/* 4 KiB pages per case */
#define NH 8		/* 2 MiB units per case */

/* ---- the cases ---- */

static int t_format(void)
{
	struct snap s;
	struct stat st;

	CHECK(!stat("/proc/self/faults", &st), "/proc/self/faults: %s",
	      strerror(errno));
	CHECK((st.st_mode & 0777) == 0400, "mode %o, expected 0400",
	      st.st_mode & 0777);
	CHECK(!snap(&s), "/proc/self/faults is not %d 'name value' lines in order",
	      NF);
	CHECK(sums_ok(&s), "totals: minor %lld major %lld, min_flt %lld maj_flt %lld",
	      s.v[MINOR], s.v[MAJOR], s.min_flt, s.maj_flt);
	return 0;
}

static int t_feature(void)
{
	char buf[256] = "";
	int fd = open("/sys/kernel/anker/features/fault_stats", O_RDONLY);

	CHECK(fd >= 0, "/sys/kernel/anker/features/fault_stats: %s",
	      strerror(errno));
	CHECK(read(fd, buf, sizeof(buf) - 1) > 0 && strstr(buf, "/proc/PID/faults"),
	      "status line '%s'", buf);
	close(fd);
	return 0;
}

static int t_anon_zero(void)
{
	char *p = map_anon(N * PG), *w = map_anon(PG);
	struct snap d;

	CHECK(p && w, "mmap");
	CHECK(!measure(&d, write_pages, p, N, w), "snapshot");
	return expect("write to N fresh anonymous pages", &d, ANON_ZERO, N);
}

static int t_anon_zero_page(void)
{
	char *p = map_anon(N * PG), *w = map_anon(PG);
	struct snap d, e;

	CHECK(p && w, "mmap");
	CHECK(!measure(&d, read_pages, p, N, w), "snapshot");
	if (expect("read of N fresh anonymous pages (zero page)", &d, ANON_ZERO, N))
		return 1;
	CHECK(!measure(&e, write_pages, p, N, NULL), "snapshot");
	return expect("write to the zero-page mapped pages", &e, ANON_ZERO, N) ||
	       expect("  ... counted as zero-fill, not COW", &e, ANON_COW, 0);
}

/* COW in a fork child, then write-protect reuse in the parent. */
static int t_cow_wp(void)
{
	char *p = map_anon(N * PG), *w = map_anon(PG);
	int pfd[2], st;
	struct snap d;
	pid_t pid;

	CHECK(p && w && !pipe(pfd), "mmap/pipe");
	write_pages(p, N);
	write_pages(w, 1);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		/* a new process: its own counters, pages shared with the parent */
		fd_faults = fd_stat = -1;
		if (measure(&d, write_pages, p, N, w))
			_exit(3);
		if (write(pfd[1], &d, sizeof(d)) != sizeof(d))
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	CHECK(read(pfd[0], &d, sizeof(d)) == sizeof(d), "child's result");
	waitpid(pid, &st, 0);
	if (expect("child writes N pages shared with its parent (COW)", &d, ANON_COW, N))
		return 1;
	/*
	 * The child copied every page and is gone: the parent's pages are
	 * exclusive again but still write-protected since fork, so each
	 * write is a write-protect fault that reuses the page.
	 */
	CHECK(!measure(&d, write_pages, p, N, w), "snapshot");
	return expect("parent writes its write-protected pages (reuse)", &d, WP, N) ||
	       expect("  ... without a copy", &d, ANON_COW, 0);
}

static int t_file_minor(void)
{
	char path[] = "/tmp/faults-minor-XXXXXX", *buf;
	int fd = mkstemp(path);
	struct snap d;
	char *p;

	CHECK(fd >= 0, "mkstemp: %s", strerror(errno));
	unlink(path);
	buf = malloc(NH * 2 * MB);
	CHECK(buf, "malloc");
	memset(buf, 7, NH * 2 * MB);
	CHECK(write(fd, buf, NH * 2 * MB) == (ssize_t)(NH * 2 * MB), "write");
	p = mmap(NULL, NH * 2 * MB, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap");
	/*
	 * Read faults map the neighbours in the page cache too ("fault
	 * around", up to 64 KiB, never across 2 MiB): touching one page per
	 * 2 MiB makes each access exactly one fault.
	 */
	read_huge(p + PG, 1);	/* warm-up: first 2 MiB */
	CHECK(!measure(&d, read_huge, p + 2 * MB, NH - 1, NULL), "snapshot");
	if (expect("read of a tmpfs file in the page cache", &d, FILE_MINOR, NH - 1))
		return 1;
	/* private write faults: a COW of the file page, one fault per page */
	munmap(p, NH * 2 * MB);
	p = mmap(NULL, N * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mmap");
	CHECK(!measure(&d, write_pages, p + PG, N - 1, p), "snapshot");
	return expect("write to a private mapping of a cached file", &d,
		      FILE_MINOR, N - 1);
}

/* A file on the host (9p root), at least 16 MiB, for major faults. */
static int big_9p_file(char *path, size_t len)
{
	const char *top = getenv("ANKER_TOP");
	const char *cand[] = { "build/kernel-test/vmlinux", "build/kernel-bench/vmlinux",
			       "build/kernel-test/arch/x86/boot/bzImage" };
	struct statfs sf;
	struct stat st;

	for (unsigned int i = 0; top && i < sizeof(cand) / sizeof(cand[0]); i++) {
		snprintf(path, len, "%s/%s", top, cand[i]);
		if (!stat(path, &st) && st.st_size >= (off_t)(NH * 2 * MB) &&
		    !statfs(path, &sf) && sf.f_type != TMPFS_MAGIC_)
			return 0;
	}
	return -1;
}

static int t_file_major(void)
{
	unsigned char vec[NH * 512];
	char path[4096];
	struct snap d;
	int fd, res = 0;
	char *p;

	if (big_9p_file(path, sizeof(path)))
		return skip("no file of %lu MiB on the 9p root ($ANKER_TOP/build/kernel-test/vmlinux)",
			    NH * 2);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "%s: %s", path, strerror(errno));
	p = mmap(NULL, NH * 2 * MB, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap");
	/* no readahead: a fault reads just its page */
	CHECK(!madvise(p, NH * 2 * MB, MADV_RANDOM), "MADV_RANDOM");
	sync();
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	CHECK(!write_str("/proc/sys/vm/drop_caches", "1"), "drop_caches");
	CHECK(!mincore(p, NH * 2 * MB, vec), "mincore");
	for (int i = 1; i < NH; i++)
		if (vec[i * 512] & 1)
			return skip("the page cache of %s cannot be dropped here", path);
	/*
	 * A fault on a page not in the page cache reads it from the host
	 * (VM_FAULT_MAJOR), or drops the mmap lock for the read and retries,
	 * which counts as major too.
	 */
	CHECK(!measure(&d, read_huge, p + 2 * MB, NH - 1, p + PG), "snapshot");
	res = expect("read of a 9p file after dropping its page cache", &d,
		     FILE_MAJOR, NH - 1);
	munmap(p, NH * 2 * MB);
	close(fd);
	return res;
}

static int have_swap(void)
{
	char line[256];
	FILE *f = fopen("/proc/swaps", "r");
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n += line[0] == '/';
	if (f)
		fclose(f);
	return n;
}

static const char *setup_swap(void)
{
	if (have_swap())
		return NULL;
	if (access("/sys/block/zram0/disksize", W_OK))
		return "no swap device and no zram0 (CONFIG_ZRAM)";
	if (write_str("/sys/block/zram0/disksize", "256M"))
		return "cannot size zram0";
	if (system("mkswap /dev/zram0 >/dev/null 2>&1") ||
	    syscall(__NR_swapon, "/dev/zram0", 0))
		return "mkswap/swapon of /dev/zram0 failed";
	return NULL;
}

/* Pages of [p, p+n pages) that are swapped out (pagemap bit 62). */
static int swapped(char *p, size_t n)
{
	int fd = open("/proc/self/pagemap", O_RDONLY), c = 0;
	uint64_t e;

	for (size_t i = 0; fd >= 0 && i < n; i++) {
		if (pread(fd, &e, 8, ((uintptr_t)p / PG + i) * 8) != 8)
			break;
		c += !!(e & (1ULL << 62));
	}
	if (fd >= 0)
		close(fd);
	return c;
}

static int page_out(char *p, size_t n)
{
	for (int t = 0; t < 10; t++) {
		madvise(p, n * PG, MADV_PAGEOUT);
		if (swapped(p, n) == (int)n)
			return 0;
		usleep(10000);
	}
	return -1;
}

static int t_swap_major(void)
{
	char *p = map_anon(N * PG), *w = map_anon(PG);
	const char *why = setup_swap();
	struct snap d;

	if (why)
		return skip("%s", why);
	CHECK(p && w, "mmap");
	write_pages(p, N);
	CHECK(!page_out(p, N), "MADV_PAGEOUT swapped %d of %d pages", swapped(p, N), N);
	/* zram is synchronous: the read skips the swap cache, one I/O each */
	CHECK(!measure(&d, read_pages, p, N, w), "snapshot");
	return expect("read of N pages swapped out to zram", &d, SWAP_MAJOR, N);
}

static int t_swap_minor(void)
{
	char *p = map_anon(N * PG), *w = map_anon(PG);
	const char *why = setup_swap();
	unsigned char vec[N];
	struct snap d;

	if (why)
		return skip("%s", why);
	CHECK(p && w, "mmap");
	write_pages(p, N);
	CHECK(!page_out(p, N), "MADV_PAGEOUT swapped %d of %d pages", swapped(p, N), N);
	/* MADV_WILLNEED reads them back into the swap cache, unmapped */
	CHECK(!madvise(p, N * PG, MADV_WILLNEED), "MADV_WILLNEED");
	CHECK(!mincore(p, N * PG, vec), "mincore");
	for (int i = 0; i < N; i++)
		CHECK(vec[i] & 1, "page %d not in the swap cache after MADV_WILLNEED", i);
	CHECK(!measure(&d, read_pages, p, N, w), "snapshot");
	return expect("read of N swapped pages found in the swap cache", &d,
		      SWAP_MINOR, N);
}

static int thp_enabled(void)
{
	char buf[128] = "";
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);

	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return strstr(buf, "[always]") || strstr(buf, "[madvise]");
}

static int t_thp(void)
{
	char *p = map_aligned(NH * 2 * MB, 2 * MB), *w = map_anon(PG);
	struct snap d;

	if (!thp_enabled())
		return skip("transparent hugepages are disabled");
	CHECK(p && w, "mmap");
	CHECK(!madvise(p, NH * 2 * MB, MADV_HUGEPAGE), "MADV_HUGEPAGE");
	CHECK(!measure(&d, write_huge, p, NH, w), "snapshot");
	/* a THP allocation that fails falls back to 4 KiB pages */
	return expect("write to N aligned 2 MiB MADV_HUGEPAGE ranges", &d, THP, NH);
}

#define HP2 "/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define HP1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/"

static int t_hugetlb_2m(void)
{
	long old = read_long(HP2 "nr_hugepages");
	char num[32], *p, *w = map_anon(PG);
	struct snap d;
	int res;

	if (old < 0)
		return skip("no 2 MiB hugetlb pages (" HP2 ")");
	snprintf(num, sizeof(num), "%ld", old + NH);
	CHECK(!write_str(HP2 "nr_hugepages", num), "nr_hugepages");
	if (read_long(HP2 "free_hugepages") < NH) {
		write_str(HP2 "nr_hugepages", (snprintf(num, sizeof(num), "%ld", old), num));
		return skip("cannot reserve %d 2 MiB huge pages", NH);
	}
	p = mmap(NULL, NH * 2 * MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB_, -1, 0);
	CHECK(p != MAP_FAILED && w, "mmap MAP_HUGETLB: %s", strerror(errno));
	CHECK(!measure(&d, write_huge, p, NH, w), "snapshot");
	res = expect("write to N 2 MiB hugetlb pages", &d, HUGETLB, NH);
	munmap(p, NH * 2 * MB);
	snprintf(num, sizeof(num), "%ld", old);
	write_str(HP2 "nr_hugepages", num);
	return res;
}

static int t_hugetlb_1g(void)
{
	char *p, *w = map_anon(PG);
	struct snap d;

	if (read_long(HP1G "free_hugepages") < 1)
		return skip("no free 1 GiB huge page (boot with hugepagesz=1G hugepages=1)");
	p = mmap(NULL, 1024 * MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB_, -1, 0);
	CHECK(p != MAP_FAILED && w, "mmap MAP_HUGETLB 1 GiB: %s", strerror(errno));
	/* one fault maps the whole GiB: the other 511 2 MiB steps hit it */
	CHECK(!measure(&d, write_huge, p, 512, w), "snapshot");
	return expect("write across a 1 GiB hugetlb page", &d, HUGETLB, 1);
}

static int t_numa(void)
{
	int nodes = 0;
	char path[64];

	for (int i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", i);
		nodes += !access(path, F_OK);
	}
	if (access("/proc/sys/kernel/numa_balancing", F_OK))
		return skip("kernel without NUMA balancing (CONFIG_NUMA_BALANCING): no hinting faults");
	if (nodes < 2)
		return skip("one NUMA node: the kernel makes no NUMA hinting faults");
	return skip("NUMA hinting faults depend on the scheduler's scan timing");
}

static sigjmp_buf jb;

static void on_signal(int sig)
{
	siglongjmp(jb, sig);
}

/* In a child: n SIGSEGV without a mapping, n on a read-only page, n SIGBUS. */
static void fail_child(int n)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_NODEFER };
	char path[] = "/tmp/faults-bus-XXXXXX";
	int fd = mkstemp(path);
	char *hole = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *bus;
	volatile int i;

	unlink(path);
	if (fd < 0 || ftruncate(fd, PG) || hole == MAP_FAILED || ro == MAP_FAILED)
		_exit(3);
	bus = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	if (bus == MAP_FAILED)
		_exit(3);
	(void)*(volatile char *)bus;
	(void)*(volatile char *)ro;
	munmap(hole, PG);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	for (i = 0; i < n; i++)
		if (!sigsetjmp(jb, 1))
			*(volatile char *)hole = 1;	/* no VMA */
	for (i = 0; i < n; i++)
		if (!sigsetjmp(jb, 1))
			*(volatile char *)ro = 1;	/* no write permission */
	for (i = 0; i < n; i++)
		if (!sigsetjmp(jb, 1))
			(void)*(volatile char *)(bus + PG);	/* beyond EOF */
	_exit(0);
}

static int read_faults_of(pid_t pid, long long *v)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/faults", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, rbuf, sizeof(rbuf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	rbuf[n] = 0;
	return parse_faults(rbuf, v);
}

static int t_failed(void)
{
	struct snap z;
	siginfo_t si;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork");
	if (pid == 0)
		fail_child(10);
	/* the child's counters are read while it is a zombie, before the reap */
	CHECK(!waitid(P_PID, pid, &si, WEXITED | WNOWAIT), "waitid");
	CHECK(si.si_code == CLD_EXITED && si.si_status == 0, "child failed (%d/%d)",
	      si.si_code, si.si_status);
	CHECK(!read_faults_of(pid, z.v), "/proc/%d/faults of the zombie: %s",
	      (int)pid, strerror(errno));
	waitpid(pid, NULL, 0);
	diag("child: failed=%lld minor=%lld major=%lld", z.v[FAILED], z.v[MINOR],
	     z.v[MAJOR]);
	CHECK(z.v[FAILED] == 30, "failed = %lld, expected 10 SIGSEGV (no VMA) + "
	      "10 SIGSEGV (read-only) + 10 SIGBUS (beyond EOF)", z.v[FAILED]);
	return 0;
}

static void *thread_fn(void *arg)
{
	write_pages(arg, N);
	return NULL;
}

static int t_threads(void)
{
	char *p = map_anon(4 * N * PG), *w = map_anon(PG);
	pthread_t t[4];
	struct snap a, b, d;

	CHECK(p && w, "mmap");
	write_pages(w, 1);
	CHECK(!snap(&a) && !snap(&a), "snapshot");
	for (int i = 0; i < 4; i++)
		CHECK(!pthread_create(&t[i], NULL, thread_fn, p + i * N * PG),
		      "pthread_create");
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(!snap(&b), "snapshot");
	delta(&d, &a, &b);
	show("4 threads write N pages each, then exit", &d);
	/* thread stacks, TLS and guard pages add zero-fill faults of their own */
	CHECK(d.v[ANON_ZERO] >= 4 * N && d.v[ANON_ZERO] <= 4 * N + 64,
	      "anon_zero %lld, expected 4N=%d (+ up to 64 for the threads' stacks)",
	      d.v[ANON_ZERO], 4 * N);
	CHECK(sums_ok(&d) && sums_ok(&b), "sums differ from min_flt/maj_flt");
	return 0;
}

static int t_sums(void)
{
	struct snap s;
	char *p = map_anon(N * PG);

	CHECK(p, "mmap");
	write_pages(p, N);
	read_pages(p, N);
	CHECK(!snap(&s), "snapshot");
	show("totals of this process", &s);
	CHECK(sums_ok(&s), "minor %lld != min_flt %lld or major %lld != maj_flt %lld",
	      s.v[MINOR], s.min_flt, s.v[MAJOR], s.maj_flt);
	return 0;
}

/* Runs fn as uid/gid 65534 in a child; its exit status. */
static int as_nobody(int (*fn)(pid_t), pid_t arg)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(3);
		prctl(PR_SET_DUMPABLE, 1);	/* its own /proc files are its */
		_exit(fn(arg));
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int nobody_reads(pid_t target)
{
	char path[64];
	long long v[NF];

	snprintf(path, sizeof(path), "/proc/%d/faults", (int)target);
	if (!read_faults_of(target, v))
		return 0;
	return errno == EACCES ? 1 : 2;
}

static int t_perm_other(void)
{
	int r = as_nobody(nobody_reads, getpid());

	CHECK(r == 1, "uid 65534 reading root's /proc/PID/faults: %s",
	      r == 0 ? "allowed" : r == 2 ? "failed, but not with EACCES" : "setup failed");
	return 0;
}

static int nobody_reads_self(pid_t unused)
{
	return nobody_reads(getpid());
}

static int t_perm_own(void)
{
	int r = as_nobody(nobody_reads_self, 0);

	CHECK(r == 0, "uid 65534 cannot read its own /proc/self/faults (%d)", r);
	return 0;
}

static int nobody_sysctl(pid_t unused)
{
	int fd = open("/proc/sys/vm/anker_fault_stats", O_WRONLY);

	if (fd >= 0)
		return write(fd, "0", 1) == 1 ? 0 : 1;
	return errno == EACCES || errno == EPERM ? 1 : 2;
}

#define SYSCTL "/proc/sys/vm/anker_fault_stats"

static int t_sysctl(void)
{
	char *p = map_anon(N * PG), *q = map_anon(N * PG), *w = map_anon(PG);
	struct snap d;
	int r;

	CHECK(p && q && w, "mmap");
	CHECK(read_long(SYSCTL) == 1, SYSCTL " is not 1 by default");
	r = as_nobody(nobody_sysctl, 0);
	CHECK(r == 1, "uid 65534 writing " SYSCTL ": %s",
	      r == 0 ? "allowed" : "unexpected error");
	CHECK(read_long(SYSCTL) == 1, "changed by uid 65534");
	CHECK(!write_str(SYSCTL, "0"), "write 0");
	r = measure(&d, write_pages, p, N, w);
	write_str(SYSCTL, "1");
	CHECK(!r, "snapshot");
	show("with vm.anker_fault_stats=0", &d);
	CHECK(d.v[MINOR] == 0 && d.v[MAJOR] == 0 && d.min_flt >= N,
	      "counted while switched off");
	CHECK(read_long(SYSCTL) == 1, "not back to 1");
	CHECK(!measure(&d, write_pages, q, N, w), "snapshot");
	CHECK(d.v[ANON_ZERO] == N, "not counting again after switching on (%lld)",
	      d.v[ANON_ZERO]);
	CHECK(write_str(SYSCTL, "2"), "2 accepted");
	return 0;
}

/* ---- anker-faults ---- */

static char tool[4096], self[4096];

static int run(const char *cmd, char *out, size_t len)
{
	char full[8192];
	FILE *f;
	size_t n;
	int st;

	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	f = popen(full, "r");
	if (!f)
		return -1;
	n = fread(out, 1, len - 1, f);
	out[n] = 0;
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long long field(const char *out, const char *name)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), "\n  %s ", name);
	p = strstr(out, want);
	return p ? strtoll(p + strlen(want), NULL, 10) : -1;
}

static int have_tool(void)
{
	const char *top = getenv("ANKER_TOP");

	if (!top)
		return 0;
	snprintf(tool, sizeof(tool), "%s/build/bin/anker-faults", top);
	return !access(tool, X_OK) && readlink("/proc/self/exe", self, sizeof(self) - 1) > 0;
}

static int t_tool_command(void)
{
	char cmd[9000], out[8192];
	int rc;

	if (!have_tool())
		return skip("no $ANKER_TOP/build/bin/anker-faults");
	snprintf(cmd, sizeof(cmd), "%s -- %s --touch %d 7", tool, self, 4 * N);
	rc = run(cmd, out, sizeof(out));
	CHECK(rc == 7, "exit status %d, expected the command's 7\n%s", rc, out);
	/* exec, the loader and libc add zero-fill faults of their own */
	CHECK(field(out, "anon_zero") >= 4 * N && field(out, "anon_zero") < 4 * N + 400,
	      "anon_zero of the command: %lld, expected %d + a few\n%s",
	      field(out, "anon_zero"), 4 * N, out);
	CHECK(strstr(out, "(min_flt ") && strstr(out, "(maj_flt "), "no totals\n%s", out);
	return 0;
}

static int t_tool_pid(void)
{
	char cmd[9000], out[8192];
	long long v[NF];
	int rc;

	if (!have_tool())
		return skip("no $ANKER_TOP/build/bin/anker-faults");
	snprintf(cmd, sizeof(cmd), "%s %d", tool, (int)getpid());
	rc = run(cmd, out, sizeof(out));
	CHECK(rc == 0, "exit status %d\n%s", rc, out);
	CHECK(!read_faults_of(getpid(), v), "own faults");
	/* it read us while we waited for it: no more than we have now */
	CHECK(field(out, "minor") > 0 && field(out, "minor") <= v[MINOR] &&
	      field(out, "anon_zero") > 0, "minor total of pid %d: %lld, now %lld\n%s",
	      (int)getpid(), field(out, "minor"), v[MINOR], out);
	return 0;
}

static int t_tool_errors(void)
{
	char cmd[9000], out[8192];
	int rc;
	pid_t pid;

	if (!have_tool())
		return skip("no $ANKER_TOP/build/bin/anker-faults");
	snprintf(cmd, sizeof(cmd), "%s --help", tool);
	CHECK((rc = run(cmd, out, sizeof(out))) == 0 && strstr(out, "usage:"),
	      "--help: %d", rc);
	snprintf(cmd, sizeof(cmd), "%s", tool);
	CHECK((rc = run(cmd, out, sizeof(out))) == 2, "no argument: %d", rc);
	snprintf(cmd, sizeof(cmd), "%s 12x", tool);
	CHECK((rc = run(cmd, out, sizeof(out))) == 2, "bad pid: %d", rc);
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "%s %d", tool, (int)pid);
	CHECK((rc = run(cmd, out, sizeof(out))) == 1, "reaped pid: %d\n%s", rc, out);
	snprintf(cmd, sizeof(cmd), "%s -- /nonexistent/cmd", tool);
	CHECK((rc = run(cmd, out, sizeof(out))) == 127, "missing command: %d", rc);
	snprintf(cmd, sizeof(cmd), "%s -- sh -c 'kill -9 $$'", tool);
	CHECK((rc = run(cmd, out, sizeof(out))) == 137, "killed command: %d", rc);
	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups %s 1", tool);
	rc = run(cmd, out, sizeof(out));
	CHECK(rc == 1 && strstr(out, "Permission denied"),
	      "uid 65534 on pid 1: %d\n%s", rc, out);
	return 0;
}

static const struct tap_case cases[] = {
	{ "/proc/self/faults: mode 0400, every counter, totals = min_flt/maj_flt", t_format },
	{ "listed in /sys/kernel/anker/features", t_feature },
	{ "anon_zero: N writes to fresh anonymous pages", t_anon_zero },
	{ "anon_zero: zero page on read, its COW on write", t_anon_zero_page },
	{ "anon_cow after fork, then wp (reuse) in the parent", t_cow_wp },
	{ "file_minor: page-cache hits (shared read, private write)", t_file_minor },
	{ "file_major: 9p file read after dropping the page cache", t_file_major },
	{ "swap_major: swap-in from zram", t_swap_major },
	{ "swap_minor: swap-in from the swap cache", t_swap_minor },
	{ "thp: aligned MADV_HUGEPAGE ranges", t_thp },
	{ "hugetlb: 2 MiB pages", t_hugetlb_2m },
	{ "hugetlb: 1 GiB page", t_hugetlb_1g },
	{ "numa: NUMA hinting faults", t_numa },
	{ "failed: SIGSEGV and SIGBUS, read from the zombie", t_failed },
	{ "counts of exited threads stay with the process", t_threads },
	{ "sums equal min_flt and maj_flt of /proc/self/stat", t_sums },
	{ "another user's /proc/PID/faults: EACCES", t_perm_other },
	{ "an unprivileged process reads its own", t_perm_own },
	{ "vm.anker_fault_stats: off stops counting, root only", t_sysctl },
	{ "anker-faults -- CMD: breakdown at exit, exit status", t_tool_command },
	{ "anker-faults PID", t_tool_pid },
	{ "anker-faults: usage, bad pid, exec failure, signal, EACCES", t_tool_errors },
};

int main(int argc, char **argv)
{
	int n = sizeof(cases) / sizeof(cases[0]);

	/* helper mode for the anker-faults test: touch N pages, exit with S */
	if (argc == 4 && !strcmp(argv[1], "--touch")) {
		size_t np = strtoul(argv[2], NULL, 10);
		char *p = map_anon(np * PG);

		if (p)
			write_pages(p, np);
		return atoi(argv[3]);
	}
	/*
	 * One CPU: freshly faulted pages sit in that CPU's LRU batch, which
	 * MADV_PAGEOUT and the reuse check of a write-protect fault drain
	 * only locally.
	 */
	{
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(0, &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	return tap_run(cases, n, 300);
}
