// SPDX-License-Identifier: GPL-2.0
/*
 * The Krun MSR system calls 900-902 (as root): every errno, the order of
 * the checks, and -- on hardware with APERF/MPERF and perfmon v2 only --
 * the counts. Under QEMU TCG the counting cases are SKIPs, never passes.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "anker.h"

#define PLAN 25

static int n_test;
static bool hw;		/* the feature file says hardware: yes */
static int n_online, n_ids;

static void result(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++n_test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void skip(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - ", ++n_test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
}

static const char *ename(int e)
{
	return e ? (strerrorname_np(e) ?: "?") : "success";
}

/* The call's errno (0 on success). */
#define ERR(call) ((call) == 0 ? 0 : errno)

static void expect(int got, int want, const char *what)
{
	result(got == want, "%s: %s", what, ename(want));
	if (got != want)
		printf("# got %s\n", ename(got));
}

static uint64_t *arr(size_t n)
{
	uint64_t *p = calloc(n + 1, sizeof(*p));

	if (!p)
		abort();
	return p;
}

static int rd(int n, bool first, uint64_t *a, uint64_t *m, uint64_t *c)
{
	return ERR(krun_read_msrs(n, first, a, m, c));
}

static int last_possible_plus_one(void)
{
	char buf[256], *p;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int n = 0;

	if (f && fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, '-');
		if (!p)
			p = strrchr(buf, ',');
		n = atoi(p ? p + 1 : buf) + 1;
	}
	if (f)
		fclose(f);
	return n;
}

static bool write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs(s, f) >= 0;
	return (fclose(f) == 0) && ok;
}

static void test_feature(void)
{
	char buf[256] = "";
	FILE *f = fopen("/sys/kernel/anker/features/krun_msr", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	hw = strstr(buf, "hardware: yes") != NULL;
	result(strstr(buf, "syscalls 900-902") &&
	       (hw || strstr(buf, "hardware: no")),
	       "the feature file lists krun_msr (\"%s\")", buf);
}

static void test_einval(void)
{
	uint64_t *a = arr(n_ids + 1), *m = arr(n_ids + 1), *c = arr(n_ids + 1);

	expect(rd(0, false, a, m, c), EINVAL, "read of 0 cores");
	expect(rd(-1, false, a, m, c), EINVAL, "read of -1 cores");
	expect(rd(INT_MIN, true, a, m, c), EINVAL, "read of INT_MIN cores");
	expect(rd(n_ids + 1, false, a, m, c), EINVAL,
	       "read of nr_cpu_ids + 1 cores");
	expect(ERR(krun_reset_msrs(0)), EINVAL, "reset of 0 cores");
	expect(ERR(krun_reset_msrs(n_ids + 1)), EINVAL,
	       "reset of nr_cpu_ids + 1 cores");
	expect(ERR(krun_configure(-3)), EINVAL, "configure of -3 cores");
	expect(ERR(krun_configure(n_ids + 1)), EINVAL,
	       "configure of nr_cpu_ids + 1 cores");
	/* Validation comes before the pointers are looked at. */
	expect(rd(0, false, NULL, NULL, NULL), EINVAL,
	       "read of 0 cores with NULL arrays (EINVAL before EFAULT)");
	free(a);
	free(m);
	free(c);
}

static void test_efault(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t *a = arr(n_online), *m = arr(n_online), *c = arr(n_online);
	char *map, *ro;

	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || ro == MAP_FAILED)
		abort();
	munmap(map + pg, pg);

	/* EFAULT comes before EOPNOTSUPP, so these are testable anywhere. */
	expect(rd(n_online, false, NULL, m, c), EFAULT, "read into NULL aperfs");
	expect(rd(n_online, false, a, (uint64_t *)(map + pg), c), EFAULT,
	       "read into unmapped mperfs");
	expect(rd(n_online, true, a, m, (uint64_t *)ro), EFAULT,
	       "read into read-only ctr1s");
	expect(rd(n_online, false, (uint64_t *)0xffff888000000000ULL, m, c),
	       EFAULT, "read into a kernel address");
	if (n_online >= 2)
		expect(rd(n_online, false, a, m,
			  (uint64_t *)(map + pg - sizeof(uint64_t))), EFAULT,
		       "read into ctr1s whose second entry is unmapped");
	else
		skip("needs 2 CPUs", "read into ctr1s whose second entry is unmapped");
	munmap(map, pg);
	munmap(ro, pg);
	free(a);
	free(m);
	free(c);
}

static void test_hardware_errno(void)
{
	uint64_t *a = arr(n_online), *m = arr(n_online), *c = arr(n_online);
	int want = hw ? 0 : EOPNOTSUPP;
	int i;

	expect(rd(n_online, false, a, m, c), want,
	       hw ? "read of the online CPUs" :
	       "read of the online CPUs without APERF/MPERF or perfmon v2");
	expect(ERR(krun_reset_msrs(n_online)), want,
	       hw ? "reset of the online CPUs" :
	       "reset without APERF/MPERF or perfmon v2");
	expect(ERR(krun_configure(n_online)), want,
	       hw ? "configure of the online CPUs" :
	       "configure without APERF/MPERF or perfmon v2");

	/* Nothing past n_cores is written; nothing uninitialised copied. */
	memset(a, 0xaa, (n_online + 1) * sizeof(*a));
	memset(m, 0xaa, (n_online + 1) * sizeof(*m));
	memset(c, 0xaa, (n_online + 1) * sizeof(*c));
	rd(1, false, a, m, c);
	result(a[1] == 0xaaaaaaaaaaaaaaaaULL && m[1] == a[1] && c[1] == a[1],
	       "read of 1 core leaves the arrays' second entries alone");
	if (hw) {
		skip("hardware: the values are real counts",
		     "on EOPNOTSUPP the arrays hold zeros, not stale values");
	} else {
		bool zero = true;

		memset(a, 0xaa, n_online * sizeof(*a));
		memset(m, 0xaa, n_online * sizeof(*m));
		memset(c, 0xaa, n_online * sizeof(*c));
		rd(n_online, false, a, m, c);
		for (i = 0; i < n_online; i++)
			zero &= !a[i] && !m[i] && !c[i];
		result(zero, "on EOPNOTSUPP the arrays hold zeros, not stale values");
	}
	free(a);
	free(m);
	free(c);
}

static void test_offline(void)
{
	const char *online = "/sys/devices/system/cpu/cpu1/online";
	uint64_t *a = arr(n_ids), *m = arr(n_ids), *c = arr(n_ids);
	int r1, r2, r3;

	if (n_ids < 2 || n_online < 2 || !write_file(online, "0")) {
		skip("cannot take CPU 1 offline here",
		     "read/reset/configure naming an offline CPU: EINVAL");
		skip("cannot take CPU 1 offline here",
		     "the online CPU 0 alone can still be named");
		goto out;
	}
	r1 = rd(2, false, a, m, c);
	r2 = ERR(krun_reset_msrs(2));
	r3 = ERR(krun_configure(2));
	write_file(online, "1");
	result(r1 == EINVAL && r2 == EINVAL && r3 == EINVAL,
	       "read/reset/configure naming an offline CPU: EINVAL");
	if (r1 != EINVAL || r2 != EINVAL || r3 != EINVAL)
		printf("# got %s %s %s\n", ename(r1), ename(r2), ename(r3));
	expect(rd(1, false, a, m, c), hw ? 0 : EOPNOTSUPP,
	       "the online CPU 0 alone can still be named");
out:
	free(a);
	free(m);
	free(c);
}

static void spin(unsigned long n)
{
	volatile unsigned long x = 0;

	while (n--)
		x++;
}

static void test_counts(void)
{
	const char *why = "no APERF/MPERF or perfmon v2 here (QEMU TCG?)";
	uint64_t *a[2], *m[2], *c[2];
	bool mono = true, zero = true, grow = true;
	int i, cpu;

	if (!hw) {
		skip(why, "after a reset, every CPU counts from zero");
		skip(why, "the counts never go backwards (200 reads)");
		skip(why, "the core-cycle count of CPU 0 grows with work on it");
		return;
	}
	for (i = 0; i < 2; i++) {
		a[i] = arr(n_online);
		m[i] = arr(n_online);
		c[i] = arr(n_online);
	}
	krun_configure(n_online);
	krun_reset_msrs(n_online);
	rd(n_online, false, a[0], m[0], c[0]);
	/* Within a millisecond or so of the reset: far below 1e9. */
	for (cpu = 0; cpu < n_online; cpu++)
		zero &= a[0][cpu] < 1000000000ULL && m[0][cpu] < 1000000000ULL &&
			c[0][cpu] < 1000000000ULL;
	result(zero, "after a reset, every CPU counts from zero");

	for (i = 1; i <= 200; i++) {
		int cur = i & 1, prev = !cur;

		rd(n_online, cur, a[cur], m[cur], c[cur]);
		for (cpu = 0; cpu < n_online; cpu++)
			mono &= a[cur][cpu] >= a[prev][cpu] &&
				m[cur][cpu] >= m[prev][cpu] &&
				c[cur][cpu] >= c[prev][cpu];
	}
	result(mono, "the counts never go backwards (200 reads)");

	rd(1, false, a[0], m[0], c[0]);
	spin(100000000);
	rd(1, true, a[1], m[1], c[1]);
	grow = c[1][0] - c[0][0] > 50000000ULL;
	result(grow, "the core-cycle count of CPU 0 grows with work on it");
	if (!grow)
		printf("# ctr1 %llu -> %llu\n", (unsigned long long)c[0][0],
		       (unsigned long long)c[1][0]);
}

int main(void)
{
	cpu_set_t set;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Work on CPU 0, where the spin loop of test_counts() is measured. */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	n_online = sysconf(_SC_NPROCESSORS_ONLN);
	n_ids = last_possible_plus_one();
	printf("1..%d\n", PLAN);
	printf("# %d CPUs online, nr_cpu_ids %d\n", n_online, n_ids);
	test_feature();
	test_einval();
	test_efault();
	test_hardware_errno();
	test_offline();
	test_counts();
	if (n_test != PLAN)
		printf("# planned %d, ran %d\n", PLAN, n_test);
	return 0;
}
