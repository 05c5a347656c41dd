/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmemd's transport interface: how the server accepts connections and
 * moves bytes.  The protocol code (server.c) only uses these operations,
 * so a second transport (RDMA) can be added next to tcp.c without touching
 * it.  A transport is a listener with a pollable fd and an accept
 * operation returning connections; a connection reads whole byte ranges,
 * sends gathered buffers and can be shut down from another thread.
 */
#ifndef RMEMD_TRANSPORT_H
#define RMEMD_TRANSPORT_H

#include <stddef.h>
#include <sys/uio.h>

struct rmemd_conn;

struct rmemd_conn_ops {
	/* Read exactly len bytes.  1: done; 0: the peer closed before the
	 * first byte; -1: error or close in the middle (errno set). */
	int (*recv_all)(struct rmemd_conn *c, void *buf, size_t len);
	/* Send all of iov[0..n).  0: done; -1: error (errno set). */
	int (*send_all)(struct rmemd_conn *c, const struct iovec *iov, int n);
	/* Wake up a thread blocked in recv_all/send_all (they fail after). */
	void (*shutdown)(struct rmemd_conn *c);
	/* Free the connection. */
	void (*close)(struct rmemd_conn *c);
};

struct rmemd_conn {
	const struct rmemd_conn_ops *ops;
	char peer[80];		/* printable peer address, "1.2.3.4:5678" */
};

struct rmemd_listener;

struct rmemd_listener_ops {
	/* Accept one connection (the fd polled readable).  NULL: nothing
	 * to accept or a transient error (errno set). */
	struct rmemd_conn *(*accept)(struct rmemd_listener *l);
	void (*close)(struct rmemd_listener *l);
};

struct rmemd_listener {
	const struct rmemd_listener_ops *ops;
	int fd;			/* poll for POLLIN to accept */
	int port;		/* the bound port (after --listen ADDR:0) */
	char addr[80];		/* printable bound address */
};

/* TCP: listen on "HOST:PORT", "[V6ADDR]:PORT" or "HOST" (default port).
 * NULL on error, with a message in err. */
struct rmemd_listener *rmemd_tcp_listen(const char *spec, int default_port,
					char *err, size_t errlen);

#endif
