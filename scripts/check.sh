#!/bin/sh
# make check: host unit tests, the test kernel, the harness tests that boot
# it, one boot running every VM test, and the KUnit results of that boot.
# Ends with "N passed, N failed, N skipped"; exits 1 if anything failed.
# Usage: scripts/check.sh [NAME]   (or T=NAME): run the tests NAME names:
#   a directory (llfree, boot), a program (boot.t or boot), a path
#   (unit/llfree, vm/boot/boot.t), or kunit / kunit/SUITE.
# KASAN=1: the same tests on the KASAN kernel (build/kernel-kasan); the
# harness tests (which test vm-run itself on the test kernel) are left out.
# LLFREE=1: the same on the LLFree kernel (build/kernel-llfree: the test
# kernel with LLFree as the page allocator, make check-llfree), also
# without the harness tests.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
T=${1:-${T:-}}
variant=test
[ "${KASAN:-0}" = 0 ] || variant=kasan
[ "${LLFREE:-0}" = 0 ] || variant=llfree
out=$top/build/check
rm -rf "$out"
mkdir -p "$out"
: >"$out/unit.tap"; : >"$out/harness.tap"; : >"$out/vm.tap"; : >"$out/kunit.tap"
start=$(date +%s)
say() { echo "check: $* ($(($(date +%s) - start)) s)"; }

match() {
	[ -z "$T" ] && return 0
	case "/$1/" in */"$T"/*|*/"$T".t/*) return 0 ;; esac
	case "$1" in "$T"|"$T"/*) return 0 ;; esac
	return 1
}
# Run one test program on the host as a section of $2.
run_host() {
	{
		echo "# anker-test: $1"
		rc=0
		timeout -k 5 "${ANKER_TEST_TIMEOUT:-900}" "$3" </dev/null 2>&1 || rc=$?
		echo "# anker-exit: $rc"
	} | tee -a "$2" | "$top/scripts/tap-progress"
}
# A failure that is not a test case's: a build that broke, a log report.
fail_section() {
	printf '# anker-test: %s\nnot ok 1 - %s\n# anker-exit: 1\n' "$1" "$2" >>"$3"
	echo "  FAIL $1: $2"
}

"$top/scripts/deps.sh" all

# Build the tests of tests/KIND/*/ into build/tests/KIND/ and print the
# programs T selects; a directory that does not build is a failure in OUT.
build_tests() {
	for d in "$top"/tests/$1/*/; do
		[ -f "$d/Makefile" ] || continue
		n=$(basename "$d")
		o=$top/build/tests/$1/$n
		if ! make -s -C "$d" O="$o" TOP="$top" >"$out/build-$1-$n.log" 2>&1; then
			fail_section "$1/$n" "build failed (build/check/build-$1-$n.log)" "$2" >&2
			tail -n 20 "$out/build-$1-$n.log" >&2
			continue
		fi
		for t in "$o"/*.t; do
			[ -x "$t" ] && match "$1/$n/$(basename "$t")" && echo "$t"
		done
	done
	return 0
}

# rswap's memory servers on the host's loopback, reached by the guest at
# 10.0.2.2 (vm-run --net): ANKER_RMEMD for the tests, and behind rmemd-ctl
# one that the guest may kill and restart (ANKER_RMEMD_KILL, _CTL, _TOKEN).
rmemd_pids=
start_rmemd() {
	d=$out/rmemd
	mkdir -p "$d/main" "$d/kill"
	[ -x "$top/build/bin/rmemd" ] || return 0
	"$top/build/bin/rmemd" --listen 127.0.0.1:0 --size 3G --mlock off \
		--port-file "$d/main/port" --log-file "$d/main/rmemd.log" &
	rmemd_pids=$!
	tok=$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')
	"$top/build/tests/vm/rswap/rmemd-ctl" --rmemd "$top/build/bin/rmemd" \
		--size 1G --dir "$d/kill" --token "$tok" 2>"$d/kill/ctl.log" &
	rmemd_pids="$rmemd_pids $!"
	i=0
	while [ ! -s "$d/main/port" ] || [ ! -s "$d/kill/ctl-port" ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "check: rmemd did not start" >&2; return 0; }
		sleep 0.1
	done
	vmargs="$vmargs --net -e ANKER_RMEMD=10.0.2.2:$(cat "$d/main/port")"
	vmargs="$vmargs -e ANKER_RMEMD_KILL=10.0.2.2:$(cat "$d/kill/port")"
	vmargs="$vmargs -e ANKER_RMEMD_CTL=10.0.2.2:$(cat "$d/kill/ctl-port") -e ANKER_RMEMD_TOKEN=$tok"
	[ -z "${RSWAP_TEST_MIB:-}" ] || vmargs="$vmargs -e RSWAP_TEST_MIB=$RSWAP_TEST_MIB"
}
stop_rmemd() {
	for p in $rmemd_pids; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rmemd_pids=
}
trap stop_rmemd EXIT
trap 'stop_rmemd; exit 130' INT TERM

# 1. Host unit tests.
say "host unit tests"
for t in $(build_tests unit "$out/unit.tap"); do
	run_host "unit/${t#"$top"/build/tests/unit/}" "$out/unit.tap" "$t"
done

# 2. The test kernel, unless only unit tests were asked for.
need_kernel=yes
if [ -n "$T" ] && grep -q '^# anker-test: ' "$out/unit.tap"; then
	need_kernel=
fi
if [ -n "$need_kernel" ]; then
	say "$variant kernel"
	if ! "$top/scripts/build-kernel.sh" "$variant"; then
		fail_section "kernel/build" "the test kernel did not build" "$out/vm.tap"
		need_kernel=
	elif ! make -s -C "$top" tools >"$out/build-tools.log" 2>&1; then
		fail_section "tools/build" "tools did not build (build/check/build-tools.log)" "$out/vm.tap"
		tail -n 20 "$out/build-tools.log"
		need_kernel=
	fi
fi

if [ -n "$need_kernel" ]; then
	# 3. Harness tests: host programs that boot the kernel themselves.
	for t in "$top"/tests/harness/*.t; do
		[ -x "$t" ] && [ "$variant" = test ] || continue
		match "harness/$(basename "$t")" || continue
		say "harness/$(basename "$t")"
		run_host "harness/$(basename "$t")" "$out/harness.tap" "$t"
	done

	# 4. VM tests: built on the host, all run in one boot.
	list=$(build_tests vm "$out/vm.tap")
	kunit=
	case "$T" in ""|kunit|kunit/*) kunit=yes ;; esac
	if [ -n "$list" ] || [ -n "$kunit" ]; then
		say "booting the $variant kernel for $(echo $list | wc -w) VM test programs"
		vmargs= vm_timeout=${ANKER_CHECK_TIMEOUT:-2400}
		if [ "$variant" = kasan ]; then
			# KASAN under TCG runs several times slower: longer limits
			# for the boot, each program and each case (ANKER_SLOW).
			vm_timeout=${ANKER_CHECK_TIMEOUT:-7200}
			vmargs="-e ANKER_SLOW=4 -e ANKER_TEST_TIMEOUT=${ANKER_TEST_TIMEOUT:-2400}"
		fi
		case "$list" in */tests/vm/rswap/*) start_rmemd ;; esac
		{
			rc=0
			"$top/scripts/vm-run" -k "$variant" -n check -t "$vm_timeout" \
				-m "${ANKER_VM_MEM:-6G}" -a 'hugepagesz=1G hugepages=1' $vmargs \
				-- "$top/scripts/guest-tests" $list || rc=$?
			echo "$rc" >"$out/vm.rc"
		} | tee -a "$out/vm.tap" | "$top/scripts/tap-progress"
		stop_rmemd
		rc=$(cat "$out/vm.rc")
		[ "$rc" -eq 0 ] || fail_section "vm/boot" "the guest ended with status $rc (build/vm/check.log)" "$out/vm.tap"
		# The LLFree kernel booted with anker_llfree=off: the same binary on
		# the buddy allocator (its llfree-alloc cases check which one runs).
		for t in $list; do
			[ "$variant" = llfree ] || break
			case "$t" in */tests/vm/llfree-alloc/*) ;; *) continue ;; esac
			{
				echo "# anker-test: vm/llfree-alloc/$(basename "$t") (anker_llfree=off)"
				rc=0
				"$top/scripts/vm-run" -k llfree -n check-llfree-off -t 600 \
					-m "${ANKER_VM_MEM:-6G}" -a anker_llfree=off -- "$t" || rc=$?
				echo "# anker-exit: $rc"
			} | tee -a "$out/vm.tap" | "$top/scripts/tap-progress"
		done
		if [ -n "$kunit" ]; then
			"$top/scripts/kunit-extract" "$top/build/vm/check.log" |
				awk -v t="$T" '/^# anker-test: / { keep = (t == "" || t == "kunit" || substr($0, 15) == t) } keep' \
				>"$out/kunit.tap"
			"$top/scripts/tap-progress" <"$out/kunit.tap"
		fi
	fi
fi

say "done"
cat "$out"/unit.tap "$out"/harness.tap "$out"/vm.tap "$out"/kunit.tap >"$out/all.tap"
if [ -n "$T" ] && ! grep -q '^# anker-test: ' "$out/all.tap"; then
	echo "check: no test matches '$T'" >&2
	exit 2
fi
rc=0
"$top/scripts/tap-summary" "$out/all.tap" >"$out/summary" || rc=$?
cat "$out/summary"
# The full KASAN run is not part of CI: its last result is kept.
if [ "$variant" = kasan ] && [ -z "$T" ]; then
	{
		echo "# make check KASAN=1: last full run"
		echo
		echo "Written by \`make check KASAN=1\` (scripts/check.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'):"
		echo "kernel \`build/kernel-kasan\` ($(cat "$top/build/kernel-kasan/release" 2>/dev/null),"
		echo "test kernel + generic inline KASAN, kernel/configs/kasan.config), every VM test and the"
		echo "short fuzz in one boot, the KUnit suites of that boot, and the host unit tests."
		echo "Time limits: boot ${vm_timeout:-?} s, a test program ${ANKER_TEST_TIMEOUT:-2400} s, a case's alarm x4."
		echo "Wall time $(($(date +%s) - start)) s; host load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		echo "Kernel reports (KASAN, KFENCE, lockdep, BUG, WARNING: scripts/logscan of the console):"
		if reports=$("$top/scripts/logscan" "$top/build/vm/check.log"); then
			echo "none"
		else
			echo "**found** (build/vm/check.log):"
			echo '```'
			printf '%s\n' "$reports" | head -40
			echo '```'
		fi
		echo
		echo '```'
		cat "$out/summary"
		echo '```'
	} >"$top/bench/results/kasan.md"
	echo "check: wrote bench/results/kasan.md"
fi
exit "$rc"
