// SPDX-License-Identifier: GPL-2.0
/*
 * Anker fault statistics: per-process page fault counts by kind.
 *
 * Each thread group (signal_struct) owns one per-CPU array of counters,
 * allocated in copy_signal() and freed with the signal_struct, so the
 * counts cover every thread, survive thread exit and stay readable while
 * the process is a zombie. The fault path only does this_cpu_inc(): no
 * lock, no atomic instruction, no shared cache line; a reader sums the
 * CPUs. Counting follows mm_account_fault() exactly, so the minor kinds
 * add up to the process's min_flt and the major kinds to its maj_flt.
 * See Documentation/anker/faults.rst.
 */
#include <linux/anker.h>
#include <linux/anker_faults.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sysctl.h>

DEFINE_STATIC_KEY_TRUE(anker_fault_stats_key);

static const char * const anker_fault_names[ANKER_FC_NR] = {
	[ANKER_FC_ANON_ZERO]	= "anon_zero",
	[ANKER_FC_ANON_COW]	= "anon_cow",
	[ANKER_FC_FILE_MINOR]	= "file_minor",
	[ANKER_FC_FILE_MAJOR]	= "file_major",
	[ANKER_FC_SWAP_MINOR]	= "swap_minor",
	[ANKER_FC_SWAP_MAJOR]	= "swap_major",
	[ANKER_FC_THP]		= "thp",
	[ANKER_FC_HUGETLB]	= "hugetlb",
	[ANKER_FC_WP]		= "wp",
	[ANKER_FC_NUMA]		= "numa",
	[ANKER_FC_OTHER_MINOR]	= "other_minor",
	[ANKER_FC_OTHER_MAJOR]	= "other_major",
	[ANKER_FC_FAILED]	= "failed",
};

/* Which counters make up min_flt and which maj_flt; failed is neither. */
static const bool anker_fault_is_major[ANKER_FC_NR] = {
	[ANKER_FC_FILE_MAJOR]	= true,
	[ANKER_FC_SWAP_MAJOR]	= true,
	[ANKER_FC_OTHER_MAJOR]	= true,
};

/* The counter of a fault of each kind that mm_account_fault() calls minor. */
static const u8 anker_fault_minor_counter[] = {
	[ANKER_FK_OTHER]	= ANKER_FC_OTHER_MINOR,
	[ANKER_FK_ANON_ZERO]	= ANKER_FC_ANON_ZERO,
	[ANKER_FK_ANON_COW]	= ANKER_FC_ANON_COW,
	[ANKER_FK_FILE]		= ANKER_FC_FILE_MINOR,
	[ANKER_FK_SWAP]		= ANKER_FC_SWAP_MINOR,
	[ANKER_FK_THP]		= ANKER_FC_THP,
	[ANKER_FK_HUGETLB]	= ANKER_FC_HUGETLB,
	[ANKER_FK_WP]		= ANKER_FC_WP,
	[ANKER_FK_NUMA]		= ANKER_FC_NUMA,
};

static __always_inline void anker_fault_inc(enum anker_fault_counter c)
{
	unsigned long __percpu *ctr = current->signal->anker_faults;

	/* only init_task's static signal_struct has none */
	if (likely(ctr))
		this_cpu_inc(ctr[c]);
}

/*
 * Same rules as mm_account_fault(): a fault that returns VM_FAULT_RETRY is
 * counted when it completes; one that fails is not a minor or major fault
 * (we count it as failed); a completed fault is major if the handler said
 * VM_FAULT_MAJOR or if it is the retry of an earlier attempt.
 */
void __anker_fault_account(unsigned int flags, vm_fault_t ret)
{
	unsigned int kind = current->anker_fault_kind;
	bool major;

	if (ret & VM_FAULT_RETRY)
		return;
	if (unlikely(ret & VM_FAULT_ERROR)) {
		/*
		 * A user-mode fault that ends in SIGSEGV is counted where
		 * the arch fault handler sends the signal (it also sends it
		 * for accesses that never reach handle_mm_fault()).
		 */
		if (!((ret & VM_FAULT_SIGSEGV) && (flags & FAULT_FLAG_USER)))
			anker_fault_inc(ANKER_FC_FAILED);
		return;
	}

	major = (ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED);
	if (kind >= ARRAY_SIZE(anker_fault_minor_counter))
		kind = ANKER_FK_OTHER;
	if (!major)
		anker_fault_inc(anker_fault_minor_counter[kind]);
	else if (kind == ANKER_FK_FILE)
		anker_fault_inc(ANKER_FC_FILE_MAJOR);
	else if (kind == ANKER_FK_SWAP)
		anker_fault_inc(ANKER_FC_SWAP_MAJOR);
	else
		anker_fault_inc(ANKER_FC_OTHER_MAJOR);
}

void __anker_fault_bad_area(void)
{
	anker_fault_inc(ANKER_FC_FAILED);
}

int anker_fault_stats_alloc(struct signal_struct *sig)
{
	sig->anker_faults = __alloc_percpu_gfp(sizeof(unsigned long) *
					       ANKER_FC_NR,
					       sizeof(unsigned long),
					       GFP_KERNEL_ACCOUNT);
	return sig->anker_faults ? 0 : -ENOMEM;
}

/* May run in softirq context (RCU callback); free_percpu() is fine there. */
void anker_fault_stats_free(struct signal_struct *sig)
{
	free_percpu(sig->anker_faults);
}

/*
 * /proc/PID/faults: the rule of /proc/PID/io, the other per-process
 * activity breakdown: mode 0400 and ptrace read access, checked under
 * exec_update_lock so that an exec of a setuid program cannot slip in
 * between the check and the read.
 */
int proc_tgid_faults(struct seq_file *m, struct pid_namespace *ns,
		     struct pid *pid, struct task_struct *task)
{
	unsigned long sum[ANKER_FC_NR] = { };
	unsigned long __percpu *ctr;
	unsigned long minor = 0, major = 0;
	int cpu, i, err;

	err = down_read_killable(&task->signal->exec_update_lock);
	if (err)
		return err;
	if (!ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS)) {
		up_read(&task->signal->exec_update_lock);
		return -EACCES;
	}
	ctr = task->signal->anker_faults;
	if (ctr) {
		for_each_possible_cpu(cpu)
			for (i = 0; i < ANKER_FC_NR; i++)
				sum[i] += READ_ONCE(per_cpu_ptr(ctr, cpu)[i]);
	}
	up_read(&task->signal->exec_update_lock);

	for (i = 0; i < ANKER_FC_NR; i++) {
		seq_printf(m, "%s %lu\n", anker_fault_names[i], sum[i]);
		if (i == ANKER_FC_FAILED)
			continue;
		if (anker_fault_is_major[i])
			major += sum[i];
		else
			minor += sum[i];
	}
	seq_printf(m, "minor %lu\nmajor %lu\n", minor, major);
	return 0;
}

static struct ctl_table anker_fault_sysctls[] = {
	{
		.procname	= "anker_fault_stats",
		.data		= &anker_fault_stats_key.key,
		.mode		= 0644,
		.proc_handler	= proc_do_static_key,
	},
};

static int __init anker_fault_stats_init(void)
{
	if (!register_sysctl("vm", anker_fault_sysctls))
		return -ENOMEM;
	return anker_feature_add("fault_stats",
				 "/proc/PID/faults, sysctl vm.anker_fault_stats");
}
late_initcall(anker_fault_stats_init);
