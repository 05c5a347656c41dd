// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests of the vmcopy defects of issue 16: private hugetlb with
 * an exhausted pool, populating only locked pieces, mlock accounting,
 * soft-dirty, killability, PTE lock order against UFFDIO_MOVE.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <linux/userfaultfd.h>
#include "vmc.h"

#define HP2 (2 * MB)
#define HP_DIR "/sys/kernel/mm/hugepages/hugepages-2048kB/"

/* A pagemap entry of addr (PFN bits need root, which tests have). */
static uint64_t pagemap(void *addr)
{
	uint64_t v = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &v, 8, (uintptr_t)addr / PG * 8) != 8)
		v = 0;
	close(fd);
	return v;
}

#define PM_PRESENT	(1ULL << 63)
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_PFN(v)	((v) & ((1ULL << 55) - 1))

/*
 * 1. Private hugetlb, pool exhausted: the source writes a huge page it
 * shares with its copy; no huge page is free, so the kernel takes the page
 * away from the copy (as from a fork child) -- never from the source.
 */
static int t_hugetlb_pool_exhausted(void)
{
	long nr0 = read_long(HP_DIR "nr_hugepages");
	long over0 = read_long(HP_DIR "nr_overcommit_hugepages");
	char *p, *cp;
	pid_t pid;
	int st;

	if (nr0 < 0)
		return skip("no 2 MiB hugetlb pages");
	if (read_long(HP_DIR "free_hugepages") < 2)
		write_long(HP_DIR "nr_hugepages",
			   nr0 + 2 - read_long(HP_DIR "free_hugepages"));
	write_long(HP_DIR "nr_overcommit_hugepages", 0);
	if (read_long(HP_DIR "free_hugepages") < 2) {
		write_long(HP_DIR "nr_hugepages", nr0);
		write_long(HP_DIR "nr_overcommit_hugepages", over0);
		return skip("cannot get 2 free 2 MiB pages");
	}
	pid = fork();
	if (pid == 0) {
		p = mmap(NULL, HP2, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED)
			_exit(10);
		fill(p, HP2, 1);
		cp = vmc(p, HP2, NULL, 0);
		if (cp == MAP_FAILED)
			_exit(11);
		/* Exhaust the pool: no free (unreserved) page left. */
		write_long(HP_DIR "nr_hugepages",
			   read_long(HP_DIR "nr_hugepages") -
			   read_long(HP_DIR "free_hugepages") +
			   read_long(HP_DIR "resv_hugepages"));
		if (read_long(HP_DIR "free_hugepages") >
		    read_long(HP_DIR "resv_hugepages"))
			_exit(12);
		fill(p, HP2, 3);	/* SIGBUS here before the fix */
		_exit(check(p, HP2, 3) ? 13 : 0);
	}
	waitpid(pid, &st, 0);
	write_long(HP_DIR "nr_hugepages", nr0);
	write_long(HP_DIR "nr_overcommit_hugepages", over0);
	CHECK(!WIFSIGNALED(st), "source killed by signal %d writing its own page",
	      WTERMSIG(st));
	CHECK(WEXITSTATUS(st) != 12, "could not exhaust the pool");
	CHECK(WEXITSTATUS(st) == 0, "child status %d (10 mmap, 11 vmcopy, 13 data)",
	      WEXITSTATUS(st));
	return 0;
}

/*
 * 2. One locked piece populates that piece only: the unlocked private
 * piece still shares its pages with the source.
 */
static int t_populate_locked_piece_only(void)
{
	size_t a = 4 * MB, b = 64 * KB;
	char *p, *cp;

	p = map_anon(a + b, MAP_PRIVATE);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	madvise(p, a + b, MADV_NOHUGEPAGE);
	fill(p, a + b, 1);
	CHECK(!mlock(p + a, b), "mlock: %s", strerror(errno));
	cp = vmc(p, a + b, NULL, 0);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	for (size_t o = 0; o < a; o += 64 * KB) {
		uint64_t s = pagemap(p + o), c = pagemap(cp + o);

		CHECK((c & PM_PRESENT) && PM_PFN(s) == PM_PFN(c),
		      "unlocked piece: copy page at +%zu not shared with the source (COW broken by populate)",
		      o);
	}
	for (size_t o = a; o < a + b; o += PG)
		CHECK(pagemap(cp + o) & PM_PRESENT, "locked piece not populated at +%zu", o);
	CHECK(!check(cp, a + b, 1), "copy differs");
	return 0;
}

/*
 * 3. Breaking COW in a locked copy leaves the source's pages mlocked: the
 * copy's own pages add to Mlocked, the source's stay.
 */
static int t_mlock_accounting(void)
{
	size_t len = 16 * MB;
	long m0, m1;
	char *p, *cp;

	p = map_anon(len, MAP_PRIVATE);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	fill(p, len, 1);
	CHECK(!mlock(p, len), "mlock: %s", strerror(errno));
	write_str("/proc/sys/vm/compact_memory", "1");	/* drains mlock batches */
	m0 = proc_kb("/proc/meminfo", "Mlocked");
	cp = vmc(p, len, NULL, 0);	/* locked copy: populated, COW broken */
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	fill(cp, len, 2);
	write_str("/proc/sys/vm/compact_memory", "1");
	m1 = proc_kb("/proc/meminfo", "Mlocked");
	diag("Mlocked %ld kB before vmcopy, %ld kB after (+%ld, expected +%zu)",
	     m0, m1, m1 - m0, len / KB);
	CHECK(m1 - m0 >= (long)(len / KB) * 9 / 10,
	      "Mlocked grew by %ld kB only: the source's pages were munlocked", m1 - m0);
	CHECK(!check(p, len, 1), "source changed");
	return 0;
}

/* 4. The new copy is soft-dirty (clear_refs 4, then pagemap bit 55). */
static int t_soft_dirty(void)
{
	size_t len = 64 * KB;
	char *p, *cp;

	p = map_anon(len, MAP_PRIVATE);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill(p, len, 1);
	CHECK(!write_str("/proc/self/clear_refs", "4"), "clear_refs: %s", strerror(errno));
	p[0] = 1;
	if (!(pagemap(p) & PM_SOFT_DIRTY))
		return skip("no soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY)");
	CHECK(!write_str("/proc/self/clear_refs", "4"), "clear_refs: %s", strerror(errno));
	CHECK(!(pagemap(p + PG) & PM_SOFT_DIRTY), "source soft-dirty after clear_refs");
	cp = vmc(p, len, NULL, 0);
	CHECK(cp != MAP_FAILED, "vmcopy: %s", strerror(errno));
	for (size_t o = 0; o < len; o += PG)
		CHECK(pagemap(cp + o) & PM_SOFT_DIRTY, "copy page +%zu not soft-dirty", o);
	return 0;
}

/*
 * 5. SIGKILL ends a long vmcopy promptly.  A child holds a big range of
 * zero-page PTEs (one written page gives it an anon_vma, so they are
 * copied); kill latency during vmcopy must stay well under the time of a
 * whole vmcopy, beyond what the exit of an idle child takes.
 */
static int spawn(size_t len, int do_copy, int ready[2], int done[2])
{
	pid_t pid = fork();

	if (pid == 0) {
		char *p = map_anon(len, MAP_PRIVATE | MAP_NORESERVE);
		char c = 1;

		if (p == MAP_FAILED)
			_exit(1);
		madvise(p, len, MADV_NOHUGEPAGE);
		p[0] = 1;
		madvise(p, len, MADV_POPULATE_READ);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		if (do_copy && vmc(p, len, NULL, 0) == MAP_FAILED)
			_exit(2);
		if (write(done[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	return pid;
}

static int t_kill_prompt(void)
{
	size_t len = 4 * GB;
	int ready[2], done[2], st;
	double t0, d_copy, e_idle, lat;
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(done))
		FAIL("pipe");
	/* A whole vmcopy. */
	pid = spawn(len, 1, ready, done);
	CHECK(read(ready[0], &c, 1) == 1, "child setup failed");
	t0 = now();
	CHECK(read(done[0], &c, 1) == 1, "child vmcopy failed");
	d_copy = now() - t0;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	/* The exit of an idle child holding the source. */
	pid = spawn(len, 0, ready, done);
	CHECK(read(ready[0], &c, 1) == 1 && read(done[0], &c, 1) == 1, "setup");
	t0 = now();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	e_idle = now() - t0;
	/* Killed at a tenth of a vmcopy. */
	pid = spawn(len, 1, ready, done);
	CHECK(read(ready[0], &c, 1) == 1, "setup");
	usleep(d_copy * 1e5);
	t0 = now();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	lat = now() - t0;
	diag("vmcopy of 4 GiB of zero-page PTEs %.0f ms, idle exit %.0f ms, kill during vmcopy %.0f ms",
	     d_copy * 1e3, e_idle * 1e3, lat * 1e3);
	if (d_copy < 0.1)
		return skip("vmcopy too fast (%.0f ms) to measure", d_copy * 1e3);
	CHECK(lat < e_idle + d_copy / 2,
	      "kill took %.0f ms: vmcopy ran on after SIGKILL", lat * 1e3);
	return 0;
}

/*
 * 6. PTE lock order: vmcopy and UFFDIO_MOVE in one mm, on page tables they
 * share crosswise (the copy's table holds UFFDIO_MOVE's destination, the
 * source's table its source), both at once.  vmcopy takes the two PTE locks
 * in address order like UFFDIO_MOVE; before, an ABBA deadlock was possible.
 * Run under lockdep (the test kernel): a report fails the run.
 */
#define NPAIR 4
#define PIECE (64 * KB)
static atomic_int stop;
static char *region[NPAIR];
static long n_copy, n_move;

static void *copier(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		for (int i = 0; i < NPAIR; i++) {
			char *d = region[i], *s = region[i] + HP2;

			if (vmc(s, PIECE, d, VMCOPY_FIXED) != d)
				return (void *)1;
			n_copy++;
		}
	return NULL;
}

static int t_lock_order_uffd_move(void)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_MOVE };
	pthread_t th;
	double t0;
	void *res;
	int uffd;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		return skip("userfaultfd: %s", strerror(errno));
	if (ioctl(uffd, UFFDIO_API, &api) || !(api.features & UFFD_FEATURE_MOVE))
		return skip("no UFFDIO_MOVE");
	for (int i = 0; i < NPAIR; i++) {
		/* [copy | U] in one page table, [source | M] in the next */
		struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
		char *r = map_thp(2 * HP2);

		CHECK(r != MAP_FAILED, "mmap");
		madvise(r, 2 * HP2, MADV_NOHUGEPAGE);
		region[i] = r;
		fill(r + HP2, 2 * PIECE, i);	/* source and M */
		reg.range.start = (uintptr_t)(r + PIECE);
		reg.range.len = PIECE;
		CHECK(!ioctl(uffd, UFFDIO_REGISTER, &reg), "register U: %s", strerror(errno));
		reg.range.start = (uintptr_t)(r + HP2 + PIECE);
		CHECK(!ioctl(uffd, UFFDIO_REGISTER, &reg), "register M: %s", strerror(errno));
	}
	CHECK(!pthread_create(&th, NULL, copier, NULL), "pthread_create");
	t0 = now();
	while (now() - t0 < 5) {
		for (int i = 0; i < NPAIR; i++) {
			char *u = region[i] + PIECE, *m = region[i] + HP2 + PIECE;

			for (size_t o = 0; o < PIECE; o += PG) {
				struct uffdio_move mv = { .dst = (uintptr_t)(u + o),
							  .src = (uintptr_t)(m + o),
							  .len = PG };

				if (ioctl(uffd, UFFDIO_MOVE, &mv)) {
					atomic_store(&stop, 1);
					FAIL("UFFDIO_MOVE M->U: %s", strerror(errno));
				}
				mv.dst = (uintptr_t)(m + o);
				mv.src = (uintptr_t)(u + o);
				if (ioctl(uffd, UFFDIO_MOVE, &mv)) {
					atomic_store(&stop, 1);
					FAIL("UFFDIO_MOVE U->M: %s", strerror(errno));
				}
				n_move += 2;
			}
		}
	}
	atomic_store(&stop, 1);
	pthread_join(th, &res);
	diag("%ld vmcopy calls, %ld UFFDIO_MOVE calls concurrently", n_copy, n_move);
	CHECK(res == NULL, "vmcopy failed: %s", strerror(errno));
	CHECK(n_copy > 0 && n_move > 0, "no concurrency");
	for (int i = 0; i < NPAIR; i++)
		CHECK(!check(region[i] + HP2, 2 * PIECE, i), "data moved around changed");
	return 0;
}

int main(void)
{
	static const struct vmc_case cases[] = {
		{ "private hugetlb, pool exhausted: the source keeps its page", t_hugetlb_pool_exhausted },
		{ "a locked piece populates only itself", t_populate_locked_piece_only },
		{ "COW in a locked copy leaves the source mlocked", t_mlock_accounting },
		{ "the copy is soft-dirty after clear_refs 4", t_soft_dirty },
		{ "SIGKILL ends a long vmcopy promptly", t_kill_prompt },
		{ "vmcopy vs UFFDIO_MOVE on crosswise shared page tables", t_lock_order_uffd_move },
	};

	return vmc_run(cases, sizeof(cases) / sizeof(cases[0]));
}
