// SPDX-License-Identifier: LGPL-2.1-or-later
/* Discovering the running kernel's Anker features through sysfs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anker.h"

const char *anker_lib_version(void)
{
	return ANKER_VERSION;
}

/* Read the first line of path into buf, without its newline. */
static int read_line(const char *path, char *buf, size_t len)
{
	char tmp[256];
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, tmp, sizeof(tmp) - 1);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	tmp[n] = '\0';
	tmp[strcspn(tmp, "\n")] = '\0';
	if (buf && len) {
		strncpy(buf, tmp, len - 1);
		buf[len - 1] = '\0';
	}
	return 0;
}

int anker_kernel_version(char *buf, size_t len)
{
	return read_line(ANKER_SYSFS_DIR "/version", buf, len);
}

int anker_feature(const char *name, char *buf, size_t len)
{
	char path[512];

	if (!name || !*name || strchr(name, '/')) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", ANKER_FEATURES_DIR, name);
	return read_line(path, buf, len);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int anker_features(int (*fn)(const char *name, const char *status, void *arg),
		   void *arg)
{
	struct dirent **list;
	char status[256];
	int n, i, ret = 0;

	n = scandir(ANKER_FEATURES_DIR, &list, not_dot, by_name);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (!ret && anker_feature(list[i]->d_name, status, sizeof(status)) == 0)
			ret = fn(list[i]->d_name, status, arg);
		free(list[i]);
	}
	free(list);
	return ret;
}
