/* SPDX-License-Identifier: GPL-2.0 */
/* Test helpers for rmemd: TAP output, starting and stopping the server on
 * a free loopback port, a small blocking protocol client. */
#ifndef RMEMD_RT_H
#define RMEMD_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/anker_rswap.h>

/* TAP */
void plan(int n);
void ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int done_testing(void);	/* exit status: 0 when every case passed */

/* A server on 127.0.0.1 with its own temporary directory. */
struct srv {
	pid_t pid;
	int port;
	char dir[128];
	char log[160];
};
/* Start rmemd (next to this program) with --size SIZE, --listen
 * 127.0.0.1:0 and the extra arguments (NULL-terminated).  0 or -1. */
int srv_start(struct srv *s, const char *size, ...);
/* Send SIG and wait (at most 10 s).  The exit status, 128+signal if it
 * died of one, -1 if it did not end (then it is killed). */
int srv_stop(struct srv *s, int sig);
/* Is the process still running? */
bool srv_alive(struct srv *s);
/* Print the server's log as TAP comments. */
void srv_dump_log(struct srv *s);
/* The rmemd binary's path. */
const char *rmemd_path(void);

/* Client: a blocking socket with 10 s timeouts.  -1 on error. */
int cl_connect(int port);
int cl_send(int fd, const void *buf, size_t len);
int cl_send_req(int fd, int op, int flags, uint64_t handle, uint64_t off,
		uint32_t len, uint32_t csum, const void *payload, size_t plen);
/* Read a reply header and its payload (at most max bytes into buf).
 * 0 or -1 (closed, timeout, bad magic). */
int cl_recv_reply(int fd, struct rswap_reply *rp, void *buf, size_t max);
/* One request, one reply; returns the reply status, or -1000 when the
 * connection failed.  For READ/STATS/OPEN the payload lands in out. */
int cl_call(int fd, int op, int flags, uint64_t off, uint32_t len,
	    const void *payload, size_t plen, void *out, size_t outmax,
	    struct rswap_reply *rp_out);
int cl_open(int fd, const char *name, uint64_t size, struct rswap_open_reply *orp);
int cl_write(int fd, uint64_t off, const void *buf, uint32_t len);
int cl_read(int fd, uint64_t off, void *buf, uint32_t len);
int cl_stats(int fd, struct rswap_stats *st);
/* Did the server close the connection (EOF within 5 s)? */
bool cl_closed(int fd);
#define CL_BROKEN (-1000)

/* Fill buf with a pattern of (seed, offset); check it. */
void fill(void *buf, size_t len, uint32_t seed, uint64_t off);
bool check(const void *buf, size_t len, uint32_t seed, uint64_t off);

#endif
