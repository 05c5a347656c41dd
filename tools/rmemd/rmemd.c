// SPDX-License-Identifier: GPL-2.0
/*
 * rmemd: Anker's memory server.  Serves a pool of its own memory to rswap
 * clients (the kernel's /dev/rswapN, or anything speaking the protocol of
 * <linux/anker_rswap.h>) over TCP: regions by name, one thread per
 * connection.  See Documentation/anker/rmemd.rst.
 */
#include "rmemd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
"usage: rmemd --size SIZE [options]\n"
"Serve SIZE bytes of this machine's memory to rswap clients over TCP.\n"
"\n"
"  -s, --size SIZE          pool size; suffixes K, M, G, T (powers of 1024)\n"
"  -l, --listen ADDR[:PORT] address to listen on (default 127.0.0.1:%d);\n"
"                           PORT 0 picks a free port (see --port-file).\n"
"                           Anyone who can reach it can read and write the\n"
"                           pool: bind to a trusted interface only.\n"
"  -c, --max-clients N      connections at once (default 64); more are refused\n"
"      --port-file FILE     write the bound port to FILE once listening\n"
"      --pid-file FILE      write the process id to FILE\n"
"      --stats-file FILE    write the counters to FILE every --stats-interval,\n"
"                           on SIGUSR1 and at exit\n"
"  -i, --stats-interval S   print the counters every S seconds (default 0: off)\n"
"      --hugepages MODE     auto (hugetlb, else THP), hugetlb (required), thp, off\n"
"      --mlock MODE         auto (try, warn if not allowed), on (required), off\n"
"  -f, --foreground         stay in the foreground (the default)\n"
"  -d, --daemon             detach after the pool is ready and the port is bound\n"
"      --log-file FILE      append the log to FILE instead of stderr\n"
"  -h, --help               this text\n"
"  -V, --version            the protocol version\n"
"\n"
"SIGTERM or SIGINT: close all connections and exit 0.  SIGUSR1: print the\n"
"counters.  Exit status: 0 after a signal, 1 on a runtime error (cannot\n"
"listen, cannot get the memory), 2 on a usage error.\n";

static struct server srv;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conns_cond = PTHREAD_COND_INITIALIZER;

struct conn_node {
	struct rmemd_conn *c;
	struct conn_node *next, *prev;
};
static struct conn_node conns = { NULL, &conns, &conns };
static int nconns;

void rmemd_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "rmemd: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	/* One write per line so lines of several threads do not mix. */
	if (write(STDERR_FILENO, line, strlen(line)) < 0) {
		/* nowhere to report it */
	}
}

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "rmemd: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'rmemd --help'.\n");
	exit(2);
}

/* "64M" -> 67108864; 0 on a malformed or overflowing size. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!*s || *s == '-')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if ((*end == 'b' || *end == 'B') && shift)
		end++;
	if (*end)
		return 0;
	if (shift && v > (UINT64_MAX >> shift))
		return 0;
	return (uint64_t)v << shift;
}

static long parse_long(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < min || v > max) {
		char msg[128];

		snprintf(msg, sizeof(msg), "bad %s '%%s' (want %ld..%ld)", what, min, max);
		usage_error(msg, s);
	}
	return v;
}

/* Write a small file atomically (FILE.tmp then rename). */
static int write_file(const char *path, const char *text)
{
	char tmp[4096];
	int fd, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void format_stats(char *buf, size_t len, bool oneline)
{
	struct rmemd_stats *g = &srv.stats;
	uint64_t used, nreg;

	pool_counts(&srv.pool, &used, &nreg);
	snprintf(buf, len,
		 oneline ?
		 "stats: pool_size %llu pool_used %llu regions %llu clients %llu "
		 "connections %llu requests %llu errors %llu bytes_read %llu bytes_written %llu" :
		 "pool_size %llu\npool_used %llu\nregions %llu\nclients %llu\n"
		 "connections %llu\nrequests %llu\nerrors %llu\nbytes_read %llu\nbytes_written %llu\n",
		 (unsigned long long)srv.pool.size, (unsigned long long)used,
		 (unsigned long long)nreg,
		 (unsigned long long)atomic_load(&g->clients),
		 (unsigned long long)atomic_load(&g->connections),
		 (unsigned long long)atomic_load(&g->requests),
		 (unsigned long long)atomic_load(&g->errors),
		 (unsigned long long)atomic_load(&g->bytes_read),
		 (unsigned long long)atomic_load(&g->bytes_written));
}

static void report_stats(const char *stats_file, bool print)
{
	char buf[1024];

	if (print) {
		format_stats(buf, sizeof(buf), true);
		rmemd_log("%s", buf);
	}
	if (stats_file) {
		format_stats(buf, sizeof(buf), false);
		if (write_file(stats_file, buf))
			rmemd_log("cannot write %s: %s", stats_file, strerror(errno));
	}
}

static void *conn_thread(void *arg)
{
	struct conn_node *n = arg;

	server_conn_run(&srv, n->c);
	pthread_mutex_lock(&conns_lock);
	n->prev->next = n->next;
	n->next->prev = n->prev;
	nconns--;
	atomic_fetch_sub(&srv.stats.clients, 1);
	pthread_cond_broadcast(&conns_cond);
	pthread_mutex_unlock(&conns_lock);
	n->c->ops->close(n->c);
	free(n);
	return NULL;
}

static void accept_one(struct rmemd_listener *l)
{
	struct rmemd_conn *c = l->ops->accept(l);
	struct conn_node *n;
	pthread_attr_t attr;
	pthread_t tid;
	int err;

	if (!c) {
		/* Out of file descriptors: do not spin on the readable socket. */
		if (errno == EMFILE || errno == ENFILE || errno == ENOMEM) {
			rmemd_log("accept: %s", strerror(errno));
			usleep(100000);
		}
		return;
	}
	atomic_fetch_add(&srv.stats.connections, 1);
	pthread_mutex_lock(&conns_lock);
	if (nconns >= srv.max_clients) {
		pthread_mutex_unlock(&conns_lock);
		rmemd_log("%s: refused: %d clients already (--max-clients)", c->peer, srv.max_clients);
		server_conn_refuse(c);
		c->ops->close(c);
		return;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		pthread_mutex_unlock(&conns_lock);
		rmemd_log("%s: refused: out of memory", c->peer);
		c->ops->close(c);
		return;
	}
	n->c = c;
	n->next = &conns;
	n->prev = conns.prev;
	conns.prev->next = n;
	conns.prev = n;
	nconns++;
	atomic_fetch_add(&srv.stats.clients, 1);
	rmemd_log("%s: connect (%d clients)", c->peer, nconns);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 << 10);
	err = pthread_create(&tid, &attr, conn_thread, n);
	pthread_attr_destroy(&attr);
	if (err) {
		n->prev->next = n->next;
		n->next->prev = n->prev;
		nconns--;
		atomic_fetch_sub(&srv.stats.clients, 1);
		pthread_mutex_unlock(&conns_lock);
		rmemd_log("%s: refused: cannot start a thread: %s", c->peer, strerror(err));
		c->ops->close(c);
		free(n);
		return;
	}
	pthread_mutex_unlock(&conns_lock);
}

/* Shut every connection down and wait (bounded) for their threads. */
static void close_all(void)
{
	struct timespec until;

	pthread_mutex_lock(&conns_lock);
	for (struct conn_node *n = conns.next; n != &conns; n = n->next)
		n->c->ops->shutdown(n->c);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	while (nconns > 0) {
		if (pthread_cond_timedwait(&conns_cond, &conns_lock, &until) == ETIMEDOUT) {
			rmemd_log("%d connections did not end in 10 s", nconns);
			break;
		}
	}
	pthread_mutex_unlock(&conns_lock);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "max-clients", required_argument, NULL, 'c' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "stats-file", required_argument, NULL, 'S' },
		{ "stats-interval", required_argument, NULL, 'i' },
		{ "hugepages", required_argument, NULL, 'H' },
		{ "mlock", required_argument, NULL, 'M' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *listen_spec = "127.0.0.1", *port_file = NULL, *pid_file = NULL;
	const char *stats_file = NULL, *log_file = NULL;
	enum pool_backing backing = POOL_AUTO;
	enum pool_lock lock = LOCK_AUTO;
	long interval = 0;
	bool daemonize = false;
	uint64_t size = 0;
	struct rmemd_listener *l;
	char err[256], text[64];
	sigset_t sigs;
	int sfd, o;

	srv.max_clients = 64;
	while ((o = getopt_long(argc, argv, "s:l:c:i:fdhV", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			size = parse_size(optarg);
			if (!size || size % RSWAP_SIZE_ALIGN)
				usage_error("bad size '%s' (want a multiple of 4K, e.g. 512M or 8G)", optarg);
			break;
		case 'l': listen_spec = optarg; break;
		case 'c':
			srv.max_clients = (int)parse_long(optarg, "--max-clients", 1, 100000);
			break;
		case 'P': port_file = optarg; break;
		case 'p': pid_file = optarg; break;
		case 'S': stats_file = optarg; break;
		case 'i':
			interval = parse_long(optarg, "--stats-interval", 0, 86400);
			break;
		case 'H':
			if (!strcmp(optarg, "auto")) backing = POOL_AUTO;
			else if (!strcmp(optarg, "hugetlb")) backing = POOL_HUGETLB;
			else if (!strcmp(optarg, "thp")) backing = POOL_THP;
			else if (!strcmp(optarg, "off")) backing = POOL_PLAIN;
			else usage_error("bad --hugepages '%s' (want auto, hugetlb, thp or off)", optarg);
			break;
		case 'M':
			if (!strcmp(optarg, "auto")) lock = LOCK_AUTO;
			else if (!strcmp(optarg, "on")) lock = LOCK_ON;
			else if (!strcmp(optarg, "off")) lock = LOCK_OFF;
			else usage_error("bad --mlock '%s' (want auto, on or off)", optarg);
			break;
		case 'f': daemonize = false; break;
		case 'd': daemonize = true; break;
		case 'L': log_file = optarg; break;
		case 'h':
			printf(usage_text, RSWAP_DEFAULT_PORT);
			return 0;
		case 'V':
			printf("rmemd (Anker rswap protocol version %d, max payload %d bytes)\n",
			       RSWAP_VERSION, RSWAP_MAX_PAYLOAD);
			return 0;
		default:
			fprintf(stderr, "Try 'rmemd --help'.\n");
			return 2;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!size)
		usage_error("%s--size is required", "");

	if (log_file) {
		int fd = open(log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd < 0) {
			fprintf(stderr, "rmemd: cannot open %s: %s\n", log_file, strerror(errno));
			return 1;
		}
		dup2(fd, STDERR_FILENO);
		close(fd);
	}

	/* The signals are taken by signalfd in the main loop only. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		rmemd_log("signalfd: %s", strerror(errno));
		return 1;
	}

	l = rmemd_tcp_listen(listen_spec, RSWAP_DEFAULT_PORT, err, sizeof(err));
	if (!l) {
		rmemd_log("%s", err);
		return 1;
	}
	if (pool_init(&srv.pool, size, backing, lock))
		return 1;

	if (daemonize) {
		pid_t pid = fork();

		if (pid < 0) {
			rmemd_log("fork: %s", strerror(errno));
			return 1;
		}
		if (pid > 0)
			_exit(0);
		setsid();
		int nul = open("/dev/null", O_RDWR);

		if (nul >= 0) {
			dup2(nul, STDIN_FILENO);
			dup2(nul, STDOUT_FILENO);
			if (!log_file)
				dup2(nul, STDERR_FILENO);
			close(nul);
		}
	}
	if (pid_file) {
		snprintf(text, sizeof(text), "%d\n", (int)getpid());
		if (write_file(pid_file, text)) {
			rmemd_log("cannot write %s: %s", pid_file, strerror(errno));
			return 1;
		}
	}
	if (port_file) {
		snprintf(text, sizeof(text), "%d\n", l->port);
		if (write_file(port_file, text)) {
			rmemd_log("cannot write %s: %s", port_file, strerror(errno));
			return 1;
		}
	}
	rmemd_log("listening on %s; pool %llu MiB (%s%s), max %d clients, protocol v%d",
		  l->addr, (unsigned long long)(size >> 20), srv.pool.backing,
		  srv.pool.locked ? ", mlocked" : ", not locked", srv.max_clients,
		  RSWAP_VERSION);

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = l->fd, .events = POLLIN },
		};
		int n = poll(pfd, 2, interval ? (int)interval * 1000 : -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rmemd_log("poll: %s", strerror(errno));
			break;
		}
		if (n == 0) {
			report_stats(stats_file, true);
			continue;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGUSR1) {
					report_stats(stats_file, true);
				} else if (si.ssi_signo != SIGHUP) {
					rmemd_log("%s: closing %d connections and exiting",
						  strsignal((int)si.ssi_signo), nconns);
					break;
				}
			}
		}
		if (pfd[1].revents & POLLIN)
			accept_one(l);
	}
	l->ops->close(l);
	close_all();
	report_stats(stats_file, true);
	if (port_file)
		unlink(port_file);
	if (pid_file)
		unlink(pid_file);
	/* Only free the pool once every thread is gone. */
	pthread_mutex_lock(&conns_lock);
	if (nconns == 0)
		pool_destroy(&srv.pool);
	pthread_mutex_unlock(&conns_lock);
	return 0;
}
