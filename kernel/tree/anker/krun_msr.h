/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Krun MSR system calls: the hardware-independent core, shared by the
 * system calls (hardware backend) and the KUnit suite (fake backend).
 */
#ifndef _ANKER_KRUN_MSR_H
#define _ANKER_KRUN_MSR_H

#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/types.h>

struct perf_event;

/* One reading of one CPU, counted from the last reset. */
struct krun_msr_sample {
	u64 aperf;
	u64 mperf;
	u64 ctr1;
};

/*
 * Per-CPU state. The baselines and @armed are only written on the CPU
 * itself with interrupts off (in a cross-call), where the reads happen
 * too, so a read never sees a half-done reset.
 */
struct krun_msr_cpu {
	u64 aperf_base;
	u64 mperf_base;
	u64 ctr1_base;
	struct perf_event *cycles;	/* hardware backend's cycle counter */
	bool armed;			/* krun_configure() done: ctr1 counts */
	bool wanted;			/* configured; set up again when back online */
};

/*
 * The hardware access. The read_* callbacks run on @cpu with interrupts
 * disabled (inside call_on_cpu()); configure/release in process context.
 */
struct krun_msr_ops {
	bool (*supported)(void);
	int (*call_on_cpu)(unsigned int cpu, smp_call_func_t fn, void *info);
	u64 (*read_aperf)(unsigned int cpu);
	u64 (*read_mperf)(unsigned int cpu);
	int (*read_ctr1)(unsigned int cpu, struct krun_msr_cpu *kc, u64 *val);
	int (*configure)(unsigned int cpu, struct krun_msr_cpu *kc);
	/* optional: the configured counter no longer counts (replace it) */
	bool (*broken)(unsigned int cpu, struct krun_msr_cpu *kc);
	void (*release)(unsigned int cpu, struct krun_msr_cpu *kc);
};

struct krun_msr {
	const struct krun_msr_ops *ops;
	struct krun_msr_cpu __percpu *cpus;
	struct mutex lock;		/* serialises configure */
};

/* Receives the sample of each CPU in turn; non-zero stops the read. */
typedef int (*krun_msr_emit_t)(void *priv, unsigned int cpu,
			       const struct krun_msr_sample *s);

int krun_msr_check_cores(int n_cores, const struct cpumask *online);
int krun_msr_read(struct krun_msr *km, int n_cores, bool ctr1_first,
		  krun_msr_emit_t emit, void *priv);
int krun_msr_reset(struct krun_msr *km, int n_cores);
int krun_msr_configure(struct krun_msr *km, int n_cores);
void krun_msr_cpu_down(struct krun_msr *km, unsigned int cpu);
int krun_msr_cpu_up(struct krun_msr *km, unsigned int cpu);

#endif /* _ANKER_KRUN_MSR_H */
