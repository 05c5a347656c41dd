// SPDX-License-Identifier: GPL-2.0
/*
 * rswap TCP transport: a connected TCP socket handed over by user space.
 *
 * Swap-out runs when memory is short, so the socket may dip into the
 * memory reserves (sk_set_memalloc) and allocates with GFP_NOIO, and every
 * send and receive runs with PF_MEMALLOC set, as nbd and nvme-tcp do.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/sched/mm.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "rswap.h"

#ifdef CONFIG_DEBUG_LOCK_ALLOC
/*
 * rswap takes its sockets' locks in reclaim (swap-out); other TCP sockets
 * allocate memory under theirs. Give ours their own lockdep class, as
 * nvme-tcp does, so lockdep does not mistake the two for one lock. Only
 * the socket-owner map changes, while no one owns the socket (its user
 * space is waiting in our ioctl).
 */
static struct lock_class_key rswap_sk_key[2];

static void rswap_tcp_reclassify(struct sock *sk)
{
	bool v6 = sk->sk_family == AF_INET6;

	if (sock_owned_by_user_nocheck(sk))
		return;
	lockdep_init_map(&sk->sk_lock.dep_map,
			 v6 ? "sk_lock-AF_INET6-RSWAP" : "sk_lock-AF_INET-RSWAP",
			 &rswap_sk_key[v6], 0);
}
#else
static void rswap_tcp_reclassify(struct sock *sk) { }
#endif

static int rswap_tcp_attach(struct rswap_conn *conn, int fd)
{
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (sock->type != SOCK_STREAM || !sock->sk ||
	    sock->sk->sk_protocol != IPPROTO_TCP ||
	    (sock->sk->sk_family != AF_INET &&
	     sock->sk->sk_family != AF_INET6)) {
		sockfd_put(sock);
		return -EPROTOTYPE;
	}
	if (sock->sk->sk_state != TCP_ESTABLISHED) {
		sockfd_put(sock);
		return -ENOTCONN;
	}
	rswap_tcp_reclassify(sock->sk);
	sk_set_memalloc(sock->sk);
	sock->sk->sk_allocation = GFP_NOIO | __GFP_MEMALLOC;
	sock->sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sock->sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	tcp_sock_set_nodelay(sock->sk);
	conn->priv = sock;
	return 0;
}

/* Move all of @iter; 0 or a negative errno (the peer closed: -ECONNRESET). */
static int rswap_tcp_xfer(struct rswap_conn *conn, struct iov_iter *iter,
			  int flags)
{
	struct socket *sock = conn->priv;
	bool tx = iov_iter_rw(iter) == ITER_SOURCE;
	unsigned int noreclaim;
	int ret = 0;

	noreclaim = memalloc_noreclaim_save();
	while (iov_iter_count(iter)) {
		struct msghdr msg = {
			.msg_flags = MSG_NOSIGNAL | flags,
			.msg_iter = *iter,
		};
		int n = tx ? sock_sendmsg(sock, &msg) :
			     sock_recvmsg(sock, &msg, msg.msg_flags);

		if (n <= 0) {
			ret = n ? n : -ECONNRESET;
			break;
		}
		iov_iter_advance(iter, n);
	}
	memalloc_noreclaim_restore(noreclaim);
	return ret;
}

static int rswap_tcp_send(struct rswap_conn *conn, struct iov_iter *iter,
			  bool more)
{
	return rswap_tcp_xfer(conn, iter, more ? MSG_MORE : 0);
}

static int rswap_tcp_recv(struct rswap_conn *conn, struct iov_iter *iter)
{
	return rswap_tcp_xfer(conn, iter, MSG_WAITALL);
}

static void rswap_tcp_shutdown(struct rswap_conn *conn)
{
	struct socket *sock = conn->priv;

	if (sock)
		kernel_sock_shutdown(sock, SHUT_RDWR);
}

static void rswap_tcp_release(struct rswap_conn *conn)
{
	struct socket *sock = conn->priv;

	if (sock) {
		conn->priv = NULL;
		sockfd_put(sock);
	}
}

const struct rswap_transport_ops rswap_tcp_ops = {
	.name = "tcp",
	.attach = rswap_tcp_attach,
	.send = rswap_tcp_send,
	.recv = rswap_tcp_recv,
	.shutdown = rswap_tcp_shutdown,
	.release = rswap_tcp_release,
};
