#!/bin/sh
# bench/rswap, the host side: start rmemd and nbd-server on free loopback
# ports (they stand for the memory server machine), boot the bench kernel
# with the user-mode network once, run guest.sh (every back end, side by
# side in one boot), stop the servers, write the raw results.
# Usage: run.sh OUTDIR   (OUTDIR/raw.txt gets the RESULT lines)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
o=$1
mkdir -p "$o"
size=${BENCH_SIZE_MIB:-384} swapmib=${BENCH_SWAP_MIB:-1024}
vmmem=${BENCH_VM_MEM:-2G}

pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	[ -f "$o/nbd.pid" ] && kill "$(cat "$o/nbd.pid")" 2>/dev/null || true
	rm -f "$o/nbd.pid" "${nbdfile:-}"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# A free port for nbd-server (it cannot be asked to pick one).
freeport() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# rmemd: the pool holds the swap region (plus room)
rm -f "$o/rmemd.port"
"$top/build/bin/rmemd" --listen 127.0.0.1:0 --size $((swapmib + 64))M \
	--port-file "$o/rmemd.port" --log-file "$o/rmemd.log" &
pids="$pids $!"

# nbd-server: the export is a file in host memory (/dev/shm), like rmemd's pool
nbdfile=/dev/shm/anker-bench-nbd.$$
truncate -s ${swapmib}M "$nbdfile"
nbdport=$(freeport)
cat >"$o/nbd.conf" <<CONF
[generic]
	listenaddr = 127.0.0.1
	port = $nbdport
	allowlist = true
[swap]
	exportname = $nbdfile
	flush = false
CONF
nbd-server -C "$o/nbd.conf" -p "$o/nbd.pid" >"$o/nbd.log" 2>&1

i=0
while [ ! -s "$o/rmemd.port" ] || [ ! -s "$o/nbd.pid" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "bench/rswap: rmemd or nbd-server did not start" >&2; exit 1; }
	sleep 0.1
done
echo "bench/rswap: rmemd on 127.0.0.1:$(cat "$o/rmemd.port"), nbd-server on 127.0.0.1:$nbdport" >&2

# rmemd alone over loopback (no guest): what the server can serve
: >"$o/host.txt"
for a in "read 4096 2 32" "write 4096 2 32" "read 4096 1 1" "read 32768 1 1" "write 131072 1 1"; do
	set -- $a
	"$o/rmemd-loop" "$(cat "$o/rmemd.port")" $1 $2 $3 $4 2 | sed 's/^/# rmemd-loop (host, loopback): /' >>"$o/host.txt"
done
cat "$o/host.txt"

rc=0
{
	"$top/scripts/vm-run" -k bench -m "$vmmem" -t "${BENCH_TIMEOUT:-3000}" -n bench-rswap --net \
		-e ANKER_RMEMD=10.0.2.2:"$(cat "$o/rmemd.port")" -e BENCH_NBD=10.0.2.2:$nbdport \
		-e BENCH_SWAPBENCH="$o/swapbench" -e BENCH_SIZE_MIB="$size" \
		-e BENCH_LIMIT_MIB="${BENCH_LIMIT_MIB:-128}" -e BENCH_RAND="${BENCH_RAND:-20000}" \
		-e BENCH_SWAP_MIB="$swapmib" -e BENCH_CONNS="${BENCH_CONNS:-2}" \
		-e BENCH_ROUNDS="${BENCH_ROUNDS:-2}" -e BENCH_LOOP="$o/rmemd-loop" \
		-e BENCH_BACKENDS="$(echo "${BENCH_BACKENDS:-rswap rswap-nocsum nbd zram}" | tr ' ' ,)" \
		-- "$top/bench/rswap/guest.sh" || rc=$?
	echo "$rc" >"$o/vm.rc"
} | tee "$o/raw.txt"
cat "$o/host.txt" >>"$o/raw.txt"
rc=$(cat "$o/vm.rc")
if [ "$rc" -ne 0 ]; then
	echo "bench/rswap: the guest ended with status $rc (build/vm/bench-rswap.log)" >&2
	exit 1
fi
