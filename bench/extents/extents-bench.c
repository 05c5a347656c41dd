// SPDX-License-Identifier: GPL-2.0
/*
 * The extents benchmark, run in the guest (bench kernel).
 *
 *   extents-bench seq|rand|hash MIB     a workload in this process (tracked
 *                                       from its start), then one TSV row
 *   extents-bench sample NAME CMD...    run CMD tracked (inherited), sample the
 *                                       tracked processes every SECS (env
 *                                       SAMPLE_SECS, default 1), one TSV row of
 *                                       the sample with the most resident bytes
 *   extents-bench faults MIB ROUNDS     page-fault throughput with extents and
 *                                       fault statistics off and on; each
 *                                       sample is also classed by whether the
 *                                       pages it got were physically contiguous
 *
 * Row: workload extents resident rss top8 top32 top128 top512 walk_extents
 *      missing_bytes (shares in %; walk: EXTENTS_CHECK's page-table walk).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "anker.h"

#define PG 4096UL
#define MB (1024UL * 1024)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void row(const char *name, int pid, const struct anker_extents_summary *s)
{
	struct extents_check c = { 0 };

	if (extents_ctl(pid, EXTENTS_CHECK, 0, &c) < 0)
		memset(&c, 0, sizeof(c));
	printf("%s\t%llu\t%llu\t%llu\t%.2f\t%.2f\t%.2f\t%.2f\t%llu\t%llu\n", name,
	       (unsigned long long)s->extents, (unsigned long long)s->resident,
	       (unsigned long long)s->rss, s->top[0], s->top[1], s->top[2], s->top[3],
	       (unsigned long long)c.walk_extents, (unsigned long long)c.missing_bytes);
	fflush(stdout);
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

struct node {
	struct node *next;
	uint64_t key, val;
	char pad[40];
};

static int workload(const char *w, size_t mib)
{
	struct anker_extents_summary s;
	size_t len = mib * MB, n = len / PG;
	uint64_t x = 88172645463325252ULL;
	char name[64];

	if (anker_extents_enable(0)) {
		perror("extents-bench: enable");
		return 1;
	}
	if (!strcmp(w, "seq") || !strcmp(w, "rand")) {
		char *p = malloc(len);

		if (!p)
			return 1;
		if (!strcmp(w, "seq")) {
			for (size_t i = 0; i < n; i++)
				p[i * PG] = 1;
		} else {
			size_t *perm = malloc(n * sizeof(*perm));

			for (size_t i = 0; i < n; i++)
				perm[i] = i;
			for (size_t i = n - 1; i > 0; i--) {
				size_t j = rnd(&x) % (i + 1), t = perm[i];

				perm[i] = perm[j];
				perm[j] = t;
			}
			for (size_t i = 0; i < n; i++)
				p[perm[i] * PG] = 1;
			free(perm);
		}
	} else {
		/* A chained hash table: buckets array plus malloc'd nodes */
		size_t nodes = len / sizeof(struct node), nb = nodes / 2;
		struct node **b = calloc(nb, sizeof(*b));

		if (!b)
			return 1;
		for (size_t i = 0; i < nodes; i++) {
			struct node *e = malloc(sizeof(*e));
			uint64_t k = rnd(&x);

			if (!e)
				return 1;
			e->key = k;
			e->val = i;
			e->next = b[k % nb];
			b[k % nb] = e;
		}
	}
	if (anker_extents_summary(0, &s))
		return 1;
	snprintf(name, sizeof(name), "%s %zu MiB", w, mib);
	row(name, 0, &s);
	return 0;
}

/* The tracked process (not us) with the most resident bytes now */
static int best_tracked(struct anker_extents_summary *best)
{
	struct anker_extents_summary s;
	struct dirent *d;
	int pid = 0;
	DIR *dir = opendir("/proc");

	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		int p = atoi(d->d_name);

		if (p <= 0 || p == getpid())
			continue;
		if (anker_extents_summary(p, &s) || !s.enabled)
			continue;
		if (!pid || s.resident > best->resident) {
			*best = s;
			pid = p;
		}
	}
	closedir(dir);
	return pid;
}

static int sample(const char *name, char **cmd)
{
	struct anker_extents_summary best = { 0 }, s;
	const char *e = getenv("SAMPLE_SECS");
	double secs = e ? atof(e) : 1.0, next;
	int st, best_pid = 0;
	struct extents_check c = { 0 }, bestc = { 0 };
	pid_t pid;

	if (anker_extents_enable(0)) {
		perror("extents-bench: enable");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	/* Not us: drop our own set, the children keep theirs */
	anker_extents_disable(0);
	next = now() + secs;
	for (;;) {
		int p;

		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(20000);
		if (now() < next)
			continue;
		p = best_tracked(&s);
		if (p && s.resident > best.resident) {
			best = s;
			best_pid = p;
			memset(&c, 0, sizeof(c));
			if (extents_ctl(p, EXTENTS_CHECK, 0, &c) >= 0)
				bestc = c;
		}
		next = now() + secs;
	}
	if (!best_pid) {
		fprintf(stderr, "extents-bench: %s: no tracked process sampled\n", name);
		return 1;
	}
	printf("%s\t%llu\t%llu\t%llu\t%.2f\t%.2f\t%.2f\t%.2f\t%llu\t%llu\n", name,
	       (unsigned long long)best.extents, (unsigned long long)best.resident,
	       (unsigned long long)best.rss, best.top[0], best.top[1], best.top[2],
	       best.top[3], (unsigned long long)bestc.walk_extents,
	       (unsigned long long)bestc.missing_bytes);
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : 1;
}

/* ---- fault throughput ---- */

static int write_str(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, v, strlen(v)) == (ssize_t)strlen(v);
	close(fd);
	return ok ? 0 : -1;
}

#define EXT_SYSCTL "/proc/sys/vm/anker_extents"
#define FS_SYSCTL "/proc/sys/vm/anker_fault_stats"

/*
 * Were most pages of [p, p + len) physically contiguous with the one before
 * (one extent for many faults)?  1 yes, 0 no, -1 unknown (frame numbers
 * need CAP_SYS_ADMIN).  The page allocator hands out a region freed by the
 * previous round in the reverse order, so rounds alternate between the two.
 */
static int contiguous(const char *p, size_t len)
{
	size_t n = len / PG, asc = 0, known = 0;
	uint64_t *pm = malloc(n * sizeof(*pm));
	int fd = open("/proc/self/pagemap", O_RDONLY);
	const uint64_t pfn = (1ULL << 55) - 1;

	if (pm && fd >= 0 &&
	    pread(fd, pm, n * sizeof(*pm), (uintptr_t)p / PG * sizeof(*pm)) ==
	    (ssize_t)(n * sizeof(*pm))) {
		for (size_t i = 1; i < n; i++) {
			known += (pm[i] & pfn) != 0;
			asc += (pm[i] & pfn) && (pm[i] & pfn) == (pm[i - 1] & pfn) + 1;
		}
	}
	if (fd >= 0)
		close(fd);
	free(pm);
	return known ? asc > n / 2 : -1;
}

/* Faults per second: anonymous write faults on 4 KiB pages */
static double fault_rate(size_t len, int *contig)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t;

	if (p == MAP_FAILED)
		return 0;
	madvise(p, len, MADV_NOHUGEPAGE);
	t = now();
	for (size_t o = 0; o < len; o += PG)
		p[o] = 1;
	t = now() - t;
	*contig = contiguous(p, len);
	munmap(p, len);
	return (len / PG) / t;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of the samples of config ci whose class is cls (2: all) */
static double median_of(const double *r, const int *cl, int ci, int rounds,
			int cls, int *n)
{
	double *v = calloc(rounds, sizeof(double)), m = 0;
	int k;

	*n = 0;
	for (k = 0; k < rounds; k++)
		if (r[ci * rounds + k] && (cls == 2 || cl[ci * rounds + k] == cls))
			v[(*n)++] = r[ci * rounds + k];
	if (*n) {
		qsort(v, *n, sizeof(double), cmp_d);
		m = *n % 2 ? v[*n / 2] : (v[*n / 2 - 1] + v[*n / 2]) / 2;
	}
	free(v);
	return m;
}

struct config {
	const char *name;
	const char *ext;	/* vm.anker_extents */
	int track;		/* extents_ctl ENABLE on ourselves */
	const char *fs;		/* vm.anker_fault_stats, NULL: leave */
};

static int faults(size_t mib, int rounds)
{
	static const struct config cfgs[] = {
		{ "off: vm.anker_extents=0, vm.anker_fault_stats=0", "0", 0, "0" },
		{ "extents sysctl 1, process not tracked", "1", 0, "0" },
		{ "extents on (process tracked)", "1", 1, "0" },
		{ "fault statistics on", "0", 0, "1" },
		{ "both on", "1", 1, "1" },
	};
	int ncfg = sizeof(cfgs) / sizeof(cfgs[0]);
	int have_fs = access(FS_SYSCTL, W_OK) == 0;
	double *r = calloc(ncfg * rounds, sizeof(double));
	int *cl = calloc(ncfg * rounds, sizeof(int)), dummy;
	char old_ext[8] = "1", old_fs[8] = "1";
	FILE *f;

	f = fopen(EXT_SYSCTL, "r");
	if (!f || !fgets(old_ext, sizeof(old_ext), f)) {
		fprintf(stderr, "extents-bench: no %s\n", EXT_SYSCTL);
		return 1;
	}
	fclose(f);
	f = have_fs ? fopen(FS_SYSCTL, "r") : NULL;
	if (f) {
		if (!fgets(old_fs, sizeof(old_fs), f))
			strcpy(old_fs, "1");
		fclose(f);
	}
	fault_rate(mib * MB, &dummy);	/* warm up */
	for (int k = 0; k < rounds; k++) {
		for (int i = 0; i < ncfg; i++) {
			const struct config *c = &cfgs[(i + k) % ncfg];
			int ci = (i + k) % ncfg;

			if (c->fs && !have_fs && !strcmp(c->fs, "1"))
				continue;
			write_str(EXT_SYSCTL, "1");
			anker_extents_disable(0);
			if (c->track)
				anker_extents_enable(0);
			write_str(EXT_SYSCTL, c->ext);
			if (have_fs)
				write_str(FS_SYSCTL, c->fs);
			r[ci * rounds + k] = fault_rate(mib * MB,
							&cl[ci * rounds + k]);
		}
	}
	write_str(EXT_SYSCTL, "1");
	anker_extents_disable(0);
	write_str(EXT_SYSCTL, old_ext);
	if (have_fs)
		write_str(FS_SYSCTL, old_fs);

	/*
	 * Per configuration: median over all samples, over those whose pages
	 * were physically contiguous and over the others, each against "off"
	 * in the same class.
	 */
	printf("# faults\t%zu MiB\t%d rounds\t%s\n", mib, rounds,
	       have_fs ? "present" : "absent");
	for (int i = 0; i < ncfg; i++) {
		printf("fault\t%s", cfgs[i].name);
		for (int cls = 2; cls >= 0; cls--) {
			int n, n0;
			double base = median_of(r, cl, 0, rounds, cls, &n0);
			double m = median_of(r, cl, i, rounds, cls, &n);

			if (!n || !n0)
				printf("\t-\t-\t0");
			else
				printf("\t%.0f\t%.2f\t%d", m,
				       100.0 * (base - m) / base, n);
		}
		printf("\n");
	}
	free(r);
	free(cl);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && (!strcmp(argv[1], "seq") || !strcmp(argv[1], "rand") ||
			  !strcmp(argv[1], "hash")))
		return workload(argv[1], strtoul(argv[2], NULL, 10));
	if (argc >= 4 && !strcmp(argv[1], "sample"))
		return sample(argv[2], argv + 3);
	if (argc == 4 && !strcmp(argv[1], "faults"))
		return faults(strtoul(argv[2], NULL, 10), atoi(argv[3]));
	fprintf(stderr, "usage: extents-bench seq|rand|hash MIB | sample NAME CMD... | faults MIB ROUNDS\n");
	return 2;
}
