// SPDX-License-Identifier: GPL-2.0
/*
 * sched_penalty(): the CPU share of a penalised thread against one equal
 * competitor on the same CPU follows the model 100/(200+P) (derived in
 * Documentation/anker/cosched.rst); clearing restores 50/50; the penalty
 * survives sleep, is inherited by fork, touches nobody else.
 */
#include <sys/resource.h>

#include "cs.h"

#define TOL 5.0		/* percentage points */
#define MEASURE 3.0	/* seconds of the two threads competing */

static int test_cpu(void)
{
	return ncpus() - 1;
}

/*
 * Two spinners pinned to one CPU, b penalised with p (set while it sleeps
 * its first 0.2 s when b_sleeps), the main thread elsewhere. Returns b's
 * share of their CPU time over MEASURE seconds, in percent.
 */
static double share(unsigned int p, int b_sleeps, int clear_after_warmup)
{
	struct spinner a = { 0 }, b = { 0 };
	double a0, b0, a1, b1;

	pin_self(0);
	b.sleep_first = b_sleeps ? 0.2 : 0;
	spin_start(&a, test_cpu());
	spin_start(&b, test_cpu());
	if (sched_penalty(b.tid, p, 0)) {
		diag("sched_penalty(%d, %u): %s", b.tid, p, strerror(errno));
		return -1;
	}
	sleep_s(0.5);		/* b is awake and both compete */
	if (clear_after_warmup) {
		sleep_s(0.5);
		if (sched_penalty(b.tid, 0, 0))
			return -1;
	}
	if (sched_penalty_get(b.tid) != (clear_after_warmup ? 0 : (int)p)) {
		diag("penalty of b is %d", sched_penalty_get(b.tid));
		return -1;
	}
	a0 = thread_cpu_s(a.th);
	b0 = thread_cpu_s(b.th);
	sleep_s(MEASURE);
	a1 = thread_cpu_s(a.th);
	b1 = thread_cpu_s(b.th);
	spin_stop(&a);
	spin_stop(&b);
	diag("P=%u: a %.3f s, b %.3f s of CPU in %.1f s", p, a1 - a0, b1 - b0, MEASURE);
	if (a1 - a0 + b1 - b0 < 0.5 * MEASURE) {
		diag("the two threads got less than half a CPU: too noisy");
		return -1;
	}
	return 100.0 * (b1 - b0) / (a1 - a0 + b1 - b0);
}

static int check_share(unsigned int p, int b_sleeps, int clear)
{
	double want = clear ? 50.0 : 100.0 / (200 + p) * 100, got;

	if (ncpus() < 2)
		return skip("needs 2 CPUs (the measuring thread on another one)");
	got = share(p, b_sleeps, clear);
	CHECK(got >= 0, "measurement failed");
	diag("share of the penalised thread: %.1f %% (model %.1f %%)", got, want);
	CHECK(got > want - TOL && got < want + TOL,
	      "share %.1f %% is not within %.0f points of %.1f %%", got, TOL, want);
	return 0;
}

static int t_share_0(void) { return check_share(0, 0, 0); }
static int t_share_50(void) { return check_share(50, 0, 0); }
static int t_share_100(void) { return check_share(100, 0, 0); }
static int t_share_300(void) { return check_share(300, 0, 0); }
static int t_clear(void) { return check_share(300, 0, 1); }
static int t_sleep_wake(void) { return check_share(200, 1, 0); }

static int t_get_set(void)
{
	CHECK(sched_penalty_get(0) == 0, "initial penalty %d", sched_penalty_get(0));
	CHECK_OK(sched_penalty(0, 250, 0));
	CHECK(sched_penalty_get(0) == 250, "got %d", sched_penalty_get(0));
	CHECK(sched_penalty_get(gettid_()) == 250, "by tid: %d", sched_penalty_get(gettid_()));
	CHECK_OK(sched_penalty(0, SCHED_PENALTY_MAX, 0));
	CHECK(sched_penalty_get(0) == SCHED_PENALTY_MAX, "max");
	CHECK_ERR(sched_penalty(0, SCHED_PENALTY_MAX + 1, 0), EINVAL);
	CHECK(sched_penalty_get(0) == SCHED_PENALTY_MAX, "unchanged by EINVAL");
	CHECK_OK(sched_penalty(0, 0, 0));
	CHECK(sched_penalty_get(0) == 0, "cleared");
	return 0;
}

static int t_proc_status(void)
{
	char v[64];

	CHECK_OK(sched_penalty(0, 123, 0));
	proc_status(getpid(), gettid_(), "SchedPenalty", v, sizeof(v));
	CHECK(!strcmp(v, "123"), "SchedPenalty: '%s'", v);
	return 0;
}

static int child_penalty(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(sched_penalty_get(0) & 0xff);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int t_fork_inherits(void)
{
	struct sched_param sp = { 0 };
	int c;

	CHECK_OK(sched_penalty(0, 77, 0));
	c = child_penalty();
	CHECK(c == 77, "child of a penalised parent has %d, want 77", c);
	/* SCHED_RESET_ON_FORK resets it, as it resets the nice value */
	CHECK_OK(sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp));
	c = child_penalty();
	CHECK(c == 0, "child with SCHED_RESET_ON_FORK has %d, want 0", c);
	CHECK(sched_penalty_get(0) == 77, "parent keeps it");
	return 0;
}

static void *get_own(void *arg)
{
	*(int *)arg = sched_penalty_get(0);
	return NULL;
}

static int t_thread_inherits(void)
{
	pthread_t th;
	int v = -1;

	CHECK_OK(sched_penalty(0, 40, 0));
	pthread_create(&th, NULL, get_own, &v);
	pthread_join(th, NULL);
	CHECK(v == 40, "new thread has %d, want 40", v);
	return 0;
}

/* Two unpenalised threads still split 50/50 while a penalised one runs. */
static int t_unrelated(void)
{
	struct spinner a = { 0 }, b = { 0 }, c = { 0 };
	double a0, b0, a1, b1, s;

	if (ncpus() < 2)
		return skip("needs 2 CPUs");
	pin_self(0);
	spin_start(&c, 0);
	CHECK_OK(sched_penalty(c.tid, 500, 0));
	spin_start(&a, test_cpu());
	spin_start(&b, test_cpu());
	CHECK(sched_penalty_get(a.tid) == 0 && sched_penalty_get(b.tid) == 0 &&
	      sched_penalty_get(0) == 0, "penalty leaked to another thread");
	sleep_s(0.3);
	a0 = thread_cpu_s(a.th);
	b0 = thread_cpu_s(b.th);
	sleep_s(MEASURE);
	a1 = thread_cpu_s(a.th);
	b1 = thread_cpu_s(b.th);
	spin_stop(&a);
	spin_stop(&b);
	spin_stop(&c);
	s = 100 * (b1 - b0) / (a1 - a0 + b1 - b0);
	diag("unpenalised pair: a %.3f s, b %.3f s: b %.1f %%", a1 - a0, b1 - b0, s);
	CHECK(s > 50 - TOL && s < 50 + TOL, "share %.1f %%, want 50", s);
	return 0;
}

static int t_classes(void)
{
	struct sched_param sp = { 0 };

	CHECK_OK(sched_setscheduler(0, SCHED_BATCH, &sp));
	CHECK_OK(sched_penalty(0, 10, 0));
	CHECK_OK(sched_setscheduler(0, SCHED_IDLE, &sp));
	CHECK_OK(sched_penalty(0, 20, 0));
	/* switched to RT: kept (and without effect), cannot be set, can be cleared */
	sp.sched_priority = 1;
	CHECK_OK(sched_setscheduler(0, SCHED_FIFO, &sp));
	CHECK(sched_penalty_get(0) == 20, "kept while RT: %d", sched_penalty_get(0));
	CHECK_ERR(sched_penalty(0, 30, 0), EINVAL);
	CHECK(sched_penalty_get(0) == 20, "EINVAL changed it");
	CHECK_OK(sched_setscheduler(0, SCHED_RR, &sp));
	CHECK_ERR(sched_penalty(0, 30, 0), EINVAL);
	CHECK_OK(sched_penalty(0, 0, 0));
	CHECK(sched_penalty_get(0) == 0, "clear on RT");
	sp.sched_priority = 0;
	CHECK_OK(sched_setscheduler(0, SCHED_OTHER, &sp));
	CHECK_OK(sched_penalty(0, 30, 0));
	return 0;
}

static int t_errors(void)
{
	int st;
	pid_t pid;

	CHECK_ERR(sched_penalty(0, 0, 0x4), EINVAL);
	CHECK_ERR(sched_penalty(0, 5, SCHED_PENALTY_GET), EINVAL);
	CHECK_ERR(sched_penalty(-5, 10, 0), ESRCH);
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	CHECK_ERR(sched_penalty(pid, 10, 0), ESRCH);
	CHECK_ERR(sched_penalty_get(pid), ESRCH);
	CHECK_ERR(sched_penalty(2, 10, 0), EPERM);	/* kthreadd */
	CHECK_ERR(sched_penalty(12345, 10, COSCHED_PIDFD), EBADF);
	return 0;
}

/* As uid 65534: another user's thread (ours, root's) is off limits. */
static int t_eperm(void)
{
	pid_t root_tid = gettid_();
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(3);
		if (sched_penalty(root_tid, 10, 0) != -1 || errno != EPERM)
			_exit(1);
		if (sched_penalty_get(root_tid) != -1 || errno != EPERM)
			_exit(1);
		/* its own threads are fine */
		if (sched_penalty(0, 10, 0) || sched_penalty_get(0) != 10)
			_exit(2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 3, "cannot drop to uid 65534");
	CHECK(WEXITSTATUS(st) != 1, "another user's thread: not EPERM");
	CHECK(WEXITSTATUS(st) == 0, "own thread refused as uid 65534");
	CHECK(sched_penalty_get(0) == 0, "EPERM changed it");
	return 0;
}

static int t_pidfd(void)
{
	int fd = syscall(SYS_pidfd_open, getpid(), 0);

	if (fd < 0)
		return skip("pidfd_open: %s", strerror(errno));
	CHECK_OK(sched_penalty(fd, 60, COSCHED_PIDFD));
	CHECK(sched_penalty(fd, 0, COSCHED_PIDFD | SCHED_PENALTY_GET) == 60, "via pidfd");
	CHECK(sched_penalty_get(0) == 60, "by tid");
	return 0;
}

static const struct cs_case cases[] = {
	{ "get and set, bounds", t_get_set },
	{ "errors: EINVAL flags, ESRCH, EPERM for kernel thread, EBADF pidfd", t_errors },
	{ "EPERM on another user's thread (as uid 65534)", t_eperm },
	{ "fair classes only: BATCH and IDLE ok, RT EINVAL, kept while RT", t_classes },
	{ "/proc/PID/status SchedPenalty", t_proc_status },
	{ "pidfd variant", t_pidfd },
	{ "fork inherits, SCHED_RESET_ON_FORK clears", t_fork_inherits },
	{ "new threads inherit", t_thread_inherits },
	{ "share P=0: 50 %", t_share_0 },
	{ "share P=50: 100/(200+P) = 40 %", t_share_50 },
	{ "share P=100: 33.3 %", t_share_100 },
	{ "share P=300: 20 %", t_share_300 },
	{ "clearing restores 50/50", t_clear },
	{ "penalty set while asleep holds after wake-up (P=200: 25 %)", t_sleep_wake },
	{ "no effect on unrelated threads", t_unrelated },
};

int main(void)
{
	return cs_run(cases, sizeof(cases) / sizeof(cases[0]));
}
