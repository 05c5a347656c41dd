// SPDX-License-Identifier: GPL-2.0
/*
 * rmemd's protocol: one thread per connection reads a request header,
 * checks it, carries it out on the connection's region and sends the reply
 * (see <linux/anker_rswap.h>).  Every offset and length is checked against
 * the region before memory is touched; a frame whose framing cannot be
 * trusted (bad magic or version, oversized length) ends the connection.
 */
#include "rmemd.h"
#include "crc32c.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct rswap_req) == RSWAP_REQ_SIZE, "rswap_req size");
_Static_assert(sizeof(struct rswap_reply) == RSWAP_REPLY_SIZE, "rswap_reply size");
_Static_assert(sizeof(struct rswap_open) == RSWAP_OPEN_SIZE, "rswap_open size");
_Static_assert(sizeof(struct rswap_open_reply) == RSWAP_OPEN_REPLY_SIZE, "open reply size");
_Static_assert(sizeof(struct rswap_stats) == RSWAP_STATS_SIZE, "rswap_stats size");

struct conn_state {
	struct server *s;
	struct rmemd_conn *c;
	struct region *region;
	unsigned char *buf;	/* RSWAP_MAX_PAYLOAD bytes */
	uint64_t requests, bytes_read, bytes_written;
};

/* Send a reply with an optional payload; -1 if the connection broke. */
static int reply(struct conn_state *st, const struct rswap_req *rq, int status,
		 const void *data, uint32_t len, bool csum)
{
	struct rswap_reply rp = { 0 };
	struct iovec iov[2];
	int n = 1;

	if (status) {
		len = 0;
		csum = false;
		atomic_fetch_add(&st->s->stats.errors, 1);
	}
	rp.magic = htole32(RSWAP_REPLY_MAGIC);
	rp.version = RSWAP_VERSION;
	rp.op = rq ? rq->op : 0;
	rp.handle = rq ? rq->handle : 0;	/* echoed as is */
	rp.status = htole32((uint32_t)status);
	rp.length = htole32(len);
	if (csum) {
		rp.flags = htole16(RSWAP_F_CSUM);
		rp.csum = htole32(crc32c(data, len));
	}
	iov[0].iov_base = &rp;
	iov[0].iov_len = sizeof(rp);
	if (len) {
		iov[1].iov_base = (void *)data;
		iov[1].iov_len = len;
		n = 2;
	}
	return st->c->ops->send_all(st->c, iov, n);
}

static bool in_region(const struct region *r, uint64_t off, uint64_t len)
{
	return off <= r->size && len <= r->size - off;
}

static bool valid_name(const char *name)
{
	size_t n = strnlen(name, RSWAP_NAME_MAX);

	if (n == 0 || n == RSWAP_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	/* NUL padded: nothing after the terminator. */
	for (size_t i = n; i < RSWAP_NAME_MAX; i++)
		if (name[i])
			return false;
	return true;
}

static int do_open(struct conn_state *st, const struct rswap_req *rq, uint32_t len)
{
	struct rswap_open op;
	struct rswap_open_reply orp = { 0 };
	uint64_t size, used, nreg;
	bool created = false;
	struct region *r;
	int ret;

	if (len != RSWAP_OPEN_SIZE || le16toh(rq->flags) || rq->offset || rq->csum)
		return reply(st, rq, RSWAP_EINVAL, NULL, 0, false);
	memcpy(&op, st->buf, sizeof(op));
	size = le64toh(op.size);
	if (op.flags || op.reserved || !valid_name(op.name) || size % RSWAP_SIZE_ALIGN)
		return reply(st, rq, RSWAP_EINVAL, NULL, 0, false);
	if (st->region)		/* one region per connection */
		return reply(st, rq, RSWAP_EINVAL, NULL, 0, false);
	ret = pool_open(&st->s->pool, op.name, size, &r, &created);
	if (ret) {
		rmemd_log("%s: open '%.*s' (%llu bytes) refused: %s", st->c->peer,
			  RSWAP_NAME_MAX, op.name, (unsigned long long)size,
			  strerror(-ret));
		return reply(st, rq, ret, NULL, 0, false);
	}
	st->region = r;
	rmemd_log("%s: open '%s' %llu MiB (%s)", st->c->peer, r->name,
		  (unsigned long long)(r->size >> 20), created ? "new" : "existing");
	pool_counts(&st->s->pool, &used, &nreg);
	orp.size = htole64(r->size);
	orp.pool_size = htole64(st->s->pool.size);
	orp.pool_free = htole64(st->s->pool.size - used);
	orp.max_payload = htole32(RSWAP_MAX_PAYLOAD);
	orp.flags = htole32(created ? RSWAP_OPEN_NEW : 0);
	return reply(st, rq, 0, &orp, sizeof(orp), false);
}

static int do_stats(struct conn_state *st, const struct rswap_req *rq)
{
	struct rmemd_stats *g = &st->s->stats;
	struct rswap_stats sr = { 0 };
	uint64_t used, nreg;

	pool_counts(&st->s->pool, &used, &nreg);
	sr.pool_size = htole64(st->s->pool.size);
	sr.pool_used = htole64(used);
	sr.regions = htole64(nreg);
	sr.clients = htole64(atomic_load(&g->clients));
	sr.connections = htole64(atomic_load(&g->connections));
	sr.requests = htole64(atomic_load(&g->requests));
	sr.errors = htole64(atomic_load(&g->errors));
	sr.bytes_read = htole64(atomic_load(&g->bytes_read));
	sr.bytes_written = htole64(atomic_load(&g->bytes_written));
	if (st->region) {
		struct region *r = st->region;

		sr.region_size = htole64(r->size);
		sr.region_clients = htole64((uint64_t)__atomic_load_n(&r->users, __ATOMIC_RELAXED));
		sr.region_bytes_read = htole64(atomic_load(&r->bytes_read));
		sr.region_bytes_written = htole64(atomic_load(&r->bytes_written));
	}
	return reply(st, rq, 0, &sr, sizeof(sr), false);
}

/* Handle one request; -1 ends the connection, 1 a clean CLOSE. */
static int handle(struct conn_state *st, struct rswap_req *rq)
{
	struct region *r = st->region;
	uint32_t len = le32toh(rq->length);
	uint64_t off = le64toh(rq->offset);
	uint16_t flags = le16toh(rq->flags);
	bool payload;
	int ret;

	atomic_fetch_add(&st->s->stats.requests, 1);
	st->requests++;
	if (le32toh(rq->magic) != RSWAP_REQ_MAGIC || rq->version != RSWAP_VERSION) {
		rmemd_log("%s: bad %s (0x%08x v%u): closing", st->c->peer,
			  le32toh(rq->magic) != RSWAP_REQ_MAGIC ? "magic" : "version",
			  le32toh(rq->magic), rq->version);
		reply(st, rq, RSWAP_EPROTO, NULL, 0, false);
		return -1;
	}
	if (len > RSWAP_MAX_PAYLOAD) {
		rmemd_log("%s: length %u above %u: closing", st->c->peer, len,
			  RSWAP_MAX_PAYLOAD);
		reply(st, rq, RSWAP_EMSGSIZE, NULL, 0, false);
		return -1;
	}
	/* Take in the payload first, so that an error keeps the framing. */
	payload = rq->op == RSWAP_OP_WRITE || rq->op == RSWAP_OP_OPEN;
	if (payload && len) {
		ret = st->c->ops->recv_all(st->c, st->buf, len);
		if (ret <= 0) {
			rmemd_log("%s: connection lost in a %u-byte payload", st->c->peer, len);
			return -1;
		}
	}
	if (flags & ~RSWAP_F_ALL)
		return reply(st, rq, RSWAP_EINVAL, NULL, 0, false);

	switch (rq->op) {
	case RSWAP_OP_OPEN:
		return do_open(st, rq, len);
	case RSWAP_OP_STATS:
		return do_stats(st, rq);
	case RSWAP_OP_CLOSE:
		if (flags & RSWAP_F_FREE) {
			if (!r)
				return reply(st, rq, RSWAP_ENOTCONN, NULL, 0, false);
			pool_mark_free(r);
		}
		reply(st, rq, 0, NULL, 0, false);
		return 1;
	case RSWAP_OP_READ:
	case RSWAP_OP_WRITE:
	case RSWAP_OP_FLUSH:
	case RSWAP_OP_DISCARD:
		break;
	default:
		return reply(st, rq, RSWAP_EOPNOTSUPP, NULL, 0, false);
	}
	if (!r)
		return reply(st, rq, RSWAP_ENOTCONN, NULL, 0, false);
	if (flags & RSWAP_F_FREE)
		return reply(st, rq, RSWAP_EINVAL, NULL, 0, false);

	switch (rq->op) {
	case RSWAP_OP_READ:
		if (!in_region(r, off, len))
			return reply(st, rq, RSWAP_ERANGE, NULL, 0, false);
		atomic_fetch_add(&st->s->stats.bytes_read, len);
		atomic_fetch_add(&r->bytes_read, len);
		st->bytes_read += len;
		return reply(st, rq, 0, r->mem + off, len, flags & RSWAP_F_CSUM);
	case RSWAP_OP_WRITE:
		if (!in_region(r, off, len))
			return reply(st, rq, RSWAP_ERANGE, NULL, 0, false);
		if ((flags & RSWAP_F_CSUM) && crc32c(st->buf, len) != le32toh(rq->csum))
			return reply(st, rq, RSWAP_EBADMSG, NULL, 0, false);
		memcpy(r->mem + off, st->buf, len);
		atomic_fetch_add(&st->s->stats.bytes_written, len);
		atomic_fetch_add(&r->bytes_written, len);
		st->bytes_written += len;
		return reply(st, rq, 0, NULL, 0, false);
	case RSWAP_OP_DISCARD:
		if (!in_region(r, off, len))
			return reply(st, rq, RSWAP_ERANGE, NULL, 0, false);
		memset(r->mem + off, 0, len);
		return reply(st, rq, 0, NULL, 0, false);
	default:	/* FLUSH: the memory is as durable as it gets */
		return reply(st, rq, 0, NULL, 0, false);
	}
}

void server_conn_run(struct server *s, struct rmemd_conn *c)
{
	struct conn_state st = { .s = s, .c = c };
	const char *why = "connection closed";
	struct rswap_req rq;

	st.buf = malloc(RSWAP_MAX_PAYLOAD);
	if (!st.buf) {
		rmemd_log("%s: out of memory for the connection buffer", c->peer);
		return;
	}
	for (;;) {
		int ret = c->ops->recv_all(c, &rq, sizeof(rq));

		if (ret == 0)
			break;
		if (ret < 0) {
			why = errno == ECONNRESET ? "short frame, connection lost" :
				"receive error";
			break;
		}
		ret = handle(&st, &rq);
		if (ret < 0) {
			why = "protocol error or send failure";
			break;
		}
		if (ret > 0) {
			why = "CLOSE";
			break;
		}
	}
	rmemd_log("%s: disconnect (%s; region '%s', %llu requests, %llu bytes read, %llu written)",
		  c->peer, why, st.region ? st.region->name : "-",
		  (unsigned long long)st.requests, (unsigned long long)st.bytes_read,
		  (unsigned long long)st.bytes_written);
	if (st.region)
		pool_release(&s->pool, st.region);
	free(st.buf);
}

void server_conn_refuse(struct rmemd_conn *c)
{
	struct rswap_reply rp = { 0 };
	struct iovec iov = { &rp, sizeof(rp) };

	rp.magic = htole32(RSWAP_REPLY_MAGIC);
	rp.version = RSWAP_VERSION;
	rp.status = htole32((uint32_t)RSWAP_EUSERS);
	c->ops->send_all(c, &iov, 1);
}
