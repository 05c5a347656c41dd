/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TAP runner the C tests share (kselftest style, one behaviour a case).
 *
 * A test program lists its cases in an array of struct tap_case and calls
 * tap_run(). Each case runs in a child process of its own, under an alarm,
 * so a crash or a hang fails that case and not the whole program. A case
 * returns TAP_PASS, TAP_FAIL (the FAIL/CHECK macros do that, after a
 * diagnostic line with the file and line) or the value of skip(), which
 * records the reason printed after "# SKIP".
 */
#ifndef ANKER_TESTS_TAP_H
#define ANKER_TESTS_TAP_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { TAP_PASS = 0, TAP_FAIL = 1, TAP_SKIP = 2 };

struct tap_case {
	const char *name;
	int (*fn)(void);	/* TAP_PASS, TAP_FAIL or TAP_SKIP */
};

/* The skip reason, in memory shared with the child running the case. */
static char *tap_msg;
#define TAP_MSG_LEN 256

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define FAIL(...) do { diag(__VA_ARGS__); diag("  at %s:%d", __FILE__, __LINE__); \
	return TAP_FAIL; } while (0)
#define CHECK(c, ...) do { if (!(c)) FAIL(__VA_ARGS__); } while (0)
/* A call that must fail with -1 and errno e. */
#define CHECK_ERR(call, e) do { errno = 0; long r_ = (long)(call); \
	CHECK(r_ == -1 && errno == (e), "%s: got %ld errno %d (%s), want -1/%s", \
	      #call, r_, errno, strerror(errno), #e); } while (0)
/* A call that must return 0. */
#define CHECK_OK(call) do { long r_ = (long)(call); \
	CHECK(r_ == 0, "%s: got %ld errno %d (%s)", #call, r_, errno, \
	      strerror(errno)); } while (0)

/* Record why a case is skipped; return its value from the case. */
static inline int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (tap_msg)
		vsnprintf(tap_msg, TAP_MSG_LEN, fmt, ap);
	va_end(ap);
	return TAP_SKIP;
}

static inline int tap_setup(int n)
{
	tap_msg = mmap(NULL, TAP_MSG_LEN, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tap_msg == MAP_FAILED) {
		printf("Bail out! mmap of the skip-reason page: %s\n",
		       strerror(errno));
		return -1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", n);
	return 0;
}

/* Every case reported as skipped, for a kernel without the feature. */
static inline int tap_skip_all(const struct tap_case *cases, int n,
			       const char *why)
{
	int i;

	if (tap_setup(n))
		return 1;
	for (i = 0; i < n; i++)
		printf("ok %d - %s # SKIP %s\n", i + 1, cases[i].name, why);
	return 0;
}

/*
 * How much slower than the test kernel this kernel runs: $ANKER_SLOW (a
 * whole number, default 1; make check KASAN=1 sets it). Time limits of
 * cases are multiplied by it; measured ratios are not.
 */
static inline unsigned int tap_slow(void)
{
	const char *s = getenv("ANKER_SLOW");
	long f = s ? strtol(s, NULL, 10) : 1;

	return f >= 1 && f <= 100 ? (unsigned int)f : 1;
}

/*
 * Run the cases, each in a child killed by SIGALRM after alarm_s seconds
 * (times tap_slow()). Returns the program's exit status: 1 if a case
 * failed, else 0.
 */
static inline int tap_run(const struct tap_case *cases, int n,
			  unsigned int alarm_s)
{
	int i, failed = 0;

	if (tap_setup(n))
		return 1;
	for (i = 0; i < n; i++) {
		int st = 0, rc;
		pid_t pid;

		tap_msg[0] = 0;
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			diag("fork: %s", strerror(errno));
			rc = TAP_FAIL;
		} else if (pid == 0) {
			alarm(alarm_s * tap_slow());
			_exit(cases[i].fn());
		} else if (waitpid(pid, &st, 0) < 0) {
			diag("waitpid: %s", strerror(errno));
			rc = TAP_FAIL;
		} else if (WIFEXITED(st)) {
			rc = WEXITSTATUS(st);
		} else {
			diag("case died with signal %d%s", WTERMSIG(st),
			     WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
			rc = TAP_FAIL;
		}
		if (rc == TAP_SKIP)
			printf("ok %d - %s # SKIP %s\n", i + 1, cases[i].name,
			       tap_msg);
		else
			printf("%sok %d - %s\n", rc ? "not " : "", i + 1,
			       cases[i].name);
		failed += rc != TAP_PASS && rc != TAP_SKIP;
	}
	return failed ? 1 : 0;
}

#endif
