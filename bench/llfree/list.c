// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "list.h"

static inline void lock(struct list_head *h)
{
	while (atomic_flag_test_and_set_explicit(&h->lock, memory_order_acquire))
		__builtin_ia32_pause();
}

static inline void unlock(struct list_head *h)
{
	atomic_flag_clear_explicit(&h->lock, memory_order_release);
}

static void push(struct list_alloc *a, uint64_t frame, unsigned int order)
{
	struct list_head *h = &a->head[order];

	lock(h);
	a->next[frame] = h->first;
	h->first = (uint32_t)frame;
	h->count++;
	unlock(h);
}

static int64_t pop(struct list_alloc *a, unsigned int order)
{
	struct list_head *h = &a->head[order];
	int64_t frame = -1;

	lock(h);
	if (h->first != LIST_NONE) {
		frame = h->first;
		h->first = a->next[frame];
		h->count--;
	}
	unlock(h);
	return frame;
}

int list_init(struct list_alloc *a, uint64_t frames)
{
	uint64_t f;

	a->frames = frames;
	a->next = malloc(frames * sizeof(*a->next));
	if (!a->next)
		return -1;
	for (unsigned int o = 0; o < LIST_ORDERS; o++) {
		atomic_flag_clear(&a->head[o].lock);
		a->head[o].first = LIST_NONE;
		a->head[o].count = 0;
	}
	/* push in reverse so that the lowest block comes first */
	for (f = frames & ~((1ull << (LIST_ORDERS - 1)) - 1); f;) {
		f -= 1ull << (LIST_ORDERS - 1);
		push(a, f, LIST_ORDERS - 1);
	}
	return 0;
}

void list_fini(struct list_alloc *a)
{
	free(a->next);
}

int64_t list_get(struct list_alloc *a, unsigned int order)
{
	int64_t frame = pop(a, order);
	unsigned int o;

	if (frame >= 0)
		return frame;
	/* split a larger block; keep the first half, free the rest */
	for (o = order + 1; o < LIST_ORDERS; o++) {
		frame = pop(a, o);
		if (frame >= 0)
			break;
	}
	if (frame < 0)
		return -1;
	while (o-- > order)
		push(a, frame + (1ull << o), o);
	return frame;
}

void list_put(struct list_alloc *a, uint64_t frame, unsigned int order)
{
	push(a, frame, order);
}
