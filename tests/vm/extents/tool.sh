#!/bin/sh
# In the guest: anker-extents (usage, exit codes, the summary of a tracked
# process) and anker-info listing the feature.
set -u
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
status() { d=$1; want=$2; shift 2; "$@" >/dev/null 2>&1; rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$d"; else no "$d" "exit $rc, want $want: $*"; fi; }

echo "1..8"
status "anker-extents --help: exit 0" 0 anker-extents --help
status "anker-extents without PID: exit 2" 2 anker-extents
status "anker-extents with a bad PID: exit 2" 2 anker-extents 12x
status "anker-extents of no such process: exit 1" 1 anker-extents 999999
sleep 30 & pid=$!
status "anker-extents of an untracked process: exit 1" 1 anker-extents "$pid"
out=$(anker-extents -e "$pid" 2>&1); rc=$?
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^  extents  *[1-9]" &&
	printf '%s\n' "$out" | grep -q "largest 32"; then
	ok "anker-extents -e PID: enables and prints the summary"
else
	no "anker-extents -e PID: enables and prints the summary" "exit $rc" "$out"
fi
if printf '%s\n' "$out" | grep -q "^extent sizes" &&
	printf '%s\n' "$out" | grep -q "4 KiB  *[1-9]"; then
	ok "the histogram has a 4 KiB row"
else
	no "the histogram has a 4 KiB row" "$out"
fi
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
out=$(anker-info 2>&1)
if printf '%s\n' "$out" | grep -q "extents  *syscall 930"; then
	ok "anker-info lists extents"
else
	no "anker-info lists extents" "$out"
fi
