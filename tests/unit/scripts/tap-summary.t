#!/bin/sh
# scripts/tap-summary and scripts/kunit-extract: the counts make check prints.
set -u
here=$(dirname "$(readlink -f "$0")")
top=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
t() { n=$((n + 1)); if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi; }
summary() { printf "$1" >"$tmp/in"; "$top/scripts/tap-summary" "$tmp/in" | tail -n 1; }

echo "1..8"
desc="passes, skips and a failure are counted"
t [ "$(summary '# anker-test: a\n1..3\nok 1 x\nok 2 y # SKIP no hw\nnot ok 3 z\n# anker-exit: 1\n')" = "1 passed, 1 failed, 1 skipped" ]
desc="a clean program exits 0"
printf '# anker-test: a\n1..1\nok 1 x\n# anker-exit: 0\n' >"$tmp/ok"
t sh -c "'$top/scripts/tap-summary' '$tmp/ok' >/dev/null"
desc="a program that stops before its exit line is a failure"
t [ "$(summary '# anker-test: a\n1..2\nok 1 x\n')" = "1 passed, 1 failed, 0 skipped" ]
desc="fewer cases than planned is a failure"
t [ "$(summary '# anker-test: a\n1..3\nok 1 x\n# anker-exit: 0\n')" = "1 passed, 1 failed, 0 skipped" ]
desc="a non-zero exit without a failing case is a failure"
t [ "$(summary '# anker-test: a\n1..1\nok 1 x\n# anker-exit: 139\n')" = "1 passed, 1 failed, 0 skipped" ]
desc="a program with no case at all is a failure"
t [ "$(summary '# anker-test: a\n# anker-exit: 0\n')" = "0 passed, 1 failed, 0 skipped" ]
desc="any failure makes the exit status 1"
printf '# anker-test: a\n1..1\nnot ok 1 x\n# anker-exit: 1\n' >"$tmp/bad"
t sh -c "! '$top/scripts/tap-summary' '$tmp/bad' >/dev/null"
desc="KUnit suites are read from a console log, an unfinished one fails"
"$top/scripts/kunit-extract" "$here/logs/kunit.log" >"$tmp/k"
t [ "$("$top/scripts/tap-summary" "$tmp/k" | tail -n 1)" = "3 passed, 2 failed, 1 skipped" ]
