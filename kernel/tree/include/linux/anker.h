/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_ANKER_H
#define _LINUX_ANKER_H

#include <linux/compiler_attributes.h>
#include <uapi/linux/anker.h>

/*
 * anker_feature_add - list a feature under /sys/kernel/anker/features/
 * @name: file name, e.g. "vmcopy"
 * @fmt: one line of status text, e.g. "syscall 910"
 *
 * Call from an initcall at device_initcall level or later.
 */
__printf(2, 3) int anker_feature_add(const char *name, const char *fmt, ...);

#endif /* _LINUX_ANKER_H */
