#!/bin/bash
# arm/probes.flat: the verdicts follow the probe table, and a wrong table
# entry (a probe pointed at another field, or at the wrong minimum) fails
# with a message naming the probe, the field and both values.  The own
# EL1 enable passes (CPACR_EL1.ZEN/SMEN set and clear) pass on every model;
# hide= makes TCG's max the hidden-but-present CPU of a KVM guest: hidden
# SME answering the guest's own SMEN trap is a named KFAIL, the same probe
# executing with SMEN set a FAIL, and tables/errata.def applies only to the
# host facts given (testbed_qemu=).
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
t_grep "max: SME with SMEN set executes" '^PASS: EL1: sme, CPACR_EL1\.SMEN set: advertised and executes; ' "$T_OUT"
t_grep "max: SME with SMEN clear takes its own trap" \
	'^PASS: EL1: sme, CPACR_EL1\.SMEN clear: advertised, traps on the guest.s own enable; ' "$T_OUT"
t_grep "max: SVE at EL0 with ZEN clear takes its own trap" \
	'^PASS: EL0: sve, CPACR_EL1\.ZEN clear: advertised, traps on the guest.s own enable; ' "$T_OUT"
t_eq "max: every SVE/SME probe passes in both enable states (13 probes, EL1 and EL0: 48 lines)" 48 \
	"$(grep -cE '^PASS: EL[01]: (sve|sme)[a-z0-9_]*, CPACR_EL1\.(ZEN|SMEN) (set|clear): ' "$T_OUT")"
t_grep "max: fingerprint: the own enable's trap" '^probe\.sme\.own_enable_clear owntrap$' "$T_OUT"
t_grep "max: fingerprint: with the enable set" '^probe\.sme exec$' "$T_OUT"
sed -n '/^--- guestview fingerprint begin ---$/,/^--- guestview fingerprint end ---$/p' "$T_OUT" >"$T_TMP/max.log"
t_status "max: gvfp reads the fingerprint with owntrap values" 0 host/gvfp extract "$T_TMP/max.log" -o "$T_TMP/max.fp"
t_status "max,sme=off: SME absent from the CPU: UNDEFINED with SMEN set and clear" 0 run -cpu max,sme=off
t_grep "max,sme=off: SMEN clear: UNDEFINED" '^PASS: EL1: sme, CPACR_EL1\.SMEN clear: hidden and UNDEFINED; ' "$T_OUT"
t_grep "max,sme=off: SMEN set: UNDEFINED" '^PASS: EL1: sme, CPACR_EL1\.SMEN set: hidden and UNDEFINED; ' "$T_OUT"
t_grep "max,sme=off: fingerprint" '^probe\.sme\.own_enable_clear undef$' "$T_OUT"

# KVM's case under TCG: the guest's ID registers hide SME, the CPU has it.
t_status "hidden SME on a CPU with SME: fails (SMEN set executes, TPIDR2/SMPRI unrecorded)" 1 \
	run -cpu max -append hide=ID_AA64PFR1_EL1.SME
t_grep "hidden SME, SMEN clear: the architectural leak, named, a KFAIL" \
	"^KFAIL: EL1: sme, CPACR_EL1\.SMEN clear \(class K\): hidden SME answers the guest's own CPACR_EL1\.SMEN trap \(EC 0x1d\): architectural leak; ID_AA64PFR1_EL1\.SME = 0 \(>= 1 advertises\)$" "$T_OUT"
t_eq "hidden SME: 5 architectural leaks (sme, sme_svcr, sme_smcr; sme, sme_svcr at EL0)" 5 \
	"$(grep -c 'SMEN clear (class K): hidden SME answers .*: architectural leak;' "$T_OUT")"
t_grep "hidden SME, SMEN set, executes: the hypervisor should trap it" \
	'^FAIL: EL1: sme, CPACR_EL1\.SMEN set \(class K\): hidden but executes: the hypervisor should trap it; ' "$T_OUT"
t_grep "hidden SME: TPIDR2_EL0 without test-bed facts: FAIL" \
	'^FAIL: EL1: sme_tpidr2 \(class K\): hidden but executes: the hypervisor should trap it; ' "$T_OUT"
t_grep "hidden SME: the leak in the fingerprint as its own outcome" '^probe\.sme\.own_enable_clear owntrap$' "$T_OUT"
t_status "hidden SME, told test bed QEMU 7.2: TPIDR2/SMPRI are the recorded test-bed gap" 1 \
	run -cpu max -append 'hide=ID_AA64PFR1_EL1.SME testbed_qemu=7.2.22 host_kernel=6.12.117'
t_grep "test bed 7.2: TPIDR2_EL0 a KFAIL naming the erratum's evidence" \
	'^KFAIL: EL1: sme_tpidr2 \(class K\): hidden but executes: test-bed gap \(tables/errata\.def: measured ' "$T_OUT"
t_grep "test bed 7.2: SMPRI_EL1 likewise" '^KFAIL: EL1: sme_smpri \(class K\): hidden but executes: test-bed gap ' "$T_OUT"
t_grep "test bed 7.2: only the 5 SMEN-set passes (EL1 and EL0) still fail" '^SUMMARY: [0-9]+ tests, 5 unexpected failures, 0 expected failures, 7 known failures' "$T_OUT"
t_status "hidden SME, told test bed QEMU 10.0: the erratum does not apply" 1 \
	run -cpu max -append 'hide=ID_AA64PFR1_EL1.SME testbed_qemu=10.0.2'
t_grep "test bed 10.0: TPIDR2_EL0 FAILs" '^FAIL: EL1: sme_tpidr2 \(class K\): hidden but executes: the hypervisor should trap it; ' "$T_OUT"
t_status "a malformed host_kernel is an abort" 1 run -append host_kernel=six
t_grep "names the argument" '^ABORT: .*host_kernel=six: expected a version' "$T_OUT"
t_status "a malformed hide is an abort" 1 run -append hide=ID_AA64PFR1_EL1.NOPE

# A probe pointed at the wrong field: lse judged by CRC32 (1 on cortex-a57).
t_status "wrong field: lse judged by ID_AA64ISAR0_EL1.CRC32 fails" 1 \
	run -cpu cortex-a57 -append override=lse:ID_AA64ISAR0_EL1.CRC32:1
t_grep "wrong field: names probe, field and both values" \
	'^FAIL: EL1: lse: advertised and UNDEFINED; ID_AA64ISAR0_EL1.CRC32 = 1 \(>= 1 advertises\)' "$T_OUT"
# The wrong minimum: SVE needs 2 (SVE2?) where max has 1: hidden but runs, class K.
t_status "wrong minimum: sve needing SVE >= 2 on max fails" 1 \
	run -cpu max -append override=sve:ID_AA64PFR0_EL1.SVE:2
t_grep "wrong minimum: names probe, field and both values" \
	'^FAIL: EL1: sve, CPACR_EL1\.ZEN set \(class K\): hidden but executes: the hypervisor should trap it; ID_AA64PFR0_EL1.SVE = 1 \(>= 2 advertises\)' "$T_OUT"
t_status "a class N probe hidden but executing is a named leak (KFAIL), not a failure" 0 \
	run -cpu max -append override=lse:ID_AA64ISAR0_EL1.Atomic:3
t_grep "leak reported" '^KFAIL: EL1: lse \(class N\): hidden but executes: untrappable by definition; ID_AA64ISAR0_EL1.Atomic = 2 \(>= 3 advertises\)' "$T_OUT"
t_status "a class U probe hidden but executing is a named leak (KFAIL), as U is defined" 0 \
	run -cpu max -append override=sb:ID_AA64ISAR1_EL1.SB:2
t_grep "U leak reported" '^KFAIL: EL1: sb \(class U\): hidden but executes: untrappable by definition; ID_AA64ISAR1_EL1.SB = 1 \(>= 2 advertises\)' "$T_OUT"
t_status "a malformed override is an abort" 1 run -append override=nosuch:X.Y:1
t_done
