#!/bin/sh
# Who may call the Krun MSR system calls: unless sysctl
# kernel.krun_msr_access is 1, read needs CAP_PERFMON (or CAP_SYS_ADMIN),
# reset and configure need CAP_SYS_RAWIO.
# Unprivileged = setpriv to nobody with no capabilities. Where the CPU
# lacks the hardware, "allowed" shows as EOPNOTSUPP (the permission check
# comes first), on hardware as ok.
set -u
top=${ANKER_TOP:?}
call=$top/build/tests/vm/krun/krun-call
sysctl=/proc/sys/kernel/krun_msr_access
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
is() { d=$1 want=$2; shift 2; got=$("$@" 2>&1); if [ "$got" = "$want" ]; then ok "$d"; else no "$d" "want $want, got $got"; fi; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }

echo "1..19"
if grep -q 'hardware: yes' /sys/kernel/anker/features/krun_msr 2>/dev/null; then
	allowed=ok
else
	allowed=EOPNOTSUPP
fi
echo "# permitted calls answer $allowed here"
cpus=$(getconf _NPROCESSORS_ONLN)

is "kernel.krun_msr_access exists and is 0 by default" 0 cat "$sysctl"
is "nobody: krun_reset_msrs is EPERM" EPERM nobody "$call" reset "$cpus"
is "nobody: krun_configure is EPERM" EPERM nobody "$call" configure "$cpus"
is "nobody: krun_read_msrs is EPERM" EPERM nobody "$call" read "$cpus"
is "nobody: EINVAL comes before EPERM" EINVAL nobody "$call" reset 0
is "nobody: EINVAL comes before EPERM (read)" EINVAL nobody "$call" read 0
is "root: krun_read_msrs is permitted" "$allowed" "$call" read "$cpus"
is "root without CAP_PERFMON and CAP_SYS_ADMIN: krun_read_msrs is EPERM" EPERM \
	setpriv --bounding-set=-perfmon,-sys_admin --inh-caps=-perfmon,-sys_admin "$call" read "$cpus"
is "root without CAP_SYS_RAWIO: krun_read_msrs is permitted (CAP_PERFMON)" "$allowed" \
	setpriv --bounding-set=-sys_rawio --inh-caps=-sys_rawio "$call" read "$cpus"
is "root: krun_reset_msrs is permitted" "$allowed" "$call" reset "$cpus"
is "root without CAP_SYS_RAWIO: krun_reset_msrs is EPERM" EPERM \
	setpriv --bounding-set=-sys_rawio --inh-caps=-sys_rawio "$call" reset "$cpus"
is "root without CAP_SYS_RAWIO: krun_configure is EPERM" EPERM \
	setpriv --bounding-set=-sys_rawio --inh-caps=-sys_rawio "$call" configure "$cpus"

if echo 1 >"$sysctl" 2>/dev/null && [ "$(cat "$sysctl")" = 1 ]; then
	is "kernel.krun_msr_access=1: nobody may reset" "$allowed" nobody "$call" reset "$cpus"
	is "kernel.krun_msr_access=1: nobody may configure" "$allowed" nobody "$call" configure "$cpus"
	is "kernel.krun_msr_access=1: nobody may read" "$allowed" nobody "$call" read "$cpus"
else
	no "kernel.krun_msr_access=1: nobody may reset" "cannot write $sysctl"
	no "kernel.krun_msr_access=1: nobody may configure" "cannot write $sysctl"
	no "kernel.krun_msr_access=1: nobody may read" "cannot write $sysctl"
fi
if nobody sh -c "echo 0 >$sysctl" 2>/dev/null || [ "$(cat "$sysctl")" != 1 ]; then
	no "nobody cannot change kernel.krun_msr_access" "value now $(cat "$sysctl")"
else
	ok "nobody cannot change kernel.krun_msr_access"
fi
echo 0 >"$sysctl"
is "back at 0: nobody gets EPERM again" EPERM nobody "$call" reset "$cpus"

bad=
for v in 2 -1 abc; do
	if echo "$v" >"$sysctl" 2>/dev/null; then bad="$bad $v"; fi
done
if [ -z "$bad" ] && [ "$(cat "$sysctl")" = 0 ]; then
	ok "kernel.krun_msr_access accepts only 0 and 1"
else
	no "kernel.krun_msr_access accepts only 0 and 1" "accepted:$bad; now $(cat "$sysctl")"
fi
echo 0 >"$sysctl" 2>/dev/null
if out=$(sysctl -n kernel.krun_msr_access 2>&1) && [ "$out" = 0 ]; then
	ok "sysctl(8) knows kernel.krun_msr_access"
else
	no "sysctl(8) knows kernel.krun_msr_access" "$out"
fi
