// SPDX-License-Identifier: GPL-2.0
/*
 * rmemd-ctl: a HOST helper of the rswap VM tests (not a test itself). It
 * runs an rmemd that the guest may kill and restart, to test how the
 * kernel client behaves when its server dies:
 *
 *   rmemd-ctl --rmemd PATH --size SIZE --dir DIR --token TOKEN
 *
 * starts PATH --listen 127.0.0.1:0 --size SIZE, writes its port to
 * DIR/port, listens on another loopback port (DIR/ctl-port) for one-line
 * commands "TOKEN kill" (SIGKILL rmemd) and "TOKEN start" (start it again
 * on the same port), answers "ok" or "error ...". Killed (SIGTERM), it
 * takes rmemd with it (PR_SET_PDEATHSIG). Only the host and the guest (slirp maps 10.0.2.2 to
 * the host's 127.0.0.1) reach it; the token keeps other local users out.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *rmemd, *size, *dir, *token;
static char port[16] = "0";
static pid_t child = -1;

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void kill_child(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
}

/* Start rmemd, on the port it had before if it had one; 0 when it listens. */
static int start_child(void)
{
	char listen[64], pf[4096], log[4096], buf[16];
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	int i;

	snprintf(listen, sizeof(listen), "127.0.0.1:%s", port);
	snprintf(pf, sizeof(pf), "%s/port", dir);
	snprintf(log, sizeof(log), "%s/rmemd.log", dir);
	unlink(pf);
	child = fork();
	if (child < 0)
		return -1;
	if (!child) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* rmemd-ctl killed: rmemd too */
		execl(rmemd, rmemd, "--listen", listen, "--size", size,
		      "--port-file", pf, "--mlock", "off", "--log-file", log,
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 600; i++) {	/* 30 s */
		if (!read_file(pf, buf, sizeof(buf))) {
			snprintf(port, sizeof(port), "%s", buf);
			return 0;
		}
		if (waitpid(child, NULL, WNOHANG) == child) {
			child = -1;
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	kill_child();
	return -1;
}

static void serve(int c)
{
	char line[256], *cmd;
	const char *ans = "error: bad command\n";
	ssize_t n = 0, r;

	while (n < (ssize_t)sizeof(line) - 1 &&
	       (r = read(c, line + n, sizeof(line) - 1 - n)) > 0) {
		n += r;
		if (memchr(line, '\n', n))
			break;
	}
	line[n > 0 ? n : 0] = 0;
	line[strcspn(line, "\r\n")] = 0;
	cmd = strchr(line, ' ');
	if (!cmd || (size_t)(cmd - line) != strlen(token) ||
	    strncmp(line, token, cmd - line)) {
		ans = "error: denied\n";
	} else if (!strcmp(cmd + 1, "kill")) {
		kill_child();
		ans = "ok\n";
	} else if (!strcmp(cmd + 1, "start")) {
		if (child > 0)
			ans = "ok\n";
		else
			ans = start_child() ? "error: rmemd did not start\n" : "ok\n";
	}
	if (write(c, ans, strlen(ans)) < 0)
		perror("rmemd-ctl: write");
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	char path[4096], text[32];
	int i, s, one = 1;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--rmemd"))
			rmemd = argv[i + 1];
		else if (!strcmp(argv[i], "--size"))
			size = argv[i + 1];
		else if (!strcmp(argv[i], "--dir"))
			dir = argv[i + 1];
		else if (!strcmp(argv[i], "--token"))
			token = argv[i + 1];
	}
	if (!rmemd || !size || !dir || !token || i != argc) {
		fprintf(stderr, "usage: rmemd-ctl --rmemd PATH --size SIZE --dir DIR --token TOKEN\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (start_child()) {
		fprintf(stderr, "rmemd-ctl: %s did not start\n", rmemd);
		return 1;
	}
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s, 8) || getsockname(s, (struct sockaddr *)&sa, &len)) {
		perror("rmemd-ctl: listen");
		kill_child();
		return 1;
	}
	snprintf(path, sizeof(path), "%s/ctl-port", dir);
	snprintf(text, sizeof(text), "%u\n", ntohs(sa.sin_port));
	i = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (i < 0 || write(i, text, strlen(text)) < 0) {
		perror("rmemd-ctl: ctl-port");
		kill_child();
		return 1;
	}
	close(i);
	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0)
			continue;
		serve(c);
		close(c);
	}
}
