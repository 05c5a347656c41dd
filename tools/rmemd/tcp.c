// SPDX-License-Identifier: GPL-2.0
/* rmemd's TCP transport. */
#include "transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct tcp_conn {
	struct rmemd_conn c;
	int fd;
};

struct tcp_listener {
	struct rmemd_listener l;
};

static int tcp_recv_all(struct rmemd_conn *c, void *buf, size_t len)
{
	struct tcp_conn *t = (struct tcp_conn *)c;
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(t->fd, p + got, len - got, 0);

		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0) {
			if (got == 0)
				return 0;
			errno = ECONNRESET;
			return -1;
		}
		if (errno == EINTR)
			continue;
		return -1;
	}
	return 1;
}

static int tcp_send_all(struct rmemd_conn *c, const struct iovec *iov_in, int n)
{
	struct tcp_conn *t = (struct tcp_conn *)c;
	struct iovec iov[8];
	struct msghdr msg = { 0 };

	if (n > 8) {
		errno = EINVAL;
		return -1;
	}
	memcpy(iov, iov_in, sizeof(*iov) * (size_t)n);
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)n;
	while (msg.msg_iovlen) {
		ssize_t s = sendmsg(t->fd, &msg, MSG_NOSIGNAL);

		if (s < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* Skip what was sent. */
		while (msg.msg_iovlen && (size_t)s >= msg.msg_iov->iov_len) {
			s -= (ssize_t)msg.msg_iov->iov_len;
			msg.msg_iov++;
			msg.msg_iovlen--;
		}
		if (msg.msg_iovlen) {
			msg.msg_iov->iov_base = (char *)msg.msg_iov->iov_base + s;
			msg.msg_iov->iov_len -= (size_t)s;
		}
	}
	return 0;
}

static void tcp_shutdown(struct rmemd_conn *c)
{
	shutdown(((struct tcp_conn *)c)->fd, SHUT_RDWR);
}

static void tcp_close(struct rmemd_conn *c)
{
	struct tcp_conn *t = (struct tcp_conn *)c;

	close(t->fd);
	free(t);
}

static const struct rmemd_conn_ops tcp_conn_ops = {
	.recv_all = tcp_recv_all,
	.send_all = tcp_send_all,
	.shutdown = tcp_shutdown,
	.close = tcp_close,
};

static void format_addr(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
		snprintf(buf, len, "%s:%d", host, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(buf, len, "[%s]:%d", host, port);
	} else {
		snprintf(buf, len, "?");
	}
}

static struct rmemd_conn *tcp_accept(struct rmemd_listener *l)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct tcp_conn *t;
	int one = 1;
	int fd;

	fd = accept4(l->fd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
	if (fd < 0)
		return NULL;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t = calloc(1, sizeof(*t));
	if (!t) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	t->fd = fd;
	t->c.ops = &tcp_conn_ops;
	format_addr((struct sockaddr *)&ss, t->c.peer, sizeof(t->c.peer));
	return &t->c;
}

static void tcp_listener_close(struct rmemd_listener *l)
{
	close(l->fd);
	free(l);
}

static const struct rmemd_listener_ops tcp_listener_ops = {
	.accept = tcp_accept,
	.close = tcp_listener_close,
};

struct rmemd_listener *rmemd_tcp_listen(const char *spec, int default_port,
					char *err, size_t errlen)
{
	char host[256], port[16];
	const char *colon;
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct tcp_listener *tl;
	int fd = -1, one = 1, rc;
	size_t hl;

	/* Split HOST:PORT, [V6]:PORT or HOST. */
	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');

		if (!end || (end[1] && end[1] != ':')) {
			snprintf(err, errlen, "bad address '%s' (want [ADDR]:PORT)", spec);
			return NULL;
		}
		hl = (size_t)(end - spec - 1);
		colon = end[1] ? end + 1 : NULL;
		spec++;
	} else {
		colon = strrchr(spec, ':');
		hl = colon ? (size_t)(colon - spec) : strlen(spec);
	}
	if (hl == 0 || hl >= sizeof(host)) {
		snprintf(err, errlen, "bad address '%s' (want HOST:PORT)", spec);
		return NULL;
	}
	memcpy(host, spec, hl);
	host[hl] = 0;
	if (colon) {
		char *end;
		long p = strtol(colon + 1, &end, 10);

		if (!colon[1] || *end || p < 0 || p > 65535) {
			snprintf(err, errlen, "bad port '%s' (want 0..65535)", colon + 1);
			return NULL;
		}
		snprintf(port, sizeof(port), "%ld", p);
	} else {
		snprintf(port, sizeof(port), "%d", default_port);
	}

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(rc));
		return NULL;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0)
			break;
		rc = errno;
		close(fd);
		fd = -1;
		errno = rc;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "cannot listen on %s:%s: %s", host, port, strerror(errno));
		return NULL;
	}
	/* Non-blocking accept: poll() said readable, but the peer may be gone. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	tl = calloc(1, sizeof(*tl));
	if (!tl) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tl->l.ops = &tcp_listener_ops;
	tl->l.fd = fd;
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	format_addr((struct sockaddr *)&ss, tl->l.addr, sizeof(tl->l.addr));
	tl->l.port = ss.ss_family == AF_INET6 ?
		ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) :
		ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return &tl->l;
}
