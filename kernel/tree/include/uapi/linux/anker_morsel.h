/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Morsels: memory objects made of whole page-table subtrees
 * (CONFIG_ANKER_MORSEL, Documentation/anker/morsel.rst).
 *
 * ioctl(open("/dev/morsel"), MORSEL_CREATE, &create) returns a morsel fd;
 * mmap(MAP_SHARED) of that fd maps it one page-table entry per unit.
 */
#ifndef _UAPI_LINUX_ANKER_MORSEL_H
#define _UAPI_LINUX_ANKER_MORSEL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MORSEL_DEVICE		"/dev/morsel"

/* struct morsel_create.level: the level of the entry a mapping installs */
#define MORSEL_LEVEL_PMD	1	/* 2 MiB units: one PTE table each */
#define MORSEL_LEVEL_PUD	2	/* 1 GiB units: one PMD table each */

/* struct morsel_create.flags */
#define MORSEL_POPULATE		0x1	/* allocate every page now */
#define MORSEL_CLOEXEC		0x2	/* the new fd gets FD_CLOEXEC */
#define MORSEL_FLAGS_ALL	(MORSEL_POPULATE | MORSEL_CLOEXEC)

struct morsel_create {
	__u64 size;		/* bytes, a multiple of the unit */
	__u32 level;		/* MORSEL_LEVEL_* */
	__u32 flags;		/* MORSEL_* flags */
};

struct morsel_info {
	__u64 size;		/* bytes */
	__u32 level;		/* MORSEL_LEVEL_* */
	__u32 flags;		/* flags at creation */
	__u64 unit;		/* bytes of one unit */
	__u64 resident;		/* pages allocated (mapped for every mapper) */
	__u64 mappers;		/* mappings (VMAs) of it, over all processes */
	__u64 table_pages;	/* page-table pages the morsel owns */
};

#define MORSEL_IOC_MAGIC	0xB9
/* on /dev/morsel: returns a new morsel fd */
#define MORSEL_CREATE		_IOW(MORSEL_IOC_MAGIC, 0x00, struct morsel_create)
/* on a morsel fd */
#define MORSEL_INFO		_IOR(MORSEL_IOC_MAGIC, 0x01, struct morsel_info)

#endif /* _UAPI_LINUX_ANKER_MORSEL_H */
