#!/bin/bash
# tests/host/show.sh: gvfp show decodes every key (fields from the table,
# CCSIDR by the fingerprint's own CCIDX, firmware, GIC, timer), gvfp table
# lists what gvfp knows, gvfp check evaluates the table's rules.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/gvfp.bash"
cd "$(t_tmpdir)" || exit 2
EX=$CORPUS/example.fp

t_status "show: the example fingerprint" 0 gv show "$EX"
show=$T_OUT
t_eq "show: every key once, in the file's order" "$(tail -n +2 "$EX" | cut -d' ' -f1)" \
	"$(grep -v '^ ' "$show" | tail -n +2 | cut -d' ' -f1)"
t_grep "show: first line names file, key count, CCSIDR layout and why" \
	"^.*example.fp: guestview fingerprint 1, 19 keys; CCSIDR layout 32-bit \(no sysreg.ID_AA64MMFR2_EL1: assuming CCIDX 0\)$" "$show"
t_grep "show: a feature field, its level and kind" "^  EL0      2  \(feature level\)$" "$show"
t_grep "show: a signed field 0" "^  FP       0  \(signed feature level\)$" "$show"
t_grep "show: MIDR_EL1.PartNum in hex" "^  PartNum       0xd07  \(must match\)$" "$show"
t_grep "show: UNDEFINED" "^sysreg.SMIDR_EL1 undef  \(UNDEFINED\)$" "$show"
t_grep "show: an unallocated idspace slot" "^idspace.s3_0_c0_c3_3 0x0000000000000000  \(unallocated\)$" "$show"
t_grep "show: a trap, its exception class named" \
	"^idspace.s3_1_c0_c2_5 trap:0x18  \(unallocated; exception class 0x18, MSR/MRS/system instruction trapped\)$" "$show"
t_grep "show: PSCI version as major.minor" "^fw.psci.version 0x0000000000010001  \(version 1.1\)$" "$show"
t_grep "show: PSCI feature supported" "^fw.psci.features.CPU_ON_64 0x0000000000000000  \(supported \(SUCCESS\)\)$" "$show"
t_grep "show: SMCCC NOT_SUPPORTED" "^fw.smccc.arch_features.WORKAROUND_1 0xffffffffffffffff  \(NOT_SUPPORTED \(-1\)\)$" "$show"
t_eq "show: GICD_IIDR field by field" "gic.GICD_IIDR 0x000000000300043b
  Implementer  0x43b  (Arm)
  Revision         0
  Variant          0
  ProductID      0x3" "$(grep -A4 '^gic.GICD_IIDR' "$show")"
t_grep "show: GICR_TYPER.Last" "^  Last                1$" "$show"
t_grep "show: timer frequency" "^timer.CNTFRQ_EL0 0x0000000003b9aca0  \(62500000 Hz \(62.5 MHz\)\)$" "$show"
t_grep "show: PMU counters" "^pmu.PMCR_EL0.N 0x0000000000000006  \(6 event counters\)$" "$show"
t_grep "show: a probe that executed" "^probe.lse exec  \(executed\)$" "$show"
t_grep "show: set bits outside the fields (MPIDR_EL1 bit 31, RES1)" "^  bits\[31:31\] +1  \(set, outside the named fields\)$" "$show"

read -r SR SF SL SW <<<"$(pick sfeat ID_AA64PFR0_EL1.FP)"
fp neg.fp "sysreg.$SR $(regval "$SL" 15)"
t_status "show: a signed field of 0xf" 0 gv show neg.fp
t_grep "show: 0xf shown as -1" "^  $SF +-1  \(signed feature level\)$" "$T_OUT"

# Return codes by the service tables/firmware.def gives the call: PSCI -2
# is INVALID_PARAMETERS, SMCCC -2 NOT_REQUIRED.  (Real keys of the table:
# a key it lacks gets no meaning, tests/host/keys.sh.)
fp fw.fp "fw.psci.features.CPU_OFF 0xfffffffffffffffe" "fw.smccc.arch_features.WORKAROUND_2 0xfffffffffffffffe" \
	"fw.trng.features.TRNG_RND64 0x00000000fffffffd" "fw.psci.features.MIGRATE_32 0x00000000fffffff7" "fw.smccc.version 0x0000000000010002"
t_status "show: firmware return codes" 0 gv show fw.fp
t_grep "show: PSCI INVALID_PARAMETERS (-2)" "^fw.psci.features.CPU_OFF 0xfffffffffffffffe  \(INVALID_PARAMETERS \(-2\)\)$" "$T_OUT"
t_grep "show: SMCCC NOT_REQUIRED (-2)" "^fw.smccc.arch_features.WORKAROUND_2 0xfffffffffffffffe  \(NOT_REQUIRED \(-2\)\)$" "$T_OUT"
t_grep "show: a 32-bit TRNG NO_ENTROPY (-3)" "^fw.trng.features.TRNG_RND64 0x00000000fffffffd  \(NO_ENTROPY \(-3\)\)$" "$T_OUT"
t_grep "show: PSCI INVALID_ADDRESS (-9)" "^fw.psci.features.MIGRATE_32 0x00000000fffffff7  \(INVALID_ADDRESS \(-9\)\)$" "$T_OUT"
t_grep "show: SMCCC version" "^fw.smccc.version 0x0000000000010002  \(version 1.2\)$" "$T_OUT"

fp gic.fp "gic.GICD_TYPER 0x00000000037a0007" "gic.GICD_PIDR2 0x000000000000003b" "gic.cpu0.ICC_CTLR_EL1 0x0000000000008c00" \
	"gic.GICD_IIDR 0x000000004b01343b"
t_status "show: GIC registers" 0 gv show gic.fp
t_eq "show: KVM's GICD_IIDR: product 0x4b, variant 1, revision 3" "gic.GICD_IIDR 0x000000004b01343b
  Implementer  0x43b  (Arm)
  Revision         3
  Variant          1
  ProductID     0x4b" "$(grep -A4 '^gic.GICD_IIDR' "$T_OUT")"
t_grep "show: GICD_TYPER.ITLinesNumber" "^  ITLinesNumber +7  \(INTIDs up to 255\)$" "$T_OUT"
t_grep "show: GICD_TYPER.IDbits" "^  IDbits +15  \(16 interrupt ID bits\)$" "$T_OUT"
t_grep "show: GICD_TYPER.CPUNumber" "^  CPUNumber +0  \(1 PE without affinity routing\)$" "$T_OUT"
t_grep "show: GICD_PIDR2.ArchRev" "^  ArchRev +3  \(GICv3\)$" "$T_OUT"
t_grep "show: ICC_CTLR_EL1.PRIbits" "^  PRIbits +4  \(5 priority bits\)$" "$T_OUT"

# CCSIDR_EL1 in the layout the fingerprint's own ID_AA64MMFR2_EL1.CCIDX picks.
t_status "show: FEAT_CCIDX" 0 gv show "$CORPUS/ccidx.fp"
t_grep "show: FEAT_CCIDX layout named" "CCSIDR layout 64-bit, FEAT_CCIDX \(ID_AA64MMFR2_EL1.CCIDX 1\)$" "$T_OUT"
t_eq "show: FEAT_CCIDX NumSets from bits 55:32" "sysreg.CCSIDR_EL1.L1D 0x0000007f0000001a
  NumSets        0x7f  (must match)
  Associativity   0x3  (must match)
  LineSize          2  (must match)" "$(grep -A3 '^sysreg.CCSIDR_EL1.L1D' "$T_OUT")"
fp noccidx.fp "sysreg.ID_AA64MMFR2_EL1 0x0000000000000000" "sysreg.CCSIDR_EL1.L1D 0x00000000700fe01a"
t_status "show: without FEAT_CCIDX" 0 gv show noccidx.fp
t_eq "show: 32-bit layout" "sysreg.CCSIDR_EL1.L1D 0x00000000700fe01a
  NumSets        0x7f  (must match)
  Associativity   0x3  (must match)
  LineSize          2  (must match)
  bits[30:28]       7  (set, outside the named fields)" "$(grep -A4 '^sysreg.CCSIDR_EL1.L1D' "$T_OUT")"

t_status "show --json" 0 gv show --json "$EX"
t_check "show --json: python3 -m json.tool reads it" python3 -m json.tool "$T_OUT" /dev/null
t_eq "show --json: keys, values, fields, meanings" "19 19|sysreg.ID_AA64PFR0_EL1 EL0 2 feat|gic.GICD_IIDR Implementer 1083 Arm|version 1.1|0x0000000080000000" \
	"$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
e = {x["key"]: x for x in d["entries"]}
print(d["keys"], len(d["entries"]), end="|")
f = [f for f in e["sysreg.ID_AA64PFR0_EL1"]["fields"] if f["name"] == "EL0"][0]
print("sysreg.ID_AA64PFR0_EL1", f["name"], f["value"], f["kind"], end="|")
g = [f for f in e["gic.GICD_IIDR"]["fields"] if f["name"] == "Implementer"][0]
print("gic.GICD_IIDR", g["name"], g["value"], g["meaning"], end="|")
print(e["fw.psci.version"]["meaning"], end="|")
print(e["sysreg.cpu0.MPIDR_EL1"]["unnamed_bits"])' "$T_OUT")"

# The QEMU fingerprint, all of it.
gv extract "$DATA/qemu-cortex-a57.log" -o a57.fp
t_status "show: the QEMU fingerprint" 0 gv show a57.fp
t_eq "show: no sysreg value left undecoded: fields, or why there are none" "" \
	"$(awk '/^sysreg\./ && $2 ~ /^0x/ && !/no named fields in the table/ { k = $1; getline; if ($0 !~ /^  /) print k }' "$T_OUT")"

# table
t_status "table" 0 gv table
t_grep "table: counts" "^[0-9]+ registers, [0-9]+ fields, [0-9]+ rules$" "$T_OUT"
t_grep "table: a register with encoding and scope" "^MPIDR_EL1  s3_0_c0_c0_5  scope cpu, present always$" "$T_OUT"
t_grep "table: a field with bits and kind" "^  AES +\[7:4\] +feat" "$T_OUT"
t_status "table --json" 0 gv table --json
t_check "table --json: valid JSON" python3 -m json.tool "$T_OUT" /dev/null

# check: the table's rules.  The real CPU model satisfies them all; a
# fingerprint with FP but without AdvSIMD breaks at least one.
t_status "check: the QEMU fingerprint, every rule holds" 0 gv check a57.fp
t_grep "check: says so" "^a57.fp: all [0-9]+ rules hold$" "$T_OUT"
t_grep "check: names what read as 0" "^note: [0-9]+ registers? read as 0, absent or unreadable: .*SMIDR_EL1 \(undef\)" "$T_OUT"
sed "s/^sysreg.$SR .*/sysreg.$SR $(regval "$SL" 15)/" a57.fp >nofp.fp
t_status "check: FP not implemented, AdvSIMD implemented" 1 gv check nofp.fp
t_grep "check: a FAIL line" "^FAIL [A-Za-z0-9_]+: " "$T_OUT"
nfail=$(grep -c '^FAIL ' "$T_OUT")
t_grep "check: the count of failing rules" "^nofp.fp: $nfail of [0-9]+ rules fail$" "$T_OUT"
t_eq "check: each FAIL line carries its rule's citation from the table" "" \
	"$(gv table --json | python3 -c '
import json, sys
rules = {r["name"]: r["citation"] for r in json.load(sys.stdin)["rules"]}
for line in open(sys.argv[1]):
    if line.startswith("FAIL "):
        name, cit = line[5:].rstrip("\n").split(": ", 1)
        if rules.get(name) != cit:
            print("bad:", line.strip())' "$T_OUT")"
fp only.fp "probe.x exec"
t_status "check: no sysreg keys at all" 1 gv check only.fp
t_grep "check: every VM-wide register read as 0" "^note: [0-9]+ registers read as 0, absent or unreadable: MIDR_EL1 \(absent\), " "$T_OUT"
t_done
