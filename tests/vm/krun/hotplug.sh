#!/bin/sh
# The Krun MSR calls and CPU hotplug (CONFIG_HOTPLUG_CPU): an offline CPU
# is EINVAL for every call; hotplug while krun_configure() runs in a loop
# leaves no kernel report (lockdep: cpu_hotplug_lock, then the feature's
# lock) and every call working afterwards. The counting paths themselves
# are KUnit's (anker_krun_msr: configure holds cpus_read_lock(); a detached
# counter is replaced).
set -u
top=${ANKER_TOP:?}
call=$top/build/tests/vm/krun/krun-call
cpu1=/sys/devices/system/cpu/cpu1/online
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
is() { d=$1 want=$2; shift 2; got=$("$@" 2>&1); if [ "$got" = "$want" ]; then ok "$d"; else no "$d" "want $want, got $got"; fi; }

echo "1..5"
if grep -q 'hardware: yes' /sys/kernel/anker/features/krun_msr 2>/dev/null; then
	allowed=ok
else
	allowed=EOPNOTSUPP
fi
if [ ! -w "$cpu1" ] || ! echo 0 >"$cpu1" 2>/dev/null; then
	why="CPU 1 cannot go offline here (one vCPU, or no CONFIG_HOTPLUG_CPU)"
	for d in "offline CPU 1: configure 2 is EINVAL" "offline CPU 1: read 2 is EINVAL" \
		"offline CPU 1: read 1 works" "hotplug during configure loops: CPU 1 back online" \
		"after hotplug: configure and read of 2 CPUs work"; do
		skip "$d" "$why"
	done
	exit 0
fi
is "offline CPU 1: configure 2 is EINVAL" EINVAL "$call" configure 2
is "offline CPU 1: read 2 is EINVAL" EINVAL "$call" read 2
is "offline CPU 1: read 1 works" "$allowed" "$call" read 1
echo 1 >"$cpu1"

# CPU 1 goes down and up while configure runs in a loop.
( i=0; while [ $i -lt 200 ]; do "$call" configure 2 >/dev/null; i=$((i + 1)); done ) &
pid=$!
bad=
for i in 1 2 3 4 5 6 7 8 9 10; do
	echo 0 >"$cpu1" || bad="$bad down$i"
	echo 1 >"$cpu1" || bad="$bad up$i"
done
wait $pid
[ -z "$bad" ] && [ "$(cat "$cpu1")" = 1 ] && ok "hotplug during configure loops: CPU 1 back online" ||
	no "hotplug during configure loops: CPU 1 back online" "failed:$bad; online=$(cat "$cpu1")"
got="$("$call" configure 2) $("$call" read 2)"
[ "$got" = "$allowed $allowed" ] && ok "after hotplug: configure and read of 2 CPUs work ($allowed)" ||
	no "after hotplug: configure and read of 2 CPUs work" "got $got, want $allowed twice"
