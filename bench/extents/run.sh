#!/bin/sh
# In the guest (bench kernel): every workload with THP never and always,
# then the fault-throughput comparison. Raw TSV on stdout.
# Usage: run.sh BENCH_BINARY TOP
set -u
bin=$1 top=$2
thp=/sys/kernel/mm/transparent_hugepage/enabled
MIB=${EXTENTS_MIB:-128}
old=$(sed 's/.*\[\(.*\)\].*/\1/' "$thp")
cd /tmp	# the guest's view of the checkout is read-only
echo "# thp	workload	extents	resident	rss	top8	top32	top128	top512	walk_extents	missing_bytes"
for mode in never always; do
	echo "$mode" >"$thp"
	tag() { sed "s/^/$mode	/"; }
	"$bin" seq "$MIB" | tag
	"$bin" rand "$MIB" | tag
	"$bin" hash "$((MIB / 2))" | tag
	"$bin" sample "stress-ng --vm 2x$((MIB / 2)) MiB" stress-ng --vm 2 \
		--vm-bytes "$((MIB / 2))M" --vm-keep --timeout 20s --temp-path /tmp -q | tag
	"$bin" sample "redis-server + redis-benchmark" sh -c '
		redis-server --port 6399 --save "" --appendonly no >/dev/null 2>&1 & r=$!
		sleep 3
		redis-benchmark -p 6399 -t set -n 40000 -r 40000 -d 2048 -q >/dev/null 2>&1
		sleep 3
		kill $r; wait $r; true' | tag
	rm -rf /tmp/extents-build
	SAMPLE_SECS=0.3 "$bin" sample "C build (tests/vm/vmcopy, make -j2)" \
		make -s -C "$top/tests/vm/vmcopy" O=/tmp/extents-build -j2 | tag
done
echo "$old" >"$thp"
"$bin" faults "${EXTENTS_FAULT_MIB:-32}" "${EXTENTS_ROUNDS:-31}"
