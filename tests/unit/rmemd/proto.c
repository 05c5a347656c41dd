// SPDX-License-Identifier: GPL-2.0
/* rmemd protocol round trips: OPEN, READ, WRITE, checksums, DISCARD,
 * FLUSH, STATS, CLOSE, reopening a region, the pool's size limits. */
#include "rt.h"
#include "../../../tools/rmemd/crc32c.h"

#include <endian.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MiB (1024u * 1024u)

int main(void)
{
	struct rswap_open_reply orp;
	struct rswap_reply rp;
	struct rswap_stats st;
	struct srv s;
	unsigned char *buf = malloc(RSWAP_MAX_PAYLOAD), *big = malloc(RSWAP_MAX_PAYLOAD);
	int fd, fd2, ret;
	bool good;

	plan(34);
	ok(crc32c("123456789", 9) == 0xE3069283u, "crc32c check value");
	if (srv_start(&s, "64M", NULL)) {
		ok(false, "rmemd starts");
		return done_testing();
	}
	ok(true, "rmemd starts on 127.0.0.1:%d", s.port);
	fd = cl_connect(s.port);
	ok(fd >= 0, "connect");

	ret = cl_open(fd, "a", 16 * MiB, &orp);
	ok(ret == 0 && le64toh(orp.size) == 16 * MiB &&
	   (le32toh(orp.flags) & RSWAP_OPEN_NEW) &&
	   le32toh(orp.max_payload) == RSWAP_MAX_PAYLOAD &&
	   le64toh(orp.pool_size) == 64 * MiB && le64toh(orp.pool_free) == 48 * MiB,
	   "OPEN creates a region (status %d)", ret);

	ret = cl_read(fd, 0, buf, 4096);
	good = true;
	for (int i = 0; i < 4096; i++)
		good &= buf[i] == 0;
	ok(ret == 0 && good, "a new region reads as zeroes");

	fill(buf, 4096, 1, 8192);
	ret = cl_write(fd, 8192, buf, 4096);
	memset(buf, 0, 4096);
	ok(ret == 0 && cl_read(fd, 8192, buf, 4096) == 0 && check(buf, 4096, 1, 8192),
	   "WRITE then READ of a page returns the data");

	fill(big, RSWAP_MAX_PAYLOAD, 2, 0);
	ret = cl_write(fd, 16 * MiB - RSWAP_MAX_PAYLOAD, big, RSWAP_MAX_PAYLOAD);
	memset(big, 0, RSWAP_MAX_PAYLOAD);
	ok(ret == 0 && cl_read(fd, 16 * MiB - RSWAP_MAX_PAYLOAD, big, RSWAP_MAX_PAYLOAD) == 0 &&
	   check(big, RSWAP_MAX_PAYLOAD, 2, 0),
	   "a max-payload WRITE/READ at the region's end round-trips");

	fill(buf, 77, 3, 5);
	ret = cl_write(fd, 12345, buf, 77);
	memset(buf, 0, 77);
	ok(ret == 0 && cl_read(fd, 12345, buf, 77) == 0 && check(buf, 77, 3, 5),
	   "byte-granular unaligned WRITE/READ");

	ret = cl_call(fd, RSWAP_OP_READ, 0, 0, 0, NULL, 0, NULL, 0, &rp);
	ok(ret == 0 && rp.length == 0, "a READ of length 0 succeeds with no payload");

	/* Checksums */
	ret = cl_call(fd, RSWAP_OP_READ, RSWAP_F_CSUM, 8192, 4096, NULL, 0, buf, 4096, &rp);
	ok(ret == 0 && (le16toh(rp.flags) & RSWAP_F_CSUM) &&
	   le32toh(rp.csum) == crc32c(buf, 4096) && check(buf, 4096, 1, 8192),
	   "READ with RSWAP_F_CSUM: the reply carries the payload's CRC-32C");
	ret = cl_call(fd, RSWAP_OP_READ, 0, 8192, 4096, NULL, 0, buf, 4096, &rp);
	ok(ret == 0 && !(le16toh(rp.flags) & RSWAP_F_CSUM) && rp.csum == 0,
	   "READ without RSWAP_F_CSUM: no checksum");
	{
		struct rswap_reply r2;
		uint64_t h = 77;

		fill(buf, 4096, 4, 0);
		cl_send_req(fd, RSWAP_OP_WRITE, RSWAP_F_CSUM, h, 0, 4096,
			    crc32c(buf, 4096), buf, 4096);
		ret = cl_recv_reply(fd, &r2, NULL, 0);
		ok(ret == 0 && r2.status == 0 && le64toh(r2.handle) == h &&
		   cl_read(fd, 0, buf, 4096) == 0 && check(buf, 4096, 4, 0),
		   "WRITE with a right checksum is stored");
		fill(buf, 4096, 5, 0);
		cl_send_req(fd, RSWAP_OP_WRITE, RSWAP_F_CSUM, h + 1, 0, 4096,
			    crc32c(buf, 4096) ^ 1, buf, 4096);
		ret = cl_recv_reply(fd, &r2, NULL, 0);
		ok(ret == 0 && (int32_t)le32toh(r2.status) == RSWAP_EBADMSG &&
		   r2.length == 0,
		   "WRITE with a wrong checksum fails with EBADMSG (status %d)",
		   (int32_t)le32toh(r2.status));
		ok(cl_read(fd, 0, buf, 4096) == 0 && check(buf, 4096, 4, 0),
		   "... and leaves the region unchanged");
	}

	/* Pipelining: several requests in flight, replies matched by handle */
	{
		bool all = true;

		for (int i = 0; i < 16; i++) {
			fill(buf, 4096, 100 + (uint32_t)i, 0);
			all &= cl_send_req(fd, RSWAP_OP_WRITE, 0, 1000 + (uint64_t)i,
					   (uint64_t)i * 4096, 4096, 0, buf, 4096) == 0;
		}
		for (int i = 0; i < 16; i++)
			all &= cl_send_req(fd, RSWAP_OP_READ, 0, 2000 + (uint64_t)i,
					   (uint64_t)i * 4096, 4096, 0, NULL, 0) == 0;
		for (int i = 0; i < 16; i++) {
			all &= cl_recv_reply(fd, &rp, NULL, 0) == 0 &&
			       le64toh(rp.handle) == 1000 + (uint64_t)i && rp.status == 0;
		}
		for (int i = 0; i < 16; i++) {
			all &= cl_recv_reply(fd, &rp, buf, 4096) == 0 &&
			       le64toh(rp.handle) == 2000 + (uint64_t)i && rp.status == 0 &&
			       check(buf, 4096, 100 + (uint32_t)i, 0);
		}
		ok(all, "32 pipelined requests: every reply has its handle and data");
	}

	/* DISCARD, FLUSH */
	fill(buf, 8192, 6, 0);
	cl_write(fd, 65536, buf, 8192);
	ret = cl_call(fd, RSWAP_OP_DISCARD, 0, 65536 + 4096, 4096, NULL, 0, NULL, 0, NULL);
	good = cl_read(fd, 65536, buf, 8192) == 0 && check(buf, 4096, 6, 0);
	for (int i = 4096; i < 8192; i++)
		good &= buf[i] == 0;
	ok(ret == 0 && good, "DISCARD zeroes exactly its range");
	ret = cl_call(fd, RSWAP_OP_FLUSH, 0, 0, 0, NULL, 0, NULL, 0, NULL);
	ok(ret == 0, "FLUSH succeeds");

	/* STATS */
	ret = cl_stats(fd, &st);
	ok(ret == 0 && le64toh(st.pool_size) == 64 * MiB && le64toh(st.pool_used) == 16 * MiB &&
	   le64toh(st.regions) == 1 && le64toh(st.clients) == 1 &&
	   le64toh(st.region_size) == 16 * MiB && le64toh(st.region_clients) == 1 &&
	   le64toh(st.bytes_written) >= RSWAP_MAX_PAYLOAD + 4096 &&
	   le64toh(st.bytes_read) >= RSWAP_MAX_PAYLOAD + 4096 &&
	   le64toh(st.requests) > 40 && le64toh(st.errors) == 1,
	   "STATS: pool, region, clients, bytes, requests, errors");

	/* Reconnect: same name, same data */
	ret = cl_call(fd, RSWAP_OP_CLOSE, 0, 0, 0, NULL, 0, NULL, 0, NULL);
	ok(ret == 0 && cl_closed(fd), "CLOSE: a reply, then the server closes");
	close(fd);
	fd = cl_connect(s.port);
	ret = cl_open(fd, "a", 16 * MiB, &orp);
	ok(ret == 0 && !(le32toh(orp.flags) & RSWAP_OPEN_NEW), "reopen by name attaches (not new)");
	ok(cl_read(fd, 8192, buf, 4096) == 0 && check(buf, 4096, 102, 0),
	   "... and reads the data written before the reconnect");
	close(fd);
	fd = cl_connect(s.port);
	ret = cl_open(fd, "a", 0, &orp);
	ok(ret == 0 && le64toh(orp.size) == 16 * MiB, "OPEN with size 0 attaches to an existing region");
	ret = cl_open(fd, "a", 0, &orp);
	ok(ret == RSWAP_EINVAL, "a second OPEN on one connection: EINVAL (%d)", ret);
	close(fd);
	fd = cl_connect(s.port);
	ret = cl_open(fd, "a", 8 * MiB, NULL);
	ok(ret == RSWAP_EEXIST, "reopen with another size: EEXIST (%d)", ret);
	ret = cl_open(fd, "nothere", 0, NULL);
	ok(ret == RSWAP_ENOENT, "OPEN with size 0 of an unknown name: ENOENT (%d)", ret);
	close(fd);

	/* Size limits */
	fd = cl_connect(s.port);
	ret = cl_open(fd, "huge", 128 * MiB, NULL);
	ok(ret == RSWAP_ENOSPC, "a region larger than the pool: ENOSPC (%d)", ret);
	ret = cl_open(fd, "b", 49 * MiB, NULL);
	ok(ret == RSWAP_ENOSPC, "a region larger than the free part: ENOSPC (%d)", ret);
	ret = cl_open(fd, "b", 48 * MiB, NULL);
	ok(ret == 0, "a region of exactly the free part fits");
	fd2 = cl_connect(s.port);
	ret = cl_open(fd2, "c", 4096, NULL);
	ok(ret == RSWAP_ENOSPC, "the pool is full: ENOSPC (%d)", ret);

	/* CLOSE with RSWAP_F_FREE frees the region after its last user */
	fill(buf, 4096, 7, 0);
	cl_write(fd, 0, buf, 4096);
	ret = cl_call(fd, RSWAP_OP_CLOSE, RSWAP_F_FREE, 0, 0, NULL, 0, NULL, 0, NULL);
	ok(ret == 0 && cl_closed(fd), "CLOSE with RSWAP_F_FREE");
	close(fd);
	usleep(100000);
	ret = cl_stats(fd2, &st);
	ok(ret == 0 && le64toh(st.pool_used) == 16 * MiB && le64toh(st.regions) == 1,
	   "... the region's memory went back to the pool");
	ret = cl_open(fd2, "b", 48 * MiB, &orp);
	good = ret == 0 && (le32toh(orp.flags) & RSWAP_OPEN_NEW) && cl_read(fd2, 0, buf, 4096) == 0;
	for (int i = 0; i < 4096; i++)
		good &= buf[i] == 0;
	ok(good, "a region created in freed memory reads as zeroes");
	close(fd2);

	ok(srv_alive(&s), "the server is still running");
	ret = srv_stop(&s, SIGTERM);
	ok(ret == 0, "SIGTERM: exit status 0 (%d)", ret);
	if (done_testing())
		srv_dump_log(&s);
	return done_testing();
}
