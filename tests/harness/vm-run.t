#!/bin/sh
# The VM harness itself: the guest's exit status comes back to the host, its
# output reaches the host, a hung guest is killed by the timeout, and a kernel
# crash fails the run with its report named.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/scripts/vm-run
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

echo "1..5"
out=$("$vm" -n harness-true -t 300 -- echo hello-from-guest 2>&1); rc=$?
[ "$rc" -eq 0 ] && ok "a command that succeeds gives exit status 0" || no "a command that succeeds gives exit status 0" "status $rc"
printf '%s' "$out" | grep -q hello-from-guest && ok "the command's output reaches the host" ||
	no "the command's output reaches the host" "got: $out"

"$vm" -n harness-fail -t 300 -c 'exit 3' >/dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] && ok "a failing guest command fails the run with its status" ||
	no "a failing guest command fails the run with its status" "status $rc, wanted 3"

s=$(date +%s)
"$vm" -n harness-hang -t 25 -- sleep 3600 >/dev/null 2>&1; rc=$?
d=$(($(date +%s) - s))
[ "$rc" -eq 124 ] && [ "$d" -lt 60 ] && ok "a hung guest is killed by the timeout ($d s)" ||
	no "a hung guest is killed by the timeout" "status $rc after $d s, wanted 124 within 60 s"

out=$("$vm" -n harness-crash -t 300 -c 'echo c >/proc/sysrq-trigger; sleep 60' 2>&1); rc=$?
if [ "$rc" -ne 0 ] && printf '%s' "$out" | grep -q 'Kernel panic\|Oops\|BUG'; then
	ok "a kernel crash fails the run and names the report (status $rc)"
else
	no "a kernel crash fails the run and names the report" "status $rc" "$out"
fi
