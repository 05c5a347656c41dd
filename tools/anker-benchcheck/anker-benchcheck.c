// SPDX-License-Identifier: GPL-2.0
/*
 * anker-benchcheck: is this machine set up for benchmarking the way the
 * Krun benchmarking system wants it? Checks what Krun's platform checks
 * check -- tickless kernel, isolated CPU, CPU governor and scaling driver,
 * turbo, ASLR, perf sample rate -- plus the Krun MSR system calls, and
 * prints each as OK, WARN or FAIL with the fix.
 *
 * Exit status: 0 no FAIL (WARNs allowed; with -s, no WARN either);
 * 1 at least one FAIL (or WARN with -s); 2 usage.
 *
 * ANKER_BENCHCHECK_ROOT (testing): a directory that stands in for / when
 * reading /proc and /sys.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include "anker.h"

enum level { OK, WARN, FAIL };
static const char *const level_name[] = { "OK", "WARN", "FAIL" };
static unsigned int counts[3];
static const char *root = "";
static const char *skipped[16];
static int n_skipped;

static bool is_skipped(const char *check)
{
	int i;

	for (i = 0; i < n_skipped; i++)
		if (!strcmp(skipped[i], check))
			return true;
	return false;
}

static void report(enum level l, const char *check, const char *fix,
		   const char *fmt, ...)
{
	va_list ap;

	if (is_skipped(check))
		return;
	counts[l]++;
	printf("%-4s %-12s ", level_name[l], check);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (l != OK && fix)
		printf("     %-12s fix: %s\n", "", fix);
}

/* The first line of root/path, without its newline; NULL if unreadable. */
static char *read_line(const char *path, char *buf, size_t len)
{
	char full[512];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "r");
	if (!f)
		return NULL;
	if (!fgets(buf, len, f)) {
		buf[0] = '\0';
		if (ferror(f)) {
			fclose(f);
			return NULL;
		}
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static bool read_long(const char *path, long *v)
{
	char buf[64], *end;

	if (!read_line(path, buf, sizeof(buf)))
		return false;
	*v = strtol(buf, &end, 10);
	return end != buf;
}

static int n_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

static void check_tickless(void)
{
	char buf[256];

	if (!read_line("/sys/devices/system/cpu/nohz_full", buf, sizeof(buf))) {
		report(FAIL, "tickless",
		       "boot a kernel with CONFIG_NO_HZ_FULL=y "
		       "(Anker: CONFIG_ANKER_NO_HZ_FULL_ALL=y)",
		       "kernel built without CONFIG_NO_HZ_FULL");
		return;
	}
	if (!buf[0] || !strcmp(buf, "(null)")) {
		report(FAIL, "tickless",
		       n_cpus() > 1 ? "boot with nohz_full=1-N (or a kernel with "
		       "CONFIG_ANKER_NO_HZ_FULL_ALL=y)" :
		       "use a machine with more than one CPU: the boot CPU keeps its tick",
		       "no CPU runs full dynticks (nohz_full is empty)");
		return;
	}
	report(OK, "tickless", NULL, "full dynticks on CPUs %s", buf);
}

static void check_isolated(void)
{
	char buf[256];

	if (!read_line("/sys/devices/system/cpu/isolated", buf, sizeof(buf)) ||
	    !buf[0]) {
		report(WARN, "isolcpus",
		       "boot with isolcpus=N (N > 0, a nohz_full CPU) and pin "
		       "the benchmark to it with taskset",
		       "no isolated CPU");
		return;
	}
	if (!strcmp(buf, "0") || !strncmp(buf, "0,", 2) || !strncmp(buf, "0-", 2)) {
		report(WARN, "isolcpus", "isolate a CPU other than CPU 0",
		       "CPU 0 is isolated (%s)", buf);
		return;
	}
	report(OK, "isolcpus", NULL, "isolated CPUs %s", buf);
}

static void check_governor(void)
{
	char path[128], buf[64], driver[64] = "";
	int cpu, n = n_cpus(), bad = -1, have = 0;
	char badgov[64] = "";

	for (cpu = 0; cpu < n; cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
		if (!read_line(path, buf, sizeof(buf)))
			continue;
		have++;
		if (strcmp(buf, "performance") && bad < 0) {
			bad = cpu;
			snprintf(badgov, sizeof(badgov), "%s", buf);
		}
		if (!driver[0]) {
			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_driver",
				 cpu);
			read_line(path, driver, sizeof(driver));
		}
	}
	if (!have) {
		report(WARN, "governor",
		       "make sure the firmware runs the CPUs at a fixed frequency",
		       "no cpufreq: the kernel does not control the CPU frequency "
		       "(virtual machine, or no cpufreq driver)");
		return;
	}
	if (bad >= 0)
		report(FAIL, "governor",
		       "cpupower frequency-set -g performance "
		       "(or write performance into .../cpufreq/scaling_governor)",
		       "CPU %d uses governor %s, not performance", bad, badgov);
	else
		report(OK, "governor", NULL, "performance on all %d CPUs", have);

	if (!strcmp(driver, "intel_pstate"))
		report(WARN, "scaling", "boot with intel_pstate=disable "
		       "(Krun wants acpi-cpufreq)",
		       "scaling driver intel_pstate varies the clock even "
		       "under the performance governor");
	else
		report(OK, "scaling", NULL, "scaling driver %s",
		       driver[0] ? driver : "unknown");
}

static void check_turbo(void)
{
	long v;

	if (read_long("/sys/devices/system/cpu/intel_pstate/no_turbo", &v)) {
		if (v == 1)
			report(OK, "turbo", NULL, "off (intel_pstate/no_turbo = 1)");
		else
			report(FAIL, "turbo",
			       "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo",
			       "on (intel_pstate/no_turbo = %ld)", v);
		return;
	}
	if (read_long("/sys/devices/system/cpu/cpufreq/boost", &v)) {
		if (v == 0)
			report(OK, "turbo", NULL, "off (cpufreq/boost = 0)");
		else
			report(FAIL, "turbo",
			       "echo 0 > /sys/devices/system/cpu/cpufreq/boost",
			       "on (cpufreq/boost = %ld)", v);
		return;
	}
	report(WARN, "turbo", "turn turbo/boost off in the firmware set-up",
	       "cannot tell: neither intel_pstate/no_turbo nor cpufreq/boost");
}

static void check_aslr(void)
{
	long v;

	if (!read_long("/proc/sys/kernel/randomize_va_space", &v)) {
		report(WARN, "aslr", NULL, "cannot read randomize_va_space");
		return;
	}
	if (v == 0)
		report(OK, "aslr", NULL, "off (kernel.randomize_va_space = 0)");
	else
		report(FAIL, "aslr", "sysctl -w kernel.randomize_va_space=0",
		       "on (kernel.randomize_va_space = %ld)", v);
}

static void check_perf_rate(void)
{
	long v;

	if (!read_long("/proc/sys/kernel/perf_event_max_sample_rate", &v)) {
		report(OK, "perf-rate", NULL, "no perf events in this kernel");
		return;
	}
	if (v <= 1)
		report(OK, "perf-rate", NULL,
		       "kernel.perf_event_max_sample_rate = %ld", v);
	else
		report(FAIL, "perf-rate",
		       "sysctl -w kernel.perf_event_max_sample_rate=1",
		       "kernel.perf_event_max_sample_rate = %ld (Krun wants 1)", v);
}

/* CAP_SYS_RAWIO in this process's effective set (/proc/self/status). */
static bool have_rawio(void)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return eff & (1ULL << CAP_SYS_RAWIO);
}

static void check_msr(void)
{
	int n = n_cpus();
	uint64_t *a = calloc(n, 8), *m = calloc(n, 8), *c = calloc(n, 8);
	long access;

	if (!a || !m || !c) {
		report(FAIL, "msr-syscall", NULL, "out of memory");
		goto out;
	}
	if (krun_read_msrs(n, false, a, m, c) == 0) {
		report(OK, "msr-syscall", NULL,
		       "krun_read_msrs works on %d CPUs", n);
	} else if (errno == ENOSYS) {
		report(FAIL, "msr-syscall",
		       "boot an Anker kernel with CONFIG_ANKER_KRUN_MSR=y",
		       "no Krun MSR system calls in this kernel (ENOSYS)");
		goto out;
	} else if (errno == EOPNOTSUPP) {
		report(FAIL, "msr-syscall",
		       "benchmark on hardware with APERF/MPERF and perfmon v2, "
		       "or build libkruntime with NO_MSRS",
		       "this CPU has no APERF/MPERF or architectural perfmon v2 "
		       "(EOPNOTSUPP)");
	} else {
		report(FAIL, "msr-syscall", NULL, "krun_read_msrs: %s",
		       strerror(errno));
	}

	if (!read_long("/proc/sys/kernel/krun_msr_access", &access))
		access = -1;
	if (access >= 1)
		report(OK, "msr-access", NULL,
		       "any user may reset/configure (kernel.krun_msr_access = %ld)",
		       access);
	else if (have_rawio())
		report(OK, "msr-access", NULL,
		       "this process has CAP_SYS_RAWIO: may reset/configure");
	else
		report(WARN, "msr-access",
		       "run the benchmarks as root, or sysctl -w kernel.krun_msr_access=1",
		       "krun_reset_msrs/krun_configure need CAP_SYS_RAWIO, "
		       "which this user lacks");
out:
	free(a);
	free(m);
	free(c);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-s] [-n CHECK]...\n"
		"Checks the machine is set up for benchmarking (Krun's checks).\n"
		"  -s        strict: a WARN fails too (exit status 1)\n"
		"  -n CHECK  leave out CHECK (tickless, isolcpus, governor, scaling,\n"
		"            turbo, aslr, perf-rate, msr-syscall, msr-access)\n"
		"Exit status: 0 no FAIL, 1 a FAIL, 2 usage.\n", prog);
}

int main(int argc, char **argv)
{
	bool strict = false;
	int opt;

	while ((opt = getopt(argc, argv, "sn:h")) != -1) {
		switch (opt) {
		case 's': strict = true; break;
		case 'n':
			if (n_skipped == (int)(sizeof(skipped) / sizeof(skipped[0]))) {
				usage(argv[0]);
				return 2;
			}
			skipped[n_skipped++] = optarg;
			break;
		default: usage(argv[0]); return 2;
		}
	}
	if (optind != argc) {
		usage(argv[0]);
		return 2;
	}
	if (getenv("ANKER_BENCHCHECK_ROOT"))
		root = getenv("ANKER_BENCHCHECK_ROOT");

	check_tickless();
	check_isolated();
	check_governor();
	check_turbo();
	check_aslr();
	check_perf_rate();
	check_msr();

	printf("%u OK, %u WARN, %u FAIL\n", counts[OK], counts[WARN], counts[FAIL]);
	return counts[FAIL] || (strict && counts[WARN]) ? 1 : 0;
}
