#!/bin/sh
# bench/rswap, the guest side: for each swap back end (rswap -> rmemd on
# the host, NBD -> nbd-server on the host, zram), swapon it alone, run
# swapbench in a memory cgroup (memory.max = LIMIT) for each pattern, swapoff.
# BENCH_ROUNDS rounds, the back ends interleaved in each (the host is shared
# and noisy: a ratio is taken within one round). rswap-nocsum is rswap with
# its checksums off (/sys/block/rswapN/rswap/checksum = 0).
# Prints "RESULT backend=B round=R <swapbench's key=value line> <device
# statistics>" lines.
# Environment (set by run.sh through vm-run -e): ANKER_RMEMD=HOST:PORT,
# BENCH_NBD=HOST:PORT, BENCH_SWAPBENCH (the program), BENCH_SIZE_MIB,
# BENCH_LIMIT_MIB, BENCH_RAND, BENCH_BACKENDS, BENCH_CONNS, BENCH_SWAP_MIB,
# BENCH_ROUNDS, BENCH_LOOP (rmemd-loop, run against ANKER_RMEMD first).
set -u
sb=$BENCH_SWAPBENCH
size=${BENCH_SIZE_MIB:-384}
limit=${BENCH_LIMIT_MIB:-128}
rand=${BENCH_RAND:-20000}
swapmib=${BENCH_SWAP_MIB:-1024}
conns=${BENCH_CONNS:-2}
rounds=${BENCH_ROUNDS:-2}
cg=/sys/fs/cgroup/swapbench

say() { echo "# $*"; }

# Any swap the guest has is switched off: one back end at a time.
swapoff -a 2>/dev/null

echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mkdir -p $cg
echo $((limit * 1024 * 1024)) >$cg/memory.max
echo max >$cg/memory.swap.max 2>/dev/null

# Sectors read from the swap device so far (/sys/block/DEV/stat, field 3)
dev_read() { awk '{ print $3 }' "/sys/block/${dev##*/}/stat" 2>/dev/null || echo 0; }
# The block layer's counters of the device, and rswap's time_us
dev_stat() {
	cat "/sys/block/${dev##*/}/stat"
	if [ -r "/sys/block/${dev##*/}/rswap/time_us" ]; then
		awk '{ print $2 }' "/sys/block/${dev##*/}/rswap/time_us"
	fi
}
# key=value of the differences: per request size (KiB) and time (ms) from
# the block layer (reads: rq_r*, writes: rq_w*), rswap's time per read and
# per write (us: send, wait for the reply, receive, checksum)
stat_diff() {
	echo "$1 | $2" | awk '{
		for (i = 1; $i != "|"; i++) a[i] = $i
		n = i - 1
		for (i = 1; i <= n; i++) d[i] = $(n + 1 + i) - a[i]
		r = d[1]; w = d[5]
		printf "rq_reads=%d rq_rkib=%.1f rq_rms=%.3f rq_writes=%d rq_wkib=%.1f rq_wms=%.3f",
			r, r ? d[3] / 2 / r : 0, r ? d[4] / r : 0, w, w ? d[7] / 2 / w : 0, w ? d[8] / w : 0
		if (n >= 17 + 6)
			printf " t_rsend_us=%.0f t_rwait_us=%.0f t_recv_us=%.0f t_wsend_us=%.0f t_wwait_us=%.0f t_csum_us=%.0f",
				r ? d[18] / r : 0, r ? d[19] / r : 0, r ? d[20] / r : 0,
				w ? d[21] / w : 0, w ? d[22] / w : 0, (r + w) ? d[23] / (r + w) : 0
	}'
}

run_patterns() {
	for pat in seq rand; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		r0=$(dev_read)
		s0=$(dev_stat)
		line=$(sh -c "echo \$\$ >$cg/cgroup.procs && exec $sb --size $size --pattern $pat --accesses $rand")
		rc=$?
		r1=$(dev_read)
		s1=$(dev_stat)
		echo "RESULT backend=$1 round=$round $line devread_mib=$(( (r1 - r0) / 2048 )) rc=$rc $(stat_diff "$s0" "$s1")"
	done
}

setup_rswap() {
	dev=$(anker-rswap connect "$ANKER_RMEMD" --size ${swapmib}M --name swapbench \
		--connections "$conns") || return 1
}
teardown_rswap() { anker-rswap disconnect "$dev"; }
setup_rswap_nocsum() { setup_rswap && echo 0 >"/sys/block/${dev##*/}/rswap/checksum"; }
teardown_rswap_nocsum() { teardown_rswap; }

setup_nbd() {
	host=${BENCH_NBD%:*} port=${BENCH_NBD##*:}
	dev=/dev/nbd0
	nbd-client "$host" "$port" $dev -N swap -b 4096 -C "$conns" -swap >/dev/null 2>&1 ||
		nbd-client "$host" "$port" $dev -N swap -b 4096 -swap -L >/dev/null 2>&1 ||
		return 1
}
teardown_nbd() { nbd-client -d $dev >/dev/null 2>&1; }

setup_zram() {
	dev=/dev/zram0
	[ -e /sys/block/zram0 ] || return 1
	alg=$(tr -d '[]' </sys/block/zram0/comp_algorithm | awk '{print $1}')
	echo $((swapmib * 1024 * 1024)) >/sys/block/zram0/disksize || return 1
	[ "$round" -gt 1 ] || say "zram: algorithm $(cat /sys/block/zram0/comp_algorithm) (using $alg)"
}
teardown_zram() { echo 1 >/sys/block/zram0/reset; }

# rmemd over the guest's network alone, from user space (no kernel client)
if [ -n "${BENCH_LOOP:-}" ]; then
	for a in "read 4096 1 1" "read 32768 1 1" "write 131072 1 1"; do
		set -- $a
		say "rmemd-loop (guest, user-mode network): $("$BENCH_LOOP" "$ANKER_RMEMD" $1 $2 $3 $4 3)"
	done
fi

# vm-run -e splits values at blanks: run.sh passes the list comma-separated
round=1
while [ $round -le $rounds ]; do
	for b in $(echo "${BENCH_BACKENDS:-rswap,rswap-nocsum,nbd,zram}" | tr , ' '); do
		f=$(echo $b | tr - _)
		if ! setup_$f; then
			echo "RESULT backend=$b round=$round error=setup-failed"
			continue
		fi
		if ! mkswap $dev >/dev/null || ! swapon $dev; then
			echo "RESULT backend=$b round=$round error=swapon-failed"
			teardown_$f
			continue
		fi
		[ $round -gt 1 ] || say "$b: swapping to $dev ($(awk 'NR > 1 { print $3 / 1024 " MiB" }' /proc/swaps))"
		run_patterns $b
		swapoff $dev || echo "RESULT backend=$b round=$round error=swapoff-failed"
		teardown_$f
	done
	round=$((round + 1))
done
rmdir $cg 2>/dev/null
exit 0
