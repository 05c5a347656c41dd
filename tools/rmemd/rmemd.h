/* SPDX-License-Identifier: GPL-2.0 */
/* rmemd internals: the pool of memory, its regions, the server. */
#ifndef RMEMD_H
#define RMEMD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/anker_rswap.h>

#include "transport.h"

/* Logging: one line on stderr, "rmemd: ..." */
void rmemd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum pool_backing { POOL_AUTO, POOL_HUGETLB, POOL_THP, POOL_PLAIN };
enum pool_lock { LOCK_AUTO, LOCK_ON, LOCK_OFF };

struct region {
	char name[RSWAP_NAME_MAX];
	uint64_t off;		/* in the pool */
	uint64_t size;
	unsigned char *mem;
	int users;		/* connections attached (pool lock) */
	bool free_on_close;	/* CLOSE with RSWAP_F_FREE was asked */
	atomic_uint_fast64_t bytes_read, bytes_written;
};

#define POOL_MAX_REGIONS 1024

struct pool {
	unsigned char *mem;
	uint64_t size;		/* usable bytes (--size) */
	uint64_t map_size;	/* mapped bytes (rounded up to the page size) */
	uint64_t used;
	const char *backing;	/* "hugetlb", "thp", "4k pages" */
	bool locked;
	int nregions;
	struct region *regions[POOL_MAX_REGIONS];	/* sorted by off */
};

int pool_init(struct pool *p, uint64_t size, enum pool_backing b, enum pool_lock l);
void pool_destroy(struct pool *p);
/* Open (create or attach to) a region; returns 0 or an RSWAP_E* status. */
int pool_open(struct pool *p, const char *name, uint64_t size,
	      struct region **out, bool *created);
/* Drop a connection's reference; frees the region if it was asked to. */
void pool_release(struct pool *p, struct region *r);
/* Free the region when its last connection is gone (CLOSE + RSWAP_F_FREE). */
void pool_mark_free(struct region *r);
void pool_counts(struct pool *p, uint64_t *used, uint64_t *nregions);

/* Server-wide counters. */
struct rmemd_stats {
	atomic_uint_fast64_t clients, connections, requests, errors;
	atomic_uint_fast64_t bytes_read, bytes_written;
};

struct server {
	struct pool pool;
	struct rmemd_stats stats;
	int max_clients;
};

/* Serve one connection until it closes (runs in its own thread). */
void server_conn_run(struct server *s, struct rmemd_conn *c);
/* Tell a refused connection that the server is full. */
void server_conn_refuse(struct rmemd_conn *c);

#endif
