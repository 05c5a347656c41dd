// SPDX-License-Identifier: GPL-2.0
/*
 * anker-info: print the running kernel's version, its Anker version and the
 * Anker features it has, each with its doc page and what to try next.
 * Exit status 1 when the kernel is not an Anker kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "anker.h"
#include "guide.h"

static int print_feature(const char *name, const char *status, void *arg)
{
	const struct anker_guide *g = anker_guide(name);
	int *n = arg;

	printf("  %-16s %s\n", name, status);
	if (g) {
		printf("  %-16s doc: %s", "", g->doc);
		if (g->demo || g->also)
			printf("; try: %s%s%s%s", g->demo ? "anker-demo " : "",
			       g->demo ? name : "", g->demo && g->also ? ", " : "",
			       g->also ? g->also : "");
		printf("\n");
	}
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	struct utsname u;
	char version[64];
	int n = 0;

	if (argc > 1) {
		fprintf(stderr, "usage: %s\n(prints the kernel's Anker version and features)\n",
			argv[0]);
		return 2;
	}
	if (uname(&u) == 0)
		printf("kernel:   %s %s %s\n", u.sysname, u.release, u.version);
	if (anker_kernel_version(version, sizeof(version)) < 0) {
		printf("anker:    not an Anker kernel (%s: %s)\n", ANKER_SYSFS_DIR,
		       strerror(errno));
		return 1;
	}
	printf("anker:    %s (libanker %s)\n", version, anker_lib_version());
	printf("features:\n");
	if (anker_features(print_feature, &n) < 0) {
		printf("  cannot list %s: %s\n", ANKER_FEATURES_DIR, strerror(errno));
		return 1;
	}
	if (!n)
		printf("  (none)\n");
	return 0;
}
