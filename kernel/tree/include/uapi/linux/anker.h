/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Anker: the user-space ABI of the Anker kernel extensions.
 *
 * The system call numbers below are the only copy of them; the kernel checks
 * at build time that arch/x86/entry/syscalls/syscall_64.tbl agrees.
 */
#ifndef _UAPI_LINUX_ANKER_H
#define _UAPI_LINUX_ANKER_H

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
#endif

/* vmcopy() flags */
#define VMCOPY_FIXED		0x1	/* place the copy at dst, replacing */
#define VMCOPY_FIXED_NOREPLACE	0x2	/* place at dst; EEXIST if occupied */

#endif /* _UAPI_LINUX_ANKER_H */
