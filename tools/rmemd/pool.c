// SPDX-License-Identifier: GPL-2.0
/*
 * rmemd's pool: one mapping of --size bytes (huge pages where possible,
 * mlock'ed where allowed), carved into named regions first-fit, in
 * RSWAP_SIZE_ALIGN units.  A region lives until a CLOSE with RSWAP_F_FREE
 * was asked and its last connection went away; until then reopening the
 * name attaches to the same memory.
 */
#include "rmemd.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_2M (2ull << 20)

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

int pool_init(struct pool *p, uint64_t size, enum pool_backing b, enum pool_lock l)
{
	void *m = MAP_FAILED;

	memset(p, 0, sizeof(*p));
	p->size = size;
	if (b == POOL_AUTO || b == POOL_HUGETLB) {
		p->map_size = round_up(size, HUGE_2M);
		m = mmap(NULL, p->map_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
		if (m != MAP_FAILED) {
			/* Populate it now: with MAP_NORESERVE a hugetlb pool
			 * short of pages would SIGBUS on a later first touch.
			 * MADV_POPULATE_WRITE reports the shortage instead
			 * (MAP_POPULATE would not); then fall back to THP. */
#ifdef MADV_POPULATE_WRITE
			if (madvise(m, p->map_size, MADV_POPULATE_WRITE)) {
				munmap(m, p->map_size);
				m = MAP_FAILED;
			}
#else
			munmap(m, p->map_size);
			m = MAP_FAILED;
#endif
		}
		if (m != MAP_FAILED)
			p->backing = "hugetlb 2 MiB pages";
		else if (b == POOL_HUGETLB) {
			rmemd_log("cannot get %llu MiB of hugetlb pages (see /proc/sys/vm/nr_hugepages)",
				  (unsigned long long)(p->map_size >> 20));
			return -1;
		}
	}
	if (m == MAP_FAILED) {
		bool thp = b == POOL_AUTO || b == POOL_THP;

		p->map_size = round_up(size, thp ? HUGE_2M : 4096);
		m = mmap(NULL, p->map_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED) {
			rmemd_log("cannot map a pool of %llu bytes: %s",
				  (unsigned long long)size, strerror(errno));
			return -1;
		}
		p->backing = "4 KiB pages";
		if (thp && madvise(m, p->map_size, MADV_HUGEPAGE) == 0)
			p->backing = "transparent huge pages";
	}
	p->mem = m;
	if (l != LOCK_OFF) {
		if (mlock(p->mem, p->map_size) == 0) {
			p->locked = true;
		} else if (l == LOCK_ON) {
			rmemd_log("cannot mlock the pool: %s (raise RLIMIT_MEMLOCK or run with CAP_IPC_LOCK)",
				  strerror(errno));
			munmap(p->mem, p->map_size);
			return -1;
		} else {
			rmemd_log("warning: cannot mlock the pool: %s; it may be swapped out "
				  "(raise RLIMIT_MEMLOCK or run with CAP_IPC_LOCK)", strerror(errno));
		}
	}
	return 0;
}

void pool_destroy(struct pool *p)
{
	for (int i = 0; i < p->nregions; i++)
		free(p->regions[i]);
	p->nregions = 0;
	if (p->mem)
		munmap(p->mem, p->map_size);
	p->mem = NULL;
}

static struct region *find(struct pool *p, const char *name)
{
	for (int i = 0; i < p->nregions; i++)
		if (!strcmp(p->regions[i]->name, name))
			return p->regions[i];
	return NULL;
}

/* First fit: the index to insert at and the offset, or -1. */
static int find_gap(struct pool *p, uint64_t size, uint64_t *off)
{
	uint64_t start = 0;

	for (int i = 0; i <= p->nregions; i++) {
		uint64_t end = i < p->nregions ? p->regions[i]->off : p->size;

		if (end - start >= size) {
			*off = start;
			return i;
		}
		if (i < p->nregions)
			start = p->regions[i]->off + p->regions[i]->size;
	}
	return -1;
}

int pool_open(struct pool *p, const char *name, uint64_t size,
	      struct region **out, bool *created)
{
	struct region *r;
	uint64_t off;
	int idx, ret = 0;

	pthread_mutex_lock(&pool_lock);
	r = find(p, name);
	if (r) {
		if (size && size != r->size) {
			ret = RSWAP_EEXIST;
			goto out;
		}
		r->users++;
		*created = false;
		*out = r;
		goto out;
	}
	if (!size) {
		ret = RSWAP_ENOENT;
		goto out;
	}
	if (size > p->size - p->used || p->nregions == POOL_MAX_REGIONS) {
		ret = RSWAP_ENOSPC;
		goto out;
	}
	idx = find_gap(p, size, &off);
	if (idx < 0) {
		ret = RSWAP_ENOSPC;	/* free space is fragmented */
		goto out;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		ret = RSWAP_EIO;
		goto out;
	}
	strcpy(r->name, name);
	r->off = off;
	r->size = size;
	r->mem = p->mem + off;
	r->users = 1;
	/* Freed regions were zeroed on free; a new pool is zero. */
	memmove(&p->regions[idx + 1], &p->regions[idx],
		sizeof(p->regions[0]) * (size_t)(p->nregions - idx));
	p->regions[idx] = r;
	p->nregions++;
	p->used += size;
	*created = true;
	*out = r;
out:
	pthread_mutex_unlock(&pool_lock);
	return ret;
}

void pool_release(struct pool *p, struct region *r)
{
	pthread_mutex_lock(&pool_lock);
	if (--r->users == 0 && r->free_on_close) {
		int i;

		for (i = 0; i < p->nregions && p->regions[i] != r; i++)
			;
		memmove(&p->regions[i], &p->regions[i + 1],
			sizeof(p->regions[0]) * (size_t)(p->nregions - i - 1));
		p->nregions--;
		p->used -= r->size;
		/* The next region here must read as zeroes. */
		memset(r->mem, 0, r->size);
		rmemd_log("region '%s' freed (%llu MiB)", r->name,
			  (unsigned long long)(r->size >> 20));
		free(r);
	}
	pthread_mutex_unlock(&pool_lock);
}

void pool_mark_free(struct region *r)
{
	pthread_mutex_lock(&pool_lock);
	r->free_on_close = true;
	pthread_mutex_unlock(&pool_lock);
}

void pool_counts(struct pool *p, uint64_t *used, uint64_t *nregions)
{
	pthread_mutex_lock(&pool_lock);
	*used = p->used;
	*nregions = (uint64_t)p->nregions;
	pthread_mutex_unlock(&pool_lock);
}
