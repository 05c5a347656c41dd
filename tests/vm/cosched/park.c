// SPDX-License-Identifier: GPL-2.0
/*
 * task_park()/task_unpark(): a parked thread gets no CPU while its
 * siblings run, is not woken by SIGCONT or ptrace, dies at SIGKILL, runs
 * again when unparked; blocked threads park on their way back to user
 * mode; races with exit; every errno.
 */
#include <sys/ioctl.h>
#include <sys/ptrace.h>

#include "cs.h"

/* wait up to secs for task_park_state(tid) == want */
static int wait_state(pid_t tid, int want, double secs)
{
	double end = now_s() + secs;
	int s;

	do {
		s = task_park_state(tid);
		if (s == want)
			return 0;
		sleep_s(0.01);
	} while (now_s() < end);
	diag("state of %d is %d, want %d", tid, s, want);
	return -1;
}

static int t_park_spinner(void)
{
	struct spinner s = { 0 }, sib = { 0 };
	double c0, c1;
	unsigned long n0, sib0;
	long k0, k1;
	char st[64], pk[64];

	spin_start(&s, -1);
	spin_start(&sib, -1);
	sleep_s(0.2);
	CHECK_OK(task_park(s.tid, 0));
	CHECK(task_park_state(s.tid) == TASK_PARK_STATE_PARKED, "state %d",
	      task_park_state(s.tid));
	proc_status(getpid(), s.tid, "State", st, sizeof(st));
	proc_status(getpid(), s.tid, "Parked", pk, sizeof(pk));
	diag("parked thread: State: %s, Parked: %s", st, pk);
	CHECK(!strcmp(st, "I (idle)"), "State: %s", st);
	CHECK(!strcmp(pk, "yes"), "Parked: %s", pk);

	c0 = thread_cpu_s(s.th);
	k0 = proc_ticks(getpid(), s.tid);
	n0 = s.count;
	sib0 = sib.count;
	sleep_s(2.0);
	c1 = thread_cpu_s(s.th);
	k1 = proc_ticks(getpid(), s.tid);
	diag("parked 2 s: cpu %.6f -> %.6f s, utime+stime %ld -> %ld, sibling +%lu",
	     c0, c1, k0, k1, sib.count - sib0);
	CHECK(c1 == c0 && k1 == k0 && s.count == n0, "a parked thread ran");
	CHECK(sib.count > sib0, "the sibling did not run");

	CHECK_OK(task_unpark(s.tid, 0));
	CHECK(task_park_state(s.tid) == TASK_PARK_STATE_NONE, "state after unpark");
	sleep_s(0.5);
	CHECK(s.count > n0 && thread_cpu_s(s.th) > c1, "unparked thread does not run");
	proc_status(getpid(), s.tid, "Parked", pk, sizeof(pk));
	CHECK(!strcmp(pk, "no"), "Parked: %s after unpark", pk);
	spin_stop(&s);
	spin_stop(&sib);
	return 0;
}

static int t_nowait(void)
{
	struct spinner s = { 0 };

	spin_start(&s, -1);
	CHECK_OK(task_park(s.tid, TASK_PARK_NOWAIT));
	CHECK(wait_state(s.tid, TASK_PARK_STATE_PARKED, 5) == 0, "not parked");
	CHECK_OK(task_unpark(s.tid, 0));
	spin_stop(&s);
	return 0;
}

struct reader {
	int fd;
	_Atomic pid_t tid;
	_Atomic int got;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;
	char c;

	r->tid = gettid_();
	while (read(r->fd, &c, 1) == 1)
		r->got++;
	return NULL;
}

static int t_blocked_read(void)
{
	struct reader r = { 0 };
	pthread_t th;
	int p[2], avail = -1;
	double t0;

	CHECK_OK(pipe(p));
	r.fd = p[0];
	pthread_create(&th, NULL, reader_fn, &r);
	while (!r.tid)
		sched_yield();
	sleep_s(0.2);		/* blocked in read() */
	t0 = now_s();
	CHECK_OK(task_park(r.tid, 0));
	diag("park of a thread blocked in read() took %.3f s", now_s() - t0);
	CHECK(task_park_state(r.tid) == TASK_PARK_STATE_PARKED, "not parked");
	CHECK(write(p[1], "x", 1) == 1, "write");
	sleep_s(0.5);
	ioctl(p[0], FIONREAD, &avail);
	CHECK(r.got == 0 && avail == 1, "parked reader consumed data (got %d, left %d)",
	      r.got, avail);
	CHECK_OK(task_unpark(r.tid, 0));
	for (t0 = now_s(); r.got == 0 && now_s() < t0 + 5;)
		sleep_s(0.01);
	CHECK(r.got == 1, "unparked reader did not read");
	close(p[1]);
	pthread_join(th, NULL);
	return 0;
}

/* a child process spinning, its counter in shared memory */
static pid_t spin_child(_Atomic unsigned long *counter)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			(*counter)++;
	}
	return pid;
}

static _Atomic unsigned long *shared_counter(void)
{
	return mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

static int t_sigkill(void)
{
	_Atomic unsigned long *cnt = shared_counter();
	pid_t pid = spin_child(cnt);
	double t0;
	int st;

	sleep_s(0.1);
	CHECK_OK(task_park(pid, 0));
	t0 = now_s();
	CHECK_OK(kill(pid, SIGKILL));
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	diag("SIGKILL to waitpid of a parked process: %.3f s", now_s() - t0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
	CHECK(now_s() - t0 < 5, "SIGKILL took too long");
	return 0;
}

static int t_stop_cont(void)
{
	_Atomic unsigned long *cnt = shared_counter();
	pid_t pid = spin_child(cnt);
	unsigned long n;
	int st;

	sleep_s(0.1);
	CHECK_OK(task_park(pid, 0));
	n = *cnt;
	kill(pid, SIGSTOP);
	sleep_s(0.2);
	kill(pid, SIGCONT);
	sleep_s(0.5);
	CHECK(*cnt == n, "SIGSTOP+SIGCONT woke a parked process");
	CHECK(task_park_state(pid) == TASK_PARK_STATE_PARKED, "state");
	/* ptrace: seize and interrupt does not get it out either */
	CHECK_OK(ptrace(PTRACE_SEIZE, pid, 0, 0));
	CHECK_OK(ptrace(PTRACE_INTERRUPT, pid, 0, 0));
	sleep_s(0.5);
	CHECK(*cnt == n, "PTRACE_INTERRUPT woke a parked process");
	CHECK(waitpid(pid, &st, WNOHANG) == 0, "a parked tracee reported a stop");
	CHECK(task_park_state(pid) == TASK_PARK_STATE_PARKED, "state");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return 0;
}

/* A park pending on a stopped process is cancelled by unpark. */
static int t_pending_cancel(void)
{
	_Atomic unsigned long *cnt = shared_counter();
	pid_t pid = spin_child(cnt);
	unsigned long n;
	char st[64];
	int s;

	sleep_s(0.1);
	kill(pid, SIGSTOP);
	CHECK(waitpid(pid, &s, WUNTRACED) == pid && WIFSTOPPED(s), "not stopped");
	CHECK_OK(task_park(pid, TASK_PARK_NOWAIT));
	CHECK(task_park_state(pid) == TASK_PARK_STATE_PENDING, "state %d", task_park_state(pid));
	proc_status(pid, pid, "Parked", st, sizeof(st));
	CHECK(!strcmp(st, "pending"), "Parked: %s", st);
	CHECK_ERR(task_park(pid, 0), EALREADY);
	CHECK_OK(task_unpark(pid, 0));
	CHECK(task_park_state(pid) == TASK_PARK_STATE_NONE, "state after cancel");
	n = *cnt;
	kill(pid, SIGCONT);
	sleep_s(0.5);
	CHECK(*cnt > n, "cancelled park still holds the process");
	kill(pid, SIGKILL);
	waitpid(pid, &s, 0);
	return 0;
}

#define NSPIN 16
#define NCALL 8
static struct spinner many[NSPIN];
static pthread_barrier_t bar;
static _Atomic int call_errors;

static void *caller_fn(void *arg)
{
	long i = (long)arg;

	for (int k = i; k < NSPIN; k += NCALL)
		if (task_park(many[k].tid, 0))
			call_errors++;
	pthread_barrier_wait(&bar);	/* all parked */
	pthread_barrier_wait(&bar);	/* checked */
	for (int k = i; k < NSPIN; k += NCALL)
		if (task_unpark(many[k].tid, 0))
			call_errors++;
	return NULL;
}

static int t_many(void)
{
	pthread_t callers[NCALL];
	unsigned long n[NSPIN];
	long i;

	for (i = 0; i < NSPIN; i++)
		spin_start(&many[i], -1);
	pthread_barrier_init(&bar, NULL, NCALL + 1);
	for (i = 0; i < NCALL; i++)
		pthread_create(&callers[i], NULL, caller_fn, (void *)i);
	pthread_barrier_wait(&bar);
	CHECK(call_errors == 0, "%d park calls failed", call_errors);
	for (i = 0; i < NSPIN; i++) {
		CHECK(task_park_state(many[i].tid) == TASK_PARK_STATE_PARKED, "%ld not parked", i);
		n[i] = many[i].count;
	}
	sleep_s(1.0);
	for (i = 0; i < NSPIN; i++)
		CHECK(many[i].count == n[i], "parked thread %ld ran", i);
	pthread_barrier_wait(&bar);
	for (i = 0; i < NCALL; i++)
		pthread_join(callers[i], NULL);
	CHECK(call_errors == 0, "%d unpark calls failed", call_errors);
	sleep_s(1.0);
	for (i = 0; i < NSPIN; i++)
		CHECK(many[i].count > n[i], "unparked thread %ld does not run", i);
	for (i = 0; i < NSPIN; i++)
		spin_stop(&many[i]);
	return 0;
}

struct brief {
	_Atomic pid_t tid;
	long spins;
};

static void *brief_fn(void *arg)
{
	struct brief *b = arg;

	b->tid = gettid_();
	for (volatile long i = 0; i < b->spins; i++)
		;
	return NULL;
}

/* park/unpark of threads that exit at the same moment */
static int t_exit_race(void)
{
	int counts[3] = { 0 };	/* 0, ESRCH, EALREADY */

	for (int it = 0; it < 300; it++) {
		struct brief b = { 0, (it * 7919) % 200000 };
		pthread_t th;
		int r;

		pthread_create(&th, NULL, brief_fn, &b);
		while (!b.tid)
			;
		r = task_park(b.tid, it & 1 ? TASK_PARK_NOWAIT : 0);
		CHECK(r == 0 || errno == ESRCH || errno == EALREADY,
		      "park: %s", strerror(errno));
		counts[r == 0 ? 0 : errno == ESRCH ? 1 : 2]++;
		r = task_unpark(b.tid, 0);
		CHECK(r == 0 || errno == ESRCH || errno == EALREADY,
		      "unpark: %s", strerror(errno));
		pthread_join(th, NULL);	/* the alarm catches a hang */
	}
	diag("park results: %d ok, %d ESRCH, %d EALREADY", counts[0], counts[1], counts[2]);
	/* processes killed while being parked */
	for (int it = 0; it < 50; it++) {
		_Atomic unsigned long cnt;
		pid_t pid = spin_child(&cnt);
		int st, r;

		if (it & 1)
			kill(pid, SIGKILL);
		r = task_park(pid, it & 2 ? TASK_PARK_NOWAIT : 0);
		CHECK(r == 0 || errno == ESRCH, "park: %s", strerror(errno));
		if (!(it & 1))
			kill(pid, SIGKILL);
		CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st), "child");
	}
	return 0;
}

static void *park_me_fn(void *arg)
{
	struct spinner *sp = arg;

	sp->tid = gettid_();
	for (;;)
		sp->count++;
	return NULL;
}

/* the process exits (or execs) while one of its threads is parked */
static int t_exit_while_parked(void)
{
	for (int exec = 0; exec < 2; exec++) {
		int st;
		double t0 = now_s();
		pid_t pid = fork();

		if (pid == 0) {
			static struct spinner sp;
			pthread_t th;

			pthread_create(&th, NULL, park_me_fn, &sp);
			while (!sp.tid)
				;
			if (task_park(sp.tid, 0) ||
			    task_park_state(sp.tid) != TASK_PARK_STATE_PARKED)
				_exit(10);
			if (exec)
				execl("/bin/true", "true", NULL);
			exit(0);
		}
		CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s with a parked thread: status %#x",
		      exec ? "exec" : "exit", st);
		diag("%s with a parked thread: %.3f s", exec ? "exec" : "exit", now_s() - t0);
	}
	return 0;
}

/* a single-threaded process parks itself; another one unparks it */
static int t_self_park(void)
{
	_Atomic unsigned long *flag = shared_counter();
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int r = task_park(0, 0);

		*flag = 1;
		_exit(r == 0 ? 0 : 1);
	}
	CHECK(wait_state(pid, TASK_PARK_STATE_PARKED, 5) == 0, "not parked");
	sleep_s(0.3);
	CHECK(*flag == 0, "a self-parked process ran on");
	CHECK_OK(task_unpark(pid, 0));
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "self park returned an error: status %#x", st);
	CHECK(*flag == 1, "flag");
	return 0;
}

static int t_pidfd(void)
{
	_Atomic unsigned long *cnt = shared_counter();
	pid_t pid = spin_child(cnt);
	int fd = syscall(SYS_pidfd_open, pid, 0), st;
	unsigned long n;

	if (fd < 0) {
		kill(pid, SIGKILL);
		return skip("pidfd_open: %s", strerror(errno));
	}
	CHECK_OK(task_park(fd, COSCHED_PIDFD));
	CHECK(task_park(fd, COSCHED_PIDFD | TASK_PARK_QUERY) == TASK_PARK_STATE_PARKED, "query");
	n = *cnt;
	sleep_s(0.3);
	CHECK(*cnt == n, "ran while parked");
	CHECK_OK(task_unpark(fd, COSCHED_PIDFD));
	sleep_s(0.3);
	CHECK(*cnt > n, "not running after unpark");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return 0;
}

static int t_errors(void)
{
	struct spinner s = { 0 };
	pid_t pid;
	int st;

	CHECK_ERR(task_park(0, 0x100), EINVAL);
	CHECK_ERR(task_park(0, TASK_PARK_NOWAIT | TASK_PARK_QUERY), EINVAL);
	CHECK_ERR(task_unpark(0, TASK_PARK_NOWAIT), EINVAL);
	CHECK_ERR(task_unpark(0, 0x100), EINVAL);
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	CHECK_ERR(task_park(pid, 0), ESRCH);
	CHECK_ERR(task_unpark(pid, 0), ESRCH);
	CHECK_ERR(task_park_state(pid), ESRCH);
	CHECK_ERR(task_park(-1, 0), ESRCH);
	CHECK_ERR(task_park(2, 0), EPERM);	/* kthreadd */
	CHECK_ERR(task_park(-1, COSCHED_PIDFD), EBADF);

	spin_start(&s, -1);
	CHECK_ERR(task_unpark(s.tid, 0), EALREADY);	/* not parked */
	CHECK_OK(task_park(s.tid, 0));
	CHECK_ERR(task_park(s.tid, 0), EALREADY);	/* already parked */
	CHECK_ERR(task_park(s.tid, TASK_PARK_NOWAIT), EALREADY);
	CHECK(task_park_state(s.tid) == TASK_PARK_STATE_PARKED, "still parked");
	CHECK_OK(task_unpark(s.tid, 0));
	CHECK_ERR(task_unpark(s.tid, 0), EALREADY);
	spin_stop(&s);
	return 0;
}

/* As uid 65534: root's threads cannot be parked, unparked or queried. */
/* init is never parked (it ignores SIGSTOP too); its state can be read. */
static int t_init(void)
{
	int r, e;

	errno = 0;
	r = task_park(1, TASK_PARK_NOWAIT);
	e = errno;
	if (r == 0)
		task_unpark(1, 0);	/* do not leave the guest's init parked */
	CHECK(r == -1 && e == EPERM, "task_park(1) as root: %d (%s), want EPERM",
	      r, r ? strerror(e) : "it was parked");
	CHECK(task_park_state(1) == TASK_PARK_STATE_NONE, "init's park state");
	return 0;
}

static int t_eperm(void)
{
	struct spinner s = { 0 };
	pid_t pid;
	int st;

	spin_start(&s, -1);
	CHECK_OK(task_park(s.tid, 0));
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(3);
		if (task_park(s.tid, 0) != -1 || errno != EPERM)
			_exit(1);
		if (task_unpark(s.tid, 0) != -1 || errno != EPERM)
			_exit(1);
		if (task_park_state(s.tid) != -1 || errno != EPERM)
			_exit(1);
		/* its own: fine */
		if (task_park(0, TASK_PARK_QUERY) != TASK_PARK_STATE_NONE)
			_exit(2);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 3, "cannot drop to uid 65534");
	CHECK(WEXITSTATUS(st) != 1, "another user's thread: not EPERM");
	CHECK(WEXITSTATUS(st) == 0, "own thread refused");
	CHECK(task_park_state(s.tid) == TASK_PARK_STATE_PARKED, "EPERM unparked it");
	CHECK_OK(task_unpark(s.tid, 0));
	spin_stop(&s);
	return 0;
}

static const struct cs_case cases[] = {
	{ "errors: EINVAL flags, ESRCH, EPERM kthread, EBADF, EALREADY", t_errors },
	{ "EPERM on another user's thread (as uid 65534)", t_eperm },
	{ "init (pid 1) is never parked: EPERM, for root too", t_init },
	{ "parked spinner gets no CPU for 2 s while its sibling runs; unpark resumes", t_park_spinner },
	{ "TASK_PARK_NOWAIT", t_nowait },
	{ "thread blocked in read() parks; reads after unpark", t_blocked_read },
	{ "SIGKILL ends a parked process", t_sigkill },
	{ "SIGSTOP/SIGCONT and ptrace do not wake a parked process", t_stop_cont },
	{ "unpark cancels a pending park", t_pending_cancel },
	{ "16 threads parked and unparked by 8 callers at once", t_many },
	{ "park/unpark racing with thread exit and SIGKILL", t_exit_race },
	{ "exit and exec with a parked thread", t_exit_while_parked },
	{ "a process parks itself, another unparks it", t_self_park },
	{ "pidfd variant", t_pidfd },
};

int main(void)
{
	return cs_run(cases, sizeof(cases) / sizeof(cases[0]));
}
