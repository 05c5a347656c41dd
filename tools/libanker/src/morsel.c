// SPDX-License-Identifier: LGPL-2.1-or-later
/* Morsels: /dev/morsel and the morsel fd's ioctls. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "anker.h"

int anker_morsel_create(uint64_t size, unsigned int level, unsigned int flags)
{
	struct morsel_create c = { .size = size, .level = level,
				   .flags = flags };
	int dev, fd, e;

	dev = open(MORSEL_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -1;
	fd = ioctl(dev, MORSEL_CREATE, &c);
	e = errno;
	close(dev);
	errno = e;
	return fd;
}

void *anker_morsel_map(int fd, size_t len, off_t off)
{
	/* the kernel places it on a unit boundary */
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
}

int anker_morsel_info(int fd, struct morsel_info *info)
{
	return ioctl(fd, MORSEL_INFO, info);
}
