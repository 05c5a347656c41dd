// SPDX-License-Identifier: GPL-2.0
/* Morsels: create, map, share, unmap, discard, at both levels. */
#include "mor.h"

static int pmd_map_rw(void)
{
	struct morsel_info in;
	size_t len = 8 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	char *p;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	CHECK(!morsel_info(fd, &in), "info: %s", strerror(errno));
	CHECK(in.size == len && in.level == MORSEL_LEVEL_PMD &&
	      in.unit == 2 * MB && in.resident == 0 && in.mappers == 0 &&
	      in.table_pages == 4, "info %llu %u %llu %llu %llu %llu",
	      (unsigned long long)in.size, in.level,
	      (unsigned long long)in.unit, (unsigned long long)in.resident,
	      (unsigned long long)in.mappers,
	      (unsigned long long)in.table_pages);
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(((uintptr_t)p & (2 * MB - 1)) == 0, "address %p not aligned", p);
	fill_pages(p, len, 1);
	CHECK(!check_pages(p, len, 1), "readback");
	morsel_info(fd, &in);
	CHECK(in.resident == len / PG && in.mappers == 1,
	      "resident %llu mappers %llu", (unsigned long long)in.resident,
	      (unsigned long long)in.mappers);
	CHECK(!munmap(p, len), "munmap: %s", strerror(errno));
	morsel_info(fd, &in);
	CHECK(in.mappers == 0 && in.resident == len / PG, "after munmap");
	/* the data lives in the morsel, not in the mapping */
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap again: %s", strerror(errno));
	CHECK(!check_pages(p, len, 1), "data after remap");
	return 0;
}

static int pud_map_sparse(void)
{
	struct morsel_info in;
	size_t len = 1 * GB, o;
	int fd = morsel_new(len, MORSEL_LEVEL_PUD, 0);
	char *p;

	if (fd < 0 && errno == EOPNOTSUPP)
		return skip("PUD level not supported by this kernel");
	CHECK(fd >= 0, "create: %s", strerror(errno));
	morsel_info(fd, &in);
	CHECK(in.unit == GB && in.table_pages == 1, "unit %llu tables %llu",
	      (unsigned long long)in.unit, (unsigned long long)in.table_pages);
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(((uintptr_t)p & (GB - 1)) == 0, "address %p not aligned", p);
	for (o = 0; o < len; o += 2 * MB)
		*(volatile uint64_t *)(p + o + 4 * PG) = pw(2, o / PG);
	for (o = 0; o < len; o += 2 * MB)
		CHECK(*(volatile uint64_t *)(p + o + 4 * PG) == pw(2, o / PG),
		      "readback at %zu", o);
	CHECK(*(volatile uint64_t *)(p + 5 * PG) == 0, "untouched not zero");
	morsel_info(fd, &in);
	CHECK(in.resident == 512 + 1, "resident %llu",
	      (unsigned long long)in.resident);
	CHECK(in.table_pages == 1 + 512, "tables %llu",
	      (unsigned long long)in.table_pages);
	CHECK(smaps_rss(p) == (long)(513 * 4), "smaps Rss %ld kB", smaps_rss(p));
	return 0;
}

static int pud_share(void)
{
	size_t len = GB;
	int fd = morsel_new(len, MORSEL_LEVEL_PUD, 0);
	char *p;
	pid_t pid;

	if (fd < 0 && errno == EOPNOTSUPP)
		return skip("PUD level not supported by this kernel");
	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p + 300 * MB, 4 * MB, 3);
	pid = fork();
	if (!pid) {
		char *q = mmor(fd, len, 0);
		long f0;

		if (q == MAP_FAILED)
			_exit(3);
		f0 = minflt();
		if (check_pages(q + 300 * MB, 4 * MB, 3))
			_exit(4);
		if (minflt() != f0)
			_exit(5);
		fill_pages(q + 700 * MB, 2 * MB, 4);
		_exit(0);
	}
	CHECK(waitok(pid), "child");
	CHECK(!check_pages(p + 700 * MB, 2 * MB, 4), "child's write");
	return 0;
}

static int pud_populate(void)
{
	struct morsel_info in;
	int fd = morsel_new(GB, MORSEL_LEVEL_PUD, MORSEL_POPULATE);
	long f0;
	char *p;

	if (fd < 0 && errno == EOPNOTSUPP)
		return skip("PUD level not supported by this kernel");
	CHECK(fd >= 0, "create: %s", strerror(errno));
	morsel_info(fd, &in);
	CHECK(in.resident == GB / PG && in.table_pages == 513,
	      "resident %llu tables %llu", (unsigned long long)in.resident,
	      (unsigned long long)in.table_pages);
	p = mmor(fd, GB, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	f0 = minflt();
	for (size_t o = 0; o < GB; o += 2 * MB + PG)
		p[o] = 1;
	CHECK(minflt() == f0, "%ld faults on a populated PUD morsel",
	      minflt() - f0);
	return 0;
}

static int populate_no_faults(void)
{
	struct morsel_info in;
	size_t len = 8 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, MORSEL_POPULATE);
	long f0, f1;
	char *p;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	morsel_info(fd, &in);
	CHECK(in.resident == len / PG, "resident %llu",
	      (unsigned long long)in.resident);
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	f0 = minflt();
	fill_pages(p, len, 5);
	CHECK(!check_pages(p, len, 5), "readback");
	f1 = minflt();
	CHECK(f1 == f0, "%ld faults touching a populated morsel", f1 - f0);
	return 0;
}

static int sparse_resident(void)
{
	struct morsel_info in;
	size_t len = 64 * MB;
	static const size_t pages[] = { 0, 1, 511, 512, 4000, 8191, 16383 };
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	unsigned int i;
	char *p;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(smaps_rss(p) == 0, "smaps Rss %ld before touching", smaps_rss(p));
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		p[pages[i] * PG + 7] = 1;
		morsel_info(fd, &in);
		CHECK(in.resident == i + 1, "resident %llu after %u pages",
		      (unsigned long long)in.resident, i + 1);
	}
	(void)*(volatile char *)(p + 100 * PG);	/* a read allocates too */
	morsel_info(fd, &in);
	CHECK(in.resident == i + 1, "resident %llu after a read",
	      (unsigned long long)in.resident);
	CHECK(smaps_rss(p) == (long)(i + 1) * 4, "smaps Rss %ld kB",
	      smaps_rss(p));
	return 0;
}

/* Process 2 reads what process 1 wrote, without a fault; and back. */
static int share_no_fault(void)
{
	size_t len = 16 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	int tochild[2], toparent[2];
	struct morsel_info in;
	char c, *p;
	pid_t pid;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	CHECK(!pipe(tochild) && !pipe(toparent), "pipe");
	pid = fork();
	if (!pid) {
		char *q = mmor(fd, len, 0);
		long f0, f1;

		if (q == MAP_FAILED || read(tochild[0], &c, 1) != 1)
			_exit(3);
		f0 = minflt();
		if (check_pages(q, len / 2, 6))
			_exit(4);
		f1 = minflt();
		if (f1 != f0) {
			printf("# child: %ld faults reading shared pages\n",
			       f1 - f0);
			_exit(5);
		}
		fill_pages(q + len / 2, len / 2, 7);
		if (write(toparent[1], "x", 1) != 1)
			_exit(6);
		_exit(0);
	}
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len / 2, 6);
	CHECK(write(tochild[1], "x", 1) == 1, "pipe write");
	CHECK(read(toparent[0], &c, 1) == 1, "child did not report");
	{
		long f0 = minflt();

		CHECK(!check_pages(p + len / 2, len / 2, 7), "child's pages");
		CHECK(minflt() == f0, "parent faulted on the child's pages");
	}
	CHECK(waitok(pid), "child");
	morsel_info(fd, &in);
	CHECK(in.resident == len / PG && in.mappers == 1,
	      "resident %llu mappers %llu", (unsigned long long)in.resident,
	      (unsigned long long)in.mappers);
	return 0;
}

/* fork: the child inherits the fd, not the mapping */
static int fork_does_not_copy(void)
{
	size_t len = 4 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	char *p;
	pid_t pid;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len, 8);
	CHECK_ERR(madvise(p, len, MADV_DOFORK), EINVAL);
	pid = fork();
	if (!pid) {
		char *q;

		if (is_mapped(p))
			_exit(3);
		q = mmor(fd, len, 0);
		if (q == MAP_FAILED || check_pages(q, len, 8))
			_exit(4);
		_exit(0);
	}
	CHECK(waitok(pid), "child");
	CHECK(!check_pages(p, len, 8), "parent's data");
	return 0;
}

static int unmap_one_other_continues(void)
{
	size_t len = 8 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	int go[2], done[2];
	struct morsel_info in;
	char c, *p;
	pid_t pid;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	CHECK(!pipe(go) && !pipe(done), "pipe");
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len, 9);
	pid = fork();
	if (!pid) {
		char *q = mmor(fd, len, 0);

		if (q == MAP_FAILED || check_pages(q, len, 9))
			_exit(3);
		if (write(done[1], "x", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(4);
		/* the parent has unmapped: still all here */
		if (check_pages(q, len, 9))
			_exit(5);
		fill_pages(q, len, 10);
		_exit(0);
	}
	CHECK(read(done[0], &c, 1) == 1, "child");
	CHECK(!munmap(p, len), "munmap: %s", strerror(errno));
	CHECK(write(go[1], "x", 1) == 1, "pipe");
	CHECK(waitok(pid), "child");
	morsel_info(fd, &in);
	CHECK(in.mappers == 0 && in.resident == len / PG,
	      "mappers %llu resident %llu", (unsigned long long)in.mappers,
	      (unsigned long long)in.resident);
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED && !check_pages(p, len, 10), "child's data");
	return 0;
}

static int munmap_by_unit(void)
{
	size_t len = 8 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	struct morsel_info in;
	char *p;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len, 11);
	CHECK_ERR(munmap(p + 2 * MB + PG, PG), EINVAL);
	CHECK_ERR(munmap(p + MB, 2 * MB), EINVAL);
	CHECK(!munmap(p + 2 * MB, 2 * MB), "unit munmap: %s", strerror(errno));
	CHECK(!is_mapped(p + 2 * MB) && is_mapped(p) && is_mapped(p + 4 * MB),
	      "mapped state after unit munmap");
	CHECK(!check_pages(p, 2 * MB, 11), "first unit");
	for (size_t o = 4 * MB; o < len; o += PG)
		CHECK(*(uint64_t *)(p + o) == pw(11, o / PG), "page %zu", o / PG);
	morsel_info(fd, &in);
	CHECK(in.mappers == 2, "mappers %llu after split",
	      (unsigned long long)in.mappers);
	/* map the hole again at its offset */
	CHECK(mmap(p + 2 * MB, 2 * MB, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_FIXED, fd, 2 * MB) == p + 2 * MB,
	      "remap hole: %s", strerror(errno));
	for (size_t o = 0; o < len; o += PG)
		CHECK(*(uint64_t *)(p + o) == pw(11, o / PG), "page %zu", o / PG);
	/* a unit mapped twice in one process */
	{
		char *q = mmap(NULL, 2 * MB, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 6 * MB);

		CHECK(q != MAP_FAILED, "alias: %s", strerror(errno));
		CHECK(*(uint64_t *)(q + PG) == pw(11, 3 * 512 + 1), "alias");
		q[8] = 42;
		CHECK(p[6 * MB + 8] == 42, "write through alias");
	}
	return 0;
}

static int dontneed_frees_for_all(void)
{
	size_t len = 8 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, MORSEL_POPULATE);
	struct morsel_info in;
	char *p, *q;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	q = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED && q != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len, 12);
	CHECK(!madvise(q + MB, MB + 4 * PG, MADV_DONTNEED), "madvise: %s",
	      strerror(errno));
	morsel_info(fd, &in);
	CHECK(in.resident == len / PG - 260, "resident %llu",
	      (unsigned long long)in.resident);
	for (size_t o = 0; o < len; o += PG) {
		uint64_t want = (o >= MB && o < 2 * MB + 4 * PG) ? 0 :
				pw(12, o / PG);

		CHECK(*(uint64_t *)(p + o) == want, "page %zu: %#llx", o / PG,
		      (unsigned long long)*(uint64_t *)(p + o));
	}
	morsel_info(fd, &in);
	CHECK(in.resident == len / PG, "resident %llu after reads",
	      (unsigned long long)in.resident);
	return 0;
}

/* Core mm walkers on a morsel mapping: smaps, pagemap, LRU advice */
static int walkers(void)
{
	size_t len = 4 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0), pm;
	uint64_t ent;
	char *p;
	int r;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len / 2, 13);
	pm = open("/proc/self/pagemap", O_RDONLY);
	CHECK(pm >= 0, "pagemap");
	CHECK(pread(pm, &ent, 8, ((uintptr_t)p / PG) * 8) == 8, "pagemap read");
	CHECK(ent >> 63, "pagemap: touched page not present (%#llx)",
	      (unsigned long long)ent);
	CHECK(pread(pm, &ent, 8, ((uintptr_t)(p + len - PG) / PG) * 8) == 8,
	      "pagemap read");
	CHECK(!(ent >> 63), "pagemap: untouched page present");
	close(pm);
	r = madvise(p, len, MADV_COLD);
	CHECK(!r || errno == EINVAL, "MADV_COLD: %s", strerror(errno));
	r = madvise(p, len, MADV_PAGEOUT);
	CHECK(!r || errno == EINVAL, "MADV_PAGEOUT: %s", strerror(errno));
	CHECK_ERR(madvise(p, len, MADV_FREE), EINVAL);
	r = mlock(p, len);
	CHECK(!r || errno == EINVAL || errno == EPERM, "mlock: %s",
	      strerror(errno));
	{
		int cr = open("/proc/self/clear_refs", O_WRONLY);

		if (cr >= 0) {
			CHECK(write(cr, "1", 1) == 1, "clear_refs");
			close(cr);
		}
	}
	CHECK(!check_pages(p, len / 2, 13), "data after walkers");
	CHECK(smaps_rss(p) == (long)(len / 2 / KB), "smaps Rss %ld",
	      smaps_rss(p));
	fill_pages(p, len, 14);
	CHECK(!check_pages(p, len, 14), "write after walkers");
	return 0;
}

/* The mapping outlives the fd; the morsel outlives the mapping's fd */
static int close_fd_keeps_mapping(void)
{
	size_t len = 4 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	char *p;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	close(fd);
	fill_pages(p, len, 15);
	CHECK(!check_pages(p, len, 15), "readback after close");
	CHECK(!munmap(p, len), "munmap");
	return 0;
}

int main(void)
{
	static const struct mor_case cases[] = {
		{ "PMD level: create, map, write, read, unmap, map again", pmd_map_rw },
		{ "PUD level: 1 GiB unit, sparse writes, tables on demand", pud_map_sparse },
		{ "PUD level: shared between two processes, no fault", pud_share },
		{ "MORSEL_POPULATE: pages present, no fault on touch", populate_no_faults },
		{ "PUD level, MORSEL_POPULATE: 1 GiB present, no fault", pud_populate },
		{ "sparse population: resident grows per touched page, smaps Rss", sparse_resident },
		{ "two processes share pages without faulting", share_no_fault },
		{ "fork: child gets the fd, not the mapping", fork_does_not_copy },
		{ "munmap in one process, the other continues", unmap_one_other_continues },
		{ "munmap by whole units, unaligned refused, remap, alias", munmap_by_unit },
		{ "MADV_DONTNEED frees pages for every mapper", dontneed_frees_for_all },
		{ "smaps, pagemap, MADV_COLD/PAGEOUT, mlock, clear_refs", walkers },
		{ "closing the fd keeps the mapping", close_fd_keeps_mapping },
	};

	return mor_run(cases, sizeof(cases) / sizeof(cases[0]));
}
