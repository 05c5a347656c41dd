/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Anker rswap: the control interface of the rswap block driver, the
 * ioctls of /dev/anker-rswap (mode 0600; every ioctl also needs
 * CAP_SYS_ADMIN, EPERM otherwise).
 *
 * User space (anker-rswap) connects the TCP sockets to rmemd, opens the
 * region on each of them (RSWAP_OP_OPEN, <linux/anker_rswap.h>) and hands
 * the connected sockets to the kernel; from then on the kernel owns them.
 */
#ifndef _UAPI_LINUX_ANKER_RSWAP_CTL_H
#define _UAPI_LINUX_ANKER_RSWAP_CTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define ANKER_RSWAP_CTL_DEV	"/dev/anker-rswap"
#define ANKER_RSWAP_MAX_CONNS	16

/*
 * ANKER_RSWAP_IOC_CONNECT: a new device, or (index >= 0 on input) new
 * connections for the dead device rswap<index> ("reconnect").
 */
struct anker_rswap_connect {
	__u64 size;		/* bytes: > 0, a multiple of 4096 */
	__u32 nconns;		/* 1..ANKER_RSWAP_MAX_CONNS sockets in fds[] */
	__u32 timeout;		/* request timeout in seconds, 0: default */
	__u32 max_payload;	/* the server's largest READ/WRITE, 0: 1 MiB */
	__u32 flags;		/* 0 */
	__s32 index;		/* in: -1 new device, or the device to */
				/* reconnect; out: the device's index */
	__s32 fds[ANKER_RSWAP_MAX_CONNS]; /* connected TCP sockets */
	char name[64];		/* region name (for display), NUL terminated */
	char server[64];	/* "host:port" (for display), NUL terminated */
};

#define ANKER_RSWAP_IOC_MAGIC		0xAB
#define ANKER_RSWAP_IOC_CONNECT		_IOWR(ANKER_RSWAP_IOC_MAGIC, 0x40, \
					      struct anker_rswap_connect)
/* argument: the device index (rswap<index>); EBUSY while it is open */
#define ANKER_RSWAP_IOC_DISCONNECT	_IO(ANKER_RSWAP_IOC_MAGIC, 0x41)

#endif /* _UAPI_LINUX_ANKER_RSWAP_CTL_H */
