#!/bin/bash
# tests/baseline/stored.sh: the reviewed baselines in baselines/.  Every
# unittests.cfg entry with a baseline key has its file, in the directory of
# its QEMU version, with a header the comparison reads and a fingerprint
# whose architectural rules hold.  Their content against the cores' TRMs
# (values computed here from the field layouts, not from gvfp's decoding):
#   MIDR_EL1 (Implementer [31:24], Variant [23:20], PartNum [15:4],
#   Revision [3:0]): Cortex-A57 r1p0 0x411FD070 (DDI 0488), Cortex-A72
#   PartNum 0xD08, Neoverse N1 PartNum 0xD0C.
#   CCSIDR_EL1 (32-bit layout: LineSize [2:0] = log2(bytes) - 4,
#   Associativity [12:3] = ways - 1, NumSets [27:13] = sets - 1): the
#   A57's L1D is 32 KB with 64-byte lines.
# And the one known change of cortex-a57 from QEMU 7.2 to 10.0 (found by
# hand before baselines existed; tables/README.md): ID_DFR0_EL1.MMapTrc
# [19:16] 1 -> 0, the L1D 2-way x 256 sets -> 4-way x 128 sets (32 KB
# both), and GICD_TYPER.ITLinesNumber [4:0] 7 -> 8 (256 -> 288 interrupt
# lines): exactly these three keys, nothing else.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvfp ] || t_skip "host/gvfp not built"
command -v python3 >/dev/null || t_skip "no python3"
tmp=$(t_tmpdir)
# shellcheck source=scripts/baseline/lib.bash
. scripts/baseline/lib.bash

# The entries and their files, from unittests.cfg.
mapfile -t files < <(sed -n 's/^baseline *= *//p' unittests.cfg)
t_check "unittests.cfg names baselines" [ ${#files[@]} -ge 9 ]
for f in "${files[@]}"; do
	if ! baseline_header "$f"; then
		t_fail "$f: $BL_ERROR"
		continue
	fi
	dir=${f%/*}
	t_eq "$f: its header's QEMU version is its directory's" "qemu-$BL_QEMU" "${dir##*/}"
	t_grep "$f: the header says it was reviewed" '^# reviewed: by .*, confirmed ' "$f"
	baseline_body "$f" "$tmp/body"
	t_status "$f: gvfp check: every rule holds" 0 host/gvfp check "$tmp/body"
done
t_eq "no baseline file without its entry" "$(printf '%s\n' "${files[@]}" | sort)" "$(ls baselines/qemu-*/*.fp | sort)"

# value FILE KEY: the raw value of KEY in baseline FILE.
value() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
bits() { printf '%d' $(( ($1 >> $2) & ((1 << $3) - 1) )); }
# l1d FILE: "ways sets bytes-per-line total-bytes" of its L1D.
l1d() {
	local v
	v=$(value "$1" sysreg.CCSIDR_EL1.L1D)
	local ways=$(( $(bits "$v" 3 10) + 1 )) sets=$(( $(bits "$v" 13 15) + 1 )) line=$(( 1 << ($(bits "$v" 0 3) + 4) ))
	echo "$ways $sets $line $((ways * sets * line))"
}
a7=baselines/qemu-7.2/cortex-a57.fp a10=baselines/qemu-10.0/cortex-a57.fp
for f in "$a7" "$a10" baselines/qemu-7.2/cortex-a57-gicv2.fp; do
	t_eq "$f: MIDR_EL1 is the A57 r1p0's" 0x00000000411fd070 "$(value "$f" sysreg.MIDR_EL1)"
done
t_eq "cortex-a72: PartNum 0xd08" $((0xd08)) "$(bits "$(value baselines/qemu-7.2/cortex-a72.fp sysreg.MIDR_EL1)" 4 12)"
t_eq "neoverse-n1: PartNum 0xd0c" $((0xd0c)) "$(bits "$(value baselines/qemu-7.2/neoverse-n1.fp sysreg.MIDR_EL1)" 4 12)"
t_eq "QEMU 7.2 cortex-a57: L1D 2-way, 256 sets, 64-byte lines, 32 KB" "2 256 64 32768" "$(l1d "$a7")"
t_eq "QEMU 10.0 cortex-a57: L1D 4-way, 128 sets, 64-byte lines, 32 KB" "4 128 64 32768" "$(l1d "$a10")"
t_eq "ID_DFR0_EL1.MMapTrc: 1 on 7.2, 0 on 10.0" "1 0" \
	"$(bits "$(value "$a7" sysreg.ID_DFR0_EL1)" 16 4) $(bits "$(value "$a10" sysreg.ID_DFR0_EL1)" 16 4)"
t_eq "GICD_TYPER.ITLinesNumber: 7 on 7.2, 8 on 10.0" "7 8" \
	"$(bits "$(value "$a7" gic.GICD_TYPER)" 0 5) $(bits "$(value "$a10" gic.GICD_TYPER)" 0 5)"

baseline_body "$a7" "$tmp/7.2"
baseline_body "$a10" "$tmp/10.0"
(cd "$tmp" && "$T_ROOT/host/gvfp" diff --json 7.2 10.0) >"$tmp/d.json"
t_eq "7.2 -> 10.0: exactly these keys moved" "gic.GICD_TYPER sysreg.CCSIDR_EL1.L1D sysreg.ID_DFR0_EL1" \
	"$(python3 -c 'import json,sys; print(*sorted(c["key"] for c in json.load(open(sys.argv[1]))["changes"]))' "$tmp/d.json")"
(cd "$tmp" && "$T_ROOT/host/gvfp" diff 7.2 10.0) >"$tmp/d.txt"
t_grep "7.2 -> 10.0: gvfp decodes MMapTrc 1 -> 0" '^  MMapTrc +1 -> 0 ' "$tmp/d.txt"
t_done
