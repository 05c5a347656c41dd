// SPDX-License-Identifier: GPL-2.0
/*
 * anker-krun-test: exercise the Krun MSR system calls the way Krun does
 * (our own version of the Krun kernel's test program): configure and reset
 * every online CPU, then read all of them again and again, alternating
 * ctr1_first as libkruntime does before and after an iteration, and check
 * that no count ever goes backwards.
 *
 * Exit status: 0 all readings monotonic; 1 a count went backwards or a
 * call failed; 2 usage; 3 the kernel or the CPU does not support the
 * system calls (ENOSYS, EOPNOTSUPP).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "anker.h"

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-n READS] [-i MILLISECONDS] [-c CORES] [-q]\n"
		"  -n READS         readings to take (default 10; 0: until interrupted)\n"
		"  -i MILLISECONDS  pause between readings (default 500)\n"
		"  -c CORES         CPUs 0..CORES-1 (default: the online CPUs)\n"
		"  -q               print only the summary and problems\n",
		prog);
}

static int unsupported(const char *what)
{
	int e = errno;

	fprintf(stderr, "anker-krun-test: %s: %s\n", what, strerror(e));
	if (e == ENOSYS) {
		fprintf(stderr, "  not a kernel with the Krun MSR system calls "
			"(Anker with CONFIG_ANKER_KRUN_MSR)\n");
		return 3;
	}
	if (e == EOPNOTSUPP) {
		fprintf(stderr, "  this CPU has no APERF/MPERF or no architectural "
			"perfmon v2 (a virtual machine?)\n");
		return 3;
	}
	if (e == EPERM)
		fprintf(stderr, "  run as root, or allow it: "
			"sysctl -w kernel.krun_msr_access=1\n");
	return 1;
}

int main(int argc, char **argv)
{
	long reads = 10, interval = 500, cores;
	bool quiet = false;
	uint64_t *a[2], *m[2], *c[2];
	unsigned long bad = 0;
	int opt, i;
	long n;

	cores = sysconf(_SC_NPROCESSORS_ONLN);
	while ((opt = getopt(argc, argv, "n:i:c:qh")) != -1) {
		switch (opt) {
		case 'n': reads = strtol(optarg, NULL, 0); break;
		case 'i': interval = strtol(optarg, NULL, 0); break;
		case 'c': cores = strtol(optarg, NULL, 0); break;
		case 'q': quiet = true; break;
		default: usage(argv[0]); return 2;
		}
	}
	if (optind != argc || reads < 0 || interval < 0 || cores < 1 ||
	    cores > 1 << 20) {
		usage(argv[0]);
		return 2;
	}
	for (i = 0; i < 2; i++) {
		a[i] = calloc(cores, sizeof(uint64_t));
		m[i] = calloc(cores, sizeof(uint64_t));
		c[i] = calloc(cores, sizeof(uint64_t));
		if (!a[i] || !m[i] || !c[i]) {
			perror("calloc");
			return 1;
		}
	}

	printf("configuring and resetting %ld CPUs\n", cores);
	if (krun_configure(cores))
		return unsupported("krun_configure");
	if (krun_reset_msrs(cores))
		return unsupported("krun_reset_msrs");
	if (krun_read_msrs(cores, false, a[0], m[0], c[0]))
		return unsupported("krun_read_msrs");

	for (n = 1; reads == 0 || n <= reads; n++) {
		int cur = n & 1, prev = !cur;
		long cpu;

		if (interval) {
			struct timespec ts = { interval / 1000,
					       (interval % 1000) * 1000000 };

			nanosleep(&ts, NULL);
		}
		/* Like libkruntime: ctr1 last before, first after. */
		if (krun_read_msrs(cores, cur, a[cur], m[cur], c[cur]))
			return unsupported("krun_read_msrs");
		for (cpu = 0; cpu < cores; cpu++) {
			bool ok = a[cur][cpu] >= a[prev][cpu] &&
				  m[cur][cpu] >= m[prev][cpu] &&
				  c[cur][cpu] >= c[prev][cpu];

			if (!ok)
				bad++;
			if (!quiet || !ok)
				printf("read %ld cpu %ld: aperf %" PRIu64 " mperf %"
				       PRIu64 " ctr1 %" PRIu64 "%s\n", n, cpu,
				       a[cur][cpu], m[cur][cpu], c[cur][cpu],
				       ok ? "" : "  <- went backwards");
		}
	}
	printf("%ld readings of %ld CPUs: %s (%lu backwards)\n", n - 1, cores,
	       bad ? "FAILED" : "all monotonic", bad);
	return bad ? 1 : 0;
}
