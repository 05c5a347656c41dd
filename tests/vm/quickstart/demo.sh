#!/bin/sh
# What a visitor runs first: every anker-* tool on PATH in the login shell,
# anker-info's doc page and next command for each feature, anker-demo.
set -u
top=${ANKER_TOP:?}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
has() { printf '%s\n' "$1" | grep -q -- "$2"; }

echo "1..6"
missing=
for t in "$top"/build/bin/anker-*; do
	name=${t##*/}
	got=$(env -i HOME=/root TERM=dumb bash -l -c "command -v $name" 2>&1)
	[ "$got" = "$t" ] || missing="$missing $name($got)"
done
[ -z "$missing" ] && ok "a login shell finds every build/bin/anker-* tool" ||
	no "a login shell finds every build/bin/anker-* tool" "missing:$missing"

out=$(anker-info 2>&1); rc=$?
bad=
for f in $(ls /sys/kernel/anker/features/ | grep -v '^kunit_'); do
	doc=$(printf '%s\n' "$out" | awk -v f="$f" '$1 == f { getline; print }')
	page=$(printf '%s\n' "$doc" | sed -n 's/^ *doc: \([^;]*\);.*/\1/p')
	case "$f:$doc" in
	vmcopy:*"try: anker-demo vmcopy"*|krun_msr:*"try: anker-demo krun_msr"*) ;;
	morsel:*"try: anker-demo morsel"*) ;;
	vmcopy:*|krun_msr:*|morsel:*) bad="$bad $f(no anker-demo)" ;;
	*"; try: "?*) ;;
	*) bad="$bad $f(no try)" ;;
	esac
	[ -n "$page" ] && [ -f "$top/$page" ] || bad="$bad $f(doc '$page')"
done
[ "$rc" -eq 0 ] && [ -z "$bad" ] && ok "anker-info names every feature's doc page (it exists) and what to try" ||
	no "anker-info names each feature's doc page and anker-demo FEATURE" "status $rc;$bad" "$out"

out=$(anker-demo vmcopy 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
if [ "$rc" -eq 0 ] && has "$out" "memcpy() into a new mapping .* ms" && has "$out" "vmcopy() .* ms" &&
	has "$out" "same bytes: yes" && has "$out" "source is unchanged: yes"; then
	ok "anker-demo vmcopy: 256 MiB by memcpy and by vmcopy, timed; same bytes; copy-on-write"
else
	no "anker-demo vmcopy: 256 MiB by memcpy and by vmcopy, timed" "status $rc"
fi

out=$(anker-demo krun_msr 2>&1); rc=$?
echo "$out" | sed 's/^/# /'
[ "$rc" -eq 0 ] && has "$out" "APERF/MPERF \(yes\|no\)" && has "$out" "perfmon version [0-9]" &&
	has "$out" "krun_read_msrs(CPU 0): " && ok "anker-demo krun_msr: what the CPU supports, one read" ||
	no "anker-demo krun_msr: what the CPU supports, one read" "status $rc"

out=$(anker-demo no-such-feature 2>&1); rc=$?
[ "$rc" -eq 2 ] && has "$out" "no demo of 'no-such-feature'" && has "$out" "features with a demo: .*vmcopy" &&
	ok "anker-demo of an unknown feature: status 2, lists the demos" ||
	no "anker-demo of an unknown feature: status 2, lists the demos" "status $rc" "$out"

out=$(anker-demo 2>&1); rc=$?
[ "$rc" -eq 2 ] && has "$out" "usage: " && ok "anker-demo without a feature: usage, status 2" ||
	no "anker-demo without a feature: usage, status 2" "status $rc" "$out"

