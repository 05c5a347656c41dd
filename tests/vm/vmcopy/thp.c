// SPDX-License-Identifier: GPL-2.0
/* vmcopy() of transparent huge pages (THP in madvise mode). */
#include "vmc.h"

static int need_thp(char *p, size_t len)
{
	long kb = smaps_field(p, "AnonHugePages");

	return kb >= (long)(len / KB);
}

/* PMD-mapped THPs are copied as PMDs: neither side is split. */
static int t_pmd_copy(void)
{
	size_t len = 8 * MB;
	char *p = map_thp(len), *cp;

	fill(p, len, 1);
	if (!need_thp(p, len))
		return skip("source not THP-backed (AnonHugePages %ld kB)",
			    smaps_field(p, "AnonHugePages"));
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(((uintptr_t)cp & (2 * MB - 1)) == ((uintptr_t)p & (2 * MB - 1)),
	      "copy %p not aligned like source %p", cp, p);
	CHECK(smaps_field(cp, "AnonHugePages") == (long)(len / KB),
	      "copy AnonHugePages %ld kB", smaps_field(cp, "AnonHugePages"));
	CHECK(smaps_field(p, "AnonHugePages") == (long)(len / KB),
	      "source split: AnonHugePages %ld kB", smaps_field(p, "AnonHugePages"));
	CHECK(!check(cp, len, 1), "copy differs");
	return 0;
}

/* Copy-on-write of a huge page, both ways. */
static int t_cow(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len), *cp;

	fill(p, len, 2);
	if (!need_thp(p, len))
		return skip("source not THP-backed");
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	fill(cp, len / 2, 3);
	CHECK(!check(p, len, 2), "source sees the copy's writes");
	fill(p + len / 2, len / 2, 4);
	for (size_t o = len / 2; o < len; o += PAT_STRIDE)
		CHECK(*(uint64_t *)(cp + o) == pat(2, o), "copy sees the source's writes at %zu", o);
	CHECK(!check(cp, len / 2, 3), "copy lost its writes");
	return 0;
}

/* Ranges starting and ending inside a huge page. */
static int t_partial(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len), *cp;
	size_t off = 3 * PG, n = 2 * MB + 5 * PG;

	fill(p, len, 5);
	if (!need_thp(p, len))
		return skip("source not THP-backed");
	cp = vmcopy(p + off, n);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(!memcmp(cp, p + off, n), "copy differs");
	memset(cp, 0x5a, n);
	CHECK(!check(p, len, 5), "source sees the copy's writes");
	return 0;
}

/* VMCOPY_FIXED at an address not aligned like the source: PTE-mapped copy. */
static int t_fixed_unaligned(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len), *d, *cp;

	fill(p, len, 6);
	if (!need_thp(p, len))
		return skip("source not THP-backed");
	d = map_thp(len + 2 * MB);
	cp = vmc(p, len, d + 5 * PG, VMCOPY_FIXED);
	CHECK(cp == d + 5 * PG, "vmcopy: %s", strerror(errno));
	CHECK(!check(cp, len, 6), "copy differs");
	fill(cp, len, 7);
	CHECK(!check(p, len, 6), "source sees the copy's writes");
	return 0;
}

/* The huge zero page (read faults on a THP region). */
static int t_huge_zero(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len), *cp;
	volatile char sink = 0;

	for (size_t o = 0; o < len; o += PG)
		sink += p[o];
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(all_zero(cp, len), "copy not zero");
	memset(cp, 1, len);
	CHECK(all_zero(p, len), "source sees writes");
	return 0;
}

/* Three-way copy-on-write: fork after vmcopy of THPs. */
static int t_fork(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len), *cp;
	pid_t pid;
	int st;

	fill(p, len, 8);
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		fill(cp, len, 9);
		_exit(check(p, len, 8) || check(cp, len, 9));
	}
	fill(p, len, 10);
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "child saw wrong contents");
	CHECK(!check(cp, len, 8), "copy changed");
	CHECK(!check(p, len, 10), "source wrong");
	return 0;
}

/* 1 GiB, THP-backed: the large case. */
static int t_1g(void)
{
	size_t len = GB;
	char *p = map_thp(len), *cp;
	double t0, t1;

	CHECK(p != MAP_FAILED, "mmap 1 GiB");
	fill(p, len, 11);
	t0 = now();
	cp = vmcopy(p, len);
	t1 = now();
	CHECK(cp != MAP_FAILED, "vmcopy 1 GiB: %s", strerror(errno));
	diag("1 GiB vmcopy took %.3f ms (AnonHugePages %ld kB)", (t1 - t0) * 1e3,
	     smaps_field(cp, "AnonHugePages"));
	CHECK(!check(cp, len, 11), "copy differs");
	for (size_t o = 0; o < len; o += 64 * MB)
		*(uint64_t *)(cp + o) = 42;
	for (size_t o = 0; o < len; o += 64 * MB)
		CHECK(*(uint64_t *)(p + o) == pat(11, o), "source sees writes at %zu", o);
	CHECK(munmap(cp, len) == 0, "munmap");
	CHECK(!check(p, len, 11), "source differs after munmap of the copy");
	return 0;
}

static const struct vmc_case cases[] = {
	{ "PMD-mapped THPs copied as PMDs, neither side split, same alignment", t_pmd_copy },
	{ "THP copy-on-write both ways", t_cow },
	{ "range starting and ending inside huge pages", t_partial },
	{ "VMCOPY_FIXED not aligned like the source", t_fixed_unaligned },
	{ "huge zero page", t_huge_zero },
	{ "fork after vmcopy of THPs: three-way copy-on-write", t_fork },
	{ "1 GiB THP-backed copy", t_1g },
};

int main(void)
{
	return vmc_run(cases, sizeof(cases) / sizeof(cases[0]));
}
