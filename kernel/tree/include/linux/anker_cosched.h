/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anker cooperative scheduling: the hooks the scheduler and procfs call.
 * The implementation is kernel/sched/anker_cosched.c; the user ABI is
 * include/uapi/linux/anker.h and Documentation/anker/cosched.rst.
 */
#ifndef _LINUX_ANKER_COSCHED_H
#define _LINUX_ANKER_COSCHED_H

#include <linux/types.h>

struct task_struct;
struct seq_file;
struct sched_entity;

#ifdef CONFIG_ANKER_COSCHED
#include <linux/jump_label.h>
#include <linux/math64.h>
#include <linux/sched.h>

/* Enabled by the first sched_penalty() that sets a penalty, never disabled. */
DECLARE_STATIC_KEY_FALSE(anker_penalty_used);

/*
 * anker_penalise - the vruntime charge of @se for a fair-class charge @delta
 *
 * Called by update_curr() where the running entity's vruntime advances.
 * Without any penalty on the system this is a patched-out jump; with one,
 * a single test of a field on the cache line update_curr() writes anyway.
 */
static __always_inline u64 anker_penalise(struct sched_entity *se, u64 delta)
{
	if (static_branch_unlikely(&anker_penalty_used)) {
		unsigned int p = READ_ONCE(se->anker_penalty);

		if (unlikely(p))
			return delta + div_u64(delta * p, 100);
	}
	return delta;
}

void anker_cosched_fork(struct task_struct *p);
void anker_cosched_proc_status(struct seq_file *m, struct task_struct *p);

#else /* !CONFIG_ANKER_COSCHED */

static __always_inline u64 anker_penalise(struct sched_entity *se, u64 delta)
{
	return delta;
}

static inline void anker_cosched_fork(struct task_struct *p) { }
static inline void anker_cosched_proc_status(struct seq_file *m,
					     struct task_struct *p) { }
#endif /* CONFIG_ANKER_COSCHED */

#endif /* _LINUX_ANKER_COSCHED_H */
