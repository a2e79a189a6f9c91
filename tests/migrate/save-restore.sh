#!/bin/bash
# Save to a file in one run and restore from it in another: how one host is
# tested across a reboot into another kernel.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
state=$(t_tmpdir)/state
export TIMEOUT=60s

mig_run "save: the state is written at the guest's first request" 0 30 SAVE_STATE="$state" -- \
	arm/migrate.flat -smp 2 -append 'count=1 rate_ms=200'
t_grep "save: says where" "^gvmigrate: state saved to $state at the guest's request 1" "$T_OUT"
t_check "save: the file starts with the harness's header" grep -aq '^GUESTVIEW-STATE seq=1$' "$state"
t_check "save: the file is private (0600)" test "$(stat -c %a "$state")" = 600

mig_run "restore: the guest resumes and finds its view unchanged" 0 30 RESTORE_STATE="$state" -- \
	arm/migrate.flat -smp 2 -append 'count=1 rate_ms=200'
t_grep "restore: loaded" "^gvmigrate: restored: state loaded from $state" "$T_OUT"
t_grep "restore: the view compared" '^PASS: migration 1: the guest.s view is unchanged' "$T_OUT"
t_grep "restore: the counter did not go back" '^PASS: migration 1: CNTVCT_EL0 did not go back' "$T_OUT"
t_grep "restore: the counter rate checked" '^PASS: migration 1: the counter runs at CNTFRQ_EL0.s rate' "$T_OUT"

mig_run "restore into another MIDR: the guest catches it" 1 30 RESTORE_STATE="$state" \
	DEST_PARAMS='-cpu cortex-a57,midr=0x411fd071' -- arm/migrate.flat -smp 2 -append 'count=1 rate_ms=0'
t_grep "restore midr: named" '^FAIL: migration 1: sysreg.MIDR_EL1: 0x00000000411fd070 before, 0x00000000411fd071 after' "$T_OUT"

mig_run "restore into a CPU with fewer registers: refused" 79 30 RESTORE_STATE="$state" \
	DEST_PARAMS='-cpu cortex-a53' -- arm/migrate.flat -smp 2 -append 'count=1 rate_ms=0'
t_grep "restore refused: QEMU's error" '^restored: qemu-system-aarch64: .*(cpreg|cpu)' "$T_OUT"

printf 'not a state\n' > "$state"
mig_run "restore from a file that is no saved state" 3 10 RESTORE_STATE="$state" -- arm/migrate.flat
t_grep "bad state: says so" "not a state saved by gvmigrate --save" "$T_OUT"
t_done
