// SPDX-License-Identifier: GPL-2.0
/* extents_ctl() bad input and permission rules, /proc/PID/extents access. */
#include <sys/prctl.h>
#include "ext.h"

#define NOBODY 65534

static int t_bad_op(void)
{
	CHECK(extents_ctl(0, 99, 0, NULL) == -1 && errno == EINVAL, "op 99: %s", strerror(errno));
	CHECK(extents_ctl(0, EXTENTS_SYNC + 1, 0, NULL) == -1 && errno == EINVAL,
	      "op SYNC+1: %s", strerror(errno));
	return 0;
}

static int t_bad_flags(void)
{
	for (unsigned int op = EXTENTS_DISABLE; op <= EXTENTS_SYNC; op++)
		CHECK(extents_ctl(0, op, 1, NULL) == -1 && errno == EINVAL,
		      "op %u flags 1: %s", op, strerror(errno));
	CHECK(extents_ctl(0, EXTENTS_STATUS, 0x80000000u, NULL) == -1 && errno == EINVAL,
	      "high flag: %s", strerror(errno));
	return 0;
}

static int t_esrch(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);	/* reaped: pid is free now */
	CHECK(extents_ctl(pid, EXTENTS_STATUS, 0, NULL) == -1 && errno == ESRCH,
	      "dead pid: %s", strerror(errno));
	CHECK(extents_ctl(-1, EXTENTS_STATUS, 0, NULL) == -1 && errno == EINVAL,
	      "pid -1: %s", strerror(errno));
	return 0;
}

static int t_kthread(void)
{
	struct anker_extents_summary s;

	/* pid 2 is kthreadd: no address space */
	CHECK(extents_ctl(2, EXTENTS_STATUS, 0, NULL) == -1 && errno == ESRCH,
	      "kthreadd: %s", strerror(errno));
	CHECK(anker_extents_summary(2, &s) == 0 && !s.enabled && !s.extents,
	      "/proc/2/extents: %s", strerror(errno));
	return 0;
}

static int t_check_args(void)
{
	struct extents_check c = { 0 };

	CHECK(anker_extents_check(0, &c) == -1 && errno == ENODATA, "untracked: %s", strerror(errno));
	CHECK(extents_ctl(0, EXTENTS_SYNC, 0, NULL) == -1 && errno == ENODATA,
	      "sync untracked: %s", strerror(errno));
	ENABLE();
	c.start = 4096 + 1;
	c.end = 8192;
	CHECK(anker_extents_check(0, &c) == -1 && errno == EINVAL, "unaligned: %s", strerror(errno));
	c.start = 8192;
	c.end = 4096;
	CHECK(anker_extents_check(0, &c) == -1 && errno == EINVAL, "end < start: %s", strerror(errno));
	CHECK(anker_extents_check(0, (void *)8) == -1 && errno == EFAULT, "bad pointer: %s",
	      strerror(errno));
	CHECK(anker_extents_check(0, NULL) == -1 && errno == EFAULT, "NULL: %s", strerror(errno));
	return 0;
}

/* Run fn as uid/gid 65534 in a child; its exit status. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(3);
		_exit(fn(arg));
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 4;
}

static int nobody_ops(void *arg)
{
	pid_t target = *(pid_t *)arg;
	struct extents_check c = { 0 };
	char path[64];
	int fd;

	for (unsigned int op = EXTENTS_DISABLE; op <= EXTENTS_SYNC; op++) {
		errno = 0;
		if (extents_ctl(target, op, 0, op == EXTENTS_CHECK ? &c : NULL) != -1 ||
		    errno != EPERM) {
			printf("# op %u on root's process: %s\n", op, strerror(errno));
			return 1;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/extents", target);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		char buf[64];

		if (read(fd, buf, sizeof(buf)) >= 0) {
			printf("# read root's %s\n", path);
			return 1;
		}
		if (errno != EACCES && errno != EPERM) {
			printf("# read: %s\n", strerror(errno));
			return 1;
		}
		close(fd);
	} else if (errno != EACCES && errno != EPERM) {
		printf("# open: %s\n", strerror(errno));
		return 1;
	}
	/* Its own process: allowed, and the physical addresses are hidden */
	if (anker_extents_enable(0)) {
		printf("# enable self: %s\n", strerror(errno));
		return 1;
	}
	{
		struct ext_line l[4] = { 0 };
		char *p = map_anon(PG);
		int n;

		p[0] = 1;
		n = ext_lines(0, (uintptr_t)p, (uintptr_t)p + PG, l, 4);
		if (n != 1 || l[0].pa != 0) {
			printf("# own extent: %d lines, pa %#llx\n", n, n ? l[0].pa : 0);
			return 1;
		}
	}
	return 0;
}

static int t_eperm(void)
{
	pid_t self = getpid();
	int rc;

	if (getuid())
		return skip("needs root to drop to uid 65534");
	ENABLE();
	rc = as_nobody(nobody_ops, &self);
	CHECK(rc == 0, "unprivileged child: %d", rc);
	CHECK(anker_extents_status(0) == 1, "tracking of root's process changed");
	return 0;
}

/* Root (CAP_SYS_ADMIN) sees the physical address, equal to pagemap's. */
static int t_phys(void)
{
	struct ext_line l[4];
	char *p;
	uint64_t pfn;
	int n;

	if (getuid())
		return skip("needs root");
	ENABLE();
	p = map_anon(PG);
	p[0] = 1;
	pfn = pfn_of(p);
	n = ext_lines(0, (uintptr_t)p, (uintptr_t)p + PG, l, 4);
	CHECK(n == 1, "%d lines", n);
	CHECK(pfn && l[0].pa + ((uintptr_t)p - l[0].start) == pfn * PG,
	      "pa %#llx, pagemap pfn %#llx", l[0].pa, (unsigned long long)pfn);
	return 0;
}

/* Root acts on another process (a child): enable, check, disable. */
static int t_other(void)
{
	struct extents_check c = { 0 };
	int pipefd[2];
	pid_t pid;
	char x;

	CHECK(pipe(pipefd) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		char *p = map_anon(16 * PG);

		touch(p, 16 * PG);
		if (read(pipefd[0], &x, 1) < 0)
			_exit(1);
		_exit(0);
	}
	usleep(100000);
	CHECK(extents_ctl(pid, EXTENTS_ENABLE, 0, NULL) == 0, "enable child: %s", strerror(errno));
	CHECK(extents_ctl(pid, EXTENTS_STATUS, 0, NULL) == 1, "child status");
	CHECK(extents_ctl(pid, EXTENTS_CHECK, 0, &c) == EXTENTS_EQUAL, "child check");
	CHECK(anker_extents_status(0) == 0, "the caller got tracked");
	CHECK(extents_ctl(pid, EXTENTS_DISABLE, 0, NULL) == 0, "disable child");
	CHECK(extents_ctl(pid, EXTENTS_STATUS, 0, NULL) == 0, "child status after disable");
	CHECK(write(pipefd[1], "x", 1) == 1, "pipe");
	waitpid(pid, NULL, 0);
	return 0;
}

static const struct ext_case cases[] = {
	{ "unknown op: EINVAL", t_bad_op },
	{ "unknown flags: EINVAL", t_bad_flags },
	{ "no such process: ESRCH; negative pid: EINVAL", t_esrch },
	{ "kernel thread: ESRCH, its file empty", t_kthread },
	{ "CHECK/SYNC arguments: ENODATA, EINVAL, EFAULT", t_check_args },
	{ "uid 65534 on root's process: EPERM, /proc file refused, own allowed", t_eperm },
	{ "root sees physical addresses (as pagemap)", t_phys },
	{ "root acts on another process", t_other },
};

int main(void)
{
	return ext_run(cases, sizeof(cases) / sizeof(cases[0]));
}
