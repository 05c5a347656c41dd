#!/bin/sh
# Install the Debian packages the build, the VM and the tests need.
# Usage: scripts/deps.sh [build|vm|bench|selftests|deb|deb-server|all]   (default: all)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernel/base"

build_pkgs="gcc make flex bison bc libelf-dev libssl-dev cpio kmod rsync xz-utils ccache pkg-config perl git python3"
vm_pkgs="qemu-system-x86 busybox-static util-linux tmux trinity"
# upstream selftests (make selftests): their build needs these
selftest_pkgs="libcap-dev libnuma-dev liburing-dev"
bench_pkgs="gnuplot-nox nbd-server nbd-client redis-server redis-tools stress-ng"
# make deb (bindeb-pkg, anker-tools, lintian) and make check-deb (debootstrap)
deb_pkgs="dpkg-dev debhelper fakeroot lintian debootstrap"

case "${1:-all}" in
build) want="$build_pkgs" ;;
vm) want="$vm_pkgs" ;;
bench) want="$bench_pkgs" ;;
selftests) want="$build_pkgs $vm_pkgs $selftest_pkgs" ;;
deb) want="$build_pkgs $vm_pkgs $deb_pkgs" ;;
# make deb FLAVOUR=server: Debian's kernel configuration
deb-server) want="$build_pkgs $deb_pkgs linux-config-6.12" ;;
all) want="$build_pkgs $vm_pkgs $bench_pkgs $selftest_pkgs $deb_pkgs" ;;
*) echo "usage: $0 [build|vm|bench|selftests|deb|deb-server|all]" >&2; exit 2 ;;
esac

installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=""
for p in $want; do
	installed "$p" || missing="$missing $p"
done

# The kernel source: the pinned version if the archive has it, else the newest.
src=""
case " $want " in *" gcc "*)
	have=$(dpkg-query -W -f='${Version}' "$PACKAGE" 2>/dev/null || true)
	[ "$have" = "$PIN" ] || src=yes
esac

[ -z "$missing" ] && [ -z "$src" ] && exit 0

run() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: not root; run as root:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends$missing $PACKAGE" >&2
		exit 1
	fi
	"$@"
}

echo "deps: installing:$missing${src:+ $PACKAGE}" >&2
export DEBIAN_FRONTEND=noninteractive
run apt-get update -q >/dev/null
if [ -n "$missing" ]; then
	run apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if [ -n "$src" ]; then
	if apt-cache madison "$PACKAGE" | awk '{print $3}' | grep -qx "$PIN"; then
		run apt-get install -y -q --no-install-recommends --allow-downgrades "$PACKAGE=$PIN" >/dev/null
	else
		run apt-get install -y -q --no-install-recommends "$PACKAGE" >/dev/null
		echo "deps: WARNING: $PACKAGE $PIN is gone from the archive;" \
			"using $(dpkg-query -W -f='${Version}' "$PACKAGE")" >&2
	fi
fi
