#!/bin/bash
# tests/migstream/errors.sh: bad command lines, and files that are no
# stream, truncated streams and corrupt ones: exit status 2 and a message
# naming the file and the byte offset, never a crash (the binary is built
# with ASan and UBSan; a finding of theirs exits 99).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

ms_build

# ---- the command line ----
t_status "no arguments: exit 2" 2 "$GVSTREAM"
t_grep "no arguments: says what is missing" 'no subcommand' "$T_OUT"
t_status "--help: exit 0" 0 "$GVSTREAM" --help
t_grep "--help: both subcommands" '^       gvstream diff SRC_STREAM DST_STREAM' "$T_OUT"
t_status "unknown subcommand: exit 2" 2 "$GVSTREAM" list x
t_status "unknown option: exit 2" 2 "$GVSTREAM" regs --cpu 1 x
t_grep "unknown option: named" "unknown option '--cpu'" "$T_OUT"
t_status "diff with one stream: exit 2" 2 "$GVSTREAM" diff x
t_status "diff with three streams: exit 2" 2 "$GVSTREAM" diff x y z
t_status "regs with two streams: exit 2" 2 "$GVSTREAM" regs x y
t_status "missing file: exit 2" 2 "$GVSTREAM" regs "$T_TMP/nonexistent"
t_grep "missing file: named" "nonexistent: No such file or directory" "$T_OUT"
mkfifo "$T_TMP/fifo"
t_status "a FIFO: exit 2 (the description is read from the end)" 2 "$GVSTREAM" regs "$T_TMP/fifo"
t_grep "a FIFO: says why" 'fifo: not a regular file' "$T_OUT"

# ---- crafted files ----
at() {	# DESC FILE OFFSET PATTERN: regs FILE exits 2 naming FILE, OFFSET and PATTERN
	t_status "$1: exit 2" 2 "$GVSTREAM" regs "$2"
	t_grep "$1: names the file, byte $3 and the problem" \
		"^gvstream: $2: at byte $3 \\(0x$(printf %x "$3")\\): .*$4" "$T_OUT"
}
f=$T_TMP/crafted
: >"$f"; at "empty file" "$f" 0 'file magic needs 4 bytes'
printf 'hello, world\n' >"$f"; at "text file" "$f" 0 'not a QEMU migration stream'
printf 'QEVM\0\0\0\2' >"$f"; at "stream version 2" "$f" 4 'version is not 3'
printf 'QEVM\0\0\0\3\0' >"$f"; at "header and EOF, no description" "$f" 9 'does not end with a VM description'
printf 'QEVM\0\0\0\3\0\6\0\0\0\2{x' >"$f"; at "description that is no JSON" "$f" 15 'not valid JSON'
printf 'QEVM\0\0\0\3\0\6\0\0\0\3{}x' >"$f"; at "description with data after the JSON" "$f" 16 'data after the JSON'
printf 'QEVM\0\0\0\3\0\6\0\0\0\2[]' >"$f"; at "description that is no object" "$f" 14 'not a JSON object'
printf 'QEVM\0\0\0\3\0\6\0\0\0\2{}' >"$f"; at "description without devices" "$f" 9 'no devices array'
printf 'QEVM\0\0\0\3\0\6\0\0\0\016{"devices":[]}' >"$f"; at "no cpu section" "$f" 9 'no cpu section'
printf 'QEVM\0\0\0\3\x42\0\6\0\0\0\016{"devices":[]}' >"$f"; at "unknown section type" "$f" 8 'unknown section type 0x42'
# The 4-byte length ends in 0x06: the marker is found behind it.
json='{"devices":[],"x":"'$(printf '%*s' 241 '' | tr ' ' a)'"}'
printf 'QEVM\0\0\0\3\0\6\0\0\1\6%s' "$json" >"$f"; at "description length 0x106" "$f" 9 'no cpu section'
printf 'QEVM\0\0\0\3\4\0\0\0\1\3cpu\0\0\0\0\0\0\0\026\0\6\0\0\0\016{"devices":[]}' >"$f"
at "cpu section without a description" "$f" 8 "section 'cpu' instance 0 is not in the VM description"

# edit IN OUT OLD NEW: OUT is IN with the one occurrence of OLD in its
# description replaced by NEW, of the same length.
edit() {
	python3 - "$@" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
old, new = sys.argv[3].encode(), sys.argv[4].encode()
assert len(old) == len(new) and d.count(old) == 1, "edit: no single match"
open(sys.argv[2], 'wb').write(d.replace(old, new))
PY
	t_eq "description edited: $4" 0 "$?"
}

# A stream made by hand: BODY (printf format) after the header, then EOF and
# the description JSON with its length.
craft() {	# FILE JSON BODY
	local n=${#2}
	{ printf 'QEVM\0\0\0\3'; printf "$3"; printf '\0\6'
	  printf "$(printf '\\x%02x' $((n >> 24 & 255)) $((n >> 16 & 255)) $((n >> 8 & 255)) $((n & 255)))"
	  printf '%s' "$2"; } >"$1"
}
cpudesc='{"devices": [{"name": "cpu", "instance_id": 0, "vmsd_name": "cpu", "version": 22, "fields": [
{"name": "cpreg_vmstate_array_len", "type": "int32 le", "size": 4},
{"name": "cpreg_vmstate_indexes", "array_len": 2, "type": "uint64", "size": 8},
{"name": "cpreg_vmstate_values", "array_len": 2, "type": "uint64", "size": 8}]}]}'
cpu='\4\0\0\0\1\3cpu\0\0\0\0\0\0\0\26\0\0\0\2'
cpu=$cpu'\x60\x30\0\0\0\x13\xc0\x30\x60\x30\0\0\0\x14\0\0'	# ID_AA64ISAR0_EL1, PSCI_VERSION
cpu=$cpu'\0\0\0\0\0\1\x11\x20\0\0\0\0\0\1\0\2'		# 0x11120, 0x10002
craft "$f" "$cpudesc" "$cpu\x7e\0\0\0\1"
t_status "a stream made by hand: regs exits 0" 0 "$GVSTREAM" regs "$f"
t_grep "a stream made by hand: no configuration section, machine unknown" '^# .*: machine unknown, vCPU 0 of 1, 2 registers$' "$T_OUT"
t_grep "a stream made by hand: its ID register" '^ID_AA64ISAR0_EL1 +0x603000000013c030  id +0x0000000000011120$' "$T_OUT"
t_grep "a stream made by hand: its firmware register" '^PSCI_VERSION +0x6030000000140000  firmware +0x0000000000010002$' "$T_OUT"
craft "$f" "$cpudesc" "$cpu\x7e\0\0\0\2"
at "a footer naming another section" "$f" 61 'footer of section 1 \(at byte 8\) names section 2'
craft "$f" "$cpudesc" "$cpu\x7e\0\0\0\1\7\0\0\0\1v\7\0\0\0\1w"
at "two configuration sections" "$f" 72 'a second configuration section'
craft "$f" "${cpudesc/cpreg_vmstate_values/cpreg_values}" "$cpu\x7e\0\0\0\1"
at "a cpu section without cpreg_vmstate_values" "$f" 8 'no cpreg_vmstate_array_len/_indexes/_values'

# ---- a real stream, truncated and corrupted ----
if have_qemu "$QEMU72"; then
	s=$T_TMP/a57.mig
	ms_save "$QEMU72" "$s" -M virt,gic-version=3 -cpu cortex-a57 -m 16 || t_fail "stream saved"
	size=$(stat -c %s "$s")
	# Offsets found the way analyze-migration.py finds them, independently of gvstream.
	read -r desc cpu <<<"$(python3 - "$s" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
print(d.rfind(b'\x06', 0, d.find(b'{', d.rfind(b'\0'))), d.find(b'\x03cpu\0\0\0\0') - 5)
PY
)"
	t_status "the whole stream reads" 0 "$GVSTREAM" regs "$s"
	head -c 3 "$s" >"$f"; at "truncated to 3 bytes" "$f" 0 'file magic needs 4 bytes'
	for cut in 8 100 $((size / 2)) $((cpu + 20)) $((desc - 1)) $((desc + 3)) $((size - 1)); do
		head -c "$cut" "$s" >"$f"
		at "truncated to $cut bytes" "$f" "$cut" 'truncated, or saved without one'
	done
	# The cpu section's type byte (FULL, 0x04) made unknown.
	cp "$s" "$f"; printf '\x42' | dd of="$f" bs=1 seek="$cpu" conv=notrunc status=none
	at "cpu section type byte corrupted" "$f" "$cpu" 'unknown section type 0x42'
	# The description's own JSON broken at its first byte.
	cp "$s" "$f"; printf 'x' | dd of="$f" bs=1 seek=$((desc + 5)) conv=notrunc status=none
	at "description JSON corrupted" "$f" $((desc + 5)) 'not valid JSON'
	# The description lies about the cpreg list: one more index than values.
	edit "$s" "$f" '"cpreg_vmstate_indexes", "array_len": 258,' '"cpreg_vmstate_indexes", "array_len": 259,'
	at "indexes longer than cpreg_vmstate_array_len" "$f" "$cpu" 'cpreg_vmstate_array_len 258 but 259 indexes and 258 values'
	# The description lies about a field of a device (without subsections)
	# before the cpu: the walk no longer ends at that section's footer.
	edit "$s" "$f" '"name": "cpu_ticks_offset", "type": "int64", "size": 8}' '"name": "cpu_ticks_offset", "type": "int64", "size": 9}'
	t_status "a wrong field size: exit 2" 2 "$GVSTREAM" regs "$f"
	t_grep "a wrong field size: the footer check names it" 'at byte [0-9]+ \(0x[0-9a-f]+\): expected the footer \(0x7e\) of the section at byte [0-9]+' "$T_OUT"
	t_status "diff with a corrupt destination: exit 2" 2 "$GVSTREAM" diff "$s" "$f"
	t_grep "diff with a corrupt destination: names that file" "^gvstream: $f: at byte [0-9]+ \(0x[0-9a-f]+\): " "$T_OUT"
	t_status "diff with a corrupt source: exit 2" 2 "$GVSTREAM" diff "$f" "$s"
	t_grep "diff with a corrupt source: names that file" "^gvstream: $f: at byte [0-9]+ \(0x[0-9a-f]+\): " "$T_OUT"

	# Deterministic random damage: one byte changed in the device sections
	# and description (the part the parser interprets), or a random cut.
	# Every answer is an exit status of 0, 1 or 2 with no sanitizer report.
	RANDOM=4242
	bad=0 errors=0 cuts=0 cut_refused=0 runs=300
	for ((i = 0; i < runs; i++)); do
		cp "$s" "$f"
		cut=$((i % 5 == 4))
		if ((cut)); then
			head -c $(( (RANDOM * 32768 + RANDOM) % size )) "$s" >"$f"
		else
			pos=$((cpu - 20000 + (RANDOM * 32768 + RANDOM) % (size - cpu + 20000)))
			printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$f" bs=1 seek="$pos" conv=notrunc status=none
		fi
		"$GVSTREAM" regs "$f" >/dev/null 2>"$T_TMP/err"; rc=$?
		[ $rc -eq 2 ] && errors=$((errors + 1))
		cuts=$((cuts + cut)); [ $rc -eq 2 ] && cut_refused=$((cut_refused + cut))
		if [ $rc -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$T_TMP/err" ||
			{ [ $rc -eq 2 ] && ! grep -q "^gvstream: $f: at byte [0-9]* (0x[0-9a-f]*): " "$T_TMP/err"; }; then
			bad=$((bad + 1)); [ $bad -le 3 ] && sed 's/^/#   /' "$T_TMP/err" | head -n 20
		fi
	done
	t_eq "$runs damaged copies: exit 0/1/2, every error with file and byte offset, no sanitizer report" 0 "$bad"
	t_eq "damaged copies: every truncated one is refused" "$cuts" "$cut_refused"
	# A changed byte in a register value or padding is no error: only some are.
	t_check "damaged copies: changed bytes are refused too ($((errors - cut_refused)) of $((runs - cuts)))" \
		[ $((errors - cut_refused)) -gt 0 ]
	rm -f "$s"
fi
t_done
