// SPDX-License-Identifier: GPL-2.0
/*
 * krun-call: make one Krun MSR system call and print its outcome: "ok", or
 * the errno name (EINVAL, EPERM, EOPNOTSUPP...). Exit status 0 on success,
 * 1 on an error, 2 usage. For the shell tests (run under setpriv).
 *   krun-call read N | reset N | configure N
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anker.h"

int main(int argc, char **argv)
{
	uint64_t *a, *m, *c;
	long ret;
	int n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s read|reset|configure N\n", argv[0]);
		return 2;
	}
	n = atoi(argv[2]);
	if (!strcmp(argv[1], "read")) {
		size_t len = n > 0 ? n : 1;

		a = calloc(len, 8);
		m = calloc(len, 8);
		c = calloc(len, 8);
		ret = krun_read_msrs(n, false, a, m, c);
	} else if (!strcmp(argv[1], "reset")) {
		ret = krun_reset_msrs(n);
	} else if (!strcmp(argv[1], "configure")) {
		ret = krun_configure(n);
	} else {
		fprintf(stderr, "usage: %s read|reset|configure N\n", argv[0]);
		return 2;
	}
	if (ret == 0) {
		printf("ok\n");
		return 0;
	}
	printf("%s\n", strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	return 1;
}
