// SPDX-License-Identifier: GPL-2.0
/*
 * rswap failure behaviour.
 *
 * Server killed: a process whose pages are on /dev/rswapN (an rmemd the
 * host's rmemd-ctl runs for us, ANKER_RMEMD_KILL) gets SIGBUS when it
 * touches them after the server died; the device reports its death once
 * in the kernel log, fails I/O with EIO, and swapoff completes. After the
 * server is restarted (its memory is gone), connect makes a working
 * device again.
 *
 * Network broken: with the guest's NIC down, a read fails with EIO after
 * the device's timeout; with the network back, connect to the same region
 * (still on the live server) reconnects the same device and the data is
 * still there.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "rs.h"

static char dev[256], bdev[256], cg[512];

/* "TOKEN cmd" to rmemd-ctl on the host; 0 if it answered ok. */
static int rmemd_ctl(const char *cmd)
{
	const char *ctl = getenv("ANKER_RMEMD_CTL"), *tok = getenv("ANKER_RMEMD_TOKEN");
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char host[64], line[256], *colon;
	int fd, n;

	snprintf(host, sizeof(host), "%s", ctl);
	colon = strrchr(host, ':');
	if (!colon)
		return -1;
	*colon = 0;
	sa.sin_port = htons(atoi(colon + 1));
	inet_pton(AF_INET, host, &sa.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	snprintf(line, sizeof(line), "%s %s\n", tok, cmd);
	if (write(fd, line, strlen(line)) < 0)
		return -1;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	line[n > 0 ? n : 0] = 0;
	return strncmp(line, "ok", 2) ? -1 : 0;
}

static int dead_messages(const char *b)
{
	char out[64];

	rs_run(out, sizeof(out), "dmesg | grep -c '%s: .*the device is dead'", b);
	return atoi(out);
}

static void killed_server(const char *addr)
{
	int to[2] = { -1, -1 }, from[2] = { -1, -1 }, st, rc, fd, i, good = 1;
	char c, out[512], f[600], state[32], dev2[256];
	pid_t pid[2];
	long long w;
	double t;

	rc = rs_connect(dev, sizeof(dev), addr, "512M", "killtest", "--connections 2 --timeout 20");
	if (!rs_ok(rc == 0 && !strncmp(dev, "/dev/rswap", 10), "connect to the killable rmemd: %s", dev))
		return;
	snprintf(bdev, sizeof(bdev), "%s", dev + 5);
	rc = rs_run(out, sizeof(out), "mkswap %s 2>&1 && swapon -p 32767 %s 2>&1", dev, dev);
	rs_ok(rc == 0, "mkswap and swapon (%s)", out);
	rs_cgroup(cg, sizeof(cg), "rswap-fail", "64M");
	/* worker 0 touches its pages after the kill, worker 1 after swapoff */
	for (i = 0; i < 2; i++) {
		pid[i] = rs_worker(cg, 128, 7 + i, &to[i], &from[i]);
		if (pid[i] < 0 || read(from[i], &c, 1) != 1)
			good = 0;
	}
	snprintf(f, sizeof(f), "%s/memory.reclaim", cg);
	rs_write_file(f, "256M");
	w = rs_read_ll("/sys/block/%s/rswap/bytes_written", bdev);
	rs_ok(good && w >= 128 << 20, "two processes of 128 MiB in 64 MiB: %lld MiB on %s",
	      w >> 20, dev);

	rs_ok(rmemd_ctl("kill") == 0, "the host killed the server");
	t = rs_now();
	if (write(to[0], "G", 1) != 1)
		rs_diag("write to the worker failed");
	st = rs_wait(pid[0], 300);
	rs_ok(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS,
	      "touching its swapped-out pages: SIGBUS (status %#x after %.1f s)", st, rs_now() - t);
	rs_read_str(state, sizeof(state), "/sys/block/%s/rswap/state", bdev);
	rs_ok(!strcmp(state, "dead") && rs_read_ll("/sys/block/%s/rswap/errors", bdev) > 0,
	      "the device is dead (%s), errors counted", state);
	fd = open(dev, O_RDONLY | O_DIRECT);
	rc = -1;
	if (fd >= 0) {
		void *buf = NULL;

		if (!posix_memalign(&buf, 4096, 4096))
			rc = pread(fd, buf, 4096, 1 << 20) < 0 ? errno : 0;
		free(buf);
		close(fd);
	}
	rs_ok(rc == EIO, "a read of the dead device: EIO (got %s)", rc < 0 ? "no open" : strerror(rc));
	t = rs_now();
	rc = rs_run(out, sizeof(out), "timeout 300 swapoff %s 2>&1", dev);
	rs_ok(rc != 124, "swapoff of the dead device completes with a live process's pages on it "
	      "(status %d in %.1f s: %s)", rc, rs_now() - t, out);
	if (write(to[1], "G", 1) != 1)
		rs_diag("write to the worker failed");
	st = rs_wait(pid[1], 300);
	rs_ok(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS,
	      "the other process gets SIGBUS on its lost pages after swapoff (status %#x)", st);
	for (i = 0; i < 2; i++) {
		close(to[i]);
		close(from[i]);
	}
	rc = dead_messages(bdev);
	rs_ok(rc == 1, "the kernel log reports the death once (%d)", rc);
	rmdir(cg);
	rc = rs_run(out, sizeof(out), "anker-rswap disconnect %s 2>&1", dev);
	rs_ok(rc == 0, "disconnect the dead device (%s)", out);

	rs_ok(rmemd_ctl("start") == 0, "the host restarted the server");
	rc = rs_connect(dev2, sizeof(dev2), addr, "512M", "killtest", "--connections 2");
	rs_ok(rc == 0 && !strncmp(dev2, "/dev/rswap", 10), "connect to the restarted server: %s", dev2);
	rc = rs_run(out, sizeof(out),
		    "head -c 4M /dev/urandom >/tmp/rs.pat && dd if=/tmp/rs.pat of=%s bs=1M oflag=direct status=none && "
		    "dd if=%s bs=1M count=4 iflag=direct status=none | cmp - /tmp/rs.pat 2>&1", dev2, dev2);
	rs_ok(rc == 0, "it works: 4 MiB written and read back (%s)", out);
	rc = rs_run(out, sizeof(out), "anker-rswap disconnect %s 2>&1", dev2);
	rs_ok(rc == 0, "disconnect (%s)", out);
}

static int nic(const char *how)
{
	char out[256];

	return rs_run(out, sizeof(out),
		      "n=$(ls /sys/class/net | grep -v '^lo$' | head -n 1); ip link set \"$n\" %s && "
		      "{ [ %s = down ] || ip route replace default via 10.0.2.2 dev \"$n\"; }",
		      how, how);
}

static void broken_network(const char *addr)
{
	char out[512], state[32], dev2[256];
	void *buf = NULL, *pat = NULL;
	int rc, fd, i, e;
	double t;

	rc = rs_connect(dev, sizeof(dev), addr, "16M", "nettest", "--connections 1 --timeout 5");
	if (!rs_ok(rc == 0 && !strncmp(dev, "/dev/rswap", 10), "connect with --timeout 5: %s", dev))
		return;
	snprintf(bdev, sizeof(bdev), "%s", dev + 5);
	rs_ok(rs_read_ll("/sys/block/%s/rswap/timeout", bdev) == 5, "sysfs timeout is 5");
	if (posix_memalign(&buf, 4096, 1 << 20) || posix_memalign(&pat, 4096, 1 << 20))
		return;
	for (i = 0; i < (1 << 20) / 8; i++)
		((uint64_t *)pat)[i] = rs_word(42, i / 512, i % 512);
	fd = open(dev, O_RDWR | O_DIRECT);
	rc = pwrite(fd, pat, 1 << 20, 0) == 1 << 20;
	rs_ok(rc, "1 MiB pattern written");
	close(fd);

	rs_ok(nic("down") == 0, "the guest's NIC is down");
	fd = open(dev, O_RDONLY | O_DIRECT);
	t = rs_now();
	e = pread(fd, buf, 1 << 20, 0) < 0 ? errno : 0;
	t = rs_now() - t;
	close(fd);
	rs_ok(e == EIO && t < 60, "a read fails with EIO, bounded by the timeout (%s after %.1f s)",
	      strerror(e), t);
	rs_read_str(state, sizeof(state), "/sys/block/%s/rswap/state", bdev);
	rs_ok(!strcmp(state, "dead") && rs_read_ll("/sys/block/%s/rswap/timeouts", bdev) > 0,
	      "the device is dead (%s), the timeout counted", state);
	rs_ok(nic("up") == 0, "the NIC is up again");
	rc = rs_connect(dev2, sizeof(dev2), addr, "16M", "nettest", "--connections 1");
	rs_ok(rc == 0 && !strcmp(dev, dev2) &&
	      rs_read_ll("/sys/block/%s/rswap/reconnects", bdev) == 1,
	      "connect to the same region reconnects the same device (%s, reconnects %lld)",
	      dev2, rs_read_ll("/sys/block/%s/rswap/reconnects", bdev));
	fd = open(dev, O_RDONLY | O_DIRECT);
	rc = pread(fd, buf, 1 << 20, 0) == 1 << 20 && !memcmp(buf, pat, 1 << 20);
	close(fd);
	rs_ok(rc, "the data written before the break reads back");
	rc = rs_run(out, sizeof(out), "anker-rswap disconnect %s 2>&1", dev);
	rs_ok(rc == 0, "disconnect (%s)", out);
	free(buf);
	free(pat);
}

int main(void)
{
	const char *kaddr = getenv("ANKER_RMEMD_KILL"), *addr = getenv("ANKER_RMEMD");
	int i;

	rs_plan(15 + 10);
	if (!kaddr || !getenv("ANKER_RMEMD_CTL") || !getenv("ANKER_RMEMD_TOKEN")) {
		for (i = 0; i < 15; i++)
			rs_skip("no killable rmemd (set by make check)", "server killed %d", i + 1);
	} else {
		killed_server(kaddr);
	}
	if (!addr) {
		for (i = 0; i < 10; i++)
			rs_skip("no rmemd (set by make check)", "network broken %d", i + 1);
	} else {
		broken_network(addr);
	}
	return 0;
}
