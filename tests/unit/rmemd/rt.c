// SPDX-License-Identifier: GPL-2.0
#include "rt.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ntests, nfailed, planned;

void plan(int n)
{
	planned = n;
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	printf("ok %d - ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
	fflush(stdout);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int done_testing(void)
{
	if (ntests != planned)
		diag("planned %d tests, ran %d", planned, ntests);
	return nfailed || ntests != planned ? 1 : 0;
}

#ifndef RMEMD_BIN
#define RMEMD_BIN "rmemd"
#endif

static char exe_dir[PATH_MAX];

const char *rmemd_path(void)
{
	static char path[PATH_MAX + 32];
	const char *env = getenv("RMEMD");

	if (env)
		return env;
	if (!exe_dir[0]) {
		ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof(exe_dir) - 1);

		if (n < 0)
			n = 0;
		exe_dir[n] = 0;
		char *slash = strrchr(exe_dir, '/');

		if (slash)
			*slash = 0;
	}
	snprintf(path, sizeof(path), "%s/%s", exe_dir, RMEMD_BIN);
	return path;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int srv_start(struct srv *s, const char *size, ...)
{
	char portfile[200];
	const char *argv[40];
	int argc = 0;
	va_list ap;
	double t0;

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/rmemd-test.XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->log, sizeof(s->log), "%s/log", s->dir);
	snprintf(portfile, sizeof(portfile), "%s/port", s->dir);
	argv[argc++] = rmemd_path();
	argv[argc++] = "--size";
	argv[argc++] = size;
	argv[argc++] = "--listen";
	argv[argc++] = "127.0.0.1:0";
	argv[argc++] = "--port-file";
	argv[argc++] = portfile;
	va_start(ap, size);
	for (const char *a; argc < 38 && (a = va_arg(ap, const char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;

	fflush(stdout);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
		}
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	/* Wait (at most 10 s) for the port file. */
	t0 = now();
	while (now() - t0 < 10) {
		FILE *f = fopen(portfile, "r");

		if (f) {
			int ok = fscanf(f, "%d", &s->port) == 1;

			fclose(f);
			if (ok && s->port > 0)
				return 0;
		}
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = 0;
			srv_dump_log(s);
			return -1;
		}
		usleep(10000);
	}
	srv_stop(s, SIGKILL);
	return -1;
}

bool srv_alive(struct srv *s)
{
	return s->pid > 0 && waitpid(s->pid, NULL, WNOHANG) == 0;
}

int srv_stop(struct srv *s, int sig)
{
	double t0 = now();
	int st;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	while (now() - t0 < 10) {
		pid_t r = waitpid(s->pid, &st, WNOHANG);

		if (r == s->pid) {
			s->pid = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		usleep(10000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
	return -1;
}

void srv_dump_log(struct srv *s)
{
	char line[512];
	FILE *f = fopen(s->log, "r");
	int n = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && n++ < 200)
		printf("# | %s", line);
	fclose(f);
	fflush(stdout);
}

int cl_connect(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;

	if (fd < 0)
		return -1;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

int cl_send(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int recv_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = recv(fd, p, len, 0);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int cl_send_req(int fd, int op, int flags, uint64_t handle, uint64_t off,
		uint32_t len, uint32_t csum, const void *payload, size_t plen)
{
	struct rswap_req rq = {
		.magic = htole32(RSWAP_REQ_MAGIC),
		.version = RSWAP_VERSION,
		.op = (uint8_t)op,
		.flags = htole16((uint16_t)flags),
		.handle = htole64(handle),
		.offset = htole64(off),
		.length = htole32(len),
		.csum = htole32(csum),
	};

	if (cl_send(fd, &rq, sizeof(rq)))
		return -1;
	return plen ? cl_send(fd, payload, plen) : 0;
}

int cl_recv_reply(int fd, struct rswap_reply *rp, void *buf, size_t max)
{
	uint32_t len;

	if (recv_all(fd, rp, sizeof(*rp)))
		return -1;
	if (le32toh(rp->magic) != RSWAP_REPLY_MAGIC || rp->version != RSWAP_VERSION)
		return -1;
	len = le32toh(rp->length);
	if (len > max || len > RSWAP_MAX_PAYLOAD)
		return -1;
	return len ? recv_all(fd, buf, len) : 0;
}

static uint64_t next_handle = 0x1000;

int cl_call(int fd, int op, int flags, uint64_t off, uint32_t len,
	    const void *payload, size_t plen, void *out, size_t outmax,
	    struct rswap_reply *rp_out)
{
	struct rswap_reply rp;
	uint64_t h = __atomic_fetch_add(&next_handle, 1, __ATOMIC_RELAXED);

	if (cl_send_req(fd, op, flags, h, off, len, 0, payload, plen))
		return CL_BROKEN;
	if (cl_recv_reply(fd, &rp, out, outmax))
		return CL_BROKEN;
	if (le64toh(rp.handle) != h || rp.op != op)
		return CL_BROKEN;
	if (rp_out)
		*rp_out = rp;
	return (int32_t)le32toh(rp.status);
}

int cl_open(int fd, const char *name, uint64_t size, struct rswap_open_reply *orp)
{
	struct rswap_open op = { .size = htole64(size) };
	struct rswap_open_reply tmp;

	memcpy(op.name, name, strnlen(name, sizeof(op.name)));
	return cl_call(fd, RSWAP_OP_OPEN, 0, 0, sizeof(op), &op, sizeof(op),
		       orp ? orp : &tmp, sizeof(tmp), NULL);
}

int cl_write(int fd, uint64_t off, const void *buf, uint32_t len)
{
	return cl_call(fd, RSWAP_OP_WRITE, 0, off, len, buf, len, NULL, 0, NULL);
}

int cl_read(int fd, uint64_t off, void *buf, uint32_t len)
{
	struct rswap_reply rp;
	int ret = cl_call(fd, RSWAP_OP_READ, 0, off, len, NULL, 0, buf, len, &rp);

	if (ret == 0 && le32toh(rp.length) != len)
		return CL_BROKEN;
	return ret;
}

int cl_stats(int fd, struct rswap_stats *st)
{
	return cl_call(fd, RSWAP_OP_STATS, 0, 0, 0, NULL, 0, st, sizeof(*st), NULL);
}

bool cl_closed(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&p, 1, 5000) <= 0)
		return false;
	ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno == ECONNRESET);
}

void fill(void *buf, size_t len, uint32_t seed, uint64_t off)
{
	unsigned char *p = buf;

	for (size_t i = 0; i < len; i++) {
		uint64_t x = (off + i) * 0x9E3779B97F4A7C15ull ^ seed;

		p[i] = (unsigned char)(x >> 29);
	}
}

bool check(const void *buf, size_t len, uint32_t seed, uint64_t off)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++) {
		uint64_t x = (off + i) * 0x9E3779B97F4A7C15ull ^ seed;

		if (p[i] != (unsigned char)(x >> 29))
			return false;
	}
	return true;
}
