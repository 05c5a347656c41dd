/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the cooperative-scheduling tests: a TAP runner running each
 * case in a child process, spinning threads, per-thread CPU time.
 */
#ifndef CS_H
#define CS_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/anker.h>
#include "anker.h"

#include "../../lib/tap.h"

#define cs_case tap_case

static inline int cs_run(const struct tap_case *cases, int n)
{
	if (anker_feature("cosched", NULL, 0))
		return tap_skip_all(cases, n, "kernel without cosched");
	return tap_run(cases, n, 120);
}

static inline pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* CPU time of thread tid of this process, from /proc (utime+stime, ticks) */
static inline long proc_ticks(pid_t pid, pid_t tid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &ut, &st) != 2)
		return -1;
	return ut + st;
}

/* The value of "Key:" in /proc/pid/task/tid/status, or "" */
static inline const char *proc_status(pid_t pid, pid_t tid, const char *key,
				      char *out, size_t len)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	FILE *f;

	out[0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return out;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			char *v = line + kl + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			size_t l = strcspn(v, "\n");

			if (l >= len)
				l = len - 1;
			memcpy(out, v, l);
			out[l] = 0;
			break;
		}
	}
	fclose(f);
	return out;
}

static inline int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* A spinning thread: counts while not told to stop. */
struct spinner {
	pthread_t th;
	_Atomic pid_t tid;
	_Atomic int stop;
	_Atomic unsigned long count;
	int cpu;		/* pin to this CPU, -1 for none */
	double sleep_first;	/* sleep this long before spinning */
};

static void *spin_fn(void *arg)
{
	struct spinner *s = arg;

	if (s->cpu >= 0)
		pin_self(s->cpu);
	s->tid = gettid_();
	if (s->sleep_first > 0)
		sleep_s(s->sleep_first);
	while (!s->stop)
		s->count++;
	return NULL;
}

static inline void spin_start(struct spinner *s, int cpu)
{
	s->cpu = cpu;
	s->stop = 0;
	s->count = 0;
	s->tid = 0;
	pthread_create(&s->th, NULL, spin_fn, s);
	while (!s->tid)
		sched_yield();
}

static inline void spin_stop(struct spinner *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
}

static inline double thread_cpu_s(pthread_t th)
{
	struct timespec ts;
	clockid_t c;

	if (pthread_getcpuclockid(th, &c) || clock_gettime(c, &ts))
		return -1;
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int ncpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

#endif /* CS_H */
