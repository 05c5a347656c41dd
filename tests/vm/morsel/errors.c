// SPDX-License-Identifier: GPL-2.0
/* Morsels: bad input and its errnos; who may use /dev/morsel. */
#include <sys/syscall.h>
#include "mor.h"

static int create_errors(void)
{
	struct morsel_create c = { .size = 2 * MB, .level = MORSEL_LEVEL_PMD };
	int dev = open(MORSEL_DEVICE, O_RDWR);

	CHECK(dev >= 0, "open %s: %s", MORSEL_DEVICE, strerror(errno));
	CHECK_ERR(morsel_new(0, MORSEL_LEVEL_PMD, 0), EINVAL);
	CHECK_ERR(morsel_new(MB, MORSEL_LEVEL_PMD, 0), EINVAL);
	CHECK_ERR(morsel_new(3 * MB, MORSEL_LEVEL_PMD, 0), EINVAL);
	CHECK_ERR(morsel_new(2 * MB, MORSEL_LEVEL_PUD, 0), EINVAL);
	CHECK_ERR(morsel_new(2 * MB, 0, 0), EINVAL);
	CHECK_ERR(morsel_new(2 * MB, 3, 0), EINVAL);
	CHECK_ERR(morsel_new(2 * MB, MORSEL_LEVEL_PMD, 0x100), EINVAL);
	CHECK_ERR(morsel_new(1ULL << 50, MORSEL_LEVEL_PMD, 0), E2BIG);
	CHECK_ERR(ioctl(dev, MORSEL_CREATE, NULL), EFAULT);
	CHECK_ERR(ioctl(dev, MORSEL_INFO, &c), ENOTTY);
	CHECK_ERR(ioctl(dev, _IO(MORSEL_IOC_MAGIC, 0x7f), 0), ENOTTY);
	return 0;
}

static int cloexec_flag(void)
{
	int fd = morsel_new(2 * MB, MORSEL_LEVEL_PMD, MORSEL_CLOEXEC);
	int fd2 = morsel_new(2 * MB, MORSEL_LEVEL_PMD, 0);

	CHECK(fd >= 0 && fd2 >= 0, "create: %s", strerror(errno));
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "MORSEL_CLOEXEC not set");
	CHECK(fcntl(fd2, F_GETFD) == 0, "cloexec without the flag");
	return 0;
}

static int info_errors(void)
{
	int fd = morsel_new(2 * MB, MORSEL_LEVEL_PMD, 0);
	struct morsel_create c;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	CHECK_ERR(ioctl(fd, MORSEL_INFO, NULL), EFAULT);
	CHECK_ERR(ioctl(fd, MORSEL_CREATE, &c), ENOTTY);
	return 0;
}

static int mmap_errors(void)
{
	size_t len = 4 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	char *hole;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	CHECK_ERR(mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0),
		  EINVAL);
	CHECK_ERR(mmap(NULL, MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
		  EINVAL);
	CHECK_ERR(mmap(NULL, 2 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       PG), EINVAL);
	CHECK_ERR(mmap(NULL, 2 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       4 * MB), ENXIO);
	CHECK_ERR(mmap(NULL, 6 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       0), ENXIO);
	CHECK_ERR(mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0), EACCES);
	CHECK_ERR(mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_SHARED, fd, 0), EPERM);
	/* a fixed address off the unit */
	hole = mmap(NULL, 8 * MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(hole != MAP_FAILED, "reserve");
	hole = (char *)(((uintptr_t)hole + 2 * MB - 1) & ~(2 * MB - 1));
	CHECK_ERR(mmap(hole + PG, 2 * MB, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED, fd, 0), EINVAL);
	CHECK(mmap(hole, 2 * MB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		   fd, 0) == hole, "aligned fixed mmap: %s", strerror(errno));
	return 0;
}

static int mprotect_mremap_refused(void)
{
	size_t len = 4 * MB;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	char *p, *r;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len, 21);
	CHECK_ERR(mprotect(p, PG, PROT_READ), EINVAL);
	CHECK_ERR(mprotect(p, len, PROT_READ), EINVAL);
	CHECK_ERR(mprotect(p, len, PROT_NONE), EINVAL);
	CHECK_ERR(mprotect(p, len, PROT_READ | PROT_WRITE | PROT_EXEC), EACCES);
	CHECK(!mprotect(p, len, PROT_READ | PROT_WRITE),
	      "mprotect to the same protection: %s", strerror(errno));
	CHECK_ERR(mremap(p, len, 2 * len, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERR(mremap(p, len, len / 2, 0), EINVAL);
	CHECK_ERR(mremap(p, 2 * MB, 2 * MB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP),
		  EINVAL);
	r = mmap(NULL, 8 * MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r != MAP_FAILED, "reserve");
	r = (char *)(((uintptr_t)r + 2 * MB - 1) & ~(2 * MB - 1));
	CHECK_ERR(mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, r), EINVAL);
	CHECK(!check_pages(p, len, 21), "data after refused calls");
	return 0;
}

/* /dev/morsel is 0666: any user may create; memory goes to its memcg */
static int unprivileged_user(void)
{
	struct stat st;
	pid_t pid;

	CHECK(!stat(MORSEL_DEVICE, &st), "stat: %s", strerror(errno));
	CHECK((st.st_mode & 0777) == 0666, "mode %o", st.st_mode & 0777);
	pid = fork();
	if (!pid) {
		char *p;
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		fd = morsel_new(4 * MB, MORSEL_LEVEL_PMD, MORSEL_POPULATE);
		if (fd < 0)
			_exit(4);
		p = mmor(fd, 4 * MB, 0);
		if (p == MAP_FAILED)
			_exit(5);
		fill_pages(p, 4 * MB, 22);
		_exit(check_pages(p, 4 * MB, 22) ? 6 : 0);
	}
	CHECK(waitok(pid), "uid 65534");
	return 0;
}

int main(void)
{
	static const struct mor_case cases[] = {
		{ "MORSEL_CREATE: bad size, level, flags, pointer", create_errors },
		{ "MORSEL_CLOEXEC", cloexec_flag },
		{ "MORSEL_INFO: bad pointer, wrong fd", info_errors },
		{ "mmap: MAP_PRIVATE, length, offset, protection, address", mmap_errors },
		{ "mprotect and mremap refused, data intact", mprotect_mremap_refused },
		{ "an unprivileged user creates and maps", unprivileged_user },
	};

	return mor_run(cases, sizeof(cases) / sizeof(cases[0]));
}
