// SPDX-License-Identifier: GPL-2.0
/* rmemd's command line, exit codes, signals, files and log. */
#include "rt.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Run rmemd with ARGS (NULL-terminated), at most 10 s; its exit status
 * and the start of its combined output. */
static int run(char *out, size_t outlen, const char *arg0, ...)
{
	const char *argv[32];
	int argc = 0, p[2], st;
	va_list ap;
	pid_t pid;
	size_t got = 0;

	argv[argc++] = rmemd_path();
	va_start(ap, arg0);
	for (const char *a = arg0; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	if (pipe(p))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		alarm(10);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], out + got, outlen - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == outlen - 1)
			break;
	}
	out[got] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool wait_for(const char *path, const char *needle, double secs)
{
	for (int i = 0; i < (int)(secs * 100); i++) {
		char buf[8192];
		int fd = open(path, O_RDONLY);

		if (fd >= 0) {
			ssize_t n = read(fd, buf, sizeof(buf) - 1);

			close(fd);
			if (n > 0) {
				buf[n] = 0;
				if (!needle || strstr(buf, needle))
					return true;
			}
		}
		usleep(10000);
	}
	return false;
}

static int count_lines(const char *path, const char *needle)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

int main(void)
{
	char out[8192], path[256], path2[256], path3[256], portstr[32];
	struct srv s, s2;
	int ret, fd, fd2;

	plan(27);
	ret = run(out, sizeof(out), "--help", NULL);
	ok(ret == 0 && strstr(out, "usage: rmemd") && strstr(out, "--listen"),
	   "--help: usage on stdout, exit 0");
	ret = run(out, sizeof(out), "--version", NULL);
	ok(ret == 0 && strstr(out, "protocol version 1"), "--version: exit 0");
	ret = run(out, sizeof(out), NULL);
	ok(ret == 2 && strstr(out, "--size is required"), "no --size: exit 2 with a message");
	ret = run(out, sizeof(out), "--size", "0", NULL);
	ok(ret == 2 && strstr(out, "bad size"), "--size 0: exit 2");
	ret = run(out, sizeof(out), "--size", "12x", NULL);
	ok(ret == 2 && strstr(out, "bad size"), "--size 12x: exit 2");
	ret = run(out, sizeof(out), "--size", "4097", NULL);
	ok(ret == 2 && strstr(out, "bad size"), "--size 4097 (not a multiple of 4K): exit 2");
	ret = run(out, sizeof(out), "--size", "99999999999T", NULL);
	ok(ret == 2 && strstr(out, "bad size"), "--size overflowing 64 bits: exit 2");
	ret = run(out, sizeof(out), "--size", "1M", "--bogus", NULL);
	ok(ret == 2, "an unknown option: exit 2");
	ret = run(out, sizeof(out), "--size", "1M", "--max-clients", "0", NULL);
	ok(ret == 2 && strstr(out, "--max-clients"), "--max-clients 0: exit 2");
	ret = run(out, sizeof(out), "--size", "1M", "--hugepages", "maybe", NULL);
	ok(ret == 2, "--hugepages maybe: exit 2");
	ret = run(out, sizeof(out), "--size", "1M", "--listen", "127.0.0.1:70000", NULL);
	ok(ret == 1 && strstr(out, "bad port"), "--listen with port 70000: exit 1 with a message");
	ret = run(out, sizeof(out), "--size", "1M", "--listen", "no.such.host.invalid:1", NULL);
	ok(ret == 1 && strstr(out, "cannot resolve"), "--listen with an unknown host: exit 1");

	{
		/* --hugepages hugetlb without enough free huge pages: exit 1 */
		long free_huge = -1;
		FILE *f = fopen("/proc/meminfo", "r");
		char line[128];

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "HugePages_Free: %ld", &free_huge) == 1)
				break;
		if (f)
			fclose(f);
		if (free_huge >= 0 && free_huge < 4) {
			ret = run(out, sizeof(out), "--size", "8M", "--listen", "127.0.0.1:0",
				  "--hugepages", "hugetlb", NULL);
			ok(ret == 1 && strstr(out, "hugetlb pages"),
			   "--hugepages hugetlb without free huge pages: exit 1 (%d)", ret);
		} else {
			skip("the host has free huge pages", "--hugepages hugetlb without huge pages");
		}
	}

	/* A running server: its port taken by a second one */
	if (srv_start(&s, "8M", "--stats-interval", "1", NULL)) {
		ok(false, "rmemd starts");
		return done_testing();
	}
	snprintf(portstr, sizeof(portstr), "127.0.0.1:%d", s.port);
	ret = run(out, sizeof(out), "--size", "1M", "--listen", portstr, NULL);
	ok(ret == 1 && strstr(out, "cannot listen"), "a port in use: exit 1 (%d)", ret);
	ok(wait_for(s.log, "listening on 127.0.0.1:", 1), "the log says where it listens");
	ok(wait_for(s.log, "stats: pool_size 8388608", 4), "--stats-interval 1 prints the counters");

	/* connect/disconnect lines */
	fd = cl_connect(s.port);
	ok(fd >= 0 && cl_open(fd, "x", 4096, NULL) == 0, "a client opens a region");
	close(fd);
	ok(wait_for(s.log, "disconnect", 2) && count_lines(s.log, ": connect (") == 1 &&
	   count_lines(s.log, ": disconnect (") == 1, "one connect and one disconnect line");

	/* Clients connected at SIGTERM: one idle, one in the middle of a frame */
	fd = cl_connect(s.port);
	fd2 = cl_connect(s.port);
	cl_send(fd2, "RSWQ", 4);
	usleep(100000);
	ret = srv_stop(&s, SIGTERM);
	ok(ret == 0 && cl_closed(fd) && cl_closed(fd2),
	   "SIGTERM with clients connected: they are closed, exit 0 (%d)", ret);
	close(fd);
	close(fd2);
	snprintf(path, sizeof(path), "%s/port", s.dir);
	ok(access(path, F_OK) && errno == ENOENT, "the port file is removed at exit");

	/* SIGINT, SIGUSR1 and --stats-file, --pid-file */
	snprintf(path, sizeof(path), "/tmp/rmemd-test-stats.%d", (int)getpid());
	snprintf(path2, sizeof(path2), "/tmp/rmemd-test-pid.%d", (int)getpid());
	if (srv_start(&s, "8M", "--stats-file", path, "--pid-file", path2, NULL)) {
		ok(false, "rmemd starts");
		return done_testing();
	}
	{
		char want[64];
		unsigned char buf[4096] = { 1 };

		snprintf(want, sizeof(want), "%d\n", (int)s.pid);
		ok(wait_for(path2, want, 1), "--pid-file holds the pid");
		fd = cl_connect(s.port);
		cl_open(fd, "y", 8192, NULL);
		cl_write(fd, 0, buf, 4096);
		cl_write(fd, 4096, buf, 4096);
		cl_read(fd, 0, buf, 4096);
		kill(s.pid, SIGUSR1);
		ok(wait_for(path, "bytes_written 8192\n", 2) &&
		   wait_for(path, "bytes_read 4096\n", 0.1) &&
		   wait_for(path, "requests 4\n", 0.1) && wait_for(path, "clients 1\n", 0.1),
		   "SIGUSR1 writes the counters to --stats-file");
		close(fd);
	}
	ret = srv_stop(&s, SIGINT);
	ok(ret == 0, "SIGINT: exit status 0 (%d)", ret);
	ok(access(path2, F_OK) != 0, "the pid file is removed at exit");
	unlink(path);

	/* --daemon with --log-file */
	snprintf(path, sizeof(path), "/tmp/rmemd-test-log.%d", (int)getpid());
	snprintf(path2, sizeof(path2), "/tmp/rmemd-test-port.%d", (int)getpid());
	snprintf(path3, sizeof(path3), "/tmp/rmemd-test-dpid.%d", (int)getpid());
	unlink(path);
	ret = run(out, sizeof(out), "--size", "1M", "--listen", "127.0.0.1:0", "--daemon",
		  "--log-file", path, "--port-file", path2, "--pid-file", path3, NULL);
	memset(&s2, 0, sizeof(s2));
	if (ret == 0 && wait_for(path2, NULL, 5)) {
		FILE *f = fopen(path2, "r");

		if (f) {
			if (fscanf(f, "%d", &s2.port) != 1)
				s2.port = 0;
			fclose(f);
		}
	}
	fd = s2.port ? cl_connect(s2.port) : -1;
	ok(ret == 0 && fd >= 0 && cl_open(fd, "d", 4096, NULL) == 0,
	   "--daemon: the command returns 0 and the detached server serves");
	if (fd >= 0) {
		cl_call(fd, RSWAP_OP_CLOSE, 0, 0, 0, NULL, 0, NULL, 0, NULL);
		close(fd);
	}
	ok(wait_for(path, "open 'd'", 2), "--log-file receives the log");
	{
		/* The daemon's pid from --pid-file; SIGTERM ends it. */
		bool stopped = false;
		int pid = 0;
		FILE *f = fopen(path3, "r");

		if (f) {
			if (fscanf(f, "%d", &pid) != 1)
				pid = 0;
			fclose(f);
		}
		if (pid > 1 && kill(pid, SIGTERM) == 0) {
			for (int i = 0; i < 500 && !stopped; i++) {
				stopped = kill(pid, 0) != 0;
				usleep(10000);
			}
		}
		ok(stopped && wait_for(path, "exiting", 1),
		   "--pid-file of the daemon: SIGTERM ends it (pid %d)", pid);
	}
	unlink(path3);
	unlink(path);
	unlink(path2);
	return done_testing();
}
