#!/bin/sh
# make fuzz [MINUTES=N] [KASAN=1]: the long fuzz run. Builds the test kernel
# (build/kernel-test, or build/kernel-kasan with KASAN=1), boots it and runs
# tests/vm/fuzz/fuzz.t for N minutes (default 30): anker-fuzz, vmcopy-fuzz
# and trinity, see tests/vm/fuzz/fuzz.sh. Fails on a failed case, a kernel
# report in the console log (scripts/logscan), a hang or the guest's death.
# Writes bench/results/fuzz.md (bench/results/fuzz-kasan.md with KASAN=1).
# FUZZ_KERNEL=BZIMAGE: fuzz that kernel instead (not built here).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
minutes=${MINUTES:-30}
variant=test
[ "${KASAN:-0}" = 0 ] || variant=kasan
secs=$((minutes * 60))
out=$top/build/fuzz
mkdir -p "$out"

"$top/scripts/deps.sh" all
kernel=$variant
if [ -n "${FUZZ_KERNEL:-}" ]; then
	kernel=$FUZZ_KERNEL
	[ -f "$top/build/usr/include/linux/anker.h" ] || "$top/scripts/build-kernel.sh" "$variant"
else
	"$top/scripts/build-kernel.sh" "$variant"
fi
make -s -C "$top" tools KERNEL="$variant" >/dev/null
make -s -C "$top/tests/vm/fuzz" O="$top/build/tests/vm/fuzz" TOP="$top" >/dev/null

echo "fuzz: $minutes minutes on $kernel (console log build/vm/fuzz-$variant.log)"
start=$(date +%s)
rc=0
# The guest gets the budget plus 10 minutes (boot, set-up, the end of the
# last syscall, TCG slowness) before it counts as hung.
"$top/scripts/vm-run" -k "$kernel" -n "fuzz-$variant" -t $((secs + 600)) \
	-m "${ANKER_VM_MEM:-3G}" -- env FUZZ_SECONDS="$secs" ${FUZZ_SEED:+FUZZ_SEED=$FUZZ_SEED} \
	"$top/build/tests/vm/fuzz/fuzz.t" >"$out/fuzz-$variant.tap" 2>"$out/fuzz-$variant.err" || rc=$?
cat "$out/fuzz-$variant.tap" "$out/fuzz-$variant.err"
wall=$(($(date +%s) - start))
log=$top/build/vm/fuzz-$variant.log
reports=$("$top/scripts/logscan" "$log" 2>&1) || true
notok=$(grep -c '^not ok' "$out/fuzz-$variant.tap" || true)
if [ "$rc" -eq 0 ] && [ "$notok" -eq 0 ] && [ -z "$reports" ]; then verdict=PASS; else verdict=FAIL; fi

res=$top/bench/results/fuzz.md
[ "$variant" = test ] || res=$top/bench/results/fuzz-$variant.md
tap=$out/fuzz-$variant.tap
{
	echo "# Fuzzing: \`make fuzz MINUTES=$minutes${KASAN:+ KASAN=$KASAN}\`"
	echo
	echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on ${FUZZ_KERNEL:-build/kernel-$variant}" \
		"($(sed -n 's/^# kernel: //p' "$tap" | head -n 1)), QEMU TCG, $(grep -c '^processor' /proc/cpuinfo) host cores," \
		"guest ${ANKER_VM_MEM:-3G}, 2 vCPUs; $wall s wall time including the boot."
	echo
	echo "**Result: $verdict** — guest exit status $rc, $notok failed case(s)," \
		"kernel reports in the console log: $([ -z "$reports" ] && echo 0 || printf '%s' "$reports" | wc -l)."
	[ -z "$reports" ] || { echo; echo '```'; printf '%s\n' "$reports"; echo '```'; }
	echo
	echo "| fuzzer | what ran |"
	echo "|---|---|"
	sed -n 's/^ok [0-9]* - \([a-z-]*\): \(.*\)/| \1 | \2 |/p; s/^not ok [0-9]* - \([a-z-]*\): \(.*\)/| \1 | FAILED: \2 |/p' "$tap"
	echo
	echo "Calls per target of anker-fuzz (ok = returned without error):"
	echo
	echo '```'
	grep -E '^# [a-z_]+ +[0-9]+ calls' "$tap" | sed 's/^# //'
	echo '```'
	echo
	echo "The whole TAP output of the guest:"
	echo
	echo '```'
	cat "$tap"
	echo '```'
} >"$res"
echo "fuzz: $verdict after $wall s; results in ${res#"$top"/}"
[ "$verdict" = PASS ]
