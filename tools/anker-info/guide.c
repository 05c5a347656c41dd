// SPDX-License-Identifier: GPL-2.0
/*
 * The feature table of anker-info and anker-demo, and the demos: each
 * shows its feature working in a few lines. To add a feature, add a row
 * (and, if it has one, its demo function).
 */
#include <cpuid.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "anker.h"
#include "guide.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *map_anon(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* 256 MiB: a copy with memcpy() into a new mapping, and with vmcopy(). */
static int demo_vmcopy(void)
{
	const size_t len = 256UL << 20;
	double t0, t_memcpy, t_vmcopy;
	char *src, *dst, *copy;
	size_t i;
	int same;

	src = map_anon(len);
	dst = map_anon(len);
	if (src == MAP_FAILED || dst == MAP_FAILED) {
		perror("anker-demo: mmap of 2 x 256 MiB");
		return 1;
	}
	for (i = 0; i < len; i += 4096)
		src[i] = (char)(i / 4096 * 7 + 1);

	t0 = now_ms();
	memcpy(dst, src, len);
	t_memcpy = now_ms() - t0;
	munmap(dst, len);

	t0 = now_ms();
	copy = vmcopy(src, len);
	t_vmcopy = now_ms() - t0;
	if (copy == MAP_FAILED) {
		fprintf(stderr, "anker-demo: vmcopy: %s\n", strerror(errno));
		return 1;
	}
	same = !memcmp(src, copy, len);
	copy[0] ^= 0x55;	/* copy-on-write: only this page is copied */

	printf("vmcopy: a copy of 256 MiB of private anonymous memory\n");
	printf("  memcpy() into a new mapping  %9.1f ms\n", t_memcpy);
	printf("  vmcopy()                     %9.1f ms  (%.0fx: page tables only, the pages are shared copy-on-write)\n",
	       t_vmcopy, t_vmcopy > 0 ? t_memcpy / t_vmcopy : 0);
	printf("  the copy holds the same bytes: %s\n", same ? "yes" : "NO");
	printf("  after a write to the copy, the source is unchanged: %s\n",
	       copy[0] != src[0] ? "yes" : "NO");
	return same && copy[0] != src[0] ? 0 : 1;
}

/* What this CPU offers the Krun MSR calls, and whether they work. */
static int demo_krun(void)
{
	unsigned int a, b, c, d, perfmon = 0;
	bool aperfmperf = false;
	uint64_t ap[1], mp[1], ct[1];
	char status[128] = "?";

	if (__get_cpuid(6, &a, &b, &c, &d))
		aperfmperf = c & 1;
	if (__get_cpuid_max(0, NULL) >= 0xa && __get_cpuid(0xa, &a, &b, &c, &d))
		perfmon = a & 0xff;
	anker_feature("krun_msr", status, sizeof(status));
	printf("krun_msr: %s\n", status);
	printf("  this CPU: APERF/MPERF %s; architectural perfmon version %u (Krun needs 2 or later)\n",
	       aperfmperf ? "yes" : "no", perfmon);
	if (krun_read_msrs(1, false, ap, mp, ct) == 0)
		printf("  krun_read_msrs(CPU 0): aperf %llu, mperf %llu, cycles %llu (since the last reset)\n",
		       (unsigned long long)ap[0], (unsigned long long)mp[0],
		       (unsigned long long)ct[0]);
	else
		printf("  krun_read_msrs(CPU 0): %s\n", strerror(errno));
	return 0;
}

/* 256 MiB: mapped as a morsel vs mmap+MAP_POPULATE; a second mapper. */
static int demo_morsel(void)
{
	size_t len = 256UL << 20;
	struct morsel_info in;
	double t0, t_morsel, t_pop;
	char *p, *q, *a;
	int fd;

	fd = anker_morsel_create(len, MORSEL_LEVEL_PMD, MORSEL_POPULATE |
				 MORSEL_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "anker-demo: morsel: %s\n", strerror(errno));
		return 1;
	}
	t0 = now_ms();
	p = anker_morsel_map(fd, len, 0);
	t_morsel = now_ms() - t0;
	t0 = now_ms();
	a = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	t_pop = now_ms() - t0;
	q = anker_morsel_map(fd, len, 0);
	if (p == MAP_FAILED || q == MAP_FAILED || a == MAP_FAILED) {
		fprintf(stderr, "anker-demo: morsel: mmap: %s\n",
			strerror(errno));
		return 1;
	}
	strcpy(p + len / 2, "written through the first mapping");
	anker_morsel_info(fd, &in);
	printf("morsel: 256 MiB of populated memory, 128 units of 2 MiB (one PTE table each)\n");
	printf("  mmap+MAP_POPULATE (4 KiB PTEs)  %9.2f ms\n", t_pop);
	printf("  mmap of the morsel              %9.2f ms  (%.0fx: one PMD entry per 2 MiB)\n",
	       t_morsel, t_morsel > 0 ? t_pop / t_morsel : 0);
	printf("  second mapping reads: \"%s\"\n", q + len / 2);
	printf("  MORSEL_INFO: resident %llu pages, %llu mappers, %llu page-table pages\n",
	       (unsigned long long)in.resident, (unsigned long long)in.mappers,
	       (unsigned long long)in.table_pages);
	return strcmp(p + len / 2, q + len / 2) ? 1 : 0;
}

const struct anker_guide anker_guides[] = {
	{ "vmcopy", "Documentation/anker/vmcopy.rst", NULL, demo_vmcopy },
	{ "morsel", "Documentation/anker/morsel.rst", NULL, demo_morsel },
	{ "krun_msr", "Documentation/anker/krun.rst",
	  "anker-benchcheck, anker-krun-test", demo_krun },
	{ "nohz_full_all", "Documentation/anker/krun.rst", "anker-benchcheck", NULL },
	{ "fault_stats", "Documentation/anker/faults.rst",
	  "sysctl vm.anker_fault_stats=1; anker-faults PID", NULL },
	{ "extents", "Documentation/anker/extents.rst",
	  "sysctl vm.anker_extents=1; anker-extents PID", NULL },
	{ "rswap", "Documentation/anker/rswap.rst",
	  "rmemd on the memory server, anker-rswap connect", NULL },
	{ "cosched", "Documentation/anker/cosched.rst",
	  "anker-sched penalty|park|unpark", NULL },
	{ "llfree_alloc", "Documentation/anker/llfree-kernel.rst",
	  "cat /proc/llfreeinfo; echo validate > /proc/llfreeinfo", NULL },
	{ NULL }
};

const struct anker_guide *anker_guide(const char *name)
{
	const struct anker_guide *g;

	for (g = anker_guides; g->name; g++)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}
