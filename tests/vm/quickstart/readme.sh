#!/bin/sh
# The README's Quick start, taken from README.md each time (so it cannot go
# stale): its shell block, run in a fresh login shell as `make run` opens
# it (the environment comes from /etc/profile only), prints exactly the
# output the README shows.
set -u
top=${ANKER_TOP:?}
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
# A login shell with nothing of this process's environment: what make run's
# interactive `bash -l` gets.
login() { env -i HOME=/root TERM=dumb bash -l "$@"; }

echo "1..6"
tmp=$(mktemp -d)
awk '/^## / { q = ($0 == "## Quick start") } q' "$top/README.md" >"$tmp/section"
# The first ```sh block of the section, and the block after "It prints:".
awk '/^```sh$/ && !s { s = 1; next } s == 1 && /^```$/ { exit } s == 1' "$tmp/section" >"$tmp/block.sh"
awk '/^It prints:/ { p = 1; next } p == 1 && /^```$/ { p = 2; next } p == 2 && /^```$/ { exit } p == 2' \
	"$tmp/section" >"$tmp/want"
if [ -s "$tmp/block.sh" ] && [ -s "$tmp/want" ] && grep -q 'vmcopy(' "$tmp/block.sh" &&
	grep -q 'pkg-config --cflags --libs anker' "$tmp/block.sh"; then
	ok "README.md has a Quick start: a shell block with a vmcopy() program, built with pkg-config, and its output"
else
	no "README.md has a Quick start with a vmcopy() program and its output" "block: $(cat "$tmp/block.sh")" "want: $(cat "$tmp/want")"
fi

out=$(login -c 'printf "%s\n" "$PATH"; printf "%s\n" "${PKG_CONFIG_PATH:-}"; printf "%s\n" "${ANKER_TOP:-}"' 2>&1)
if [ "$(printf '%s\n' "$out" | sed -n 1p | cut -d: -f1)" = "$top/build/bin" ] &&
	[ "$(printf '%s\n' "$out" | sed -n 2p)" = "$top/build/tools/libanker" ] &&
	[ "$(printf '%s\n' "$out" | sed -n 3p)" = "$top" ]; then
	ok "a login shell keeps build/bin first on PATH, ANKER_TOP, and PKG_CONFIG_PATH=build/tools/libanker"
else
	no "a login shell keeps build/bin on PATH, ANKER_TOP and PKG_CONFIG_PATH" "$out"
fi

want_v=$(sed -n 's/^#define ANKER_VERSION[^"]*"\(.*\)"/\1/p' "$top/build/usr/include/linux/anker.h")
out=$(login -c 'pkg-config --modversion anker && pkg-config --path anker' 2>&1)
if [ "$(printf '%s\n' "$out" | sed -n 1p)" = "$want_v" ] &&
	[ "$(printf '%s\n' "$out" | sed -n 2p)" = "$top/build/tools/libanker/anker-uninstalled.pc" ]; then
	ok "pkg-config finds anker-uninstalled.pc in the build tree (version $want_v)"
else
	no "pkg-config finds anker-uninstalled.pc in the build tree" "$out"
fi

# The block as a user pastes it (it works in /tmp; that is the guest's).
rm -f /tmp/hello /tmp/hello.c
out=$(login -s <"$tmp/block.sh" 2>&1); rc=$?
if [ "$rc" -eq 0 ] && [ "$out" = "$(cat "$tmp/want")" ]; then
	ok "the Quick start block prints what the README says"
else
	no "the Quick start block prints what the README says" "status $rc; got:" "$out" "want:" "$(cat "$tmp/want")"
fi

# The flags before the source file work as well (libanker.so, rpath).
out=$(cd /tmp && login -c 'cd /tmp && cc $(pkg-config --cflags --libs anker) -o hello2 hello.c && ./hello2' 2>&1); rc=$?
if [ "$rc" -eq 0 ] && [ "$out" = "$(cat "$tmp/want")" ]; then
	ok "cc \$(pkg-config --cflags --libs anker) hello.c (flags first) builds and runs too"
else
	no "cc \$(pkg-config --cflags --libs anker) hello.c (flags first) builds and runs" "status $rc" "$out"
fi

# Without PKG_CONFIG_PATH there is no anker: the test above used the build tree's.
if env -i PATH=/usr/bin:/bin pkg-config --exists anker 2>/dev/null; then
	no "without PKG_CONFIG_PATH, pkg-config has no anker (nothing installed to fake the result)" \
		"found $(env -i PATH=/usr/bin:/bin pkg-config --path anker)"
else
	ok "without PKG_CONFIG_PATH, pkg-config has no anker (nothing installed to fake the result)"
fi
rm -rf "$tmp" /tmp/hello /tmp/hello2 /tmp/hello.c
