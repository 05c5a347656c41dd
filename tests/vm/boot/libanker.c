// SPDX-License-Identifier: GPL-2.0
/* libanker's feature discovery against the running kernel. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "anker.h"

static int n;

static void ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
}

static int count(const char *name, const char *status, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int stop_at_first(const char *name, const char *status, void *arg)
{
	return 42;
}

int main(void)
{
	char buf[64];
	struct dirent *d;
	int seen = 0, want = 0;
	DIR *dir;

	printf("1..6\n");
	ok(anker_kernel_version(buf, sizeof(buf)) == 0 && !strcmp(buf, ANKER_VERSION),
	   "anker_kernel_version() is the headers' ANKER_VERSION");
	errno = 0;
	ok(anker_feature("no-such-feature", buf, sizeof(buf)) == -1 && errno == ENOENT,
	   "an absent feature is -1 with ENOENT");
	errno = 0;
	ok(anker_feature("../version", buf, sizeof(buf)) == -1 && errno == EINVAL,
	   "a feature name with a slash is -1 with EINVAL");
	dir = opendir(ANKER_FEATURES_DIR);
	while (dir && (d = readdir(dir)))
		want += d->d_name[0] != '.';
	if (dir)
		closedir(dir);
	ok(anker_features(count, &seen) == 0 && seen == want,
	   "anker_features() visits every feature file once");
	ok(want == 0 || anker_features(stop_at_first, NULL) == 42,
	   "anker_features() stops at a non-zero return and passes it on");
	ok(anker_kernel_version(buf, 1) == 0 && buf[0] == '\0',
	   "a short buffer is terminated, not overrun");
	return 0;
}
