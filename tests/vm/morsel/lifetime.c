// SPDX-License-Identifier: GPL-2.0
/*
 * Morsels: memory and page tables come back when every mapper and fd is
 * gone; many processes map and unmap one morsel at once; memcg limits.
 */
#include "mor.h"

/*
 * PageTables moves by up to ~120 kB on its own in the guest (other
 * processes, RCU-deferred frees of page tables): far less than the 2 MiB
 * of morsel tables whose coming and going is checked.
 */
#define PT_SLACK 256

/* Wait up to 60 s for PageTables to come down to at most want kB */
static long pagetables_settle(long want)
{
	struct timespec t0, t1;
	long v = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 600; i++) {
		v = meminfo("PageTables");
		if (v <= want)
			break;
		if (i % 20 == 0)
			diag("PageTables %ld kB, MemFree %ld kB", v,
			     meminfo("MemFree"));
		usleep(100000);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	diag("PageTables settled at %ld kB in %.1f s", v,
	     (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return v;
}

/* PageTables once earlier cases' frees (RCU-deferred) have settled */
static long pagetables_stable(void)
{
	long v = meminfo("PageTables"), w;

	for (int i = 0; i < 50; i++) {
		usleep(200000);
		w = meminfo("PageTables");
		if (w == v)
			break;
		v = w;
	}
	return v;
}

static int write_str(const char *path, const char *s);
static long cg_read(const char *path, const char *key);

/*
 * Memory in use, in kB, as seen by the test: the charge of a memcg of its
 * own (its morsel's pages are charged there, and nothing else runs in it)
 * when cgroup2 is there, else the fall of MemFree, which pages other tests
 * freed a moment ago make noisy.
 */
#define LIFE_CG "/sys/fs/cgroup/morsel-life"
static int life_cg;

static void life_cg_enter(void)
{
	char pid[32];

	write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	if (mkdir(LIFE_CG, 0755) && errno != EEXIST)
		return;
	snprintf(pid, sizeof(pid), "%d", getpid());
	life_cg = !write_str(LIFE_CG "/cgroup.procs", pid) &&
		  cg_read(LIFE_CG "/memory.current", NULL) >= 0;
	diag("memory measured by %s", life_cg ? LIFE_CG "/memory.current" : "MemFree");
}

static void life_cg_leave(void)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	write_str("/sys/fs/cgroup/cgroup.procs", pid);
	rmdir(LIFE_CG);
	life_cg = 0;
}

static long used_kb(void)
{
	return life_cg ? cg_read(LIFE_CG "/memory.current", NULL) / 1024 :
			 -meminfo("MemFree");
}

/*
 * A 1 GiB morsel (512 PTE tables: 2 MiB of PageTables from creation),
 * 256 MiB of it populated, mapped whole by 4 processes that exit with the
 * mapping; then the fd is closed.
 */
static int all_exit_frees_in(void)
{
	size_t len = GB, pop = 256 * MB;
	long pt0, free0, pt1, free1, pt2, free2;
	int fd, go[2], i;
	pid_t pids[4];
	char c;

	sync();
	pt0 = pagetables_stable();
	free0 = used_kb();
	fd = morsel_new(len, MORSEL_LEVEL_PMD, 0);
	CHECK(fd >= 0, "create: %s", strerror(errno));
	{
		char *p = mmor(fd, pop, 0);

		CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
		fill_pages(p, pop, 51);
		CHECK(!munmap(p, pop), "munmap");
	}
	CHECK(!pipe(go), "pipe");
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			char *p = mmor(fd, len, 0);

			close(fd);
			close(go[1]);
			if (p == MAP_FAILED || check_pages(p, pop, 51))
				_exit(3);
			if (read(go[0], &c, 1) != 0)
				_exit(4);
			_exit(0);	/* exit with the mapping */
		}
	}
	close(go[0]);
	usleep(500000);
	pt1 = meminfo("PageTables");
	free1 = used_kb();
	diag("PageTables %ld -> %ld kB, memory in use %ld -> %ld kB", pt0, pt1,
	     free0, free1);
	/*
	 * 512 PTE tables of the morsel (2048 kB), plus the children's own
	 * small tables; not 4 x 2048 kB as with tables per process
	 */
	CHECK(pt1 - pt0 >= 2048 - PT_SLACK, "morsel tables not in PageTables");
	CHECK(pt1 - pt0 < 2048 + 1024, "PageTables grew by %ld kB for 4 mappers",
	      pt1 - pt0);
	CHECK(free1 - free0 >= (long)(pop / KB) * 9 / 10,
	      "memory in use grew by %ld kB only", free1 - free0);
	close(go[1]);
	for (i = 0; i < 4; i++)
		CHECK(waitok(pids[i]), "mapper %d", i);
	/* still held by our fd */
	CHECK(used_kb() - free0 >= (long)(pop / KB) * 9 / 10,
	      "freed too early");
	close(fd);
	pt2 = pagetables_settle(pt0 + PT_SLACK);
	/* freed pages come back through the per-CPU lists, slowly */
	for (i = 0; i < 600; i++) {
		free2 = used_kb();
		if (free2 - free0 < (long)(pop / KB / 8))
			break;
		usleep(100000);
	}
	diag("after close: PageTables %ld kB, memory in use %ld kB (%.1f s)", pt2,
	     free2, i / 10.0);
	CHECK(pt2 <= pt0 + PT_SLACK, "PageTables %ld kB, was %ld kB", pt2, pt0);
	CHECK(free2 - free0 < (long)(pop / KB / 8), "memory in use %ld kB, was %ld kB",
	      free2, free0);
	return 0;
}

static int all_exit_frees(void)
{
	int r;

	life_cg_enter();
	r = all_exit_frees_in();
	life_cg_leave();
	return r;
}

/* The PUD-level subtree: PMD table, PTE tables, pages */
static int pud_frees(void)
{
	long pt0, pt1, pt2;
	char *p;
	int fd;

	pt0 = pagetables_stable();
	fd = morsel_new(GB, MORSEL_LEVEL_PUD, 0);
	if (fd < 0 && errno == EOPNOTSUPP)
		return skip("PUD level not supported by this kernel");
	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, GB, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t o = 0; o < GB; o += 2 * MB)
		p[o] = 1;
	pt1 = meminfo("PageTables");
	CHECK(pt1 - pt0 >= 513 * 4 - PT_SLACK, "PageTables %ld -> %ld kB", pt0,
	      pt1);
	CHECK(!munmap(p, GB), "munmap");
	close(fd);
	pt2 = pagetables_settle(pt0 + PT_SLACK);
	CHECK(pt2 <= pt0 + PT_SLACK, "PageTables %ld kB, was %ld kB", pt2, pt0);
	return 0;
}

/* 8 processes map, check, write, unmap one morsel at random, at once */
static int concurrent_map_unmap(void)
{
	size_t len = 32 * MB, units = len / (2 * MB);
	struct morsel_info in;
	int fd = morsel_new(len, MORSEL_LEVEL_PMD, 0), i;
	pid_t pids[8];
	char *p;

	CHECK(fd >= 0, "create: %s", strerror(errno));
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	fill_pages(p, len, 31);
	CHECK(!munmap(p, len), "munmap");
	for (i = 0; i < 8; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			unsigned int seed = i * 7919 + 1;

			for (int it = 0; it < 150; it++) {
				size_t u = rand_r(&seed) % units;
				size_t n = 1 + rand_r(&seed) % (units - u);
				char *q = mmap(NULL, n * 2 * MB,
					       PROT_READ | PROT_WRITE,
					       MAP_SHARED, fd, u * 2 * MB);

				if (q == MAP_FAILED)
					_exit(3);
				for (int k = 0; k < 16; k++) {
					size_t pg = rand_r(&seed) % (n * 512);
					size_t g = u * 512 + pg;
					uint64_t *w = (uint64_t *)(q + pg * PG);

					if (*w != pw(31, g))
						_exit(4);
					/* a word of its own, off the checked one */
					w[1 + i] = it;
				}
				if (rand_r(&seed) % 2 && n > 1 &&
				    munmap(q + 2 * MB, 2 * MB))
					_exit(5);
				if (munmap(q, n * 2 * MB))
					_exit(6);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 8; i++)
		CHECK(waitok(pids[i]), "worker %d", i);
	morsel_info(fd, &in);
	CHECK(in.mappers == 0, "mappers %llu", (unsigned long long)in.mappers);
	CHECK(in.resident == len / PG, "resident %llu",
	      (unsigned long long)in.resident);
	p = mmor(fd, len, 0);
	CHECK(p != MAP_FAILED && !check_pages(p, len, 31), "data");
	return 0;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

static long cg_read(const char *path, const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!key || !strncmp(line, key, strlen(key))) {
			v = strtol(line + (key ? strlen(key) : 0), NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * memcg limit: MORSEL_POPULATE fails with ENOMEM; faulting past the limit
 * is an OOM kill in the memcg, as for anonymous memory.
 */
static int memcg_limit(void)
{
	const char *cg = "/sys/fs/cgroup/morsel-test";
	char path[256];
	pid_t pid;
	int st;

	if (access("/sys/fs/cgroup/cgroup.controllers", R_OK))
		return skip("no cgroup2 at /sys/fs/cgroup");
	write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	rmdir(cg);
	CHECK(!mkdir(cg, 0755), "mkdir %s: %s", cg, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	if (write_str(path, "33554432"))
		return skip("no memory controller");
	snprintf(path, sizeof(path), "%s/memory.swap.max", cg);
	write_str(path, "0");

	pid = fork();
	if (!pid) {
		char pids[32];
		int fd;
		char *p;

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		snprintf(pids, sizeof(pids), "%d", getpid());
		if (write_str(path, pids))
			_exit(3);
		fd = morsel_new(64 * MB, MORSEL_LEVEL_PMD, MORSEL_POPULATE);
		if (fd >= 0 || errno != ENOMEM) {
			printf("# populate past the limit: %d %s\n", fd,
			       strerror(errno));
			_exit(4);
		}
		fd = morsel_new(16 * MB, MORSEL_LEVEL_PMD, MORSEL_POPULATE);
		if (fd < 0)
			_exit(5);
		close(fd);
		fd = morsel_new(64 * MB, MORSEL_LEVEL_PMD, 0);
		if (fd < 0)
			_exit(6);
		p = mmor(fd, 64 * MB, 0);
		if (p == MAP_FAILED)
			_exit(7);
		fill_pages(p, 64 * MB, 41);	/* killed on the way */
		_exit(8);
	}
	CHECK(waitpid(pid, &st, 0) == pid, "wait");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "child: %s %d", WIFEXITED(st) ? "exit" : "signal",
	      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	snprintf(path, sizeof(path), "%s/memory.events", cg);
	CHECK(cg_read(path, "oom_kill ") >= 1, "no oom_kill in memory.events");
	snprintf(path, sizeof(path), "%s/memory.current", cg);
	for (int i = 0; i < 100 && cg_read(path, NULL) > (long)(2 * MB); i++)
		usleep(100000);
	CHECK(cg_read(path, NULL) <= (long)(2 * MB), "memory.current %ld after exit",
	      cg_read(path, NULL));
	rmdir(cg);
	return 0;
}

/*
 * MADV_DONTNEED in two processes while four others write and read: every
 * word read is 0 (discarded) or the value its writer last stored.
 */
static int dontneed_races_level(unsigned int level, size_t len)
{
	int fd = morsel_new(len, level, 0), i;
	pid_t pids[6];

	if (fd < 0 && errno == EOPNOTSUPP)
		return skip("PUD level not supported by this kernel");
	CHECK(fd >= 0, "create: %s", strerror(errno));
	for (i = 0; i < 6; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			unsigned int seed = i * 104729 + 3;
			char *q = mmor(fd, len, 0);

			if (q == MAP_FAILED)
				_exit(3);
			for (int it = 0; it < 3000; it++) {
				size_t pg = rand_r(&seed) % (len / PG);
				uint64_t *w = (uint64_t *)(q + pg * PG) + i;

				if (i >= 4) {
					size_t n = 1 + rand_r(&seed) % 64;

					if (pg + n > len / PG)
						n = len / PG - pg;
					if (madvise(q + pg * PG, n * PG,
						    MADV_DONTNEED))
						_exit(4);
					continue;
				}
				*w = ((uint64_t)i << 32) | it;
				if (*w != (((uint64_t)i << 32) | it) && *w != 0)
					_exit(5);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 6; i++)
		CHECK(waitok(pids[i]), "process %d", i);
	return 0;
}

static int dontneed_races(void)
{
	return dontneed_races_level(MORSEL_LEVEL_PMD, 8 * MB);
}

static int dontneed_races_pud(void)
{
	/* 512 pages spread over 1 GiB: PTE tables come and stay */
	return dontneed_races_level(MORSEL_LEVEL_PUD, GB);
}

int main(void)
{
	static const struct mor_case cases[] = {
		{ "all mappers exit, fd closed: MemFree and PageTables return", all_exit_frees },
		{ "PUD level: the subtree is freed, PageTables return", pud_frees },
		{ "8 processes map, check, write, unmap concurrently", concurrent_map_unmap },
		{ "MADV_DONTNEED racing with writers in other processes", dontneed_races },
		{ "PUD level: MADV_DONTNEED racing with writers", dontneed_races_pud },
		{ "memcg limit: populate ENOMEM, faults OOM-kill", memcg_limit },
	};

	return mor_run(cases, sizeof(cases) / sizeof(cases[0]));
}
