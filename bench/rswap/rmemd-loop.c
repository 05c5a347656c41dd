// SPDX-License-Identifier: GPL-2.0
/*
 * rmemd-loop: rmemd's own throughput over loopback, without a kernel
 * client: C connections to one region, each keeping D requests of B bytes
 * in flight (READ with RSWAP_F_CSUM, or WRITE), for S seconds.
 *   rmemd-loop [HOST:]PORT read|write [B=4096] [C=2] [D=32] [S=3]
 * (HOST: an IPv4 address, default 127.0.0.1; the guest of bench/rswap
 * runs it against 10.0.2.2 to measure its network alone.)
 * Prints requests/s, MiB/s and the mean time from a request to its reply.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/anker_rswap.h>

static struct in_addr host = { .s_addr = 0x0100007f };	/* 127.0.0.1 */
static int port, bsize = 4096, conns = 2, depth = 32, secs = 3, writing;
static volatile int stop;
static unsigned long long done_reqs;
static double lat_sum;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int io(int fd, void *buf, size_t len, int rd)
{
	char *p = buf;

	while (len) {
		ssize_t n = rd ? recv(fd, p, len, 0) : send(fd, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int request(int fd, int op, uint64_t h, uint64_t off, uint32_t len, void *data)
{
	struct rswap_req rq = {
		.magic = htole32(RSWAP_REQ_MAGIC), .version = RSWAP_VERSION, .op = (uint8_t)op,
		.flags = htole16(op == RSWAP_OP_READ ? RSWAP_F_CSUM : 0),
		.handle = htole64(h), .offset = htole64(off), .length = htole32(len),
	};
	if (io(fd, &rq, sizeof(rq), 0))
		return -1;
	return op == RSWAP_OP_WRITE || op == RSWAP_OP_OPEN ? io(fd, data, len, 0) : 0;
}

static int reply(int fd, void *buf)
{
	struct rswap_reply rp;

	if (io(fd, &rp, sizeof(rp), 1) || rp.status)
		return -1;
	return rp.length ? io(fd, buf, le32toh(rp.length), 1) : 0;
}

static void *worker(void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr = host };
	struct rswap_open op = { .size = htole64(64 << 20) };
	unsigned long long n = 0, h = 0;
	double *sent = calloc((size_t)depth, sizeof(*sent)), lat = 0;
	char *buf = calloc(1, RSWAP_MAX_PAYLOAD);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
	uint64_t slots = (64u << 20) / (uint64_t)bsize;

	strcpy(op.name, "loop");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    request(fd, RSWAP_OP_OPEN, 0, 0, sizeof(op), &op) || reply(fd, buf)) {
		fprintf(stderr, "rmemd-loop: cannot open the region\n");
		exit(1);
	}
	for (int i = 0; i < depth; i++, h++) {
		sent[h % (unsigned)depth] = now();
		request(fd, writing ? RSWAP_OP_WRITE : RSWAP_OP_READ, h,
			(h % slots) * (uint64_t)bsize, (uint32_t)bsize, buf);
	}
	while (!stop) {
		if (reply(fd, buf))
			break;
		lat += now() - sent[n % (unsigned)depth];	/* replies come in order */
		n++;
		sent[h % (unsigned)depth] = now();
		request(fd, writing ? RSWAP_OP_WRITE : RSWAP_OP_READ, h,
			(h % slots) * (uint64_t)bsize, (uint32_t)bsize, buf);
		h++;
	}
	pthread_mutex_lock(&lock);
	done_reqs += n;
	lat_sum += lat;
	pthread_mutex_unlock(&lock);
	close(fd);
	free(buf);
	free(sent);
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t[64];

	if (argc < 3) {
		fprintf(stderr, "usage: rmemd-loop PORT read|write [BYTES] [CONNS] [DEPTH] [SECS]\n");
		return 2;
	}
	if (strchr(argv[1], ':')) {
		char h[64];

		snprintf(h, sizeof(h), "%.*s", (int)(strchr(argv[1], ':') - argv[1]), argv[1]);
		if (inet_pton(AF_INET, h, &host) != 1)
			return 2;
		port = atoi(strchr(argv[1], ':') + 1);
	} else {
		port = atoi(argv[1]);
	}
	writing = !strcmp(argv[2], "write");
	if (argc > 3) bsize = atoi(argv[3]);
	if (argc > 4) conns = atoi(argv[4]);
	if (argc > 5) depth = atoi(argv[5]);
	if (argc > 6) secs = atoi(argv[6]);
	if (conns < 1 || conns > 64 || bsize < 1 || bsize > RSWAP_MAX_PAYLOAD || depth < 1)
		return 2;
	for (int i = 0; i < conns; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	sleep((unsigned int)secs);
	stop = 1;
	for (int i = 0; i < conns; i++)
		pthread_join(t[i], NULL);
	printf("%s %d B x %d conns x depth %d: %.0f requests/s, %.1f MiB/s, %.0f us per request\n",
	       writing ? "write" : "read", bsize, conns, depth, (double)done_reqs / secs,
	       (double)done_reqs * bsize / secs / 1048576.0,
	       done_reqs ? lat_sum / (double)done_reqs * 1e6 : 0.0);
	return 0;
}
