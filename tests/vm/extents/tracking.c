// SPDX-License-Identifier: GPL-2.0
/*
 * The extent set against the page-table walk (EXTENTS_CHECK) after each kind
 * of change of an address space. Where Documentation/anker/extents.rst says
 * the set is a subset (mappings made without a fault), the test checks that
 * exactly those bytes are missing and that EXTENTS_SYNC completes the set.
 */
#include <pthread.h>
#include "ext.h"

/* Right after enabling, the set equals the walk of the whole mm. */
static int t_enable(void)
{
	struct extents_check c;

	CHECK(anker_extents_status(0) == 0, "tracked before enabling");
	ENABLE();
	CHECK(anker_extents_status(0) == 1, "status after enable");
	CHECK(anker_extents_enable(0) == 0, "second enable: %s", strerror(errno));
	CHECK(chk(NULL, 0, &c) == EXTENTS_EQUAL, "whole mm");
	CHECK(c.tracked_bytes > 0 && c.tracked_extents > 0, "empty set");
	return 0;
}

/* 4 KiB pages touched one by one: one extent per contiguous run. */
static int t_touch(void)
{
	size_t len = 2 * MB;
	struct extents_check c;
	char *p;

	ENABLE();
	p = map_anon(len);
	CHECK(p != MAP_FAILED, "mmap");
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == 0, "before touching");
	touch(p, len);
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL, "after touching");
	CHECK(c.tracked_bytes == len, "tracked %llu of %zu", (unsigned long long)c.tracked_bytes, len);
	CHECK(chk(NULL, 0, &c) == EXTENTS_EQUAL, "whole mm");
	return 0;
}

static int thp_available(void)
{
	char buf[64] = "";
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY);

	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return !strstr(buf, "[never]");
}

/* A THP fault: a 2 MiB extent ("2M"), neighbours merged when contiguous. */
static int t_thp(void)
{
	size_t len = 4 * MB;
	struct extents_check c;
	struct ext_line l[8];
	char *p;
	int n, i;

	if (!thp_available())
		return skip("THP disabled");
	ENABLE();
	p = map_thp(len);
	CHECK(p != MAP_FAILED, "mmap");
	touch(p, len);
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL, "after touching");
	CHECK(c.tracked_bytes == len, "tracked %llu", (unsigned long long)c.tracked_bytes);
	n = ext_lines(0, (uintptr_t)p, (uintptr_t)p + len, l, 8);
	CHECK(n >= 1 && n <= 2, "%d extent lines", n);
	for (i = 0; i < n; i++)
		if (!strstr(l[i].sizes, "2M"))
			return skip("no THP was allocated (%s)", l[i].sizes);
	for (i = 0; i < n; i++)
		CHECK(l[i].len >= 2 * MB && l[i].len % (2 * MB) == 0, "extent of %lu", l[i].len);
	return 0;
}

static int hugetlb_case(unsigned long size, const char *name)
{
	char path[128];
	struct extents_check c;
	struct ext_line l[4];
	long before, have;
	size_t len = size;
	int shift = size == GB ? 30 : 21, n, ret = 0;
	char *p;

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages",
		 size / KB);
	before = read_long(path);
	if (before < 0)
		return skip("no %s hugetlb pages in this kernel", name);
	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/free_hugepages",
		 size / KB);
	have = read_long(path);
	if (have < 1 && size != GB) {
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages",
			 size / KB);
		write_long(path, before + 1);
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/free_hugepages",
			 size / KB);
		have = read_long(path);
	}
	if (have < 1)
		return skip("no free %s huge page", name);
	ENABLE();
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (shift << MAP_HUGE_SHIFT), -1, 0);
	if (p == MAP_FAILED) {
		ret = skip("mmap of a %s page: %s", name, strerror(errno));
		goto out;
	}
	p[0] = 1;
	p[len - 1] = 1;
	if (chk(p, len, &c) != EXTENTS_EQUAL || c.tracked_bytes != len) {
		diag("tracked %llu", (unsigned long long)c.tracked_bytes);
		ret = 1;
	}
	n = ext_lines(0, (uintptr_t)p, (uintptr_t)p + len, l, 4);
	if (n != 1 || strcmp(l[0].sizes, name) || l[0].len != len) {
		diag("%d lines, first %s %lu", n, n ? l[0].sizes : "-", n ? l[0].len : 0);
		ret = 1;
	}
	munmap(p, len);
	if (chk(NULL, 0, &c) != EXTENTS_EQUAL)
		ret = 1;
out:
	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages",
		 size / KB);
	if (size != GB)
		write_long(path, before);
	return ret;
}

static int t_hugetlb_2m(void)
{
	return hugetlb_case(2 * MB, "2M");
}

static int t_hugetlb_1g(void)
{
	return hugetlb_case(GB, "1G");
}

/* munmap of the middle: both sides stay, nothing in the hole. */
static int t_munmap_middle(void)
{
	size_t len = 64 * PG;
	struct extents_check c;
	struct ext_line l[4];
	char *p;

	ENABLE();
	p = map_anon(len);
	touch(p, len);
	CHECK(munmap(p + 16 * PG, 16 * PG) == 0, "munmap");
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL, "after munmap");
	CHECK(c.tracked_bytes == 48 * PG, "tracked %llu", (unsigned long long)c.tracked_bytes);
	CHECK(ext_lines(0, (uintptr_t)p + 16 * PG, (uintptr_t)p + 32 * PG, l, 4) == 0,
	      "an extent survived in the hole");
	CHECK(chk(NULL, 0, &c) == EXTENTS_EQUAL, "whole mm");
	return 0;
}

/* No extent survives an unmap of everything. */
static int t_munmap_all(void)
{
	size_t len = 4 * MB;
	struct extents_check c;
	struct ext_line l[4];
	char *p;

	ENABLE();
	p = map_thp(len);
	touch(p, len);
	p[0] = 2;
	CHECK(munmap(p, len) == 0, "munmap");
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == 0,
	      "tracked %llu after munmap", (unsigned long long)c.tracked_bytes);
	CHECK(ext_lines(0, (uintptr_t)p, (uintptr_t)p + len, l, 4) == 0, "extent line left");
	return 0;
}

/*
 * mprotect of a part: its pages leave the set (documented: present pages
 * whose protection changed); EXTENTS_SYNC adds them with the new class.
 */
static int t_mprotect(void)
{
	size_t len = 64 * PG;
	struct extents_check c;
	struct ext_line l[4];
	char *p;
	int n;

	ENABLE();
	p = map_anon(len);
	touch(p, len);
	CHECK(mprotect(p + 16 * PG, 16 * PG, PROT_READ) == 0, "mprotect");
	CHECK(chk(p, len, &c) == EXTENTS_SUBSET, "after mprotect");
	CHECK(c.missing_bytes == 16 * PG && c.tracked_bytes == 48 * PG,
	      "missing %llu", (unsigned long long)c.missing_bytes);
	CHECK(sync_set() == 0, "sync: %s", strerror(errno));
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL, "after sync");
	n = ext_lines(0, (uintptr_t)p + 16 * PG, (uintptr_t)p + 32 * PG, l, 4);
	CHECK(n >= 1 && !strcmp(l[0].prot, "r--p"), "%d lines, prot %s", n, n ? l[0].prot : "-");
	/* Making it writable again and writing: a fault, still exact */
	CHECK(mprotect(p, len, PROT_READ | PROT_WRITE) == 0, "mprotect back");
	CHECK(chk(p, len, &c) == EXTENTS_SUBSET, "after mprotect back");
	CHECK(sync_set() == 0 && chk(NULL, 0, &c) == EXTENTS_EQUAL, "whole mm");
	return 0;
}

/*
 * fork(): write-protecting the parent's pages keeps its set; a write is a
 * COW break (new frames), still exact. The child inherits tracking; its
 * copied PTEs are the documented missing part until it writes them.
 */
static int t_cow_fork(void)
{
	size_t len = 32 * PG;
	struct extents_check c;
	uint64_t before, after;
	int pipefd[2], st;
	char *p, x;
	pid_t pid;

	ENABLE();
	p = map_anon(len);
	touch(p, len);
	before = pfn_of(p);
	CHECK(pipe(pipefd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		struct extents_check cc;
		int ok = anker_extents_status(0) == 1;

		ok &= chk(p, len, &cc) == EXTENTS_SUBSET && cc.tracked_bytes == 0;
		touch(p, len / 2);	/* COW copies in the child */
		/* plus what the faults' 64 KiB windows saw */
		ok &= chk(p, len, &cc) <= EXTENTS_SUBSET &&
		      cc.tracked_bytes >= len / 2 && !cc.wrong_bytes;
		ok &= read(pipefd[0], &x, 1) == 1;
		_exit(ok ? 0 : 1);
	}
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == len, "parent after fork");
	for (size_t o = 0; o < len; o += PG)
		p[o] = 7;	/* COW break: the child still maps the old frames */
	after = pfn_of(p);
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == len, "parent after COW");
	CHECK(!before || before != after, "the write did not copy (pfn %#llx)",
	      (unsigned long long)after);
	CHECK(write(pipefd[1], "x", 1) == 1, "pipe write");
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child's view was wrong");
	CHECK(chk(NULL, 0, &c) == EXTENTS_EQUAL, "parent, whole mm");
	return 0;
}

/* mremap (moving): nothing at the old place; moved PTEs are missing. */
static int t_mremap(void)
{
	size_t len = 32 * PG;
	struct extents_check c;
	char *p, *q, *dst;

	ENABLE();
	p = map_anon(len);
	dst = map_anon(len);
	touch(p, len);
	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	CHECK(q == dst, "mremap: %s", strerror(errno));
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == 0, "old place");
	CHECK(chk(q, len, &c) == EXTENTS_SUBSET && c.missing_bytes == len, "new place");
	CHECK(sync_set() == 0 && chk(q, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == len,
	      "after sync");
	CHECK(chk(NULL, 0, &c) == EXTENTS_EQUAL, "whole mm");
	return 0;
}

/* MADV_DONTNEED of a part: gone from the set; touching again: back. */
static int t_dontneed(void)
{
	size_t len = 64 * PG;
	struct extents_check c;
	char *p;

	ENABLE();
	p = map_anon(len);
	touch(p, len);
	CHECK(madvise(p + 8 * PG, 32 * PG, MADV_DONTNEED) == 0, "madvise");
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == 32 * PG,
	      "after DONTNEED: %llu", (unsigned long long)c.tracked_bytes);
	touch(p, len);
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == len, "touched again");
	return 0;
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
	if (write_str("/sys/block/zram0/disksize", "512M"))
		return "cannot size zram0";
	if (system("mkswap /dev/zram0 >/dev/null 2>&1") ||
	    syscall(__NR_swapon, "/dev/zram0", 0))
		return "mkswap/swapon of /dev/zram0 failed";
	return NULL;
}

/* Swap-out (zram, MADV_PAGEOUT) removes, swap-in faults add back. */
static int t_swap(void)
{
	const char *why = setup_swap();
	size_t len = 64 * PG;
	struct extents_check c;
	unsigned char vec[64];
	int resident = 0;
	char *p;

	if (why)
		return skip("%s", why);
	ENABLE();
	p = map_anon(len);
	touch(p, len);
	for (int i = 0; i < 5; i++)
		madvise(p, len, MADV_PAGEOUT);
	CHECK(mincore(p, len, vec) == 0, "mincore");
	for (int i = 0; i < 64; i++)
		resident += vec[i] & 1;
	/* Swapped out pages can stay in the swap cache, unmapped */
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL, "after pageout");
	if (c.walk_bytes == len)
		return skip("nothing was paged out");
	diag("%llu of %zu bytes still mapped, %d pages resident",
	     (unsigned long long)c.walk_bytes, len, resident);
	for (size_t o = 0; o < len; o += PG)
		CHECK(p[o] == (char)(1 + (o >> 12)), "data lost at %zu", o);
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == len, "after swap-in");
	return 0;
}

/*
 * Migration: the guest has one NUMA node, so move_pages() cannot move
 * anything; compaction migrates pages. Migrated pages come back without a
 * fault: they must not be in the set with the old frame (not WRONG) and are
 * the documented missing part; the rest stays exact.
 */
static int t_migrate(void)
{
	size_t len = 256 * PG;
	struct extents_check c;
	uint64_t *before;
	int moved = 0, r;
	char *p;

	if (getuid())
		return skip("needs root (pagemap frames, compact_memory)");
	ENABLE();
	p = map_anon(len);
	touch(p, len);
	before = calloc(len / PG, sizeof(*before));
	for (size_t i = 0; i < len / PG; i++)
		before[i] = pfn_of(p + i * PG);
	if (write_str("/proc/sys/vm/compact_memory", "1"))
		return skip("no /proc/sys/vm/compact_memory");
	for (size_t i = 0; i < len / PG; i++)
		moved += pfn_of(p + i * PG) != before[i];
	r = chk(p, len, &c);
	CHECK(r == EXTENTS_EQUAL || r == EXTENTS_SUBSET, "after compaction: %s", res_name(r));
	CHECK(c.missing_bytes <= moved * PG, "missing %llu, moved %d pages",
	      (unsigned long long)c.missing_bytes, moved);
	if (!moved)
		return skip("compaction moved none of the pages");
	diag("%d pages migrated", moved);
	CHECK(c.missing_bytes > 0, "migrated pages still tracked");
	CHECK(sync_set() == 0 && chk(p, len, &c) == EXTENTS_EQUAL, "after sync");
	return 0;
}

/* MADV_COLLAPSE: the new PMD is the documented missing part until a sync. */
static int t_collapse(void)
{
	size_t len = 2 * MB;
	struct extents_check c;
	struct ext_line l[2];
	char *p;

	if (!thp_available())
		return skip("THP disabled");
	ENABLE();
	p = map_thp(len);
	madvise(p, len, MADV_NOHUGEPAGE);
	touch(p, len);
	CHECK(chk(p, len, &c) == EXTENTS_EQUAL && c.tracked_bytes == len, "4k pages");
	madvise(p, len, MADV_HUGEPAGE);
	if (madvise(p, len, MADV_COLLAPSE))
		return skip("MADV_COLLAPSE: %s", strerror(errno));
	CHECK(chk(p, len, &c) == EXTENTS_SUBSET && c.missing_bytes == len &&
	      c.tracked_bytes == 0, "after collapse");
	CHECK(sync_set() == 0 && chk(p, len, &c) == EXTENTS_EQUAL, "after sync");
	CHECK(ext_lines(0, (uintptr_t)p, (uintptr_t)p + len, l, 2) == 1 &&
	      !strcmp(l[0].sizes, "2M"), "not one 2M extent");
	return 0;
}

/* Threads faulting, unmapping, discarding at once: never WRONG. */
#define NTHREADS 4
#define ROUNDS 200

static void *worker(void *arg)
{
	unsigned int seed = (uintptr_t)arg;

	for (int r = 0; r < ROUNDS; r++) {
		size_t len = (1 + rand_r(&seed) % 32) * PG;
		char *p = map_anon(len);

		if (p == MAP_FAILED)
			continue;
		touch(p, len);
		madvise(p, len / 2, MADV_DONTNEED);
		touch(p, len / 2);
		if (len > 2 * PG)
			munmap(p + PG, PG);
		if (r % 3)
			munmap(p, len);
	}
	return NULL;
}

static int t_threads(void)
{
	pthread_t t[NTHREADS];
	struct extents_check c;
	int r;

	ENABLE();
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	r = chk(NULL, 0, &c);
	CHECK(r == EXTENTS_EQUAL || r == EXTENTS_SUBSET, "after the threads: %s", res_name(r));
	if (r == EXTENTS_SUBSET)
		diag("%llu bytes missing (faults that raced an invalidation)",
		     (unsigned long long)c.missing_bytes);
	CHECK(sync_set() == 0 && chk(NULL, 0, &c) == EXTENTS_EQUAL, "after sync");
	return 0;
}

/* DISABLE: not tracked, the file says so, CHECK has nothing to compare. */
static int t_disable(void)
{
	struct extents_check c = { 0 };
	struct anker_extents_summary s;

	ENABLE();
	CHECK(anker_extents_summary(0, &s) == 0 && s.enabled == 1 && s.extents > 0,
	      "summary while enabled");
	CHECK(anker_extents_disable(0) == 0, "disable: %s", strerror(errno));
	CHECK(anker_extents_status(0) == 0, "status after disable");
	CHECK(anker_extents_summary(0, &s) == 0 && s.enabled == 0 && s.extents == 0,
	      "summary after disable");
	CHECK(anker_extents_check(0, &c) == -1 && errno == ENODATA, "check: %s", strerror(errno));
	CHECK(anker_extents_disable(0) == 0, "second disable");
	ENABLE();
	CHECK(chk(NULL, 0, &c) == EXTENTS_EQUAL, "enabled again");
	return 0;
}

/* Tracking is inherited by fork() children and kept across execve(). */
static int t_inherit_exec(void)
{
	char buf[64] = "";
	FILE *f;

	ENABLE();
	f = popen("head -n1 /proc/self/extents", "r");
	CHECK(f, "popen");
	CHECK(fgets(buf, sizeof(buf), f), "no output");
	pclose(f);
	CHECK(!strcmp(buf, "enabled 1\n"), "exec'd child: %s", buf);
	return 0;
}

/* The summary: counts and shares add up with the extent lines. */
static int t_summary(void)
{
	size_t cap = 8 * MB, len = 0;
	char *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	unsigned long long n = ~0ULL, res = ~0ULL, rss = 0, sum = 0, lines = 0;
	double top[4] = { -1, -1, -1, -1 };
	char *p, *line;
	ssize_t r;
	int fd;

	CHECK(buf != MAP_FAILED, "mmap");
	ENABLE();
	p = map_anon(64 * PG);
	for (int i = 0; i < 64; i += 2)
		p[i * PG] = 1;	/* 32 separate pages at least */
	/* One read of the file: one snapshot (the buffer is faulted in) */
	fd = open("/proc/self/extents", O_RDONLY);
	CHECK(fd >= 0, "open");
	while ((r = read(fd, buf + len, cap - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = 0;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long a, b, l;

		if (sscanf(line, "%lx-%lx %lu", &a, &b, &l) == 3) {
			CHECK(l == b - a, "length of %s", line);
			sum += l;
			lines++;
			continue;
		}
		sscanf(line, "extents %llu", &n);
		sscanf(line, "resident %llu", &res);
		sscanf(line, "rss %llu", &rss);
		sscanf(line, "top8 %lf", &top[0]);
		sscanf(line, "top32 %lf", &top[1]);
		sscanf(line, "top128 %lf", &top[2]);
		sscanf(line, "top512 %lf", &top[3]);
	}
	CHECK(lines == n, "%llu lines, summary says %llu", lines, n);
	CHECK(sum == res, "sum %llu, resident %llu", sum, res);
	CHECK(res <= rss + 64 * PG, "resident %llu > rss %llu", res, rss);
	CHECK(top[0] > 0 && top[0] <= top[1] && top[1] <= top[2] &&
	      top[2] <= top[3] && top[3] <= 100.0, "shares %.2f %.2f %.2f %.2f",
	      top[0], top[1], top[2], top[3]);
	if (n <= 512)
		CHECK(top[3] == 100.0, "top512 %.2f with %llu extents", top[3], n);
	return 0;
}

/* vm.anker_extents: 0 refuses ENABLE, 2 tracks every new process. */
static int t_sysctl(void)
{
	const char *path = "/proc/sys/vm/anker_extents";
	long old = read_long(path);
	int st, ok = 1;
	pid_t pid;

	CHECK(old >= 0, "no %s", path);
	CHECK(write_long(path, 3) == -1, "3 accepted");
	CHECK(write_long(path, 0) == 0, "write 0");
	if (anker_extents_enable(0) != -1 || errno != EOPNOTSUPP) {
		diag("enable with 0: %s", strerror(errno));
		ok = 0;
	}
	write_long(path, 2);
	pid = fork();
	if (pid == 0)
		_exit(anker_extents_status(0) == 1 ? 0 : 1);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		diag("child of an untracked process not tracked with 2");
		ok = 0;
	}
	write_long(path, 1);
	pid = fork();
	if (pid == 0)
		_exit(anker_extents_status(0) == 0 ? 0 : 1);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		diag("child of an untracked process tracked with 1");
		ok = 0;
	}
	write_long(path, old);
	return ok ? 0 : 1;
}

static const struct ext_case cases[] = {
	{ "enable: the set equals the walk", t_enable },
	{ "mmap+touch 4k pages: equal", t_touch },
	{ "THP: 2M extents, equal", t_thp },
	{ "hugetlb 2M: one 2M extent, equal", t_hugetlb_2m },
	{ "hugetlb 1G: one 1G extent, equal", t_hugetlb_1g },
	{ "munmap of the middle: equal, hole empty", t_munmap_middle },
	{ "munmap of all: no extent survives", t_munmap_all },
	{ "mprotect of a part: exactly that part missing, sync completes", t_mprotect },
	{ "COW after fork: parent equal, child's copied PTEs missing", t_cow_fork },
	{ "mremap: old place empty, moved PTEs missing, sync completes", t_mremap },
	{ "MADV_DONTNEED: equal", t_dontneed },
	{ "swap-out and swap-in (zram): equal", t_swap },
	{ "migration (compaction): never wrong, moved pages missing", t_migrate },
	{ "MADV_COLLAPSE: the PMD missing, sync completes", t_collapse },
	{ "threads faulting and unmapping: subset, sync completes", t_threads },
	{ "disable: untracked, ENODATA", t_disable },
	{ "inherited by fork and exec", t_inherit_exec },
	{ "summary agrees with the lines", t_summary },
	{ "sysctl vm.anker_extents 0/1/2", t_sysctl },
};

int main(void)
{
	return ext_run(cases, sizeof(cases) / sizeof(cases[0]));
}
