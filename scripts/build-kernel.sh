#!/bin/sh
# Build an Anker kernel: prepare build/linux, make the config, build bzImage
# and modules with ccache, install the uapi headers into build/usr.
# Usage: scripts/build-kernel.sh test|bench|kasan|noanker|llfree|llfree-bench
#   test:    vm + anker + debug fragments (make check)   -> build/kernel-test
#   bench:   vm + anker fragments (make bench, make run)  -> build/kernel-bench
#   kasan:   test + kasan fragment (make check KASAN=1)   -> build/kernel-kasan
#   noanker: test with every CONFIG_ANKER_* off (make selftests) -> build/kernel-noanker
#   llfree:  test + llfree fragment (LLFree page allocator; make check-llfree) -> build/kernel-llfree
#   llfree-bench: bench + llfree fragment (bench/llfree-kernel) -> build/kernel-llfree-bench
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
variant=${1:-test}
frags="$top/kernel/configs/vm.config $top/kernel/configs/anker.config"
out=$top/build/kernel-$variant
case "$variant" in
test) frags="$frags $top/kernel/configs/debug.config" ;;
bench) ;;
kasan) frags="$frags $top/kernel/configs/debug.config $top/kernel/configs/kasan.config" ;;
llfree) frags="$frags $top/kernel/configs/debug.config $top/kernel/configs/llfree.config" ;;
llfree-bench) frags="$frags $top/kernel/configs/llfree.config" ;;
noanker)
	# The test kernel's fragments with every Anker option turned off.
	mkdir -p "$out"
	sed -E 's/^(CONFIG_ANKER[A-Z0-9_]*)=.*/# \1 is not set/' \
		"$top/kernel/configs/anker.config" "$top/kernel/configs/debug.config" \
		>"$out/noanker.config"
	frags="$top/kernel/configs/vm.config $out/noanker.config"
	;;
*) echo "usage: $0 test|bench|kasan|noanker|llfree|llfree-bench" >&2; exit 2 ;;
esac
mkdir -p "$top/build"

# One kernel build at a time per checkout, and one at a time on the machine:
# two builds on 2 cores take as long as one after the other, and the second
# then hits ccache for what the first compiled (ANKER_BUILD_LOCK= to opt out).
exec 9>"$top/build/.kernel.lock"
flock 9

"$top/scripts/deps.sh" build
"$top/scripts/prepare-tree.sh"
# The config, unless its inputs are the same as last time.
stamp=$(cat $frags "$top/build/linux/.anker-source" "$top/build/linux/.anker-patches" \
	$(find "$top/kernel/tree" -name 'Kconfig*' | sort) | sha1sum | cut -d' ' -f1)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.anker-config" 2>/dev/null)" != "$stamp" ]; then
	"$top/scripts/kconfig.sh" "$out" $frags
	echo "$stamp" >"$out/.anker-config"
fi

# Nothing to do when every input is the same as at the last good build: the
# config, the new files (kernel/tree, links followed) and the upstream files
# (source version, applied patch set, edits not yet saved as patches). Then the machine-wide
# lock below is not taken, so a test run does not wait for another checkout's
# build.
inputs=$({
	cat "$out/.config" "$top/build/linux/.anker-source" "$top/build/linux/.anker-patches"
	(cd "$top/kernel/tree" && find -L . -type f | LC_ALL=C sort | xargs sha1sum)
	git -C "$top/build/linux" diff HEAD
} | sha1sum | cut -d' ' -f1)
if [ -f "$out/arch/x86/boot/bzImage" ] && [ "$(cat "$out/.anker-built" 2>/dev/null)" = "$inputs" ]; then
	echo "kernel: build/kernel-$variant is up to date" >&2
	exit 0
fi
rm -f "$out/.anker-built"

lock=${ANKER_BUILD_LOCK-/tmp/anker-kernel-build.lock}
if [ -n "$lock" ]; then
	exec 8>>"$lock"
	flock -n 8 || { echo "kernel: waiting for another kernel build on this machine ($lock)" >&2; flock 8; }
fi

export KBUILD_BUILD_USER=anker KBUILD_BUILD_HOST=anker
export KBUILD_BUILD_TIMESTAMP="$(git -C "$top/build/linux" log -1 --format=%cd pristine)"
export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros,include_file_mtime
ccache -M 5G >/dev/null 2>&1 || true
jobs=$(nproc)
kmake() { make -C "$top/build/linux" O="$out" -j"$jobs" CC="ccache gcc" LOCALVERSION= "$@"; }

start=$(date +%s)
echo "kernel: building $variant kernel in build/kernel-$variant ($jobs jobs)" >&2
if ! kmake -s bzImage modules >"$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -40 >&2
	echo "kernel: build failed; full log: build/kernel-$variant/build.log" >&2
	exit 1
fi
grep -E 'warning:' "$out/build.log" | head -20 >&2 || true

rm -rf "$out/modroot"
if [ -s "$out/modules.order" ]; then
	kmake -s INSTALL_MOD_PATH="$out/modroot" modules_install >/dev/null
fi
kmake -s INSTALL_HDR_PATH="$top/build/usr" headers_install >/dev/null
kmake -s kernelrelease >"$out/release"
echo "$inputs" >"$out/.anker-built"
echo "kernel: $(cat "$out/release") built in $(($(date +%s) - start)) s" >&2
