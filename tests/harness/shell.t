#!/bin/sh
# make run on a terminal, driven through tmux as a user types: the guest
# shell finds every anker-* tool and pkg-config's anker, and each way of
# leaving (Ctrl-D, exit, poweroff, reboot) ends make run with status 0.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
tmp=$(mktemp -d)
sock=anker-shell-$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
boot=${ANKER_SHELL_BOOT:-900}	# seconds to the guest's prompt (make run builds first)
run=${ANKER_SHELL_RUN:-make -s run}	# what opens the shell

# start S: `make run` in tmux session S; its exit status goes to $tmp/S.rc.
# Retried: right after the last session was killed the tmux server may still
# be exiting, and a new-session then fails (seen once: the case waited out
# its whole boot limit for a session that never started).
start() {
	for try in 1 2 3 4 5; do
		tm new-session -d -s "$1" -x 200 -y 50 \
			"cd '$top' && $run; echo \$? >'$tmp/$1.rc'; sleep 3600" && return 0
		sleep 1
	done
	echo "# tmux new-session $1 failed 5 times"
	return 1
}
screen() { tm capture-pane -p -J -S -10000 -t "$1"; }
# wait_for S PATTERN SECS: until the screen shows PATTERN.
wait_for() {
	i=0
	while [ "$i" -lt "$3" ]; do
		screen "$1" | grep -q -- "$2" && return 0
		[ -f "$tmp/$1.rc" ] && break
		sleep 1
		i=$((i + 1))
	done
	screen "$1" | grep -q -- "$2"
}
# ended S SECS: make run has ended; its status in $rc.
ended() {
	i=0
	while [ ! -f "$tmp/$1.rc" ] && [ "$i" -lt "$2" ]; do sleep 1; i=$((i + 1)); done
	rc=$(cat "$tmp/$1.rc" 2>/dev/null || echo none)
}
prompt() { wait_for "$1" 'root@anker:.*# *$' "$boot"; }
last() { screen "$1" | grep -v '^$' | tail -n 15; }

echo "1..6"

# 1-3: the tools, then Ctrl-D.
if start tools && prompt tools; then
	tm send-keys -t tools 'for t in $ANKER_TOP/build/bin/anker-*; do command -v ${t##*/} >/dev/null || echo "NOT-ON-PATH ${t##*/}"; done; anker-benchcheck >/dev/null 2>&1; echo "benchcheck-status=$?"; echo "pc=$(pkg-config --modversion anker 2>&1)"; echo "tools-$((40 + 2))"' Enter
	wait_for tools 'tools-42' 60
	s=$(screen tools)
	if printf '%s\n' "$s" | grep -q '^tools-42' && ! printf '%s\n' "$s" | grep -q 'NOT-ON-PATH anker-\|benchcheck-status=127'; then
		ok "the guest shell finds every anker-* tool (build/bin on PATH) and runs anker-benchcheck"
	else
		no "the guest shell finds every anker-* tool and runs anker-benchcheck" "$(last tools)"
	fi
	if printf '%s\n' "$s" | grep -q '^pc=[0-9]'; then
		ok "pkg-config --modversion anker works in the guest shell (anker-uninstalled.pc)"
	else
		no "pkg-config --modversion anker works in the guest shell" "$(last tools)"
	fi
	tm send-keys -t tools C-d
	ended tools 120
	[ "$rc" = 0 ] && ! screen tools | grep -q 'guest died\|Error' && ok "Ctrl-D ends make run with status 0" ||
		no "Ctrl-D ends make run with status 0" "status $rc" "$(last tools)"
else
	no "the guest shell finds every anker-* tool" "no prompt within $boot s" "$(last tools)"
	no "pkg-config --modversion anker works in the guest shell" "no prompt"
	no "Ctrl-D ends make run with status 0" "no prompt"
fi
tm kill-session -t tools 2>/dev/null

# 4-6: exit, poweroff, reboot.
for how in exit poweroff reboot; do
	if start "$how" && prompt "$how"; then
		tm send-keys -t "$how" "$how" Enter
		ended "$how" 120
		[ "$rc" = 0 ] && ! screen "$how" | grep -q 'guest died\|Error' &&
			ok "'$how' in the guest shell ends make run with status 0" ||
			no "'$how' in the guest shell ends make run with status 0" "status $rc" "$(last "$how")"
	else
		no "'$how' in the guest shell ends make run with status 0" "no prompt within $boot s" "$(last "$how")"
	fi
	tm kill-session -t "$how" 2>/dev/null
done
