// SPDX-License-Identifier: GPL-2.0
/* A small bounded fuzz of rmemd: connections sending random frames (half
 * of them near-valid headers with random fields, half raw garbage).  After
 * every batch a fresh connection must get a correct answer from a region
 * the fuzz never opens, and the server must stay up.  Bounded by count
 * (FUZZ_ROUNDS) and time (20 s). */
#include "rt.h"

#include <endian.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef FUZZ_ROUNDS
#define FUZZ_ROUNDS 1500
#endif
#define MiB (1024u * 1024u)

static uint64_t rng = 0x243F6A8885A308D3ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pick_offset(void)
{
	static const uint64_t edges[] = {
		0, 1, 4095, 4096, 2 * MiB - 4096, 2 * MiB - 1, 2 * MiB, 2 * MiB + 1,
		1ull << 32, 1ull << 63, ~0ull, ~0ull - 4095,
	};
	if (rnd() % 2)
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	return rnd() % (4 * MiB);
}

static uint32_t pick_length(void)
{
	static const uint32_t edges[] = {
		0, 1, 512, 4096, 65536, RSWAP_MAX_PAYLOAD - 1, RSWAP_MAX_PAYLOAD,
		RSWAP_MAX_PAYLOAD + 1, 0x7fffffff, 0xffffffff,
	};
	if (rnd() % 2)
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	return (uint32_t)(rnd() % 16384);
}

/* Read and drop whatever the server sends for a moment. */
static void drain(int fd, int ms)
{
	static char sink[65536];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, ms) > 0) {
		ssize_t n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT);

		if (n <= 0)
			break;
	}
}

static void fuzz_conn(int port)
{
	static unsigned char payload[2 * 65536];
	int fd = cl_connect(port);
	int frames = 1 + (int)(rnd() % 8);

	if (fd < 0)
		return;
	if (rnd() % 2) {
		struct rswap_open op = { .size = htole64(2 * MiB) };

		strcpy(op.name, "fz");
		cl_send_req(fd, RSWAP_OP_OPEN, 0, 1, 0, sizeof(op), 0, &op, sizeof(op));
	}
	for (int i = 0; i < frames; i++) {
		struct rswap_req rq;
		size_t plen;

		if (rnd() % 2) {
			/* near-valid header */
			rq.magic = htole32(rnd() % 8 ? RSWAP_REQ_MAGIC : (uint32_t)rnd());
			rq.version = rnd() % 8 ? RSWAP_VERSION : (uint8_t)rnd();
			rq.op = (uint8_t)(rnd() % 10);
			rq.flags = htole16(rnd() % 4 ? (uint16_t)(rnd() % 4) : (uint16_t)rnd());
			rq.handle = rnd();
			rq.offset = htole64(pick_offset());
			rq.length = htole32(pick_length());
			rq.csum = (uint32_t)rnd();
			if (rq.op == RSWAP_OP_OPEN && rnd() % 2) {
				struct rswap_open *op = (void *)payload;

				memset(op, 0, sizeof(*op));
				op->size = htole64(rnd() % 4 ? (rnd() % 1024) * 4096 : rnd());
				for (int k = 0; k < 1 + (int)(rnd() % 8); k++)
					op->name[k] = (char)("ab.-_/\0\xff"[rnd() % 8]);
				rq.length = htole32(rnd() % 4 ? RSWAP_OPEN_SIZE : (uint32_t)(rnd() % 200));
			} else {
				for (size_t k = 0; k < sizeof(payload); k += 8) {
					uint64_t v = rnd();

					memcpy(payload + k, &v, 8);
				}
			}
			cl_send(fd, &rq, sizeof(rq));
			/* Usually the announced payload, sometimes less or more. */
			plen = le32toh(rq.length);
			if (rnd() % 4 == 0)
				plen = rnd() % 300;
			if (plen > sizeof(payload))
				plen = sizeof(payload);
			if (rq.op == RSWAP_OP_WRITE || rq.op == RSWAP_OP_OPEN || rnd() % 8 == 0)
				cl_send(fd, payload, plen);
		} else {
			/* garbage */
			size_t n = rnd() % 200;

			for (size_t k = 0; k < n; k++)
				payload[k] = (unsigned char)rnd();
			cl_send(fd, payload, n);
		}
		if (rnd() % 2)
			drain(fd, 1);
	}
	drain(fd, 5);
	close(fd);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	static unsigned char buf[8192];
	struct rswap_stats st;
	struct srv s;
	double t0;
	int fd, ret, rounds = 0, checks = 0, good_checks = 0;

	plan(6);
	signal(SIGPIPE, SIG_IGN);
	if (srv_start(&s, "16M", NULL)) {
		ok(false, "rmemd starts");
		return done_testing();
	}
	ok(true, "rmemd starts");
	fd = cl_connect(s.port);
	fill(buf, 8192, 77, 0);
	ok(fd >= 0 && cl_open(fd, "keep", 64 * 1024, NULL) == 0 &&
	   cl_write(fd, 0, buf, 8192) == 0, "set-up: region 'keep' written");
	close(fd);

	t0 = now();
	while (rounds < FUZZ_ROUNDS && now() - t0 < 20) {
		fuzz_conn(s.port);
		rounds++;
		if (rounds % 20 == 0) {
			checks++;
			fd = cl_connect(s.port);
			memset(buf, 0, sizeof(buf));
			if (fd >= 0 && cl_open(fd, "keep", 0, NULL) == 0 &&
			    cl_read(fd, 0, buf, 8192) == 0 && check(buf, 8192, 77, 0))
				good_checks++;
			else
				diag("check after round %d failed", rounds);
			if (fd >= 0)
				close(fd);
		}
		if (!srv_alive(&s))
			break;
	}
	diag("%d fuzz connections in %.1f s", rounds, now() - t0);
	ok(srv_alive(&s) && rounds >= 100, "the server survived %d fuzz connections", rounds);
	ok(checks > 0 && good_checks == checks,
	   "a good request after every batch was answered correctly (%d/%d)", good_checks, checks);
	usleep(200000);
	fd = cl_connect(s.port);
	ret = cl_stats(fd, &st);
	ok(ret == 0 && le64toh(st.clients) == 1 && le64toh(st.requests) > 0,
	   "STATS works after the fuzz; only this client is left (clients %llu, errors %llu)",
	   (unsigned long long)le64toh(st.clients), (unsigned long long)le64toh(st.errors));
	close(fd);
	ret = srv_stop(&s, SIGTERM);
	ok(ret == 0, "SIGTERM: exit status 0 (%d)", ret);
	if (done_testing())
		srv_dump_log(&s);
	return done_testing();
}
