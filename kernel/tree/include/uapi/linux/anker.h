/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Anker: the user-space ABI of the Anker kernel extensions.
 *
 * The system call numbers below are the only copy of them; the kernel checks
 * at build time that arch/x86/entry/syscalls/syscall_64.tbl agrees.
 */
#ifndef _UAPI_LINUX_ANKER_H
#define _UAPI_LINUX_ANKER_H

#include <linux/types.h>

#define ANKER_VERSION		"0.1"

/* Where the running kernel lists its Anker features, one file each. */
#define ANKER_SYSFS_DIR		"/sys/kernel/anker"
#define ANKER_FEATURES_DIR	ANKER_SYSFS_DIR "/features"

#if defined(__x86_64__) && !defined(__ILP32__)
/* Krun ABI (kept as in the Krun kernel so libkruntime works unchanged) */
#define ANKER_NR_krun_read_msrs		900
#define ANKER_NR_krun_reset_msrs	901
#define ANKER_NR_krun_configure		902
/* vmcopy */
#define ANKER_NR_vmcopy			910
/* cooperative scheduling */
#define ANKER_NR_sched_penalty		920
#define ANKER_NR_task_park		921
#define ANKER_NR_task_unpark		922
/* extents */
#define ANKER_NR_extents_ctl		930
#endif

/* vmcopy() flags */
#define VMCOPY_FIXED		0x1	/* place the copy at dst, replacing */
#define VMCOPY_FIXED_NOREPLACE	0x2	/* place at dst; EEXIST if occupied */

/*
 * Cooperative scheduling (Documentation/anker/cosched.rst).
 *
 * sched_penalty(tid, penalty, flags): the thread's vruntime advances
 * (100 + penalty)/100 times as fast as it runs; 0 clears the penalty.
 */
#define SCHED_PENALTY_MAX	10000	/* percent: vruntime 101x as fast */
#define SCHED_PENALTY_GET	0x1	/* return the penalty, change nothing */

/* task_park(tid, flags) / task_unpark(tid, flags) */
#define TASK_PARK_NOWAIT	0x1	/* do not wait until the thread is parked */
#define TASK_PARK_QUERY		0x2	/* return TASK_PARK_STATE_*, change nothing */

/* what task_park(tid, TASK_PARK_QUERY) returns */
#define TASK_PARK_STATE_NONE	0	/* not parked, no park pending */
#define TASK_PARK_STATE_PENDING	1	/* parks when it next returns to user mode */
#define TASK_PARK_STATE_PARKED	2	/* parked */

/* for all three calls: tid is a pidfd (PIDFD_THREAD: that thread) */
#define COSCHED_PIDFD		0x80000000

/*
 * extents_ctl(pid, op, flags, arg) operations (pid 0: the caller).
 * See Documentation/anker/extents.rst.
 */
#define EXTENTS_DISABLE		0	/* stop tracking, drop the set */
#define EXTENTS_ENABLE		1	/* track; fills the set from the page tables */
#define EXTENTS_STATUS		2	/* 1 if tracked, else 0 */
#define EXTENTS_CHECK		3	/* compare with a page-table walk, arg: */
#define EXTENTS_SYNC		4	/* add what a page-table walk finds */

/* EXTENTS_CHECK results (the return value) */
#define EXTENTS_EQUAL		0	/* the set equals the walk */
#define EXTENTS_SUBSET		1	/* a strict subset of the walk */
#define EXTENTS_WRONG		2	/* holds something the walk does not */

/* EXTENTS_CHECK's argument: [start, end) in, the rest out. */
struct extents_check {
	__u64 start;		/* range to compare; 0, 0: everything */
	__u64 end;
	__u64 tracked_extents;	/* extents of the set in the range */
	__u64 tracked_bytes;
	__u64 walk_extents;	/* extents the walk finds in the range */
	__u64 walk_bytes;
	__u64 missing_bytes;	/* in the walk but not in the set */
	__u64 wrong_bytes;	/* in the set but not (so) in the walk */
};

#endif /* _UAPI_LINUX_ANKER_H */
