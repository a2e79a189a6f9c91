#!/bin/bash
# tests/host/diff.sh: gvfp diff's verdicts (breaks forward / backward /
# both, info), its exit status (0 identical or info only, 1 incompatible),
# its text as a reviewer reads it, and its --json document.  Fields are
# picked from the table by kind (gvfp.bash: pick), so the checks follow
# tables/idregs.def.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/gvfp.bash"
cd "$(t_tmpdir)" || exit 2

# pair A_LINES B_LINES: a.fp and b.fp from "|"-separated lines.
pair() {
	local IFS='|'
	# shellcheck disable=SC2086
	fp a.fp $1
	# shellcheck disable=SC2086
	fp b.fp $2
}
hdr() {	# the two header lines for N of TOTAL keys: F B X I, then the verdicts
	local n=$1 total=$2 f=$3 b=$4 x=$5 i=$6 s=
	[ "$f" = 1 ] && s=s
	printf 'a.fp -> b.fp: %s of %s keys differ: %s break%s forward, %s backward, %s both, %s info only\n' \
		"$n" "$total" "$f" "$s" "$b" "$x" "$i"
	if [ $((f + b + x)) -eq 0 ]; then
		echo "compatible both ways: the differences are information only"
	else
		printf 'migrating a.fp -> b.fp: %s; back b.fp -> a.fp: %s\n' \
			"$([ $((f + x)) -gt 0 ] && echo INCOMPATIBLE || echo compatible)" \
			"$([ $((b + x)) -gt 0 ] && echo INCOMPATIBLE || echo compatible)"
	fi
}

read -r FR FF FL FW <<<"$(pick feat ID_AA64ISAR0_EL1.AES)"
read -r SR SF SL SW <<<"$(pick sfeat ID_AA64PFR0_EL1.FP)"
read -r XR XF XL XW <<<"$(pick exact MIDR_EL1.Revision)"
read -r IR IF IL IW <<<"$(pick info)"
read -r LR LF LL LW <<<"$(pick lower CTR_EL0.CWG)"
t_check "the table has a field of each kind" test -n "$FW" -a -n "$SW" -a -n "$XW" -a -n "$IW" -a -n "$LW"

# Identical.
t_status "identical: exit 0" 0 gv diff "$CORPUS/qemu-a57.fp" "$CORPUS/qemu-a57.fp"
t_grep "identical: says so with the key count" "^.*qemu-a57.fp -> .*qemu-a57.fp: identical \(([0-9]+) keys\)$" "$T_OUT"
{ head -n 1 "$CORPUS/example.fp"; tail -n +2 "$CORPUS/example.fp" | tac; } >reversed.fp
t_status "identical, other order: exit 0" 0 gv diff "$CORPUS/example.fp" reversed.fp
t_grep "identical, other order: the order does not matter" ": identical \(19 keys\)$" "$T_OUT"

# FEAT: lower on B breaks forward, higher breaks backward.
pair "sysreg.$FR $(regval "$FL" 2)" "sysreg.$FR $(regval "$FL" 0)"
t_status "feat lowered: exit 1" 1 gv diff a.fp b.fp
out_is "feat lowered: breaks forward" "$(hdr 1 1 1 0 0 0)

$FR: $(regval "$FL" 2) -> $(regval "$FL" 0)
  $FF  2 -> 0   breaks forward (feature level lowered)"
pair "sysreg.$FR $(regval "$FL" 1)" "sysreg.$FR $(regval "$FL" 2)"
t_status "feat raised: exit 1" 1 gv diff a.fp b.fp
out_is "feat raised: breaks backward" "$(hdr 1 1 0 1 0 0)

$FR: $(regval "$FL" 1) -> $(regval "$FL" 2)
  $FF  1 -> 2   breaks backward (feature level raised)"

# SFEAT: 0xF is -1, below 0.
pair "sysreg.$SR $(regval "$SL" 0)" "sysreg.$SR $(regval "$SL" 15)"
t_status "signed feat to 0xf: exit 1" 1 gv diff a.fp b.fp
t_grep "signed feat to 0xf: -1, lowered, breaks forward" "^  $SF  0 -> -1   breaks forward \(feature level lowered\)$" "$T_OUT"
pair "sysreg.$SR $(regval "$SL" 15)" "sysreg.$SR $(regval "$SL" 1)"
t_status "signed feat from 0xf: exit 1" 1 gv diff a.fp b.fp
t_grep "signed feat from 0xf: raised, breaks backward" "^  $SF  -1 -> 1   breaks backward \(feature level raised\)$" "$T_OUT"

# EXACT: any change, both ways.
pair "sysreg.$XR $(regval "$XL" 0)" "sysreg.$XR $(regval "$XL" 1)"
t_status "exact changed: exit 1" 1 gv diff a.fp b.fp
out_is "exact changed: breaks both" "$(hdr 1 1 0 0 1 0)

$XR: $(regval "$XL" 0) -> $(regval "$XL" 1)
  $XF  0 -> 1   breaks both (must match)"

# INFO: reported, exit 0.
pair "sysreg.$IR $(regval "$IL" 0)" "sysreg.$IR $(regval "$IL" 1)"
t_status "info changed: exit 0" 0 gv diff a.fp b.fp
out_is "info changed: info only" "$(hdr 1 1 0 0 0 1)

$IR: $(regval "$IL" 0) -> $(regval "$IL" 1)
  $IF  $([ "$IW" -gt 4 ] && echo 0x0 || echo 0) -> $([ "$IW" -gt 4 ] && echo 0x1 || echo 1)   info (identification only)"
# Per-vCPU registers: MPIDR_EL1's affinity is identification.
pair "sysreg.cpu0.MPIDR_EL1 0x0000000080000000|sysreg.cpu1.MPIDR_EL1 0x0000000080000001" \
	"sysreg.cpu0.MPIDR_EL1 0x0000000080000000|sysreg.cpu1.MPIDR_EL1 0x0000000080000002"
t_status "per-vCPU register: a cpu's own key" 0 gv diff a.fp b.fp
t_grep "per-vCPU register: labelled with its vCPU" "^cpu1.MPIDR_EL1: 0x0000000080000001 -> 0x0000000080000002$" "$T_OUT"

# LOWER: the opposite of FEAT.
pair "sysreg.$LR $(regval "$LL" 3)" "sysreg.$LR $(regval "$LL" 4)"
t_status "lower-is-more raised: exit 1" 1 gv diff a.fp b.fp
t_grep "lower-is-more raised: breaks forward" "^  $LF  3 -> 4   breaks forward \(value raised, lower is more\)$" "$T_OUT"
pair "sysreg.$LR $(regval "$LL" 4)" "sysreg.$LR $(regval "$LL" 3)"
t_status "lower-is-more lowered: exit 1" 1 gv diff a.fp b.fp
t_grep "lower-is-more lowered: breaks backward" "^  $LF  4 -> 3   breaks backward \(value lowered, lower is more\)$" "$T_OUT"
if [ "$LR.$LF" = CTR_EL0.CWG ]; then
	# CWG 0 is "not known: assume the largest", compared as 9.
	pair "sysreg.CTR_EL0 $(regval "$LL" 4)" "sysreg.CTR_EL0 $(regval "$LL" 0)"
	t_status "CTR_EL0.CWG 4 -> 0: exit 1" 1 gv diff a.fp b.fp
	t_grep "CTR_EL0.CWG 4 -> 0: 0 is the largest granule, breaks forward" \
		"^  CWG  4 -> 0   breaks forward \(value raised, lower is more; 0 compared as 9\)$" "$T_OUT"
fi

# Changed bits outside every field: MIDR_EL1[63:32] is RES0.
pair "sysreg.MIDR_EL1 0x00000000411fd070" "sysreg.MIDR_EL1 0x00000300411fd070"
t_status "unknown bits: exit 1" 1 gv diff a.fp b.fp
out_is "unknown bits: named bits[hi:lo], breaks both" "$(hdr 1 1 0 0 1 0)

MIDR_EL1: 0x00000000411fd070 -> 0x00000300411fd070
  bits[41:40]  0 -> 3   breaks both (bits outside the table's fields)"

# Several fields of one register, from the real QEMU fingerprint.
sed 's/^sysreg.ID_AA64ISAR0_EL1 .*/sysreg.ID_AA64ISAR0_EL1 0x0000000000010000/' "$CORPUS/qemu-a57.fp" >b.fp
cp "$CORPUS/qemu-a57.fp" a.fp
total=$(($(wc -l <a.fp) - 1))
t_status "three features dropped: exit 1" 1 gv diff a.fp b.fp
out_is "three features dropped: one register, fields aligned" "$(hdr 1 "$total" 1 0 0 0)

ID_AA64ISAR0_EL1: 0x0000000000011120 -> 0x0000000000010000
  SHA2  1 -> 0   breaks forward (feature level lowered)
  SHA1  1 -> 0   breaks forward (feature level lowered)
  AES   2 -> 0   breaks forward (feature level lowered)"

# Keys on one side only.
pair "probe.x exec|probe.both exec|sysreg.$FR 0x0000000000000000" "probe.both exec|probe.y exec"
t_status "keys on one side: exit 1" 1 gv diff a.fp b.fp
out_is "keys on one side: missing breaks forward, new breaks backward" "$(hdr 3 4 2 1 0 0)

probe.x: exec -> (absent)   breaks forward (missing on destination)

$FR: 0x0000000000000000 -> (absent)   breaks forward (missing on destination)

probe.y: (absent) -> exec   breaks backward (new on destination)"

# Readable, UNDEFINED, trapping.
pair "sysreg.SMIDR_EL1 0x0000000000000000|sysreg.GMID_EL1 undef" "sysreg.SMIDR_EL1 undef|sysreg.GMID_EL1 trap:0x18"
t_status "readable to undef, undef to trap: exit 1" 1 gv diff a.fp b.fp
t_grep "readable to undef: breaks forward" \
	"^SMIDR_EL1: 0x0000000000000000 -> undef   breaks forward \(readable on source, UNDEFINED on destination\)$" "$T_OUT"
t_grep "undef to trap: breaks both" \
	"^GMID_EL1: undef -> trap:0x18   breaks both \(UNDEFINED on source, trapping \(EC 0x18\) on destination\)$" "$T_OUT"
pair "sysreg.SMIDR_EL1 trap:0x18" "sysreg.SMIDR_EL1 0x0000000000000000"
t_status "trap to readable: exit 1" 1 gv diff a.fp b.fp
t_grep "trap to readable: breaks backward" \
	"^SMIDR_EL1: trap:0x18 -> 0x0000000000000000   breaks backward \(trapping \(EC 0x18\) on source, readable on destination\)$" "$T_OUT"

# Probes.
pair "probe.sve exec|probe.sme undef|probe.mte exec" "probe.sve undef|probe.sme exec|probe.mte trap:0x18"
t_status "probes: exit 1" 1 gv diff a.fp b.fp
out_is "probes: exec lost forward, gained backward" "$(hdr 3 3 2 1 0 0)

probe.sve: exec -> undef   breaks forward (executes on source, UNDEFINED on destination)

probe.sme: undef -> exec   breaks backward (UNDEFINED on source, executes on destination)

probe.mte: exec -> trap:0x18   breaks forward (executes on source, trapping (EC 0x18) on destination)"

# The guest's own enable trap (a hidden feature the CPU has) against UNDEFINED (a CPU without it).
pair "probe.sme.own_enable_clear owntrap" "probe.sme.own_enable_clear undef"
t_status "owntrap to undef: exit 1" 1 gv diff a.fp b.fp
t_grep "owntrap to undef: breaks both, named" \
	"^probe.sme.own_enable_clear: owntrap -> undef   breaks both \(probe result changed\)$" "$T_OUT"

# The idspace slot of a register with its own key is not reported twice.
pair "sysreg.MIDR_EL1 0x00000000411fd070|idspace.s3_0_c0_c0_0 0x00000000411fd070|idspace.s3_0_c0_c3_3 0x0000000000000000" \
	"sysreg.MIDR_EL1 0x00000000411fd071|idspace.s3_0_c0_c0_0 0x00000000411fd071|idspace.s3_0_c0_c3_3 0x0000000000000001"
t_status "idspace: exit 1" 1 gv diff a.fp b.fp
out_is "idspace: the register once, the unallocated slot on its own" "$(hdr 2 3 0 0 2 0)

MIDR_EL1: 0x00000000411fd070 -> 0x00000000411fd071
  Revision  0 -> 1   breaks both (must match)

idspace.s3_0_c0_c3_3 (unallocated): 0x0000000000000000 -> 0x0000000000000001   breaks both (unallocated ID slot changed)"
pair "sysreg.MIDR_EL1 0x00000000411fd070|idspace.s3_0_c0_c0_0 0x00000000411fd070" \
	"sysreg.MIDR_EL1 0x00000000411fd070|idspace.s3_0_c0_c0_0 0x00000000411fd071"
t_status "idspace slot alone changed: exit 1" 1 gv diff a.fp b.fp
t_grep "idspace slot alone changed: reported, as its register" \
	"^MIDR_EL1 \(idspace.s3_0_c0_c0_0\): 0x00000000411fd070 -> 0x00000000411fd071$" "$T_OUT"

# Firmware, GIC, timer, PMU.
pair "fw.psci.version 0x0000000000010001|fw.psci.features.CPU_SUSPEND_64 0x0000000000000000|fw.smccc.arch_features.WORKAROUND_1 0xffffffffffffffff|fw.trng.uuid.a1 0x0000000000000001" \
	"fw.psci.version 0x0000000000010000|fw.psci.features.CPU_SUSPEND_64 0xffffffffffffffff|fw.smccc.arch_features.WORKAROUND_1 0x0000000000000000|fw.trng.uuid.a1 0x0000000000000002"
t_status "firmware: exit 1" 1 gv diff a.fp b.fp
out_is "firmware: versions, features, other answers" "$(hdr 4 4 2 1 1 0)

fw.psci.version: 0x0000000000010001 -> 0x0000000000010000   breaks forward (version lowered: 1.1 -> 1.0)

fw.psci.features.CPU_SUSPEND_64: 0x0000000000000000 -> 0xffffffffffffffff   breaks forward (supported on source, NOT_SUPPORTED (-1) on destination)

fw.smccc.arch_features.WORKAROUND_1: 0xffffffffffffffff -> 0x0000000000000000   breaks backward (NOT_SUPPORTED (-1) on source, supported on destination)

fw.trng.uuid.a1: 0x0000000000000001 -> 0x0000000000000002   breaks both (firmware answer changed)"
pair "fw.psci.version 0x0000000000010000" "fw.psci.version 0x0000000000010003"
t_status "firmware version raised: exit 1" 1 gv diff a.fp b.fp
t_grep "firmware version raised: breaks backward" "breaks backward \(version raised: 1.0 -> 1.3\)$" "$T_OUT"
pair "gic.GICD_TYPER 0x00000000037a0007|timer.CNTFRQ_EL0 0x0000000003b9aca0|pmu.PMCR_EL0.N 0x0000000000000006|pmu.PMCEID0_EL0 0x0000000000020001" \
	"gic.GICD_TYPER 0x00000000037a0008|timer.CNTFRQ_EL0 0x000000003b9aca00|pmu.PMCR_EL0.N 0x0000000000000004|pmu.PMCEID0_EL0 0x0000000000020003"
t_status "gic, timer, pmu: exit 1" 1 gv diff a.fp b.fp
out_is "gic, timer, pmu" "$(hdr 4 4 1 1 2 0)

gic.GICD_TYPER: 0x00000000037a0007 -> 0x00000000037a0008
  ITLinesNumber  7 -> 8   breaks both (GIC configuration must match)

timer.CNTFRQ_EL0: 0x0000000003b9aca0 -> 0x000000003b9aca00   breaks both (changed: 62500000 Hz (62.5 MHz) -> 1000000000 Hz (1 GHz))

pmu.PMCR_EL0.N: 0x0000000000000006 -> 0x0000000000000004   breaks forward (fewer on destination: 6 -> 4)

pmu.PMCEID0_EL0: 0x0000000000020001 -> 0x0000000000020003   breaks backward (feature bits gained on destination: 0x2)"

# CCSIDR_EL1's layout follows each side's ID_AA64MMFR2_EL1.CCIDX.
pair "sysreg.ID_AA64MMFR2_EL1 0x0000000000000000|sysreg.CCSIDR_EL1.L1D 0x00000000700fe01a" \
	"sysreg.ID_AA64MMFR2_EL1 0x0000000000100000|sysreg.CCSIDR_EL1.L1D 0x0000007f0000001a"
t_status "CCIDX differs: exit 1" 1 gv diff a.fp b.fp
t_grep "CCIDX differs: CCSIDR compared as a whole" \
	"^CCSIDR_EL1.L1D: 0x00000000700fe01a -> 0x0000007f0000001a   breaks both \(layout differs: ID_AA64MMFR2_EL1.CCIDX 0 -> 1\)$" "$T_OUT"
pair "sysreg.ID_AA64MMFR2_EL1 0x0000000000100000|sysreg.CCSIDR_EL1.L1D 0x0000007f0000001a" \
	"sysreg.ID_AA64MMFR2_EL1 0x0000000000100000|sysreg.CCSIDR_EL1.L1D 0x000000ff0000001a"
t_status "CCIDX layout on both sides: exit 1" 1 gv diff a.fp b.fp
t_grep "CCIDX layout on both sides: NumSets from bits 55:32" "^  NumSets  0x7f -> 0xff   breaks both \(must match\)$" "$T_OUT"

# --json: one document that python's json module reads, same verdicts.
pair "sysreg.$FR $(regval "$FL" 2)|probe.x exec|sysreg.$IR $(regval "$IL" 0)" "sysreg.$FR $(regval "$FL" 0)|sysreg.$IR $(regval "$IL" 1)"
t_status "--json: exit 1 as the text" 1 gv diff a.fp b.fp --json
t_check "--json: python3 -m json.tool reads it" python3 -m json.tool "$T_OUT" /dev/null
t_eq "--json: counts, compatibility, field verdicts" \
	"3 2 0 0 1 False True|$FF 2 0 breaks forward|probe.x exec None missing on destination|info" \
	"$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["key"]: x for x in d["changes"]}
f = c["sysreg." + sys.argv[2]]["fields"][0]
m = c["probe.x"]
print(d["differ"], d["breaks_forward"], d["breaks_backward"], d["breaks_both"], d["info_only"],
      d["forward_compatible"], d["backward_compatible"], end="|")
print(f["name"], f["old"], f["new"], f["verdict"], end="|")
print(m["key"], m["old"], m["new"], m["reason"], end="|")
print(c["sysreg." + sys.argv[3]]["verdict"])' "$T_OUT" "$FR" "$IR")"
t_status "--json identical: exit 0" 0 gv diff --json a.fp a.fp
t_check "--json identical: valid JSON" python3 -m json.tool "$T_OUT" /dev/null
t_eq "--json identical: no changes" "0 []" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["differ"], d["changes"])' "$T_OUT")"
# File names are escaped: quotes, backslashes, control characters, bad UTF-8.
odd=$(printf 'a "q" \\ \t\001\377.fp')
cp a.fp "$odd"
t_status "--json with an odd file name" 1 gv diff --json "$odd" b.fp
t_check "--json with an odd file name: valid JSON" python3 -m json.tool "$T_OUT" /dev/null
t_eq "--json with an odd file name: the name round-trips (bad UTF-8 as U+FFFD)" ok \
	"$(python3 -c '
import json, sys
print("ok" if json.load(open(sys.argv[1]))["source"] == "a \"q\" \\ \t\x01\ufffd.fp" else "differs")' "$T_OUT")"
t_done
