/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rswap: a block device backed by the memory of another machine (rmemd).
 * Internal definitions shared by the block driver and its transports.
 */
#ifndef _RSWAP_H
#define _RSWAP_H

#include <linux/blk-mq.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

struct rswap_conn;
struct rswap_dev;

/*
 * A transport moves bytes of one connection. TCP is the only one today;
 * an RDMA transport would implement the same five operations.
 */
struct rswap_transport_ops {
	const char *name;
	/* adopt a connected endpoint handed over by user space (a fd) */
	int (*attach)(struct rswap_conn *conn, int fd);
	/* send all of @iter; MSG_MORE if @more; 0 or a negative errno */
	int (*send)(struct rswap_conn *conn, struct iov_iter *iter, bool more);
	/* receive exactly iov_iter_count(@iter) bytes; 0 or a negative errno */
	int (*recv)(struct rswap_conn *conn, struct iov_iter *iter);
	/* make pending and future send/recv fail at once (any context) */
	void (*shutdown)(struct rswap_conn *conn);
	/* drop the endpoint; no send/recv runs or will run */
	void (*release)(struct rswap_conn *conn);
};

extern const struct rswap_transport_ops rswap_tcp_ops;

struct rswap_conn {
	struct rswap_dev *dev;
	unsigned int index;
	const struct rswap_transport_ops *ops;
	void *priv;			/* the transport's (struct socket *) */
	struct mutex tx_lock;		/* one sender at a time */
	struct work_struct recv_work;
	bool recv_running;
};

#endif /* _RSWAP_H */
