#!/bin/sh
# CONFIG_ANKER_NO_HZ_FULL_ALL across command lines (boots the test kernel
# with 3 vCPUs): the default is every CPU but the boot CPU; nohz_full= on
# the command line wins; isolcpus=nohz,... counts as choosing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/scripts/vm-run
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
full() { "$vm" -n "nohz-$1" -s 3 -t 300 ${2:+-a "$2"} -- cat /sys/devices/system/cpu/nohz_full 2>&1 | tr -d '\r' | tail -n 1; }

echo "1..3"
got=$(full default "")
[ "$got" = "1-2" ] && ok "3 CPUs, no nohz_full=: CPUs 1-2 run full dynticks" ||
	no "3 CPUs, no nohz_full=: CPUs 1-2 run full dynticks" "got '$got'"
got=$(full cmdline "nohz_full=2")
[ "$got" = "2" ] && ok "nohz_full=2 on the command line wins" ||
	no "nohz_full=2 on the command line wins" "got '$got'"
got=$(full isolcpus "isolcpus=nohz,domain,1")
[ "$got" = "1" ] && ok "isolcpus=nohz,domain,1 chooses too" ||
	no "isolcpus=nohz,domain,1 chooses too" "got '$got'"
