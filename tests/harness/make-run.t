#!/bin/sh
# make run CMD='...': the command reaches the guest's shell as typed. make
# must not expand it: $VAR, $? and $$ are the guest shell's, quotes stay.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
has() { printf '%s\n' "$1" | grep -q -- "$2"; }

echo "1..5"
out=$( (cd "$top" && make -s run CMD='x=5; echo "v=$x"; false; echo "rc=$?"; echo "pid=$$"; echo '"'"'a  $x'"'"'; for s in 1 2; do printf "s%s," $s; done; echo; sleep 2' 2>&1; s=$?; echo; echo "make-status=$s") | tr -d '\r')
rc=$(printf '%s\n' "$out" | sed -n 's/.*make-status=//p')
[ "$rc" = 0 ] && ok "make run CMD=... exits 0" || no "make run CMD=... exits 0" "status $rc" "$out"
has "$out" "^v=5" && ok "\$VAR is the guest shell's (v=5)" || no "\$VAR is the guest shell's" "$out"
has "$out" "^rc=1" && ok "\$? is the guest shell's (rc=1 after false)" || no "\$? is the guest shell's" "$out"
has "$out" '^pid=[0-9][0-9]*' && ok "\$\$ is the guest shell's process id" || no "\$\$ is the guest shell's process id" "$out"
has "$out" '^s1,s2,' && has "$out" '^a  \$x$' && ok "a loop over \$s, and single quotes, as typed" ||
	no "a loop over \$s, and single quotes, as typed" "$out"
