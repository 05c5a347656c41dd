// SPDX-License-Identifier: GPL-2.0
/*
 * anker-demo FEATURE: show one Anker feature working, in a few lines.
 * Exit status: the demo's (0 when it worked), 1 when the running kernel
 * lacks the feature, 2 for a feature without a demo.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "anker.h"
#include "guide.h"

static int usage(const char *prog, FILE *f)
{
	const struct anker_guide *g;

	fprintf(f, "usage: %s FEATURE\nfeatures with a demo:", prog);
	for (g = anker_guides; g->name; g++)
		if (g->demo)
			fprintf(f, " %s", g->name);
	fprintf(f, "\n");
	return 2;
}

int main(int argc, char **argv)
{
	const struct anker_guide *g;

	if (argc != 2 || argv[1][0] == '-')
		return usage(argv[0], argc == 2 && !strcmp(argv[1], "-h") ? stdout : stderr);
	g = anker_guide(argv[1]);
	if (!g || !g->demo) {
		fprintf(stderr, "%s: no demo of '%s'\n", argv[0], argv[1]);
		return usage(argv[0], stderr);
	}
	if (anker_feature(g->name, NULL, 0) < 0) {
		fprintf(stderr, "%s: the running kernel has no feature %s (%s)\n",
			argv[0], g->name, strerror(errno));
		return 1;
	}
	return g->demo();
}
