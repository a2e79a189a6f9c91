#!/bin/bash
# tests/host/keys-coverage.sh: the guest writes no firmware, GIC, timer or
# PMU key that tables/firmware.def or tables/devkeys.def lacks, and every key
# of those tables is written by some run of arm/idregs.flat: QEMU TCG `max`
# with GICv3 (distributor, redistributors, CPU interfaces, PMUv3) and with
# GICv2 (GICC_IIDR).  `gvfp keys FP` names the table of each key ("none"
# when no table has it); `gvfp keys` lists the tables' entries.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/gvfp.bash"
[ -f arm/idregs.flat ] || t_skip "arm/idregs.flat not built (make)"
[ "${ACCEL:-tcg}" = tcg ] || t_skip "TCG only (ACCEL=$ACCEL)"
export ACCEL=tcg TIMEOUT=${TIMEOUT:-60s}
tmp=$(t_tmpdir)

seen=$tmp/seen
: >"$seen"
# run NAME QEMU-OPTIONS...: a fingerprint, every key of it in a table.
run() {
	local name=$1
	shift
	t_status "$name: idregs payload passes" 0 arm/run arm/idregs.flat -smp 2 "$@"
	t_status "$name: fingerprint extracted" 0 gv extract "$T_OUT" -o "$tmp/$name.fp"
	t_status "$name: every key is in a table (gvfp keys exits 0)" 0 gv keys "$tmp/$name.fp"
	t_eq "$name: no key without a table" "" "$(awk '$2 == "none"' "$T_OUT")"
	awk '$3 != "-" { print $3 }' "$T_OUT" >>"$seen"
}
run gicv3 -cpu max
run gicv2 -cpu max -machine virt,gic-version=2

t_status "the tables' entries" 0 gv keys
t_check "the tables have entries" test -s "$T_OUT"
t_eq "every entry of firmware.def and devkeys.def written by a run" "" \
	"$(cut -d' ' -f1 "$T_OUT" | sort -u | comm -23 - <(sort -u "$seen"))"
t_done
