// SPDX-License-Identifier: GPL-2.0
/* vmcopy() of hugetlbfs memory: 2 MiB and 1 GiB pages. */
#include "vmc.h"

#define HP2 (2 * MB)
#define NR_2M_PATH "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
#define NR_1G_PATH "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"
#define FREE_1G_PATH "/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages"

static int reserve_2m(long n)
{
	long have = read_long(NR_2M_PATH);

	if (have < n)
		write_long(NR_2M_PATH, n);
	return read_long(NR_2M_PATH) >= n;
}

static void *map_huge(size_t len, int flags, int shift)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_ANONYMOUS | MAP_HUGETLB | flags | shift << MAP_HUGE_SHIFT, -1, 0);
}

static int t_shared_2m(void)
{
	size_t len = 4 * HP2;
	char *p, *cp;

	if (!reserve_2m(16))
		return skip("cannot reserve 2 MiB pages");
	p = map_huge(len, MAP_SHARED, 21);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill(p, len, 1);
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(((uintptr_t)cp & (HP2 - 1)) == 0, "copy %p not 2 MiB aligned", cp);
	CHECK(!check(cp, len, 1), "copy differs");
	fill(cp, len, 2);
	CHECK(!check(p, len, 2), "source does not see the copy's writes");
	CHECK(smaps_field(cp, "KernelPageSize") == 2048, "copy page size %ld kB",
	      smaps_field(cp, "KernelPageSize"));
	return 0;
}

static int t_private_2m(void)
{
	size_t len = 4 * HP2;
	char *p, *cp;
	long free0;

	if (!reserve_2m(16))
		return skip("cannot reserve 2 MiB pages");
	p = map_huge(len, MAP_PRIVATE, 21);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill(p, len, 3);
	free0 = read_long("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(read_long("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages") == free0,
	      "vmcopy allocated huge pages");
	CHECK(!check(cp, len, 3), "copy differs");
	fill(cp, len, 4);	/* COW: takes 4 more pages */
	CHECK(!check(p, len, 3), "source sees the copy's writes");
	fill(p, len, 5);
	CHECK(!check(cp, len, 4), "copy sees the source's writes");
	CHECK(smaps_field(cp, "KernelPageSize") == 2048, "copy page size");
	return 0;
}

static int t_misaligned(void)
{
	size_t len = 2 * HP2;
	char *p, *d;

	if (!reserve_2m(16))
		return skip("cannot reserve 2 MiB pages");
	p = map_huge(len, MAP_SHARED, 21);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[0] = 1;
	errno = 0;
	CHECK(vmcopy(p + PG, HP2) == MAP_FAILED && errno == EINVAL,
	      "unaligned start: errno %d", errno);
	errno = 0;
	CHECK(vmcopy(p, HP2 + PG) == MAP_FAILED && errno == EINVAL,
	      "unaligned end: errno %d", errno);
	d = map_anon(4 * HP2, MAP_PRIVATE);
	munmap(d, 4 * HP2);
	errno = 0;
	CHECK(vmc(p, len, d + PG, VMCOPY_FIXED_NOREPLACE) == MAP_FAILED && errno == EINVAL,
	      "FIXED not hugepage aligned: errno %d", errno);
	return 0;
}

static int t_1g(void)
{
	size_t len = GB;
	char *p, *cp;
	long nr = read_long(NR_1G_PATH);

	if (nr < 0)
		return skip("no 1 GiB hugetlb page size (boot with hugepagesz=1G)");
	if (read_long(FREE_1G_PATH) < 1) {
		write_long(NR_1G_PATH, nr + 1);
		if (read_long(FREE_1G_PATH) < 1)
			return skip("no free 1 GiB hugetlb page (boot with hugepagesz=1G hugepages=1)");
	}
	p = map_huge(len, MAP_SHARED, 30);
	CHECK(p != MAP_FAILED, "mmap 1 GiB page: %s", strerror(errno));
	fill(p, len, 6);
	cp = vmcopy(p, len);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	CHECK(((uintptr_t)cp & (GB - 1)) == 0, "copy %p not 1 GiB aligned", cp);
	CHECK(smaps_field(cp, "KernelPageSize") == 1048576, "copy page size %ld kB",
	      smaps_field(cp, "KernelPageSize"));
	CHECK(!check(cp, len, 6), "copy differs");
	*(uint64_t *)(cp + 512 * MB) = 77;
	CHECK(*(uint64_t *)(p + 512 * MB) == 77, "shared: source does not see write");
	return 0;
}

static const struct vmc_case cases[] = {
	{ "shared 2 MiB hugetlb: same pages, 2 MiB aligned, page size kept", t_shared_2m },
	{ "private 2 MiB hugetlb: copy-on-write, no page allocated by the call", t_private_2m },
	{ "hugetlb range or FIXED dst not huge-page aligned: EINVAL", t_misaligned },
	{ "1 GiB hugetlb page", t_1g },
};

int main(void)
{
	return vmc_run(cases, sizeof(cases) / sizeof(cases[0]));
}
