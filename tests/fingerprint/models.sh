#!/bin/bash
# quick-check: skip (many CPU models)
# Fingerprints of different CPU models through host/gvfp: cortex-a57 against
# cortex-a72 and against max (QEMU TCG), diffed in text and JSON, with the
# expected decoded differences taken from the Arm ARM and the cores' TRMs,
# not from gvfp's own output:
#   MIDR_EL1 (Arm ARM: Implementer [31:24], Variant [23:20], Architecture
#     [19:16], PartNum [15:4], Revision [3:0]); Cortex-A57 TRM (DDI 0488):
#     Implementer 0x41, PartNum 0xD07, r1p0 = 0x411FD070; Cortex-A72 TRM
#     (100095): PartNum 0xD08.
#   ID_AA64ISAR0_EL1.Atomic [23:20]: 0b0000 no FEAT_LSE (Armv8.0: A57),
#     0b0010 FEAT_LSE (max); ID_AA64PFR0_EL1.SVE [35:32]: 0b0001 FEAT_SVE.
#   CTR_EL0 (Arm ARM: IminLine [3:0], L1Ip [15:14] 0b11 = PIPT, DminLine
#     [19:16], ERG [23:20], CWG [27:24]); Cortex-A57: 0x8444C004.
#   CLIDR_EL1 Cortex-A57: 0x0A200023 (Ctype1 0b011 separate I/D, Ctype2
#     0b100 unified, LoUIS 1, LoC 2, LoUU 1); CCSIDR_EL1 (32-bit layout:
#     LineSize [2:0], Associativity [12:3], NumSets [27:13]): L1D 32 KB,
#     L1I 48 KB, 64-byte lines (Cortex-A57 TRM); L2 2 MB (QEMU's choice in
#     the A57's 512 KB..2 MB range).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/idregs.flat ] || t_skip "arm/idregs.flat not built"
[ -x "${GVFP:-host/gvfp}" ] || t_skip "host/gvfp not built"
command -v python3 >/dev/null || t_skip "no python3"
[ "${ACCEL:-tcg}" = tcg ] || t_skip "TCG only (ACCEL=$ACCEL)"
export ACCEL=tcg TIMEOUT=30s
tmp=$(t_tmpdir)
gvfp=${GVFP:-host/gvfp}	# GVFP: another build, to see these checks fail

# fingerprint NAME QEMU-OPTIONS...: $tmp/NAME.fp from one run of the payload.
fingerprint() {
	local name=$1
	shift
	t_status "$name: idregs payload passes" 0 arm/run arm/idregs.flat -smp 2 "$@"
	cp "$T_OUT" "$tmp/$name.log"
	t_status "$name: fingerprint extracted" 0 "$gvfp" extract "$tmp/$name.log" -o "$tmp/$name.fp"
}
fingerprint a57 -cpu cortex-a57
fingerprint a57-again -cpu cortex-a57
fingerprint a72 -cpu cortex-a72
fingerprint max -cpu max

for m in a57 a72 max; do
	t_status "$m: gvfp check: every rule holds" 0 "$gvfp" check "$tmp/$m.fp"
	t_grep "$m: gvfp check says so" '^.*: all [0-9]+ rules hold$' "$T_OUT"
done

# bits HEX LSB WIDTH: the field, computed here (not by gvfp).
bits() { printf '%d' $(( ($1 >> $2) & ((1 << $3) - 1) )); }
# value FP KEY: the raw value of KEY in fingerprint FP.
value() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
# jfield JSON KEY FIELD: "lsb width value" of a field in gvfp show --json.
jfield() {
	python3 - "$@" <<'PY'
import json, sys
doc, key, name = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for e in doc["entries"]:
    if e["key"] == key:
        for f in e["fields"] or []:
            if f["name"] == name:
                print(f["lsb"], f["width"], f["value"])
PY
}
# jchange JSON KEY FIELD: "lsb width old new verdict" of a field in gvfp diff --json.
jchange() {
	python3 - "$@" <<'PY'
import json, sys
doc, key, name = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for c in doc["changes"]:
    if c["key"] == key:
        for f in c["fields"] or []:
            if f["name"] == name:
                print(f["lsb"], f["width"], f["old"], f["new"], f["verdict"])
PY
}

# --- gvfp show on cortex-a57 against the Cortex-A57 TRM ----------------------
t_status "a57: gvfp show" 0 "$gvfp" show "$tmp/a57.fp"
cp "$T_OUT" "$tmp/a57.show"
t_status "a57: gvfp show --json" 0 "$gvfp" show "$tmp/a57.fp" --json
cp "$T_OUT" "$tmp/a57.json"
midr=$(value "$tmp/a57.fp" sysreg.MIDR_EL1)
t_eq "a57: MIDR_EL1 is the TRM's r1p0 value" 0x00000000411fd070 "$midr"
# doc_field FP-JSON KEY FIELD LSB WIDTH EXPECTED: the field is where the Arm ARM puts it
# and has the documented value, in gvfp's JSON, in its text, and computed here.
doc_field() {
	local key=$2 f=$3 lsb=$4 w=$5 want=$6 raw
	raw=$(value "$tmp/a57.fp" "$key")
	t_eq "a57: $key.$f [$((lsb + w - 1)):$lsb] = $(printf '%#x' "$want") (documented)" "$want" "$(bits "$raw" "$lsb" "$w")"
	t_eq "a57: gvfp show --json: $key.$f" "$lsb $w $want" "$(jfield "$1" "$key" "$f")"
}
doc_field "$tmp/a57.json" sysreg.MIDR_EL1 Implementer 24 8 $((0x41))
doc_field "$tmp/a57.json" sysreg.MIDR_EL1 Variant 20 4 1
doc_field "$tmp/a57.json" sysreg.MIDR_EL1 Architecture 16 4 15
doc_field "$tmp/a57.json" sysreg.MIDR_EL1 PartNum 4 12 $((0xd07))
doc_field "$tmp/a57.json" sysreg.MIDR_EL1 Revision 0 4 0
t_grep "a57: text: Implementer 0x41" '^  Implementer +0x41 ' "$tmp/a57.show"
t_grep "a57: text: PartNum 0xd07" '^  PartNum +0xd07 ' "$tmp/a57.show"
t_eq "a57: CTR_EL0 is the TRM's 0x8444C004" 0x000000008444c004 "$(value "$tmp/a57.fp" sysreg.CTR_EL0)"
doc_field "$tmp/a57.json" sysreg.CTR_EL0 IminLine 0 4 4	# 16 words = 64 bytes
doc_field "$tmp/a57.json" sysreg.CTR_EL0 L1Ip 14 2 3	# 0b11 PIPT
doc_field "$tmp/a57.json" sysreg.CTR_EL0 DminLine 16 4 4
doc_field "$tmp/a57.json" sysreg.CTR_EL0 ERG 20 4 4
doc_field "$tmp/a57.json" sysreg.CTR_EL0 CWG 24 4 4
t_grep "a57: text: CTR_EL0 L1Ip 3 (PIPT)" '^  L1Ip +3 ' "$tmp/a57.show"
t_eq "a57: CLIDR_EL1 is the TRM's 0x0A200023" 0x000000000a200023 "$(value "$tmp/a57.fp" sysreg.CLIDR_EL1)"
doc_field "$tmp/a57.json" sysreg.CLIDR_EL1 Ctype1 0 3 3
doc_field "$tmp/a57.json" sysreg.CLIDR_EL1 Ctype2 3 3 4
doc_field "$tmp/a57.json" sysreg.CLIDR_EL1 LoUIS 21 3 1
doc_field "$tmp/a57.json" sysreg.CLIDR_EL1 LoC 24 3 2
doc_field "$tmp/a57.json" sysreg.CLIDR_EL1 LoUU 27 3 1
# CCSIDR: 64-byte lines (LineSize 2), and the cache sizes, (NumSets + 1) *
# (Associativity + 1) * 2^(LineSize + 4) bytes, from the raw value and from
# gvfp's decoded fields.  (Sizes only: the ways/sets split of the L1D is
# 2 x 256 in QEMU 7.2 but 4 x 128 in QEMU 10.0, and the TRM's table of
# encodings was not at hand to settle which is the A57's.)
# ccsize HEX: the size computed here; jccsize JSON KEY: from gvfp's fields.
ccsize() { echo $(( ($(bits "$1" 13 15) + 1) * ($(bits "$1" 3 10) + 1) * (1 << ($(bits "$1" 0 3) + 4)) )); }
jccsize() {
	local n a l
	read -r _ _ n < <(jfield "$1" "$2" NumSets)
	read -r _ _ a < <(jfield "$1" "$2" Associativity)
	read -r _ _ l < <(jfield "$1" "$2" LineSize)
	echo $(( (n + 1) * (a + 1) * (1 << (l + 4)) ))
}
for c in L1D:32768 L1I:49152 L2U:2097152; do
	key=sysreg.CCSIDR_EL1.${c%:*}
	doc_field "$tmp/a57.json" "$key" LineSize 0 3 2
	t_eq "a57: ${c%:*} is $((${c#*:} / 1024)) KB (computed here)" "${c#*:}" "$(ccsize "$(value "$tmp/a57.fp" "$key")")"
	t_eq "a57: ${c%:*} is $((${c#*:} / 1024)) KB (gvfp show --json fields)" "${c#*:}" "$(jccsize "$tmp/a57.json" "$key")"
done
# Cortex-A57 with the Cryptographic Extension: AES+PMULL, SHA1, SHA2, CRC32, no LSE.
doc_field "$tmp/a57.json" sysreg.ID_AA64ISAR0_EL1 AES 4 4 2
doc_field "$tmp/a57.json" sysreg.ID_AA64ISAR0_EL1 SHA1 8 4 1
doc_field "$tmp/a57.json" sysreg.ID_AA64ISAR0_EL1 SHA2 12 4 1
doc_field "$tmp/a57.json" sysreg.ID_AA64ISAR0_EL1 CRC32 16 4 1
doc_field "$tmp/a57.json" sysreg.ID_AA64ISAR0_EL1 Atomic 20 4 0
doc_field "$tmp/a57.json" sysreg.ID_AA64PFR0_EL1 SVE 32 4 0
doc_field "$tmp/a57.json" sysreg.ID_AA64MMFR0_EL1 PARange 0 4 4	# 44 bits
doc_field "$tmp/a57.json" sysreg.ID_AA64MMFR0_EL1 ASIDBits 4 4 2	# 16 bits

# --- cortex-a57 -> cortex-a72 -------------------------------------------------
t_status "a57 -> a72: incompatible (exit 1)" 1 "$gvfp" diff "$tmp/a57.fp" "$tmp/a72.fp"
cp "$T_OUT" "$tmp/a57-a72.txt"
t_grep "a57 -> a72: MIDR_EL1 values" '^MIDR_EL1: 0x00000000411fd070 -> 0x00000000410fd083$' "$tmp/a57-a72.txt"
t_grep "a57 -> a72: PartNum 0xd07 (Cortex-A57) -> 0xd08 (Cortex-A72), must match" \
	'^  PartNum +0xd07 -> 0xd08 +breaks both \(must match\)$' "$tmp/a57-a72.txt"
t_nogrep "a57 -> a72: Implementer unchanged (0x41, Arm, on both)" '^  Implementer ' "$tmp/a57-a72.txt"
t_status "a57 -> a72: --json" 1 "$gvfp" diff "$tmp/a57.fp" "$tmp/a72.fp" --json
cp "$T_OUT" "$tmp/a57-a72.json"
t_eq "a57 -> a72 JSON: MIDR_EL1.PartNum [15:4] 0xd07 -> 0xd08" "4 12 $((0xd07)) $((0xd08)) breaks both" \
	"$(jchange "$tmp/a57-a72.json" sysreg.MIDR_EL1 PartNum)"
t_eq "a57 -> a72 JSON: no Implementer change" "" "$(jchange "$tmp/a57-a72.json" sysreg.MIDR_EL1 Implementer)"
a72midr=$(value "$tmp/a72.fp" sysreg.MIDR_EL1)
t_eq "a72: MIDR_EL1.Implementer 0x41 (computed here)" $((0x41)) "$(bits "$a72midr" 24 8)"
t_eq "a72: MIDR_EL1.PartNum 0xd08 (computed here)" $((0xd08)) "$(bits "$a72midr" 4 12)"

# --- cortex-a57 -> max and back ----------------------------------------------
t_status "a57 -> max: incompatible (exit 1)" 1 "$gvfp" diff "$tmp/a57.fp" "$tmp/max.fp"
cp "$T_OUT" "$tmp/a57-max.txt"
t_grep "a57 -> max: verdict line" '^migrating .*a57.fp -> .*max.fp: INCOMPATIBLE; back .*max.fp -> .*a57.fp: INCOMPATIBLE$' "$tmp/a57-max.txt"
t_grep "a57 -> max: ID_AA64ISAR0_EL1 values" '^ID_AA64ISAR0_EL1: 0x0000000000011120 -> ' "$tmp/a57-max.txt"
t_grep "a57 -> max: LSE Atomic 0 -> 2 breaks backward (max has more)" \
	'^  Atomic +0 -> 2 +breaks backward \(feature level raised\)$' "$tmp/a57-max.txt"
t_grep "a57 -> max: SVE 0 -> 1 breaks backward" '^  SVE +0 -> 1 +breaks backward \(feature level raised\)$' "$tmp/a57-max.txt"
t_nogrep "a57 -> max: nothing breaks forward (max has every cortex-a57 feature)" 'breaks forward' "$tmp/a57-max.txt"
t_status "a57 -> max: --json" 1 "$gvfp" diff "$tmp/a57.fp" "$tmp/max.fp" --json
cp "$T_OUT" "$tmp/a57-max.json"
t_eq "a57 -> max JSON: Atomic [23:20] 0 -> 2 breaks backward" "20 4 0 2 breaks backward" \
	"$(jchange "$tmp/a57-max.json" sysreg.ID_AA64ISAR0_EL1 Atomic)"
t_eq "a57 -> max JSON: SVE [35:32] 0 -> 1 breaks backward" "32 4 0 1 breaks backward" \
	"$(jchange "$tmp/a57-max.json" sysreg.ID_AA64PFR0_EL1 SVE)"
t_eq "a57 -> max JSON: Atomic of max computed here" 2 "$(bits "$(value "$tmp/max.fp" sysreg.ID_AA64ISAR0_EL1)" 20 4)"
t_eq "a57 -> max JSON: SVE of max computed here" 1 "$(bits "$(value "$tmp/max.fp" sysreg.ID_AA64PFR0_EL1)" 32 4)"
t_grep "a57 -> max JSON: not compatible backward" '"backward_compatible": false' "$tmp/a57-max.json"
t_status "max -> a57: incompatible (exit 1)" 1 "$gvfp" diff "$tmp/max.fp" "$tmp/a57.fp"
cp "$T_OUT" "$tmp/max-a57.txt"
t_grep "max -> a57: Atomic 2 -> 0 breaks forward" '^  Atomic +2 -> 0 +breaks forward \(feature level lowered\)$' "$tmp/max-a57.txt"
t_grep "max -> a57: SVE 1 -> 0 breaks forward" '^  SVE +1 -> 0 +breaks forward \(feature level lowered\)$' "$tmp/max-a57.txt"
t_nogrep "max -> a57: nothing breaks backward" 'breaks backward' "$tmp/max-a57.txt"
t_status "max -> a57: --json" 1 "$gvfp" diff "$tmp/max.fp" "$tmp/a57.fp" --json
t_eq "max -> a57 JSON: Atomic 2 -> 0 breaks forward" "20 4 2 0 breaks forward" \
	"$(jchange "$T_OUT" sysreg.ID_AA64ISAR0_EL1 Atomic)"

# --- the same model twice: two separate runs are identical -------------------
t_status "a57 -> a57 (second run): compatible (exit 0)" 0 "$gvfp" diff "$tmp/a57.fp" "$tmp/a57-again.fp"
t_grep "a57 -> a57: identical" ': identical \([0-9]+ keys\)$' "$T_OUT"
t_status "a57 -> a57: --json" 0 "$gvfp" diff "$tmp/a57.fp" "$tmp/a57-again.fp" --json
t_grep "a57 -> a57 JSON: nothing differs" '"differ": 0,' "$T_OUT"
t_done
