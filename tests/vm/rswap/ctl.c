// SPDX-License-Identifier: GPL-2.0
/*
 * rswap control interface: every bad field of ANKER_RSWAP_IOC_CONNECT and
 * DISCONNECT gets its errno, unprivileged callers get EPERM, and the
 * anker-rswap tool's exit statuses.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/anker_rswap_ctl.h>

#include "rs.h"

static int ctl = -1;

static void base(struct anker_rswap_connect *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->size = 1 << 20;
	c->nconns = 1;
	c->index = -1;
	c->fds[0] = fd;
	strcpy(c->name, "ctltest");
	strcpy(c->server, "test");
}

static int conn_errno(const struct anker_rswap_connect *c)
{
	struct anker_rswap_connect copy = *c;

	return ioctl(ctl, ANKER_RSWAP_IOC_CONNECT, &copy) ? errno : 0;
}

static void expect(const struct anker_rswap_connect *c, int want,
		   const char *what)
{
	int e = conn_errno(c);

	rs_ok(e == want, "connect with %s: %s (got %s)", what, strerror(want),
	      e ? strerror(e) : "success");
}

int main(void)
{
	struct anker_rswap_connect c;
	int tcp, udp, null, e, st;
	char out[512];
	pid_t pid;

	rs_plan(23);
	ctl = open(ANKER_RSWAP_CTL_DEV, O_RDWR | O_CLOEXEC);
	if (!rs_ok(ctl >= 0, "%s exists and opens (%s)", ANKER_RSWAP_CTL_DEV,
		   ctl >= 0 ? "yes" : strerror(errno))) {
		printf("Bail out! no control device\n");
		return 1;
	}
	tcp = socket(AF_INET, SOCK_STREAM, 0);	/* not connected */
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	null = open("/dev/null", O_RDWR);

	base(&c, tcp);
	c.size = 0;
	expect(&c, EINVAL, "size 0");
	base(&c, tcp);
	c.size = 4096 * 10 + 512;
	expect(&c, EINVAL, "a size that is not a multiple of 4096");
	base(&c, tcp);
	c.nconns = 0;
	expect(&c, EINVAL, "0 connections");
	base(&c, tcp);
	c.nconns = ANKER_RSWAP_MAX_CONNS + 1;
	expect(&c, EINVAL, "too many connections");
	base(&c, tcp);
	c.flags = 1;
	expect(&c, EINVAL, "unknown flags");
	base(&c, tcp);
	c.name[0] = 0;
	expect(&c, EINVAL, "an empty name");
	base(&c, tcp);
	memset(c.name, 'x', sizeof(c.name));
	expect(&c, EINVAL, "a name without its NUL");
	base(&c, tcp);
	c.timeout = 100000;
	expect(&c, EINVAL, "a timeout above 3600 s");
	base(&c, tcp);
	c.max_payload = 1000;
	expect(&c, EINVAL, "a max_payload below a page");
	base(&c, -1);
	expect(&c, EBADF, "fd -1");
	base(&c, null);
	expect(&c, ENOTSOCK, "a fd that is not a socket");
	base(&c, udp);
	expect(&c, EPROTOTYPE, "a UDP socket");
	base(&c, tcp);
	expect(&c, ENOTCONN, "an unconnected TCP socket");
	base(&c, tcp);
	c.index = 200;
	expect(&c, ENODEV, "reconnect of a device that does not exist");

	e = ioctl(ctl, ANKER_RSWAP_IOC_DISCONNECT, 200UL) ? errno : 0;
	rs_ok(e == ENODEV, "disconnect of an unknown device: ENODEV (got %s)", strerror(e));
	e = ioctl(ctl, ANKER_RSWAP_IOC_DISCONNECT, 1UL << 40) ? errno : 0;
	rs_ok(e == ENODEV, "disconnect of a huge index: ENODEV (got %s)", strerror(e));
	e = ioctl(ctl, _IO(ANKER_RSWAP_IOC_MAGIC, 0x7f)) ? errno : 0;
	rs_ok(e == ENOTTY, "an unknown ioctl: ENOTTY (got %s)", strerror(e));

	/* uid 65534 with the control device open: EPERM for both ioctls */
	pid = fork();
	if (!pid) {
		base(&c, tcp);
		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (conn_errno(&c) != EPERM)
			_exit(1);
		if (!ioctl(ctl, ANKER_RSWAP_IOC_DISCONNECT, 0UL) || errno != EPERM)
			_exit(2);
		if (open(ANKER_RSWAP_CTL_DEV, O_RDWR) >= 0 || errno != EACCES)
			_exit(3);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	rs_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "uid 65534: EPERM from connect and disconnect, EACCES from open (status %d)",
	      WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	/* the tool */
	e = rs_run(out, sizeof(out), "anker-rswap 2>&1");
	rs_ok(e == 2, "anker-rswap without a command: exit 2 (got %d)", e);
	e = rs_run(out, sizeof(out), "anker-rswap connect 10.0.2.2:1 --size 0 2>&1");
	rs_ok(e == 2, "anker-rswap connect --size 0: exit 2 (got %d: %s)", e, out);
	e = rs_run(out, sizeof(out), "anker-rswap connect 10.0.2.2 --size 1M 2>&1");
	rs_ok(e == 2, "anker-rswap connect without a port: exit 2 (got %d: %s)", e, out);
	e = rs_run(out, sizeof(out), "anker-rswap disconnect /dev/rswap200 2>&1");
	rs_ok(e == 1 && strstr(out, "no such"),
	      "anker-rswap disconnect of an unknown device: exit 1, says so (got %d: %s)", e, out);
	return 0;
}
