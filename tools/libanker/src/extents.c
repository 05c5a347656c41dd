// SPDX-License-Identifier: LGPL-2.1-or-later
/* Extents: the extents_ctl() wrappers and the /proc/PID/extents summary. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "anker.h"

long extents_ctl(int pid, unsigned int op, unsigned int flags, void *arg)
{
#ifdef ANKER_NR_extents_ctl
	return syscall(ANKER_NR_extents_ctl, pid, op, flags, arg);
#else
	errno = ENOSYS;
	return -1;
#endif
}

int anker_extents_enable(int pid)
{
	return extents_ctl(pid, EXTENTS_ENABLE, 0, NULL);
}

int anker_extents_disable(int pid)
{
	return extents_ctl(pid, EXTENTS_DISABLE, 0, NULL);
}

int anker_extents_status(int pid)
{
	return extents_ctl(pid, EXTENTS_STATUS, 0, NULL);
}

int anker_extents_check(int pid, struct extents_check *c)
{
	return extents_ctl(pid, EXTENTS_CHECK, 0, c);
}

int anker_extents_summary(int pid, struct anker_extents_summary *s)
{
	static const char *const tops[] = { "top8", "top32", "top128", "top512" };
	char path[64], line[256], key[32];
	unsigned long long v;
	int got = 0;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/extents", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/extents");
	f = fopen(path, "r");
	if (!f)
		return -1;
	memset(s, 0, sizeof(*s));
	while (fgets(line, sizeof(line), f)) {
		double d;

		if (sscanf(line, "%31s", key) != 1 || strchr(key, '-'))
			break;	/* the extent lines follow the summary */
		if (!strcmp(key, "enabled") && sscanf(line, "%*s %llu", &v) == 1)
			s->enabled = v, got++;
		else if (!strcmp(key, "extents") && sscanf(line, "%*s %llu", &v) == 1)
			s->extents = v, got++;
		else if (!strcmp(key, "resident") && sscanf(line, "%*s %llu", &v) == 1)
			s->resident = v, got++;
		else if (!strcmp(key, "rss") && sscanf(line, "%*s %llu", &v) == 1)
			s->rss = v, got++;
		else
			for (int i = 0; i < 4; i++)
				if (!strcmp(key, tops[i]) &&
				    sscanf(line, "%*s %lf", &d) == 1)
					s->top[i] = d, got++;
	}
	fclose(f);
	if (got < 8) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}
