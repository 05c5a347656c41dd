#!/bin/sh
# scripts/logscan on recorded console logs: a clean boot passes, every kind
# of kernel report fails and is named with its line.
set -u
here=$(dirname "$(readlink -f "$0")")
top=$(cd "$here/../../.." && pwd)
scan=$top/scripts/logscan
n=0
t() { n=$((n + 1)); if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi; }

echo "1..9"
desc="clean boot log passes"
t sh -c "'$scan' '$here/logs/clean.log' >/dev/null"
for kind in oops:'Oops: Oops: 0000' warning:'WARNING: CPU: 0 PID: 91' \
	lockdep:'possible circular locking' kfence:'BUG: KFENCE: use-after-free' \
	kasan:'BUG: KASAN: slab-out-of-bounds' hung:'blocked for more than' \
	panic:'Kernel panic - not syncing'; do
	f=${kind%%:*} what=${kind#*:}
	desc="$f report fails the run and is named"
	t sh -c "out=\$('$scan' '$here/logs/$f.log'); [ \$? -eq 1 ] && printf '%s' \"\$out\" | grep -q '$what'"
done
desc="a missing log is a usage error, not a pass"
t sh -c "'$scan' /nonexistent/log >/dev/null 2>&1; [ \$? -eq 2 ]"
