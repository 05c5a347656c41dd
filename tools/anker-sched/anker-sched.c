// SPDX-License-Identifier: GPL-2.0
/*
 * anker-sched: cooperative scheduling from the shell.
 *
 *   anker-sched penalty TID P        vruntime of TID runs (100+P)% as fast
 *   anker-sched park TID [--nowait]  take TID off the run queues
 *   anker-sched unpark TID           let it run again
 *   anker-sched show TID             print its penalty and park state
 *
 * Exit status: 0 done, 1 the kernel refused (message names errno),
 * 2 usage error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <anker.h>

static const char usage[] =
	"usage: anker-sched penalty TID P | park TID [--nowait] | unpark TID | show TID\n"
	"  penalty TID P   the thread's vruntime advances (100+P)/100 as fast as it runs;\n"
	"                  P in 0..%d percent, 0 clears (model CPU share vs. one equal\n"
	"                  competitor: 100/(200+P))\n"
	"  park TID        stop the thread at its next return to user mode and keep it off\n"
	"                  the run queues; waits until parked unless --nowait\n"
	"  unpark TID      let a parked thread run again (or cancel a pending park)\n"
	"  show TID        print: tid, penalty, parked (no|pending|yes)\n"
	"TID is a thread id (as in /proc/PID/task/), 0 for anker-sched itself.\n"
	"Exit status: 0 done, 1 the kernel refused (errno shown), 2 usage error.\n";

static int bad_usage(const char *why)
{
	if (why)
		fprintf(stderr, "anker-sched: %s\n", why);
	fprintf(stderr, usage, SCHED_PENALTY_MAX);
	return 2;
}

static int parse_uint(const char *s, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int fail(const char *what, long tid)
{
	int e = errno;

	fprintf(stderr, "anker-sched: %s %ld: %s", what, tid, strerror(e));
	if (e == ENOSYS)
		fprintf(stderr, " (kernel without CONFIG_ANKER_COSCHED)");
	fputc('\n', stderr);
	return 1;
}

int main(int argc, char **argv)
{
	static const char *const states[] = { "no", "pending", "yes" };
	const char *cmd;
	long tid, p;
	int r;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf(usage, SCHED_PENALTY_MAX);
		return 0;
	}
	if (argc < 3)
		return bad_usage(argc < 2 ? NULL : "missing TID");
	cmd = argv[1];
	if (parse_uint(argv[2], INT_MAX, &tid))
		return bad_usage("TID must be a thread id (a number >= 0)");

	if (!strcmp(cmd, "penalty")) {
		if (argc != 4)
			return bad_usage("penalty needs TID and P");
		if (parse_uint(argv[3], SCHED_PENALTY_MAX, &p))
			return bad_usage("P must be a number in 0..10000");
		if (sched_penalty(tid, p, 0))
			return fail("penalty", tid);
		return 0;
	}
	if (!strcmp(cmd, "park")) {
		unsigned int flags = 0;

		if (argc == 4 && !strcmp(argv[3], "--nowait"))
			flags = TASK_PARK_NOWAIT;
		else if (argc != 3)
			return bad_usage("park takes TID and optionally --nowait");
		if (task_park(tid, flags))
			return fail("park", tid);
		return 0;
	}
	if (!strcmp(cmd, "unpark")) {
		if (argc != 3)
			return bad_usage("unpark takes TID");
		if (task_unpark(tid, 0))
			return fail("unpark", tid);
		return 0;
	}
	if (!strcmp(cmd, "show")) {
		if (argc != 3)
			return bad_usage("show takes TID");
		p = sched_penalty_get(tid);
		if (p < 0)
			return fail("show", tid);
		r = task_park_state(tid);
		if (r < 0 || r > 2)
			return fail("show", tid);
		printf("tid %ld penalty %ld parked %s\n", tid, p, states[r]);
		return 0;
	}
	return bad_usage("unknown command");
}
