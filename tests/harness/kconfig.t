#!/bin/sh
# scripts/kconfig.sh: an option a fragment asks for that does not survive
# olddefconfig is an error naming it, never silently dropped.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "$top/build/kconfig-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
t() { n=$((n + 1)); if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi; }

printf 'CONFIG_64BIT=y\n# CONFIG_SYSFS is not set\nCONFIG_ANKER=y\nCONFIG_ANKER_NOT_AN_OPTION=y\n' >"$tmp/bad.config"
printf 'CONFIG_64BIT=y\nCONFIG_SYSFS=y\nCONFIG_ANKER=y\n' >"$tmp/good.config"

echo "1..4"
"$top/scripts/kconfig.sh" "$tmp/out" "$tmp/bad.config" >"$tmp/log" 2>&1
rc=$?
desc="a fragment whose options do not survive fails"
t [ "$rc" -ne 0 ]
desc="the option dropped for a missing dependency is named"
t grep -q 'CONFIG_ANKER=y was asked for' "$tmp/log"
desc="an option that does not exist is named"
t grep -q 'CONFIG_ANKER_NOT_AN_OPTION=y was asked for' "$tmp/log"
desc="a fragment that survives gives a .config with its options"
t sh -c "'$top/scripts/kconfig.sh' '$tmp/out' '$tmp/good.config' >/dev/null 2>&1 && grep -qx CONFIG_ANKER=y '$tmp/out/.config'"
