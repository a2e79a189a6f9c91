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
t_grep "save: the hint names arm/run's variable" \
	"; to continue, the same command with RESTORE_STATE=$state instead of SAVE_STATE \\(arm/run\\)" "$T_OUT"
# The restore below follows the hint as written: the variable is taken from it.
hint=$(sed -n 's/.*to continue, the same command with \(RESTORE_STATE=[^ ]*\) instead of SAVE_STATE.*/\1/p' "$T_OUT")
t_nogrep "save: no deprecation warning from QEMU" 'deprecated' "$T_OUT"
t_check "save: the file starts with the harness's header" grep -aEq '^GUESTVIEW-STATE seq=1 check=[0-9a-f]{16}$' "$state"
t_check "save: the file is private (0600)" test "$(stat -c %a "$state")" = 600

mig_run "restore: the guest resumes and finds its view unchanged" 0 30 "${hint:-RESTORE_STATE=}" -- \
	arm/migrate.flat -smp 2 -append 'count=1 rate_ms=200'
t_grep "restore: loaded" "^gvmigrate: restored: state loaded from $state" "$T_OUT"
t_grep "restore: the view compared" '^PASS: migration 1: the guest.s view is unchanged' "$T_OUT"
t_grep "restore: the counter did not go back" '^PASS: migration 1: CNTVCT_EL0 did not go back' "$T_OUT"
t_grep "restore: the counter rate checked" '^PASS: migration 1: the counter runs at CNTFRQ_EL0.s rate' "$T_OUT"
t_nogrep "restore: no deprecation warning from QEMU" 'deprecated' "$T_OUT"
t_status "gvstream reads the state file" 0 host/gvstream regs "$state"

mig_run "restore into another MIDR: the guest catches it" 1 30 RESTORE_STATE="$state" \
	DEST_PARAMS='-cpu cortex-a57,midr=0x411fd071' -- arm/migrate.flat -smp 2 -append 'count=1 rate_ms=0'
t_grep "restore midr: named" '^FAIL: migration 1: sysreg.MIDR_EL1: 0x00000000411fd070 before, 0x00000000411fd071 after' "$T_OUT"

mig_run "restore into a CPU with fewer registers: refused" 79 30 RESTORE_STATE="$state" \
	DEST_PARAMS='-cpu cortex-a53' -- arm/migrate.flat -smp 2 -append 'count=1 rate_ms=0'
t_grep "restore refused: QEMU's error" '^restored: qemu-system-aarch64: .*(cpreg|cpu)' "$T_OUT"
t_grep "restore refused: the verdict names the registers and fields" \
	'^gvmigrate: refused because of: .*ID_AA64MMFR0_EL1 PARange 4 -> 2, CTR_EL0 L1Ip 3 -> 2; would also change: nothing else' "$T_OUT"
t_grep "restore refused: the saved state compared with the restoring configuration" \
	"^gvmigrate: source: +$state \\(machine virt-7.2, 2 vCPUs" "$T_OUT"
t_grep "restore refused: RESULT REFUSED" "^gvmigrate: RESULT REFUSED 79 0 the saved state $state was refused" "$T_OUT"

# Across QEMU versions (7.2 saved, 10.0 restores): first the machine type,
# then, with the hint followed, the CPU registers.
q10=${GUESTVIEW_DEPS:-$T_ROOT/deps}/qemu10/usr/bin/qemu-system-aarch64
if [ -x "$q10" ]; then
	mig_run "restore on QEMU 10.0 with its default machine: refused" 79 60 RESTORE_STATE="$state" QEMU="$q10" -- \
		arm/migrate.flat -smp 2 -append 'count=1 rate_ms=0'
	t_grep "restore on 10.0: the machine type hint" \
		'^gvmigrate: machine type: the state was saved on virt-7.2, the restoring command makes virt-10.0: add -machine virt-7.2,gic-version=3 to the restoring command$' "$T_OUT"
	t_nogrep "restore on 10.0: no deprecation warning from QEMU 10.0" 'deprecated' "$T_OUT"
	mig_run "restore on QEMU 10.0 with -machine virt-7.2: refused for the CPU" 79 60 RESTORE_STATE="$state" QEMU="$q10" -- \
		arm/migrate.flat -smp 2 -machine virt-7.2,gic-version=3 -append 'count=1 rate_ms=0'
	t_grep "restore on 10.0 virt-7.2: refused because of PAR and ID_DFR0, 17 debug registers appear" \
		'^gvmigrate: refused because of: cp15:c7,0,c4,0\(PAR\) missing on the destination, ID_DFR0_EL1 MMapTrc 1 -> 0; would also change: 17 registers only on the destination \(' "$T_OUT"
	t_grep "restore on 10.0 virt-7.2: MIDR and CCSIDR said not compared" \
		'^gvmigrate: not in these streams, so not compared .*: MIDR_EL1, the cache geometry CCSIDR_EL1$' "$T_OUT"
	t_nogrep "restore on 10.0 virt-7.2: the machine types agree now" '^gvmigrate: machine type:' "$T_OUT"
	t_grep "restore on 10.0 virt-7.2: RESULT REFUSED" "^gvmigrate: RESULT REFUSED 79 0 the saved state $state was refused; restored: qemu-system-aarch64: " "$T_OUT"
	# QEMU 10.0 deprecates fd: for files: its file: URI is used, with no warning.
	state10=$(t_tmpdir)/state10
	mig_run "save on QEMU 10.0" 0 30 SAVE_STATE="$state10" QEMU="$q10" -- arm/migrate.flat -append 'count=1 rate_ms=0'
	t_nogrep "save on 10.0: no deprecation warning" 'deprecated' "$T_OUT"
	mig_run "restore on QEMU 10.0 of its own state" 0 30 RESTORE_STATE="$state10" QEMU="$q10" -- \
		arm/migrate.flat -append 'count=1 rate_ms=0'
	t_nogrep "restore on 10.0 of its own state: no deprecation warning" 'deprecated' "$T_OUT"
	t_grep "restore on 10.0 of its own state: the view compared" '^PASS: migration 1: the guest.s view is unchanged' "$T_OUT"
else
	echo "# no $q10: the checks across QEMU versions are left out"
fi

# A live migration after the restore is refused as a migration, not as the restore:
# the restore runs the destination's options (max), the next migration goes
# back to the source's (max,sve=off), which lacks registers.
state_max=$(t_tmpdir)/state-max
mig_run "save -cpu max, two requests" 0 30 SAVE_STATE="$state_max" -- arm/migrate.flat -cpu max -append 'count=2 rate_ms=0'
mig_run "restore, then a refused migration" 79 60 RESTORE_STATE="$state_max" DEST_PARAMS='-cpu max' -- \
	arm/migrate.flat -cpu max,sve=off -append 'count=2 rate_ms=0'
t_grep "restore then refused: the restore loaded" "^gvmigrate: restored: state loaded from $state_max" "$T_OUT"
t_grep "restore then refused: called migration 1" '^gvmigrate: migration 1 refused: ' "$T_OUT"
t_grep "restore then refused: the two configurations compared" '^gvmigrate: CPU registers, source configuration against destination configuration:' "$T_OUT"
t_nogrep "restore then refused: not called the restore's refusal" 'restoring .* refused|the saved state .* was refused' "$T_OUT"
t_grep "restore then refused: RESULT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused' "$T_OUT"

printf 'not a state\n' > "$state"
mig_run "restore from a file that is no saved state" 3 10 RESTORE_STATE="$state" -- arm/migrate.flat
t_grep "bad state: says so" "not a state saved by gvmigrate --save" "$T_OUT"
t_done
