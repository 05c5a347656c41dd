#!/bin/bash
# anker-rswap on the host: exit statuses of bad arguments, and the OPEN
# handshake with rmemd on every connection (the control device is
# /dev/null in this build, so a good connect ends at the ioctl: ENOTTY).
set -u
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
o=$(dirname "$0")
tool=$o/anker-rswap-host
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
expect() { # DESCRIPTION STATUS PATTERN -- COMMAND...
	d=$1 want=$2 pat=$3; shift 4
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$want" ] && grep -q -- "$pat" <<<"$out"; then ok "$d"; else no "$d" "status $rc (want $want)" "$out"; fi
}
echo "1..10"
tmp=$(mktemp -d)
"$o/rmemd" --listen 127.0.0.1:0 --port-file "$tmp/port" --size 64M --mlock off --log-file "$tmp/log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for i in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
a=127.0.0.1:$(cat "$tmp/port")

expect "--help: exit 0, usage" 0 "Usage:" -- "$tool" --help
expect "no command: exit 2" 2 "no command" -- "$tool"
expect "unknown command: exit 2" 2 "unknown command" -- "$tool" frobnicate
expect "connect without --size: exit 2" 2 "size" -- "$tool" connect "$a"
expect "connect --size 4097: exit 2" 2 "multiple of 4096" -- "$tool" connect "$a" --size 4097
expect "connect --connections 17: exit 2" 2 "connections" -- "$tool" connect "$a" --size 1M --connections 17
expect "connect to a closed port: exit 1, refused" 1 "refused" -- "$tool" connect 127.0.0.1:1 --size 1M --name x
expect "connect opens the region on 3 connections, then asks the kernel" 1 "connect: Inappropriate ioctl" \
	-- "$tool" connect "$a" --size 16M --name hs --connections 3
opens=$(grep -c "open 'hs'" "$tmp/log")
if [ "$opens" -eq 3 ]; then ok "rmemd saw 3 OPENs of the region"; else no "rmemd saw 3 OPENs of the region" "$opens" "$(cat "$tmp/log")"; fi
expect "the same name with another size: exit 1, says so" 1 "another size" -- "$tool" connect "$a" --size 32M --name hs
