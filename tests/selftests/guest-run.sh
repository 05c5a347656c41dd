#!/bin/sh
# Run inside the guest (make selftests): the upstream selftests named in
# LIST, from a tmpfs copy of DIR (build/selftests), each under its timeout.
# Prints TAP: one line per test program, its own kselftest output indented
# below it as "#   " lines (the host compares those subtests too).
# Usage: tests/selftests/guest-run.sh LIST DIR
set -u
list=$(readlink -f "$1") src=$(readlink -f "$2")
[ -r "$list" ] && [ -d "$src" ] || { echo "usage: $0 LIST DIR" >&2; exit 2; }
work=/tmp/selftests
rm -rf "$work"
cp -a "$src" "$work"
cd "$work" || exit 2

# Set-up the tests expect (as run_vmtests.sh does): 2 MiB huge pages, the
# memory controller for child cgroups, a nobody-writable cwd.
echo 256 >/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
echo "+memory" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
chmod -R a+rX "$work"
chmod 1777 "$work"

echo "TAP version 13"
echo "1..$(grep -c '^[a-z-]' "$list")"
echo "# kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) " MiB" }' /proc/meminfo)"
i=0
grep '^-' "$list" | while read -r name reason; do
	i=$((i + 1))
	echo "ok $i ${name#-} # SKIP $reason"
done
i=$(grep -c '^-' "$list")
grep '^[a-z]' "$list" | while read -r name secs cmd; do
	i=$((i + 1))
	echo "# anker-selftest: $name"
	# "hugepages=N COMMAND": the 2 MiB pool the test wants (default 256)
	case "$cmd" in hugepages=*)
		echo "${cmd%% *}" | cut -d= -f2 >/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
		cmd=${cmd#* } ;;
	*) echo 256 >/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages ;;
	esac
	start=$(date +%s)
	# shellcheck disable=SC2086
	timeout -k 10 "$secs" $cmd </dev/null >"$work/out" 2>&1
	rc=$?
	t=$(($(date +%s) - start))
	sed 's/^/#   /' "$work/out"
	if [ "$rc" -eq 0 ]; then
		echo "ok $i $name ($t s)"
	elif [ "$rc" -eq 4 ]; then
		echo "ok $i $name # SKIP $(grep -m1 -iE 'skip' "$work/out" | cut -c1-120)"
	elif [ "$rc" -eq 127 ]; then
		echo "not ok $i $name # not built (build/selftests/build-*.log)"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "not ok $i $name # TIMEOUT after $secs s"
	else
		echo "not ok $i $name # exit $rc ($t s)"
	fi
done
echo "# anker-selftests-done"
