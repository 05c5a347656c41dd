// SPDX-License-Identifier: GPL-2.0
/*
 * Krun MSR system calls, ABI-compatible with the Krun benchmarking kernel:
 *
 *   900 krun_read_msrs(n_cores, ctr1_first, aperfs, mperfs, ctr1s)
 *   901 krun_reset_msrs(n_cores)
 *   902 krun_configure(n_cores)
 *
 * They give the APERF, MPERF and core-cycle counts of CPUs 0..n_cores-1,
 * counted from the last reset. Unlike the Krun kernel, nothing is written
 * into the hardware: a reset records per-CPU baselines (MPERF before APERF,
 * so APERF-from-zero never exceeds MPERF-from-zero) and a read returns
 * current - baseline. The kernel's frequency-invariance code, which reads
 * APERF/MPERF itself, keeps working. The core-cycle count comes from a
 * pinned per-CPU perf event (PERF_COUNT_HW_CPU_CYCLES) that
 * krun_configure() creates, so perf keeps owning the PMU and other perf
 * users (perf stat -e cycles) keep counting correctly.
 *
 * See Documentation/anker/krun.rst in the Anker repository.
 */
#define pr_fmt(fmt) "krun_msr: " fmt

#include <linux/anker.h>
#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/init.h>
#include <linux/percpu.h>
#include <linux/perf_event.h>
#include <linux/smp.h>
#include <linux/syscalls.h>
#include <linux/sysctl.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "krun_msr.h"

/* ---- The core: validation, baselines, order of reads ---- */

/* CPUs 0..n_cores-1 must exist and be online. */
int krun_msr_check_cores(int n_cores, const struct cpumask *online)
{
	int cpu;

	if (n_cores < 1 || (unsigned int)n_cores > nr_cpu_ids)
		return -EINVAL;
	for (cpu = 0; cpu < n_cores; cpu++)
		if (!cpumask_test_cpu(cpu, online))
			return -EINVAL;
	return 0;
}

struct krun_msr_call {
	struct krun_msr *km;
	unsigned int cpu;
	bool ctr1_first;
	int err;
	struct krun_msr_sample s;
};

static int krun_msr_ctr1(const struct krun_msr_ops *ops, unsigned int cpu,
			 struct krun_msr_cpu *kc, u64 *val)
{
	*val = 0;
	if (!READ_ONCE(kc->armed))
		return 0;
	return ops->read_ctr1(cpu, kc, val);
}

/* On the CPU, interrupts off: one reading, in Krun's order. */
static void krun_msr_read_fn(void *info)
{
	struct krun_msr_call *c = info;
	const struct krun_msr_ops *ops = c->km->ops;
	struct krun_msr_cpu *kc = per_cpu_ptr(c->km->cpus, c->cpu);
	u64 aperf, mperf, ctr1 = 0;
	int err = 0;

	if (c->ctr1_first)
		err = krun_msr_ctr1(ops, c->cpu, kc, &ctr1);
	aperf = ops->read_aperf(c->cpu);
	mperf = ops->read_mperf(c->cpu);
	if (!c->ctr1_first)
		err = krun_msr_ctr1(ops, c->cpu, kc, &ctr1);

	c->err = err;
	c->s.aperf = aperf - kc->aperf_base;
	c->s.mperf = mperf - kc->mperf_base;
	c->s.ctr1 = READ_ONCE(kc->armed) ? ctr1 - kc->ctr1_base : 0;
}

/* On the CPU, interrupts off: all three counts start again from zero. */
static void krun_msr_reset_fn(void *info)
{
	struct krun_msr_call *c = info;
	const struct krun_msr_ops *ops = c->km->ops;
	struct krun_msr_cpu *kc = per_cpu_ptr(c->km->cpus, c->cpu);
	u64 aperf, mperf, ctr1;

	/* MPERF first: APERF-from-zero can then never exceed MPERF's. */
	mperf = ops->read_mperf(c->cpu);
	aperf = ops->read_aperf(c->cpu);
	c->err = krun_msr_ctr1(ops, c->cpu, kc, &ctr1);
	if (c->err)
		return;		/* all or nothing */
	kc->mperf_base = mperf;
	kc->aperf_base = aperf;
	kc->ctr1_base = ctr1;
}

/*
 * On the CPU, interrupts off: start reporting the cycle counter that
 * ops->configure() just set up, counting from now.
 */
static void krun_msr_arm_fn(void *info)
{
	struct krun_msr_call *c = info;
	struct krun_msr_cpu *kc = per_cpu_ptr(c->km->cpus, c->cpu);
	u64 ctr1;

	c->err = c->km->ops->read_ctr1(c->cpu, kc, &ctr1);
	if (c->err)
		return;
	kc->ctr1_base = ctr1;
	WRITE_ONCE(kc->armed, true);
}

/*
 * Read CPUs 0..n_cores-1 one after the other; hand each sample to @emit.
 * A failed cross-call or counter read stops with its error; @emit never
 * sees a sample that was not read.
 */
int krun_msr_read(struct krun_msr *km, int n_cores, bool ctr1_first,
		  krun_msr_emit_t emit, void *priv)
{
	struct krun_msr_call c = { .km = km, .ctr1_first = ctr1_first };
	int err;

	err = krun_msr_check_cores(n_cores, cpu_online_mask);
	if (err)
		return err;
	if (!km->ops->supported())
		return -EOPNOTSUPP;
	for (c.cpu = 0; c.cpu < n_cores; c.cpu++) {
		c.err = -EIO;
		err = km->ops->call_on_cpu(c.cpu, krun_msr_read_fn, &c);
		if (!err)
			err = c.err;
		if (!err)
			err = emit(priv, c.cpu, &c.s);
		if (err)
			return err;
	}
	return 0;
}

int krun_msr_reset(struct krun_msr *km, int n_cores)
{
	struct krun_msr_call c = { .km = km };
	int err;

	err = krun_msr_check_cores(n_cores, cpu_online_mask);
	if (err)
		return err;
	if (!km->ops->supported())
		return -EOPNOTSUPP;
	for (c.cpu = 0; c.cpu < n_cores; c.cpu++) {
		c.err = -EIO;
		err = km->ops->call_on_cpu(c.cpu, krun_msr_reset_fn, &c);
		if (!err)
			err = c.err;
		if (err)
			return err;
	}
	return 0;
}

/* Set up and arm the counter of one CPU; km->lock held. */
static int krun_msr_configure_cpu(struct krun_msr *km, unsigned int cpu)
{
	struct krun_msr_call c = { .km = km, .cpu = cpu, .err = -EIO };
	struct krun_msr_cpu *kc = per_cpu_ptr(km->cpus, cpu);
	int err;

	lockdep_assert_held(&km->lock);
	err = km->ops->configure(cpu, kc);
	if (err)
		return err;
	err = km->ops->call_on_cpu(cpu, krun_msr_arm_fn, &c);
	if (!err)
		err = c.err;
	if (err) {
		km->ops->release(cpu, kc);
		return err;
	}
	kc->wanted = true;
	return 0;
}

/* On the CPU, interrupts off: stop reporting its cycle counter. */
static void krun_msr_disarm_fn(void *info)
{
	struct krun_msr_call *c = info;

	WRITE_ONCE(per_cpu_ptr(c->km->cpus, c->cpu)->armed, false);
	c->err = 0;
}

/* Stop reporting the counter of @cpu and release it; km->lock held. */
static void krun_msr_disarm(struct krun_msr *km, unsigned int cpu)
{
	struct krun_msr_call c = { .km = km, .cpu = cpu, .err = -EIO };
	struct krun_msr_cpu *kc = per_cpu_ptr(km->cpus, cpu);

	lockdep_assert_held(&km->lock);
	if (km->ops->call_on_cpu(cpu, krun_msr_disarm_fn, &c) || c.err)
		WRITE_ONCE(kc->armed, false);	/* no reader left */
	km->ops->release(cpu, kc);
}

/*
 * Arm the counter of @cpu unless it has one that counts; one that stopped
 * counting (perf took it off the CPU) is replaced. km->lock held.
 */
static int krun_msr_ensure_cpu(struct krun_msr *km, unsigned int cpu)
{
	struct krun_msr_cpu *kc = per_cpu_ptr(km->cpus, cpu);

	if (READ_ONCE(kc->armed)) {
		if (!km->ops->broken || !km->ops->broken(cpu, kc))
			return 0;
		krun_msr_disarm(km, cpu);
	}
	return krun_msr_configure_cpu(km, cpu);
}

/*
 * Give CPUs 0..n_cores-1 a core-cycle counter; CPUs that have a working
 * one keep it (and its count). The counters stay for the life of the
 * system.
 *
 * CPU hotplug is held off meanwhile, and the CPUs are checked under that
 * (the system call's own check may be stale): an event created for a CPU
 * between this feature's teardown callback and perf's would be detached
 * by perf, and the CPU skipped as armed when it came back.
 */
int krun_msr_configure(struct krun_msr *km, int n_cores)
{
	unsigned int cpu;
	int err;

	cpus_read_lock();
	err = krun_msr_check_cores(n_cores, cpu_online_mask);
	if (!err && !km->ops->supported())
		err = -EOPNOTSUPP;
	if (!err) {
		mutex_lock(&km->lock);
		for (cpu = 0; cpu < (unsigned int)n_cores && !err; cpu++)
			err = krun_msr_ensure_cpu(km, cpu);
		mutex_unlock(&km->lock);
	}
	cpus_read_unlock();
	return err;
}

/*
 * CPU hotplug: perf drops the events of a CPU that goes offline and does
 * not bring them back, so release the counter on the way down and set it
 * up again (counting from then) when the CPU comes back.
 */
void krun_msr_cpu_down(struct krun_msr *km, unsigned int cpu)
{
	mutex_lock(&km->lock);
	if (READ_ONCE(per_cpu_ptr(km->cpus, cpu)->armed))
		krun_msr_disarm(km, cpu);
	mutex_unlock(&km->lock);
}

int krun_msr_cpu_up(struct krun_msr *km, unsigned int cpu)
{
	struct krun_msr_cpu *kc = per_cpu_ptr(km->cpus, cpu);
	int err = 0;

	mutex_lock(&km->lock);
	if (kc->wanted)
		err = krun_msr_ensure_cpu(km, cpu);
	mutex_unlock(&km->lock);
	return err;
}

/* ---- The hardware backend ---- */

static bool krun_hw_ok __ro_after_init;
static DEFINE_PER_CPU(struct krun_msr_cpu, krun_hw_cpus);

static bool krun_hw_supported(void)
{
	return krun_hw_ok;
}

static int krun_hw_call_on_cpu(unsigned int cpu, smp_call_func_t fn,
			       void *info)
{
	return smp_call_function_single(cpu, fn, info, 1);
}

static u64 krun_hw_read_aperf(unsigned int cpu)
{
	u64 v;

	rdmsrl(MSR_IA32_APERF, v);
	return v;
}

static u64 krun_hw_read_mperf(unsigned int cpu)
{
	u64 v;

	rdmsrl(MSR_IA32_MPERF, v);
	return v;
}

/* kc->cycles is the pinned per-CPU event of this CPU: a local read. */
static int krun_hw_read_ctr1(unsigned int cpu, struct krun_msr_cpu *kc,
			     u64 *val)
{
	return perf_event_read_local(kc->cycles, val, NULL, NULL);
}

static int krun_hw_configure(unsigned int cpu, struct krun_msr_cpu *kc)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.size = sizeof(attr),
		.pinned = 1,
	};
	struct perf_event *ev;

	ev = perf_event_create_kernel_counter(&attr, cpu, NULL, NULL, NULL);
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	/* Not read before krun_msr_arm_fn() has run on @cpu. */
	kc->cycles = ev;
	return 0;
}

/* Perf took the event off its CPU (CPU offline, or it could not be pinned). */
static bool krun_hw_broken(unsigned int cpu, struct krun_msr_cpu *kc)
{
	return !kc->cycles ||
	       READ_ONCE(kc->cycles->state) < PERF_EVENT_STATE_INACTIVE;
}

static void krun_hw_release(unsigned int cpu, struct krun_msr_cpu *kc)
{
	if (kc->cycles)
		perf_event_release_kernel(kc->cycles);
	kc->cycles = NULL;
}

static const struct krun_msr_ops krun_hw_ops = {
	.supported	= krun_hw_supported,
	.call_on_cpu	= krun_hw_call_on_cpu,
	.read_aperf	= krun_hw_read_aperf,
	.read_mperf	= krun_hw_read_mperf,
	.read_ctr1	= krun_hw_read_ctr1,
	.configure	= krun_hw_configure,
	.broken		= krun_hw_broken,
	.release	= krun_hw_release,
};

static struct krun_msr krun_hw = {
	.ops	= &krun_hw_ops,
	.cpus	= &krun_hw_cpus,
	.lock	= __MUTEX_INITIALIZER(krun_hw.lock),
};

/* APERF/MPERF, and architectural perfmon v2 or later (fixed counters). */
static bool __init krun_hw_probe(void)
{
	u64 v;

	if (!boot_cpu_has(X86_FEATURE_APERFMPERF) ||
	    !boot_cpu_has(X86_FEATURE_ARCH_PERFMON) ||
	    boot_cpu_data.cpuid_level < 0xa ||
	    (cpuid_eax(0xa) & 0xff) < 2)
		return false;
	return !rdmsrl_safe(MSR_IA32_APERF, &v) &&
	       !rdmsrl_safe(MSR_IA32_MPERF, &v);
}

/* ---- Permissions ---- */

/*
 * kernel.krun_msr_access: 0 (default): krun_read_msrs() needs CAP_PERFMON
 * (system-wide counts, kernel time included, and an IPI to every CPU read,
 * isolated ones too: what perf allows only with CAP_PERFMON);
 * krun_reset_msrs() and krun_configure() need CAP_SYS_RAWIO.
 * 1: any user may call all three (Krun's set-up).
 */
static int sysctl_krun_msr_access;

static struct ctl_table krun_msr_sysctls[] = {
	{
		.procname	= "krun_msr_access",
		.data		= &sysctl_krun_msr_access,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
};

static bool krun_msr_may_read(void)
{
	return READ_ONCE(sysctl_krun_msr_access) >= 1 || perfmon_capable();
}

static bool krun_msr_may_change(void)
{
	return READ_ONCE(sysctl_krun_msr_access) >= 1 ||
	       capable(CAP_SYS_RAWIO);
}

/* ---- The system calls ---- */

struct krun_msr_user {
	u64 __user *aperfs;
	u64 __user *mperfs;
	u64 __user *ctr1s;
};

static int krun_msr_put_user(void *priv, unsigned int cpu,
			     const struct krun_msr_sample *s)
{
	struct krun_msr_user *u = priv;

	if (put_user(s->aperf, u->aperfs + cpu) ||
	    put_user(s->mperf, u->mperfs + cpu) ||
	    put_user(s->ctr1, u->ctr1s + cpu))
		return -EFAULT;
	return 0;
}

/*
 * Order of the checks: EINVAL (n_cores), EPERM, EFAULT (the arrays are
 * zeroed first, so a bad pointer is found on any CPU), EOPNOTSUPP
 * (hardware).
 */
SYSCALL_DEFINE5(krun_read_msrs, int, n_cores, int, ctr1_first,
		u64 __user *, aperfs, u64 __user *, mperfs,
		u64 __user *, ctr1s)
{
	struct krun_msr_user u = { aperfs, mperfs, ctr1s };
	unsigned long len;
	int err;

	err = krun_msr_check_cores(n_cores, cpu_online_mask);
	if (err)
		return err;
	if (!krun_msr_may_read())
		return -EPERM;
	len = (unsigned long)n_cores * sizeof(u64);
	if (clear_user(aperfs, len) || clear_user(mperfs, len) ||
	    clear_user(ctr1s, len))
		return -EFAULT;
	return krun_msr_read(&krun_hw, n_cores, ctr1_first != 0,
			     krun_msr_put_user, &u);
}

/* Order of the checks: EINVAL, EPERM, EOPNOTSUPP. */
SYSCALL_DEFINE1(krun_reset_msrs, int, n_cores)
{
	int err;

	err = krun_msr_check_cores(n_cores, cpu_online_mask);
	if (err)
		return err;
	if (!krun_msr_may_change())
		return -EPERM;
	return krun_msr_reset(&krun_hw, n_cores);
}

SYSCALL_DEFINE1(krun_configure, int, n_cores)
{
	int err;

	err = krun_msr_check_cores(n_cores, cpu_online_mask);
	if (err)
		return err;
	if (!krun_msr_may_change())
		return -EPERM;
	return krun_msr_configure(&krun_hw, n_cores);
}

static int krun_hw_cpu_online(unsigned int cpu)
{
	int err = krun_msr_cpu_up(&krun_hw, cpu);

	if (err)
		pr_warn("CPU %u: cannot set up the cycle counter again: %d\n",
			cpu, err);
	return 0;	/* never keep a CPU from coming online */
}

static int krun_hw_cpu_offline(unsigned int cpu)
{
	krun_msr_cpu_down(&krun_hw, cpu);
	return 0;
}

static int __init krun_msr_init(void)
{
	int ret;

	krun_hw_ok = krun_hw_probe();
	if (krun_hw_ok) {
		ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
						"anker/krun_msr:online",
						krun_hw_cpu_online,
						krun_hw_cpu_offline);
		if (ret < 0)
			pr_warn("no CPU hotplug callbacks: %d\n", ret);
	}
	register_sysctl_init("kernel", krun_msr_sysctls);
	pr_info("syscalls 900-902, hardware %s\n",
		krun_hw_ok ? "supported" : "not supported (EOPNOTSUPP)");
	return anker_feature_add("krun_msr", "syscalls 900-902; hardware: %s",
				 krun_hw_ok ? "yes" : "no");
}
device_initcall(krun_msr_init);
