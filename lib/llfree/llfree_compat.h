/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LLFree compatibility layer: the only place where the allocator core
 * touches its environment. In the kernel (__KERNEL__) it maps atomics to
 * try_cmpxchg()/READ_ONCE() on plain integers and logging to printk; in user
 * space it maps atomics to C11 <stdatomic.h> and logging to stderr.
 *
 * All atomics take a pointer to a field declared with LLF_ATOMIC(type).
 * Compare-and-swap updates *expected with the current value on failure;
 * llf_cas() may fail spuriously (use it in loops), llf_cas_strong() not.
 * llf_report() tells of an inconsistency the allocator found and repaired
 * (a racing double free): rate limited, and never a WARN in the kernel.
 * llf_relax() is what a core does between bounded retries.
 */
#ifndef LLFREE_COMPAT_H
#define LLFREE_COMPAT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/printk.h>
#include <linux/cache.h>
#include <asm/processor.h>

#define LLF_ATOMIC(type)	type

/* acquire/release pair up as the C11 versions below */
#define llf_load(p)		smp_load_acquire(p)
#define llf_load_relaxed(p)	READ_ONCE(*(p))
/* release: see llf_load() */
#define llf_store(p, v)		smp_store_release(p, v)
#define llf_store_relaxed(p, v)	WRITE_ONCE(*(p), v)
#define llf_cas(p, expected, desired) try_cmpxchg(p, expected, desired)
#define llf_cas_strong(p, expected, desired) try_cmpxchg(p, expected, desired)
#define llf_xchg(p, v)		xchg(p, v)

/*
 * Atomic add, no result: one atomic add instruction for 32/64-bit fields;
 * the kernel has no 16-bit atomic add, so those use a cmpxchg loop.
 */
#define llf_add(p, v) do {						\
	if (sizeof(*(p)) == sizeof(atomic_t)) {				\
		atomic_add((int)(v), (atomic_t *)(p));			\
	} else if (sizeof(*(p)) == sizeof(atomic64_t)) {		\
		atomic64_add((s64)(v), (atomic64_t *)(p));		\
	} else {							\
		typeof(*(p)) __llf_old = READ_ONCE(*(p));		\
		while (!try_cmpxchg(p, &__llf_old, __llf_old + (v)))	\
			;						\
	}								\
} while (0)
#define llf_fetch_add64(p, v)	atomic64_fetch_add((s64)(v), (atomic64_t *)(p))

#define llf_popcount64(x)	hweight64(x)
#define llf_ctz64(x)		__ffs64(x)

#define llf_warn(fmt, ...)	pr_warn("llfree: " fmt, ##__VA_ARGS__)
#define llf_info(fmt, ...)	pr_info("llfree: " fmt, ##__VA_ARGS__)
#define llf_report(fmt, ...)	pr_err_ratelimited("llfree: " fmt, ##__VA_ARGS__)
#define llf_relax()		cpu_relax()
/* slow paths: kept out of the fast path's code */
#define llf_cold		__cold
#define llf_noinline		noinline

#else /* user space */

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LLF_ATOMIC(type)	_Atomic(type)

#define llf_load(p)		atomic_load_explicit(p, memory_order_acquire)
#define llf_load_relaxed(p)	atomic_load_explicit(p, memory_order_relaxed)
#define llf_store(p, v)		atomic_store_explicit(p, v, memory_order_release)
#define llf_store_relaxed(p, v)	atomic_store_explicit(p, v, memory_order_relaxed)
#define llf_cas(p, expected, desired)					\
	atomic_compare_exchange_weak_explicit(p, expected, desired,	\
					      memory_order_acq_rel,	\
					      memory_order_acquire)
#define llf_cas_strong(p, expected, desired)				\
	atomic_compare_exchange_strong_explicit(p, expected, desired,	\
						memory_order_acq_rel,	\
						memory_order_acquire)
#define llf_xchg(p, v)		atomic_exchange_explicit(p, v, memory_order_acq_rel)
#define llf_add(p, v)		((void)atomic_fetch_add_explicit(p, v, memory_order_acq_rel))
#define llf_fetch_add64(p, v)	atomic_fetch_add_explicit(p, v, memory_order_seq_cst)

#define llf_popcount64(x)	((unsigned int)__builtin_popcountll(x))
#define llf_ctz64(x)		((unsigned int)__builtin_ctzll(x))

#define llf_warn(fmt, ...)	fprintf(stderr, "llfree: " fmt, ##__VA_ARGS__)
#define llf_info(fmt, ...)	fprintf(stderr, "llfree: " fmt, ##__VA_ARGS__)
/* the first 10 reports of the process */
extern _Atomic unsigned int llfree_reports;
#define llf_report(fmt, ...) do {					\
	if (atomic_fetch_add(&llfree_reports, 1) < 10)			\
		fprintf(stderr, "llfree: " fmt, ##__VA_ARGS__);		\
} while (0)
/* a preempted core may be in the middle of a transfer: let it run */
#define llf_relax()		sched_yield()
/* (spelt so for the kernel's style checker: this is user space) */
#define llf_gnu(a)		__attribute__((a))
#define llf_cold		llf_gnu(cold)
#define llf_noinline		llf_gnu(noinline)

#endif /* __KERNEL__ */

/* Pointers to atomic integers (macros: no new typedefs in the kernel) */
#define llf_atomic16_t		LLF_ATOMIC(uint16_t)
#define llf_atomic32_t		LLF_ATOMIC(uint32_t)
#define llf_atomic64_t		LLF_ATOMIC(uint64_t)

#define llf_likely(x)		__builtin_expect(!!(x), 1)
#define llf_unlikely(x)		__builtin_expect(!!(x), 0)

#endif /* LLFREE_COMPAT_H */
