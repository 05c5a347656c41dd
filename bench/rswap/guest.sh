#!/bin/sh
# bench/rswap, the guest side: for each swap back end (rswap -> rmemd on
# the host, NBD -> nbd-server on the host, zram), swapon it alone, run
# swapbench in a memory cgroup (memory.max = LIMIT) for each pattern, swapoff.
# Prints "RESULT backend=B <swapbench's key=value line>" lines.
# Environment (set by run.sh through vm-run -e): ANKER_RMEMD=HOST:PORT,
# BENCH_NBD=HOST:PORT, BENCH_SWAPBENCH (the program), BENCH_SIZE_MIB,
# BENCH_LIMIT_MIB, BENCH_RAND, BENCH_BACKENDS, BENCH_CONNS, BENCH_SWAP_MIB.
set -u
sb=$BENCH_SWAPBENCH
size=${BENCH_SIZE_MIB:-384}
limit=${BENCH_LIMIT_MIB:-128}
rand=${BENCH_RAND:-20000}
swapmib=${BENCH_SWAP_MIB:-1024}
conns=${BENCH_CONNS:-2}
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

run_patterns() {
	for pat in seq rand; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		r0=$(dev_read)
		line=$(sh -c "echo \$\$ >$cg/cgroup.procs && exec $sb --size $size --pattern $pat --accesses $rand")
		rc=$?
		r1=$(dev_read)
		echo "RESULT backend=$1 $line devread_mib=$(( (r1 - r0) / 2048 )) rc=$rc"
	done
}

setup_rswap() {
	dev=$(anker-rswap connect "$ANKER_RMEMD" --size ${swapmib}M --name swapbench \
		--connections "$conns") || return 1
}
teardown_rswap() { anker-rswap disconnect "$dev"; }

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
	say "zram: algorithm $(cat /sys/block/zram0/comp_algorithm) (using $alg)"
}
teardown_zram() { echo 1 >/sys/block/zram0/reset; }

# vm-run -e splits values at blanks: run.sh passes the list comma-separated
for b in $(echo "${BENCH_BACKENDS:-rswap,nbd,zram}" | tr , ' '); do
	if ! setup_$b; then
		echo "RESULT backend=$b error=setup-failed"
		continue
	fi
	if ! mkswap $dev >/dev/null || ! swapon $dev; then
		echo "RESULT backend=$b error=swapon-failed"
		teardown_$b
		continue
	fi
	say "$b: swapping to $dev ($(awk 'NR > 1 { print $3 / 1024 " MiB" }' /proc/swaps))"
	run_patterns $b
	swapoff $dev || echo "RESULT backend=$b error=swapoff-failed"
	teardown_$b
done
rmdir $cg 2>/dev/null
exit 0
