/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by Anker's fuzzers: a seeded PRNG, a time budget, counters
 * in shared memory (children count, the parent reports), dropping to the
 * unprivileged user, surviving a fault on a touched page.
 */
#ifndef ANKER_FUZZ_H
#define ANKER_FUZZ_H

#include <errno.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL
#define HPAGE (2UL << 20)
#define NOBODY 65534

/* xorshift64*: small, fast, reproducible from the printed seed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static inline void rng_seed(uint64_t s)
{
	/* splitmix64 step, so nearby seeds give unrelated streams */
	s += 0x9e3779b97f4a7c15ULL;
	s = (s ^ (s >> 30)) * 0xbf58476d1ce4e5b9ULL;
	s = (s ^ (s >> 27)) * 0x94d049bb133111ebULL;
	rng_state = (s ^ (s >> 31)) | 1;
}

static inline uint64_t rnd64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* 0 <= result < n (n > 0) */
static inline uint64_t rnd(uint64_t n)
{
	return rnd64() % n;
}

/* true with probability 1/n */
static inline int one_in(uint64_t n)
{
	return rnd(n) == 0;
}

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Become uid/gid 65534 for good (no capabilities left). */
static inline int drop_to_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return 0;
}

/* A shared anonymous region for counters, made before forking. */
static inline void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap shared");
		exit(2);
	}
	return p;
}

/*
 * Touching fuzzed memory may fault (PROT_NONE, a hugetlb copy without a free
 * huge page, a truncated file): SIGSEGV/SIGBUS jump back instead of killing.
 */
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;
static volatile unsigned long faults_caught;

static void fault_handler(int sig)
{
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	faults_caught++;
	siglongjmp(fault_jmp, 1);
}

static inline void fault_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fault_handler;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * Wait for every pid in pids[] (0 entries are skipped) until deadline (a
 * now() value); returns the number still alive then.
 */
static inline int reap_until(pid_t *pids, int n, double deadline, int *status_bad)
{
	int alive;

	for (;;) {
		alive = 0;
		for (int i = 0; i < n; i++) {
			int st;
			pid_t r;

			if (!pids[i])
				continue;
			r = waitpid(pids[i], &st, WNOHANG);
			if (r == pids[i] || (r < 0 && errno == ECHILD)) {
				if (r == pids[i] && status_bad &&
				    !(WIFEXITED(st) && WEXITSTATUS(st) == 0) &&
				    !(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL))
					(*status_bad)++;
				pids[i] = 0;
				continue;
			}
			alive++;
		}
		if (!alive || now() > deadline)
			return alive;
		usleep(20000);
	}
}

/* A task that does not die after SIGKILL: show where it sleeps, and all blocked tasks. */
static inline void report_stuck(pid_t pid)
{
	char path[64], buf[4096];
	FILE *f;
	size_t n;

	printf("# task %d did not exit after SIGKILL\n", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		fclose(f);
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			printf("#   %s\n", l);
	}
	f = fopen("/proc/sysrq-trigger", "w");
	if (f) {
		fputs("w", f);	/* blocked tasks to the console log */
		fclose(f);
	}
}

#endif /* ANKER_FUZZ_H */
