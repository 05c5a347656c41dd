#!/bin/sh
# anker-sched in the guest: each command's effect and exit status (TAP).
bin=${ANKER_TOP:-$(cd "$(dirname "$0")/../../../.." && pwd)}/build/bin/anker-sched
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
echo "1..9"
if [ ! -e /sys/kernel/anker/features/cosched ]; then
	for i in 1 2 3 4 5 6 7 8 9; do echo "ok $i # SKIP kernel without cosched"; done
	exit 0
fi
sh -c 'while :; do :; done' &
pid=$!
"$bin" --help >/dev/null; ok $? "--help exits 0"
"$bin" bogus 1 2>/dev/null; [ $? = 2 ]; ok $? "unknown command exits 2"
"$bin" penalty "$pid" 10001 2>/dev/null; [ $? = 2 ]; ok $? "penalty out of range exits 2"
"$bin" penalty "$pid" 150 && [ "$("$bin" show "$pid")" = "tid $pid penalty 150 parked no" ]
ok $? "penalty shows in show"
grep -q '^SchedPenalty:	150$' /proc/$pid/status; ok $? "SchedPenalty: in /proc/PID/status"
"$bin" park "$pid" && [ "$("$bin" show "$pid")" = "tid $pid penalty 150 parked yes" ] &&
	grep -q '^Parked:	yes$' /proc/$pid/status
ok $? "park: show and /proc say parked"
"$bin" park "$pid" 2>/dev/null; [ $? = 1 ]; ok $? "second park exits 1 (EALREADY)"
"$bin" unpark "$pid" && [ "$("$bin" show "$pid")" = "tid $pid penalty 150 parked no" ]
ok $? "unpark"
kill -9 "$pid"; wait "$pid" 2>/dev/null
"$bin" show "$pid" 2>/dev/null; [ $? = 1 ]; ok $? "show of a gone pid exits 1 (ESRCH)"
exit $failed
