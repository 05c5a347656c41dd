// SPDX-License-Identifier: GPL-2.0
/*
 * anker-rswap: attach, detach and list rswap block devices (remote memory
 * of an rmemd server as /dev/rswapN).
 *
 * connect: opens K TCP connections to rmemd, opens the region (by name) on
 * each, hands the sockets to the kernel (/dev/anker-rswap) and prints the
 * device. A dead device of the same name whose region still exists on the
 * server gets the new connections (reconnect); if the server lost the
 * region (it restarted), a new device is made, as the old data is gone.
 *
 * Exit status: 0 done, 1 the operation failed, 2 bad usage.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <endian.h>

#include <linux/anker_rswap.h>
#include <linux/anker_rswap_ctl.h>

#define SYSBLOCK "/sys/block"
#ifndef CTL_DEV			/* another path for host tests of the handshake */
#define CTL_DEV ANKER_RSWAP_CTL_DEV
#endif

static const char *prog = "anker-rswap";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s connect HOST:PORT --size SIZE [--name NAME] [--connections K] [--timeout SECS]\n"
		"       %s disconnect /dev/rswapN\n"
		"       %s list\n"
		"       %s --help\n"
		"connect prints the device (/dev/rswapN). SIZE takes K, M, G, T suffixes\n"
		"and must be a multiple of 4096. K: 1..%d connections (default: CPUs, at\n"
		"most 4). SECS: request timeout (default: the rswap.timeout parameter).\n"
		"Exit status: 0 done, 1 failed, 2 bad usage.\n",
		prog, prog, prog, prog, ANKER_RSWAP_MAX_CONNS);
}

static int bad_usage(const char *msg)
{
	fprintf(stderr, "%s: %s\n", prog, msg);
	usage(stderr);
	return 2;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' || *end == 'B')
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -ECONNRESET;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* One connection with the region open on it; -errno on failure. */
static int open_conn(const struct addrinfo *ai, const char *name,
		     uint64_t size, int i, struct rswap_open_reply *out)
{
	struct timeval tv = { .tv_sec = 10 };
	struct {
		struct rswap_req req;
		struct rswap_open open;
	} frame;
	struct rswap_reply rep;
	int one = 1, fd, err;
	int32_t status;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		err = -errno;
		goto fail;
	}
	memset(&frame, 0, sizeof(frame));
	frame.req.magic = htole32(RSWAP_REQ_MAGIC);
	frame.req.version = RSWAP_VERSION;
	frame.req.op = RSWAP_OP_OPEN;
	frame.req.handle = htole64(i);
	frame.req.length = htole32(RSWAP_OPEN_SIZE);
	frame.open.size = htole64(size);
	memcpy(frame.open.name, name, strlen(name));	/* < RSWAP_NAME_MAX */
	err = write_all(fd, &frame, sizeof(frame));
	if (!err)
		err = read_all(fd, &rep, sizeof(rep));
	if (err)
		goto fail;
	status = (int32_t)le32toh(rep.status);
	if (le32toh(rep.magic) != RSWAP_REPLY_MAGIC) {
		err = -EPROTO;
		goto fail;
	}
	if (status) {
		err = status;
		goto fail;
	}
	if (rep.op != RSWAP_OP_OPEN || le64toh(rep.handle) != (uint64_t)i ||
	    le32toh(rep.length) != RSWAP_OPEN_REPLY_SIZE) {
		err = -EPROTO;
		goto fail;
	}
	err = read_all(fd, out, sizeof(*out));
	if (err)
		goto fail;
	/* the kernel blocks on its own terms: no timeouts on its socket */
	tv.tv_sec = 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
fail:
	close(fd);
	return err;
}

static int read_attr(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSBLOCK "/%s/rswap/%s", dev, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = 0;
	return 0;
}

/* The device index of the rswap device with region NAME, or -1. */
static int find_by_name(const char *name, int *dead)
{
	DIR *d = opendir(SYSBLOCK);
	struct dirent *e;
	char buf[128];
	int index = -1;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "rswap", 5) ||
		    read_attr(e->d_name, "name", buf, sizeof(buf)) ||
		    strcmp(buf, name))
			continue;
		index = atoi(e->d_name + 5);
		*dead = !read_attr(e->d_name, "state", buf, sizeof(buf)) &&
			!strcmp(buf, "dead");
		break;
	}
	closedir(d);
	return index;
}

static int cmd_connect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },
		{ "connections", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct anker_rswap_connect c;
	struct rswap_open_reply orep;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	const char *name = NULL;
	char host[256], *port, *end, hostname[64];
	uint64_t size = 0;
	long k, conns = 0, tmo = 0;
	int opt, i, err, ctl, index, dead = 0, is_new = 0;

	while ((opt = getopt_long(argc, argv, "s:n:c:t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (parse_size(optarg, &size))
				return bad_usage("bad --size");
			break;
		case 'n':
			name = optarg;
			break;
		case 'c':
			conns = strtol(optarg, &end, 10);
			if (*end || conns < 1 || conns > ANKER_RSWAP_MAX_CONNS)
				return bad_usage("bad --connections");
			break;
		case 't':
			tmo = strtol(optarg, &end, 10);
			if (*end || tmo < 1 || tmo > 3600)
				return bad_usage("bad --timeout (1..3600 seconds)");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc)
		return bad_usage("connect needs one HOST:PORT");
	if (!size || size % RSWAP_SIZE_ALIGN)
		return bad_usage("--size must be given, > 0 and a multiple of 4096");
	if (!name) {
		if (gethostname(hostname, sizeof(hostname) - 1))
			strcpy(hostname, "rswap");
		hostname[sizeof(hostname) - 1] = 0;
		name = hostname;
	}
	if (!*name || strlen(name) >= RSWAP_NAME_MAX ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(name))
		return bad_usage("bad --name (1..63 of A-Z a-z 0-9 . _ -)");
	if (!conns) {
		k = sysconf(_SC_NPROCESSORS_ONLN);
		conns = k < 1 ? 1 : k > 4 ? 4 : k;
	}
	if (strlen(argv[optind]) >= sizeof(host))
		return bad_usage("bad HOST:PORT");
	strcpy(host, argv[optind]);
	port = strrchr(host, ':');
	if (!port || port == host || !port[1])
		return bad_usage("bad HOST:PORT");
	*port++ = 0;
	if (host[0] == '[' && port[-2] == ']') {
		port[-2] = 0;
		memmove(host, host + 1, strlen(host));
	}
	err = getaddrinfo(host, port, &hints, &ai);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[optind], gai_strerror(err));
		return 2;
	}

	ctl = open(CTL_DEV, O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, CTL_DEV, strerror(errno));
		freeaddrinfo(ai);
		return 1;
	}
	memset(&c, 0, sizeof(c));
	c.size = size;
	c.nconns = conns;
	c.timeout = tmo;
	c.index = -1;
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.server, sizeof(c.server), "%s", argv[optind]);
	for (i = 0; i < conns; i++) {
		int fd = open_conn(ai, name, size, i, &orep);

		if (fd < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, argv[optind],
				fd == -EEXIST ? "the region exists with another size" :
				strerror(-fd));
			while (i--)
				close(c.fds[i]);
			freeaddrinfo(ai);
			close(ctl);
			return 1;
		}
		c.fds[i] = fd;
		if (i == 0) {
			is_new = le32toh(orep.flags) & RSWAP_OPEN_NEW;
			c.max_payload = le32toh(orep.max_payload) & ~4095u;
		}
	}
	freeaddrinfo(ai);

	index = find_by_name(name, &dead);
	if (index >= 0 && !dead) {
		fprintf(stderr, "%s: region %s is attached already: /dev/rswap%d\n",
			prog, name, index);
		err = EBUSY;
	} else {
		if (index >= 0 && !is_new)
			c.index = index;	/* same data: reconnect */
		err = ioctl(ctl, ANKER_RSWAP_IOC_CONNECT, &c) ? errno : 0;
		if (err)
			fprintf(stderr, "%s: connect: %s\n", prog, strerror(err));
	}
	for (i = 0; i < conns; i++)
		close(c.fds[i]);
	close(ctl);
	if (err)
		return 1;
	printf("/dev/rswap%d\n", c.index);
	return 0;
}

static int cmd_disconnect(int argc, char **argv)
{
	const char *dev;
	char *end;
	long index;
	int ctl, err;

	if (argc != 2)
		return bad_usage("disconnect needs one device");
	dev = argv[1];
	if (!strncmp(dev, "/dev/", 5))
		dev += 5;
	if (strncmp(dev, "rswap", 5) || !isdigit((unsigned char)dev[5]))
		return bad_usage("not an rswap device (/dev/rswapN)");
	index = strtol(dev + 5, &end, 10);
	if (*end)
		return bad_usage("not an rswap device (/dev/rswapN)");
	ctl = open(CTL_DEV, O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, CTL_DEV, strerror(errno));
		return 1;
	}
	err = ioctl(ctl, ANKER_RSWAP_IOC_DISCONNECT, (unsigned long)index) ? errno : 0;
	close(ctl);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[1],
			err == ENODEV ? "no such rswap device" :
			err == EBUSY ? "device in use (swapoff or unmount it first)" :
			strerror(err));
		return 1;
	}
	return 0;
}

static int cmd_list(void)
{
	static const char *const attrs[] = { "name", "server", "size", "connections", "state" };
	struct dirent **ents;
	char v[5][128];
	int n, i, j;

	n = scandir(SYSBLOCK, &ents, NULL, versionsort);
	if (n < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, SYSBLOCK, strerror(errno));
		return 1;
	}
	printf("%-14s %-16s %-22s %14s %5s %s\n", "DEVICE", "NAME", "SERVER", "SIZE", "CONNS", "STATE");
	for (i = 0; i < n; i++) {
		if (!strncmp(ents[i]->d_name, "rswap", 5)) {
			for (j = 0; j < 5; j++)
				if (read_attr(ents[i]->d_name, attrs[j], v[j], sizeof(v[j])))
					strcpy(v[j], "?");
			printf("/dev/%-9s %-16s %-22s %14s %5s %s\n", ents[i]->d_name,
			       v[0], v[1], v[2], v[3], v[4]);
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return bad_usage("no command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "connect"))
		return cmd_connect(argc - 1, argv + 1);
	if (!strcmp(argv[1], "disconnect"))
		return cmd_disconnect(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list")) {
		if (argc != 2)
			return bad_usage("list takes no arguments");
		return cmd_list();
	}
	return bad_usage("unknown command");
}
