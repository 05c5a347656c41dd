// SPDX-License-Identifier: GPL-2.0
/*
 * anker-extents: the extent summary of a process (/proc/PID/extents) with a
 * histogram of extent sizes. See Documentation/anker/extents.rst.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anker.h"

#define NBUCKETS 40

static void usage(FILE *f)
{
	fprintf(f,
		"usage: anker-extents [-e] [-s] PID\n"
		"Prints the extent summary of process PID: the number of extents (ranges\n"
		"contiguous both virtually and physically), the resident bytes they cover,\n"
		"the share covered by the largest 8/32/128/512, and a histogram of sizes.\n"
		"  -e, --enable   start tracking PID first (extents_ctl EXTENTS_ENABLE)\n"
		"  -s, --sync     add what a page-table walk finds first (EXTENTS_SYNC)\n"
		"  -h, --help     this text\n"
		"Exit status: 0 printed, 1 error (no such process, not permitted, not an\n"
		"Anker kernel, tracking off), 2 usage.\n");
}

static const char *human(unsigned long long b, char *buf, size_t n)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int i = 0;

	while (b >= 1024 && b % 1024 == 0 && i < 4) {
		b /= 1024;
		i++;
	}
	snprintf(buf, n, "%llu %s", b, u[i]);
	return buf;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "enable", no_argument, NULL, 'e' },
		{ "sync", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long cnt[NBUCKETS] = { 0 }, bytes[NBUCKETS] = { 0 }, maxb = 0;
	struct anker_extents_summary s;
	int enable = 0, sync = 0, c, pid;
	char path[64], line[256], *end;
	FILE *f;

	while ((c = getopt_long(argc, argv, "esh", opts, NULL)) != -1) {
		switch (c) {
		case 'e': enable = 1; break;
		case 's': sync = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	pid = (int)strtol(argv[optind], &end, 10);
	if (*end || pid <= 0) {
		fprintf(stderr, "anker-extents: bad PID '%s'\n", argv[optind]);
		return 2;
	}
	if (enable && anker_extents_enable(pid) < 0) {
		fprintf(stderr, "anker-extents: enable %d: %s\n", pid, strerror(errno));
		return 1;
	}
	if (sync && extents_ctl(pid, EXTENTS_SYNC, 0, NULL) < 0) {
		fprintf(stderr, "anker-extents: sync %d: %s\n", pid, strerror(errno));
		return 1;
	}
	if (anker_extents_summary(pid, &s)) {
		fprintf(stderr, "anker-extents: /proc/%d/extents: %s\n", pid, strerror(errno));
		return 1;
	}
	if (!s.enabled) {
		fprintf(stderr, "anker-extents: process %d is not tracked (use -e)\n", pid);
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%d/extents", pid);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "anker-extents: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b, len;
		int k = 0;

		if (sscanf(line, "%lx-%lx %lu", &a, &b, &len) != 3)
			continue;
		while ((4096UL << (k + 1)) <= len && k < NBUCKETS - 1)
			k++;
		cnt[k]++;
		bytes[k] += len;
	}
	fclose(f);

	printf("process %d\n", pid);
	printf("  extents           %llu\n", (unsigned long long)s.extents);
	printf("  resident (in set) %llu bytes\n", (unsigned long long)s.resident);
	printf("  rss               %llu bytes\n", (unsigned long long)s.rss);
	printf("  largest 8         %6.2f %%\n", s.top[0]);
	printf("  largest 32        %6.2f %%\n", s.top[1]);
	printf("  largest 128       %6.2f %%\n", s.top[2]);
	printf("  largest 512       %6.2f %%\n", s.top[3]);
	printf("extent sizes (size >=, count, bytes, share of resident):\n");
	for (int k = 0; k < NBUCKETS; k++)
		if (bytes[k] > maxb)
			maxb = bytes[k];
	for (int k = 0; k < NBUCKETS; k++) {
		char h[32], hb[32];
		int bar;

		if (!cnt[k])
			continue;
		bar = maxb ? (int)(40 * bytes[k] / maxb) : 0;
		printf("  %10s %8llu %12s %6.2f%% %.*s\n", human(4096ULL << k, h, sizeof(h)),
		       cnt[k], human(bytes[k], hb, sizeof(hb)),
		       s.resident ? 100.0 * bytes[k] / s.resident : 0.0, bar > 0 ? bar : 1,
		       "########################################");
	}
	return 0;
}
