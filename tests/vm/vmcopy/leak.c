// SPDX-License-Identifier: GPL-2.0
/*
 * No leak: 1,000 rounds of vmcopy + write + munmap leave MemFree and the
 * process's page-table bytes (VmPTE) where they started.
 */
#include "vmc.h"

static int rounds(char *p, size_t len, int n, int touch)
{
	for (int i = 0; i < n; i++) {
		char *cp = vmcopy(p, len);

		if (cp == MAP_FAILED)
			FAIL("round %d: vmcopy: %s", i, strerror(errno));
		for (size_t o = 0; o < len; o += touch * PG)
			cp[o] = (char)i;
		if (munmap(cp, len))
			FAIL("munmap");
	}
	return 0;
}

static int leak_case(char *p, size_t len, int touch, int n)
{
	long free0, free1, pte0, pte1;

	if (rounds(p, len, 50, touch))	/* warm up caches */
		return 1;
	free0 = proc_kb("/proc/meminfo", "MemFree");
	pte0 = proc_kb("/proc/self/status", "VmPTE");
	if (rounds(p, len, n, touch))
		return 1;
	free1 = proc_kb("/proc/meminfo", "MemFree");
	pte1 = proc_kb("/proc/self/status", "VmPTE");
	diag("%d rounds of %zu kB: MemFree %+ld kB, VmPTE %+ld kB", n, len / KB,
	     free1 - free0, pte1 - pte0);
	CHECK(pte1 == pte0, "VmPTE %ld -> %ld kB", pte0, pte1);
	CHECK(free0 - free1 < 4096, "MemFree dropped by %ld kB", free0 - free1);
	return 0;
}

static int t_4k(void)
{
	size_t len = 64 * PG;
	char *p = map_anon(len, MAP_PRIVATE);

	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 1);
	return leak_case(p, len, 2, 1000);
}

static int t_thp(void)
{
	size_t len = 4 * MB;
	char *p = map_thp(len);

	fill(p, len, 2);
	if (smaps_field(p, "AnonHugePages") <= 0)
		return skip("no THP");
	/* touching one page of each 2 MiB copies one page (split + COW) */
	return leak_case(p, len, 512, 1000);
}

static int t_shared(void)
{
	size_t len = 64 * PG;
	int fd = memfd_create("vmcopy-leak", 0);
	char *p;

	if (ftruncate(fd, len))
		FAIL("ftruncate");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	fill(p, len, 3);
	return leak_case(p, len, 1, 1000);
}

static const struct vmc_case cases[] = {
	{ "1000 rounds, 4 KiB pages: no memory or page-table leak", t_4k },
	{ "1000 rounds, THP: no memory or page-table leak", t_thp },
	{ "1000 rounds, memfd shared: no memory or page-table leak", t_shared },
};

int main(void)
{
	return vmc_run(cases, sizeof(cases) / sizeof(cases[0]));
}
