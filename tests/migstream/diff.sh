#!/bin/bash
# tests/migstream/diff.sh: gvstream diff on the pairs a KVM/arm64 maintainer
# meets.  What must be reported comes from elsewhere, never from gvstream:
# the ID registers a guest of each configuration reads (arm/idregs.flat),
# the Arm ARM's "this register exists with that feature", and QEMU itself
# (a destination QEMU loads the stream: refused exactly when gvstream says
# registers are missing or read-only values differ).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

have_qemu "$QEMU72" || t_skip "no $QEMU72"
ms_build
M="-M virt,gic-version=3 -m 16"

# The names listed under the section of `gvstream diff` whose title has KEY.
section() {	# FILE KEY
	awk -v key="$2" '/^  [a-z]/ { on = index($0, key) > 0; next } /^[^ ]/ { on = 0 } on && /^    / { print $1 }' "$1"
}
LACKS="registers the destination lacks"
EXTRA="registers only the destination has"
RODIFF="read-only values that differ"
STATE="state that differs"

# A feature's field in a guest's ID registers, and the registers the Arm ARM
# defines with it.  Prints the registers of the features DST has and SRC
# lacks, the ones gvstream must list as extra on DST.
FEATURES=(
	"SVE ID_AA64PFR0_EL1 32 4 ZCR_EL1"
	"SME ID_AA64PFR1_EL1 24 4 SMCR_EL1 SVCR TPIDR2_EL0 SMIDR_EL1"
	"PAuth-APA ID_AA64ISAR1_EL1 4 4 APIAKeyLo_EL1 APIAKeyHi_EL1 APIBKeyLo_EL1 APIBKeyHi_EL1 APDAKeyLo_EL1 APDAKeyHi_EL1 APDBKeyLo_EL1 APDBKeyHi_EL1"
	"PAuth-GPA ID_AA64ISAR1_EL1 24 4 APGAKeyLo_EL1 APGAKeyHi_EL1"
	"PAuth-APA3 ID_AA64ISAR2_EL1 12 4 APIAKeyLo_EL1 APIAKeyHi_EL1 APDAKeyLo_EL1 APDAKeyHi_EL1"
	"LOR ID_AA64MMFR1_EL1 16 4 LORSA_EL1 LOREA_EL1 LORN_EL1 LORC_EL1 LORID_EL1"
	"RAS ID_AA64PFR0_EL1 28 4 ERRIDR_EL1 DISR_EL1"
)
gained_regs() {	# SRC_GUEST DST_GUEST
	local f name reg lsb width regs
	for f in "${FEATURES[@]}"; do
		read -r name reg lsb width regs <<<"$f"
		if [ "$(ms_field "$2" "$reg" "$lsb" "$width")" -gt 0 ] && [ "$(ms_field "$1" "$reg" "$lsb" "$width")" -eq 0 ]; then
			echo "$regs" | tr ' ' '\n'
		fi
	done | sort -u
}

# Every ID register in both the stream and the guest's view has the value the guest read.
same_as_guest() {	# LABEL STREAM GUEST
	local n=0 bad=0 name value guest
	"$GVSTREAM" regs "$2" >"$T_TMP/regs.txt"
	while read -r name _ _ value; do
		guest=$(awk -v r="$name" '$1 == r { print $2 }' "$3")
		[ -n "$guest" ] || continue
		n=$((n + 1))
		[ "$guest" = "$value" ] || { bad=$((bad + 1)); echo "#   $name: stream $value, guest $guest"; }
	done < <(grep -v '^#' "$T_TMP/regs.txt")
	t_check "$1: the stream's $n ID registers hold what the guest reads" test "$bad" -eq 0 -a "$n" -ge 30
}

src=$T_TMP/src.mig dst=$T_TMP/dst.mig

# ---- cortex-a57 -> max (QEMU 7.2) ----
# shellcheck disable=SC2086
{ ms_save "$QEMU72" "$src" $M -cpu cortex-a57 && ms_save "$QEMU72" "$dst" $M -cpu max; } ||
	t_fail "a57 -> max: streams saved"
if ms_guest "$QEMU72" "$T_TMP/g.a57" -M virt,gic-version=3 -cpu cortex-a57 &&
	ms_guest "$QEMU72" "$T_TMP/g.max" -M virt,gic-version=3 -cpu max; then
	same_as_guest "cortex-a57" "$src" "$T_TMP/g.a57"
	same_as_guest "max" "$dst" "$T_TMP/g.max"
	gained_regs "$T_TMP/g.a57" "$T_TMP/g.max" >"$T_TMP/want"
	t_check "a57 -> max: the guests' ID registers show features max adds (SVE, ...)" [ -s "$T_TMP/want" ]
	t_check "a57 -> max: SVE is among them, so ZCR_EL1 is expected" grep -qx ZCR_EL1 "$T_TMP/want"
	t_status "a57 -> max: diff exits 1" 1 "$GVSTREAM" diff "$src" "$dst"
	section "$T_OUT" "$EXTRA" >"$T_TMP/got"
	t_eq "a57 -> max: every register of max's extra features is listed as extra" "" \
		"$(comm -23 "$T_TMP/want" <(sort -u "$T_TMP/got") | paste -sd' ' -)"
	t_grep "a57 -> max: ID_AA64ZFR0_EL1 (SVE features) differs, with the guests' values" \
		"^    ID_AA64ZFR0_EL1 +0x603000000013c024  id +$(awk '$1=="ID_AA64ZFR0_EL1"{print $2}' "$T_TMP/g.a57") -> $(awk '$1=="ID_AA64ZFR0_EL1"{print $2}' "$T_TMP/g.max")$" "$T_OUT"
	cp "$T_OUT" "$T_TMP/a57-max.txt"
	# Backwards, the same registers are the ones the destination lacks.
	t_status "max -> a57: diff exits 1" 1 "$GVSTREAM" diff "$dst" "$src"
	section "$T_OUT" "$LACKS" >"$T_TMP/got"
	t_eq "max -> a57: they are the registers the destination lacks" "" \
		"$(comm -23 "$T_TMP/want" <(sort -u "$T_TMP/got") | paste -sd' ' -)"
	t_grep "max -> a57: the source's longer list is named as QEMU's cpreg_vmstate_array_len failure" \
		'cpreg_vmstate_array_len' "$T_OUT"
else
	echo "# arm/idregs.flat not built or did not run (make): guest-derived checks left out"
fi
t_status "a57 -> max --json: exits 1" 1 "$GVSTREAM" diff --json "$src" "$dst"
t_check "a57 -> max --json: is JSON" python3 -m json.tool "$T_OUT" /dev/null
t_eq "a57 -> max --json: same counts as the text report" \
	"$(sed -n 's/^summary over [0-9]* vCPUs*: \([0-9]*\) missing.*, \([0-9]*\) extra, \([0-9]*\) read-only.*, \([0-9]*\) state.*/\1 \2 \3 \4/p' "$T_TMP/a57-max.txt")" \
	"$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert not d["same"] and len(d["vcpus"][0]["extra"]) == s["extra"]
print(s["missing"], s["extra"], s["readonly_differ"], s["state_differ"])' "$T_OUT")"
t_eq "a57 -> max --json: ZCR_EL1 among the extras, with id, kind and value" \
	"0x603000000013c090 state 0x0000000000000000" "$(python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["vcpus"][0]["extra"] if x["name"] == "ZCR_EL1"][0]
print(r["id"], r["kind"], r["destination"])' "$T_OUT")"
# QEMU agrees: a cortex-a57 stream cannot be loaded into max.
# shellcheck disable=SC2086
ms_load "$QEMU72" "$src" $M -cpu max; t_eq "a57 -> max: QEMU refuses the stream too" 1 "$?"

# ---- max -> max,sve=off (QEMU 7.2): the cpreg_vmstate_array_len case ----
# shellcheck disable=SC2086
ms_save "$QEMU72" "$src" $M -cpu max || t_fail "max -> max,sve=off: stream saved"
# shellcheck disable=SC2086
ms_save "$QEMU72" "$dst" $M -cpu max,sve=off || t_fail "max -> max,sve=off: stream saved"
t_status "max -> max,sve=off: diff exits 1" 1 "$GVSTREAM" diff "$src" "$dst"
cp "$T_OUT" "$T_TMP/sve.txt"
if ms_guest "$QEMU72" "$T_TMP/g.nosve" -M virt,gic-version=3 -cpu max,sve=off; then
	t_eq "max,sve=off: its guest reads ID_AA64PFR0_EL1.SVE 0" 0 "$(ms_field "$T_TMP/g.nosve" ID_AA64PFR0_EL1 32 4)"
	t_check "max -> max,sve=off: ZCR_EL1 is among the registers the destination lacks" \
		grep -qx ZCR_EL1 <(section "$T_TMP/sve.txt" "$LACKS")
fi
t_grep "max -> max,sve=off: named as QEMU's cpreg_vmstate_array_len failure" \
	'QEMU fails with "Failed to load cpu:cpreg_vmstate_array_len"' "$T_TMP/sve.txt"
# shellcheck disable=SC2086
ms_load "$QEMU72" "$src" $M -cpu max,sve=off; t_eq "max -> max,sve=off: QEMU refuses the stream" 1 "$?"
t_grep "max -> max,sve=off: QEMU names cpreg_vmstate_array_len" 'Failed to load cpu:cpreg_vmstate_array_len' "$MS_LOAD_ERR"
# "Invalid value 304 expecting positive value <= 293": QEMU's own counts.
t_eq "max -> max,sve=off: gvstream's counts are QEMU's" \
	"$(sed -n 's/.*Invalid value \([0-9]*\) expecting positive value <= \([0-9]*\).*/\1 -> \2/p' "$MS_LOAD_ERR")" \
	"$(sed -n 's/^vCPU 0: \([0-9]*\) -> \([0-9]*\) registers$/\1 -> \2/p' "$T_TMP/sve.txt")"

# ---- QEMU 7.2 -> 10.0, both -M virt-7.2 -cpu cortex-a57 ----
if have_qemu "$QEMU10"; then
	V="-M virt-7.2,gic-version=3 -m 16 -cpu cortex-a57"
	# shellcheck disable=SC2086
	{ ms_save "$QEMU72" "$src" $V && ms_save "$QEMU10" "$dst" $V; } || t_fail "7.2 -> 10.0: streams saved"
	t_status "7.2 -> 10.0: diff exits 1" 1 "$GVSTREAM" diff "$src" "$dst"
	cp "$T_OUT" "$T_TMP/v10.txt"
	sed 's/^/#   /' "$T_TMP/v10.txt"
	t_check "7.2 -> 10.0: some registers the destination lacks" [ -n "$(section "$T_TMP/v10.txt" "$LACKS")" ]
	# shellcheck disable=SC2086
	ms_load "$QEMU10" "$src" $V; t_eq "7.2 -> 10.0: QEMU 10.0 refuses the 7.2 stream" 1 "$?"
	t_grep "7.2 -> 10.0: QEMU's message is the opaque one" "error while loading state for instance 0x0 of device 'cpu'" "$MS_LOAD_ERR"
	if ms_guest "$QEMU72" "$T_TMP/g.72" -M virt-7.2,gic-version=3 -cpu cortex-a57 &&
		ms_guest "$QEMU10" "$T_TMP/g.10" -M virt-7.2,gic-version=3 -cpu cortex-a57; then
		# Each ID register the two guests read differently, and the stream
		# carries, is listed with both values.
		"$GVSTREAM" regs "$src" | awk '!/^#/ { print $1 }' >"$T_TMP/in-stream"
		n=0
		while read -r reg a b; do
			grep -qx "$reg" "$T_TMP/in-stream" || continue
			n=$((n + 1))
			t_grep "7.2 -> 10.0: $reg ($a in 7.2's guest, $b in 10.0's) listed" \
				"^    $reg +0x[0-9a-f]{16}  (id|read-only) +$a -> $b$" "$T_TMP/v10.txt"
		done < <(awk 'NR == FNR { a[$1] = $2; next } ($1 in a) && a[$1] != $2 { print $1, a[$1], $2 }' \
			"$T_TMP/g.72" "$T_TMP/g.10")
		t_check "7.2 -> 10.0: the guests do read different ID registers" [ "$n" -gt 0 ]
	fi
	t_status "10.0 -> 7.2: diff exits 1" 1 "$GVSTREAM" diff "$dst" "$src"
	t_grep "10.0 -> 7.2: named as QEMU's cpreg_vmstate_array_len failure" 'cpreg_vmstate_array_len' "$T_OUT"
	# shellcheck disable=SC2086
	ms_load "$QEMU72" "$dst" $V; t_eq "10.0 -> 7.2: QEMU 7.2 refuses the 10.0 stream" 1 "$?"
	t_grep "10.0 -> 7.2: and says cpreg_vmstate_array_len" 'cpreg_vmstate_array_len' "$MS_LOAD_ERR"
else
	echo "# no QEMU 10.0 at $QEMU10: 7.2 -> 10.0 left out"
fi

# ---- cortex-a57 -> cortex-a57,midr=0x411fd071 (QEMU 7.2) ----
if echo '{"execute":"qmp_capabilities"} {"execute":"quit"}' | timeout 20 "$QEMU72" -nodefaults \
	-no-user-config -display none -S -qmp stdio -M virt -cpu cortex-a57,midr=0x411fd071 >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	{ ms_save "$QEMU72" "$src" $M -cpu cortex-a57 && ms_save "$QEMU72" "$dst" $M -cpu cortex-a57,midr=0x411fd071; } ||
		t_fail "midr: streams saved"
	if ms_guest "$QEMU72" "$T_TMP/g.midr" -M virt,gic-version=3 -cpu cortex-a57,midr=0x411fd071; then
		t_eq "midr: the guest reads the new MIDR_EL1" 0x00000000411fd071 "$(awk '$1=="MIDR_EL1"{print $2}' "$T_TMP/g.midr")"
	fi
	# QEMU TCG keeps MIDR_EL1 out of the migrated list (it is no raw
	# register): the stream cannot tell, and QEMU migrates.
	t_status "midr: diff exits 0 (MIDR_EL1 is not in QEMU's migrated register list)" 0 "$GVSTREAM" diff -v "$src" "$dst"
	t_nogrep "midr: no MIDR line" 'MIDR' "$T_OUT"
	t_nogrep "midr: the stream has no MIDR_EL1 either" '^MIDR_EL1 ' <("$GVSTREAM" regs "$src")
	# shellcheck disable=SC2086
	ms_load "$QEMU72" "$src" $M -cpu cortex-a57,midr=0x411fd071; t_eq "midr: QEMU accepts the stream" 0 "$?"
	# With EL2 the value is in the stream: VPIDR_EL2 resets to MIDR (EL2 state).
	E="-M virt,gic-version=3,virtualization=on -m 16"
	# shellcheck disable=SC2086
	{ ms_save "$QEMU72" "$src" $E -cpu cortex-a57 && ms_save "$QEMU72" "$dst" $E -cpu cortex-a57,midr=0x411fd071; } ||
		t_fail "midr with EL2: streams saved"
	t_status "midr with EL2: diff -v exits 0" 0 "$GVSTREAM" diff -v "$src" "$dst"
	t_grep "midr with EL2: VPIDR_EL2 differs as state, 0x411fd070 -> 0x411fd071" \
		'^    VPIDR_EL2 +0x603000000013e000  state +0x00000000411fd070 -> 0x00000000411fd071$' "$T_OUT"
	t_grep "midr with EL2: -v lists it under the state section" "^  $STATE" "$T_OUT"
	t_status "midr with EL2: diff without -v exits 0 too" 0 "$GVSTREAM" diff "$src" "$dst"
	t_nogrep "midr with EL2: without -v, no state section" "^  $STATE|VPIDR_EL2" "$T_OUT"
	t_grep "midr with EL2: without -v, the summary counts it and points to -v" \
		'1 state values differ \(host/gvstream diff -v [^ ]+ [^ ]+ lists them\); same registers and read-only values$' "$T_OUT"
else
	echo "# $QEMU72 has no midr property: the midr pair left out"
fi

# ---- cortex-a57 -> cortex-a57,cntfrq=1000000000 (QEMU 7.2) ----
# QEMU migrates this (the guest's counter then runs 16 times too fast): a
# read-only register QEMU does not refuse, which the report must still show.
# shellcheck disable=SC2086
{ ms_save "$QEMU72" "$src" $M -cpu cortex-a57 && ms_save "$QEMU72" "$dst" $M -cpu cortex-a57,cntfrq=1000000000; } ||
	t_fail "cntfrq: streams saved"
t_status "cntfrq: diff exits 1" 1 "$GVSTREAM" diff "$src" "$dst"
if ms_guest "$QEMU72" "$T_TMP/g.f0" -M virt,gic-version=3 -cpu cortex-a57 &&
	ms_guest "$QEMU72" "$T_TMP/g.f1" -M virt,gic-version=3 -cpu cortex-a57,cntfrq=1000000000; then
	a=$(awk '$1 == "CNTFRQ_EL0" { print $2 }' "$T_TMP/g.f0") b=$(awk '$1 == "CNTFRQ_EL0" { print $2 }' "$T_TMP/g.f1")
	t_check "cntfrq: the two guests read different CNTFRQ_EL0 ($a, $b)" test -n "$a" -a "$a" != "$b"
	t_grep "cntfrq: CNTFRQ_EL0 listed as a read-only value that differs, with the guests' values" \
		"^    CNTFRQ_EL0 +0x603000000013df00  read-only $a -> $b$" "$T_OUT"
	t_eq "cntfrq: it is under the read-only section" "CNTFRQ_EL0" "$(section "$T_OUT" "$RODIFF" | paste -sd' ' -)"
fi
# shellcheck disable=SC2086
ms_load "$QEMU72" "$src" $M -cpu cortex-a57,cntfrq=1000000000; t_eq "cntfrq: QEMU accepts the stream all the same" 0 "$?"

# ---- two vCPUs against one ----
# shellcheck disable=SC2086
{ ms_save "$QEMU72" "$src" $M -cpu cortex-a57 -smp 2 && ms_save "$QEMU72" "$dst" $M -cpu cortex-a57; } ||
	t_fail "smp: streams saved"
t_status "smp 2 -> 1: diff exits 1" 1 "$GVSTREAM" diff "$src" "$dst"
t_grep "smp 2 -> 1: vCPU 1 only in the source" '^vCPU 1: only in the source$' "$T_OUT"
t_grep "smp 2 -> 1: its registers are not counted as missing" '^summary over 2 vCPUs: 0 missing' "$T_OUT"

# ---- the library entry point the harness calls ----
cat >"$T_TMP/api.c" <<'EOF'
#include "cpregdiff.h"
#include <stdio.h>
int main(int argc, char **argv)
{
	(void)argc;
	return cpreg_diff_report(argv[1], argv[2], stdout, 0);
}
EOF
# shellcheck disable=SC2046
if (cd "$T_ROOT" && ${HOST_CC:-cc} -std=c11 -Wall -Wextra -Werror -fsanitize=address,undefined -Itables -Ihost \
	-o "$T_TMP/api" "$T_TMP/api.c" host/migstream.c host/cpregdiff.c host/regnames.c host/idfield.c tables/idregs.c $(pkg-config --cflags --libs json-c)); then
	t_status "cpreg_diff_report(): returns 1 for smp 2 -> 1" 1 "$T_TMP/api" "$src" "$dst"
	t_eq "cpreg_diff_report(): writes what gvstream diff prints" "$("$GVSTREAM" diff "$src" "$dst")" "$(cat "$T_OUT")"
	t_status "cpreg_diff_report(): 0 for a stream against itself" 0 "$T_TMP/api" "$src" "$src"
	t_status "cpreg_diff_report(): 2 for a missing file" 2 "$T_TMP/api" "$src" "$T_TMP/nonexistent"
	t_grep "cpreg_diff_report(): the error goes to its FILE" 'nonexistent: No such file' "$T_OUT"
else
	t_fail "cpreg_diff_report(): a program calling it builds"
fi
rm -f "$src" "$dst"
t_done
