// SPDX-License-Identifier: GPL-2.0
/* vmcopy() errors: one errno a case. */
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include "vmc.h"

#define EXPECT_ERR(call, err) do {					\
	errno = 0;							\
	void *r_ = (call);						\
	CHECK(r_ == MAP_FAILED && errno == (err),			\
	      "%s: got %p, errno %d (%s), want %s", #call, r_, errno,	\
	      strerror(errno), #err);					\
} while (0)

static char *region(size_t len)
{
	char *p = map_anon(len, MAP_PRIVATE);

	if (p != MAP_FAILED)
		memset(p, 1, len);
	return p;
}

static int t_unknown_flags(void)
{
	char *p = region(PG);

	EXPECT_ERR(vmc(p, PG, NULL, 4), EINVAL);
	EXPECT_ERR(vmc(p, PG, NULL, 0x80000000u), EINVAL);
	EXPECT_ERR(vmc(p, PG, p + 16 * PG, VMCOPY_FIXED | VMCOPY_FIXED_NOREPLACE), EINVAL);
	return 0;
}

static int t_unaligned(void)
{
	char *p = region(2 * PG);

	EXPECT_ERR(vmc(p + 1, PG, NULL, 0), EINVAL);
	EXPECT_ERR(vmc(p + 2048, PG, NULL, 0), EINVAL);
	return 0;
}

static int t_len0(void)
{
	char *p = region(PG);

	EXPECT_ERR(vmc(p, 0, NULL, 0), EINVAL);
	return 0;
}

static int t_overflow(void)
{
	char *p = region(PG);

	EXPECT_ERR(vmc(p, -PG, NULL, 0), EINVAL);
	EXPECT_ERR(vmc(p, (size_t)-1, NULL, 0), EINVAL);
	EXPECT_ERR(vmc(p, ~(uintptr_t)p + 1, NULL, 0), EINVAL);
	return 0;
}

static int t_unmapped(void)
{
	char *p = region(PG);

	munmap(p, PG);
	EXPECT_ERR(vmc(p, PG, NULL, 0), ENOMEM);
	EXPECT_ERR(vmc((void *)(1UL << 46), PG, NULL, 0), ENOMEM);
	return 0;
}

/* A hole: ENOMEM, and nothing is left mapped (no VMA, no destination). */
static int t_hole(void)
{
	char *p = region(8 * PG), *d;
	int before;

	munmap(p + 4 * PG, PG);
	d = map_anon(8 * PG, MAP_PRIVATE);
	munmap(d, 8 * PG);
	before = nr_maps();
	EXPECT_ERR(vmc(p, 8 * PG, NULL, 0), ENOMEM);
	CHECK(nr_maps() == before, "maps changed: %d -> %d", before, nr_maps());
	EXPECT_ERR(vmc(p, 8 * PG, d, VMCOPY_FIXED_NOREPLACE), ENOMEM);
	CHECK(!mapped(d, 8 * PG), "destination mapped");
	EXPECT_ERR(vmc(p, 8 * PG, d, VMCOPY_FIXED), ENOMEM);
	CHECK(!mapped(d, 8 * PG), "destination mapped");
	CHECK(nr_maps() == before, "maps changed: %d -> %d", before, nr_maps());
	/* a hole at the start */
	EXPECT_ERR(vmc(p + 4 * PG, 2 * PG, NULL, 0), ENOMEM);
	return 0;
}

static int t_vm_io_pfnmap(void)
{
	char line[256];
	unsigned long s = 0, e;
	FILE *f = fopen("/proc/self/maps", "r");

	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vvar]")) {
			sscanf(line, "%lx-%lx", &s, &e);
			break;
		}
	fclose(f);
	if (!s)
		return skip("no [vvar] mapping");
	EXPECT_ERR(vmc((void *)s, PG, NULL, 0), EINVAL);
	return 0;
}

static int t_special_vdso(void)
{
	char line[256];
	unsigned long s = 0, e;
	FILE *f = fopen("/proc/self/maps", "r");

	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]")) {
			sscanf(line, "%lx-%lx", &s, &e);
			break;
		}
	fclose(f);
	if (!s)
		return skip("no [vdso] mapping");
	EXPECT_ERR(vmc((void *)s, PG, NULL, 0), EINVAL);
	return 0;
}

static int t_dontcopy(void)
{
	char *p = region(4 * PG);

	CHECK(madvise(p + PG, PG, MADV_DONTFORK) == 0, "madvise");
	EXPECT_ERR(vmc(p, 4 * PG, NULL, 0), EINVAL);
	CHECK(vmc(p + 2 * PG, 2 * PG, NULL, 0) != MAP_FAILED, "rest not copyable");
	return 0;
}

static int t_userfaultfd(void)
{
	char *p = region(4 * PG);
	int fd = syscall(__NR_userfaultfd, O_CLOEXEC);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)p, .len = 4 * PG },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	if (fd < 0)
		return skip("userfaultfd: %s", strerror(errno));
	CHECK(ioctl(fd, UFFDIO_API, &api) == 0, "UFFDIO_API: %s", strerror(errno));
	CHECK(ioctl(fd, UFFDIO_REGISTER, &reg) == 0, "UFFDIO_REGISTER: %s", strerror(errno));
	EXPECT_ERR(vmc(p, 4 * PG, NULL, 0), EINVAL);
	return 0;
}

static int t_max_map_count(void)
{
	long old = read_long("/proc/sys/vm/max_map_count");
	char *p = region(8 * PG);
	void *r;
	int e;

	mprotect(p + 2 * PG, 2 * PG, PROT_READ);	/* three VMAs */
	if (write_long("/proc/sys/vm/max_map_count", nr_maps() + 1))
		return skip("cannot write vm.max_map_count");
	errno = 0;
	r = vmc(p, 8 * PG, NULL, 0);
	e = errno;
	write_long("/proc/sys/vm/max_map_count", old);
	CHECK(r == MAP_FAILED && e == ENOMEM, "got %p errno %d", r, e);
	return 0;
}

static int t_rlimit_as(void)
{
	size_t len = 64 * MB;
	char *p = map_anon(len, MAP_PRIVATE | MAP_NORESERVE);
	long vm = proc_kb("/proc/self/status", "VmSize");
	struct rlimit rl = { .rlim_cur = vm * KB + len / 2, .rlim_max = RLIM_INFINITY };

	p[0] = 1;
	CHECK(setrlimit(RLIMIT_AS, &rl) == 0, "setrlimit");
	EXPECT_ERR(vmc(p, len, NULL, 0), ENOMEM);
	CHECK(vmc(p, len / 4, NULL, 0) != MAP_FAILED, "small copy within the limit failed: %s",
	      strerror(errno));
	return 0;
}

/* overcommit_memory=2: a copy that would go over CommitLimit is ENOMEM. */
static int t_overcommit(void)
{
	long oc = read_long("/proc/sys/vm/overcommit_memory");
	long ratio = read_long("/proc/sys/vm/overcommit_ratio");
	long limit, committed;
	size_t len;
	char *p;
	void *r;
	int e;

	if (write_long("/proc/sys/vm/overcommit_memory", 2))
		return skip("cannot set vm.overcommit_memory");
	limit = proc_kb("/proc/meminfo", "CommitLimit");
	committed = proc_kb("/proc/meminfo", "Committed_AS");
	if (limit - committed < 16 * 1024) {
		write_long("/proc/sys/vm/overcommit_memory", oc);
		return skip("CommitLimit too close to Committed_AS");
	}
	len = (size_t)(limit - committed) * KB * 6 / 10 & ~(PG - 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		write_long("/proc/sys/vm/overcommit_memory", oc);
		FAIL("mmap of 60%% of the headroom failed");
	}
	p[0] = 1;
	errno = 0;
	r = vmc(p, len, NULL, 0);
	e = errno;
	/* read-only (not accounted) copies still work */
	write_long("/proc/sys/vm/overcommit_memory", oc);
	write_long("/proc/sys/vm/overcommit_ratio", ratio);
	CHECK(r == MAP_FAILED && e == ENOMEM, "got %p, errno %d", r, e);
	return 0;
}

static int t_noreplace_eexist(void)
{
	char *p = region(4 * PG), *d = region(16 * PG);

	EXPECT_ERR(vmc(p, 4 * PG, d + 2 * PG, VMCOPY_FIXED_NOREPLACE), EEXIST);
	CHECK(d[2 * PG] == 1, "destination changed");
	return 0;
}

static int t_fixed_bad_dst(void)
{
	char *p = region(8 * PG);

	EXPECT_ERR(vmc(p, 4 * PG, p + 2 * PG, VMCOPY_FIXED), EINVAL);	/* overlap */
	EXPECT_ERR(vmc(p + 4 * PG, 4 * PG, p + 2 * PG, VMCOPY_FIXED), EINVAL);
	EXPECT_ERR(vmc(p, 4 * PG, p + 64 * PG + 1, VMCOPY_FIXED), EINVAL);	/* unaligned */
	EXPECT_ERR(vmc(p, 4 * PG, (void *)-(8 * PG), VMCOPY_FIXED), EINVAL);	/* > TASK_SIZE */
	CHECK(p[0] == 1 && p[7 * PG] == 1, "source changed");
	return 0;
}

/*
 * A fatal signal while vmcopy() waits for the mmap lock: the wait is
 * killable (the EINTR it returns is never seen, the task dies).
 */
static char *kill_src;
#define KILL_LEN (32 * MB)

static void *copier(void *arg)
{
	for (;;) {
		char *c = vmcopy(kill_src, KILL_LEN);

		if (c != MAP_FAILED)
			munmap(c, KILL_LEN);
	}
	return NULL;
}

static int t_killable(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		pthread_t t[3];

		kill_src = map_anon(KILL_LEN, MAP_PRIVATE);
		madvise(kill_src, KILL_LEN, MADV_NOHUGEPAGE);
		memset(kill_src, 1, KILL_LEN);
		/* three threads contend for the mmap lock */
		for (int i = 0; i < 3; i++)
			pthread_create(&t[i], NULL, copier, NULL);
		copier(NULL);
	}
	usleep(1500 * 1000);
	kill(pid, SIGKILL);
	{
		double t0 = now();

		while (waitpid(pid, &st, WNOHANG) == 0) {
			if (now() - t0 > 30)
				FAIL("task not dead 30 s after SIGKILL");
			usleep(10000);
		}
	}
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %x", st);
	return 0;
}

static const struct vmc_case cases[] = {
	{ "unknown flags, FIXED|FIXED_NOREPLACE: EINVAL", t_unknown_flags },
	{ "unaligned src: EINVAL", t_unaligned },
	{ "len 0: EINVAL", t_len0 },
	{ "src + len overflowing: EINVAL", t_overflow },
	{ "unmapped src: ENOMEM", t_unmapped },
	{ "hole in the range: ENOMEM, nothing left mapped", t_hole },
	{ "VM_IO|VM_PFNMAP ([vvar]): EINVAL", t_vm_io_pfnmap },
	{ "special mapping ([vdso]): EINVAL", t_special_vdso },
	{ "VM_DONTCOPY (MADV_DONTFORK): EINVAL", t_dontcopy },
	{ "userfaultfd-registered range: EINVAL", t_userfaultfd },
	{ "vm.max_map_count reached: ENOMEM", t_max_map_count },
	{ "RLIMIT_AS: ENOMEM", t_rlimit_as },
	{ "overcommit_memory=2 over CommitLimit: ENOMEM", t_overcommit },
	{ "VMCOPY_FIXED_NOREPLACE on a mapping: EEXIST", t_noreplace_eexist },
	{ "VMCOPY_FIXED overlapping / unaligned / out of range: EINVAL", t_fixed_bad_dst },
	{ "waiting for the mmap lock is killable (EINTR)", t_killable },
};

int main(void)
{
	return vmc_run(cases, sizeof(cases) / sizeof(cases[0]));
}
