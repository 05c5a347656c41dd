// SPDX-License-Identifier: GPL-2.0
/*
 * The Anker system call numbers: -ENOSYS for every feature configured out,
 * and a build-time check that the syscall table and uapi/linux/anker.h agree.
 * Like kernel/sys_ni.c, this cannot include <linux/syscalls.h>.
 */
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/linkage.h>
#include <uapi/linux/anker.h>
#include <asm/unistd.h>

#ifdef CONFIG_ARCH_HAS_SYSCALL_WRAPPER
#include <asm/syscall_wrapper.h>
#endif

asmlinkage long sys_ni_syscall(void);

#ifdef ANKER_NR_vmcopy
static_assert(__NR_krun_read_msrs == ANKER_NR_krun_read_msrs);
static_assert(__NR_krun_reset_msrs == ANKER_NR_krun_reset_msrs);
static_assert(__NR_krun_configure == ANKER_NR_krun_configure);
static_assert(__NR_vmcopy == ANKER_NR_vmcopy);
static_assert(__NR_sched_penalty == ANKER_NR_sched_penalty);
static_assert(__NR_task_park == ANKER_NR_task_park);
static_assert(__NR_task_unpark == ANKER_NR_task_unpark);
static_assert(__NR_extents_ctl == ANKER_NR_extents_ctl);
#endif

/* As in kernel/sys_ni.c: the -ENOSYS stubs call it. */
asmlinkage long sys_ni_syscall(void);

COND_SYSCALL(krun_read_msrs);
COND_SYSCALL(krun_reset_msrs);
COND_SYSCALL(krun_configure);
COND_SYSCALL(vmcopy);
COND_SYSCALL(sched_penalty);
COND_SYSCALL(task_park);
COND_SYSCALL(task_unpark);
COND_SYSCALL(extents_ctl);
