#!/bin/sh
# anker-sched's command line on the host: usage errors exit 2 with a
# message, --help exits 0, a kernel without the syscalls gives exit 1.
top=$(cd "$(dirname "$0")/../../../.." && pwd)
bin=$top/build/bin/anker-sched
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
echo "1..9"
if [ ! -x "$bin" ]; then
	make -s -C "$top" tools >/dev/null 2>&1 || true
fi
status() { "$bin" "$@" >/dev/null 2>&1; echo $?; }
[ "$(status --help)" = 0 ] && "$bin" --help | grep -q '^usage: anker-sched'; ok $? "--help exits 0 and prints the usage"
[ "$(status)" = 2 ]; ok $? "no arguments: exit 2"
[ "$(status frob 1)" = 2 ]; ok $? "unknown command: exit 2"
[ "$(status penalty 1)" = 2 ]; ok $? "penalty without P: exit 2"
[ "$(status penalty 1 10001)" = 2 ]; ok $? "penalty above 10000: exit 2"
[ "$(status penalty x 5)" = 2 ]; ok $? "TID not a number: exit 2"
[ "$(status park 1 --later)" = 2 ]; ok $? "park with an unknown option: exit 2"
[ "$(status unpark -3)" = 2 ]; ok $? "negative TID: exit 2"
if [ -e /sys/kernel/anker/features/cosched ]; then
	echo "ok 9 - kernel without the syscalls # SKIP this kernel has them"
else
	msg=$("$bin" show 0 2>&1); rc=$?
	[ $rc = 1 ] && echo "$msg" | grep -q 'Function not implemented'
	ok $? "kernel without the syscalls: exit 1, ENOSYS named"
fi
exit $failed
