// SPDX-License-Identifier: GPL-2.0
/*
 * anker-faults: print a process's page fault breakdown (/proc/PID/faults),
 * or run a command and print its breakdown when it exits, like time -v.
 *
 * For a command, the breakdown is read after the command's process has
 * exited but before it is reaped (waitid(WNOWAIT)): the counters belong to
 * the process (its signal_struct), which the kernel keeps until the reap.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LINES 32

struct faults {
	int n;
	char name[MAX_LINES][32];
	unsigned long long val[MAX_LINES];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: anker-faults PID\n"
		"       anker-faults -- COMMAND [ARG...]\n"
		"Prints the page faults of process PID, or of COMMAND when it exits,\n"
		"by kind (from /proc/PID/faults; see Documentation/anker/faults.rst).\n"
		"The minor kinds add up to min_flt, the major ones to maj_flt of\n"
		"/proc/PID/stat; both totals are printed beside them.\n"
		"Exit status: PID form 0, 1 if the counts cannot be read, 2 on bad\n"
		"usage; COMMAND form the command's status (128+N if killed by\n"
		"signal N, 127 if it cannot be run), 125 if anker-faults fails.\n");
}

/* Reads /proc/PID/faults; -1 with errno set on failure. */
static int read_faults(pid_t pid, struct faults *f)
{
	char path[64], line[128];
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/faults", (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return -1;
	f->n = 0;
	while (f->n < MAX_LINES && fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%31s %llu", f->name[f->n], &f->val[f->n]) == 2)
			f->n++;
	}
	if (ferror(fp)) {
		int e = errno;

		fclose(fp);
		errno = e;
		return -1;
	}
	fclose(fp);
	if (!f->n) {
		errno = ENODATA;
		return -1;
	}
	return 0;
}

/* min_flt and maj_flt of /proc/PID/stat (fields 10 and 12). */
static int read_stat(pid_t pid, unsigned long long *min, unsigned long long *maj)
{
	char path[64], buf[1024];
	unsigned long long cmin;
	FILE *fp;
	char *p;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %llu %llu %llu",
			 min, &cmin, maj) != 3)
		return -1;
	return 0;
}

static const char *kind_class(const char *name)
{
	if (!strcmp(name, "failed"))
		return "neither";
	if (!strcmp(name, "minor") || !strcmp(name, "major"))
		return "total";
	if (strstr(name, "major"))
		return "major";
	return "minor";
}

static void print_faults(FILE *out, pid_t pid, const char *what,
			 const struct faults *f, int have_stat,
			 unsigned long long min, unsigned long long maj)
{
	fprintf(out, "page faults of %s (pid %d):\n", what, (int)pid);
	for (int i = 0; i < f->n; i++) {
		const char *c = kind_class(f->name[i]);

		fprintf(out, "  %-12s %12llu  %s", f->name[i], f->val[i], c);
		if (have_stat && !strcmp(f->name[i], "minor"))
			fprintf(out, " (min_flt %llu)", min);
		if (have_stat && !strcmp(f->name[i], "major"))
			fprintf(out, " (maj_flt %llu)", maj);
		fputc('\n', out);
	}
}

static int show_pid(const char *arg)
{
	unsigned long long min = 0, maj = 0;
	struct faults f;
	char *end;
	long pid;
	int st;

	errno = 0;
	pid = strtol(arg, &end, 10);
	if (errno || *end || end == arg || pid <= 0 || pid > 0x3fffffff) {
		fprintf(stderr, "anker-faults: not a process id: %s\n", arg);
		usage(stderr);
		return 2;
	}
	if (read_faults(pid, &f)) {
		int e = errno;
		char dir[32];

		snprintf(dir, sizeof(dir), "/proc/%ld", pid);
		fprintf(stderr, "anker-faults: /proc/%ld/faults: %s%s\n", pid,
			strerror(e), e == ENOENT && !access(dir, F_OK) ?
			" (kernel without CONFIG_ANKER_FAULT_STATS)" : "");
		return 1;
	}
	st = read_stat(pid, &min, &maj);
	print_faults(stdout, pid, "process", &f, !st, min, maj);
	return 0;
}

static int run_command(char **argv)
{
	unsigned long long min = 0, maj = 0;
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	struct faults f;
	siginfo_t si;
	int have, st;
	pid_t pid;

	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	pid = fork();
	if (pid < 0) {
		perror("anker-faults: fork");
		return 125;
	}
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "anker-faults: %s: %s\n", argv[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	/* Wait for the exit but leave the zombie: its counters stay readable. */
	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0) {
		if (errno != EINTR) {
			perror("anker-faults: waitid");
			return 125;
		}
	}
	have = !read_faults(pid, &f);
	if (!have)
		fprintf(stderr, "anker-faults: /proc/%d/faults: %s\n", (int)pid,
			strerror(errno));
	st = read_stat(pid, &min, &maj);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (have)
		print_faults(stderr, pid, argv[0], &f, !st, min, maj);
	if (si.si_code == CLD_EXITED)
		return si.si_status;
	return 128 + si.si_status;
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "--")) {
		if (argc < 3) {
			usage(stderr);
			return 2;
		}
		return run_command(argv + 2);
	}
	if (argc != 2 || argv[1][0] == '-') {
		usage(stderr);
		return 2;
	}
	return show_pid(argv[1]);
}
