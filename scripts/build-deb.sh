#!/bin/sh
# make deb: Debian packages of the Anker kernel and tools, into build/deb/.
# Usage: scripts/build-deb.sh [kernel|tools|all]   (default: all)
#   FLAVOUR=vm      (default) the test kernel's configuration: tinyconfig +
#                   vm.config + anker.config + debug.config, the kernel
#                   make check builds (so the build mostly hits ccache)
#   FLAVOUR=vm-bench  the same without debug.config (the bench kernel's)
#   FLAVOUR=server  Debian's own 6.12 configuration (linux-config-6.12, or
#                   $ANKER_BASE_CONFIG, e.g. /boot/config-$(uname -r)) +
#                   anker.config + server.config: boots real hardware;
#                   hours on 2 cores, not built by CI
# The kernel packages come from the kernel's own `make bindeb-pkg`:
#   linux-image-<release>, linux-headers-<release>, linux-libc-dev
# with <release> = <kernel version>-anker.<git short hash of this repository>
# (plus -dirty when tracked files have uncommitted changes). anker-tools is
# built with debhelper from tools/debian/. Versions: ANKER_VERSION in
# kernel/tree/include/uapi/linux/anker.h is the only source.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
flavour=${FLAVOUR:-vm}
deb=$top/build/deb
mkdir -p "$deb"

anker_version=$(sed -n 's/^#define ANKER_VERSION[^"]*"\(.*\)"/\1/p' \
	"$top/kernel/tree/include/uapi/linux/anker.h")
[ -n "$anker_version" ] || { echo "deb: no ANKER_VERSION in anker.h" >&2; exit 1; }
hash=$(git -C "$top" rev-parse --short=7 HEAD)
[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] || hash=$hash-dirty

build_kernel() {
	frags="$top/kernel/configs/anker.config"
	base=
	case "$flavour" in
	vm) frags="$top/kernel/configs/vm.config $frags $top/kernel/configs/debug.config" ;;
	vm-bench) frags="$top/kernel/configs/vm.config $frags" ;;
	server)
		frags="$frags $top/kernel/configs/server.config"
		base=${ANKER_BASE_CONFIG:-}
		;;
	*) echo "deb: FLAVOUR=$flavour: vm, vm-bench or server" >&2; exit 2 ;;
	esac
	# The objects at the depth of build/kernel-test, so the compiler's
	# relative paths (ccache base_dir) are the same and the test kernel's
	# objects are hits. bindeb-pkg writes the packages into build/.
	out=$top/build/kernel-deb$flavour

	exec 9>"$top/build/.kernel.lock"
	flock 9
	lock=${ANKER_BUILD_LOCK-/tmp/anker-kernel-build.lock}
	if [ -n "$lock" ]; then
		exec 8>>"$lock"
		flock -n 8 || { echo "deb: waiting for another kernel build on this machine ($lock)" >&2; flock 8; }
	fi
	"$top/scripts/deps.sh" deb
	[ "$flavour" != server ] || [ -n "$base" ] || "$top/scripts/deps.sh" deb-server
	"$top/scripts/prepare-tree.sh"

	if [ "$flavour" = server ] && [ -z "$base" ]; then
		. "$top/kernel/base"
		ver=${PACKAGE#linux-source-}
		base=$out/debian.config
		mkdir -p "$out"
		xz -dc "/usr/src/linux-config-$ver/config.amd64_none_amd64.xz" >"$base"
	fi
	stamp=$(cat $base $frags "$top/build/linux/.anker-source" "$top/build/linux/.anker-patches" \
		$(find "$top/kernel/tree" -name 'Kconfig*' | sort) | sha1sum | cut -d' ' -f1)
	if [ ! -f "$out/.config" ] || [ "$(cat "$out/.anker-config" 2>/dev/null)" != "$stamp" ]; then
		ANKER_KCONFIG_BASE=$base "$top/scripts/kconfig.sh" "$out" $frags
		echo "$stamp" >"$out/.anker-config"
	fi

	export KBUILD_BUILD_USER=anker KBUILD_BUILD_HOST=anker
	export KBUILD_BUILD_TIMESTAMP="$(git -C "$top/build/linux" log -1 --format=%cd pristine)"
	export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=time_macros,include_file_mtime
	export DEBFULLNAME="Anker developers" DEBEMAIL=anker@anker.invalid KDEB_CHANGELOG_DIST=bookworm
	export DEB_BUILD_OPTIONS="parallel=$(nproc) noddebs"
	kver=$(make -s -C "$top/build/linux" kernelversion)
	# uname -r: 6.12.117-anker.<hash> (CONFIG_LOCALVERSION is "-anker");
	# package version 6.12.117-1+anker0.1.<hash>; its revision is the build
	# number of uname -v (#1+anker0.1.<hash>).
	pkgver="$kver-1+anker$anker_version.$(echo "$hash" | tr - .)"
	rm -f "$top/build/"*_"$pkgver"_*.deb "$top/build/linux-anker_$pkgver"_*
	# An objtool linked before HOSTLDFLAGS=-s (an older build of this tree):
	# stripped with its time kept, as a newer objtool rebuilds every object.
	[ ! -f "$out/tools/objtool/objtool" ] || strip -p "$out/tools/objtool/objtool"
	start=$(date +%s)
	echo "deb: building the $flavour kernel packages, $kver-anker.$hash (log: build/kernel-deb$flavour/deb.log)" >&2
	# DPKG_FLAGS=-d: the Build-Depends name gcc-x86-64-linux-gnu, which
	# bookworm does not have (its gcc is the native one).
	# HOSTLDFLAGS=-s: the host programs linux-headers ships (modpost,
	# objtool...) stripped, as Debian wants them (lintian error otherwise).
	if ! make -C "$top/build/linux" O="$out" -j"$(nproc)" CC="ccache gcc" \
		LOCALVERSION=".$hash" KDEB_PKGVERSION="$pkgver" KDEB_SOURCENAME=linux-anker \
		HOSTLDFLAGS=-s DPKG_FLAGS=-d bindeb-pkg >"$out/deb.log" 2>&1; then
		grep -E 'error|Error' "$out/deb.log" | head -40 >&2
		echo "deb: kernel package build failed; full log: build/kernel-deb$flavour/deb.log" >&2
		exit 1
	fi
	# The uapi headers for the tools (as build-kernel.sh installs them).
	make -s -C "$top/build/linux" O="$out" INSTALL_HDR_PATH="$top/build/usr" headers_install >/dev/null
	rm -f "$deb"/linux-*.deb "$deb"/linux-anker_*
	mv "$top/build/"*_"$pkgver"_*.deb "$top/build/linux-anker_$pkgver"_* "$deb/"
	echo "$kver-anker.$hash" >"$deb/kernel-release"
	echo "deb: kernel packages built in $(($(date +%s) - start)) s" >&2
	exec 8>&- 9>&-
}

build_tools() {
	"$top/scripts/deps.sh" deb
	[ -f "$top/build/usr/include/linux/anker.h" ] || "$top/scripts/build-kernel.sh" test
	src=$deb/anker-tools-$anker_version
	rm -rf "$src" "$deb"/anker-tools_* "$deb"/anker-tools-dbgsym_*
	mkdir -p "$src"
	cp -r "$top/tools/debian" "$src/debian"
	cp -r "$top/tools/man" "$src/man"
	cat >"$src/debian/changelog" <<EOF
anker-tools ($anker_version) bookworm; urgency=medium

  * Anker $anker_version, git $hash.

 -- Anker developers <anker@anker.invalid>  $(git -C "$top" log -1 --format=%aD HEAD)
EOF
	echo "deb: building anker-tools $anker_version (log: build/deb/anker-tools.log)" >&2
	if ! (cd "$src" && ANKER_TOP="$top" DEB_BUILD_OPTIONS=noddebs \
		dpkg-buildpackage -b -us -uc >"$deb/anker-tools.log" 2>&1); then
		tail -n 30 "$deb/anker-tools.log" >&2
		echo "deb: anker-tools build failed; full log: build/deb/anker-tools.log" >&2
		exit 1
	fi
	rm -rf "$src"
}

lint() {
	echo "deb: lintian (errors fail the build)" >&2
	rc=0
	lintian --tag-display-limit 0 "$deb"/*.deb >"$deb/lintian.log" 2>"$deb/lintian.err" || rc=$?
	sed 's/^/  /' "$deb/lintian.log" >&2
	# lintian exits 2 on an error tag, and when it failed itself
	if grep -q '^E: ' "$deb/lintian.log"; then
		echo "deb: lintian reports errors" >&2
		return 1
	fi
	[ "$rc" -eq 0 ] || { cat "$deb/lintian.err" >&2; echo "deb: lintian failed" >&2; return 1; }
}

case "$what" in
kernel) build_kernel ;;
tools) build_tools ;;
lint) lint ;;
all) build_kernel; build_tools; lint ;;
*) echo "usage: $0 [kernel|tools|lint|all]" >&2; exit 2 ;;
esac
ls -l "$deb"/*.deb >&2
