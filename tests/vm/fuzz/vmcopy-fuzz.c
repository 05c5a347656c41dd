// SPDX-License-Identifier: GPL-2.0
/*
 * vmcopy-fuzz: random mapping mixes -> vmcopy() -> contents checked against
 * a model, then random writes, discards, file writes, swap-out, copies of
 * copies and fork, each followed by a full check of every side.
 *
 * A layout is 1-6 adjacent pieces, each one of: private anonymous, shared
 * anonymous, memfd shared, memfd private (file COW), THP (2 MiB aligned,
 * MADV_HUGEPAGE), read-only private (written, then mprotect), shared hugetlb
 * (when the pool has free 2 MiB pages). The model: every page of every side
 * (the source and each copy) is a tag; a tag fills the page with words
 * derived from it (0: zeros). Private pages have a tag per side; shared
 * pages read the tag of their object (shared memory, file); a private file
 * page nobody wrote reads the file's tag.
 *
 * Usage: vmcopy-fuzz [-t SECONDS] [-s SEED] [-u root|nobody|both] [-v]
 * Exit: 0 no mismatch; 1 a mismatch or an unexpected error (printed with
 * the seed and the layout); 2 usage/setup.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/syscall.h>

#include <linux/anker.h>

#include "fuzz.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

enum kind { V_ANON, V_SHARED, V_MEMFD_SH, V_MEMFD_PRIV, V_THP, V_RO, V_HUGETLB, N_KINDS };
static const char *const kind_name[N_KINDS] = {
	"anon", "shared", "memfd-shared", "memfd-private", "thp", "read-only", "hugetlb-shared"
};

#define MAX_PIECES 6
#define MAX_SIDES 4
#define FILEREF 0xffffffffU	/* a private file page nobody wrote */

struct piece {
	int kind, fd, ro;
	unsigned long first, pages;	/* in layout pages */
	uint32_t *obj;			/* shared/file tags, per piece page */
};
struct side {
	unsigned long addr, first, n;	/* covers layout pages [first, first + n) */
	uint32_t *val;			/* private tags, per side page */
};

static struct piece pc[MAX_PIECES];
static int npieces;
static unsigned long npages;
static struct side sd[MAX_SIDES];
static int nsides;
static uint32_t next_tag = 1;
static int verbose, hugetlb_ok, swap_ok;
static uint64_t cur_seed;
static unsigned long iterations, vmcopies, checked_pages, skipped, races;
/* the workers' totals, for the parent's summary */
static struct totals {
	unsigned long iterations, vmcopies, checked_pages, skipped;
} *totals;

static int piece_of(unsigned long lp)
{
	for (int k = 0; k < npieces; k++)
		if (lp >= pc[k].first && lp < pc[k].first + pc[k].pages)
			return k;
	return -1;
}

static int is_shared(int kind)
{
	return kind == V_SHARED || kind == V_MEMFD_SH || kind == V_HUGETLB;
}

static uint64_t word(uint32_t tag, unsigned int i)
{
	return tag ? ((uint64_t)tag << 32) ^ (i * 0x9e3779b1U) ^ 0x5a5a : 0;
}

static void fill(void *page, uint32_t tag)
{
	uint64_t *w = page;

	for (unsigned int i = 0; i < PG / 8; i++)
		w[i] = word(tag, i);
}

static uint32_t expect(const struct side *s, unsigned long c)
{
	unsigned long lp = s->first + c;
	int k = piece_of(lp);

	if (is_shared(pc[k].kind))
		return pc[k].obj[lp - pc[k].first];
	if (s->val[c] == FILEREF)
		return pc[k].obj[lp - pc[k].first];
	return s->val[c];
}

static void describe(void)
{
	printf("# seed %#llx iteration %lu; layout:", (unsigned long long)cur_seed, iterations);
	for (int k = 0; k < npieces; k++)
		printf(" [%lu+%lu %s]", pc[k].first, pc[k].pages, kind_name[pc[k].kind]);
	printf("\n");
	for (int i = 0; i < nsides; i++)
		printf("#   side %d at %#lx: layout pages %lu..%lu\n", i, sd[i].addr,
		       sd[i].first, sd[i].first + sd[i].n - 1);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("# FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	describe();
	fflush(stdout);
	_exit(1);
}

static void check_side(int i, const char *when)
{
	const struct side *s = &sd[i];

	for (unsigned long c = 0; c < s->n; c++) {
		const uint64_t *w = (const uint64_t *)(s->addr + c * PG);
		uint32_t t = expect(s, c);

		for (unsigned int j = 0; j < PG / 8; j += (j < 8 ? 1 : 61)) {
			if (w[j] != word(t, j))
				fail("%s: side %d page %lu (layout %lu, %s) word %u: %#llx, expected tag %u (%#llx)",
				     when, i, c, s->first + c, kind_name[pc[piece_of(s->first + c)].kind],
				     j, (unsigned long long)w[j], t, (unsigned long long)word(t, j));
		}
		if (w[PG / 8 - 1] != word(t, PG / 8 - 1))
			fail("%s: side %d page %lu: last word %#llx, expected tag %u", when, i, c,
			     (unsigned long long)w[PG / 8 - 1], t);
		checked_pages++;
	}
}

static void check_all(const char *when)
{
	for (int i = 0; i < nsides; i++)
		check_side(i, when);
}

/* Write a new tag to page c of side i (if that piece may be written). */
static void write_page(int i, unsigned long c)
{
	struct side *s = &sd[i];
	unsigned long lp = s->first + c;
	int k = piece_of(lp);
	uint32_t t = next_tag++;

	if (pc[k].ro)
		return;
	fill((void *)(s->addr + c * PG), t);
	if (is_shared(pc[k].kind))
		pc[k].obj[lp - pc[k].first] = t;
	else
		s->val[c] = t;
}

static void discard_page(int i, unsigned long c)
{
	struct side *s = &sd[i];
	unsigned long lp = s->first + c;
	int k = piece_of(lp);

	if (is_shared(pc[k].kind) || pc[k].ro)
		return;	/* MADV_DONTNEED on shared memory keeps the contents */
	if (madvise((void *)(s->addr + c * PG), PG, MADV_DONTNEED))
		fail("madvise(DONTNEED): %s", strerror(errno));
	s->val[c] = pc[k].kind == V_MEMFD_PRIV ? FILEREF : 0;
}

/* pwrite to the file of a private memfd piece: visible where nobody wrote. */
static void file_write(void)
{
	int k = rnd(npieces);
	unsigned long q;
	uint32_t t;
	static uint64_t buf[PG / 8];

	if (pc[k].kind != V_MEMFD_PRIV && pc[k].kind != V_MEMFD_SH)
		return;
	q = rnd(pc[k].pages);
	t = next_tag++;
	fill(buf, t);
	if (pwrite(pc[k].fd, buf, PG, q * PG) != (ssize_t)PG)
		fail("pwrite: %s", strerror(errno));
	pc[k].obj[q] = t;
}

static void build_layout(void)
{
	unsigned long total = 0, base;
	void *p;

	npieces = 1 + rnd(MAX_PIECES);
	for (int k = 0; k < npieces; k++) {
		int kind = rnd(N_KINDS);

		if (kind == V_HUGETLB && !hugetlb_ok)
			kind = V_ANON;
		pc[k].kind = kind;
		pc[k].fd = -1;
		pc[k].ro = 0;
		if (kind == V_THP || kind == V_HUGETLB) {
			/* 2 MiB aligned in the layout: the piece before grows to the boundary */
			if (total & 511) {
				pc[k - 1].pages += 512 - (total & 511);
				total = (total + 511) & ~511UL;
			}
			pc[k].pages = kind == V_HUGETLB ? 512 : 512 * (1 + rnd(2));
		} else {
			pc[k].pages = 1 + rnd(one_in(4) ? 700 : 48);
		}
		pc[k].first = total;
		total += pc[k].pages;
	}
	npages = total;
	/* reserve, 2 MiB aligned, then place each piece exactly */
	p = mmap(NULL, npages * PG + HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		fail("mmap reserve: %s", strerror(errno));
	base = ((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1);
	if (base > (unsigned long)p)
		munmap(p, base - (unsigned long)p);
	munmap((void *)(base + npages * PG), (unsigned long)p + HPAGE - base);
	for (int k = 0; k < npieces; k++) {
		unsigned long a = base + pc[k].first * PG, len = pc[k].pages * PG;
		int flags = MAP_FIXED, fd = -1;

		switch (pc[k].kind) {
		case V_ANON: case V_THP: case V_RO:
			flags |= MAP_PRIVATE | MAP_ANONYMOUS;
			break;
		case V_SHARED:
			flags |= MAP_SHARED | MAP_ANONYMOUS;
			break;
		case V_HUGETLB:
			flags |= MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB;
			break;
		case V_MEMFD_SH: case V_MEMFD_PRIV:
			fd = memfd_create("vmcopy-fuzz", 0);
			if (fd < 0 || ftruncate(fd, len))
				fail("memfd: %s", strerror(errno));
			pc[k].fd = fd;
			flags |= pc[k].kind == V_MEMFD_SH ? MAP_SHARED : MAP_PRIVATE;
			break;
		}
		if (mmap((void *)a, len, PROT_READ | PROT_WRITE, flags, fd, 0) == MAP_FAILED) {
			if (pc[k].kind == V_HUGETLB && errno == ENOMEM) {
				pc[k].kind = V_ANON;	/* the pool ran dry */
				k--;
				continue;
			}
			fail("mmap piece %d (%s): %s", k, kind_name[pc[k].kind], strerror(errno));
		}
		pc[k].obj = calloc(pc[k].pages, sizeof(uint32_t));
		if (pc[k].kind == V_THP)
			madvise((void *)a, len, MADV_HUGEPAGE);
	}
	/* the source side, and its first contents */
	nsides = 1;
	sd[0].addr = base;
	sd[0].first = 0;
	sd[0].n = npages;
	sd[0].val = calloc(npages, sizeof(uint32_t));
	for (int k = 0; k < npieces; k++) {
		int dense = rnd(3);	/* no, some, all pages written */

		if (pc[k].kind == V_MEMFD_PRIV || pc[k].kind == V_MEMFD_SH) {
			static uint64_t buf[PG / 8];

			for (unsigned long q = 0; q < pc[k].pages; q++) {
				if (!one_in(3))
					continue;
				pc[k].obj[q] = next_tag++;
				fill(buf, pc[k].obj[q]);
				if (pwrite(pc[k].fd, buf, PG, q * PG) != (ssize_t)PG)
					fail("pwrite: %s", strerror(errno));
			}
			if (pc[k].kind == V_MEMFD_PRIV)
				for (unsigned long q = 0; q < pc[k].pages; q++)
					sd[0].val[pc[k].first + q] = FILEREF;
		}
		for (unsigned long q = 0; q < pc[k].pages; q++)
			if (dense == 2 || (dense == 1 && one_in(3)))
				write_page(0, pc[k].first + q);
		if (pc[k].kind == V_RO || (pc[k].kind == V_ANON && one_in(6))) {
			pc[k].ro = 1;
			if (mprotect((void *)(base + pc[k].first * PG), pc[k].pages * PG, PROT_READ))
				fail("mprotect: %s", strerror(errno));
		}
	}
}

static void teardown(void)
{
	for (int i = 0; i < nsides; i++) {
		munmap((void *)sd[i].addr, sd[i].n * PG);
		free(sd[i].val);
	}
	for (int k = 0; k < npieces; k++) {
		if (pc[k].fd >= 0)
			close(pc[k].fd);
		free(pc[k].obj);
	}
	nsides = npieces = 0;
}

/* A hugetlb piece cannot be cut inside a huge page: round out. */
static void align_window(unsigned long *first, unsigned long *end)
{
	int k = piece_of(*first);

	if (pc[k].kind == V_HUGETLB)
		*first = pc[k].first + ((*first - pc[k].first) & ~511UL);
	k = piece_of(*end - 1);
	if (pc[k].kind == V_HUGETLB)
		*end = pc[k].first + (((*end - pc[k].first) + 511) & ~511UL);
}

/* vmcopy a window of side `from` into a new side; 0 ok, -1 skipped */
static int copy_side(int from)
{
	struct side *f = &sd[from], *s;
	unsigned long c0, c1, first, end, len, dst = 0, r;
	unsigned long congruent;
	unsigned int flags = 0;
	int hugetlb = 0;
	void *hole = NULL;

	if (nsides == MAX_SIDES)
		return -1;
	c0 = rnd(f->n);
	c1 = c0 + 1 + rnd(f->n - c0);
	first = f->first + c0;
	end = f->first + c1;
	align_window(&first, &end);
	if (first < f->first || end > f->first + f->n)
		return -1;
	c0 = first - f->first;
	len = (end - first) * PG;
	/* same offset in a 2 MiB page as the source: needed by hugetlb pieces */
	congruent = (f->addr + c0 * PG) & (HPAGE - 1);
	for (unsigned long lp = first; lp < end; lp++)
		if (pc[piece_of(lp)].kind == V_HUGETLB)
			hugetlb = 1;
	if (!hugetlb && one_in(2))
		congruent = rnd(512) * PG;	/* THP pieces then get 4 KiB entries */
	switch (rnd(4)) {
	case 0:
		/* a fixed place over a mapping of ours: replaced */
		hole = mmap(NULL, len + 2 * HPAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (hole == MAP_FAILED)
			return -1;
		dst = (((unsigned long)hole + HPAGE - 1) & ~(HPAGE - 1)) + congruent;
		flags = VMCOPY_FIXED;
		break;
	case 1:
		/* a fixed place in a hole */
		hole = mmap(NULL, len + 2 * HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (hole == MAP_FAILED)
			return -1;
		munmap(hole, len + 2 * HPAGE);
		dst = (((unsigned long)hole + HPAGE - 1) & ~(HPAGE - 1)) + congruent;
		hole = NULL;
		flags = VMCOPY_FIXED_NOREPLACE;
		break;
	default:
		break;
	}
	r = syscall(ANKER_NR_vmcopy, f->addr + c0 * PG, len, dst, flags);
	vmcopies++;
	if (r == (unsigned long)-1) {
		int e = errno;

		if (hole)
			munmap(hole, len + 2 * HPAGE);
		if (e == ENOMEM || (e == EEXIST && flags == VMCOPY_FIXED_NOREPLACE)) {
			skipped++;	/* memory pressure, or someone took the hole */
			return -1;
		}
		fail("vmcopy(side %d page %lu, %lu pages, dst %#lx, flags %u): %s",
		     from, c0, len / PG, dst, flags, strerror(e));
	}
	if (flags && r != dst)
		fail("vmcopy fixed at %#lx returned %#lx", dst, r);
	if (hole) {
		/* the part of the decoy mapping around the copy */
		if (dst > (unsigned long)hole)
			munmap(hole, dst - (unsigned long)hole);
		if ((unsigned long)hole + len + 2 * HPAGE > dst + len)
			munmap((void *)(dst + len), (unsigned long)hole + 2 * HPAGE - dst);
	}
	s = &sd[nsides++];
	s->addr = r;
	s->first = first;
	s->n = end - first;
	s->val = malloc(s->n * sizeof(uint32_t));
	memcpy(s->val, f->val + c0, s->n * sizeof(uint32_t));
	return 0;
}

static void mutate(void)
{
	int rounds = 1 + rnd(4);

	while (rounds--) {
		int i = rnd(nsides), what = rnd(10);
		unsigned long c = rnd(sd[i].n), n = 1 + rnd(16);

		if (c + n > sd[i].n)
			n = sd[i].n - c;
		if (what < 6) {
			for (unsigned long q = c; q < c + n; q++)
				write_page(i, q);
		} else if (what < 8) {
			for (unsigned long q = c; q < c + n; q++)
				discard_page(i, q);
		} else if (what < 9) {
			file_write();
		} else if (swap_ok) {
			madvise((void *)(sd[i].addr + c * PG), n * PG, MADV_PAGEOUT);
		}
	}
}

/* A fork child sees every side as the parent does, and its writes stay its own. */
static void fork_check(void)
{
	pid_t p = fork();
	int st;

	if (p < 0)
		return;
	if (p == 0) {
		check_all("fork child, before writing");
		for (int n = 0; n < 8; n++) {
			int i = rnd(nsides);
			unsigned long c = rnd(sd[i].n);

			if (!is_shared(pc[piece_of(sd[i].first + c)].kind))
				write_page(i, c);
		}
		check_all("fork child, after writing");
		_exit(0);
	}
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		fail("fork child failed (status %#x)", st);
	check_all("parent after fork child");
}

/*
 * A thread writes whole pages of a private anonymous range (word by word,
 * tag after tag) while vmcopy() copies it: every word of the copy must be a
 * word of the page's first tag or of a tag written before the call ended,
 * and writes after the call must not reach the copy.
 */
#define RACE_PAGES 64
static struct race {
	unsigned long src;
	uint32_t base;
	volatile int stop, done;
	volatile unsigned long rounds;
} race;
#define RACE_ROUNDS 4000	/* tags per page the writer may use */

static void *race_writer(void *arg)
{
	while (!race.stop && race.rounds < RACE_ROUNDS - 1) {
		uint32_t r = race.rounds + 1;

		for (unsigned long i = 0; i < RACE_PAGES && !race.stop; i++)
			fill((void *)(race.src + i * PG), race.base + r * RACE_PAGES + i);
		race.rounds = r;
	}
	race.done = 1;
	return NULL;
}

static void race_check(void)
{
	unsigned long len = RACE_PAGES * PG, dst;
	static uint64_t snap[RACE_PAGES * PG / 8];
	pthread_t th;
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	race.src = (unsigned long)p;
	race.base = next_tag;
	next_tag += RACE_PAGES * RACE_ROUNDS;	/* room for the writer's tags */
	for (unsigned long i = 0; i < RACE_PAGES; i++)
		fill((void *)(race.src + i * PG), race.base + i);
	race.stop = race.done = 0;
	race.rounds = 0;
	if (pthread_create(&th, NULL, race_writer, NULL)) {
		munmap(p, len);
		return;
	}
	{
		unsigned long start_after = 1 + rnd(3);

		while (race.rounds < start_after && !race.done)
			;
	}
	dst = syscall(ANKER_NR_vmcopy, race.src, len, 0, 0);
	vmcopies++;
	if (dst == (unsigned long)-1) {
		race.stop = 1;
		pthread_join(th, NULL);
		munmap(p, len);
		if (errno == ENOMEM) {
			skipped++;
			return;
		}
		fail("vmcopy during writes: %s", strerror(errno));
	}
	memcpy(snap, (void *)dst, len);
	{
		unsigned long r0 = race.rounds;

		while (race.rounds < r0 + 2 && !race.done)	/* writes after the call */
			;
	}
	race.stop = 1;
	pthread_join(th, NULL);
	races++;
	for (unsigned long i = 0; i < RACE_PAGES; i++) {
		const uint64_t *w = (const uint64_t *)(dst + i * PG);

		for (unsigned int j = 0; j < PG / 8; j++) {
			uint64_t x = w[j] ^ (j * 0x9e3779b1U) ^ 0x5a5a;
			uint32_t t = x >> 32;
			uint32_t off = t - race.base;

			if (w[j] != snap[i * PG / 8 + j])
				fail("race: copy page %lu word %u changed after vmcopy returned", i, j);
			if (w[j] != word(t, j) || off % RACE_PAGES != i ||
			    off / RACE_PAGES > race.rounds)
				fail("race: copy page %lu word %u = %#llx: no tag of this page",
				     i, j, (unsigned long long)w[j]);
		}
		checked_pages++;
	}
	munmap((void *)dst, len);
	munmap(p, len);
}

static void iteration(void)
{
	if (one_in(8))
		race_check();
	build_layout();
	check_all("source before vmcopy");
	if (swap_ok && one_in(4))
		madvise((void *)sd[0].addr, npages * PG, MADV_PAGEOUT);
	if (copy_side(0) == 0) {
		check_all("right after vmcopy");
		for (int r = 0; r < 6; r++) {
			mutate();
			check_all("after writes");
			if (one_in(3) && copy_side(rnd(nsides)) == 0)
				check_all("after a copy of a copy");
			if (one_in(8))
				fork_check();
		}
	}
	if (verbose)
		describe();
	teardown();
	iterations++;
}

static void worker(uint64_t seed, double deadline, int nobody)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (nobody && drop_to_nobody()) {
		perror("drop to nobody");
		_exit(2);
	}
	while (now() < deadline) {
		cur_seed = seed + iterations;
		rng_seed(cur_seed);
		iteration();
	}
	printf("# vmcopy-fuzz (%s): %lu iterations, %lu vmcopy calls (%lu refused: ENOMEM/EEXIST), %lu of them racing a writer, %lu pages checked\n",
	       nobody ? "uid 65534" : "root", iterations, vmcopies, skipped, races, checked_pages);
	__atomic_add_fetch(&totals->iterations, iterations, __ATOMIC_RELAXED);
	__atomic_add_fetch(&totals->vmcopies, vmcopies, __ATOMIC_RELAXED);
	__atomic_add_fetch(&totals->skipped, skipped, __ATOMIC_RELAXED);
	__atomic_add_fetch(&totals->checked_pages, checked_pages, __ATOMIC_RELAXED);
	_exit(0);
}

int main(int argc, char **argv)
{
	double secs = 60, start;
	uint64_t seed = (uint64_t)time(NULL) ^ getpid();
	int opt, mode = 2, failed = 0, n = 0;
	pid_t pids[2];
	FILE *f;
	char line[256];

	while ((opt = getopt(argc, argv, "t:s:u:v")) != -1) {
		switch (opt) {
		case 't': secs = atof(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'u': mode = !strcmp(optarg, "root") ? 0 : !strcmp(optarg, "nobody") ? 1 : 2; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: vmcopy-fuzz [-t SECONDS] [-s SEED] [-u root|nobody|both] [-v]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	f = fopen("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "r");
	if (f) {
		hugetlb_ok = fgets(line, sizeof(line), f) && atoi(line) >= 2;
		fclose(f);
	}
	f = fopen("/proc/swaps", "r");
	if (f) {
		int lines = 0;

		while (fgets(line, sizeof(line), f))
			lines++;
		swap_ok = lines > 1;
		fclose(f);
	}
	if (syscall(ANKER_NR_vmcopy, 0, 0, 0, 0) == -1 && errno == ENOSYS) {
		printf("# vmcopy-fuzz: SKIP: the kernel has no vmcopy (ENOSYS)\n");
		return 0;
	}
	printf("# vmcopy-fuzz: seed %#llx, %.0f s, hugetlb %s, swap %s\n",
	       (unsigned long long)seed, secs, hugetlb_ok ? "yes" : "no (no free 2 MiB pages)",
	       swap_ok ? "yes" : "no");
	totals = shared_alloc(sizeof(*totals));
	start = now();
	for (int w = 0; w < 2; w++) {
		if ((mode == 0 && w == 1) || (mode == 1 && w == 0))
			continue;
		pids[n] = fork();
		if (pids[n] == 0)
			worker(seed + ((uint64_t)w << 40), start + secs, w == 1);
		if (pids[n] > 0)
			n++;
	}
	for (int i = 0; i < n; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("# worker %d: status %#x\n", i, st);
			failed = 1;
		}
	}
	printf("vmcopy-fuzz: %s; %lu layouts, %lu vmcopy calls (%lu refused), %lu pages checked in %.0f s, %s\n",
	       failed ? "FAILED" : "no mismatch", totals->iterations, totals->vmcopies,
	       totals->skipped, totals->checked_pages, now() - start,
	       mode == 0 ? "as root" : mode == 1 ? "as uid 65534" : "as root and uid 65534");
	return failed;
}
