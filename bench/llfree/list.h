/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The baseline of the LLFree paper's benchmarks: one free list per order,
 * each behind a spin lock. Blocks are split on demand and never merged.
 * List links live in a per-frame array, as in struct page.
 */
#ifndef LIST_H
#define LIST_H

#include <stdatomic.h>
#include <stdint.h>

#define LIST_ORDERS	11
#define LIST_NONE	UINT32_MAX

struct list_head {
	atomic_flag lock;
	uint32_t first;
	uint64_t count;
} __attribute__((aligned(64)));

struct list_alloc {
	uint64_t frames;
	uint32_t *next;
	struct list_head head[LIST_ORDERS];
};

int list_init(struct list_alloc *a, uint64_t frames);
void list_fini(struct list_alloc *a);
int64_t list_get(struct list_alloc *a, unsigned int order);
void list_put(struct list_alloc *a, uint64_t frame, unsigned int order);

#endif
