#!/bin/sh
# The user-space side: <sys/krun-syscall.h> installed where Krun's
# libkruntime includes it from, anker-benchcheck's checks and exit status,
# anker-krun-test, and perf alongside the Krun counters (hardware only).
set -u
top=${ANKER_TOP:?}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
has() { printf '%s\n' "$1" | grep -q -- "$2"; }

echo "1..22"
hw=no
grep -q 'hardware: yes' /sys/kernel/anker/features/krun_msr 2>/dev/null && hw=yes
tmp=$(mktemp -d)
ma=$(cc -print-multiarch)

# 1-4: the header.
inst=$tmp/usr-inst
if make -s -C "$top/tools/libanker" install DESTDIR="$inst" PREFIX=/usr >"$tmp/log" 2>&1 &&
	[ -f "$inst/usr/include/$ma/sys/krun-syscall.h" ]; then
	ok "PREFIX=/usr installs krun-syscall.h where Krun looks (/usr/include/$ma/sys/)"
else
	no "PREFIX=/usr installs krun-syscall.h where Krun looks" "$(cat "$tmp/log")" "$(find "$inst" -name 'krun*')"
fi
loc=$tmp/local-inst
if make -s -C "$top/tools/libanker" install DESTDIR="$loc" >"$tmp/log" 2>&1 &&
	[ -f "$loc/usr/local/include/sys/krun-syscall.h" ]; then
	ok "the default PREFIX=/usr/local installs it as /usr/local/include/sys/krun-syscall.h"
else
	no "the default PREFIX=/usr/local installs it as /usr/local/include/sys/krun-syscall.h" "$(find "$loc" -name 'krun*')"
fi
# A program written like libkruntime: <sys/krun-syscall.h>, SYSCALL_KRUN_*.
cat >"$tmp/kr.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/krun-syscall.h>
int main(void)
{
	uint64_t a[1], m[1], c[1];
	int err;

	printf("%d %d %d\n", SYSCALL_KRUN_READ_MSRS, SYSCALL_KRUN_RESET_MSRS,
	       SYSCALL_KRUN_CONFIGURE);
	err = syscall(SYSCALL_KRUN_READ_MSRS, 1, false, a, m, c);
	printf("%s\n", err ? strerrorname_np(errno) : "ok");
	return 0;
}
C
if cc -std=gnu11 -Wall -Werror -isystem "$inst/usr/include" -isystem "$inst/usr/include/$ma" \
	-o "$tmp/kr" "$tmp/kr.c" 2>"$tmp/log"; then
	ok "a libkruntime-style program builds against the installed headers"
else
	no "a libkruntime-style program builds against the installed headers" "$(cat "$tmp/log")"
fi
out=$("$tmp/kr" 2>&1)
want=ok; [ $hw = yes ] || want=EOPNOTSUPP
if [ "$out" = "900 901 902
$want" ]; then
	ok "its SYSCALL_KRUN_* are 900-902 and reach the kernel ($want)"
else
	no "its SYSCALL_KRUN_* are 900-902 and reach the kernel" "$out"
fi
# Krun's set-up copies the header alone: it must build with nothing else
# on the include path, not even the C library's headers.
only=$tmp/only
mkdir -p "$only/sys"
cp "$inst/usr/include/$ma/sys/krun-syscall.h" "$only/sys/" 2>"$tmp/log"
printf '%s\n' '#include <sys/krun-syscall.h>' \
	'_Static_assert(SYSCALL_KRUN_READ_MSRS == 900 && SYSCALL_KRUN_RESET_MSRS == 901 &&' \
	'	       SYSCALL_KRUN_CONFIGURE == 902, "Krun ABI numbers");' >"$tmp/alone.c"
if cc -std=c11 -nostdinc -I"$only" -Wall -Werror -c -o "$tmp/alone.o" "$tmp/alone.c" 2>>"$tmp/log"; then
	ok "krun-syscall.h builds alone (copied by itself, -nostdinc), numbers 900-902"
else
	no "krun-syscall.h builds alone (copied by itself, -nostdinc), numbers 900-902" "$(cat "$tmp/log")"
fi

# 5-15: anker-benchcheck.
aslr=/proc/sys/kernel/randomize_va_space
rate=/proc/sys/kernel/perf_event_max_sample_rate
echo 2 >$aslr; echo 1000 >$rate
out=$(anker-benchcheck 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
missing=
for c in tickless isolcpus governor turbo aslr perf-rate msr-syscall msr-access; do
	[ "$(printf '%s\n' "$out" | grep -cE "^(OK|WARN|FAIL) +$c ")" = 1 ] || missing="$missing $c"
done
[ -z "$missing" ] && ok "anker-benchcheck prints each check once as OK/WARN/FAIL" ||
	no "anker-benchcheck prints each check once as OK/WARN/FAIL" "missing:$missing"
bad=$(printf '%s\n' "$out" | awk '/^(WARN|FAIL) / { w = $2; getline; if ($0 !~ /^ +fix: /) print w }')
[ -z "$bad" ] && ok "every WARN and FAIL comes with its fix" || no "every WARN and FAIL comes with its fix" "no fix: $bad"
has "$out" "^OK   tickless .*CPUs 1" && ok "tickless: OK (full dynticks on CPU 1)" || no "tickless: OK" "$out"
has "$out" "^FAIL aslr " && has "$out" "fix: sysctl -w kernel.randomize_va_space=0" &&
	ok "ASLR on: FAIL, fix sysctl -w kernel.randomize_va_space=0" || no "ASLR on: FAIL with its fix"
has "$out" "^FAIL perf-rate " && has "$out" "fix: sysctl -w kernel.perf_event_max_sample_rate=1" &&
	ok "perf sample rate 1000: FAIL, fix ... perf_event_max_sample_rate=1" || no "perf sample rate: FAIL with its fix"
if [ $hw = yes ]; then
	has "$out" "^OK   msr-syscall " && ok "MSR syscalls: OK on this hardware" || no "MSR syscalls: OK on this hardware"
else
	has "$out" "^FAIL msr-syscall .*EOPNOTSUPP" && ok "MSR syscalls without the hardware: FAIL (EOPNOTSUPP)" ||
		no "MSR syscalls without the hardware: FAIL (EOPNOTSUPP)"
fi
[ "$rc" = 1 ] && ok "a FAIL makes the exit status 1" || no "a FAIL makes the exit status 1" "status $rc"

echo 0 >$aslr; echo 1 >$rate
out=$(anker-benchcheck -n msr-syscall 2>&1); rc=$?
has "$out" "^OK   aslr " && has "$out" "^OK   perf-rate " &&
	ok "ASLR off and sample rate 1: both OK" || no "ASLR off and sample rate 1: both OK" "$out"
if [ -d /sys/devices/system/cpu/cpu0/cpufreq ]; then
	skip "no cpufreq (VM): governor is a WARN, not a FAIL" "this machine has cpufreq"
	skip "no FAIL left: exit status 0; -s makes a WARN fail" "this machine has cpufreq"
else
	has "$out" "^WARN governor " && ok "no cpufreq (VM): governor is a WARN, not a FAIL" ||
		no "no cpufreq (VM): governor is a WARN" "$out"
	anker-benchcheck -s -n msr-syscall >/dev/null 2>&1; src=$?
	[ "$rc" = 0 ] && [ "$src" = 1 ] && ok "no FAIL left: exit status 0; -s makes a WARN fail" ||
		no "no FAIL left: exit status 0; -s makes a WARN fail" "status $rc, with -s $src" "$out"
fi
echo 2 >$aslr

# A made-up machine (ANKER_BENCHCHECK_ROOT): governor and turbo.
fake=$tmp/root
mkdir -p "$fake/sys/devices/system/cpu/intel_pstate"
for c in $(seq 0 $(($(getconf _NPROCESSORS_ONLN) - 1))); do
	mkdir -p "$fake/sys/devices/system/cpu/cpu$c/cpufreq"
	echo performance >"$fake/sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor"
	echo acpi-cpufreq >"$fake/sys/devices/system/cpu/cpu$c/cpufreq/scaling_driver"
done
echo powersave >"$fake/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"
echo 0 >"$fake/sys/devices/system/cpu/intel_pstate/no_turbo"
out=$(ANKER_BENCHCHECK_ROOT=$fake anker-benchcheck 2>&1)
has "$out" "^FAIL governor .*CPU 0 uses governor powersave" && has "$out" "fix: cpupower frequency-set -g performance" &&
	ok "governor powersave: FAIL, fix cpupower frequency-set -g performance" || no "governor powersave: FAIL with its fix" "$out"
has "$out" "^FAIL turbo " && has "$out" "fix: echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo" &&
	ok "turbo on: FAIL with its fix" || no "turbo on: FAIL with its fix" "$out"
echo performance >"$fake/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"
echo 1 >"$fake/sys/devices/system/cpu/intel_pstate/no_turbo"
out=$(ANKER_BENCHCHECK_ROOT=$fake anker-benchcheck 2>&1)
has "$out" "^OK   governor " && has "$out" "^OK   turbo " && ok "performance governor, turbo off: both OK" ||
	no "performance governor, turbo off: both OK" "$out"

# 17-18: anker-krun-test.
out=$(anker-krun-test -n 5 -i 10 2>&1); rc=$?
if [ $hw = yes ]; then
	[ "$rc" = 0 ] && has "$out" "all monotonic" && ok "anker-krun-test: all readings monotonic" ||
		no "anker-krun-test: all readings monotonic" "status $rc" "$out"
else
	[ "$rc" = 3 ] && has "$out" "Operation not supported" &&
		ok "anker-krun-test without the hardware: exit status 3, says why" ||
		no "anker-krun-test without the hardware: exit status 3, says why" "status $rc" "$out"
fi
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all anker-krun-test -n 1 2>&1); rc=$?
[ "$rc" = 1 ] && has "$out" "kernel.krun_msr_access=1" &&
	ok "anker-krun-test as nobody: EPERM, names the sysctl" || no "anker-krun-test as nobody: EPERM, names the sysctl" "status $rc" "$out"

# 19-20: perf stat -e cycles stays correct while the Krun syscalls run.
spin='i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done'
cycles() { perf stat -x, -e cycles:u -- sh -c "$spin" 2>&1 >/dev/null | awk -F, '/cycles/ { print $1 }'; }
if [ $hw = no ]; then
	why="no APERF/MPERF or perfmon v2 here (QEMU TCG has no PMU); the KUnit fake backend covers the logic"
	skip "perf stat -e cycles counts the same with the Krun counter configured" "$why"
	skip "perf stat -e cycles counts the same while Krun resets and reads run" "$why"
elif ! perf stat -e cycles true >/dev/null 2>&1; then
	skip "perf stat -e cycles counts the same with the Krun counter configured" "no working perf tool for this kernel"
	skip "perf stat -e cycles counts the same while Krun resets and reads run" "no working perf tool for this kernel"
else
	base=$(cycles)
	anker-krun-test -n 1 -i 0 -q >/dev/null 2>&1
	conf=$(cycles)
	anker-krun-test -n 0 -i 1 -q >/dev/null 2>&1 & pid=$!
	busy=$(cycles)
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
	within() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > 0 && b > 0 && b / a > 0.9 && b / a < 1.1) }'; }
	within "$base" "$conf" && ok "perf stat -e cycles counts the same with the Krun counter configured ($base, $conf)" ||
		no "perf stat -e cycles counts the same with the Krun counter configured" "$base vs $conf"
	within "$base" "$busy" && ok "perf stat -e cycles counts the same while Krun resets and reads run ($base, $busy)" ||
		no "perf stat -e cycles counts the same while Krun resets and reads run" "$base vs $busy"
fi
rm -rf "$tmp"
