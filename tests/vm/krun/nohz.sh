#!/bin/sh
# Tickless benchmarking: with CONFIG_NO_HZ_FULL and
# CONFIG_ANKER_NO_HZ_FULL_ALL, and no nohz_full= on the command line, every
# CPU but the boot CPU runs full dynticks, and a CPU-bound task alone on
# such a CPU really runs without the periodic tick.
set -u
top=${ANKER_TOP:?}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

echo "1..7"
# The build directory of the running kernel, for its .config.
cfg=
for k in test bench; do
	[ "$(cat "$top/build/kernel-$k/release" 2>/dev/null)" = "$(uname -r)" ] &&
		cfg=$top/build/kernel-$k/.config && break
done
if [ -n "$cfg" ] && grep -q '^CONFIG_NO_HZ_FULL=y' "$cfg" &&
	grep -q '^CONFIG_ANKER_NO_HZ_FULL_ALL=y' "$cfg" && ! grep -q '^CONFIG_NO_HZ_IDLE=y' "$cfg"; then
	ok "the kernel has CONFIG_NO_HZ_FULL and CONFIG_ANKER_NO_HZ_FULL_ALL"
else
	no "the kernel has CONFIG_NO_HZ_FULL and CONFIG_ANKER_NO_HZ_FULL_ALL" "config: ${cfg:-not found}"
fi

possible=$(cat /sys/devices/system/cpu/possible)
last=${possible##*-}
case $last in 1) want=1 ;; *) want=1-$last ;; esac
full=$(cat /sys/devices/system/cpu/nohz_full 2>/dev/null)
if grep -q 'nohz_full=' /proc/cmdline; then
	skip "without nohz_full=, nohz_full lists every CPU but the boot CPU" "nohz_full= on the command line"
elif [ "$last" = 0 ]; then
	skip "without nohz_full=, nohz_full lists every CPU but the boot CPU" "one CPU only"
elif [ "$full" = "$want" ]; then
	ok "without nohz_full=, nohz_full lists every CPU but the boot CPU ($full)"
else
	no "without nohz_full=, nohz_full lists every CPU but the boot CPU" "want $want, got '$full'"
fi
case ",$full," in
*,0,*|*,0-*) no "the boot CPU 0 keeps its tick" "nohz_full: $full" ;;
*) ok "the boot CPU 0 keeps its tick" ;;
esac

f=$(cat /sys/kernel/anker/features/nohz_full_all 2>/dev/null)
[ "$f" = "nohz_full CPUs: ${full:-none}" ] && ok "the feature file nohz_full_all says '$f'" ||
	no "the feature file nohz_full_all names the nohz_full CPUs" "got '$f', nohz_full '$full'"

if dmesg | grep -q "NO_HZ: Full dynticks CPUs: $full\."; then
	ok "the kernel log says: Full dynticks CPUs: $full"
else
	no "the kernel log says: Full dynticks CPUs: $full" "$(dmesg | grep -i 'dynticks\|nohz' | head -5)"
fi

# Housekeeping moved off the nohz_full CPUs: unbound kthreads avoid CPU 1.
hk=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/2/status)
[ "$hk" = 0 ] && ok "kthreadd is confined to the housekeeping CPU 0" ||
	no "kthreadd is confined to the housekeeping CPU 0" "Cpus_allowed_list: $hk"

# A CPU-bound task alone on CPU 1 for 3 s: count CPU 1's local timer
# interrupts. A periodic tick would give 3 * HZ of them; full dynticks
# leaves the 1 Hz residual tick and a few stray timers.
hz=$(sed -n 's/^CONFIG_HZ=//p' "${cfg:-/dev/null}")
loc() { awk '$1 == "LOC:" { print $3 }' /proc/interrupts; }
if [ "$last" = 0 ] || [ -z "$hz" ]; then
	skip "a task alone on CPU 1 runs without the periodic tick" "one CPU, or CONFIG_HZ unknown"
else
	before=$(loc)
	timeout 3 taskset -c 1 sh -c 'while :; do :; done'
	after=$(loc)
	ticks=$((after - before))
	if [ "$ticks" -lt $((3 * hz / 4)) ]; then
		ok "a task alone on CPU 1 runs without the periodic tick ($ticks interrupts in 3 s, HZ=$hz)"
	else
		no "a task alone on CPU 1 runs without the periodic tick" "$ticks local timer interrupts in 3 s, HZ=$hz"
	fi
fi
