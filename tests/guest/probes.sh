#!/bin/bash
# arm/probes.flat: the verdicts follow the probe table, and a wrong table
# entry (a probe pointed at another field, or at the wrong minimum) fails
# with a message naming the probe, the field and both values.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/probes.flat ] || t_skip "arm/probes.flat not built"
export TIMEOUT=60s
run() { arm/run arm/probes.flat "$@"; }

t_status "cortex-a57: every probe matches its ID registers" 0 run -cpu cortex-a57
t_grep "cortex-a57: LSE hidden (Atomic = 0) and UNDEFINED" '^PASS: EL1: lse: hidden and UNDEFINED; ID_AA64ISAR0_EL1.Atomic = 0 \(>= 2 advertises\)' "$T_OUT"
t_grep "cortex-a57: fingerprint records the outcome" '^probe\.lse undef$' "$T_OUT"
t_status "max: every probe matches its ID registers" 0 run -cpu max
t_grep "max: LSE advertised and executes" '^PASS: EL1: lse: advertised and executes; ID_AA64ISAR0_EL1.Atomic = 2' "$T_OUT"
t_grep "max: fingerprint records the outcome" '^probe\.lse exec$' "$T_OUT"
t_grep "max: EL0 pass recorded" '^probe\.el0\.lse exec$' "$T_OUT"

# A probe pointed at the wrong field: lse judged by CRC32 (1 on cortex-a57).
t_status "wrong field: lse judged by ID_AA64ISAR0_EL1.CRC32 fails" 1 \
	run -cpu cortex-a57 -append override=lse:ID_AA64ISAR0_EL1.CRC32:1
t_grep "wrong field: names probe, field and both values" \
	'^FAIL: EL1: lse: advertised and UNDEFINED; ID_AA64ISAR0_EL1.CRC32 = 1 \(>= 1 advertises\)' "$T_OUT"
# The wrong minimum: SVE needs 2 (SVE2?) where max has 1: hidden but runs, class K.
t_status "wrong minimum: sve needing SVE >= 2 on max fails" 1 \
	run -cpu max -append override=sve:ID_AA64PFR0_EL1.SVE:2
t_grep "wrong minimum: names probe, field and both values" \
	'^FAIL: EL1: sve \(class K\): hidden but executes; ID_AA64PFR0_EL1.SVE = 1 \(>= 2 advertises\)' "$T_OUT"
t_status "a class N probe hidden but executing is a named leak (KFAIL), not a failure" 0 \
	run -cpu max -append override=lse:ID_AA64ISAR0_EL1.Atomic:3
t_grep "leak reported" '^KFAIL: EL1: lse \(class N\): hidden but executes: a leak no hypervisor can trap; ID_AA64ISAR0_EL1.Atomic = 2 \(>= 3 advertises\)' "$T_OUT"
t_status "a malformed override is an abort" 1 run -append override=nosuch:X.Y:1
t_done
