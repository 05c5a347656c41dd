// SPDX-License-Identifier: GPL-2.0
/*
 * Swap over rswap: a process in a memory cgroup (memory.max a third of its
 * working set) fills RSWAP_TEST_MIB (default 96) MiB with checksummed
 * pages, is pushed out to /dev/rswapN (memory.max, then memory.reclaim),
 * reads every page back and verifies it; then two such processes at once.
 * Under TCG on a loaded 2-core host swap runs at 1-2 MB/s, hence the
 * default; RSWAP_TEST_MIB=768 (make check passes it on) is the full size.
 */
#include "rs.h"

static char dev[256], bdev[256], cg[512];

static int swapped_mib(void)
{
	return rs_read_ll("/sys/block/%s/rswap/bytes_written", bdev) >> 20;
}

/* nproc workers of mib MiB each; true if all verified. */
static int run_workers(int nproc, size_t mib, const char *what)
{
	int to[2], from[2], i, good = 1;
	long long w0 = swapped_mib(), r0, w1, r1;
	double t0 = rs_now(), t1, t2;
	pid_t pid[2];
	char c, f[600];

	for (i = 0; i < nproc; i++) {
		pid[i] = rs_worker(cg, mib, 1000 + i, &to[i], &from[i]);
		if (pid[i] < 0)
			return rs_ok(0, "%s: fork", what);
	}
	for (i = 0; i < nproc; i++)
		if (read(from[i], &c, 1) != 1)
			good = 0;
	t1 = rs_now();
	snprintf(f, sizeof(f), "%s/memory.reclaim", cg);
	rs_write_file(f, "4G");	/* best effort: EAGAIN if it fell short */
	w1 = swapped_mib();
	r0 = rs_read_ll("/sys/block/%s/rswap/bytes_read", bdev) >> 20;
	rs_ok(good && w1 - w0 >= (long long)(nproc * mib) / 2,
	      "%s: filled %d x %zu MiB in %.1f s, %lld MiB written to %s",
	      what, nproc, mib, t1 - t0, w1 - w0, dev);
	for (i = 0; i < nproc; i++)
		if (write(to[i], "G", 1) != 1)
			good = 0;
	for (i = 0; i < nproc; i++) {
		int st = rs_wait(pid[i], 1800);

		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			rs_diag("worker %d: status %#x", i, st);
			good = 0;
		}
		close(to[i]);
		close(from[i]);
	}
	t2 = rs_now();
	r1 = rs_read_ll("/sys/block/%s/rswap/bytes_read", bdev) >> 20;
	return rs_ok(good && r1 > r0,
		     "%s: every page read back correctly in %.1f s (%lld MiB swapped in, %.1f MiB/s)",
		     what, t2 - t1, r1 - r0, (r1 - r0) / (t2 - t1));
}

int main(void)
{
	const char *addr = getenv("ANKER_RMEMD"), *e = getenv("RSWAP_TEST_MIB");
	size_t mib = e ? strtoul(e, NULL, 0) : 96;
	char out[512], max[32];
	int rc;

	rs_plan(9);
	if (!addr) {
		for (rc = 0; rc < 9; rc++)
			rs_skip("no rmemd (ANKER_RMEMD is set by make check)", "swap test %d", rc + 1);
		return 0;
	}
	rc = rs_connect(dev, sizeof(dev), addr, "2G", "swaptest", "--connections 2");
	if (!rs_ok(rc == 0 && !strncmp(dev, "/dev/rswap", 10),
		   "connect a 2 GiB region: %s", dev)) {
		printf("Bail out! no device\n");
		return 1;
	}
	snprintf(bdev, sizeof(bdev), "%s", dev + 5);
	rc = rs_run(out, sizeof(out), "mkswap %s 2>&1 && swapon -p 32767 %s 2>&1", dev, dev);
	rs_ok(rc == 0, "mkswap and swapon %s (%s)", dev, out);
	snprintf(max, sizeof(max), "%zuM", mib / 3);
	rc = rs_cgroup(cg, sizeof(cg), "rswap-swap", max);
	rs_ok(rc == 0, "memory cgroup with memory.max %s (%s)", max, strerror(-rc));
	run_workers(1, mib, "one process");
	run_workers(2, mib, "two processes");
	rc = rs_run(out, sizeof(out), "swapoff %s 2>&1", dev);
	rs_ok(rc == 0, "swapoff (%s)", out);
	rmdir(cg);
	rc = rs_run(out, sizeof(out), "anker-rswap disconnect %s 2>&1", dev);
	rs_ok(rc == 0 && rs_read_ll("/sys/block/%s/size", bdev) < 0,
	      "disconnect (%s)", out);
	return 0;
}
