// SPDX-License-Identifier: GPL-2.0
/* rmemd and bad requests: every malformed frame gets an error reply (or,
 * when the framing is lost, an error reply and a closed connection); the
 * region is never touched outside its bounds and the server stays up. */
#include "rt.h"

#include <endian.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MiB (1024u * 1024u)
#define RSIZE (4 * MiB)

static struct srv s;

/* A connection with region "r" open. */
static int conn_open(void)
{
	int fd = cl_connect(s.port);

	if (fd >= 0 && cl_open(fd, "r", RSIZE, NULL)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send a raw request header; return the reply status (or CL_BROKEN). */
static int raw(int fd, struct rswap_req *rq, const void *payload, size_t plen,
	       struct rswap_reply *rp)
{
	static char sink[RSWAP_MAX_PAYLOAD];

	if (cl_send(fd, rq, sizeof(*rq)) || (plen && cl_send(fd, payload, plen)))
		return CL_BROKEN;
	if (cl_recv_reply(fd, rp, sink, sizeof(sink)))
		return CL_BROKEN;
	return (int32_t)le32toh(rp->status);
}

static struct rswap_req req(int op, int flags, uint64_t h, uint64_t off, uint32_t len)
{
	struct rswap_req rq = {
		.magic = htole32(RSWAP_REQ_MAGIC), .version = RSWAP_VERSION,
		.op = (uint8_t)op, .flags = htole16((uint16_t)flags),
		.handle = htole64(h), .offset = htole64(off), .length = htole32(len),
	};
	return rq;
}

/* A fatal error: the reply's status and handle, then the connection ends. */
static void fatal_case(struct rswap_req rq, int want, const char *what)
{
	struct rswap_reply rp;
	int fd = conn_open(), ret;

	ret = raw(fd, &rq, NULL, 0, &rp);
	ok(ret == want && rp.handle == rq.handle && rp.length == 0 && cl_closed(fd),
	   "%s: status %d and the connection is closed (got %d)", what, want, ret);
	close(fd);
}

/* Is the server well: a new connection reads region "r"'s first page. */
static bool server_well(void)
{
	char buf[4096];
	int fd = conn_open();
	bool good = fd >= 0 && cl_read(fd, 0, buf, sizeof(buf)) == 0;

	if (fd >= 0)
		close(fd);
	return good;
}

static int open_raw(int fd, struct rswap_open *op, size_t len, int rflags)
{
	struct rswap_req rq = req(RSWAP_OP_OPEN, rflags, 5, 0, (uint32_t)len);
	struct rswap_reply rp;

	return raw(fd, &rq, op, len, &rp);
}

int main(void)
{
	static unsigned char buf[RSWAP_MAX_PAYLOAD], ref[8192];
	struct rswap_req rq;
	struct rswap_open op;
	int fd, ret;

	plan(46);
	if (srv_start(&s, "16M", NULL)) {
		ok(false, "rmemd starts");
		return done_testing();
	}
	ok(true, "rmemd starts");
	/* Mark the region's first and last pages. */
	fd = conn_open();
	fill(ref, 8192, 9, 0);
	ok(fd >= 0 && cl_write(fd, 0, ref, 4096) == 0 &&
	   cl_write(fd, RSIZE - 4096, ref + 4096, 4096) == 0, "set-up: region 'r' written");
	close(fd);

	/* Fatal: framing lost */
	rq = req(RSWAP_OP_READ, 0, 0x1234, 0, 4096);
	rq.magic = htole32(0xdeadbeef);
	fatal_case(rq, RSWAP_EPROTO, "bad magic");
	rq = req(RSWAP_OP_READ, 0, 0x1235, 0, 4096);
	rq.version = RSWAP_VERSION + 1;
	fatal_case(rq, RSWAP_EPROTO, "unsupported version");
	rq = req(RSWAP_OP_READ, 0, 0x1235, 0, 4096);
	rq.version = 0;
	fatal_case(rq, RSWAP_EPROTO, "version 0");
	fatal_case(req(RSWAP_OP_WRITE, 0, 0x1236, 0, RSWAP_MAX_PAYLOAD + 1), RSWAP_EMSGSIZE,
		   "WRITE length above RSWAP_MAX_PAYLOAD");
	fatal_case(req(RSWAP_OP_READ, 0, 0x1237, 0, 0xffffffffu), RSWAP_EMSGSIZE,
		   "READ length 2^32-1");
	ok(server_well(), "the server still serves after the fatal errors");

	/* Short frames */
	fd = cl_connect(s.port);
	rq = req(RSWAP_OP_READ, 0, 1, 0, 4096);
	ok(cl_send(fd, &rq, 10) == 0, "a 10-byte header, then close");
	close(fd);
	fd = conn_open();
	rq = req(RSWAP_OP_WRITE, 0, 2, 0, 4096);
	memset(buf, 0xee, 4096);
	ok(cl_send(fd, &rq, sizeof(rq)) == 0 && cl_send(fd, buf, 100) == 0,
	   "a WRITE with 100 of its 4096 payload bytes, then close");
	close(fd);
	usleep(100000);
	fd = conn_open();
	ok(fd >= 0 && cl_read(fd, 0, buf, 4096) == 0 && !memcmp(buf, ref, 4096),
	   "... the server is up and the region unchanged");
	close(fd);

	/* Errors that keep the connection */
	fd = cl_connect(s.port);
	ret = cl_call(fd, RSWAP_OP_READ, 0, 0, 4096, NULL, 0, buf, 4096, NULL);
	ok(ret == RSWAP_ENOTCONN, "READ before OPEN: ENOTCONN (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_WRITE, 0, 0, 4096, buf, 4096, NULL, 0, NULL);
	ok(ret == RSWAP_ENOTCONN, "WRITE before OPEN: ENOTCONN (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_DISCARD, 0, 0, 4096, NULL, 0, NULL, 0, NULL);
	ok(ret == RSWAP_ENOTCONN, "DISCARD before OPEN: ENOTCONN (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_FLUSH, 0, 0, 0, NULL, 0, NULL, 0, NULL);
	ok(ret == RSWAP_ENOTCONN, "FLUSH before OPEN: ENOTCONN (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_CLOSE, RSWAP_F_FREE, 0, 0, NULL, 0, NULL, 0, NULL);
	ok(ret == RSWAP_ENOTCONN, "CLOSE with RSWAP_F_FREE before OPEN: ENOTCONN (%d)", ret);
	{
		struct rswap_stats st;

		ret = cl_stats(fd, &st);
		ok(ret == 0 && st.region_size == 0 && le64toh(st.pool_size) == 16 * MiB,
		   "STATS before OPEN works, no region counters (%d)", ret);
	}
	close(fd);

	/* OPEN's payload */
	fd = cl_connect(s.port);
	memset(&op, 0, sizeof(op));
	op.size = htole64(MiB);
	strcpy(op.name, "x");
	ret = open_raw(fd, &op, 40, 0);
	ok(ret == RSWAP_EINVAL, "OPEN with a short payload: EINVAL (%d)", ret);
	ret = open_raw(fd, &op, 0, 0);
	ok(ret == RSWAP_EINVAL, "OPEN without a payload: EINVAL (%d)", ret);
	ret = open_raw(fd, &op, sizeof(op), RSWAP_F_CSUM);
	ok(ret == RSWAP_EINVAL, "OPEN with request flags: EINVAL (%d)", ret);
	op.name[0] = 0;
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_EINVAL, "OPEN with an empty name: EINVAL (%d)", ret);
	strcpy(op.name, "a/b");
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_EINVAL, "OPEN with '/' in the name: EINVAL (%d)", ret);
	memset(op.name, 'a', sizeof(op.name));
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_EINVAL, "OPEN with a name not NUL-terminated: EINVAL (%d)", ret);
	memset(op.name, 0, sizeof(op.name));
	strcpy(op.name, "x");
	op.name[10] = 'y';
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_EINVAL, "OPEN with bytes after the name's NUL: EINVAL (%d)", ret);
	op.name[10] = 0;
	op.size = htole64(MiB + 512);
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_EINVAL, "OPEN with a size not a multiple of 4096: EINVAL (%d)", ret);
	op.size = htole64(MiB);
	op.flags = htole32(1);
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_EINVAL, "OPEN with unknown open flags: EINVAL (%d)", ret);
	op.flags = 0;
	op.reserved = htole32(1);
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_EINVAL, "OPEN with reserved != 0: EINVAL (%d)", ret);
	op.reserved = 0;
	op.size = htole64(~0ull & ~4095ull);
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == RSWAP_ENOSPC, "OPEN of 2^64-4096 bytes: ENOSPC (%d)", ret);
	op.size = htole64(MiB);
	ret = open_raw(fd, &op, sizeof(op), 0);
	ok(ret == 0, "after all that, a good OPEN on the same connection works");
	close(fd);

	/* Out of range */
	fd = conn_open();
	ret = cl_call(fd, RSWAP_OP_READ, 0, RSIZE, 1, NULL, 0, buf, 1, NULL);
	ok(ret == RSWAP_ERANGE, "READ at the region's end: ERANGE (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_READ, 0, RSIZE - 4096, 8192, NULL, 0, buf, 8192, NULL);
	ok(ret == RSWAP_ERANGE, "READ across the region's end: ERANGE (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_READ, 0, ~0ull, 2, NULL, 0, buf, 2, NULL);
	ok(ret == RSWAP_ERANGE, "READ at offset 2^64-1 (wraps): ERANGE (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_READ, 0, ~0ull - 4095, 8192, NULL, 0, buf, 8192, NULL);
	ok(ret == RSWAP_ERANGE, "READ whose end wraps past 2^64: ERANGE (%d)", ret);
	memset(buf, 0xaa, 8192);
	ret = cl_call(fd, RSWAP_OP_WRITE, 0, RSIZE - 4096, 8192, buf, 8192, NULL, 0, NULL);
	ok(ret == RSWAP_ERANGE, "WRITE across the region's end: ERANGE (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_WRITE, 0, 1ull << 40, 4096, buf, 4096, NULL, 0, NULL);
	ok(ret == RSWAP_ERANGE, "WRITE far beyond the region: ERANGE (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_DISCARD, 0, RSIZE - 4096, 8192, NULL, 0, NULL, 0, NULL);
	ok(ret == RSWAP_ERANGE, "DISCARD across the region's end: ERANGE (%d)", ret);
	ok(cl_read(fd, RSIZE - 4096, buf, 4096) == 0 && !memcmp(buf, ref + 4096, 4096),
	   "... the region's last page is unchanged");

	/* Ops and flags */
	ret = cl_call(fd, 0, 0, 0, 0, NULL, 0, NULL, 0, NULL);
	ok(ret == RSWAP_EOPNOTSUPP, "op 0: EOPNOTSUPP (%d)", ret);
	ret = cl_call(fd, 8, 0, 0, 4096, NULL, 0, NULL, 0, NULL);
	ok(ret == RSWAP_EOPNOTSUPP, "op 8: EOPNOTSUPP (%d)", ret);
	ret = cl_call(fd, 255, 0, 0, 0, NULL, 0, NULL, 0, NULL);
	ok(ret == RSWAP_EOPNOTSUPP, "op 255: EOPNOTSUPP (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_READ, 0x8000, 0, 4096, NULL, 0, buf, 4096, NULL);
	ok(ret == RSWAP_EINVAL, "unknown request flag: EINVAL (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_WRITE, 0x0100, 0, 4096, buf, 4096, NULL, 0, NULL);
	ok(ret == RSWAP_EINVAL, "WRITE with an unknown flag: EINVAL, payload skipped (%d)", ret);
	ret = cl_call(fd, RSWAP_OP_READ, RSWAP_F_FREE, 0, 4096, NULL, 0, buf, 4096, NULL);
	ok(ret == RSWAP_EINVAL, "READ with RSWAP_F_FREE: EINVAL (%d)", ret);
	ok(cl_read(fd, 0, buf, 4096) == 0 && !memcmp(buf, ref, 4096),
	   "the connection still works after the errors; first page unchanged");
	close(fd);

	ok(server_well() && srv_alive(&s), "the server is up at the end");
	ret = srv_stop(&s, SIGTERM);
	ok(ret == 0, "SIGTERM: exit status 0 (%d)", ret);
	if (done_testing())
		srv_dump_log(&s);
	return done_testing();
}
