// SPDX-License-Identifier: GPL-2.0
/*
 * rswap: a blk-mq block device /dev/rswapN whose data lives in a region of
 * an rmemd memory server on another machine (protocol:
 * <linux/anker_rswap.h>), made for swapping to remote memory.
 *
 * One hardware queue per connection. queue_rq() sends the request header
 * (kept in the request's pdu, so nothing is allocated on the write-out
 * path) and, for a write, the data; a receive work item per connection
 * reads the replies, finds the request by its handle (unique tag plus a
 * per-request sequence number) and copies read data straight into the
 * request's pages. Reads are checksummed by the server (CRC-32C), writes
 * by us.
 *
 * Failure: any transport error, protocol error or request timeout makes
 * the device dead: it says so once in the kernel log, shuts all its
 * connections down and fails every request in flight and every later one
 * with EIO. Dead devices can be given new connections (reconnect) or
 * removed.
 *
 * Control: ioctls on /dev/anker-rswap (<linux/anker_rswap_ctl.h>).
 */
#define pr_fmt(fmt) "rswap: " fmt

#include <linux/anker.h>
#include <linux/anker_rswap.h>
#include <linux/anker_rswap_ctl.h>
#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/crc32c.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "rswap.h"

#define RSWAP_MAX_DEVS		256
#define RSWAP_QUEUE_DEPTH	128
#define RSWAP_HIST_BUCKETS	24	/* [2^i, 2^(i+1)) us; the last: more */

static unsigned int timeout = 30;
module_param(timeout, uint, 0644);
MODULE_PARM_DESC(timeout, "default request timeout in seconds (1..3600)");

static bool checksum = true;
module_param(checksum, bool, 0644);
MODULE_PARM_DESC(checksum, "checksum data (CRC-32C) on devices made later (default on)");

enum { RSWAP_CMD_IDLE, RSWAP_CMD_INFLIGHT };
enum { RSWAP_DEAD };

struct rswap_cmd {
	struct mutex lock;	/* held while sending or receiving its data */
	u32 seq;		/* bumped per request: stale handles differ */
	u8 state;
	blk_status_t status;
	u64 start_ns;
	u64 sent_ns;		/* the request is on the wire */
	struct rswap_req req;	/* the wire header, preallocated */
};

struct rswap_dev {
	int index;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	u64 size;
	unsigned int nconns;
	unsigned int max_payload;
	struct rswap_conn *conns;
	unsigned long flags;
	bool csum;		/* checksum the data of new requests */
	char name[RSWAP_NAME_MAX];
	char server[64];

	atomic_t inflight;
	atomic64_t reads, writes, discards, bytes_read, bytes_written;
	atomic64_t errors, timeouts, reconnects;
	atomic64_t rlat[RSWAP_HIST_BUCKETS];
	/* where the time goes (ns, summed over requests): see time_us */
	atomic64_t t_rsend, t_wsend, t_csum, t_rwait, t_wwait, t_recv;
};

static DEFINE_XARRAY_ALLOC(rswap_devs);
static DEFINE_MUTEX(rswap_ctl_lock);	/* connect, reconnect, disconnect */
static struct workqueue_struct *rswap_wq;
static int rswap_major;

static bool rswap_dead(struct rswap_dev *dev)
{
	return test_bit(RSWAP_DEAD, &dev->flags);
}

/* The device is unusable from now on: say so once, stop all I/O. */
static void rswap_dev_fail(struct rswap_dev *dev, int err, const char *what)
{
	unsigned int i;

	if (test_and_set_bit(RSWAP_DEAD, &dev->flags))
		return;
	pr_err_ratelimited("rswap%d: %s failed (error %d), server %s: the device is dead, its I/O fails\n",
			   dev->index, what, err, dev->server);
	for (i = 0; i < dev->nconns; i++)
		dev->conns[i].ops->shutdown(&dev->conns[i]);
}

/* cmd->lock held, the request in flight: it ends with EIO, quietly. */
static void rswap_cmd_fail_locked(struct request *rq, struct rswap_cmd *cmd)
{
	cmd->state = RSWAP_CMD_IDLE;
	cmd->status = BLK_STS_IOERR;
	rq->rq_flags |= RQF_QUIET;
}

static bool rswap_fail_rq(struct request *rq, void *data)
{
	struct rswap_cmd *cmd = blk_mq_rq_to_pdu(rq);

	mutex_lock(&cmd->lock);
	if (cmd->state != RSWAP_CMD_INFLIGHT) {
		mutex_unlock(&cmd->lock);
		return true;
	}
	rswap_cmd_fail_locked(rq, cmd);
	mutex_unlock(&cmd->lock);
	blk_mq_complete_request(rq);
	return true;
}

/* Fail every request in flight; only after rswap_dev_fail(). */
static void rswap_fail_all(struct rswap_dev *dev)
{
	blk_mq_tagset_busy_iter(&dev->tag_set, rswap_fail_rq, dev);
}

static u32 rswap_csum_rq(struct request *rq)
{
	struct req_iterator iter;
	struct bio_vec bv;
	u32 crc = ~0U;

	rq_for_each_segment(bv, rq, iter) {
		void *p = bvec_kmap_local(&bv);

		crc = crc32c(crc, p, bv.bv_len);
		kunmap_local(p);
	}
	return ~crc;
}

static int rswap_send_data(struct rswap_conn *conn, struct request *rq)
{
	struct req_iterator iter;
	struct iov_iter it;
	struct bio_vec bv;
	unsigned int left = blk_rq_bytes(rq);
	int err;

	rq_for_each_segment(bv, rq, iter) {
		left -= bv.bv_len;
		iov_iter_bvec(&it, ITER_SOURCE, &bv, 1, bv.bv_len);
		err = conn->ops->send(conn, &it, left > 0);
		if (err)
			return err;
	}
	return 0;
}

static blk_status_t rswap_queue_rq(struct blk_mq_hw_ctx *hctx,
				   const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct rswap_dev *dev = rq->q->queuedata;
	struct rswap_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct rswap_conn *conn = &dev->conns[hctx->queue_num];
	u64 off = blk_rq_pos(rq) << SECTOR_SHIFT;
	u32 len = blk_rq_bytes(rq);
	u16 flags = 0;
	u32 csum = 0;
	u64 t0, t1;
	struct iov_iter it;
	struct kvec kv;
	u8 op;
	int err;

	switch (req_op(rq)) {
	case REQ_OP_READ:
		op = RSWAP_OP_READ;
		if (READ_ONCE(dev->csum))
			flags = RSWAP_F_CSUM;
		break;
	case REQ_OP_WRITE:
		op = RSWAP_OP_WRITE;
		break;
	case REQ_OP_DISCARD:
		op = RSWAP_OP_DISCARD;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	if (rswap_dead(dev)) {
		atomic64_inc(&dev->errors);
		rq->rq_flags |= RQF_QUIET;
		return BLK_STS_IOERR;
	}
	if (len > dev->max_payload || off > dev->size || len > dev->size - off) {
		atomic64_inc(&dev->errors);
		return BLK_STS_IOERR;
	}
	t0 = ktime_get_ns();
	if (op == RSWAP_OP_WRITE && READ_ONCE(dev->csum)) {
		csum = rswap_csum_rq(rq);
		flags = RSWAP_F_CSUM;
		t1 = ktime_get_ns();
		atomic64_add(t1 - t0, &dev->t_csum);
		t0 = t1;
	}

	mutex_lock(&cmd->lock);
	cmd->seq++;
	cmd->req.magic = cpu_to_le32(RSWAP_REQ_MAGIC);
	cmd->req.version = RSWAP_VERSION;
	cmd->req.op = op;
	cmd->req.flags = cpu_to_le16(flags);
	cmd->req.handle = cpu_to_le64((u64)cmd->seq << 32 | blk_mq_unique_tag(rq));
	cmd->req.offset = cpu_to_le64(off);
	cmd->req.length = cpu_to_le32(len);
	cmd->req.csum = cpu_to_le32(csum);
	cmd->status = BLK_STS_OK;
	cmd->state = RSWAP_CMD_INFLIGHT;
	cmd->start_ns = ktime_get_ns();
	atomic_inc(&dev->inflight);
	blk_mq_start_request(rq);

	mutex_lock(&conn->tx_lock);
	kv.iov_base = &cmd->req;
	kv.iov_len = sizeof(cmd->req);
	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, kv.iov_len);
	err = conn->ops->send(conn, &it, op == RSWAP_OP_WRITE);
	if (!err && op == RSWAP_OP_WRITE)
		err = rswap_send_data(conn, rq);
	mutex_unlock(&conn->tx_lock);
	cmd->sent_ns = ktime_get_ns();
	atomic64_add(cmd->sent_ns - t0, op == RSWAP_OP_READ ?
		     &dev->t_rsend : &dev->t_wsend);

	if (!err || cmd->state != RSWAP_CMD_INFLIGHT) {
		mutex_unlock(&cmd->lock);
		return BLK_STS_OK;
	}
	/* A half-sent request breaks the stream: the device is dead. */
	rswap_cmd_fail_locked(rq, cmd);
	mutex_unlock(&cmd->lock);
	rswap_dev_fail(dev, err, "send");
	blk_mq_complete_request(rq);
	return BLK_STS_OK;
}

static void rswap_complete_rq(struct request *rq)
{
	struct rswap_dev *dev = rq->q->queuedata;
	struct rswap_cmd *cmd = blk_mq_rq_to_pdu(rq);
	u32 len = blk_rq_bytes(rq);

	atomic_dec(&dev->inflight);
	if (cmd->status != BLK_STS_OK) {
		atomic64_inc(&dev->errors);
	} else if (req_op(rq) == REQ_OP_READ) {
		u64 us = div_u64(ktime_get_ns() - cmd->start_ns, NSEC_PER_USEC);
		unsigned int b = us ? ilog2(us) : 0;

		atomic64_inc(&dev->reads);
		atomic64_add(len, &dev->bytes_read);
		atomic64_inc(&dev->rlat[min(b, RSWAP_HIST_BUCKETS - 1)]);
	} else if (req_op(rq) == REQ_OP_WRITE) {
		atomic64_inc(&dev->writes);
		atomic64_add(len, &dev->bytes_written);
	} else {
		atomic64_inc(&dev->discards);
	}
	blk_mq_end_request(rq, cmd->status);
}

static enum blk_eh_timer_return rswap_timeout(struct request *rq)
{
	struct rswap_dev *dev = rq->q->queuedata;
	struct rswap_cmd *cmd = blk_mq_rq_to_pdu(rq);

	if (!mutex_trylock(&cmd->lock)) {
		/* stuck sending or receiving: unblock it, it fails then */
		atomic64_inc(&dev->timeouts);
		rswap_dev_fail(dev, -ETIMEDOUT, "request");
		return BLK_EH_RESET_TIMER;
	}
	if (cmd->state != RSWAP_CMD_INFLIGHT) {
		mutex_unlock(&cmd->lock);
		return BLK_EH_DONE;
	}
	rswap_cmd_fail_locked(rq, cmd);
	mutex_unlock(&cmd->lock);
	atomic64_inc(&dev->timeouts);
	rswap_dev_fail(dev, -ETIMEDOUT, "request");
	blk_mq_complete_request(rq);
	return BLK_EH_DONE;
}

/*
 * Read data of a READ reply into the request's pages and, if the reply
 * carries a checksum, check it.
 */
static int rswap_recv_data(struct rswap_conn *conn, struct request *rq,
			   bool verify, u32 csum)
{
	struct req_iterator iter;
	struct iov_iter it;
	struct bio_vec bv;
	u64 t0 = ktime_get_ns(), t1, t2;
	u32 crc = ~0U;
	int err = 0;

	rq_for_each_segment(bv, rq, iter) {
		iov_iter_bvec(&it, ITER_DEST, &bv, 1, bv.bv_len);
		err = conn->ops->recv(conn, &it);
		if (err)
			break;
	}
	t2 = ktime_get_ns();
	atomic64_add(t2 - t0, &conn->dev->t_recv);
	if (err || !verify)
		return err;
	rq_for_each_segment(bv, rq, iter) {
		void *p = bvec_kmap_local(&bv);

		crc = crc32c(crc, p, bv.bv_len);
		kunmap_local(p);
	}
	t1 = ktime_get_ns();
	atomic64_add(t1 - t2, &conn->dev->t_csum);
	return ~crc == csum ? 0 : -EBADMSG;
}

/*
 * One reply: 0, or a negative errno that ends the connection (the stream
 * can no longer be trusted).
 */
static int rswap_handle_reply(struct rswap_conn *conn,
			      const struct rswap_reply *rep)
{
	struct rswap_dev *dev = conn->dev;
	u64 handle = le64_to_cpu(rep->handle);
	u32 utag = lower_32_bits(handle);
	s32 status = (s32)le32_to_cpu(rep->status);
	u32 len = le32_to_cpu(rep->length);
	u16 flags = le16_to_cpu(rep->flags);
	unsigned int hwq = blk_mq_unique_tag_to_hwq(utag);
	struct rswap_cmd *cmd;
	struct request *rq;
	u64 now;
	int err = 0;

	if (le32_to_cpu(rep->magic) != RSWAP_REPLY_MAGIC ||
	    rep->version != RSWAP_VERSION || hwq != conn->index)
		return -EPROTO;
	rq = blk_mq_tag_to_rq(dev->tag_set.tags[hwq],
			      blk_mq_unique_tag_to_tag(utag));
	if (!rq)
		return -EPROTO;
	cmd = blk_mq_rq_to_pdu(rq);
	mutex_lock(&cmd->lock);
	if (cmd->state != RSWAP_CMD_INFLIGHT ||
	    cmd->seq != upper_32_bits(handle) || rep->op != cmd->req.op) {
		mutex_unlock(&cmd->lock);
		return -EPROTO;
	}
	now = ktime_get_ns();
	if (now > cmd->sent_ns)
		atomic64_add(now - cmd->sent_ns, rep->op == RSWAP_OP_READ ?
			     &dev->t_rwait : &dev->t_wwait);
	if (status) {
		if (len)
			err = -EPROTO;
		cmd->status = BLK_STS_IOERR;
		pr_err_ratelimited("rswap%d: server error %d for op %u at %llu+%u\n",
				   dev->index, status, rep->op,
				   le64_to_cpu(cmd->req.offset),
				   le32_to_cpu(cmd->req.length));
	} else if (rep->op == RSWAP_OP_READ) {
		/* a checksum asked for must come; one that comes is checked */
		if (len != blk_rq_bytes(rq) ||
		    (le16_to_cpu(cmd->req.flags) & ~flags & RSWAP_F_CSUM))
			err = -EPROTO;
		else
			err = rswap_recv_data(conn, rq, flags & RSWAP_F_CSUM,
					      le32_to_cpu(rep->csum));
		if (err == -EBADMSG) {
			/* framing intact: fail this read only */
			pr_err_ratelimited("rswap%d: bad checksum of read data at %llu+%u\n",
					   dev->index, le64_to_cpu(cmd->req.offset),
					   len);
			err = 0;
			cmd->status = BLK_STS_IOERR;
		} else if (err) {
			cmd->status = BLK_STS_IOERR;
		}
	} else if (len) {
		err = -EPROTO;
		cmd->status = BLK_STS_IOERR;
	}
	cmd->state = RSWAP_CMD_IDLE;
	if (cmd->status)
		rq->rq_flags |= RQF_QUIET;
	mutex_unlock(&cmd->lock);
	blk_mq_complete_request(rq);
	return err;
}

static void rswap_recv_work(struct work_struct *work)
{
	struct rswap_conn *conn = container_of(work, struct rswap_conn,
					       recv_work);
	struct rswap_dev *dev = conn->dev;
	struct rswap_reply rep;
	struct iov_iter it;
	struct kvec kv;
	int err;

	for (;;) {
		kv.iov_base = &rep;
		kv.iov_len = sizeof(rep);
		iov_iter_kvec(&it, ITER_DEST, &kv, 1, kv.iov_len);
		err = conn->ops->recv(conn, &it);
		if (err)
			break;
		err = rswap_handle_reply(conn, &rep);
		if (err)
			break;
	}
	rswap_dev_fail(dev, err, err == -EPROTO || err == -EBADMSG ?
		       "protocol check" : "receive");
	rswap_fail_all(dev);
}

static int rswap_init_request(struct blk_mq_tag_set *set, struct request *rq,
			      unsigned int hctx_idx, unsigned int numa_node)
{
	struct rswap_cmd *cmd = blk_mq_rq_to_pdu(rq);

	mutex_init(&cmd->lock);
	cmd->state = RSWAP_CMD_IDLE;
	return 0;
}

static void rswap_exit_request(struct blk_mq_tag_set *set, struct request *rq,
			       unsigned int hctx_idx)
{
	struct rswap_cmd *cmd = blk_mq_rq_to_pdu(rq);

	mutex_destroy(&cmd->lock);
}

static const struct blk_mq_ops rswap_mq_ops = {
	.queue_rq = rswap_queue_rq,
	.complete = rswap_complete_rq,
	.timeout = rswap_timeout,
	.init_request = rswap_init_request,
	.exit_request = rswap_exit_request,
};

static const struct block_device_operations rswap_fops = {
	.owner = THIS_MODULE,
};

/* sysfs: /sys/block/rswapN/rswap/ */

static struct rswap_dev *dev_to_rswap(struct device *d)
{
	return dev_to_disk(d)->private_data;
}

#define RSWAP_COUNTER_ATTR(field)					\
static ssize_t field##_show(struct device *d,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&dev_to_rswap(d)->field));	\
}									\
static DEVICE_ATTR_RO(field)

RSWAP_COUNTER_ATTR(reads);
RSWAP_COUNTER_ATTR(writes);
RSWAP_COUNTER_ATTR(discards);
RSWAP_COUNTER_ATTR(bytes_read);
RSWAP_COUNTER_ATTR(bytes_written);
RSWAP_COUNTER_ATTR(errors);
RSWAP_COUNTER_ATTR(timeouts);
RSWAP_COUNTER_ATTR(reconnects);

static ssize_t inflight_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&dev_to_rswap(d)->inflight));
}
static DEVICE_ATTR_RO(inflight);

static ssize_t name_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", dev_to_rswap(d)->name);
}
static DEVICE_ATTR_RO(name);

static ssize_t server_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", dev_to_rswap(d)->server);
}
static DEVICE_ATTR_RO(server);

static ssize_t size_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", dev_to_rswap(d)->size);
}
static DEVICE_ATTR_RO(size);

static ssize_t connections_show(struct device *d,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", dev_to_rswap(d)->nconns);
}
static DEVICE_ATTR_RO(connections);

static ssize_t state_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", rswap_dead(dev_to_rswap(d)) ?
			  "dead" : "connected");
}
static DEVICE_ATTR_RO(state);

static ssize_t timeout_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  dev_to_disk(d)->queue->rq_timeout / HZ);
}

static ssize_t timeout_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int secs;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = kstrtouint(buf, 0, &secs);
	if (err)
		return err;
	if (secs < 1 || secs > 3600)
		return -EINVAL;
	blk_queue_rq_timeout(dev_to_disk(d)->queue, secs * HZ);
	return count;
}
static DEVICE_ATTR_RW(timeout);

static ssize_t checksum_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(dev_to_rswap(d)->csum));
}

/* 1: checksum the data of new requests (the default), 0: do not. */
static ssize_t checksum_store(struct device *d, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int on;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = kstrtouint(buf, 10, &on);
	if (err)
		return err;
	if (on > 1)
		return -EINVAL;
	WRITE_ONCE(dev_to_rswap(d)->csum, on);
	return count;
}
static DEVICE_ATTR_RW(checksum);

static ssize_t read_latency_us_show(struct device *d,
				    struct device_attribute *attr, char *buf)
{
	struct rswap_dev *dev = dev_to_rswap(d);
	int i, n = 0;

	for (i = 0; i < RSWAP_HIST_BUCKETS - 1; i++)
		n += sysfs_emit_at(buf, n, "%lu %lld\n", 2UL << i,
				   atomic64_read(&dev->rlat[i]));
	n += sysfs_emit_at(buf, n, "inf %lld\n", atomic64_read(&dev->rlat[i]));
	return n;
}
static DEVICE_ATTR_RO(read_latency_us);

/* Where the time of requests went, in microseconds summed over requests. */
static ssize_t time_us_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct rswap_dev *dev = dev_to_rswap(d);
	static const char * const names[] = {
		"read_send", "read_wait", "receive", "write_send",
		"write_wait", "checksum",
	};
	atomic64_t *t[] = {
		&dev->t_rsend, &dev->t_rwait, &dev->t_recv, &dev->t_wsend,
		&dev->t_wwait, &dev->t_csum,
	};
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		n += sysfs_emit_at(buf, n, "%s %llu\n", names[i],
				   div_u64(atomic64_read(t[i]), NSEC_PER_USEC));
	return n;
}
static DEVICE_ATTR_RO(time_us);

static struct attribute *rswap_attrs[] = {
	&dev_attr_name.attr,
	&dev_attr_server.attr,
	&dev_attr_size.attr,
	&dev_attr_connections.attr,
	&dev_attr_state.attr,
	&dev_attr_timeout.attr,
	&dev_attr_checksum.attr,
	&dev_attr_reads.attr,
	&dev_attr_writes.attr,
	&dev_attr_discards.attr,
	&dev_attr_bytes_read.attr,
	&dev_attr_bytes_written.attr,
	&dev_attr_inflight.attr,
	&dev_attr_errors.attr,
	&dev_attr_timeouts.attr,
	&dev_attr_reconnects.attr,
	&dev_attr_read_latency_us.attr,
	&dev_attr_time_us.attr,
	NULL,
};

static const struct attribute_group rswap_attr_group = {
	.name = "rswap",
	.attrs = rswap_attrs,
};

static const struct attribute_group *rswap_attr_groups[] = {
	&rswap_attr_group,
	NULL,
};

/* Connections */

static void rswap_conns_release(struct rswap_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->nconns; i++) {
		struct rswap_conn *conn = &dev->conns[i];

		conn->ops->shutdown(conn);
		if (conn->recv_running)
			flush_work(&conn->recv_work);
		conn->recv_running = false;
		conn->ops->release(conn);
	}
}

static int rswap_conns_attach(struct rswap_dev *dev,
			      const struct anker_rswap_connect *arg)
{
	unsigned int i, j;
	int err;

	for (i = 0; i < dev->nconns; i++) {
		err = dev->conns[i].ops->attach(&dev->conns[i], arg->fds[i]);
		if (err)
			goto undo;
		for (j = 0; j < i; j++) {
			if (dev->conns[j].priv == dev->conns[i].priv) {
				dev->conns[i].ops->release(&dev->conns[i]);
				err = -EINVAL;	/* the same socket twice */
				goto undo;
			}
		}
	}
	return 0;
undo:
	while (i--)
		dev->conns[i].ops->release(&dev->conns[i]);
	return err;
}

static void rswap_conns_start(struct rswap_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->nconns; i++) {
		dev->conns[i].recv_running = true;
		queue_work(rswap_wq, &dev->conns[i].recv_work);
	}
}

/* Control */

static int rswap_check_connect(const struct anker_rswap_connect *arg)
{
	if (arg->flags)
		return -EINVAL;
	if (!arg->size || arg->size % RSWAP_SIZE_ALIGN ||
	    arg->size > (1ULL << 50))
		return -EINVAL;
	if (!arg->nconns || arg->nconns > ANKER_RSWAP_MAX_CONNS)
		return -EINVAL;
	if (arg->timeout > 3600)
		return -EINVAL;
	if (arg->max_payload && (arg->max_payload < PAGE_SIZE ||
				 arg->max_payload % PAGE_SIZE))
		return -EINVAL;
	if (!memchr(arg->name, 0, sizeof(arg->name)) || !arg->name[0] ||
	    !memchr(arg->server, 0, sizeof(arg->server)))
		return -EINVAL;
	return 0;
}

static int rswap_add(struct anker_rswap_connect *arg)
{
	struct queue_limits lim = {
		.logical_block_size = PAGE_SIZE,
		.physical_block_size = PAGE_SIZE,
		.io_min = PAGE_SIZE,
		.max_segments = USHRT_MAX,
		.discard_granularity = PAGE_SIZE,
		/* writes are checksummed: data must not change under I/O */
		.features = BLK_FEAT_STABLE_WRITES,
	};
	struct rswap_dev *dev;
	struct gendisk *disk;
	unsigned int i;
	u32 index;
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->size = arg->size;
	dev->nconns = arg->nconns;
	dev->csum = READ_ONCE(checksum);
	dev->max_payload = min_t(u32, arg->max_payload ?: RSWAP_MAX_PAYLOAD,
				 RSWAP_MAX_PAYLOAD);
	strscpy(dev->name, arg->name, sizeof(dev->name));
	strscpy(dev->server, arg->server, sizeof(dev->server));
	dev->conns = kcalloc(dev->nconns, sizeof(*dev->conns), GFP_KERNEL);
	if (!dev->conns) {
		err = -ENOMEM;
		goto free_dev;
	}
	for (i = 0; i < dev->nconns; i++) {
		struct rswap_conn *conn = &dev->conns[i];

		conn->dev = dev;
		conn->index = i;
		conn->ops = &rswap_tcp_ops;
		mutex_init(&conn->tx_lock);
		INIT_WORK(&conn->recv_work, rswap_recv_work);
	}
	err = rswap_conns_attach(dev, arg);
	if (err)
		goto free_conns;

	err = xa_alloc(&rswap_devs, &index, dev,
		       XA_LIMIT(0, RSWAP_MAX_DEVS - 1), GFP_KERNEL);
	if (err)
		goto release;
	dev->index = index;

	dev->tag_set.ops = &rswap_mq_ops;
	dev->tag_set.nr_hw_queues = dev->nconns;
	dev->tag_set.queue_depth = RSWAP_QUEUE_DEPTH;
	dev->tag_set.numa_node = NUMA_NO_NODE;
	dev->tag_set.cmd_size = sizeof(struct rswap_cmd);
	dev->tag_set.flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_BLOCKING;
	dev->tag_set.timeout = (arg->timeout ?: clamp(timeout, 1U, 3600U)) * HZ;
	dev->tag_set.driver_data = dev;
	err = blk_mq_alloc_tag_set(&dev->tag_set);
	if (err)
		goto erase;

	lim.max_hw_sectors = dev->max_payload >> SECTOR_SHIFT;
	lim.max_hw_discard_sectors = dev->max_payload >> SECTOR_SHIFT;
	disk = blk_mq_alloc_disk(&dev->tag_set, &lim, dev);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto free_tags;
	}
	dev->disk = disk;
	disk->major = rswap_major;
	disk->first_minor = index;
	disk->minors = 1;
	disk->fops = &rswap_fops;
	disk->private_data = dev;
	disk->flags |= GENHD_FL_NO_PART;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "rswap%u", index);
	set_capacity(disk, dev->size >> SECTOR_SHIFT);

	rswap_conns_start(dev);
	err = device_add_disk(NULL, disk, rswap_attr_groups);
	if (err)
		goto stop;
	arg->index = index;
	pr_info("rswap%u: %llu bytes of region '%s' at %s, %u connections\n",
		index, dev->size, dev->name, dev->server, dev->nconns);
	return 0;

stop:
	set_bit(RSWAP_DEAD, &dev->flags);
	rswap_conns_release(dev);
	put_disk(disk);
free_tags:
	blk_mq_free_tag_set(&dev->tag_set);
erase:
	xa_erase(&rswap_devs, index);
release:
	for (i = 0; i < dev->nconns; i++)
		dev->conns[i].ops->release(&dev->conns[i]);
free_conns:
	kfree(dev->conns);
free_dev:
	kfree(dev);
	return err;
}

/*
 * New connections for a dead device: the same region on a live server.
 * The sockets are taken over first; the queue is only quiesced (no
 * queue_rq() running) while the old connections are torn down and the new
 * ones put in, so no socket lock is taken under a queue freeze.
 */
static int rswap_reconnect(struct rswap_dev *dev,
			   struct anker_rswap_connect *arg)
{
	struct rswap_conn *fresh;
	unsigned int i, j;
	int err = 0;

	if (!rswap_dead(dev))
		return -EBUSY;
	if (arg->size != dev->size || arg->nconns != dev->nconns)
		return -EINVAL;
	fresh = kcalloc(dev->nconns, sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	for (i = 0; i < dev->nconns && !err; i++) {
		fresh[i].ops = dev->conns[i].ops;
		err = fresh[i].ops->attach(&fresh[i], arg->fds[i]);
		for (j = 0; j < i && !err; j++)
			if (fresh[j].priv == fresh[i].priv)
				err = -EINVAL;
		if (err && fresh[i].priv)
			fresh[i].ops->release(&fresh[i]);
	}
	if (err) {
		while (i--)
			if (fresh[i].priv)
				fresh[i].ops->release(&fresh[i]);
		kfree(fresh);
		return err;
	}

	blk_mq_quiesce_queue(dev->disk->queue);
	rswap_conns_release(dev);
	rswap_fail_all(dev);
	for (i = 0; i < dev->nconns; i++)
		dev->conns[i].priv = fresh[i].priv;
	kfree(fresh);
	strscpy(dev->server, arg->server, sizeof(dev->server));
	if (arg->timeout)
		blk_queue_rq_timeout(dev->disk->queue, arg->timeout * HZ);
	clear_bit(RSWAP_DEAD, &dev->flags);
	rswap_conns_start(dev);
	atomic64_inc(&dev->reconnects);
	blk_mq_unquiesce_queue(dev->disk->queue);
	pr_info("rswap%d: reconnected to %s\n", dev->index, dev->server);
	return 0;
}

static void rswap_remove(struct rswap_dev *dev)
{
	set_bit(RSWAP_DEAD, &dev->flags);	/* quietly: not a failure */
	rswap_conns_release(dev);
	rswap_fail_all(dev);
	del_gendisk(dev->disk);
	xa_erase(&rswap_devs, dev->index);
	blk_mq_free_tag_set(&dev->tag_set);	/* after del_gendisk() */
	put_disk(dev->disk);
	pr_info("rswap%d: removed\n", dev->index);
	kfree(dev->conns);
	kfree(dev);
}

static long rswap_ctl_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct anker_rswap_connect c;
	struct rswap_dev *dev;
	long err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case ANKER_RSWAP_IOC_CONNECT:
		if (copy_from_user(&c, (void __user *)arg, sizeof(c)))
			return -EFAULT;
		err = rswap_check_connect(&c);
		if (err)
			return err;
		mutex_lock(&rswap_ctl_lock);
		if (c.index < 0) {
			err = rswap_add(&c);
		} else {
			dev = xa_load(&rswap_devs, c.index);
			err = dev ? rswap_reconnect(dev, &c) : -ENODEV;
		}
		mutex_unlock(&rswap_ctl_lock);
		if (!err && copy_to_user((void __user *)arg, &c, sizeof(c)))
			err = -EFAULT;
		return err;
	case ANKER_RSWAP_IOC_DISCONNECT:
		if (arg >= RSWAP_MAX_DEVS)
			return -ENODEV;
		mutex_lock(&rswap_ctl_lock);
		dev = xa_load(&rswap_devs, arg);
		if (!dev)
			err = -ENODEV;
		else if (disk_openers(dev->disk))
			err = -EBUSY;
		else
			err = 0;
		if (!err)
			rswap_remove(dev);
		mutex_unlock(&rswap_ctl_lock);
		return err;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations rswap_ctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = rswap_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice rswap_ctl_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "anker-rswap",
	.fops = &rswap_ctl_fops,
	.mode = 0600,
};

static int __init rswap_init(void)
{
	int err;

	rswap_wq = alloc_workqueue("rswap-recv",
				   WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_UNBOUND, 0);
	if (!rswap_wq)
		return -ENOMEM;
	rswap_major = register_blkdev(0, "rswap");
	if (rswap_major < 0) {
		err = rswap_major;
		goto free_wq;
	}
	err = misc_register(&rswap_ctl_dev);
	if (err)
		goto unreg;
	anker_feature_add("rswap", "block device /dev/rswapN, control %s, transports: %s",
			  ANKER_RSWAP_CTL_DEV, rswap_tcp_ops.name);
	return 0;
unreg:
	unregister_blkdev(rswap_major, "rswap");
free_wq:
	destroy_workqueue(rswap_wq);
	return err;
}
module_init(rswap_init);

MODULE_DESCRIPTION("Anker rswap: block device in a remote rmemd memory region");
MODULE_LICENSE("GPL");
