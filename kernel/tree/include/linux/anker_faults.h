/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anker fault statistics: a per-process breakdown of page faults by kind,
 * shown in /proc/PID/faults. See Documentation/anker/faults.rst.
 *
 * The fault path records what kind of fault it is resolving in
 * current->anker_fault_kind (a later, more specific handler overwrites an
 * earlier guess); mm_account_fault() then counts the fault once, under the
 * same rules as the task's min_flt/maj_flt, in per-CPU counters hanging off
 * the thread group's signal_struct.
 */
#ifndef _LINUX_ANKER_FAULTS_H
#define _LINUX_ANKER_FAULTS_H

#include <linux/mm_types.h>

struct signal_struct;
struct seq_file;
struct pid_namespace;
struct pid;
struct task_struct;

enum anker_fault_kind {
	ANKER_FK_OTHER,		/* spurious, migration wait, PTE marker... */
	ANKER_FK_ANON_ZERO,	/* do_anonymous_page, COW of the zero page */
	ANKER_FK_ANON_COW,	/* wp_page_copy of a real page */
	ANKER_FK_FILE,		/* do_fault: read, COW and shared faults */
	ANKER_FK_SWAP,		/* do_swap_page on a swap entry */
	ANKER_FK_THP,		/* resolved on a PMD: new THP, THP wp/access */
	ANKER_FK_HUGETLB,	/* hugetlb_fault */
	ANKER_FK_WP,		/* do_wp_page without a copy */
	ANKER_FK_NUMA,		/* NUMA hinting fault, PTE or PMD */
};

/* The counters, in the order /proc/PID/faults prints them. */
enum anker_fault_counter {
	ANKER_FC_ANON_ZERO,
	ANKER_FC_ANON_COW,
	ANKER_FC_FILE_MINOR,
	ANKER_FC_FILE_MAJOR,
	ANKER_FC_SWAP_MINOR,
	ANKER_FC_SWAP_MAJOR,
	ANKER_FC_THP,
	ANKER_FC_HUGETLB,
	ANKER_FC_WP,
	ANKER_FC_NUMA,
	ANKER_FC_OTHER_MINOR,
	ANKER_FC_OTHER_MAJOR,
	ANKER_FC_FAILED,
	ANKER_FC_NR,
};

#ifdef CONFIG_ANKER_FAULT_STATS
#include <linux/jump_label.h>
#include <linux/sched.h>

DECLARE_STATIC_KEY_TRUE(anker_fault_stats_key);

static __always_inline void anker_fault_kind(enum anker_fault_kind kind)
{
	if (static_branch_likely(&anker_fault_stats_key))
		current->anker_fault_kind = kind;
}

void __anker_fault_account(unsigned int flags, vm_fault_t ret);

/* Called by mm_account_fault() for every handle_mm_fault(). */
static __always_inline void anker_fault_account(unsigned int flags,
						vm_fault_t ret)
{
	if (static_branch_likely(&anker_fault_stats_key))
		__anker_fault_account(flags, ret);
}

void __anker_fault_bad_area(void);

/* The arch fault handler sends SIGSEGV for a user-mode access. */
static __always_inline void anker_fault_bad_area(void)
{
	if (static_branch_likely(&anker_fault_stats_key))
		__anker_fault_bad_area();
}

int anker_fault_stats_alloc(struct signal_struct *sig);
void anker_fault_stats_free(struct signal_struct *sig);
int proc_tgid_faults(struct seq_file *m, struct pid_namespace *ns,
		     struct pid *pid, struct task_struct *task);

#else /* !CONFIG_ANKER_FAULT_STATS */

static inline void anker_fault_kind(enum anker_fault_kind kind) { }
static inline void anker_fault_account(unsigned int flags, vm_fault_t ret) { }
static inline void anker_fault_bad_area(void) { }
static inline int anker_fault_stats_alloc(struct signal_struct *sig)
{
	return 0;
}

static inline void anker_fault_stats_free(struct signal_struct *sig) { }

#endif /* CONFIG_ANKER_FAULT_STATS */
#endif /* _LINUX_ANKER_FAULTS_H */
