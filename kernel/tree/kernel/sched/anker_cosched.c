// SPDX-License-Identifier: GPL-2.0
/*
 * Anker cooperative scheduling (Documentation/anker/cosched.rst).
 *
 * sched_penalty(tid, penalty, flags)
 *	The fair class charges a penalised entity (100 + penalty)% of its
 *	weighted run time as vruntime (anker_penalise() in update_curr()).
 *	EEVDF keeps the vruntimes of competing entities together, so the
 *	penalised one gets 100/(100 + penalty) of the time it would get.
 *
 * task_park(tid, flags), task_unpark(tid, flags)
 *	A park request queues a task_work on the thread with TWA_SIGNAL, as
 *	io_uring and the freezer's fake signal do: a thread in an
 *	interruptible sleep leaves it (its system call is restarted later),
 *	a running one is interrupted, and all of them run the work on their
 *	way back to user mode. The work sleeps on a wait_var_event() queue
 *	in TASK_KILLABLE | TASK_NOLOAD | TASK_FREEZABLE until the request is
 *	withdrawn or SIGKILL arrives: off every run queue, not a signal or
 *	ptrace stop (SIGCONT and ptrace wake only stopped/traced tasks,
 *	signal_wake_up() only TASK_INTERRUPTIBLE ones unless the signal is
 *	fatal), not counted in the load average nor by the hung-task
 *	detector, and frozen-safe for suspend.
 *
 * Locking: anker_park_lock (a mutex) serialises every change of a
 * task's ->anker_park bits; the waiters read them locklessly, after the
 * full barrier that wake_up_var() requires.
 */
#include <linux/anker.h>
#include <linux/anker_cosched.h>
#include <linux/init.h>
#include <linux/mmu_context.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/task_work.h>
#include <linux/wait_bit.h>
#include <uapi/linux/anker.h>

#include "sched.h"

DEFINE_STATIC_KEY_FALSE(anker_penalty_used);

/* ->anker_park bits */
enum {
	ANKER_PARK_REQ,		/* park wanted: set by task_park, cleared by unpark */
	ANKER_PARK_QUEUED,	/* a park work is queued on the task */
	ANKER_PARK_PARKED,	/* the task sleeps in anker_park_work() */
};

/* The state the parked thread sleeps in; see the comment at the top. */
#define ANKER_PARK_SLEEP	(TASK_KILLABLE | TASK_NOLOAD | TASK_FREEZABLE)

static DEFINE_MUTEX(anker_park_lock);

/* Called by __sched_fork() for every new task. */
void anker_cosched_fork(struct task_struct *p)
{
	/* A park request is for the thread it was made for, not its child. */
	p->anker_park = 0;
	/* The penalty is inherited like the nice value, and reset with it. */
	if (p->sched_reset_on_fork)
		p->se.anker_penalty = 0;
}

static int anker_park_state(struct task_struct *t)
{
	unsigned long st = READ_ONCE(t->anker_park);

	if (!(st & BIT(ANKER_PARK_REQ)))
		return TASK_PARK_STATE_NONE;
	if (st & BIT(ANKER_PARK_PARKED))
		return TASK_PARK_STATE_PARKED;
	return TASK_PARK_STATE_PENDING;
}

/* The lines /proc/PID/status shows (fs/proc/array.c). */
void anker_cosched_proc_status(struct seq_file *m, struct task_struct *p)
{
	static const char * const names[] = {
		[TASK_PARK_STATE_NONE] = "no",
		[TASK_PARK_STATE_PENDING] = "pending",
		[TASK_PARK_STATE_PARKED] = "yes",
	};

	seq_printf(m, "SchedPenalty:\t%u\n", READ_ONCE(p->se.anker_penalty));
	seq_printf(m, "Parked:\t%s\n", names[anker_park_state(p)]);
}

/*
 * The target of a call: tid 0 is the caller, COSCHED_PIDFD makes @id a
 * pidfd. Returns a reference the caller must put, or an ERR_PTR.
 */
static struct task_struct *cosched_get_task(int id, unsigned int flags,
					    unsigned int mode)
{
	struct task_struct *t;
	unsigned int fflags;

	if (flags & COSCHED_PIDFD)
		t = pidfd_get_task(id, &fflags);
	else if (id == 0)
		t = get_task_struct(current);
	else if (id < 0)
		t = ERR_PTR(-ESRCH);
	else
		t = find_get_task_by_vpid(id) ?: ERR_PTR(-ESRCH);
	if (IS_ERR(t))
		return t;

	/* Kernel threads and io_uring/vhost workers never return to user mode. */
	if (t->flags & (PF_KTHREAD | PF_USER_WORKER)) {
		put_task_struct(t);
		return ERR_PTR(-EPERM);
	}
	if (!ptrace_may_access(t, mode)) {
		put_task_struct(t);
		return ERR_PTR(-EPERM);
	}
	return t;
}

static bool cosched_fair(struct task_struct *t)
{
	return fair_policy(t->policy) || idle_policy(t->policy);
}

SYSCALL_DEFINE3(sched_penalty, pid_t, tid, unsigned int, penalty,
		unsigned int, flags)
{
	struct task_struct *t;
	struct rq_flags rf;
	struct rq *rq;
	long ret = 0;

	if (flags & ~(SCHED_PENALTY_GET | COSCHED_PIDFD))
		return -EINVAL;
	if ((flags & SCHED_PENALTY_GET) ? penalty : penalty > SCHED_PENALTY_MAX)
		return -EINVAL;

	t = cosched_get_task(tid, flags, (flags & SCHED_PENALTY_GET) ?
			     PTRACE_MODE_READ_REALCREDS :
			     PTRACE_MODE_ATTACH_REALCREDS);
	if (IS_ERR(t))
		return PTR_ERR(t);

	if (flags & SCHED_PENALTY_GET) {
		ret = READ_ONCE(t->se.anker_penalty);
		goto out;
	}

	/* Sleeps (jump label patching): before the run-queue lock. */
	if (penalty)
		static_branch_enable(&anker_penalty_used);

	rq = task_rq_lock(t, &rf);
	if (t->exit_state) {
		ret = -ESRCH;
	} else if (penalty && !cosched_fair(t)) {
		/* RT, deadline: no vruntime to charge. Clearing is allowed. */
		ret = -EINVAL;
	} else {
		/* Charge the time run so far at the old rate. */
		if (task_current(rq, t) && t->sched_class == &fair_sched_class) {
			update_rq_clock(rq);
			t->sched_class->update_curr(rq);
		}
		WRITE_ONCE(t->se.anker_penalty, penalty);
	}
	task_rq_unlock(rq, t, &rf);
out:
	put_task_struct(t);
	return ret;
}

/* Set @bit of @t->anker_park or clear it, then wake whoever waits on it. */
static void anker_park_update(struct task_struct *t, int bit, bool set)
{
	lockdep_assert_held(&anker_park_lock);
	if (set)
		set_bit(bit, &t->anker_park);
	else
		clear_bit(bit, &t->anker_park);
	/* wake_up_var() needs the change visible before it looks at the queue */
	smp_mb__after_atomic();
	wake_up_var(&t->anker_park);
}

/*
 * The park itself: a task_work the target runs on its way back to user
 * mode (or in do_exit(), where it does nothing).
 */
static void anker_park_work(struct callback_head *cb)
{
	struct task_struct *t = current;
	bool park;

	kfree(cb);

	mutex_lock(&anker_park_lock);
	clear_bit(ANKER_PARK_QUEUED, &t->anker_park);
	park = test_bit(ANKER_PARK_REQ, &t->anker_park) &&
	       !(t->flags & PF_EXITING) && !fatal_signal_pending(t);
	if (park)
		anker_park_update(t, ANKER_PARK_PARKED, true);
	else
		anker_park_update(t, ANKER_PARK_REQ, false);
	mutex_unlock(&anker_park_lock);
	if (!park)
		return;

	/* Returns early (-ERESTARTSYS) only for a fatal signal. */
	(void)___wait_var_event(&t->anker_park,
				!test_bit(ANKER_PARK_REQ, &t->anker_park),
				ANKER_PARK_SLEEP, 0, 0, schedule());

	mutex_lock(&anker_park_lock);
	clear_bit(ANKER_PARK_REQ, &t->anker_park);
	anker_park_update(t, ANKER_PARK_PARKED, false);
	mutex_unlock(&anker_park_lock);
}

static bool anker_park_settled(struct task_struct *t)
{
	unsigned long st = READ_ONCE(t->anker_park);

	return !(st & BIT(ANKER_PARK_REQ)) || (st & BIT(ANKER_PARK_PARKED));
}

SYSCALL_DEFINE2(task_park, pid_t, tid, unsigned int, flags)
{
	struct callback_head *work = NULL;
	struct task_struct *t;
	long ret = 0;

	if (flags & ~(TASK_PARK_NOWAIT | TASK_PARK_QUERY | COSCHED_PIDFD))
		return -EINVAL;
	if ((flags & TASK_PARK_QUERY) && (flags & TASK_PARK_NOWAIT))
		return -EINVAL;

	t = cosched_get_task(tid, flags, (flags & TASK_PARK_QUERY) ?
			     PTRACE_MODE_READ_REALCREDS :
			     PTRACE_MODE_ATTACH_REALCREDS);
	if (IS_ERR(t))
		return PTR_ERR(t);

	if (flags & TASK_PARK_QUERY) {
		ret = anker_park_state(t);
		goto out;
	}
	/*
	 * init ignores SIGSTOP, and a parked init would stop reaping orphans
	 * and shutting the system down: it is never parked.
	 */
	if (is_global_init(t)) {
		ret = -EPERM;
		goto out;
	}

	work = kmalloc(sizeof(*work), GFP_KERNEL);
	if (!work) {
		ret = -ENOMEM;
		goto out;
	}
	init_task_work(work, anker_park_work);

	mutex_lock(&anker_park_lock);
	if (t->flags & PF_EXITING) {
		ret = -ESRCH;
	} else if (test_bit(ANKER_PARK_REQ, &t->anker_park)) {
		ret = -EALREADY;
	} else if (test_bit(ANKER_PARK_QUEUED, &t->anker_park) ||
		   test_bit(ANKER_PARK_PARKED, &t->anker_park)) {
		/* A work from an earlier request is still there: reuse it. */
		anker_park_update(t, ANKER_PARK_REQ, true);
	} else if (task_work_add(t, work, TWA_SIGNAL)) {
		ret = -ESRCH;		/* past exit_task_work() */
	} else {
		work = NULL;
		set_bit(ANKER_PARK_QUEUED, &t->anker_park);
		anker_park_update(t, ANKER_PARK_REQ, true);
	}
	mutex_unlock(&anker_park_lock);
	kfree(work);
	if (ret || (flags & TASK_PARK_NOWAIT) || t == current)
		goto out;

	/*
	 * Wait until it is parked, or the request is gone (unparked, or the
	 * thread exits). A signal ends the wait but not the request.
	 */
	if (wait_var_event_interruptible(&t->anker_park, anker_park_settled(t))) {
		ret = -EINTR;
		goto out;
	}
	if (!test_bit(ANKER_PARK_PARKED, &t->anker_park) &&
	    (t->flags & PF_EXITING))
		ret = -ESRCH;
out:
	put_task_struct(t);
	return ret;
}

SYSCALL_DEFINE2(task_unpark, pid_t, tid, unsigned int, flags)
{
	struct task_struct *t;
	long ret = 0;

	if (flags & ~COSCHED_PIDFD)
		return -EINVAL;

	t = cosched_get_task(tid, flags, PTRACE_MODE_ATTACH_REALCREDS);
	if (IS_ERR(t))
		return PTR_ERR(t);

	mutex_lock(&anker_park_lock);
	if (test_bit(ANKER_PARK_REQ, &t->anker_park))
		anker_park_update(t, ANKER_PARK_REQ, false);
	else if (t->flags & PF_EXITING)
		ret = -ESRCH;
	else
		ret = -EALREADY;
	mutex_unlock(&anker_park_lock);

	put_task_struct(t);
	return ret;
}

static int __init anker_cosched_init(void)
{
	return anker_feature_add("cosched",
				 "syscalls %d-%d (sched_penalty, task_park, task_unpark)",
				 ANKER_NR_sched_penalty, ANKER_NR_task_unpark);
}
late_initcall(anker_cosched_init);
