// SPDX-License-Identifier: GPL-2.0
/* rmemd with several clients: separate regions, several connections on one
 * region at once (as the kernel client opens one per hardware queue),
 * reconnecting, the client limit, clients that vanish mid-request. */
#include "rt.h"

#include <endian.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MiB (1024u * 1024u)
#define NTHREADS 4
#define PAGES 256		/* per thread region / shared stripes */

static struct srv s;

struct job {
	int id;
	bool ok;
	int fd;
	pthread_barrier_t *bar;
};

/* Each thread: its own region, written and read back. */
static void *own_region(void *arg)
{
	struct job *j = arg;
	unsigned char buf[4096];
	char name[32];
	int fd = cl_connect(s.port);

	snprintf(name, sizeof(name), "own%d", j->id);
	j->ok = fd >= 0 && cl_open(fd, name, PAGES * 4096, NULL) == 0;
	for (int p = 0; j->ok && p < PAGES; p++) {
		fill(buf, sizeof(buf), (uint32_t)j->id, (uint64_t)p * 4096);
		j->ok = cl_write(fd, (uint64_t)p * 4096, buf, sizeof(buf)) == 0;
	}
	for (int p = 0; j->ok && p < PAGES; p++)
		j->ok = cl_read(fd, (uint64_t)p * 4096, buf, sizeof(buf)) == 0 &&
			check(buf, sizeof(buf), (uint32_t)j->id, (uint64_t)p * 4096);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Each thread: a connection to "shared"; writes the pages p % NTHREADS ==
 * id, waits for the others, then reads and checks every page. */
static void *shared_region(void *arg)
{
	struct job *j = arg;
	unsigned char buf[4096];

	for (int p = j->id; j->ok && p < PAGES; p += NTHREADS) {
		fill(buf, sizeof(buf), 42, (uint64_t)p * 4096);
		j->ok = cl_write(j->fd, (uint64_t)p * 4096, buf, sizeof(buf)) == 0;
	}
	pthread_barrier_wait(j->bar);
	for (int p = 0; j->ok && p < PAGES; p++)
		j->ok = cl_read(j->fd, (uint64_t)p * 4096, buf, sizeof(buf)) == 0 &&
			check(buf, sizeof(buf), 42, (uint64_t)p * 4096);
	return NULL;
}

int main(void)
{
	struct job jobs[NTHREADS];
	pthread_t tids[NTHREADS];
	pthread_barrier_t bar;
	struct rswap_stats st;
	struct rswap_reply rp;
	static unsigned char buf[RSWAP_MAX_PAYLOAD];
	bool all;
	int fd, fds[3], ret;

	plan(13);
	if (srv_start(&s, "64M", NULL)) {
		ok(false, "rmemd starts");
		return done_testing();
	}
	ok(true, "rmemd starts");

	for (int i = 0; i < NTHREADS; i++) {
		jobs[i] = (struct job){ .id = i };
		pthread_create(&tids[i], NULL, own_region, &jobs[i]);
	}
	all = true;
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(tids[i], NULL);
		all &= jobs[i].ok;
	}
	ok(all, "%d clients at once, each with its own region, read back their data", NTHREADS);

	/* One region, NTHREADS connections at once */
	pthread_barrier_init(&bar, NULL, NTHREADS);
	all = true;
	for (int i = 0; i < NTHREADS; i++) {
		jobs[i] = (struct job){ .id = i, .bar = &bar, .fd = cl_connect(s.port) };
		jobs[i].ok = jobs[i].fd >= 0 && cl_open(jobs[i].fd, "shared", PAGES * 4096, NULL) == 0;
		all &= jobs[i].ok;
	}
	ok(all, "%d connections open the same region", NTHREADS);
	ret = cl_stats(jobs[0].fd, &st);
	ok(ret == 0 && le64toh(st.region_clients) == NTHREADS && le64toh(st.clients) == NTHREADS,
	   "STATS counts %d clients on the region", NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&tids[i], NULL, shared_region, &jobs[i]);
	all = true;
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(tids[i], NULL);
		all &= jobs[i].ok;
		close(jobs[i].fd);
	}
	pthread_barrier_destroy(&bar);
	ok(all, "concurrent writers on one region: every connection sees every write");

	/* Reconnect after everyone left */
	usleep(100000);
	fd = cl_connect(s.port);
	all = fd >= 0 && cl_open(fd, "shared", PAGES * 4096, NULL) == 0;
	for (int p = 0; all && p < PAGES; p++)
		all = cl_read(fd, (uint64_t)p * 4096, buf, 4096) == 0 &&
		      check(buf, 4096, 42, (uint64_t)p * 4096);
	ok(all, "a new connection after all closed sees the shared region's data");
	ret = cl_stats(fd, &st);
	ok(ret == 0 && le64toh(st.clients) == 1 && le64toh(st.regions) == NTHREADS + 1,
	   "STATS: 1 client now, %d regions", NTHREADS + 1);
	close(fd);

	/* Many short connections */
	all = true;
	for (int i = 0; i < 200 && all; i++) {
		fd = cl_connect(s.port);
		all = fd >= 0 && cl_open(fd, "own1", PAGES * 4096, NULL) == 0;
		if (fd >= 0)
			close(fd);
	}
	usleep(200000);
	fd = cl_connect(s.port);
	ret = cl_stats(fd, &st);
	ok(all && ret == 0 && le64toh(st.clients) == 1,
	   "200 connect/open/close cycles; then 1 client counted");

	/* A client that leaves with 64 MiB of replies unread */
	all = cl_open(fd, "own2", PAGES * 4096, NULL) == 0;
	for (int i = 0; all && i < 64; i++)
		all = cl_send_req(fd, RSWAP_OP_READ, 0, (uint64_t)i, 0, PAGES * 4096, 0, NULL, 0) == 0;
	close(fd);
	usleep(200000);
	fd = cl_connect(s.port);
	ok(all && fd >= 0 && cl_open(fd, "own2", PAGES * 4096, NULL) == 0 &&
	   cl_read(fd, 4096, buf, 4096) == 0 && check(buf, 4096, 2, 4096),
	   "a client leaving with 64 replies unread does not hurt the server");
	close(fd);
	ret = srv_stop(&s, SIGTERM);
	ok(ret == 0, "SIGTERM: exit status 0 (%d)", ret);
	if (ret)
		srv_dump_log(&s);

	/* The client limit */
	if (srv_start(&s, "8M", "--max-clients", "2", NULL)) {
		ok(false, "rmemd --max-clients 2 starts");
		return done_testing();
	}
	fds[0] = cl_connect(s.port);
	fds[1] = cl_connect(s.port);
	fds[2] = cl_connect(s.port);
	ret = cl_recv_reply(fds[2], &rp, NULL, 0);
	ok(ret == 0 && (int32_t)le32toh(rp.status) == RSWAP_EUSERS && rp.handle == 0 &&
	   cl_closed(fds[2]),
	   "--max-clients 2: the third connection gets EUSERS and is closed");
	close(fds[2]);
	ok(cl_open(fds[0], "a", MiB, NULL) == 0 && cl_open(fds[1], "a", MiB, NULL) == 0,
	   "... the first two are served");
	close(fds[0]);
	usleep(200000);
	fds[2] = cl_connect(s.port);
	ok(fds[2] >= 0 && cl_open(fds[2], "a", MiB, NULL) == 0,
	   "after one closed, a new connection is served");
	close(fds[1]);
	close(fds[2]);
	ret = srv_stop(&s, SIGTERM);
	if (ret)
		srv_dump_log(&s);
	return done_testing();
}
