#!/bin/bash
# quick-check: skip (QEMU with the gdbstub per CPU model)
# The fingerprint against an independent source: QEMU's gdbstub.  For
# -cpu cortex-a57 and -cpu max (TCG), the payload is started paused (-S)
# with the gdbstub on a unix socket; tests/fingerprint/gdbreg.py reads every
# system register QEMU's gdbstub exposes (feature org.qemu.gdb.arm.sys.regs)
# on every vCPU, then lets the same QEMU run the guest to its end, and the
# guest's fingerprint is compared with what the gdbstub read.  MIDR_EL1 and
# MPIDR_EL1 are not in the gdbstub (QEMU computes them on each read), so a
# second QEMU of the same model with EL2 enabled gives VPIDR_EL2/VMPIDR_EL2,
# whose reset values are what EL1 reads as MIDR_EL1/MPIDR_EL1.
# Fails on any mismatch, or when fewer than 40 of the 53 ID registers could
# be compared; the comparison itself is shown to fail on corrupted input.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/idregs.flat ] || t_skip "arm/idregs.flat not built"
[ -x host/gvfp ] || t_skip "host/gvfp not built"
command -v python3 >/dev/null || t_skip "no python3"
[ "${ACCEL:-tcg}" = tcg ] || t_skip "TCG only (ACCEL=$ACCEL)"
export ACCEL=tcg TIMEOUT=30s
tmp=$(t_tmpdir)
# A unix socket path has at most 107 bytes: a long TMPDIR gets a short one.
socks=$tmp
if [ ${#tmp} -gt 80 ]; then
	socks=$(mktemp -d /tmp/gv-gdb.XXXXXX) || exit 2
	trap 'rm -rf -- "$T_TMP" "$socks"' EXIT
fi
gdbreg=tests/fingerprint/gdbreg.py
MIN=40

# gdb_session NAME MODE QEMU-OPTIONS...: arm/run with -S and the gdbstub,
# gdbreg.py read (MODE --resume: the guest then runs; --kill: QEMU ends).
# Leaves $tmp/NAME.gdb (registers), $tmp/NAME.log (console), $tmp/NAME.rc.
gdb_session() {
	local name=$1 mode=$2 sock=$socks/$1.sock pid
	shift 2
	arm/run arm/idregs.flat "$@" -S -gdb "unix:$sock,server=on,wait=off" >"$tmp/$name.log" 2>&1 &
	pid=$!
	if ! python3 "$gdbreg" read "$sock" -o "$tmp/$name.gdb" "$mode" 2>"$tmp/$name.err"; then
		kill "$pid" 2>/dev/null
		wait "$pid"
		echo "gdbreg.py read failed: $(cat "$tmp/$name.err")" >>"$tmp/$name.log"
		return 1
	fi
	wait "$pid"
	echo $? >"$tmp/$name.rc"
}

show() { sed 's/^/#   /' "$1"; }

for cpu in cortex-a57 max; do
	t_check "$cpu: gdbstub read of the system registers of both vCPUs, before the guest runs" \
		gdb_session "$cpu" --resume -smp 2 -cpu "$cpu"
	t_eq "$cpu: the same QEMU then runs the payload to PASS" 0 "$(cat "$tmp/$cpu.rc" 2>/dev/null)"
	t_status "$cpu: fingerprint extracted" 0 host/gvfp extract "$tmp/$cpu.log" -o "$tmp/$cpu.fp"
	t_check "$cpu: the gdbstub gave registers of 2 vCPUs" \
		test "$(cut -d' ' -f1 "$tmp/$cpu.gdb" 2>/dev/null | sort -u | tr '\n' ' ')" = "cpu0 cpu1 "
	t_check "$cpu: EL2 run: VPIDR_EL2 and VMPIDR_EL2 read" \
		gdb_session "$cpu-el2" --kill -smp 2 -cpu "$cpu" -machine virt,gic-version=3,virtualization=on
	t_grep "$cpu: EL2 run: QEMU ended by the gdbstub" 'Terminated via GDBstub' "$tmp/$cpu-el2.log"
	t_nogrep "$cpu: EL2 run: the guest never ran" '^EXIT: ' "$tmp/$cpu-el2.log"

	t_status "$cpu: every value the gdbstub has equals the fingerprint's, at least $MIN ID registers" 0 \
		python3 "$gdbreg" compare "$tmp/$cpu.fp" "$tmp/$cpu.gdb" --el2 "$tmp/$cpu-el2.gdb" --min $MIN -v
	cp "$T_OUT" "$tmp/$cpu.cmp"
	grep -v '^equal: ' "$tmp/$cpu.cmp" | show /dev/stdin
	t_grep "$cpu: MIDR_EL1 checked (VPIDR_EL2)" '^equal: MIDR_EL1 on vCPU 1: .* VPIDR_EL2 \(EL2 on\) = 0x' "$tmp/$cpu.cmp"
	t_grep "$cpu: MPIDR_EL1 of vCPU 1 checked (VMPIDR_EL2)" \
		'^equal: MPIDR_EL1 on vCPU 1: fingerprint sysreg.cpu1.MPIDR_EL1 0x0*80000001, gdbstub VMPIDR_EL2' "$tmp/$cpu.cmp"
	t_grep "$cpu: AArch64 names compared (ID_AA64ISAR0_EL1 on vCPU 1)" \
		'^equal: ID_AA64ISAR0_EL1 on vCPU 1: .*gdbstub ID_AA64ISAR0_EL1 = ' "$tmp/$cpu.cmp"
	t_grep "$cpu: AArch32-shared names compared (QEMU's ID_ISAR5)" \
		'^equal: ID_ISAR5_EL1 on vCPU 0: .*gdbstub ID_ISAR5 = ' "$tmp/$cpu.cmp"
	t_grep "$cpu: reserved slots compared by place (ID_AA64FPFR0_EL1 = QEMU's ID_AA64PFR7_EL1_RESERVED)" \
		'^equal: ID_AA64FPFR0_EL1 on vCPU 0: fingerprint idspace.s3_0_c0_c4_7 .* ID_AA64PFR7_EL1_RESERVED = ' "$tmp/$cpu.cmp"
	n=$(sed -n 's/^compared: \([0-9]*\) of 53 ID registers.*/\1/p' "$tmp/$cpu.cmp")
	if [ "${n:-0}" -ge $MIN ]; then t_ok "$cpu: $n of 53 ID registers cross-checked"
	else t_fail "$cpu: only ${n:-0} of 53 ID registers cross-checked (at least $MIN)"; fi
done

# The model's own registers really differ: the check is not comparing a
# file with itself.  (cortex-a57 has no FEAT_LSE, max has: Atomic = 2.)
t_status "the cortex-a57 fingerprint does not match the max gdbstub" 1 \
	python3 "$gdbreg" compare "$tmp/cortex-a57.fp" "$tmp/max.gdb" --el2 "$tmp/max-el2.gdb"
t_grep "names ID_AA64ISAR0_EL1 with both values" \
	'^MISMATCH: ID_AA64ISAR0_EL1 on vCPU 0: fingerprint sysreg.ID_AA64ISAR0_EL1 0x0000000000011120, gdbstub ID_AA64ISAR0_EL1 = 0x1221111110212120$' "$T_OUT"
t_grep "names MIDR_EL1 with both values" \
	'^MISMATCH: MIDR_EL1 on vCPU 0: fingerprint sysreg.MIDR_EL1 0x00000000411fd070, gdbstub VPIDR_EL2 \(EL2 on\) = 0x00000000000f0510$' "$T_OUT"

# Corrupted copies of the cortex-a57 fingerprint: one value each.
corrupt() {	# corrupt KEY VALUE: $tmp/bad.fp = the fingerprint with KEY's value replaced
	sed "s/^$1 .*/$1 $2/" "$tmp/cortex-a57.fp" >"$tmp/bad.fp"
	cmp -s "$tmp/bad.fp" "$tmp/cortex-a57.fp" && echo "corrupt: $1 not found" >&2
}
a57() { python3 "$gdbreg" compare "$tmp/bad.fp" "$tmp/cortex-a57.gdb" --el2 "$tmp/cortex-a57-el2.gdb" --min $MIN; }

corrupt sysreg.ID_AA64ISAR0_EL1 0x0000000000011121
t_status "corrupted ID_AA64ISAR0_EL1 fails" 1 a57
t_grep "ID_AA64ISAR0_EL1 named on vCPU 1 with both values" \
	'^MISMATCH: ID_AA64ISAR0_EL1 on vCPU 1: fingerprint sysreg.ID_AA64ISAR0_EL1 0x0000000000011121, gdbstub ID_AA64ISAR0_EL1 = 0x0000000000011120$' "$T_OUT"
t_grep "one mismatch per vCPU counted" '^mismatches: 2 \(1 registers\)$' "$T_OUT"
corrupt sysreg.ID_ISAR5_EL1 0x0000000000011122
t_status "corrupted ID_ISAR5_EL1 (QEMU: ID_ISAR5) fails" 1 a57
t_grep "ID_ISAR5_EL1 named with both values" '^MISMATCH: ID_ISAR5_EL1 on vCPU 0: fingerprint sysreg.ID_ISAR5_EL1 0x0000000000011122, gdbstub ID_ISAR5 = 0x0000000000011121$' "$T_OUT"
corrupt sysreg.CTR_EL0 0x000000008444c005
t_status "corrupted CTR_EL0 fails" 1 a57
t_grep "CTR_EL0 named with both values" '^MISMATCH: CTR_EL0 on vCPU 0: fingerprint sysreg.CTR_EL0 0x000000008444c005, gdbstub CTR_EL0 = 0x000000008444c004$' "$T_OUT"
corrupt sysreg.ID_AA64PFR2_EL1 0x0000000000000001
t_status "corrupted ID_AA64PFR2_EL1 (QEMU: a reserved slot) fails" 1 a57
t_grep "ID_AA64PFR2_EL1 named with QEMU's reserved slot" '^MISMATCH: ID_AA64PFR2_EL1 on vCPU 0: fingerprint sysreg.ID_AA64PFR2_EL1 0x0000000000000001, gdbstub ID_AA64PFR2_EL1_RESERVED = 0x0000000000000000$' "$T_OUT"
corrupt idspace.s3_0_c0_c6_7 0x0000000000000010
t_status "a corrupted unallocated ID space slot fails" 1 a57
t_grep "the slot named with QEMU's reserved name" '^MISMATCH: idspace.s3_0_c0_c6_7 on vCPU 0: fingerprint idspace.s3_0_c0_c6_7 0x0000000000000010, gdbstub ID_AA64ISAR7_EL1_RESERVED = 0x0000000000000000$' "$T_OUT"
corrupt sysreg.MIDR_EL1 0x00000000410fd070
t_status "corrupted MIDR_EL1 (r0p0 for r1p0) fails" 1 a57
t_grep "MIDR_EL1 named with VPIDR_EL2" '^MISMATCH: MIDR_EL1 on vCPU 0: fingerprint sysreg.MIDR_EL1 0x00000000410fd070, gdbstub VPIDR_EL2 \(EL2 on\) = 0x00000000411fd070$' "$T_OUT"
corrupt sysreg.cpu1.MPIDR_EL1 0x0000000080000000
t_status "vCPU 1 with vCPU 0's MPIDR_EL1 fails" 1 a57
t_grep "MPIDR_EL1 named with its vCPU and VMPIDR_EL2" '^MISMATCH: MPIDR_EL1 on vCPU 1: fingerprint sysreg.cpu1.MPIDR_EL1 0x0000000080000000, gdbstub VMPIDR_EL2 \(EL2 on\) = 0x0000000080000001$' "$T_OUT"
corrupt sysreg.ID_MMFR4_EL1 undef
t_status "a register the guest could not read but the gdbstub has fails" 1 a57
t_grep "ID_MMFR4_EL1 named, the guest's undef shown" '^MISMATCH: ID_MMFR4_EL1 on vCPU 0: fingerprint sysreg.ID_MMFR4_EL1 undef, gdbstub ID_MMFR4 = 0x0000000000000000 \(the guest could not read it: undef\)$' "$T_OUT"
# One vCPU's gdbstub value differs: only that vCPU is named.
sed 's/^cpu1 ID_AA64DFR0_EL1 .*/cpu1 ID_AA64DFR0_EL1 0x0000000010305107/' "$tmp/cortex-a57.gdb" >"$tmp/bad.gdb"
t_status "a value differing on vCPU 1 only fails" 1 \
	python3 "$gdbreg" compare "$tmp/cortex-a57.fp" "$tmp/bad.gdb" --el2 "$tmp/cortex-a57-el2.gdb"
t_grep "ID_AA64DFR0_EL1 named on vCPU 1" '^MISMATCH: ID_AA64DFR0_EL1 on vCPU 1: fingerprint sysreg.ID_AA64DFR0_EL1 0x0000000010305106, gdbstub ID_AA64DFR0_EL1 = 0x0000000010305107$' "$T_OUT"
t_nogrep "and not on vCPU 0" '^MISMATCH: ID_AA64DFR0_EL1 on vCPU 0' "$T_OUT"
# Too few registers compared: a gdbstub that exposes only the first 20.
head -n 20 "$tmp/cortex-a57.gdb" >"$tmp/few.gdb"
t_status "fewer than $MIN ID registers compared fails" 1 \
	python3 "$gdbreg" compare "$tmp/cortex-a57.fp" "$tmp/few.gdb" --min $MIN
t_grep "the count is stated" "^TOO FEW: [0-9]+ ID registers compared, at least $MIN required$" "$T_OUT"
t_done
