// SPDX-License-Identifier: GPL-2.0
/*
 * rswap tuning knobs: the per-device sysfs files checksum and timeout
 * (values, bad input, EPERM for an unprivileged writer), data round trips
 * with checksums off and on, the module parameter that sets the checksum
 * default of new devices, and the time_us breakdown.
 */
#include "rs.h"

#define PLAN 22

static char dev[256], bdev[256];

/* Write text to /sys/block/<bdev>/rswap/<file>: 0 or the errno. */
static int knob_write(const char *file, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "/sys/block/%s/rswap/%s", bdev, file);
	return -rs_write_file(path, text);
}

/* The write as uid 65534 of a file root opened: 0 or the errno. */
static int knob_write_unprivileged(const char *file, const char *text)
{
	char path[512];
	int fd, st;
	pid_t pid;

	snprintf(path, sizeof(path), "/sys/block/%s/rswap/%s", bdev, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(write(fd, text, strlen(text)) < 0 ? errno : 0);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Write a pattern of 1 MiB at offset off with O_DIRECT, read it back. */
static int round_trip(uint64_t seed, off_t off)
{
	void *buf = NULL, *back = NULL;
	int fd, ok = 0;

	if (posix_memalign(&buf, 4096, 1 << 20) || posix_memalign(&back, 4096, 1 << 20))
		return 0;
	rs_fill(buf, 256, seed);
	fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd >= 0 && pwrite(fd, buf, 1 << 20, off) == 1 << 20 &&
	    pread(fd, back, 1 << 20, off) == 1 << 20)
		ok = !memcmp(buf, back, 1 << 20);
	if (fd >= 0)
		close(fd);
	free(buf);
	free(back);
	return ok;
}

static long long time_us(const char *what)
{
	char path[512], name[32];
	long long v, ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/rswap/time_us", bdev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%31s %lld", name, &v) == 2)
		if (!strcmp(name, what))
			ret = v;
	fclose(f);
	return ret;
}

int main(void)
{
	static const char * const bad[] = { "2", "-1", "abc", "1x" };
	const char *addr = getenv("ANKER_RMEMD");
	const char *param = "/sys/module/rswap/parameters/checksum";
	char out[256], dev2[256];
	long long c0;
	int rc, i, e;

	rs_plan(PLAN);
	if (!addr) {
		for (i = 0; i < PLAN; i++)
			rs_skip("no rmemd (ANKER_RMEMD is set by make check)", "knob test %d", i + 1);
		return 0;
	}
	rc = rs_connect(dev, sizeof(dev), addr, "16M", "knobs", "--connections 2");
	if (!rs_ok(rc == 0 && !strncmp(dev, "/dev/rswap", 10), "connect: %s", dev)) {
		printf("Bail out! no device\n");
		return 1;
	}
	snprintf(bdev, sizeof(bdev), "%s", dev + 5);

	rs_ok(rs_read_ll("/sys/block/%s/rswap/checksum", bdev) == 1, "checksum is on by default");
	rs_ok(round_trip(1, 0), "1 MiB round trip with checksums");
	c0 = time_us("checksum");
	rs_ok(time_us("read_send") >= 0 && time_us("read_wait") > 0 && time_us("receive") >= 0 &&
	      time_us("write_send") > 0 && time_us("write_wait") > 0 && c0 > 0,
	      "time_us: read_send, read_wait, receive, write_send, write_wait, checksum (%lld us)",
	      c0);

	e = knob_write("checksum", "0");
	rs_ok(e == 0 && rs_read_ll("/sys/block/%s/rswap/checksum", bdev) == 0,
	      "checksum 0 is taken (%s)", e ? strerror(e) : "ok");
	rs_ok(round_trip(2, 4 << 20), "1 MiB round trip without checksums");
	rs_ok(time_us("checksum") == c0, "no checksum time without checksums (%lld us)",
	      time_us("checksum"));
	e = knob_write("checksum", "1");
	rs_ok(e == 0 && rs_read_ll("/sys/block/%s/rswap/checksum", bdev) == 1,
	      "checksum 1 is taken (%s)", e ? strerror(e) : "ok");
	rs_ok(round_trip(3, 8 << 20), "1 MiB round trip with checksums again");
	rs_ok(rs_read_ll("/sys/block/%s/rswap/errors", bdev) == 0, "no request failed");

	for (i = 0; i < 4; i++) {
		e = knob_write("checksum", bad[i]);
		rs_ok(e == EINVAL, "checksum '%s': EINVAL (%s)", bad[i], e ? strerror(e) : "taken");
	}
	rs_ok(rs_read_ll("/sys/block/%s/rswap/checksum", bdev) == 1, "bad input left it at 1");
	e = knob_write_unprivileged("checksum", "0");
	rs_ok(e == EPERM && rs_read_ll("/sys/block/%s/rswap/checksum", bdev) == 1,
	      "uid 65534: EPERM from checksum (%s)", e > 0 ? strerror(e) : "taken");
	e = knob_write_unprivileged("timeout", "7");
	rs_ok(e == EPERM, "uid 65534: EPERM from timeout (%s)", e > 0 ? strerror(e) : "taken");
	e = knob_write("timeout", "0");
	rs_ok(e == EINVAL, "timeout 0: EINVAL (%s)", e ? strerror(e) : "taken");
	e = knob_write("timeout", "12");
	rs_ok(e == 0 && rs_read_ll("/sys/block/%s/rswap/timeout", bdev) == 12,
	      "timeout 12 is taken (%s)", e ? strerror(e) : "ok");

	/* the module parameter: the default of devices made later */
	e = -rs_write_file(param, "N");
	rc = rs_connect(dev2, sizeof(dev2), addr, "16M", "knobs2", "--connections 1");
	rs_ok(e == 0 && rc == 0 &&
	      rs_read_ll("/sys/block/%s/rswap/checksum", dev2 + 5) == 0,
	      "rswap.checksum=N: a new device has checksum 0 (%s)", dev2);
	rs_write_file(param, "Y");
	if (rc == 0)
		rs_run(out, sizeof(out), "anker-rswap disconnect %s", dev2);
	rs_read_str(out, sizeof(out), "%s", param);
	rs_ok(out[0] == 'Y', "the module parameter is back to Y (%s)", out);

	rc = rs_run(out, sizeof(out), "anker-rswap disconnect %s 2>&1", dev);
	rs_ok(rc == 0, "disconnect (%s)", out);
	return 0;
}
