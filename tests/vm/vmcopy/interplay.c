// SPDX-License-Identifier: GPL-2.0
/* vmcopy() with fork, mprotect, mremap, munmap, madvise, threads, swap. */
#include <pthread.h>
#include <sys/uio.h>
#include <stdatomic.h>
#include <sched.h>
#include "vmc.h"

#define LEN (128 * PG)

static char *src_with(uint64_t seed)
{
	char *p = map_anon(LEN, MAP_PRIVATE);

	fill(p, LEN, seed);
	return p;
}

/* fork after vmcopy: parent source, parent copy and child all separate. */
static int t_fork(void)
{
	char *p = src_with(1), *cp = vmcopy(p, LEN);
	pid_t pid;
	int st;

	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		int bad = check(p, LEN, 1) || check(cp, LEN, 1);

		fill(p, LEN, 2);
		fill(cp, LEN, 3);
		_exit(bad || check(p, LEN, 2) || check(cp, LEN, 3));
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "child saw wrong contents");
	CHECK(!check(p, LEN, 1) && !check(cp, LEN, 1), "parent sees the child's writes");
	fill(cp, LEN, 4);
	CHECK(!check(p, LEN, 1), "source sees the copy's writes");
	return 0;
}

/* vmcopy in a forked child of memory shared COW with the parent. */
static int t_vmcopy_after_fork(void)
{
	char *p = src_with(5);
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		char *cp = vmcopy(p, LEN);

		if (cp == MAP_FAILED)
			_exit(2);
		fill(cp, LEN, 6);
		_exit(check(p, LEN, 5) ? 3 : 0);
	}
	fill(p, LEN, 7);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "child status %d", WEXITSTATUS(st));
	CHECK(!check(p, LEN, 7), "parent wrong");
	return 0;
}

static int t_mprotect(void)
{
	char *p = src_with(8), *cp = vmcopy(p, LEN);

	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(mprotect(cp, LEN, PROT_READ) == 0, "mprotect copy");
	CHECK(!check(cp, LEN, 8), "copy differs");
	fill(p, LEN, 9);
	CHECK(!check(cp, LEN, 8), "read-only copy sees writes");
	CHECK(mprotect(cp, LEN, PROT_READ | PROT_WRITE) == 0, "mprotect copy rw");
	fill(cp, LEN, 10);
	CHECK(mprotect(p, LEN, PROT_NONE) == 0 && mprotect(p, LEN, PROT_READ | PROT_WRITE) == 0,
	      "mprotect source");
	CHECK(!check(p, LEN, 9) && !check(cp, LEN, 10), "contents wrong");
	return 0;
}

static int t_mremap(void)
{
	char *p = src_with(11), *cp = vmcopy(p, LEN), *m, *pm, *t;

	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	m = mremap(cp, LEN, 2 * LEN, MREMAP_MAYMOVE);
	CHECK(m != MAP_FAILED, "mremap copy: %s", strerror(errno));
	CHECK(!check(m, LEN, 11) && all_zero(m + LEN, LEN), "moved copy differs");
	fill(m, LEN, 12);
	CHECK(!check(p, LEN, 11), "source sees writes");
	t = map_anon(LEN, MAP_PRIVATE);
	pm = mremap(p, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, t);
	CHECK(pm == t, "mremap source: %s", strerror(errno));
	CHECK(!check(pm, LEN, 11), "moved source differs");
	fill(pm, LEN, 13);
	CHECK(!check(m, LEN, 12), "copy changed");
	return 0;
}

static int t_munmap(void)
{
	char *p = src_with(14), *cp = vmcopy(p, LEN);

	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(munmap(p, LEN) == 0, "munmap source");
	CHECK(!check(cp, LEN, 14), "copy lost contents");
	fill(cp, LEN, 15);
	CHECK(!check(cp, LEN, 15), "copy");
	/* and partial munmap of the copy */
	p = src_with(16);
	cp = vmcopy(p, LEN);
	CHECK(munmap(cp + PG, PG) == 0, "munmap part of the copy");
	CHECK(!check(p, LEN, 16), "source changed");
	CHECK(*(uint64_t *)(cp + 2 * PG) == pat(16, 2 * PG), "rest of the copy");
	return 0;
}

static int t_dontneed(void)
{
	char *p = src_with(17), *cp = vmcopy(p, LEN);

	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(madvise(cp, LEN, MADV_DONTNEED) == 0, "madvise copy");
	CHECK(all_zero(cp, LEN), "copy not zero after MADV_DONTNEED");
	CHECK(!check(p, LEN, 17), "source changed");
	cp = vmcopy(p, LEN);
	CHECK(madvise(p, LEN, MADV_DONTNEED) == 0, "madvise source");
	CHECK(all_zero(p, LEN), "source not zero");
	CHECK(!check(cp, LEN, 17), "copy changed");
	return 0;
}

/* A thread writes the source during the call: every page old or new. */
#define W_LEN (256 * PG)
static char *w_src;
static atomic_int w_stop;

static void *writer(void *arg)
{
	uint64_t gen = 1;

	while (!atomic_load(&w_stop)) {
		gen++;
		for (size_t o = 0; o < W_LEN; o += PG)
			__atomic_store_n((uint64_t *)(w_src + o), gen << 32 | o / PG,
					 __ATOMIC_RELAXED);
	}
	return (void *)gen;
}

static int t_concurrent_writer(void)
{
	pthread_t t;
	void *ret;
	int bad = 0;

	w_src = map_anon(W_LEN, MAP_PRIVATE);
	for (size_t o = 0; o < W_LEN; o += PG)
		*(uint64_t *)(w_src + o) = 1ULL << 32 | o / PG;
	pthread_create(&t, NULL, writer, NULL);
	for (int round = 0; round < 50; round++) {
		char *cp = vmcopy(w_src, W_LEN);
		uint64_t seen[2];

		if (cp == MAP_FAILED) {
			bad = 1;
			break;
		}
		for (size_t o = 0; o < W_LEN; o += PG) {
			uint64_t v = *(uint64_t *)(cp + o);

			if ((v & 0xffffffff) != o / PG || (v >> 32) == 0) {
				diag("page %zu of the copy: %" PRIx64, o / PG, v);
				bad = 1;
			}
		}
		/* the copy is frozen: reading it twice gives the same */
		seen[0] = *(uint64_t *)cp;
		usleep(1000);
		seen[1] = *(uint64_t *)cp;
		if (seen[0] != seen[1]) {
			diag("copy changed after the call");
			bad = 1;
		}
		munmap(cp, W_LEN);
	}
	atomic_store(&w_stop, 1);
	pthread_join(t, &ret);
	diag("writer generations: %lu", (unsigned long)(uintptr_t)ret);
	CHECK(!bad, "torn or wrong copy");
	return 0;
}

/* Many threads calling vmcopy() at once. */
static char *mt_src;
static void *mt_copier(void *arg)
{
	long bad = 0;

	for (int i = 0; i < 30; i++) {
		char *cp = vmcopy(mt_src, LEN);

		if (cp == MAP_FAILED)
			return (void *)1L;
		bad |= check(cp, LEN, 20) != 0;
		fill(cp, LEN, 21 + (uintptr_t)arg);
		bad |= check(cp, LEN, 21 + (uintptr_t)arg) != 0;
		munmap(cp, LEN);
	}
	return (void *)bad;
}

static int t_threads(void)
{
	pthread_t t[8];
	long bad = 0;

	mt_src = src_with(20);
	for (uintptr_t i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, mt_copier, (void *)i);
	for (int i = 0; i < 8; i++) {
		void *r;

		pthread_join(t[i], &r);
		bad |= (long)r;
	}
	CHECK(!bad, "a thread saw a wrong copy or an error");
	CHECK(!check(mt_src, LEN, 20), "source changed");
	return 0;
}

/* Copy of a copy, and vmcopy of the copy's COWed pages. */
static int t_chain(void)
{
	char *p = src_with(30), *a, *b;

	a = vmcopy(p, LEN);
	fill(a, LEN / 2, 31);
	b = vmcopy(a, LEN);
	CHECK(b != MAP_FAILED, "vmcopy of a copy: %s", strerror(errno));
	CHECK(!check(b, LEN / 2, 31), "first half");
	for (size_t o = LEN / 2; o < LEN; o += PAT_STRIDE)
		CHECK(*(uint64_t *)(b + o) == pat(30, o), "second half");
	fill(b, LEN, 32);
	CHECK(!check(p, LEN, 30) && !check(a, LEN / 2, 31), "others changed");
	return 0;
}

/* A swap device: zram0 (test kernel), set up once per boot. */
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

/*
 * Swap for the swap cases, and the case pinned to the CPU it runs on:
 * MADV_PAGEOUT drains only this CPU's LRU batches, so a page faulted in on
 * another CPU could still sit in that CPU's batch, off the LRU, and not be
 * paged out (seen on the slower KASAN kernel).
 */
static const char *setup_swap(void)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (have_swap())
		return NULL;
	if (access("/sys/block/zram0/disksize", W_OK))
		return "no swap device and no zram0 (CONFIG_ZRAM)";
	if (write_str("/sys/block/zram0/disksize", "512M"))
		return "cannot size zram0";
	if (system("mkswap /dev/zram0 >/dev/null 2>&1") ||
	    syscall(__NR_swapon, "/dev/zram0", 0))
		return "mkswap/swapon of /dev/zram0 failed";
	return NULL;
}

static long swap_used_kb(void)
{
	return proc_kb("/proc/meminfo", "SwapTotal") - proc_kb("/proc/meminfo", "SwapFree");
}

static int pageout(char *p, size_t len)
{
	for (int i = 0; i < 20 && smaps_field(p, "Swap") < (long)(len / KB); i++) {
		if (i)
			usleep(10000);
		madvise(p, len, MADV_PAGEOUT);
	}
	return smaps_field(p, "Swap") >= (long)(len / KB);
}

/* Swapped-out pages: both sides read right after swap-in. */
static int t_swap(void)
{
	const char *why = setup_swap();
	size_t len = 256 * PG;
	char *p, *cp;

	if (why)
		return skip("%s", why);
	p = map_anon(len, MAP_PRIVATE);
	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 40);
	CHECK(pageout(p, len), "MADV_PAGEOUT: Swap %ld kB", smaps_field(p, "Swap"));
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(smaps_field(cp, "Swap") == (long)(len / KB), "copy's Swap %ld kB",
	      smaps_field(cp, "Swap"));
	CHECK(!check(cp, len, 40), "copy differs after swap-in");
	CHECK(!check(p, len, 40), "source differs after swap-in");
	fill(cp, len, 41);
	CHECK(!check(p, len, 40), "source sees writes");
	return 0;
}

/* Swap-in on the source first, write it, then read the copy. */
static int t_swap_source_first(void)
{
	const char *why = setup_swap();
	size_t len = 128 * PG;
	char *p, *cp;

	if (why)
		return skip("%s", why);
	p = map_anon(len, MAP_PRIVATE);
	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 42);
	CHECK(pageout(p, len), "MADV_PAGEOUT");
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	fill(p, len, 43);
	CHECK(!check(cp, len, 42), "copy sees the source's writes after swap-in");
	/* and the copy swapped out again, then read */
	CHECK(pageout(cp, len), "MADV_PAGEOUT of the copy");
	CHECK(!check(cp, len, 42), "copy differs after second swap-in");
	return 0;
}

/* Swap slots are shared, not leaked: usage returns after munmap. */
static int t_swap_accounting(void)
{
	const char *why = setup_swap();
	size_t len = 256 * PG;
	long used0, used1, used2;
	char *p, *cp;

	if (why)
		return skip("%s", why);
	used0 = swap_used_kb();
	p = map_anon(len, MAP_PRIVATE);
	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 44);
	CHECK(pageout(p, len), "MADV_PAGEOUT");
	used1 = swap_used_kb();
	for (int i = 0; i < 20; i++) {
		cp = vmcopy(p, len);
		CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
		CHECK(proc_kb("/proc/self/status", "VmSwap") >= (long)(2 * len / KB),
		      "VmSwap %ld kB", proc_kb("/proc/self/status", "VmSwap"));
		CHECK(munmap(cp, len) == 0, "munmap");
	}
	CHECK(swap_used_kb() <= used1 + 64, "swap used grew: %ld -> %ld kB", used1, swap_used_kb());
	CHECK(munmap(p, len) == 0, "munmap");
	used2 = swap_used_kb();
	diag("swap used: %ld, after pageout %ld, at the end %ld kB", used0, used1, used2);
	CHECK(used2 <= used0 + 64, "swap slots leaked: %ld kB", used2 - used0);
	return 0;
}

/* The physical frame of a present page (pagemap, root). */
static uint64_t pfn_of(void *addr)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e = 0;

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (uintptr_t)addr / PG * 8) != 8)
		e = 0;
	close(fd);
	return (e >> 63) ? e & ((1ULL << 55) - 1) : 0;
}

/*
 * Pages pinned with FOLL_LONGTERM (io_uring fixed buffers): the copy gets
 * its own pages at once (as fork does); unpinned pages are shared.
 */
static int pinned_case(char *p, size_t len, size_t pin_off, size_t pin_len, size_t unit)
{
	struct iovec iov = { .iov_base = p + pin_off, .iov_len = pin_len };
	struct { uint32_t v[30]; } params;
	char *cp;
	int fd;

	memset(&params, 0, sizeof(params));
	fd = syscall(__NR_io_uring_setup, 4, &params);
	if (fd < 0)
		return skip("io_uring_setup: %s", strerror(errno));
	if (syscall(__NR_io_uring_register, fd, 0 /* IORING_REGISTER_BUFFERS */, &iov, 1))
		return skip("IORING_REGISTER_BUFFERS: %s", strerror(errno));
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(!check(cp, len, 50), "copy differs");
	for (size_t o = 0; o < len; o += PG) {
		/* pinning is tracked per folio: a pinned THP is copied whole */
		int pinned = o / unit >= pin_off / unit && o / unit <= (pin_off + pin_len - 1) / unit;
		uint64_t a = pfn_of(p + o), b = pfn_of(cp + o);

		if (!a)
			return skip("no PFNs in /proc/self/pagemap");
		if (pinned)
			CHECK(b && a != b, "pinned page %zu shared with the copy", o / PG);
		else
			CHECK(!b || a == b, "unpinned page %zu copied", o / PG);
	}
	fill(p, len, 51);
	CHECK(!check(cp, len, 50), "copy sees the source's writes");
	fill(cp, len, 52);
	CHECK(!check(p, len, 51), "source sees the copy's writes");
	close(fd);
	return 0;
}

static int t_pinned(void)
{
	size_t len = 64 * PG;
	char *p = map_anon(len, MAP_PRIVATE);

	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 50);
	return pinned_case(p, len, 8 * PG, 4 * PG, PG);
}

static int t_pinned_thp(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len);

	fill(p, len, 50);
	if (smaps_field(p, "AnonHugePages") <= 0)
		return skip("no THP");
	return pinned_case(p, len, 2 * MB + 16 * PG, 4 * PG, 2 * MB);
}

/* memcg: shared pages are charged once; COW copies are charged. */
static long memcg_current(const char *cg)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/memory.current", cg);
	return read_long(path);
}

static int t_memcg(void)
{
	const char *cg = "/sys/fs/cgroup/vmcopy-test";
	size_t len = 32 * MB;
	long c0, c1, c2;
	char *p, *cp, buf[32];

	if (access("/sys/fs/cgroup/cgroup.controllers", R_OK))
		return skip("no cgroup2 at /sys/fs/cgroup");
	write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	mkdir(cg, 0755);
	snprintf(buf, sizeof(buf), "%d", getpid());
	{
		char path[256];

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		if (write_str(path, buf))
			return skip("cannot join a memory cgroup");
	}
	if (memcg_current(cg) < 0)
		return skip("no memory controller");
	p = map_anon(len, MAP_PRIVATE);
	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 60);
	c0 = memcg_current(cg);
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	c1 = memcg_current(cg);
	memset(cp, 1, len);
	c2 = memcg_current(cg);
	diag("memory.current: %ld, after vmcopy %+ld, after writing the copy %+ld kB",
	     c0 / 1024, (c1 - c0) / 1024, (c2 - c0) / 1024);
	CHECK(c1 - c0 < (long)len / 8, "vmcopy charged %ld kB (only page tables expected)",
	      (c1 - c0) / 1024);
	CHECK(c2 - c0 >= (long)len * 9 / 10, "COW copies not charged: %+ld kB", (c2 - c0) / 1024);
	return 0;
}

static const struct vmc_case cases[] = {
	{ "fork after vmcopy: three-way copy-on-write", t_fork },
	{ "vmcopy in a child of memory shared with the parent", t_vmcopy_after_fork },
	{ "mprotect of either side", t_mprotect },
	{ "mremap of either side", t_mremap },
	{ "munmap of either side (whole and partial)", t_munmap },
	{ "MADV_DONTNEED on either side", t_dontneed },
	{ "a thread writing the source during the call: no torn page", t_concurrent_writer },
	{ "vmcopy from eight threads at once", t_threads },
	{ "copy of a copy", t_chain },
	{ "pinned pages (io_uring fixed buffers) copied at once, others shared", t_pinned },
	{ "pinned THP: copied at once, other THPs shared", t_pinned_thp },
	{ "memcg: shared pages charged once, COW copies charged", t_memcg },
	{ "swapped-out pages: copied as swap entries, both sides read right", t_swap },
	{ "swapped-out pages: swap-in and write on the source first", t_swap_source_first },
	{ "swap entries: VmSwap accounted, no swap slot leaked", t_swap_accounting },
};

int main(void)
{
	return vmc_run(cases, sizeof(cases) / sizeof(cases[0]));
}
