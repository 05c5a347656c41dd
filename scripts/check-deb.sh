#!/bin/sh
# make check-deb: the Debian packages, installed and booted the way a user
# would. Builds the vm packages (make deb), installs them with dpkg into a
# clean minimal Debian 12 root (debootstrap --variant=minbase, cached as a
# tarball under build/deb-root/), boots the kernel dpkg put into that root's
# /boot under QEMU with the root as / (read-only over virtio-9p), runs the
# installed anker-info and anker-benchcheck and a vmcopy program built
# against the installed anker.pc, then removes and purges the packages and
# checks the root is as it was. TAP; ends with "N passed, N failed, N skipped";
# writes bench/results/deb.md. Not part of make check (about 10 minutes more).
# ANKER_DEB_NOBUILD=1: use the packages already in build/deb/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/check-deb
root=$out/root
cache=$top/build/deb-root
tarball=$cache/bookworm-minbase.tar.gz
start=$(date +%s)
rm -rf "$root"
rm -rf "$out"
mkdir -p "$out" "$cache"
n=0 pass=0 fail=0 skip=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
no() {
	n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"
	shift
	for d in "$@"; do printf '%s\n' "$d" | tail -n 15 | sed 's/^/#   /'; done
}
secs() { echo $(($(date +%s) - $1)); }
t_build=- t_root=- t_install=- t_boot=- t_remove=-

# 1. make deb
t=$(date +%s)
if [ "${ANKER_DEB_NOBUILD:-0}" = 1 ] || FLAVOUR=vm "$top/scripts/build-deb.sh" all >"$out/build.log" 2>&1; then
	t_build=$(secs "$t")
	rel=$(cat "$top/build/deb/kernel-release")
	image=$(ls "$top/build/deb/linux-image-${rel}_"*.deb 2>/dev/null || true)
	headers=$(ls "$top/build/deb/linux-headers-${rel}_"*.deb 2>/dev/null || true)
	libc=$(ls "$top/build/deb/linux-libc-dev_"*.deb 2>/dev/null || true)
	tools=$(ls "$top/build/deb/anker-tools_"*.deb 2>/dev/null || true)
	if [ -n "$image" ] && [ -n "$headers" ] && [ -n "$libc" ] && [ -n "$tools" ]; then
		ok "make deb builds linux-image, linux-headers, linux-libc-dev ($rel) and anker-tools"
	else
		no "make deb builds linux-image, linux-headers, linux-libc-dev ($rel) and anker-tools" \
			"$(ls "$top/build/deb")"
	fi
else
	no "make deb builds the packages" "$(tail -n 20 "$out/build.log")"
	echo "1..$n"; echo "$pass passed, $fail failed, $skip skipped"; exit 1
fi
[ -f "$top/build/deb/lintian.log" ] || "$top/scripts/build-deb.sh" lint >/dev/null 2>&1 || true
if ! grep -q '^E: ' "$top/build/deb/lintian.log"; then
	ok "lintian reports no errors ($(grep -c '^W: ' "$top/build/deb/lintian.log" || true) warnings)"
else
	no "lintian reports no errors" "$(grep '^E: ' "$top/build/deb/lintian.log")"
fi

# 2. a clean minimal Debian 12 root, from the mirror apt uses here
t=$(date +%s)
mirror=$(sed -n 's/^URIs: *\([^ ]*debian\/\{0,1\}\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) bookworm .*/\2/p' \
	/etc/apt/sources.list 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
if [ ! -s "$tarball" ]; then
	rm -rf "$cache/root"
	if debootstrap --variant=minbase bookworm "$cache/root" "$mirror" >"$cache/debootstrap.log" 2>&1 &&
		tar -C "$cache/root" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"; then
		:
	else
		tail -n 5 "$cache/debootstrap.log" | sed 's/^/#   /'
	fi
	rm -rf "$cache/root"
fi
mkdir -p "$root"
if [ -s "$tarball" ] && tar -C "$root" -xzf "$tarball" && [ -x "$root/usr/bin/dpkg" ]; then
	t_root=$(secs "$t")
	ok "a minimal Debian 12 root (debootstrap --variant=minbase bookworm $mirror, cached)"
else
	no "a minimal Debian 12 root (debootstrap --variant=minbase bookworm $mirror)"
	echo "1..$n"; echo "$pass passed, $fail failed, $skip skipped"; exit 1
fi

# 3. dpkg -i in a chroot
snapshot() {
	# Everything in the root but dpkg's and the loader's own bookkeeping
	# and this test's files.
	(cd "$root" && find . -xdev \( -path ./var/lib/dpkg -o -path ./var/log -o -path ./tmp \
		-o -path ./var/cache/ldconfig -o -path ./var/cache/debconf \) -prune -o -print) |
		grep -v '^\./etc/ld\.so\.cache$' | sort
}
snapshot >"$out/before.list"
mkdir -p "$root/tmp/debs"
cp "$image" "$headers" "$libc" "$tools" "$root/tmp/debs/"
t=$(date +%s)
if chroot "$root" sh -c 'dpkg -i /tmp/debs/*.deb' >"$out/install.log" 2>&1; then
	t_install=$(secs "$t")
	ok "dpkg -i installs the four packages in the chroot"
else
	no "dpkg -i installs the four packages in the chroot" "$(cat "$out/install.log")"
fi
pkgs="linux-image-$rel linux-headers-$rel linux-libc-dev anker-tools"
missing=
for f in "boot/vmlinuz-$rel" "lib/modules/$rel/modules.dep" usr/bin/anker-info usr/sbin/rmemd \
	usr/lib/x86_64-linux-gnu/libanker.so.0 usr/lib/x86_64-linux-gnu/libanker.a \
	usr/lib/x86_64-linux-gnu/pkgconfig/anker.pc usr/include/anker.h usr/include/linux/anker.h \
	usr/include/x86_64-linux-gnu/sys/krun-syscall.h lib/systemd/system/rmemd.service \
	etc/default/rmemd usr/share/man/man8/rmemd.8.gz "usr/src/linux-headers-$rel/Makefile"; do
	[ -e "$root/$f" ] || missing="$missing /$f"
done
enabled=$(find "$root/etc/systemd" -name rmemd.service 2>/dev/null || true)
if [ -z "$missing" ] && [ -z "$enabled" ]; then
	ok "the kernel, modules, headers, libanker, anker.pc, krun-syscall.h, tools, rmemd.service (not enabled) are installed"
else
	no "the kernel, modules, headers, libanker, anker.pc, krun-syscall.h, tools, rmemd.service (not enabled) are installed" \
		"missing:$missing" "enabled: $enabled"
fi

# 4. a program built against the installed anker.pc (on the host, with the
# root as the sysroot: its headers and its libanker.so)
cat >"$root/tmp/vmcopy-check.c" <<'EOF'
#include <anker.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	size_t len = 16 * 4096, i;
	char *src, *copy;

	src = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED)
		return perror("mmap"), 1;
	for (i = 0; i < len; i++)
		src[i] = (char)(i * 7 + i / 4096);
	copy = vmcopy(src, len);
	if (copy == MAP_FAILED)
		return perror("vmcopy"), 1;
	if (copy == src || memcmp(copy, src, len))
		return puts("vmcopy: the copy differs from the source"), 1;
	copy[5] = 'c';
	src[4096 + 5] = 's';
	if (src[5] == 'c' || copy[4096 + 5] == 's')
		return puts("vmcopy: a write reached the other side"), 1;
	printf("vmcopy-check: %zu bytes copied with vmcopy(), copy-on-write both ways\n", len);
	return 0;
}
EOF
pcflags=$(PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root/usr/lib/x86_64-linux-gnu/pkgconfig \
	PKG_CONFIG_PATH= PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 \
	pkg-config --cflags --libs anker 2>"$out/cc.log" || true)
if [ -n "$pcflags" ] &&
	cc -std=c11 -D_GNU_SOURCE -Wall -o "$root/tmp/vmcopy-check" "$root/tmp/vmcopy-check.c" $pcflags \
		>>"$out/cc.log" 2>&1 &&
	readelf -d "$root/tmp/vmcopy-check" | grep -q 'NEEDED.*\[libanker\.so\.0\]'; then
	ok "a vmcopy program builds against the installed anker.pc ($pcflags), linked to libanker.so.0"
else
	no "a vmcopy program builds against the installed anker.pc" "$pcflags" "$(cat "$out/cc.log")"
fi

# 5. boot the installed kernel with the root as /
cat >"$root/tmp/anker-deb-init" <<'EOF'
#!/bin/sh
# PID 1 of the guest: the root is the packages' test root, read-only.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /run
echo "DEB-UNAME=$(uname -r)"
echo "DEB-INFO-BEGIN"
anker-info; echo "DEB-INFO-EXIT=$?"
echo "DEB-BENCHCHECK-BEGIN"
anker-benchcheck; echo "DEB-BENCHCHECK-EXIT=$?"
/tmp/vmcopy-check; echo "DEB-VMCOPY-EXIT=$?"
echo "DEB-LDD=$(ldd /tmp/vmcopy-check | grep libanker)"
echo DEB-DONE
exec /tmp/anker-poweroff
EOF
chmod +x "$root/tmp/anker-deb-init"
# PID 1 powers the guest off itself, in the reboot() call: with sysrq's
# asynchronous power-off, init could still fault in a page from the 9p root
# after its device was shut down (SIGBUS, a panic).
cat >"$out/poweroff.c" <<'EOF'
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
EOF
cc -O2 -o "$root/tmp/anker-poweroff" "$out/poweroff.c"
log=$out/console.log
kernel=$root/boot/vmlinuz-$rel
t=$(date +%s)
rc=0
timeout -s KILL "${ANKER_DEB_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg,thread=multi -cpu max \
	-smp 2 -m "${ANKER_VM_MEM:-1G}" -nodefaults -no-user-config -display none -no-reboot \
	-kernel "$kernel" \
	-append "console=ttyS0,115200 root=anker-root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=524288 ro init=/tmp/anker-deb-init panic=-1 mitigations=off" \
	-fsdev "local,id=root,path=$root,security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=root,mount_tag=anker-root \
	-serial "file:$log" </dev/null >"$out/qemu.log" 2>&1 || rc=$?
t_boot=$(secs "$t")
tr -d '\r' <"$log" >"$log.txt"
val() { sed -n "s/^$1=//p" "$log.txt" | tail -n 1; }
if [ "$(val DEB-UNAME)" = "$rel" ]; then
	ok "the kernel dpkg installed in /boot boots the root (uname -r: $rel, $t_boot s)"
else
	no "the kernel dpkg installed in /boot boots the root (uname -r: $rel)" \
		"qemu exit $rc: $(cat "$out/qemu.log")" "$(tail -n 15 "$log.txt")"
fi
info=$(sed -n '/^DEB-INFO-BEGIN$/,/^DEB-INFO-EXIT=/p' "$log.txt")
if [ "$(val DEB-INFO-EXIT)" = 0 ] && printf '%s\n' "$info" | grep -q "^kernel: *Linux $rel " &&
	printf '%s\n' "$info" | grep -q '^  vmcopy '; then
	ok "the installed anker-info prints the kernel and its features"
	printf '%s\n' "$info" | sed '1d;$d;s/^/#   /'
else
	no "the installed anker-info prints the kernel and its features" "$info"
fi
bc=$(sed -n '/^DEB-BENCHCHECK-BEGIN$/,/^DEB-BENCHCHECK-EXIT=/p' "$log.txt")
case "$(val DEB-BENCHCHECK-EXIT)" in
0|1)
	if printf '%s\n' "$bc" | grep -qE '^[0-9]+ OK, [0-9]+ WARN, [0-9]+ FAIL$'; then
		ok "the installed anker-benchcheck runs its checks ($(printf '%s\n' "$bc" | grep -E '^[0-9]+ OK'); a VM is no benchmarking machine)"
	else
		no "the installed anker-benchcheck runs its checks" "$bc"
	fi ;;
*) no "the installed anker-benchcheck runs its checks" "$bc" ;;
esac
if [ "$(val DEB-VMCOPY-EXIT)" = 0 ] && grep -q '^vmcopy-check: ' "$log.txt" &&
	val DEB-LDD | grep -Eq '=> (/usr)?/lib/x86_64-linux-gnu/libanker\.so\.0 '; then
	ok "the program calls vmcopy() through the installed libanker.so.0 and checks the copy"
else
	no "the program calls vmcopy() through the installed libanker.so.0 and checks the copy" \
		"$(grep -E '^(vmcopy|DEB-VMCOPY|DEB-LDD)' "$log.txt")"
fi
if reports=$("$top/scripts/logscan" "$log.txt"); then
	ok "no kernel report in the console log"
else
	no "no kernel report in the console log" "$reports"
fi

# 6. dpkg -r, then dpkg -P: nothing of the packages is left
rm -f "$root/tmp/anker-deb-init"
t=$(date +%s)
if chroot "$root" dpkg -r $pkgs >"$out/remove.log" 2>&1; then
	# Until the purge: the conffile, and deb-systemd-helper's record of
	# rmemd.service (debhelper's postrm removes it on purge).
	left=$(snapshot | comm -13 "$out/before.list" - |
		grep -vx -e './etc/default/rmemd' -e './var/lib/systemd/deb-systemd-helper-enabled/rmemd\.service\.dsh-also' || true)
	if [ -z "$left" ]; then
		ok "dpkg -r removes the packages, leaving only /etc/default/rmemd (a conffile) until the purge"
	else
		no "dpkg -r removes the packages, leaving only /etc/default/rmemd (a conffile) until the purge" "left: $left"
	fi
else
	no "dpkg -r removes the packages" "$(cat "$out/remove.log")"
fi
if chroot "$root" dpkg -P $pkgs >>"$out/remove.log" 2>&1 &&
	[ -z "$(chroot "$root" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null |
		grep -E " (linux-image|linux-headers|linux-libc-dev|anker-tools)")" ]; then
	t_remove=$(secs "$t")
	snapshot >"$out/after.list"
	if cmp -s "$out/before.list" "$out/after.list"; then
		ok "dpkg -P purges them: the root holds the same files as before the install"
	else
		no "dpkg -P purges them: the root holds the same files as before the install" \
			"$(diff "$out/before.list" "$out/after.list" | grep '^[<>]')"
	fi
else
	no "dpkg -P purges the packages" "$(cat "$out/remove.log")"
fi

total=$(secs "$start")
echo "1..$n"
echo "# make check-deb: $total s (make deb $t_build s, root $t_root s, dpkg -i $t_install s, boot $t_boot s, dpkg -r/-P $t_remove s)"
summary="$pass passed, $fail failed, $skip skipped"
echo "$summary"

# The last result
res=$top/bench/results/deb.md
{
	echo "# make check-deb: last result"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), git $(git -C "$top" rev-parse --short=7 HEAD), FLAVOUR=vm, kernel $rel."
	echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 }' /proc/meminfo); the guest under QEMU TCG."
	echo
	echo '```'
	echo "$summary"
	echo '```'
	echo
	echo "| step | seconds |"
	echo "|---|---|"
	echo "| make deb (kernel packages with bindeb-pkg, anker-tools, lintian; with any wait for the machine's kernel build lock) | $t_build |"
	echo "| of it the kernel packages, from the lock on (\`deb: kernel packages built in\`) | $(sed -n 's/^deb: kernel packages built in \([0-9]*\) s$/\1/p' "$out/build.log" 2>/dev/null) |"
	echo "| minimal Debian 12 root (debootstrap, or the cached tarball) | $t_root |"
	echo "| dpkg -i of the four packages | $t_install |"
	echo "| boot of the installed kernel, anker-info, anker-benchcheck, vmcopy program | $t_boot |"
	echo "| dpkg -r and dpkg -P | $t_remove |"
	echo "| all of make check-deb | $total |"
	echo
	echo "| package | size |"
	echo "|---|---|"
	for p in "$image" "$headers" "$libc" "$tools"; do
		echo "| $(basename "$p") | $(du -k "$p" | cut -f1) KiB |"
	done
	echo
	echo "Lintian ($(lintian --version 2>/dev/null)):"
	echo
	echo '```'
	sed 's/ *running with root privileges is not recommended!//' "$top/build/deb/lintian.log" | grep -v '^$' || echo "(nothing)"
	echo '```'
	echo
	echo "anker-info in the guest:"
	echo
	echo '```'
	printf '%s\n' "$info" | sed '1d;$d'
	echo '```'
} >"$res"
[ "$fail" -eq 0 ]
