// SPDX-License-Identifier: GPL-2.0
/*
 * cosched benchmark, run in the guest:
 *  1. context switches per second of a pipe ping-pong between two
 *     processes pinned to one CPU: before any penalty was ever set (the
 *     penalty hook's static key is off), then with a penalised (sleeping)
 *     task on the system (key on, the ping-pong tasks unpenalised: one
 *     field test per update_curr), and with the ping-pong tasks themselves
 *     penalised (P=100 both: the scaling path);
 *  2. task_unpark() to the thread running: the thread spins storing
 *     CLOCK_MONOTONIC; latency = its first stamp after the call - the
 *     time before the call. Also the duration of a blocking task_park()
 *     of a thread spinning on another CPU.
 * Output: TSV lines "name<TAB>value<TAB>unit" and "# notes".
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <anker.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* round trips per second of a pipe ping-pong on one CPU, for secs */
static double pingpong(int cpu, double secs, unsigned int penalty)
{
	int ab[2], ba[2], st;
	long n = 0;
	double t0, t;
	char c = 0;
	pid_t pid;

	if (pipe(ab) || pipe(ba))
		exit(1);
	pid = fork();
	if (pid == 0) {
		pin(cpu);
		sched_penalty(0, penalty, 0);
		while (read(ab[0], &c, 1) == 1 && c)
			if (write(ba[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	pin(cpu);
	sched_penalty(0, penalty, 0);
	c = 1;
	t0 = now_s();
	do {
		for (int i = 0; i < 100; i++) {
			if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
				exit(1);
		}
		n += 100;
		t = now_s();
	} while (t - t0 < secs);
	c = 0;
	if (write(ab[1], &c, 1) != 1)
		exit(1);
	waitpid(pid, &st, 0);
	sched_penalty(0, 0, 0);
	close(ab[0]); close(ab[1]); close(ba[0]); close(ba[1]);
	return 2 * n / (t - t0);	/* context switches per second */
}

static _Atomic pid_t sleeper_tid;

static void *sleeper(void *arg)
{
	sleeper_tid = syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

struct stamper {
	_Atomic long stamp;
	_Atomic pid_t tid;
	int cpu;
};

static void *stamp_fn(void *arg)
{
	struct stamper *s = arg;

	pin(s->cpu);
	s->tid = syscall(SYS_gettid);
	for (;;)
		s->stamp = now_ns();
	return NULL;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 5;
	double secs = argc > 2 ? atof(argv[2]) : 2.0;
	int cpu = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	double off[64], on[64], pen[64];
	struct stamper s = { 0 };
	double lat[400], parkt[400];
	int nlat = 200;
	pthread_t th;

	if (anker_feature("cosched", NULL, 0)) {
		printf("# kernel without cosched\n");
		return 1;
	}
	if (reps > 64)
		reps = 64;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# pipe ping-pong on CPU %d, %d x %.1f s per condition\n", cpu, reps, secs);

	/* 1a: before any penalty exists (static key off) */
	for (int i = 0; i < reps; i++)
		off[i] = pingpong(cpu, secs, 0);
	/* a penalised (sleeping) task on the system: the key is on from here */
	pthread_create(&th, NULL, sleeper, NULL);
	while (!sleeper_tid)
		usleep(1000);
	if (sched_penalty(sleeper_tid, 500, 0)) {
		perror("sched_penalty");
		return 1;
	}
	for (int i = 0; i < reps; i++) {
		on[i] = pingpong(cpu, secs, 0);
		pen[i] = pingpong(cpu, secs, 100);
	}
	printf("pingpong_no_penalty_ever\t%.0f\tswitches/s\n", median(off, reps));
	printf("pingpong_penalised_task_present\t%.0f\tswitches/s\n", median(on, reps));
	printf("pingpong_pair_penalised\t%.0f\tswitches/s\n", median(pen, reps));

	/* 2: park and unpark latency of a thread spinning on another CPU */
	pin(0);
	s.cpu = cpu;
	pthread_create(&th, NULL, stamp_fn, &s);
	while (!s.tid)
		usleep(1000);
	for (int i = 0; i < nlat; i++) {
		double t0 = now_s();
		long u0, first;

		if (task_park(s.tid, 0))
			return 1;
		parkt[i] = (now_s() - t0) * 1e6;
		usleep(2000);
		u0 = now_ns();
		if (task_unpark(s.tid, 0))
			return 1;
		while ((first = s.stamp) <= u0)
			;
		lat[i] = (first - u0) / 1e3;
		usleep(1000);
	}
	qsort(lat, nlat, sizeof(double), cmp_d);
	qsort(parkt, nlat, sizeof(double), cmp_d);
	printf("unpark_to_running_median\t%.1f\tus\n", lat[nlat / 2]);
	printf("unpark_to_running_p90\t%.1f\tus\n", lat[nlat * 9 / 10]);
	printf("unpark_to_running_max\t%.1f\tus\n", lat[nlat - 1]);
	printf("park_call_median\t%.1f\tus\n", parkt[nlat / 2]);
	printf("park_call_p90\t%.1f\tus\n", parkt[nlat * 9 / 10]);
	printf("# %d park/unpark rounds; CPU 0 calls, CPU %d spins\n", nlat, cpu);
	return 0;
}
