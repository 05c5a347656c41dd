#!/bin/sh
# Fuzzing in the guest, for a bounded time, TAP. Runs as root in the guest:
#   1. anker-fuzz: every ANKER_NR_* syscall with typed arguments, mixed with
#      mmap/munmap/mremap/mprotect/madvise/mlock/fork/userfaultfd/io_uring,
#      4 children, half of them as uid 65534
#   2. vmcopy-fuzz: random mapping mixes -> vmcopy -> checked against a model,
#      as root and as uid 65534
#   3. trinity (Debian's) on the mm syscalls it knows, as uid 65534
# Each case fails on its program's failure, on a kernel report (Oops, BUG,
# WARNING, KASAN, lockdep, hung task, soft lockup, RCU stall...) in the
# kernel log during the run, or on a new taint. The harness's logscan also
# fails the whole boot on any report.
# FUZZ_SECONDS: the total budget (default 150 s: make check's short fuzz).
# FUZZ_SEED: a seed for the two own fuzzers (default: time based, printed).
set -u
bin=$(cd "$(dirname "$0")" && pwd)
top=${ANKER_TOP:-$(cd "$bin/../../../.." && pwd)}
total=${FUZZ_SECONDS:-150}
seed=${FUZZ_SEED:-$(date +%s)}
work=$(mktemp -d /tmp/fuzz.XXXXXX)
chmod 755 "$work"
n=0 failed=0

echo "TAP version 13"
echo "1..4"

# The budget: 45% anker-fuzz, 30% vmcopy-fuzz, 25% trinity.
t_anker=$((total * 45 / 100))
t_vmcopy=$((total * 30 / 100))
t_trinity=$((total - t_anker - t_vmcopy))

# Set-up: 2 MiB huge pages for hugetlb mappings, zram swap (as the vmcopy
# tests do: once per boot), hung tasks reported after 60 s.
hp=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
hp0=$(cat $hp 2>/dev/null || echo)
echo 32 >$hp 2>/dev/null
if ! grep -q '^/' /proc/swaps && [ -w /sys/block/zram0/disksize ]; then
	echo 512M >/sys/block/zram0/disksize 2>/dev/null &&
		mkswap /dev/zram0 >/dev/null 2>&1 && swapon /dev/zram0 2>/dev/null
fi
hung=$(cat /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null || echo)
[ -z "$hung" ] || echo 60 >/proc/sys/kernel/hung_task_timeout_secs
echo "# kernel: $(uname -r) $(uname -v)"
echo "# budget ${total} s, seed $seed, $(nproc) CPUs, swap: $(grep -c '^/' /proc/swaps) device(s), free 2 MiB huge pages: $(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)"

taint0=$(cat /proc/sys/kernel/tainted)
# Kernel log lines since the time $1 (seconds of uptime) with a report in
# them (scripts/logscan); by time stamp, as the ring buffer may wrap.
reports_since() {
	dmesg | awk -v t="$1" '{ s = $0; sub(/^\[ */, "", s); if (s + 0 >= t) print }' >"$work/dmesg"
	"$top/scripts/logscan" "$work/dmesg"
}
since() { cut -d' ' -f1 /proc/uptime; }
# result NAME STATUS SUMMARY: one TAP line, with the kernel-log check.
result() {
	n=$((n + 1))
	if r=$(reports_since "$mark"); then :; else
		echo "# kernel report during $1:"
		printf '%s\n' "$r" | sed 's/^/#   /'
		echo "not ok $n - $1: kernel report"
		failed=1
		return
	fi
	if [ "$2" -ne 0 ]; then
		echo "not ok $n - $1: exit status $2${3:+ ($3)}"
		failed=1
	else
		echo "ok $n - $1: $3"
	fi
}

# 1. anker-fuzz
mark=$(since)
"$bin/anker-fuzz" -t "$t_anker" -c 4 -u both -s "$seed" >"$work/anker.out" 2>&1
rc=$?
sed 's/^\([^#]\)/# \1/' "$work/anker.out"
sum=$(sed -n 's/^anker-fuzz: //p' "$work/anker.out")
result anker-fuzz $rc "${sum:-no summary}"

# 2. vmcopy-fuzz
mark=$(since)
"$bin/vmcopy-fuzz" -t "$t_vmcopy" -u both -s "$seed" >"$work/vmcopy.out" 2>&1
rc=$?
sed 's/^\([^#]\)/# \1/' "$work/vmcopy.out"
sum=$(sed -n 's/^vmcopy-fuzz: //p' "$work/vmcopy.out")
if grep -q 'SKIP' "$work/vmcopy.out"; then
	n=$((n + 1))
	echo "ok $n - vmcopy-fuzz # SKIP $(sed -n 's/.*SKIP: //p' "$work/vmcopy.out")"
else
	result vmcopy-fuzz $rc "${sum:-no summary}"
fi

# 3. trinity on the mm syscalls, as nobody (it refuses root without --dangerous)
mark=$(since)
if ! command -v trinity >/dev/null; then
	n=$((n + 1))
	echo "ok $n - trinity # SKIP trinity is not installed (scripts/deps.sh)"
else
	known=$(cd "$work" && trinity -L -l off 2>/dev/null | sed -n 's/^entrypoint [0-9]* \([a-z0-9_]*\) : \[64-bit\].*/\1/p')
	args=
	for s in mmap munmap mremap mprotect madvise mlock mlock2 munlock mlockall munlockall \
		msync mincore remap_file_pages mbind set_mempolicy migrate_pages move_pages \
		memfd_create userfaultfd io_uring_setup io_uring_register io_uring_enter \
		process_madvise process_vm_readv process_vm_writev; do
		echo "$known" | grep -qx "$s" && args="$args -c $s"
	done
	mkdir -p "$work/trinity/victims"
	echo victim >"$work/trinity/victims/file"
	chown -R 65534:65534 "$work/trinity"
	(cd "$work/trinity" && timeout -k 30 -s INT "$t_trinity" \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		trinity -q -l off -C 4 -a 64 -V "$work/trinity/victims" \
		--disable-fds=sockets,pipes,perf,epoll,eventfd,timerfd,drm,pseudo \
		$args >"$work/trinity.out" 2>&1)
	rc=$?
	# timeout's SIGINT is how the run ends: 124 is success here
	[ "$rc" -ne 124 ] || rc=0
	ran=$(sed -n 's/.*\(Ran [0-9]* syscalls\).*/\1/p' "$work/trinity.out" | tail -n 1)
	echo "# trinity$args"
	grep -E '^\[main\] (Ran|Bailing)|WARNING|kernel' "$work/trinity.out" | tail -n 5 | sed 's/^/# /'
	[ -n "$ran" ] || [ "$rc" -ne 0 ] || rc=1
	result trinity $rc "${ran:-no summary} in $t_trinity s as uid 65534"
fi

# 4. taint
n=$((n + 1))
taint=$(cat /proc/sys/kernel/tainted)
if [ "$taint" != "$taint0" ]; then
	echo "not ok $n - the kernel was tainted during the fuzz ($taint0 -> $taint)"
	failed=1
else
	echo "ok $n - the kernel is not tainted by the fuzz (taint $taint)"
fi

[ -z "$hung" ] || echo "$hung" >/proc/sys/kernel/hung_task_timeout_secs
[ -z "$hp0" ] || echo "$hp0" >$hp 2>/dev/null
rm -rf "$work"
exit $failed
