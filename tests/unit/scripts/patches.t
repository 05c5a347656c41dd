#!/bin/sh
# scripts/apply-patches.sh on a small git tree: patches apply in order and
# are committed; a patch that does not apply stops the build, naming the
# patch and printing the failing hunk, and leaves the tree pristine.
set -u
top=$(cd "$(dirname "$(readlink -f "$0")")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
t() { n=$((n + 1)); if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi; }
g() { git -C "$tmp/tree" -c user.name=t -c user.email=t@t "$@"; }

mkdir -p "$tmp/tree/mm" "$tmp/good" "$tmp/bad"
printf 'obj-y += a.o\nobj-y += b.o\n' >"$tmp/tree/mm/Makefile"
printf 'one\ntwo\n' >"$tmp/tree/Kconfig"
g init -q && g add -A && g commit -qm pristine && g tag pristine
printf 'obj-y += a.o\nobj-y += b.o\nobj-y += vmcopy.o\n' >"$tmp/tree/mm/Makefile"
g diff >"$tmp/good/mm-Makefile.patch"
printf 'one\ntwo\nthree\n' >"$tmp/tree/Kconfig"
g diff -- Kconfig >"$tmp/good/Kconfig.patch"
g checkout -q .
sed 's/^ obj-y += b.o/ obj-y += c.o/' "$tmp/good/mm-Makefile.patch" >"$tmp/bad/mm-Makefile.patch"
cp "$tmp/good/Kconfig.patch" "$tmp/bad/Kconfig.patch"

echo "1..5"
desc="good patches apply and are committed as 'anker patches'"
t sh -c "'$top/scripts/apply-patches.sh' '$tmp/tree' '$tmp/good' && grep -q vmcopy '$tmp/tree/mm/Makefile' &&
	grep -q three '$tmp/tree/Kconfig' && [ \"\$(git -C '$tmp/tree' log -1 --format=%s)\" = 'anker patches' ]"
desc="applying them again gives the same tree"
t sh -c "'$top/scripts/apply-patches.sh' '$tmp/tree' '$tmp/good' && [ \$(grep -c vmcopy '$tmp/tree/mm/Makefile') -eq 1 ]"
"$top/scripts/apply-patches.sh" "$tmp/tree" "$tmp/bad" >"$tmp/out" 2>&1
rc=$?
desc="a patch that does not apply stops with an error"
t [ "$rc" -ne 0 ]
desc="the error names the patch and prints the failing hunk"
t sh -c "grep -q 'patch mm-Makefile.patch does not apply' '$tmp/out' && grep -q '^+obj-y += vmcopy.o' '$tmp/out'"
desc="the tree is left pristine, without .rej files"
t sh -c "[ -z \"\$(git -C '$tmp/tree' status --porcelain --ignored)\" ] && ! grep -q vmcopy '$tmp/tree/mm/Makefile'"
