#!/bin/sh
# In the guest: the kernel is ours, says so in /sys/kernel/anker, and a
# program built in the guest against the installed libanker works.
set -u
top=${ANKER_TOP:?}
hdr=$top/build/usr/include/linux/anker.h
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { d=$1; shift; if "$@"; then ok "$d"; else no "$d" "failed: $*"; fi; }

echo "1..8"
rel=$(uname -r)
check "the running kernel is the Anker build ($rel)" \
	[ "$rel" = "$(cat "$top/build/kernel-test/release" 2>/dev/null)" ]
case "$rel" in *-anker) ok "its local version names Anker" ;; *) no "its local version names Anker" "$rel" ;; esac
want=$(sed -n 's/^#define ANKER_VERSION[^"]*"\(.*\)"/\1/p' "$hdr")
check "/sys/kernel/anker/version is the headers' ANKER_VERSION ($want)" \
	[ "$(cat /sys/kernel/anker/version)" = "$want" ]
check "/sys/kernel/anker/features is a directory" [ -d /sys/kernel/anker/features ]
bad=$(find /sys/kernel/anker -type f -perm /222 2>/dev/null)
check "every entry of /sys/kernel/anker is read-only" [ -z "$bad" ]
out=$(anker-info 2>&1); rc=$?
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q "^anker: *$want" &&
	printf '%s\n' "$out" | grep -q "$rel"; then
	ok "anker-info prints the kernel and Anker versions"
else
	no "anker-info prints the kernel and Anker versions" "status $rc" "$out"
fi

# libanker installed with make install, then used through pkg-config.
inst=$(mktemp -d)
if make -s -C "$top/tools/libanker" install DESTDIR="$inst" PREFIX=/opt/anker >"$inst/log" 2>&1 &&
	[ -f "$inst/opt/anker/include/linux/anker.h" ] && grep -qx "prefix=/opt/anker" "$inst/opt/anker/lib/pkgconfig/anker.pc"; then
	ok "make install of libanker honours DESTDIR and PREFIX"
else
	no "make install of libanker honours DESTDIR and PREFIX" "$(cat "$inst/log")"
fi
cat >"$inst/t.c" <<'C'
#include <anker.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	char v[32];

	if (anker_kernel_version(v, sizeof(v)) || strcmp(v, ANKER_VERSION))
		return 1;
	printf("%s\n", v);
	return 0;
}
C
# the installed anker.pc, not the build tree's anker-uninstalled.pc of the guest shell
export PKG_CONFIG_SYSROOT_DIR="$inst" PKG_CONFIG_LIBDIR="$inst/opt/anker/lib/pkgconfig" PKG_CONFIG_PATH=
if cc -o "$inst/t" "$inst/t.c" $(pkg-config --cflags --libs anker) >"$inst/log" 2>&1 &&
	[ "$(LD_LIBRARY_PATH="$inst/opt/anker/lib" "$inst/t")" = "$want" ]; then
	ok "a program built in the guest with pkg-config anker runs"
else
	no "a program built in the guest with pkg-config anker runs" "$(cat "$inst/log")"
fi
rm -rf "$inst"
