// SPDX-License-Identifier: LGPL-2.1-or-later
/* Cooperative scheduling wrappers (Documentation/anker/cosched.rst). */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "anker.h"

#ifdef ANKER_NR_sched_penalty
int sched_penalty(pid_t tid, unsigned int penalty, unsigned int flags)
{
	return syscall(ANKER_NR_sched_penalty, tid, penalty, flags);
}

int task_park(pid_t tid, unsigned int flags)
{
	return syscall(ANKER_NR_task_park, tid, flags);
}

int task_unpark(pid_t tid, unsigned int flags)
{
	return syscall(ANKER_NR_task_unpark, tid, flags);
}
#else
/* Not x86_64: the system calls do not exist. */
int sched_penalty(pid_t tid, unsigned int penalty, unsigned int flags)
{
	errno = ENOSYS;
	return -1;
}

int task_park(pid_t tid, unsigned int flags)
{
	errno = ENOSYS;
	return -1;
}

int task_unpark(pid_t tid, unsigned int flags)
{
	errno = ENOSYS;
	return -1;
}
#endif

int sched_penalty_get(pid_t tid)
{
	return sched_penalty(tid, 0, SCHED_PENALTY_GET);
}

int task_park_state(pid_t tid)
{
	return task_park(tid, TASK_PARK_QUERY);
}
