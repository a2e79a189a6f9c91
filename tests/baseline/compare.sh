#!/bin/bash
# tests/baseline/compare.sh: a run against its baseline (arm/run BASELINE,
# unittests.cfg's baseline key, scripts/baseline/compare.sh).  An unchanged
# run passes; a baseline with one field changed (an edited copy) fails with
# that key decoded, whether or not the change matters to migration; a
# baseline of another QEMU version or accelerator is a harness error, not a
# difference; volatile keys are left out only by a list that gives reasons.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/idregs.flat ] && [ -x host/gvfp ] || t_skip "arm/idregs.flat or host/gvfp not built"
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"
command -v python3 >/dev/null || t_skip "no python3"
export ACCEL=tcg TIMEOUT=60s
unset BASELINE MIGRATION SAVE_STATE RESTORE_STATE QEMU
tmp=$(t_tmpdir)
ver=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([0-9]*\.[0-9]*\).*/\1/p')
stored=baselines/qemu-$ver/cortex-a57.fp
[ -f "$stored" ] || t_skip "no stored baseline for this QEMU ($ver): $stored"
a57=(arm/idregs.flat -smp 2 -cpu cortex-a57)

t_status "unchanged: the run equals the stored baseline" 0 env BASELINE="$stored" arm/run "${a57[@]}"
cp "$T_OUT" "$tmp/console"
t_grep "unchanged: the verdict says so" "^arm/run: PASS .*equals baseline $stored\)$" "$T_OUT"

# edit PATTERN REPLACEMENT OUT: OUT = the stored baseline, one line edited.
edit() { sed "s/$1/$2/" "$stored" >"$3"; cmp -s "$stored" "$3" && echo "edit $1 did nothing"; }

edit '^sysreg.MIDR_EL1 0x00000000411fd070$' 'sysreg.MIDR_EL1 0x00000000411fd071' "$tmp/midr.fp"
t_status "one field changed: FAIL" 1 env BASELINE="$tmp/midr.fp" arm/run "${a57[@]}"
t_grep "one field changed: the key decoded, old -> new" '^MIDR_EL1: 0x00000000411fd071 -> 0x00000000411fd070$' "$T_OUT"
t_grep "one field changed: the field decoded" '^  Revision +1 -> 0 ' "$T_OUT"
t_grep "one field changed: the key named" '^baseline: moved: sysreg.MIDR_EL1$' "$T_OUT"
t_grep "one field changed: the verdict" '^arm/run: FAIL: the guest.s view moved against baseline .*midr.fp' "$T_OUT"

# The comparison itself, on the console kept above (no QEMU run).
cmpr() { scripts/baseline/compare.sh "$@" qemu-system-aarch64 tcg <"$tmp/console"; }
edit '^sysreg.cpu1.MPIDR_EL1 0x0000000080000001$' 'sysreg.cpu1.MPIDR_EL1 0x0000000080000002' "$tmp/aff.fp"
t_status "an information-only change (MPIDR Aff0) fails too" 1 cmpr "$tmp/aff.fp"
t_grep "... named" '^baseline: moved: sysreg.cpu1.MPIDR_EL1$' "$T_OUT"
grep -v '^gic.GICD_TYPER ' "$stored" >"$tmp/less.fp"
t_status "a key the baseline lacks fails" 1 cmpr "$tmp/less.fp"
t_grep "... named" '^baseline: moved: gic.GICD_TYPER$' "$T_OUT"
t_status "the stored baseline: equal" 0 cmpr "$stored"
t_grep "... says how many keys" '^baseline: the view equals .* \(380 keys, QEMU [0-9.]+, tcg\)$' "$T_OUT"

# Configuration errors, not differences.
other=10.0
[ "$ver" != 10.0 ] || other=7.2
edit "^# qemu-version: $ver\$" "# qemu-version: $other" "$tmp/version.fp"
t_status "a baseline of another QEMU version: does not apply, a skip" 77 env BASELINE="$tmp/version.fp" arm/run "${a57[@]}"
t_grep "... saying both versions" "^arm/run: SKIP: baseline: .*version.fp is a baseline of QEMU $other, this run's QEMU \(qemu-system-aarch64\) is $ver: not comparable" "$T_OUT"
edit '^# accel: tcg$' '# accel: kvm' "$tmp/accel.fp"
t_status "a baseline of another accelerator: does not apply" 3 cmpr "$tmp/accel.fp"
t_grep "... saying so" 'was taken under kvm, this run used tcg' "$T_OUT"
grep -v '^# qemu-version' "$stored" >"$tmp/nohdr.fp"
t_status "a file without the header: error" 2 cmpr "$tmp/nohdr.fp"
t_grep "... naming the file" "nohdr.fp:1: no '# qemu-version: MAJOR.MINOR' header line" "$T_OUT"
t_status "a missing BASELINE: harness error before QEMU starts" 3 env BASELINE="$tmp/nothing.fp" arm/run "${a57[@]}"
t_nogrep "... (QEMU did not run)" '^EXIT: ' "$T_OUT"
t_status "BASELINE with a migration: harness error" 3 env BASELINE="$stored" MIGRATION=unix arm/run arm/migrate.flat
t_status "no fingerprint in the console: error" 2 scripts/baseline/compare.sh "$stored" qemu-system-aarch64 tcg </dev/null

# Volatile keys: only a list with reasons leaves keys out, and says so.
printf '# test list\nsysreg.MIDR_EL1   # changes on every run (for this test)\n' >"$tmp/vol"
t_status "a listed key is left out" 0 cmpr --volatile "$tmp/vol" "$tmp/midr.fp"
t_grep "... and said so" '^baseline: left out as volatile \(.*vol\): sysreg.MIDR_EL1 $' "$T_OUT"
printf 'sysreg.MIDR_EL1\n' >"$tmp/vol"
t_status "a listed key without a reason: error" 2 cmpr --volatile "$tmp/vol" "$tmp/midr.fp"
t_grep "... naming file and line" "vol:1: 'sysreg.MIDR_EL1' has no reason" "$T_OUT"
t_status "the stored list of volatile keys is valid" 0 cmpr --volatile baselines/volatile.keys "$stored"

# Through the suite: the cfg key reaches arm/run.
cat >"$tmp/b.cfg" <<EOF
[moved]
file = idregs.flat
smp = 2
extra_params = -cpu cortex-a57
baseline = $tmp/midr.fp
accel = tcg
EOF
t_status "run_tests.sh: a moved key fails the entry" 1 env GUESTVIEW_RUN_LOG_DIR="$tmp/logs" ./run_tests.sh --config "$tmp/b.cfg"
t_grep "run_tests.sh: FAIL line" '^FAIL moved ' "$T_OUT"
t_grep "run_tests.sh: the log has the key decoded" '^  Revision +1 -> 0 ' "$tmp/logs/moved.log"
printf '[e]\nfile = idregs.flat\nbaseline =\n' >"$tmp/e.cfg"
t_status "run_tests.sh: an empty baseline key is a config error" 2 ./run_tests.sh --config "$tmp/e.cfg"
t_grep "... naming the line" "e.cfg:3: empty value for 'baseline'" "$T_OUT"
t_eq "no temporary directory left behind" "" "$(ls -d "${TMPDIR:-/tmp}"/guestview-baseline.* 2>/dev/null)"
t_done
