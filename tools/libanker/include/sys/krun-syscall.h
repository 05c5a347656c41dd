/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <sys/krun-syscall.h>: the names the Krun benchmarking system's
 * libkruntime uses for the Krun MSR system calls. Installed where Krun
 * expects it (/usr/include/x86_64-linux-gnu/sys/ with PREFIX=/usr). The
 * numbers themselves come from the kernel's <linux/anker.h>; there is no
 * second copy of them here.
 *
 *   syscall(SYSCALL_KRUN_READ_MSRS, n_cores, ctr1_first, aperfs, mperfs, ctr1s)
 *   syscall(SYSCALL_KRUN_RESET_MSRS, n_cores)
 *   syscall(SYSCALL_KRUN_CONFIGURE, n_cores)
 */
#ifndef __KRUN_KERNEL_H
#define __KRUN_KERNEL_H

#include <linux/anker.h>

#ifdef ANKER_NR_krun_read_msrs
#define SYSCALL_KRUN_READ_MSRS	ANKER_NR_krun_read_msrs
#define SYSCALL_KRUN_RESET_MSRS	ANKER_NR_krun_reset_msrs
#define SYSCALL_KRUN_CONFIGURE	ANKER_NR_krun_configure
#endif

#endif /* __KRUN_KERNEL_H */
