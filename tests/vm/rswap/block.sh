#!/bin/bash
# rswap as a plain block device: connect to rmemd on the host (ANKER_RMEMD,
# set by make check), a dd round trip through the page cache, the sysfs
# counters, busy/duplicate refusals, and the data surviving a disconnect
# and a new connect to the same region.
set -u
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { d=$1; shift; if "$@"; then ok "$d"; else no "$d" "failed: $*"; fi; }
plan=17
echo "1..$plan"
if [ -z "${ANKER_RMEMD:-}" ]; then
	for i in $(seq $plan); do echo "ok $i - block test $i # SKIP no rmemd (ANKER_RMEMD is set by make check)"; done
	exit 0
fi
tmp=$(mktemp -d)
name=blk$$
dev=$(anker-rswap connect "$ANKER_RMEMD" --size 64M --name "$name" --connections 2 2>&1); rc=$?
if [ $rc -ne 0 ] || [ ! -b "$dev" ]; then
	no "anker-rswap connect $ANKER_RMEMD --size 64M prints a block device" "status $rc: $dev"
	echo "Bail out! no device"
	exit 1
fi
ok "anker-rswap connect $ANKER_RMEMD --size 64M prints a block device ($dev)"
b=${dev#/dev/}
s=/sys/block/$b/rswap
check "capacity is 64 MiB" [ "$(($(cat /sys/block/$b/size) * 512))" -eq $((64 << 20)) ]
check "sysfs: name, state, connections" [ "$(cat $s/name) $(cat $s/state) $(cat $s/connections)" = "$name connected 2" ]
out=$(anker-rswap list); check "anker-rswap list shows it" grep -q "^$dev  *$name .* connected" <<<"$out"
check "anker-info lists the rswap feature" grep -q rswap <<<"$(anker-info)"

head -c 16M /dev/urandom >"$tmp/pat"
dd if="$tmp/pat" of="$dev" bs=1M seek=8 conv=fsync status=none; rc=$?
check "dd writes 16 MiB at 8 MiB" [ $rc -eq 0 ]
sync; echo 3 >/proc/sys/vm/drop_caches
dd if="$dev" of="$tmp/back" bs=1M skip=8 count=16 status=none
check "reading it back after drop_caches gives the same bytes" cmp -s "$tmp/pat" "$tmp/back"
dd if="$dev" of="$tmp/zero" bs=1M count=1 iflag=direct status=none
head -c 1M /dev/zero >"$tmp/zeroes"	# (no /dev/fd in the guest for <(...))
check "a never-written range reads as zeroes (O_DIRECT)" cmp -s "$tmp/zero" "$tmp/zeroes"
w=$(cat $s/bytes_written) r=$(cat $s/bytes_read)
check "counters: bytes_written >= 16 MiB ($w), bytes_read >= 17 MiB ($r)" [ "$w" -ge $((16 << 20)) ] && [ "$r" -ge $((17 << 20)) ]
hist=$(awk '{ s += $2 } END { print s }' $s/read_latency_us)
check "read_latency_us counts every read ($hist = $(cat $s/reads)), errors 0, inflight 0" \
	[ "$hist" = "$(cat $s/reads)" ] && [ "$(cat $s/errors)" = 0 ] && [ "$(cat $s/inflight)" = 0 ]

out=$(anker-rswap connect "$ANKER_RMEMD" --size 64M --name "$name" 2>&1); rc=$?
check "a second connect of an attached region fails (exit 1: $out)" [ $rc -eq 1 ]
out=$(anker-rswap connect 10.0.2.2:1 --size 64M --name refused 2>&1); rc=$?
check "connect to a port nobody listens on: exit 1 ($out)" [ $rc -eq 1 ]
exec 3<"$dev"
out=$(anker-rswap disconnect "$dev" 2>&1); rc=$?
check "disconnect of an open device: exit 1, in use ($out)" [ $rc -eq 1 ]
exec 3<&-
anker-rswap disconnect "$dev"; rc=$?
check "disconnect: exit 0, device gone" [ $rc -eq 0 ] && [ ! -e /sys/block/$b ]
dev2=$(anker-rswap connect "$ANKER_RMEMD" --size 64M --name "$name" --connections 1 2>&1); rc=$?
check "connect to the same region again ($dev2)" [ $rc -eq 0 ] && [ -b "$dev2" ]
dd if="$dev2" of="$tmp/back2" bs=1M skip=8 count=16 iflag=direct status=none
check "the region kept its data" cmp -s "$tmp/pat" "$tmp/back2"
anker-rswap disconnect "$dev2"; rc=$?
check "disconnect again" [ $rc -eq 0 ]
rm -rf "$tmp"
