#!/bin/sh
# make selftests: upstream's mm and cgroup memory selftests, built from our
# kernel tree (build/linux/tools/testing/selftests) against our uapi headers
# (build/usr/include), run in the guest on the Anker test kernel
# (build/kernel-test) and on the same configuration with every CONFIG_ANKER_*
# off (build/kernel-noanker). Prints both pass sets and the difference; a
# test (program or kselftest subtest) that passes without Anker and fails
# with it fails `make selftests`. The list and the skipped tests with their
# reasons: tests/selftests/tests.list. Results: bench/results/selftests.md.
# SELFTESTS_REPORT_ONLY=1: only compare the last runs (build/selftests/*.tap).
set -eu
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/selftests
list=$top/tests/selftests/tests.list
mkdir -p "$out"

if [ -z "${SELFTESTS_REPORT_ONLY:-}" ]; then
"$top/scripts/deps.sh" selftests
"$top/scripts/build-kernel.sh" test
"$top/scripts/build-kernel.sh" noanker

# The selftests: mm (all of it, as upstream builds it) and cgroup's memory tests.
st=$top/build/linux/tools/testing/selftests
hdr="-isystem $top/build/usr/include"
echo "selftests: building mm and cgroup selftests into build/selftests" >&2
mkdir -p "$out/bin/mm" "$out/bin/cgroup"
# -k: 6.12's khugepaged.c does not build (KSFT_SKIP undeclared); the rest does
make -k -s -C "$st/mm" OUTPUT="$out/bin/mm" KHDR_INCLUDES="$hdr" -j"$(nproc)" \
	>"$out/build-mm.log" 2>&1 ||
	echo "selftests: some mm selftests did not build:" \
		"$(sed -n 's/.*\[.*lib.mk:[0-9]*: .*\/\([^/]*\)\] Error.*/\1/p' "$out/build-mm.log" | tr '\n' ' ')" \
		"(build/selftests/build-mm.log)" >&2
make -s -C "$st/cgroup" OUTPUT="$out/bin/cgroup" KHDR_INCLUDES="$hdr" \
	"$out/bin/cgroup/test_memcontrol" "$out/bin/cgroup/test_kmem" \
	"$out/bin/cgroup/test_hugetlb_memcg" \
	>"$out/build-cgroup.log" 2>&1 || { tail -n 30 "$out/build-cgroup.log" >&2; exit 1; }
# the scripts run_vmtests.sh would run are used from the source
cp "$st"/mm/*.sh "$out/bin/mm/"

for k in test noanker; do
	echo "selftests: running on build/kernel-$k (console log build/vm/selftests-$k.log)" >&2
	start=$(date +%s)
	rc=0
	"$top/scripts/vm-run" -k "$k" -n "selftests-$k" -m "${ANKER_VM_MEM:-3G}" \
		-t "${ANKER_SELFTESTS_TIMEOUT:-5400}" \
		-- "$top/tests/selftests/guest-run.sh" "$list" "$out/bin" \
		>"$out/$k.tap" 2>"$out/$k.err" || rc=$?
	echo "$rc $(($(date +%s) - start))" >"$out/$k.rc"
	cat "$out/$k.err" >&2
done
fi
for k in test noanker; do
	# the guest's console turns newlines into CR LF
	tr -d '\r' <"$out/$k.tap" >"$out/$k.tap.tmp" && mv "$out/$k.tap.tmp" "$out/$k.tap"
done

# program results: NAME pass|fail|skip; subtests: PROGRAM: DESCRIPTION pass|fail
results() {
	awk '
		/^# anker-selftest: / { prog = $3; next }
		/^ok [0-9]+ / && / # SKIP/ { print $3 "\tskip"; next }
		/^ok [0-9]+ / { print $3 "\tpass"; next }
		/^not ok [0-9]+ / { print $4 "\tfail"; next }
	' "$1" | sort
}
subtests() {
	awk '
		/^# anker-selftest: / { prog = $3; next }
		/^#   (not )?ok [0-9]+ / {
			s = $0; sub(/^#   /, "", s)
			res = (s ~ /^not ok/) ? "fail" : (s ~ /# [Ss][Kk][Ii][Pp]/) ? "skip" : "pass"
			sub(/^(not )?ok [0-9]+ (- )?/, "", s); sub(/ # .*/, "", s)
			# measured numbers in a name ("Extra pages 43 (0.1%)") are not its identity
			gsub(/[0-9]+(\.[0-9]+)?/, "N", s)
			# a name seen several times (sizes, modes) fails if any instance fails
			k = prog ": " s
			if (res != "skip" && r[k] != "fail") r[k] = res
		}
		END { for (k in r) print k "\t" r[k] }
	' "$1" | sort
}
results "$out/test.tap" >"$out/test.res"
results "$out/noanker.tap" >"$out/noanker.res"
subtests "$out/test.tap" >"$out/test.sub"
subtests "$out/noanker.tap" >"$out/noanker.sub"

# A regression: pass without Anker, not a pass with it (missing counts too).
regress() {
	awk -F'\t' 'NR == FNR { with[$1] = $2; next }
		$2 == "pass" && with[$1] != "pass" { print $1 " (with Anker: " (with[$1] == "" ? "missing" : with[$1]) ")" }' "$1" "$2"
}
gained() {
	awk -F'\t' 'NR == FNR { without[$1] = $2; next }
		$2 == "pass" && without[$1] != "pass" { print $1 }' "$2" "$1"
}
reg=$(regress "$out/test.res" "$out/noanker.res"; regress "$out/test.sub" "$out/noanker.sub")
gain=$(gained "$out/test.res" "$out/noanker.res"; gained "$out/test.sub" "$out/noanker.sub")
count() { awk -F'\t' -v r="$2" '$2 == r' "$1" | wc -l; }
line() {
	printf '%s: %d programs passed, %d failed, %d skipped; %d subtests passed, %d failed; guest %s s, exit %s\n' \
		"$1" "$(count "$out/$2.res" pass)" "$(count "$out/$2.res" fail)" "$(count "$out/$2.res" skip)" \
		"$(count "$out/$2.sub" pass)" "$(count "$out/$2.sub" fail)" \
		"$(cut -d' ' -f2 "$out/$2.rc")" "$(cut -d' ' -f1 "$out/$2.rc")"
}
reports=
for k in test noanker; do
	[ -f "$top/build/vm/selftests-$k.log" ] || continue
	r=$("$top/scripts/logscan" "$top/build/vm/selftests-$k.log" 2>&1) ||
		reports="$reports
build/kernel-$k:
$r"
done

res=$top/bench/results/selftests.md
{
	echo "# Upstream selftests: \`make selftests\`"
	echo
	echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'): tools/testing/selftests/mm and cgroup's memory tests of" \
		"$(cat "$top/build/kernel-test/release"), QEMU TCG, guest ${ANKER_VM_MEM:-3G}, 2 vCPUs." \
		"The list, the time limits and the reasons for skipped tests: tests/selftests/tests.list."
	echo
	echo "- $(line "with Anker (build/kernel-test)" test)"
	echo "- $(line "without Anker (build/kernel-noanker)" noanker)"
	echo
	if [ -n "$reg" ]; then
		echo "**Regressions** (pass without Anker, not with it):"
		echo
		printf '%s\n' "$reg" | sed 's/^/- /'
	else
		echo "**No regression**: every program and subtest that passes without Anker passes with it."
	fi
	if [ -n "$gain" ]; then
		echo
		echo "Passing with Anker only:"
		echo
		printf '%s\n' "$gain" | sed 's/^/- /'
	fi
	if [ -n "$reports" ]; then
		echo
		echo "Kernel reports in the console logs:"
		echo '```'
		printf '%s\n' "$reports"
		echo '```'
	fi
	echo
	echo "| test | with Anker | without Anker |"
	echo "|---|---|---|"
	join -t "$(printf '\t')" -a1 -a2 -e missing -o 0,1.2,2.2 "$out/test.res" "$out/noanker.res" |
		awk -F'\t' '{ print "| " $1 " | " $2 " | " $3 " |" }'
	echo
	echo "Not run, and why (SKIP lines of the run with Anker, as the programs or tests.list give them):"
	echo
	grep -a '^ok [0-9]* .* # SKIP' "$out/test.tap" | sed 's/^ok [0-9]* /- /; s/ # SKIP /: /'
	echo
	echo "Failing on both kernels (what fails under TCG or in this configuration, with Anker and without):"
	echo
	join -t "$(printf '\t')" "$out/test.sub" "$out/noanker.sub" | awk -F'\t' '$2 == "fail" && $3 == "fail" { print "- " $1 }'
	join -t "$(printf '\t')" "$out/test.res" "$out/noanker.res" | awk -F'\t' '$2 == "fail" && $3 == "fail" { print "- " $1 " (program)" }'
} >"$res"

echo
echo "== with Anker: passing =="
awk -F'\t' '$2 == "pass" { print "  " $1 }' "$out/test.res"
echo "== without Anker: passing =="
awk -F'\t' '$2 == "pass" { print "  " $1 }' "$out/noanker.res"
echo "== difference =="
[ -z "$reg" ] || printf '%s\n' "$reg" | sed 's/^/  REGRESSION: /'
[ -z "$gain" ] || printf '%s\n' "$gain" | sed 's/^/  passes with Anker only: /'
[ -n "$reg$gain" ] || echo "  none"
line "with Anker" test
line "without Anker" noanker
[ -z "$reports" ] || { echo "selftests: kernel reports:$reports" >&2; }
echo "selftests: results in bench/results/selftests.md"
[ -z "$reg" ] && [ -z "$reports" ]
