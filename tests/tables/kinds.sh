#!/bin/bash
# The table corrections of issue 10, each checked where it acts: gvfp diff's
# verdict for two fingerprints that differ in that field only, and a probe's
# gating as the guest evaluates it (probe_gate.c, built from tables/).
#   ID_AA64DFR0_EL1.PMUVer, ID_DFR0_EL1.PerfMon: KIND_FEAT_IMPDEF (KVM takes
#     a lower PMU version; 0xF, an IMPLEMENTATION DEFINED PMU, is no level)
#   ID_AA64SMFR0_EL1, ID_AA64FPFR0_EL1: KIND_EXACT (FTR_EXACT in Linux)
#   probe ssbs_reg (MRS SSBS) needs SSBS >= 2 (FEAT_SSBS2); ssbs (MSR SSBS,
#     #imm) SSBS >= 1
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/tests/host/gvfp.bash"
cd "$(t_tmpdir)" || exit 2

# diff_field REG LSB OLD NEW: gvfp diff of two fingerprints whose REG differs
# in the field at LSB only; output in $T_OUT.
diff_field() {
	fp a.fp "sysreg.$1 $(regval "$2" "$3")"
	fp b.fp "sysreg.$1 $(regval "$2" "$4")"
	t_status "$1 bits $2: $3 -> $4: incompatible (exit 1)" 1 gv diff a.fp b.fp
}

# PMUVer: a raised PMU version breaks backward only, a lowered one forward;
# to or from 0xF both.
diff_field ID_AA64DFR0_EL1 8 4 5
t_grep "PMUVer raised (PMUv3p1 -> p4): breaks backward" '^  PMUVer +4 -> 5 +breaks backward \(feature level raised\)$' "$T_OUT"
diff_field ID_AA64DFR0_EL1 8 6 1
t_grep "PMUVer lowered: breaks forward" '^  PMUVer +6 -> 1 +breaks forward \(feature level lowered\)$' "$T_OUT"
diff_field ID_AA64DFR0_EL1 8 4 15
t_grep "PMUVer to 0xF (IMPLEMENTATION DEFINED): breaks both" '^  PMUVer +4 -> 15 +breaks both \(0xF is IMPLEMENTATION DEFINED, no level\)$' "$T_OUT"
diff_field ID_AA64DFR0_EL1 8 15 1
t_grep "PMUVer from 0xF: breaks both" '^  PMUVer +15 -> 1 +breaks both' "$T_OUT"
diff_field ID_DFR0_EL1 24 3 4
t_grep "PerfMon raised: breaks backward" '^  PerfMon +3 -> 4 +breaks backward \(feature level raised\)$' "$T_OUT"
diff_field ID_DFR0_EL1 24 15 3
t_grep "PerfMon from 0xF: breaks both" '^  PerfMon +15 -> 3 +breaks both' "$T_OUT"
gv diff --json a.fp b.fp >diff.json
t_eq "--json names the kind" "feat-impdef" \
	"$(python3 -c 'import json,sys; print(json.load(open("diff.json"))["changes"][0]["fields"][0]["kind"])')"

# SMFR0/FPFR0: exact both ways, SMEver included.
diff_field ID_AA64SMFR0_EL1 56 1 2
t_grep "SMEver raised (SME2 -> SME2p1): breaks both" '^  SMEver +1 -> 2 +breaks both \(must match\)$' "$T_OUT"
diff_field ID_AA64SMFR0_EL1 56 2 0
t_grep "SMEver lowered: breaks both" '^  SMEver +2 -> 0 +breaks both \(must match\)$' "$T_OUT"
diff_field ID_AA64SMFR0_EL1 63 0 1
t_grep "SMFR0.FA64 gained: breaks both" '^  FA64 +0 -> 1 +breaks both \(must match\)$' "$T_OUT"
diff_field ID_AA64FPFR0_EL1 31 0 1
t_grep "FPFR0.F8CVT gained: breaks both" '^  F8CVT +0 -> 1 +breaks both \(must match\)$' "$T_OUT"
t_eq "every SMFR0/FPFR0 field is exact" "" \
	"$(gv table | awk '/^ID_AA64(SMFR0|FPFR0)_EL1/ { r = 1; next } /^[A-Z]/ { r = 0 } r && NF >= 3 && $3 != "exact"')"

# The SSBS probes' gating.
if ! (cd "$T_ROOT" && ${HOST_CC:-cc} -std=c11 -Wall -Wextra -Werror -Itables -o "$T_TMP/probe_gate" \
	tests/tables/probe_gate.c tables/probes.c tables/idregs.c) >build.log 2>&1; then
	t_fail "probe_gate.c builds"; sed 's/^/#   /' build.log | head -n 20; t_done
fi
gate() { "$T_TMP/probe_gate" "$@"; }
t_eq "ssbs_reg (mrs x0, ssbs) hidden with SSBS 1 (FEAT_SSBS only)" hidden "$(gate ssbs_reg ID_AA64PFR1_EL1.SSBS=1)"
t_eq "ssbs_reg advertised with SSBS 2 (FEAT_SSBS2)" advertised "$(gate ssbs_reg ID_AA64PFR1_EL1.SSBS=2)"
t_eq "ssbs (msr ssbs, #imm) advertised with SSBS 1" advertised "$(gate ssbs ID_AA64PFR1_EL1.SSBS=1)"
t_eq "ssbs hidden with SSBS 0" hidden "$(gate ssbs ID_AA64PFR1_EL1.SSBS=0)"
t_status "probe_gate: an unknown field is refused" 2 gate ssbs ID_AA64PFR1_EL1.NOPE=1
t_done
