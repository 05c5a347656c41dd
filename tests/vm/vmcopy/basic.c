// SPDX-License-Identifier: GPL-2.0
/*
 * vmcopy() basics: the original patch's six cases (4 KiB and huge pages,
 * private anonymous, shared anonymous and shared file-backed memory) and
 * the semantics per mapping type with 4 KiB pages.
 */
#include "vmc.h"

#define LEN (256 * KB)

/*
 * The original's scenario: fill, vmcopy, check the copy, write the copy,
 * check what the original shows (unchanged if private, the write if shared).
 */
static int scenario(char *src, size_t len, int shared)
{
	char *cp;

	fill(src, len, 1);
	cp = vmcopy(src, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(cp != src, "copy at the source's address");
	CHECK(!check(cp, len, 1), "copy differs from the source");
	fill(cp, len, 2);
	CHECK(!check(cp, len, 2), "copy does not keep its writes");
	if (shared) {
		CHECK(!check(src, len, 2), "shared: source does not see the copy's writes");
		fill(src, len, 3);
		CHECK(!check(cp, len, 3), "shared: copy does not see the source's writes");
	} else {
		CHECK(!check(src, len, 1), "private: source sees the copy's writes");
		fill(src, len, 3);
		CHECK(!check(cp, len, 2), "private: copy sees the source's writes");
	}
	CHECK(munmap(cp, len) == 0, "munmap copy");
	CHECK(!check(src, len, shared ? 3 : 3), "source changed by munmap of the copy");
	return 0;
}

static int t_private_anon(void)
{
	char *p = map_anon(LEN, MAP_PRIVATE);

	return scenario(p, LEN, 0);
}

static int t_shared_anon(void)
{
	char *p = map_anon(LEN, MAP_SHARED);

	return scenario(p, LEN, 1);
}

static int t_shared_file(void)
{
	char path[] = "/tmp/vmcopy-XXXXXX";
	int fd = mkstemp(path);
	char *p;

	CHECK(fd >= 0 && ftruncate(fd, LEN) == 0, "tmp file");
	unlink(path);
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap file");
	if (scenario(p, LEN, 1))
		return 1;
	/* and the file itself holds what both mappings show */
	{
		uint64_t w;

		CHECK(pread(fd, &w, 8, PAT_STRIDE) == 8 && w == pat(3, PAT_STRIDE),
		      "file contents differ");
	}
	return 0;
}

static int t_memfd(void)
{
	int fd = memfd_create("vmcopy", 0);
	char *p;

	CHECK(fd >= 0 && ftruncate(fd, LEN) == 0, "memfd");
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap memfd");
	return scenario(p, LEN, 1);
}

static int t_private_file(void)
{
	char path[] = "/tmp/vmcopy-XXXXXX";
	int fd = mkstemp(path);
	char *p, *cp;
	uint64_t w;

	CHECK(fd >= 0 && ftruncate(fd, LEN) == 0, "tmp file");
	unlink(path);
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	fill(p, LEN, 5);
	munmap(p, LEN);
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mmap file private");
	/* half COWed, half still the file's pages */
	fill(p, LEN / 2, 6);
	cp = vmcopy(p, LEN);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(!check(cp, LEN / 2, 6), "copy of the COWed part differs");
	{
		/* the second half's pattern continues at offset LEN/2 */
		size_t bad = 0;

		for (size_t o = LEN / 2; o < LEN; o += PAT_STRIDE)
			if (*(uint64_t *)(cp + o) != pat(5, o))
				bad = o + 1;
		CHECK(!bad, "copy of the file part differs");
	}
	fill(cp, LEN, 7);
	for (size_t o = 0; o < LEN; o += PAT_STRIDE)
		CHECK(*(uint64_t *)(p + o) == (o < LEN / 2 ? pat(6, o) : pat(5, o)),
		      "source changed at %zu", o);
	CHECK(pread(fd, &w, 8, LEN - PAT_STRIDE) == 8 && w == pat(5, LEN - PAT_STRIDE),
	      "private copy wrote to the file");
	return 0;
}

/* Huge pages: THP for private anonymous memory, hugetlb for the shared. */
static int t_huge_private_anon(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len);

	CHECK(p != MAP_FAILED, "mmap");
	fill(p, len, 1);
	if (smaps_field(p, "AnonHugePages") <= 0)
		return skip("no THP (AnonHugePages 0)");
	return scenario(p, len, 0);
}

static int hugetlb_reserve(long n)
{
	long have = read_long("/proc/sys/vm/nr_hugepages");

	if (have < n)
		write_long("/proc/sys/vm/nr_hugepages", n);
	return read_long("/proc/sys/vm/nr_hugepages") >= n;
}

static int t_huge_shared_anon(void)
{
	size_t len = 4 * MB;
	char *p;

	if (!hugetlb_reserve(8))
		return skip("cannot reserve 2 MiB hugetlb pages");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	CHECK(p != MAP_FAILED, "mmap hugetlb: %s", strerror(errno));
	return scenario(p, len, 1);
}

static int t_huge_shared_file(void)
{
	size_t len = 4 * MB;
	char path[] = "/run/hugepages/vmcopy-XXXXXX";
	int fd;
	char *p;

	if (!hugetlb_reserve(8))
		return skip("cannot reserve 2 MiB hugetlb pages");
	fd = mkstemp(path);
	if (fd < 0)
		return skip("no hugetlbfs at /run/hugepages");
	unlink(path);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap hugetlbfs file: %s", strerror(errno));
	return scenario(p, len, 1);
}

/* Pages never touched before the call are copy-on-write too. */
static int t_untouched(void)
{
	char *p = map_anon(LEN, MAP_PRIVATE), *cp;

	p[0] = 1;	/* an anon_vma, but most pages untouched */
	cp = vmcopy(p, LEN);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(cp[0] == 1 && all_zero(cp + PG, LEN - PG), "copy not zero");
	memset(cp + PG, 0xaa, LEN - PG);
	CHECK(all_zero(p + PG, LEN - PG), "source sees writes to untouched copy pages");
	memset(p + PG, 0x55, LEN - PG);
	for (size_t o = PG; o < LEN; o++)
		CHECK((unsigned char)cp[o] == 0xaa, "copy sees source writes");
	/* a region never touched at all */
	p = map_anon(LEN, MAP_PRIVATE);
	cp = vmcopy(p, LEN);
	CHECK(cp != MAP_FAILED, "vmcopy untouched: %s", strerror(errno));
	memset(p, 1, LEN);
	CHECK(all_zero(cp, LEN), "copy of an untouched region sees writes");
	memset(cp, 2, LEN);
	CHECK(p[0] == 1 && p[LEN - 1] == 1, "source sees writes");
	return 0;
}

/* Zero-page mapped (read, never written) pages. */
static int t_zero_page(void)
{
	char *p = map_anon(LEN, MAP_PRIVATE), *cp;
	volatile char sink = 0;

	p[0] = 1;
	for (size_t o = PG; o < LEN; o += PG)
		sink += p[o];
	cp = vmcopy(p, LEN);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(all_zero(cp + PG, LEN - PG), "copy not zero");
	memset(cp, 3, LEN);
	CHECK(p[0] == 1 && all_zero(p + PG, LEN - PG), "source sees writes");
	return 0;
}

/* The length is rounded up to pages. */
static int t_len_rounded(void)
{
	char *p = map_anon(3 * PG, MAP_PRIVATE), *cp;

	memset(p, 9, 3 * PG);
	cp = vmcopy(p, PG + 1);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(cp[2 * PG - 1] == 9, "second page missing");
	CHECK(smaps_field(cp, "Size") == 8, "copy is %ld kB, want 8", smaps_field(cp, "Size"));
	return 0;
}

/* A range over several VMAs: one copy with the same layout. */
static int t_several_vmas(void)
{
	size_t len = 16 * PG;
	char *p = map_anon(len, MAP_PRIVATE), *cp;
	char perms[5];

	fill(p, len, 4);
	mprotect(p + 4 * PG, 4 * PG, PROT_READ);
	mprotect(p + 12 * PG, 4 * PG, PROT_READ | PROT_EXEC);
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(!check(cp, len, 4), "copy differs");
	CHECK(maps_perms(cp, perms) && !strcmp(perms, "rw-p"), "piece 1: %s", perms);
	CHECK(maps_perms(cp + 4 * PG, perms) && !strcmp(perms, "r--p"), "piece 2: %s", perms);
	CHECK(maps_perms(cp + 8 * PG, perms) && !strcmp(perms, "rw-p"), "piece 3: %s", perms);
	CHECK(maps_perms(cp + 12 * PG, perms) && !strcmp(perms, "r-xp"), "piece 4: %s", perms);
	/* a range starting and ending inside VMAs */
	cp = vmcopy(p + 2 * PG, 12 * PG);
	CHECK(cp != MAP_FAILED, "vmcopy inner: %s", strerror(errno));
	CHECK(!memcmp(cp, p + 2 * PG, 12 * PG), "inner copy differs");
	CHECK(maps_perms(cp + 2 * PG, perms) && !strcmp(perms, "r--p"), "inner piece 2: %s", perms);
	return 0;
}

/* Protection, madvise state, file and offset are kept. */
static int t_properties(void)
{
	char path[] = "/tmp/vmcopy-XXXXXX";
	int fd = mkstemp(path);
	char *p, *cp, perms[5];
	struct stat st;
	char line[512], want[64];
	FILE *f;
	int found = 0;

	CHECK(fd >= 0 && ftruncate(fd, 64 * PG) == 0, "tmp file");
	p = mmap(NULL, 8 * PG, PROT_READ, MAP_SHARED, fd, 16 * PG);
	CHECK(p != MAP_FAILED, "mmap");
	cp = vmcopy(p + 2 * PG, 4 * PG);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(maps_perms(cp, perms) && !strcmp(perms, "r--s"), "perms %s", perms);
	/* file and offset in /proc/self/maps */
	fstat(fd, &st);
	snprintf(want, sizeof(want), "%lx-", (unsigned long)cp);
	f = fopen("/proc/self/maps", "r");
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e, off, ino;
		char pr[5], dev[16];

		if (strncmp(line, want, strlen(want)))
			continue;
		if (sscanf(line, "%lx-%lx %4s %lx %15s %lu", &s, &e, pr, &off, dev, &ino) == 6 &&
		    off == 18 * PG && ino == st.st_ino && strstr(line, path))
			found = 1;
	}
	fclose(f);
	unlink(path);
	CHECK(found, "copy does not map the file at offset 18 pages");
	/* madvise state: MADV_HUGEPAGE (hg), MADV_DONTDUMP (dd) */
	p = map_anon(4 * MB, MAP_PRIVATE);
	madvise(p, 4 * MB, MADV_HUGEPAGE);
	madvise(p, 4 * MB, MADV_DONTDUMP);
	p[0] = 1;
	cp = vmcopy(p, 4 * MB);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(smaps_vmflag(cp, "hg") && smaps_vmflag(cp, "dd"), "madvise flags not kept");
	return 0;
}

/* A VM_LOCKED source gives a populated, locked copy. */
static int t_locked(void)
{
	size_t len = 64 * PG;
	char *p = map_anon(len, MAP_PRIVATE), *cp;

	fill(p, len, 8);
	CHECK(mlock(p, len) == 0, "mlock: %s", strerror(errno));
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(smaps_vmflag(cp, "lo"), "copy not VM_LOCKED");
	CHECK(smaps_field(cp, "Locked") == (long)(len / KB), "Locked: %ld kB",
	      smaps_field(cp, "Locked"));
	CHECK(smaps_field(cp, "Rss") == (long)(len / KB), "Rss %ld kB", smaps_field(cp, "Rss"));
	CHECK(!check(cp, len, 8), "copy differs");
	CHECK(!check(p, len, 8), "source differs");
	return 0;
}

/* RSS is accounted like fork: the copy's pages count. */
static int t_rss(void)
{
	size_t len = 256 * PG;
	char *p = map_anon(len, MAP_PRIVATE), *cp;
	long before, after;

	fill(p, len, 9);
	before = proc_kb("/proc/self/status", "RssAnon");
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	after = proc_kb("/proc/self/status", "RssAnon");
	CHECK(after - before >= (long)(len / KB) - 8 && after - before <= (long)(len / KB) + 64,
	      "RssAnon grew by %ld kB, want about %lu", after - before, len / KB);
	CHECK(smaps_field(cp, "Rss") == (long)(len / KB), "smaps Rss %ld", smaps_field(cp, "Rss"));
	CHECK(smaps_field(cp, "Shared_Clean") + smaps_field(cp, "Shared_Dirty") == (long)(len / KB),
	      "smaps of the copy: pages not shared");
	CHECK(munmap(cp, len) == 0, "munmap");
	after = proc_kb("/proc/self/status", "RssAnon");
	CHECK(labs(after - before) <= 64, "RssAnon after munmap: %+ld kB", after - before);
	return 0;
}

/* VMCOPY_FIXED replaces a mapping; NOREPLACE lands in a free range. */
static int t_fixed(void)
{
	size_t len = 16 * PG;
	char *p = map_anon(len, MAP_PRIVATE), *d, *cp;

	fill(p, len, 10);
	d = map_anon(len + 2 * PG, MAP_PRIVATE);
	memset(d, 0x77, len + 2 * PG);
	cp = vmc(p, len, d + PG, VMCOPY_FIXED);
	CHECK(cp == d + PG, "FIXED: %p want %p (%s)", cp, d + PG, strerror(errno));
	CHECK(!check(cp, len, 10), "copy differs");
	CHECK(d[0] == 0x77 && d[len + PG] == 0x77, "neighbours changed");
	fill(cp, len, 11);
	CHECK(!check(p, len, 10), "source sees writes");
	munmap(d, len + 2 * PG);
	cp = vmc(p, len, d, VMCOPY_FIXED_NOREPLACE);
	CHECK(cp == d, "NOREPLACE: %p want %p (%s)", cp, d, strerror(errno));
	CHECK(!check(cp, len, 10), "copy differs");
	return 0;
}

/* FIXED in the same page table as the source (shared page table lock). */
static int t_fixed_same_table(void)
{
	char *p = map_thp(2 * MB), *cp;

	madvise(p, 2 * MB, MADV_NOHUGEPAGE);
	munmap(p + MB, MB);
	fill(p, 64 * PG, 12);
	cp = vmc(p, 64 * PG, p + MB, VMCOPY_FIXED);
	CHECK(cp == p + MB, "FIXED: %s", strerror(errno));
	CHECK(!check(cp, 64 * PG, 12), "copy differs");
	fill(cp, 64 * PG, 13);
	CHECK(!check(p, 64 * PG, 12), "source sees writes");
	return 0;
}

/* libanker's vmcopy() with a hint: dst without flags is a hint only. */
static int t_hint(void)
{
	char *p = map_anon(4 * PG, MAP_PRIVATE), *h, *cp;

	h = map_anon(4 * PG, MAP_PRIVATE);
	munmap(h, 4 * PG);
	p[0] = 42;
	cp = vmcopy_to(p, 4 * PG, h, 0);
	CHECK(cp != MAP_FAILED && cp[0] == 42, "vmcopy with hint: %s", strerror(errno));
	return 0;
}

/* Feature file. */
static int t_feature(void)
{
	char buf[64];

	CHECK(anker_feature("vmcopy", buf, sizeof(buf)) == 0, "no vmcopy feature file");
	CHECK(!strncmp(buf, "syscall 910", 11), "feature says '%s'", buf);
	return 0;
}

static const struct vmc_case cases[] = {
	{ "4k private anonymous: copy-on-write both ways", t_private_anon },
	{ "4k shared anonymous: writes visible both ways", t_shared_anon },
	{ "4k shared file (tmpfs): writes visible both ways and in the file", t_shared_file },
	{ "huge private anonymous (THP): copy-on-write both ways", t_huge_private_anon },
	{ "huge shared anonymous (hugetlb): writes visible both ways", t_huge_shared_anon },
	{ "huge shared file (hugetlbfs): writes visible both ways", t_huge_shared_file },
	{ "memfd shared: writes visible both ways", t_memfd },
	{ "private file mapping: copy-on-write, file unchanged", t_private_file },
	{ "never-touched pages are copy-on-write too", t_untouched },
	{ "zero-page mapped pages", t_zero_page },
	{ "length rounded up to pages", t_len_rounded },
	{ "range over several VMAs keeps the layout", t_several_vmas },
	{ "protection, file, offset and madvise state kept", t_properties },
	{ "VM_LOCKED source gives a populated, locked copy", t_locked },
	{ "RSS and smaps accounted like fork", t_rss },
	{ "VMCOPY_FIXED replaces, VMCOPY_FIXED_NOREPLACE places", t_fixed },
	{ "VMCOPY_FIXED within the source's page table", t_fixed_same_table },
	{ "dst without flags is a hint", t_hint },
	{ "/sys/kernel/anker/features/vmcopy", t_feature },
};

int main(void)
{
	return vmc_run(cases, sizeof(cases) / sizeof(cases[0]));
}
