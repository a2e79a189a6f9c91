#!/bin/bash
# tests/host/keys.sh: firmware, GIC, timer and PMU keys mean what
# tables/firmware.def and tables/devkeys.def say, looked up exactly: a key
# the tables lack is "not in this gvfp's table" and gets no meaning guessed
# from its spelling (a version, a bitmap, a count), and each answer is judged
# by its table entry.  The expected verdicts are the specifications', fixed
# here, not read from the tables: PSCI_FEATURES/SMCCC_ARCH_FEATURES answer
# NOT_SUPPORTED for an absent function (DEN0022, DEN0028); PMCEID0/1_EL0 and
# KVM's vendor hypervisor feature words are bitmaps (Arm ARM D23; Linux
# Documentation/virt/kvm/arm/hypercalls.rst); PTP's answer is a status.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/gvfp.bash"
cd "$(t_tmpdir)" || exit 2

# --- gvfp keys: the tables' entries, against the .def files themselves -----
t_status "keys: the tables' entries" 0 gv keys
cp "$T_OUT" entries
# firmware.def: a RES_X0_X3 call is four keys KEY.a0-a3, any other one key.
want=$(awk -F'"' '/^FWCALL\(/ { if ($0 ~ /RES_X0_X3/) for (p = 0; p < 4; p++) print "fw." $2 ".a" p " firmware.def"; else print "fw." $2 " firmware.def" }' \
	"$T_ROOT/tables/firmware.def"
	awk -F'"' '/^DEVKEY\(/ { print $2 "." ($0 ~ /DK_PER_CPU/ ? "cpuN." : "") $4 " devkeys.def" }' "$T_ROOT/tables/devkeys.def")
t_eq "keys: every FWCALL and DEVKEY line, in order, as the guest spells its keys" "$want" "$(cat entries)"
t_grep "keys: a RES_X0_X3 call's words" "^fw.trng.uuid.a3 firmware.def$" entries
t_nogrep "keys: not the call's key without its word" "^fw.trng.uuid " entries
t_grep "keys: a per-vCPU key" "^gic.cpuN.GICR_TYPER devkeys.def$" entries

# --- keys the tables lack: none, and nothing guessed ------------------------
fp odd.fp "fw.psci.version 0x0000000000010001" "fw.psci.versionx 0x0000000000010001" \
	"fw.psci.version.a0 0x0000000000010001" "fw.trng.uuid 0x0000000000000000" "fw.trng.uuid.a4 0x0000000000000000" \
	"pmu.PMCEID1_EL0 0x0000000000000018" "pmu.PMCEID2_EL0 0x0000000000000018" "pmu.PMCR_EL0.M 0x0000000000000006" \
	"gic.cpu7.GICR_TYPER 0x0000000701000011" "gic.cpu07.GICR_TYPER 0x0000000701000011" "gic.GICR_TYPER 0x0000000701000011" \
	"gic.cpu0.GICD_TYPER 0x00000000037a0007" "gic.cpu65536.GICR_TYPER 0x0000000701000011" "gic.GICR_PIDR2 0x000000000000003b" \
	"timer.dt_nodes 0x0000000000000001" "timer.cpu0.CNTFRQ_EL0 0x0000000003b9aca0" "pmu.version 0x0000000000000003"
t_status "keys: keys no table describes: exit 1" 1 gv keys odd.fp
t_eq "keys: each key with its table, or none" "fw.psci.version firmware.def fw.psci.version
fw.psci.versionx none -
fw.psci.version.a0 none -
fw.trng.uuid none -
fw.trng.uuid.a4 none -
pmu.PMCEID1_EL0 devkeys.def pmu.PMCEID1_EL0
pmu.PMCEID2_EL0 none -
pmu.PMCR_EL0.M none -
gic.cpu7.GICR_TYPER devkeys.def gic.cpuN.GICR_TYPER
gic.cpu07.GICR_TYPER none -
gic.GICR_TYPER none -
gic.cpu0.GICD_TYPER none -
gic.cpu65536.GICR_TYPER none -
gic.GICR_PIDR2 none -
timer.dt_nodes none -
timer.cpu0.CNTFRQ_EL0 none -
pmu.version none -" "$(cat "$T_OUT")"
t_status "keys: every key described: exit 0" 0 gv keys "$CORPUS/example.fp"

t_status "show: keys the tables lack" 0 gv show odd.fp
cp "$T_OUT" odd.show
t_grep "show: a table key: its version" "^fw.psci.version 0x0000000000010001  \(version 1.1\)$" odd.show
for k in fw.psci.versionx fw.psci.version.a0 pmu.PMCEID2_EL0 pmu.PMCR_EL0.M gic.GICR_PIDR2 timer.dt_nodes pmu.version \
	timer.cpu0.CNTFRQ_EL0; do
	t_grep "show: $k: not in the table, nothing else said" "^$k 0x[0-9a-f]{16}  \(not in this gvfp's table\)$" odd.show
done
t_eq "show: fields only under the table's per-vCPU key" "1" "$(grep -c '^  Affinity_Value' odd.show)"
t_grep "show: the per-vCPU key decoded" "^gic.cpu7.GICR_TYPER 0x0000000701000011$" odd.show

# --- diff: judged by the table entry, or as unknown -------------------------
pair() {	# pair "A-LINES" "B-LINES", "|"-separated
	local IFS='|'
	# shellcheck disable=SC2086
	fp a.fp $1
	# shellcheck disable=SC2086
	fp b.fp $2
}
# reason KEY: the text after "KEY: OLD -> NEW   " in $T_OUT.
reason() { sed -n "s/^$1: [^ ]* -> [^ ]*   //p" "$T_OUT"; }

pair "fw.psci.version 0x0000000000010001|fw.psci.versionx 0x0000000000010001" \
	"fw.psci.version 0x0000000000010000|fw.psci.versionx 0x0000000000010000"
t_status "diff: versions lowered: exit 1" 1 gv diff a.fp b.fp
t_eq "diff: the table's version key: lowered breaks forward" "breaks forward (version lowered: 1.1 -> 1.0)" \
	"$(reason fw.psci.version)"
t_eq "diff: a look-alike key: no version, breaks both as unknown" "breaks both (changed; key not in this gvfp's table)" \
	"$(reason fw.psci.versionx)"

pair "pmu.PMCEID1_EL0 0x0000000000000018|pmu.PMCEID2_EL0 0x0000000000000018|fw.vendor_hyp.kvm_features.a0 0x0000000000000003|fw.vendor_hyp.call_uid.a0 0x0000000000000003" \
	"pmu.PMCEID1_EL0 0x0000000000000010|pmu.PMCEID2_EL0 0x0000000000000010|fw.vendor_hyp.kvm_features.a0 0x0000000000000001|fw.vendor_hyp.call_uid.a0 0x0000000000000001"
t_status "diff: bits lost: exit 1" 1 gv diff a.fp b.fp
t_eq "diff: PMCEID1_EL0, a bitmap: a bit lost breaks forward" "breaks forward (feature bits lost on destination: 0x8)" \
	"$(reason pmu.PMCEID1_EL0)"
t_eq "diff: KVM's feature word, a bitmap: a bit lost breaks forward" "breaks forward (feature bits lost on destination: 0x2)" \
	"$(reason fw.vendor_hyp.kvm_features.a0)"
t_eq "diff: PMCEID2_EL0, no such key: no bitmap, breaks both" "breaks both (changed; key not in this gvfp's table)" \
	"$(reason pmu.PMCEID2_EL0)"
t_eq "diff: the vendor UID, no bitmap: breaks both" "breaks both (firmware answer changed)" \
	"$(reason fw.vendor_hyp.call_uid.a0)"

pair "fw.psci.features.CPU_OFF 0xffffffffffffffff|fw.smccc.arch_features.WORKAROUND_3 0x0000000000000000|fw.pvtime.features.PV_TIME_ST 0xffffffffffffffff|fw.vendor_hyp.kvm_ptp 0xffffffffffffffff" \
	"fw.psci.features.CPU_OFF 0x0000000000000000|fw.smccc.arch_features.WORKAROUND_3 0xffffffffffffffff|fw.pvtime.features.PV_TIME_ST 0x0000000000000000|fw.vendor_hyp.kvm_ptp 0x0000000000000000"
t_status "diff: NOT_SUPPORTED <-> SUCCESS: exit 1" 1 gv diff a.fp b.fp
t_eq "diff: PSCI_FEATURES: NOT_SUPPORTED -> SUCCESS breaks backward" \
	"breaks backward (NOT_SUPPORTED (-1) on source, supported on destination)" "$(reason fw.psci.features.CPU_OFF)"
t_eq "diff: SMCCC_ARCH_FEATURES: SUCCESS -> NOT_SUPPORTED breaks forward" \
	"breaks forward (supported on source, NOT_SUPPORTED (-1) on destination)" "$(reason fw.smccc.arch_features.WORKAROUND_3)"
t_eq "diff: PV_TIME_FEATURES: NOT_SUPPORTED -> SUCCESS breaks backward" \
	"breaks backward (NOT_SUPPORTED (-1) on source, supported on destination)" "$(reason fw.pvtime.features.PV_TIME_ST)"
t_eq "diff: PTP's status, no feature query: NOT_SUPPORTED -> 0 breaks both" \
	"breaks both (firmware answer changed: NOT_SUPPORTED (-1) -> -)" "$(reason fw.vendor_hyp.kvm_ptp)"

# Only x0 of a four-word answer is a return code: a UUID word is data.
fp uuid.fp "fw.trng.uuid.a0 0x00000000fffffffe" "fw.trng.uuid.a1 0x00000000fffffffe"
t_status "show: UUID words" 0 gv show uuid.fp
t_grep "show: x0's -2 is TRNG's INVALID_PARAMETERS" "^fw.trng.uuid.a0 0x00000000fffffffe  \(INVALID_PARAMETERS \(-2\)\)$" "$T_OUT"
t_grep "show: x1's 0xfffffffe is data" "^fw.trng.uuid.a1 0x00000000fffffffe$" "$T_OUT"
t_done
