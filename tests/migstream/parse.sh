#!/bin/bash
# tests/migstream/parse.sh: gvstream reads the cpu sections of real QEMU
# 7.2 and 10.0 streams (cortex-a57, cortex-a72, neoverse-n1, max), with one
# and two vCPUs, names every register, and agrees with the stream's own
# description on how many there are.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

have_qemu "$QEMU72" || t_skip "no $QEMU72"
ms_build
t_ok "gvstream builds with -Wall -Wextra -Werror and the sanitizers"

check_stream() {	# LABEL FILE
	local label=$1 f=$2 n want
	t_status "$label: regs exits 0" 0 "$GVSTREAM" regs "$f"
	want=$(ms_count "$f")
	n=$(grep -vc '^#' "$T_OUT")
	t_eq "$label: as many registers as the vmdesc's cpreg_vmstate_indexes array_len" "$want" "$n"
	t_grep "$label: header names the machine and the count" "^# .*: machine virt(-[0-9.]+)?, vCPU 0 of 1, $want registers$" "$T_OUT"
	# Every register named: no raw id, no generic S<op0>_... outside the ID space.
	t_nogrep "$label: every register has a name" '^(0x[0-9a-f]{16}|S[0-3]_[0-9]_C[0-9]+_C[0-9]+_[0-7] .* (state|read-only) )' "$T_OUT"
	t_grep "$label: ID_AA64ISAR0_EL1 is an ID register" '^ID_AA64ISAR0_EL1 +0x603000000013c030  id ' "$T_OUT"
	t_grep "$label: CNTFRQ_EL0 is read-only to the guest" '^CNTFRQ_EL0 +0x603000000013df00  read-only ' "$T_OUT"
}

for model in cortex-a57 cortex-a72 neoverse-n1 max; do
	f=$T_TMP/$model.72.mig
	if ms_save "$QEMU72" "$f" -M virt,gic-version=3 -cpu "$model" -m 16 2>"$T_TMP/save.err"; then
		t_ok "QEMU 7.2 $model: stream saved"
		check_stream "QEMU 7.2 $model" "$f"
	else
		t_fail "QEMU 7.2 $model: stream saved"; sed 's/^/#   /' "$T_TMP/save.err"
	fi
	rm -f "$f"
	if have_qemu "$QEMU10"; then
		f=$T_TMP/$model.10.mig
		if ms_save "$QEMU10" "$f" -M virt,gic-version=3 -cpu "$model" -m 16 2>"$T_TMP/save.err"; then
			t_ok "QEMU 10.0 $model: stream saved"
			check_stream "QEMU 10.0 $model" "$f"
		else
			t_fail "QEMU 10.0 $model: stream saved"; sed 's/^/#   /' "$T_TMP/save.err"
		fi
		rm -f "$f"
	fi
done
have_qemu "$QEMU10" || echo "# no QEMU 10.0 at $QEMU10: its streams were not read"

# Two vCPUs: one cpu section each, vCPU 0 alone by default.
f=$T_TMP/smp2.mig
ms_save "$QEMU72" "$f" -M virt,gic-version=3 -cpu cortex-a57 -m 16 -smp 2 || t_fail "smp 2: stream saved"
t_status "smp 2: regs --all-cpus exits 0" 0 "$GVSTREAM" regs --all-cpus "$f"
t_eq "smp 2: --all-cpus lists vCPU 0 and vCPU 1" "vCPU 0 of 2,vCPU 1 of 2" \
	"$(grep -o 'vCPU [0-9] of [0-9]' "$T_OUT" | paste -sd, -)"
t_eq "smp 2: vCPU 1 as long as its description says" "$(ms_count "$f" 1)" \
	"$(awk '/vCPU 1 of/ {on = 1; next} on' "$T_OUT" | wc -l)"
t_status "smp 2: regs without --all-cpus shows vCPU 0 only" 0 "$GVSTREAM" regs "$f"
t_eq "smp 2: one header" "1" "$(grep -c '^#' "$T_OUT")"
t_status "smp 2: regs --json exits 0" 0 "$GVSTREAM" regs --json --all-cpus "$f"
t_check "smp 2: regs --json is JSON" python3 -m json.tool "$T_OUT" /dev/null
t_eq "smp 2: --json has 2 vCPUs, ids and values as hex strings" "2 0x603000000013c030 True" \
	"$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["name"]: x for x in d["vcpus"][1]["registers"]}
print(len(d["vcpus"]), r["ID_AA64ISAR0_EL1"]["id"], r["ID_AA64ISAR0_EL1"]["value"].startswith("0x"))' "$T_OUT")"
t_status "a stream against itself: diff exits 0" 0 "$GVSTREAM" diff "$f" "$f"
t_grep "a stream against itself: vCPU 1 reported as the same" '^vCPU 1: the same as vCPU 0$' "$T_OUT"
rm -f "$f"

# RAM is skipped, not read into memory: a guest whose 32 MiB of RAM are all
# non-zero pages (a random file loaded there) makes a >32 MiB stream, which a
# plain build reads in a few MiB of memory.
if [ -x /usr/bin/time ]; then
	f=$T_TMP/bigram.mig
	head -c $((32 << 20)) /dev/urandom >"$T_TMP/random.bin"
	# Above the DTB QEMU puts at the start of RAM.
	ms_save "$QEMU72" "$f" -M virt,gic-version=3 -cpu cortex-a57 -m 64 \
		-device loader,file="$T_TMP/random.bin",addr=0x41000000,force-raw=on || t_fail "big RAM: stream saved"
	rm -f "$T_TMP/random.bin"
	size=$(stat -c %s "$f")
	t_check "big RAM: the stream is larger than 32 MiB ($size bytes)" [ "$size" -gt $((32 << 20)) ]
	# shellcheck disable=SC2046
	(cd "$T_ROOT" && ${HOST_CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -Itables -Ihost -o "$T_TMP/gvstream-plain" \
		host/gvstream.c host/migstream.c host/cpregdiff.c host/regnames.c host/idfield.c tables/idregs.c $(pkg-config --cflags --libs json-c))
	/usr/bin/time -f '%M' -o "$T_TMP/rss" "$T_TMP/gvstream-plain" regs "$f" >"$T_TMP/regs.out"
	t_eq "big RAM: regs exits 0" 0 "$?"
	t_check "big RAM: regs lists the registers" [ "$(grep -vc '^#' "$T_TMP/regs.out")" -gt 200 ]
	rss=$(tail -n 1 "$T_TMP/rss")
	t_check "big RAM: read in under 16 MiB of memory (max RSS ${rss} KiB)" [ "$rss" -lt 16384 ]
	rm -f "$f"
fi

t_done
