/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libanker: user-space wrappers of the Anker kernel extensions.
 *
 * The system call numbers and flags come from the kernel's own uapi header
 * <linux/anker.h> (installed by `make headers_install`).
 */
#ifndef ANKER_H
#define ANKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/anker.h>
#include <linux/anker_morsel.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The Anker version libanker was built for (ANKER_VERSION of its headers). */
const char *anker_lib_version(void);

/*
 * The Anker version of the running kernel, copied into buf.
 * Returns 0, or -1 with errno ENOENT when the kernel is not an Anker kernel.
 */
int anker_kernel_version(char *buf, size_t len);

/*
 * Whether the running kernel has feature @name (a file of
 * /sys/kernel/anker/features/). On 0, buf (if not NULL) holds its status
 * line. Returns -1 with errno ENOENT when the feature is absent.
 */
int anker_feature(const char *name, char *buf, size_t len);

/*
 * Calls fn(name, status, arg) for each feature of the running kernel, in
 * name order; stops early when fn returns non-zero and returns that value.
 * Returns 0, or -1 with errno set (ENOENT: not an Anker kernel).
 */
int anker_features(int (*fn)(const char *name, const char *status, void *arg),
		   void *arg);

/*
 * vmcopy(): a copy-on-write virtual copy of [src, src+len), placed by the
 * kernel. Returns the copy's address, or MAP_FAILED with errno set.
 */
void *vmcopy(void *src, size_t len);

/* vmcopy() with the kernel's dst and flags (VMCOPY_FIXED...). */
void *vmcopy_to(void *src, size_t len, void *dst, unsigned int flags);

/* The Krun MSR system calls (Krun ABI); -1 with errno on error. */
long krun_read_msrs(int n_cores, bool ctr1_first, uint64_t *aperfs,
		    uint64_t *mperfs, uint64_t *ctr1s);
long krun_reset_msrs(int n_cores);
long krun_configure(int n_cores);

/*
 * Cooperative scheduling (Documentation/anker/cosched.rst). tid 0 is the
 * calling thread; COSCHED_PIDFD in flags makes tid a pidfd. All return -1
 * with errno set on error.
 *
 * sched_penalty(): the thread's vruntime advances (100 + penalty)/100 as
 * fast as it runs (penalty 0..SCHED_PENALTY_MAX, 0 clears); returns 0.
 * sched_penalty_get(): its current penalty.
 */
int sched_penalty(pid_t tid, unsigned int penalty, unsigned int flags);
int sched_penalty_get(pid_t tid);

/*
 * task_park(): take the thread off the run queues at its next return to
 * user mode; waits until it is parked unless TASK_PARK_NOWAIT. 0 on
 * success. task_unpark(): let it run again. task_park_state(): one of
 * TASK_PARK_STATE_NONE, _PENDING, _PARKED.
 */
int task_park(pid_t tid, unsigned int flags);
int task_unpark(pid_t tid, unsigned int flags);
int task_park_state(pid_t tid);

/*
 * Extents (Documentation/anker/extents.rst): extents_ctl() runs op
 * (EXTENTS_ENABLE, _DISABLE, _STATUS, _CHECK, _SYNC) on process pid (0: the
 * caller). Returns the kernel's result (>= 0), or -1 with errno set.
 */
long extents_ctl(int pid, unsigned int op, unsigned int flags, void *arg);
int anker_extents_enable(int pid);
int anker_extents_disable(int pid);
/* 1 if pid's extents are tracked, 0 if not, -1 on error */
int anker_extents_status(int pid);
/* EXTENTS_EQUAL, _SUBSET or _WRONG, c filled in; -1 on error */
int anker_extents_check(int pid, struct extents_check *c);

/* The summary of /proc/PID/extents */
struct anker_extents_summary {
	int enabled;
	uint64_t extents;	/* number of extents */
	uint64_t resident;	/* bytes they cover */
	uint64_t rss;		/* the process's resident memory, bytes */
	double top[4];		/* % of resident covered by the largest 8/32/128/512 */
};

/* Reads the summary of process pid (0: self); -1 with errno on error. */
int anker_extents_summary(int pid, struct anker_extents_summary *s);

/*
 * Morsels (Documentation/anker/morsel.rst): anker_morsel_create() opens
 * /dev/morsel and returns a new morsel fd of size bytes, level
 * MORSEL_LEVEL_PMD (2 MiB units) or MORSEL_LEVEL_PUD (1 GiB units),
 * MORSEL_POPULATE / MORSEL_CLOEXEC flags; -1 with errno on error.
 * anker_morsel_map() maps len bytes of it from offset off, read-write and
 * shared, at an address aligned to the unit (MAP_FAILED on error).
 * anker_morsel_info() fills *info (size, level, resident pages, mappers).
 */
int anker_morsel_create(uint64_t size, unsigned int level, unsigned int flags);
void *anker_morsel_map(int fd, size_t len, off_t off);
int anker_morsel_info(int fd, struct morsel_info *info);

#ifdef __cplusplus
}
#endif

#endif /* ANKER_H */
