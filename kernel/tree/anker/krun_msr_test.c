// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the Krun MSR core with a fake backend: every CPU has
 * free-running fake APERF, MPERF and cycle counters that advance on every
 * access (a global clock times a per-CPU rate, from a per-CPU start value
 * that names the CPU), and a log of the order of the accesses.
 */
#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "krun_msr.h"

#define FAKE_LOG	64
#define FAKE_CPU_BASE	1000000000000ULL	/* CPU n starts at (n+1) * this */

static struct krun_fake {
	bool supported;
	int fail_call_cpu;		/* call_on_cpu() fails here: -ENXIO */
	int fail_ctr1_cpu;		/* read_ctr1() fails here: -EBUSY */
	int fail_configure;		/* configure() returns this */
	int broken_cpu;			/* broken() is true here */
	int configured;			/* configure() calls */
	int configured_cpus_held;	/* of those, with cpus_read_lock() held */
	u64 clock;
	unsigned int calls;
	unsigned int releases;
	char log[FAKE_LOG];
	unsigned int nlog;
} *fake;

static void fake_log(char what)
{
	if (fake->nlog < FAKE_LOG - 1)
		fake->log[fake->nlog++] = what;
}

static u64 fake_value(unsigned int cpu, unsigned int kind)
{
	fake->clock++;
	return (cpu + 1) * FAKE_CPU_BASE + kind * 1000000000ULL +
	       fake->clock * (cpu + 1);
}

static bool fake_supported(void)
{
	return fake->supported;
}

static int fake_call_on_cpu(unsigned int cpu, smp_call_func_t fn, void *info)
{
	unsigned long flags;

	fake->calls++;
	if ((int)cpu == fake->fail_call_cpu)
		return -ENXIO;
	local_irq_save(flags);
	fn(info);
	local_irq_restore(flags);
	return 0;
}

static u64 fake_read_aperf(unsigned int cpu)
{
	fake_log('A');
	return fake_value(cpu, 0);
}

static u64 fake_read_mperf(unsigned int cpu)
{
	fake_log('M');
	return fake_value(cpu, 1);
}

static int fake_read_ctr1(unsigned int cpu, struct krun_msr_cpu *kc, u64 *val)
{
	fake_log('C');
	if ((int)cpu == fake->fail_ctr1_cpu)
		return -EBUSY;
	*val = fake_value(cpu, 2);
	return 0;
}

static int fake_configure(unsigned int cpu, struct krun_msr_cpu *kc)
{
	fake_log('K');
	fake->configured++;
#ifdef CONFIG_LOCKDEP
	if (lockdep_is_cpus_held())
		fake->configured_cpus_held++;
#endif
	return fake->fail_configure;
}

static bool fake_broken(unsigned int cpu, struct krun_msr_cpu *kc)
{
	return (int)cpu == fake->broken_cpu;
}

static void fake_release(unsigned int cpu, struct krun_msr_cpu *kc)
{
	fake->releases++;
}

static const struct krun_msr_ops fake_ops = {
	.supported	= fake_supported,
	.call_on_cpu	= fake_call_on_cpu,
	.read_aperf	= fake_read_aperf,
	.read_mperf	= fake_read_mperf,
	.read_ctr1	= fake_read_ctr1,
	.configure	= fake_configure,
	.broken		= fake_broken,
	.release	= fake_release,
};

/* What emit() received, by CPU. */
struct fake_out {
	struct krun_msr_sample *s;	/* nr_cpu_ids of them */
	bool *seen;
	unsigned int n;
	int last_cpu;
	bool in_order;
};

static int fake_emit(void *priv, unsigned int cpu,
		     const struct krun_msr_sample *s)
{
	struct fake_out *o = priv;

	if ((int)cpu != o->last_cpu + 1)
		o->in_order = false;
	o->last_cpu = cpu;
	o->s[cpu] = *s;
	o->seen[cpu] = true;
	o->n++;
	return 0;
}

struct krun_test_ctx {
	struct krun_msr km;
	struct fake_out *out;
	int n;		/* CPUs 0..n-1 are online */
};

static int krun_test_init(struct kunit *test)
{
	struct krun_test_ctx *ctx;
	int n = 0;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->out = kunit_kzalloc(test, sizeof(*ctx->out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->out);
	ctx->out->s = kunit_kcalloc(test, nr_cpu_ids, sizeof(*ctx->out->s),
				    GFP_KERNEL);
	ctx->out->seen = kunit_kcalloc(test, nr_cpu_ids,
				       sizeof(*ctx->out->seen), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->out->s);
	KUNIT_ASSERT_NOT_NULL(test, ctx->out->seen);
	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	fake->supported = true;
	fake->fail_call_cpu = -1;
	fake->fail_ctr1_cpu = -1;
	fake->broken_cpu = -1;

	ctx->km.ops = &fake_ops;
	ctx->km.cpus = alloc_percpu(struct krun_msr_cpu);
	KUNIT_ASSERT_NOT_NULL(test, ctx->km.cpus);
	mutex_init(&ctx->km.lock);
	while (n < nr_cpu_ids && cpu_online(n))
		n++;
	ctx->n = n;
	test->priv = ctx;
	return 0;
}

static void krun_test_exit(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;

	free_percpu(ctx->km.cpus);
	fake = NULL;
}

static void out_clear(struct fake_out *o)
{
	memset(o->s, 0, nr_cpu_ids * sizeof(*o->s));
	memset(o->seen, 0, nr_cpu_ids * sizeof(*o->seen));
	o->n = 0;
	o->last_cpu = -1;
	o->in_order = true;
}

static int do_read(struct krun_test_ctx *ctx, int n, bool ctr1_first)
{
	out_clear(ctx->out);
	return krun_msr_read(&ctx->km, n, ctr1_first, fake_emit, ctx->out);
}

static void log_clear(void)
{
	fake->nlog = 0;
	memset(fake->log, 0, sizeof(fake->log));
}

/* n_cores outside 1..nr_cpu_ids, or naming an offline CPU: EINVAL. */
static void krun_test_validation(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	struct cpumask *mask;

	KUNIT_EXPECT_EQ(test, krun_msr_check_cores(0, cpu_online_mask), -EINVAL);
	KUNIT_EXPECT_EQ(test, krun_msr_check_cores(-1, cpu_online_mask), -EINVAL);
	KUNIT_EXPECT_EQ(test, krun_msr_check_cores(INT_MIN, cpu_online_mask),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, krun_msr_check_cores(nr_cpu_ids + 1,
						   cpu_online_mask), -EINVAL);
	KUNIT_EXPECT_EQ(test, krun_msr_check_cores(1, cpu_online_mask), 0);
	KUNIT_EXPECT_EQ(test, krun_msr_check_cores(ctx->n, cpu_online_mask), 0);

	/* A hole in the mask: the last CPU offline. */
	mask = kunit_kzalloc(test, cpumask_size(), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mask);
	cpumask_copy(mask, cpu_online_mask);
	cpumask_clear_cpu(ctx->n - 1, mask);
	KUNIT_EXPECT_EQ(test, krun_msr_check_cores(ctx->n, mask), -EINVAL);
	if (ctx->n > 1)
		KUNIT_EXPECT_EQ(test, krun_msr_check_cores(ctx->n - 1, mask), 0);

	/* The operations validate before touching any CPU. */
	KUNIT_EXPECT_EQ(test, do_read(ctx, 0, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, krun_msr_reset(&ctx->km, -5), -EINVAL);
	KUNIT_EXPECT_EQ(test, krun_msr_configure(&ctx->km, nr_cpu_ids + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake->calls, 0U);
	KUNIT_EXPECT_EQ(test, ctx->out->n, 0U);
}

/* No APERF/MPERF or perfmon v2: EOPNOTSUPP, and no CPU is touched. */
static void krun_test_unsupported(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;

	fake->supported = false;
	KUNIT_EXPECT_EQ(test, do_read(ctx, 1, false), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, krun_msr_reset(&ctx->km, 1), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, krun_msr_configure(&ctx->km, 1), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, fake->calls, 0U);
	KUNIT_EXPECT_EQ(test, fake->nlog, 0U);
	KUNIT_EXPECT_EQ(test, ctx->out->n, 0U);
	/* Validation still comes first. */
	KUNIT_EXPECT_EQ(test, do_read(ctx, 0, false), -EINVAL);
}

/* After a reset, every CPU's counts start again from zero. */
static void krun_test_reset_from_zero(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	int cpu;

	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, ctx->n), 0);
	KUNIT_ASSERT_EQ(test, do_read(ctx, ctx->n, false), 0);
	for (cpu = 0; cpu < ctx->n; cpu++)
		KUNIT_EXPECT_GE(test, ctx->out->s[cpu].aperf, FAKE_CPU_BASE);

	KUNIT_ASSERT_EQ(test, krun_msr_reset(&ctx->km, ctx->n), 0);
	KUNIT_ASSERT_EQ(test, do_read(ctx, ctx->n, false), 0);
	for (cpu = 0; cpu < ctx->n; cpu++) {
		/* A handful of fake clock ticks since the reset. */
		KUNIT_EXPECT_LT(test, ctx->out->s[cpu].aperf, 1000ULL);
		KUNIT_EXPECT_LT(test, ctx->out->s[cpu].mperf, 1000ULL);
		KUNIT_EXPECT_LT(test, ctx->out->s[cpu].ctr1, 1000ULL);
		KUNIT_EXPECT_GT(test, ctx->out->s[cpu].mperf, 0ULL);
	}
}

/* Reset records MPERF before APERF: APERF never exceeds MPERF. */
static void krun_test_reset_order(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	int i;

	KUNIT_ASSERT_EQ(test, krun_msr_reset(&ctx->km, 1), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "MA");

	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	log_clear();
	KUNIT_ASSERT_EQ(test, krun_msr_reset(&ctx->km, 1), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "MAC");

	for (i = 0; i < 20; i++) {
		KUNIT_ASSERT_EQ(test, do_read(ctx, 1, i & 1), 0);
		KUNIT_EXPECT_LE(test, ctx->out->s[0].aperf, ctx->out->s[0].mperf);
	}
}

/* ctr1_first: the fixed counter is read first, else last. */
static void krun_test_read_order(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	log_clear();
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, true), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "CAM");
	log_clear();
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, false), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "AMC");
}

/* Successive reads never go backwards, on any CPU, in either order. */
static void krun_test_monotonic(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	struct krun_msr_sample *prev;
	int i, cpu;

	prev = kunit_kcalloc(test, ctx->n, sizeof(*prev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, prev);
	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, ctx->n), 0);
	KUNIT_ASSERT_EQ(test, krun_msr_reset(&ctx->km, ctx->n), 0);
	for (i = 0; i < 50; i++) {
		KUNIT_ASSERT_EQ(test, do_read(ctx, ctx->n, i % 3 == 0), 0);
		for (cpu = 0; cpu < ctx->n; cpu++) {
			struct krun_msr_sample *s = &ctx->out->s[cpu];

			KUNIT_EXPECT_GE(test, s->aperf, prev[cpu].aperf);
			KUNIT_EXPECT_GE(test, s->mperf, prev[cpu].mperf);
			KUNIT_EXPECT_GE(test, s->ctr1, prev[cpu].ctr1);
			prev[cpu] = *s;
		}
	}
	for (cpu = 0; cpu < ctx->n; cpu++)
		KUNIT_EXPECT_GT(test, prev[cpu].ctr1, 0ULL);
}

/* Each CPU's values come from that CPU, and CPUs are read in order. */
static void krun_test_per_core(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	int cpu;

	KUNIT_ASSERT_EQ(test, do_read(ctx, ctx->n, false), 0);
	KUNIT_EXPECT_EQ(test, ctx->out->n, (unsigned int)ctx->n);
	KUNIT_EXPECT_TRUE(test, ctx->out->in_order);
	for (cpu = 0; cpu < ctx->n; cpu++) {
		/* Never reset: the raw fake value names its CPU. */
		KUNIT_EXPECT_EQ(test, ctx->out->s[cpu].aperf / FAKE_CPU_BASE,
				(u64)cpu + 1);
		KUNIT_EXPECT_EQ(test, ctx->out->s[cpu].mperf / FAKE_CPU_BASE,
				(u64)cpu + 1);
	}

	/* Resetting CPU 0 only leaves the others alone. */
	KUNIT_ASSERT_EQ(test, krun_msr_reset(&ctx->km, 1), 0);
	KUNIT_ASSERT_EQ(test, do_read(ctx, ctx->n, false), 0);
	KUNIT_EXPECT_LT(test, ctx->out->s[0].aperf, FAKE_CPU_BASE);
	for (cpu = 1; cpu < ctx->n; cpu++)
		KUNIT_EXPECT_EQ(test, ctx->out->s[cpu].aperf / FAKE_CPU_BASE,
				(u64)cpu + 1);

	/* Reading fewer CPUs reads only those. */
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, false), 0);
	KUNIT_EXPECT_EQ(test, ctx->out->n, 1U);
}

/* Until configured, ctr1 reads 0; then it counts from configuration. */
static void krun_test_configure(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	u64 before;

	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, true), 0);
	KUNIT_EXPECT_EQ(test, ctx->out->s[0].ctr1, 0ULL);
	KUNIT_EXPECT_STREQ(test, fake->log, "AM");

	log_clear();
	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "KC");
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, true), 0);
	before = ctx->out->s[0].ctr1;
	KUNIT_EXPECT_GT(test, before, 0ULL);
	KUNIT_EXPECT_LT(test, before, 1000ULL);

	/* Configuring again keeps the counter and its count. */
	log_clear();
	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, true), 0);
	KUNIT_EXPECT_GT(test, ctx->out->s[0].ctr1, before);
}

/* A failed counter set-up is returned and leaves the CPU unconfigured. */
static void krun_test_configure_fails(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;

	fake->fail_configure = -ENODEV;
	KUNIT_EXPECT_EQ(test, krun_msr_configure(&ctx->km, 1), -ENODEV);
	fake->fail_configure = 0;

	/* The counter exists but cannot be read: released, error returned. */
	fake->fail_ctr1_cpu = 0;
	KUNIT_EXPECT_EQ(test, krun_msr_configure(&ctx->km, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, fake->releases, 1U);
	fake->fail_ctr1_cpu = -1;

	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, false), 0);
	KUNIT_EXPECT_EQ(test, ctx->out->s[0].ctr1, 0ULL);
}

/* A failed cross-call is returned; nothing of that CPU is handed out. */
static void krun_test_failed_call(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	int bad = ctx->n - 1;

	fake->fail_call_cpu = bad;
	KUNIT_EXPECT_EQ(test, do_read(ctx, ctx->n, false), -ENXIO);
	KUNIT_EXPECT_FALSE(test, ctx->out->seen[bad]);
	KUNIT_EXPECT_EQ(test, ctx->out->n, (unsigned int)bad);
	KUNIT_EXPECT_EQ(test, krun_msr_reset(&ctx->km, ctx->n), -ENXIO);
	KUNIT_EXPECT_EQ(test, krun_msr_configure(&ctx->km, ctx->n), -ENXIO);
	KUNIT_EXPECT_EQ(test, fake->releases, 1U);
}

/* A failed counter read is returned; no sample of that CPU; no reset. */
static void krun_test_failed_ctr1(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;
	int bad = ctx->n - 1;

	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, ctx->n), 0);
	fake->fail_ctr1_cpu = bad;
	KUNIT_EXPECT_EQ(test, do_read(ctx, ctx->n, true), -EBUSY);
	KUNIT_EXPECT_FALSE(test, ctx->out->seen[bad]);
	KUNIT_EXPECT_EQ(test, do_read(ctx, ctx->n, false), -EBUSY);
	KUNIT_EXPECT_FALSE(test, ctx->out->seen[bad]);

	/* A reset that cannot read ctr1 changes no baseline of that CPU. */
	KUNIT_EXPECT_EQ(test, krun_msr_reset(&ctx->km, ctx->n), -EBUSY);
	fake->fail_ctr1_cpu = -1;
	KUNIT_ASSERT_EQ(test, do_read(ctx, ctx->n, false), 0);
	KUNIT_EXPECT_GE(test, ctx->out->s[bad].aperf, FAKE_CPU_BASE);
}

/*
 * CPU hotplug: the counter is released when its CPU goes offline and set
 * up again, counting from then, when it comes back; unconfigured CPUs
 * stay unconfigured.
 */
static void krun_test_hotplug(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, false), 0);
	KUNIT_EXPECT_GT(test, ctx->out->s[0].ctr1, 0ULL);

	krun_msr_cpu_down(&ctx->km, 0);
	KUNIT_EXPECT_EQ(test, fake->releases, 1U);
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, false), 0);
	KUNIT_EXPECT_EQ(test, ctx->out->s[0].ctr1, 0ULL);
	krun_msr_cpu_down(&ctx->km, 0);
	KUNIT_EXPECT_EQ(test, fake->releases, 1U);

	log_clear();
	KUNIT_EXPECT_EQ(test, krun_msr_cpu_up(&ctx->km, 0), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "KC");
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, false), 0);
	KUNIT_EXPECT_GT(test, ctx->out->s[0].ctr1, 0ULL);
	KUNIT_EXPECT_LT(test, ctx->out->s[0].ctr1, 1000ULL);

	/* Up again while armed, or a CPU never configured: nothing. */
	log_clear();
	KUNIT_EXPECT_EQ(test, krun_msr_cpu_up(&ctx->km, 0), 0);
	if (ctx->n > 1) {
		krun_msr_cpu_down(&ctx->km, 1);
		KUNIT_EXPECT_EQ(test, krun_msr_cpu_up(&ctx->km, 1), 0);
	}
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_EQ(test, fake->releases, 1U);

	/* A set-up that fails on the way up is reported. */
	krun_msr_cpu_down(&ctx->km, 0);
	fake->fail_configure = -ENODEV;
	KUNIT_EXPECT_EQ(test, krun_msr_cpu_up(&ctx->km, 0), -ENODEV);
}

/*
 * krun_configure() sets counters up with CPU hotplug held off (and checks
 * the CPUs again under it): a CPU going down between this feature's
 * teardown and perf's would otherwise get an event perf detaches.
 */
static void krun_test_configure_cpus_held(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;

	if (!IS_ENABLED(CONFIG_LOCKDEP))
		kunit_skip(test, "needs CONFIG_LOCKDEP (lockdep_is_cpus_held())");
	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, ctx->n), 0);
	KUNIT_EXPECT_EQ(test, fake->configured, ctx->n);
	KUNIT_EXPECT_EQ(test, fake->configured_cpus_held, ctx->n);
}

/*
 * A counter that stopped counting (perf detached it) is replaced by
 * configure and on CPU up, counting from then; a working one is kept.
 */
static void krun_test_configure_replaces_broken(struct kunit *test)
{
	struct krun_test_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	fake->broken_cpu = 0;
	log_clear();
	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "KC");
	KUNIT_EXPECT_EQ(test, fake->releases, 1U);
	fake->broken_cpu = -1;
	KUNIT_ASSERT_EQ(test, do_read(ctx, 1, false), 0);
	KUNIT_EXPECT_GT(test, ctx->out->s[0].ctr1, 0ULL);
	KUNIT_EXPECT_LT(test, ctx->out->s[0].ctr1, 1000ULL);

	/* Back online with an armed but broken counter: replaced too. */
	fake->broken_cpu = 0;
	log_clear();
	KUNIT_EXPECT_EQ(test, krun_msr_cpu_up(&ctx->km, 0), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "KC");
	KUNIT_EXPECT_EQ(test, fake->releases, 2U);

	/* A working counter is kept. */
	fake->broken_cpu = -1;
	log_clear();
	KUNIT_ASSERT_EQ(test, krun_msr_configure(&ctx->km, 1), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_EQ(test, fake->releases, 2U);
}

static struct kunit_case krun_msr_test_cases[] = {
	KUNIT_CASE(krun_test_validation),
	KUNIT_CASE(krun_test_unsupported),
	KUNIT_CASE(krun_test_reset_from_zero),
	KUNIT_CASE(krun_test_reset_order),
	KUNIT_CASE(krun_test_read_order),
	KUNIT_CASE(krun_test_monotonic),
	KUNIT_CASE(krun_test_per_core),
	KUNIT_CASE(krun_test_configure),
	KUNIT_CASE(krun_test_configure_fails),
	KUNIT_CASE(krun_test_failed_call),
	KUNIT_CASE(krun_test_failed_ctr1),
	KUNIT_CASE(krun_test_hotplug),
	KUNIT_CASE(krun_test_configure_cpus_held),
	KUNIT_CASE(krun_test_configure_replaces_broken),
	{}
};

static struct kunit_suite krun_msr_test_suite = {
	.name = "anker_krun_msr",
	.init = krun_test_init,
	.exit = krun_test_exit,
	.test_cases = krun_msr_test_cases,
};
kunit_test_suite(krun_msr_test_suite);
