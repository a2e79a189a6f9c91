#!/bin/bash
# tests/migstream/statefile.sh: gvstream reads the harness's own state
# files (arm/run SAVE_STATE=FILE): the "GUESTVIEW-STATE seq=N" line, then
# QEMU's stream.  The header is skipped only when it is well formed; a
# damaged one is said as such, with the file and byte.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"

have_qemu "$QEMU72" || t_skip "no $QEMU72"
ms_build

mig=$T_TMP/a57.mig
if ! ms_save "$QEMU72" "$mig" -M virt,gic-version=3 -cpu cortex-a57 -m 16 2>"$T_TMP/save.err"; then
	t_fail "QEMU 7.2 cortex-a57: stream saved"; sed 's/^/#   /' "$T_TMP/save.err"; t_done
fi
state=$T_TMP/a57.state
{ printf 'GUESTVIEW-STATE seq=7\n'; cat "$mig"; } >"$state"

t_status "regs of a state file: exit 0" 0 "$GVSTREAM" regs "$state"
t_grep "regs of a state file: names it" "^# $state: machine virt-[0-9.]+, vCPU 0 of 1, $(ms_count "$mig") registers$" "$T_OUT"
t_eq "regs of a state file: the same registers as its stream" \
	"$("$GVSTREAM" regs "$mig" | grep -v '^#')" "$(grep -v '^#' "$T_OUT")"
t_status "diff of a state file with its own stream: exit 0 (the same)" 0 "$GVSTREAM" diff "$state" "$mig"
t_grep "diff of a state file: nothing differs" '^summary over 1 vCPU: 0 missing on the destination, 0 extra, 0 read-only values differ, 0 state values differ; same registers' "$T_OUT"
t_status "regs --json of a state file: exit 0" 0 "$GVSTREAM" regs --json "$state"

at() {	# DESC FILE OFFSET PATTERN: regs FILE exits 2 naming FILE, OFFSET and PATTERN
	t_status "$1: exit 2" 2 "$GVSTREAM" regs "$2"
	t_grep "$1: names the file, byte $3 and the problem" \
		"^gvstream: $2: at byte $3 \\(0x$(printf %x "$3")\\): .*$4" "$T_OUT"
}
f=$T_TMP/crafted
{ printf 'GUESTVIEW-STATE seq=0\n'; cat "$mig"; } >"$f"
at "state file with seq=0" "$f" 0 "a guestview state file, but the header's seq=0 is out of range"
{ printf 'GUESTVIEW-STATE seq=1 \n'; cat "$mig"; } >"$f"
at "state file with a space before the newline" "$f" 0 'malformed header'
{ printf 'GUESTVIEW-PARTIAL    \n'; cat "$mig"; } >"$f"
at "an unfinished save" "$f" 0 'an unfinished save'
{ printf 'GUESTVIEW-STATE seq=1\nGUESTVIEW-STATE seq=1\n'; cat "$mig"; } >"$f"
at "two headers: only one is skipped" "$f" 22 'no "QEVM" magic\) after the state file.s header'
printf 'GUESTVIEW-STATE seq=1\n' >"$f"
at "a header and nothing else" "$f" 22 'file magic needs 4 bytes'
t_done
