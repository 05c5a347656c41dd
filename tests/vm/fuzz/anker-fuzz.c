// SPDX-License-Identifier: GPL-2.0
/*
 * anker-fuzz: typed fuzzing of every Anker system call (the ANKER_NR_* of
 * <linux/anker.h>, compiled in from the installed header, so a new syscall
 * is fuzzed as soon as it is in the header), mixed with the mm system calls
 * they interact with: mmap, munmap, mremap, mprotect, madvise, mlock, page
 * touches, fork, userfaultfd, io_uring_setup with registered (pinned)
 * buffers, and morsels (/dev/morsel, when the kernel has it: created with
 * good and bad arguments, mapped whole or in part, then hit by all of the
 * above like any other mapping). Several children, as root and as uid 65534, for a bounded time.
 *
 * Arguments are typed where the syscall is known (vmcopy: addresses inside
 * the child's real mappings, page-multiple lengths spanning several of them,
 * destinations on top of its own mappings, flag mixes; krun_*: CPU counts
 * around the online count, user buffers good and bad); a syscall this
 * program does not know gets arguments drawn from the same pools (pids of
 * the fuzzing family, addresses of real mappings, lengths, single-bit
 * flags, small integers, random words).
 *
 * It never passes an address outside its own mappings to a call that
 * unmaps or replaces memory, so the fuzzer does not destroy itself.
 *
 * Usage: anker-fuzz [-t SECONDS] [-c CHILDREN] [-s SEED] [-u root|nobody|both] [-l]
 * Exit: 0 when the run ended and every child could be killed; 1 when a
 * child did not die after SIGKILL (stuck in the kernel); 2 usage/setup.
 * Kernel reports (Oops, KASAN, lockdep...) are found in the console log by
 * the harness (scripts/logscan), not here.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/anker.h>
#if __has_include(<linux/anker_morsel.h>)
#include <linux/anker_morsel.h>
#endif
#include <linux/io_uring.h>
#include <linux/userfaultfd.h>

#include "fuzz.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_PAGEOUT
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static const struct target {
	const char *name;
	long nr;
} anker[] = {
#define X(name, nr) { #name, nr },
#include "anker-nrs.h"
#undef X
};
#define N_ANKER ((int)(sizeof(anker) / sizeof(anker[0])))

enum op {
	OP_MMAP, OP_MUNMAP, OP_MREMAP, OP_MPROTECT, OP_MADVISE, OP_MLOCK,
	OP_TOUCH, OP_FORK, OP_UFFD, OP_IOURING, OP_MORSEL, OP_ANKER, N_OPS = OP_ANKER
};
static const char *const op_name[N_OPS] = {
	"mmap", "munmap", "mremap", "mprotect", "madvise", "mlock",
	"touch", "fork", "userfaultfd", "io_uring", "morsel_create"
};

struct counter {
	unsigned long calls, ok;
};
#define MAX_CHILDREN 64
struct shared {
	struct counter op[N_OPS];
	struct counter sys[N_ANKER > 0 ? N_ANKER : 1];
	unsigned long err[N_ANKER > 0 ? N_ANKER : 1][8];	/* first errnos seen */
	pid_t family[MAX_CHILDREN];
	int nchildren;
};
static struct shared *sh;

static void count(struct counter *c, long ret)
{
	__atomic_add_fetch(&c->calls, 1, __ATOMIC_RELAXED);
	if (ret >= 0 || ret < -4095)
		__atomic_add_fetch(&c->ok, 1, __ATOMIC_RELAXED);
}

/* ---- the child's own mappings ---- */

enum kind {
	K_ANON, K_SHARED, K_FILE_PRIV, K_FILE_SHARED, K_THP, K_HUGETLB, K_MORSEL,
	K_COPY, N_KINDS	/* K_COPY last: op_mmap never makes one */
};

struct map {
	unsigned long addr, len;
	int kind, uffd;		/* uffd: slot + 1 while registered */
};
#define MAX_MAPS 48
static struct map maps[MAX_MAPS];
static int nmaps;
static int memfd = -1;
#define MEMFD_SIZE (16UL << 20)
static int uffds[4] = { -1, -1, -1, -1 };
static int rings[4] = { -1, -1, -1, -1 };
static int unprivileged;
static long ncpus;
static unsigned char *scratch;	/* a page of random bytes for struct pointers */

static void forget(int i)
{
	maps[i] = maps[--nmaps];
}

static void add_map(unsigned long addr, unsigned long len, int kind)
{
	if (nmaps == MAX_MAPS) {
		int v = rnd(nmaps);

		munmap((void *)maps[v].addr, maps[v].len);
		forget(v);
	}
	maps[nmaps++] = (struct map){ addr, len, kind, 0 };
}

static int pick(void)
{
	return nmaps ? (int)rnd(nmaps) : -1;
}

/* A mapping not registered with userfaultfd: safe to touch, safe as a buffer. */
static int pick_safe(void)
{
	for (int tries = 0; tries < 8; tries++) {
		int i = pick();

		if (i >= 0 && !maps[i].uffd)
			return i;
	}
	return -1;
}

static unsigned long page_in(const struct map *m)
{
	return m->addr + rnd(m->len / PG) * PG;
}

/* A user pointer: mostly into a real mapping, sometimes bad. */
static unsigned long pointer_arg(void)
{
	int i;

	switch (rnd(10)) {
	case 0: return 0;
	case 1: return 0xffff888000000000UL;	/* kernel address */
	case 2: return (unsigned long)scratch;
	case 3: return rnd64() & 0x7ffffffff000UL;
	default:
		i = pick_safe();
		return i < 0 ? (unsigned long)scratch : page_in(&maps[i]) + rnd(2) * rnd(PG);
	}
}

static long pick_pid(void)
{
	switch (rnd(8)) {
	case 0: return 0;
	case 1: return -1;
	case 2: return getppid();
	case 3: return syscall(SYS_gettid);
	case 4: return unprivileged ? 1 : getpid();	/* someone else's, for nobody */
	default: {
		long p = sh->family[rnd(sh->nchildren)];

		return p ? p : getpid();
	}
	}
}

/* An argument of a system call whose types this program does not know. */
static unsigned long generic_arg(void)
{
	switch (rnd(12)) {
	case 0: return 0;
	case 1: return rnd(16);
	case 2: return (unsigned long)-1;
	case 3: return pick_pid();
	case 4: case 5: return pointer_arg();
	case 6: return (1 + rnd(64)) * PG;
	case 7: return 1UL << rnd(32);
	case 8: return rnd64();
	case 9: return rnd(64) - 32;
	case 10: return rnd(ncpus + 2);
	default: return rnd(24);	/* a file descriptor */
	}
}

static __attribute__((noinline)) void touch_pages(unsigned long addr, unsigned long len,
						  int write)
{
	for (unsigned long a = addr; a < addr + len; a += PG) {
		volatile unsigned char *p = (unsigned char *)a;

		if (write)
			*p = (unsigned char)rnd64();
		else
			(void)*p;
	}
}

/* A fault (PROT_NONE, SIGBUS of a hugetlb copy...) ends the touch, not the child. */
static void touch_range(unsigned long addr, unsigned long len, int write)
{
	fault_armed = 1;
	if (sigsetjmp(fault_jmp, 1) == 0)
		touch_pages(addr, len, write);
	fault_armed = 0;
}

/* ---- operations ---- */

/*
 * A morsel fd of @len bytes (PMD level, populated or not), or -errno; now
 * and then a creation with a bad size, level or flags, for its errors.
 */
static int morsel_new(unsigned long len)
{
#ifdef MORSEL_CREATE
	struct morsel_create c = {
		.size = len, .level = MORSEL_LEVEL_PMD,
		.flags = one_in(2) ? MORSEL_POPULATE : 0,
	};
	int dev, fd, e;

	switch (rnd(32)) {
	case 0: c.size = len - PG; break;
	case 1: c.level = rnd(4) == 1 ? 3 : rnd(4); break;
	case 2: c.flags = rnd64(); break;
	case 3: c.size = rnd64(); break;
	}
	dev = open("/dev/morsel", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	fd = ioctl(dev, MORSEL_CREATE, one_in(64) ? (void *)scratch : &c);
	e = errno;
	close(dev);
	count(&sh->op[OP_MORSEL], fd < 0 ? -e : 0);
	return fd < 0 ? -e : fd;
#else
	(void)len;
	return -ENODEV;
#endif
}

static void op_mmap(void)
{
	int kind = rnd(N_KINDS - 1);	/* not K_COPY */
	unsigned long len = (1 + rnd(64)) * PG, addr;
	int prot = one_in(8) ? PROT_READ : one_in(16) ? PROT_NONE : PROT_READ | PROT_WRITE;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS, fd = -1;
	off_t off = 0;
	void *p;

	switch (kind) {
	case K_SHARED:
		flags = MAP_SHARED | MAP_ANONYMOUS;
		break;
	case K_FILE_PRIV:
	case K_FILE_SHARED:
		flags = kind == K_FILE_PRIV ? MAP_PRIVATE : MAP_SHARED;
		fd = memfd;
		off = rnd((MEMFD_SIZE - len) / PG) * PG;
		break;
	case K_THP:
		len = (1 + rnd(2)) * HPAGE;
		break;
	case K_HUGETLB:
		len = HPAGE;
		flags |= MAP_HUGETLB | (one_in(2) ? MAP_SHARED : 0);
		if (flags & MAP_SHARED)
			flags &= ~MAP_PRIVATE;
		break;
	case K_MORSEL:
		/* a new morsel of 1-2 units, mapped whole or in part */
		len = (1 + rnd(2)) * HPAGE;
		fd = morsel_new(len);
		if (fd < 0) {
			count(&sh->op[OP_MMAP], fd);
			return;
		}
		flags = one_in(16) ? MAP_PRIVATE : MAP_SHARED;
		if (!one_in(16))
			prot = PROT_READ | PROT_WRITE;
		if (one_in(4)) {
			off = rnd(len / HPAGE) * HPAGE;
			len -= off;
		}
		if (one_in(16))
			len = (1 + rnd(len / PG)) * PG;	/* not whole units */
		break;
	}
	if (kind == K_THP) {
		/* 2 MiB aligned, so the range can hold huge pages */
		p = mmap(NULL, len + HPAGE, prot, flags, -1, 0);
		count(&sh->op[OP_MMAP], p == MAP_FAILED ? -errno : 0);
		if (p == MAP_FAILED)
			return;
		addr = ((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1);
		if (addr > (unsigned long)p)
			munmap(p, addr - (unsigned long)p);
		munmap((void *)(addr + len), (unsigned long)p + HPAGE - addr);
		madvise((void *)addr, len, MADV_HUGEPAGE);
	} else {
		p = mmap(NULL, len, prot, flags, fd, off);
		count(&sh->op[OP_MMAP], p == MAP_FAILED ? -errno : 0);
		if (kind == K_MORSEL)
			close(fd);	/* the mapping holds the morsel */
		if (p == MAP_FAILED)
			return;
		addr = (unsigned long)p;
	}
	add_map(addr, len, kind);
	if (prot & PROT_WRITE && !one_in(4))
		touch_range(addr, one_in(2) ? len : PG * (1 + rnd(len / PG)), 1);
}

static void op_munmap(void)
{
	int i = pick();
	unsigned long off, len;

	if (i < 0)
		return;
	if (one_in(2)) {
		count(&sh->op[OP_MUNMAP], munmap((void *)maps[i].addr, maps[i].len));
		forget(i);
		return;
	}
	/* a hole: the table keeps the whole range, later calls hit the gap */
	off = rnd(maps[i].len / PG) * PG;
	len = (1 + rnd((maps[i].len - off) / PG)) * PG;
	count(&sh->op[OP_MUNMAP], munmap((void *)(maps[i].addr + off), len));
}

static void op_mremap(void)
{
	int i = pick(), j;
	unsigned long nlen = (1 + rnd(64)) * PG;
	int flags = one_in(4) ? 0 : MREMAP_MAYMOVE;
	void *p, *dst = NULL;

	if (i < 0)
		return;
	if (maps[i].kind == K_HUGETLB || maps[i].kind == K_THP)
		nlen = (1 + rnd(2)) * HPAGE;
	if (flags && one_in(4) && (j = pick()) != i) {
		flags |= MREMAP_FIXED;
		dst = (void *)maps[j].addr;	/* on top of one of ours, no further */
		if (nlen > maps[j].len)
			nlen = maps[j].len;
	} else if (flags && one_in(8)) {
		flags |= MREMAP_DONTUNMAP;
		nlen = maps[i].len;
	}
	p = (void *)syscall(SYS_mremap, maps[i].addr, maps[i].len, nlen, flags, dst);
	count(&sh->op[OP_MREMAP], p == MAP_FAILED ? -errno : 0);
	if (p == MAP_FAILED)
		return;
	if (flags & MREMAP_DONTUNMAP) {
		add_map((unsigned long)p, nlen, maps[i].kind);
	} else {
		maps[i].addr = (unsigned long)p;
		maps[i].len = nlen;
	}
}

static void op_mprotect(void)
{
	static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
				     PROT_READ | PROT_WRITE, PROT_WRITE };
	int i = pick();
	unsigned long off, len;

	if (i < 0)
		return;
	off = rnd(maps[i].len / PG) * PG;
	len = (1 + rnd((maps[i].len - off) / PG)) * PG;
	count(&sh->op[OP_MPROTECT], mprotect((void *)(maps[i].addr + off), len,
					     prots[rnd(5)]) ? -errno : 0);
}

static void op_madvise(void)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_FREE, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
		MADV_PAGEOUT, MADV_COLD, MADV_WILLNEED, MADV_DONTFORK,
		MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_REMOVE,
		MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_DONTDUMP,
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_COLLAPSE,
	};
	int i = pick();
	unsigned long off, len;
	int adv = advice[rnd(sizeof(advice) / sizeof(advice[0]))];

	if (i < 0)
		return;
	/* populating a userfaultfd range would wait for a handler we do not run */
	if (maps[i].uffd && (adv == MADV_POPULATE_READ || adv == MADV_POPULATE_WRITE ||
			     adv == MADV_WILLNEED))
		return;
	off = rnd(maps[i].len / PG) * PG;
	len = (1 + rnd((maps[i].len - off) / PG)) * PG;
	count(&sh->op[OP_MADVISE], madvise((void *)(maps[i].addr + off), len, adv) ? -errno : 0);
}

static void op_mlock(void)
{
	int i = pick_safe();
	unsigned long off, len;
	long r;

	if (i < 0)
		return;
	off = rnd(maps[i].len / PG) * PG;
	len = (1 + rnd((maps[i].len - off) / PG)) * PG;
	if (one_in(2))
		r = mlock((void *)(maps[i].addr + off), len);
	else
		r = munlock((void *)(maps[i].addr + off), len);
	count(&sh->op[OP_MLOCK], r ? -errno : 0);
}

static void op_touch(void)
{
	int i = pick_safe();
	unsigned long off, len;

	if (i < 0)
		return;
	off = rnd(maps[i].len / PG) * PG;
	len = (1 + rnd(16)) * PG;
	if (off + len > maps[i].len)
		len = maps[i].len - off;
	touch_range(maps[i].addr + off, len, !one_in(4));
	count(&sh->op[OP_TOUCH], 0);
}

static void op_uffd(void)
{
	int s = rnd(4), i, fd;
	/* faults in registered ranges get SIGBUS: nobody waits for a handler */
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_SIGBUS };
	struct uffdio_register reg;

	if (uffds[s] >= 0) {
		/* closing ends every registration of this uffd */
		close(uffds[s]);
		uffds[s] = -1;
		for (i = 0; i < nmaps; i++)
			if (maps[i].uffd == s + 1)
				maps[i].uffd = 0;
		return;
	}
	fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK |
		     (unprivileged || one_in(2) ? UFFD_USER_MODE_ONLY : 0));
	count(&sh->op[OP_UFFD], fd < 0 ? -errno : 0);
	if (fd < 0)
		return;
	if (ioctl(fd, UFFDIO_API, &api)) {
		close(fd);
		return;
	}
	uffds[s] = fd;
	i = pick();
	if (i < 0 || maps[i].uffd)
		return;
	memset(&reg, 0, sizeof(reg));
	reg.range.start = maps[i].addr;
	reg.range.len = maps[i].len;
	reg.mode = one_in(2) ? UFFDIO_REGISTER_MODE_MISSING :
		   UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP;
	if (ioctl(fd, UFFDIO_REGISTER, &reg) == 0)
		maps[i].uffd = s + 1;
}

static void op_iouring(void)
{
	int s = rnd(4), i;
	struct io_uring_params p;
	struct iovec iov[2];
	long fd;

	if (rings[s] >= 0) {
		close(rings[s]);	/* unpins the registered buffers */
		rings[s] = -1;
		return;
	}
	memset(&p, 0, sizeof(p));
	fd = syscall(SYS_io_uring_setup, 1 + rnd(64), &p);
	count(&sh->op[OP_IOURING], fd < 0 ? -errno : 0);
	if (fd < 0)
		return;
	rings[s] = fd;
	/* fixed buffers pin their pages (FOLL_LONGTERM): vmcopy must copy those */
	for (int n = 0; n < 2; n++) {
		i = pick_safe();
		if (i < 0)
			return;
		iov[n].iov_base = (void *)page_in(&maps[i]);
		iov[n].iov_len = (1 + rnd(8)) * PG;
		if ((unsigned long)iov[n].iov_base + iov[n].iov_len > maps[i].addr + maps[i].len)
			iov[n].iov_len = maps[i].addr + maps[i].len - (unsigned long)iov[n].iov_base;
	}
	syscall(SYS_io_uring_register, fd, IORING_REGISTER_BUFFERS, iov, 1 + rnd(2));
}

/* ---- the Anker system calls ---- */

static long call_vmcopy(long nr)
{
	int i = pick(), j;
	unsigned long src, len, dst = 0, end;
	unsigned int flags = 0;
	long r;

	if (i < 0 || one_in(32)) {
		src = pointer_arg();
		len = generic_arg();
	} else {
		src = page_in(&maps[i]);
		end = maps[i].addr + maps[i].len;
		if (one_in(4))	/* across the next mappings, holes or not */
			len = (1 + rnd(256)) * PG;
		else
			len = (1 + rnd((end - src) / PG)) * PG;
		if (one_in(16))
			src += rnd(PG);		/* unaligned */
		if (one_in(16))
			len += rnd(PG);		/* rounded up */
	}
	switch (rnd(8)) {
	case 0: case 1: case 2:
		break;
	case 3:
		flags = VMCOPY_FIXED;
		j = pick();
		if (j >= 0)
			dst = maps[j].addr;	/* replaces one of ours (or overlaps src) */
		else
			flags = 0;
		if (j >= 0 && len > maps[j].len)
			len = maps[j].len;	/* and nothing next to it */
		break;
	case 4:
		flags = VMCOPY_FIXED_NOREPLACE;
		j = pick();
		dst = j >= 0 ? maps[j].addr + (one_in(2) ? maps[j].len : 0) : 0;
		break;
	case 5:
		dst = pointer_arg();	/* a hint */
		break;
	case 6:
		flags = rnd64() & (one_in(2) ? 3 : ~0U);	/* both, or unknown bits */
		if (flags & VMCOPY_FIXED && !(flags & VMCOPY_FIXED_NOREPLACE)) {
			j = pick();	/* never a fixed address outside our own maps */
			if (j < 0) {
				flags = 0;
			} else {
				dst = maps[j].addr;
				if (len > maps[j].len)
					len = maps[j].len;
			}
		}
		break;
	default:
		if (one_in(2))
			src = 0;
		else
			len = one_in(2) ? 0 : -PG;
		break;
	}
	r = syscall(nr, src, len, dst, flags);
	if (r == -1)
		return -errno;
	if ((flags & VMCOPY_FIXED) && (unsigned long)r != dst)
		printf("# vmcopy FIXED at %#lx returned %#lx\n", dst, r);
	len = (len + PG - 1) & ~(PG - 1);
	if (one_in(4))
		touch_range(r, len > 64 * PG ? 64 * PG : len, one_in(2));
	if (one_in(3) || len > (64UL << 20))
		munmap((void *)r, len);
	else
		add_map(r, len, K_COPY);
	return 0;
}

static int ncores_arg(void)
{
	switch (rnd(8)) {
	case 0: return -1;
	case 1: return 0;
	case 2: return 1;
	case 3: return ncpus + 1;
	case 4: return 0x7fffffff;
	case 5: return (int)rnd64();
	default: return ncpus;
	}
}

static int grandchild;	/* a child's fork: runs a few ops and exits */

/* End any park of process @pid's threads (Anker kernels with task_unpark). */
static void unpark_all(pid_t pid)
{
#ifdef ANKER_NR_task_unpark
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			syscall(ANKER_NR_task_unpark, atoi(d->d_name), 0);
	closedir(dir);
#else
	(void)pid;
#endif
}

static long call_anker(int t)
{
	unsigned long a[6];
	const char *n = anker[t].name;
	long r;

	if (!strcmp(n, "vmcopy"))
		return call_vmcopy(anker[t].nr);
	if (!strcmp(n, "krun_read_msrs")) {
		a[0] = ncores_arg();
		a[1] = rnd(3);
		a[2] = pointer_arg();
		a[3] = pointer_arg();
		a[4] = pointer_arg();
		a[5] = 0;
	} else if (!strcmp(n, "task_park") || !strcmp(n, "task_unpark") ||
		   !strcmp(n, "sched_penalty")) {
		/*
		 * Threads of the fuzzing family only (and, as nobody, init,
		 * for EPERM): a park of anything else, the harness's shell or
		 * the fuzzer's own parent, would stop the run until a timeout.
		 */
		long fam = sh->family[rnd(sh->nchildren)];

		switch (rnd(5)) {
		case 0: a[0] = 0; break;
		case 1: a[0] = syscall(SYS_gettid); break;
		case 2: a[0] = unprivileged ? 1 : syscall(SYS_gettid); break;
		default: a[0] = fam ? fam : getpid(); break;
		}
		/*
		 * The parent unparks the children every 50 ms; a forked
		 * grandchild, which nobody would unpark and its parent waits
		 * for, parks only the children.
		 */
		if (grandchild && a[0] != 1)
			a[0] = fam ? fam : getppid();
		/* park/unpark: flags; sched_penalty: penalty, flags */
		a[1] = one_in(8) ? generic_arg() : rnd(8);
		a[2] = one_in(8) ? generic_arg() : rnd(4);
		a[3] = a[4] = a[5] = 0;
	} else if (!strcmp(n, "krun_reset_msrs") || !strcmp(n, "krun_configure")) {
		a[0] = ncores_arg();
		for (int k = 1; k < 6; k++)
			a[k] = generic_arg();
	} else {
		for (int k = 0; k < 6; k++)
			a[k] = generic_arg();
		if (one_in(2))	/* structs: random bytes behind a valid pointer */
			for (int k = 0; k < 64; k++)
				scratch[rnd(PG)] = rnd64();
	}
	r = syscall(anker[t].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return r == -1 ? -errno : r;
}

/* ---- the child ---- */

static void one_op(int nofork)
{
	unsigned int w = rnd(100);
	int t;
	long r;

	if (w < 30 && N_ANKER > 0) {
		t = rnd(N_ANKER);
		r = call_anker(t);
		count(&sh->sys[t], r);
		if (r < 0 && -r < 4096) {
			for (int k = 0; k < 8; k++) {
				unsigned long e = __atomic_load_n(&sh->err[t][k], __ATOMIC_RELAXED);

				if (e == (unsigned long)-r)
					break;
				if (!e && __atomic_compare_exchange_n(&sh->err[t][k], &e, -r, 0,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
					break;
			}
		}
	} else if (w < 42) {
		op_mmap();
	} else if (w < 48) {
		op_munmap();
	} else if (w < 53) {
		op_mremap();
	} else if (w < 58) {
		op_mprotect();
	} else if (w < 66) {
		op_madvise();
	} else if (w < 69) {
		op_mlock();
	} else if (w < 90) {
		op_touch();
	} else if (w < 93 && !nofork) {
		pid_t p = fork();

		count(&sh->op[OP_FORK], p < 0 ? -errno : 0);
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			grandchild = 1;
			for (int k = 0; k < 32; k++)
				one_op(1);
			_exit(0);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	} else if (w < 96) {
		op_uffd();
	} else {
		op_iouring();
	}
}

static void child(int idx, uint64_t seed, double deadline, int nobody)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_seed(seed);
	if (nobody) {
		if (drop_to_nobody()) {
			perror("# drop to nobody");
			_exit(2);
		}
		unprivileged = 1;
	}
	unprivileged |= geteuid() != 0;
	fault_setup();
	scratch = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memfd = memfd_create("anker-fuzz", 0);
	if (memfd >= 0 && ftruncate(memfd, MEMFD_SIZE))
		perror("# ftruncate");
	while (now() < deadline) {
		for (int k = 0; k < 64; k++)
			one_op(0);
	}
	_exit(0);
}

static void usage(void)
{
	fprintf(stderr, "usage: anker-fuzz [-t SECONDS] [-c CHILDREN] [-s SEED] "
		"[-u root|nobody|both] [-l]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double secs = 60, start, deadline;
	int nchild = 4, opt, mode = 2, bad = 0, restarts = 0, stuck;
	uint64_t seed = (uint64_t)time(NULL) ^ getpid();
	unsigned long total = 0, anker_total = 0;
	pid_t pids[MAX_CHILDREN];
	uint64_t gen = 0;

	while ((opt = getopt(argc, argv, "t:c:s:u:l")) != -1) {
		switch (opt) {
		case 't': secs = atof(optarg); break;
		case 'c': nchild = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'u':
			mode = !strcmp(optarg, "root") ? 0 : !strcmp(optarg, "nobody") ? 1 : 2;
			break;
		case 'l':
			for (int t = 0; t < N_ANKER; t++)
				printf("%ld %s\n", anker[t].nr, anker[t].name);
			return 0;
		default: usage();
		}
	}
	if (nchild < 1 || nchild > MAX_CHILDREN || secs <= 0)
		usage();
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = shared_alloc(sizeof(*sh));
	sh->nchildren = nchild;
	printf("# anker-fuzz: seed %#llx, %d children (%s), %.0f s; targets:",
	       (unsigned long long)seed, nchild,
	       mode == 0 ? "root" : mode == 1 ? "uid 65534" : "root and uid 65534", secs);
	for (int t = 0; t < N_ANKER; t++)
		printf(" %s(%ld)", anker[t].name, anker[t].nr);
	printf("\n");

	start = now();
	deadline = start + secs;
	for (int i = 0; i < nchild; i++)
		pids[i] = 0;
	while (now() < deadline) {
		for (int i = 0; i < nchild; i++) {
			int st;

			if (pids[i] && waitpid(pids[i], &st, WNOHANG) == pids[i]) {
				if (WIFSIGNALED(st))
					printf("# child %d (pid %d) killed by signal %d; restarted\n",
					       i, pids[i], WTERMSIG(st));
				else if (WEXITSTATUS(st))
					printf("# child %d exited with %d; restarted\n", i,
					       WEXITSTATUS(st));
				pids[i] = 0;
				restarts++;
			}
			if (!pids[i]) {
				uint64_t s = seed * 1000003 + gen++;
				pid_t p = fork();

				if (p == 0)
					child(i, s, deadline,
					      mode == 1 || (mode == 2 && (i & 1)));
				if (p < 0) {
					perror("fork");
					continue;
				}
				pids[i] = p;
				sh->family[i] = p;
			}
		}
		/* what the children parked (themselves too) runs again */
		for (int i = 0; i < nchild; i++)
			if (pids[i])
				unpark_all(pids[i]);
		usleep(50000);
	}
	/* the children stop by themselves at the deadline; then SIGKILL */
	stuck = reap_until(pids, nchild, now() + 10, NULL);
	for (int i = 0; i < nchild; i++)
		if (pids[i])
			kill(pids[i], SIGKILL);
	stuck = reap_until(pids, nchild, now() + 60, &bad);
	for (int i = 0; i < nchild; i++)
		if (pids[i])
			report_stuck(pids[i]);

	for (int k = 0; k < N_OPS; k++) {
		printf("# %-16s %9lu calls %9lu ok\n", op_name[k], sh->op[k].calls, sh->op[k].ok);
		total += sh->op[k].calls;
	}
	for (int t = 0; t < N_ANKER; t++) {
		printf("# %-16s %9lu calls %9lu ok; errnos:", anker[t].name,
		       sh->sys[t].calls, sh->sys[t].ok);
		for (int k = 0; k < 8 && sh->err[t][k]; k++)
			printf(" %s", strerrorname_np((int)sh->err[t][k]) ?: "?");
		printf("\n");
		anker_total += sh->sys[t].calls;
	}
	printf("anker-fuzz: %lu calls (%lu Anker syscalls) in %.0f s, %d child restarts, %d stuck\n",
	       total + anker_total, anker_total, now() - start, restarts, stuck);
	return stuck ? 1 : 0;
}
