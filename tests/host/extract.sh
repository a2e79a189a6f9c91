#!/bin/bash
# tests/host/extract.sh: gvfp extract takes the Nth fingerprint out of a
# console log (markers are whole lines, other lines ignored), checks it and
# writes it canonically; a log without one, a truncated one, misplaced
# markers and a bad line inside name the log's own line, with exit 2.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/gvfp.bash"
cd "$(t_tmpdir)" || exit 2
B='--- guestview fingerprint begin ---'
E='--- guestview fingerprint end ---'
H='guestview-fingerprint 1'

# A real console log: QEMU's command line, the payload's report, the fingerprint.
t_status "QEMU console log: extracted" 0 gv extract "$DATA/qemu-cortex-a57.log"
t_eq "QEMU console log: the lines between the markers, unchanged" \
	"$(sed -n "/^$B\$/,/^$E\$/p" "$DATA/qemu-cortex-a57.log" | sed '1d;$d')" "$(cat "$T_OUT")"
t_status "QEMU console log: -o writes the file" 0 gv extract "$DATA/qemu-cortex-a57.log" -o a57.fp
t_eq "QEMU console log: -o writes nothing to stdout" "" "$(cat "$T_OUT")"
t_status "the extracted fingerprint reads back" 0 gv show a57.fp
t_status "options before the log: --output=FILE" 0 gv extract --output=a57b.fp "$DATA/qemu-cortex-a57.log"
t_check "--output=FILE: same contents" cmp -s a57.fp a57b.fp
t_status "standard input as the log" 0 bash -c "'$GVFP' extract - <'$DATA/qemu-cortex-a57.log' >stdin.fp"
t_check "standard input: same contents" cmp -s a57.fp stdin.fp

# Two fingerprints, CRLF line ends, noise around and between.
printf '%s\r\n' 'boot' "$B" "$H" 'sysreg.MIDR_EL1 0x0000000000000001' "$E" 'noise' \
	"$B" "$H" 'sysreg.MIDR_EL1 0x0000000000000002' 'probe.sve exec' "$E" 'EXIT: PASS' >two.log
t_status "first of two (default)" 0 gv extract two.log
out_is "first of two: CRs dropped" "$(printf '%s\n' "$H" 'sysreg.MIDR_EL1 0x0000000000000001')"
t_status "--nth 2: the second" 0 gv extract --nth 2 two.log
out_is "--nth 2: its lines" "$(printf '%s\n' "$H" 'sysreg.MIDR_EL1 0x0000000000000002' 'probe.sve exec')"
t_status "--nth=2 after the log" 0 gv extract two.log --nth=2
t_status "--nth 3 of 2" 2 gv extract --nth 3 two.log
out_is "--nth 3 of 2: says how many there are" "two.log: 2 fingerprints, no fingerprint number 3"

printf '%s\n' 'boot' 'EXIT: PASS' >none.log
t_status "no begin marker" 2 gv extract none.log
out_is "no begin marker: message" "none.log: no fingerprint: no line '$B'"
: >empty.log
t_status "empty log" 2 gv extract empty.log
out_is "empty log: message" "empty.log: no fingerprint: no line '$B'"
printf '%s\n' 'boot' "$B" "$H" 'sysreg.MIDR_EL1 0x0000000000000001' >trunc.log
t_status "begin without end (truncated)" 2 gv extract trunc.log
out_is "truncated: names the begin line" "trunc.log:2: fingerprint begun here has no end marker (truncated log?)"
printf '%s\n' "$B" "$H" 'sysreg.MIDR_EL1 0x00000000' >trunc2.log
t_status "cut in the middle of a line" 2 gv extract trunc2.log
out_is "cut in a line: the truncation is reported, not the short value" \
	"trunc2.log:1: fingerprint begun here has no end marker (truncated log?)"
printf '%s\n' 'boot' "$E" >end.log
t_status "end without begin" 2 gv extract end.log
out_is "end without begin: message" "end.log:2: end marker without a begin marker"
printf '%s\n' "$B" "$H" "$B" "$H" "$E" >nested.log
t_status "begin inside a fingerprint" 2 gv extract nested.log
out_is "begin inside: names both lines" "nested.log:3: begin marker inside a fingerprint: the one begun at line 1 has no end marker"
printf '%s\n' "[    1.234] $B" "$H" 'sysreg.MIDR_EL1 0x0000000000000001' "$E" >prefixed.log
t_status "text before a marker" 2 gv extract prefixed.log
out_is "text before a marker: message" "prefixed.log:1: marker with other text on its line: markers must be whole lines"
printf '%s\n' "$B" "$H" 'sysreg.MIDR_EL1 0x0000000000000001' "$E trailing" >suffixed.log
t_status "text after a marker" 2 gv extract suffixed.log
out_is "text after a marker: message" "suffixed.log:4: marker with other text on its line: markers must be whole lines"
printf '%s\n' 'x' "$B" "$E" >emptyfp.log
t_status "nothing between the markers" 2 gv extract emptyfp.log
out_is "nothing between: message" "emptyfp.log:3: empty fingerprint: expected a first line '$H'"
printf '%s\n' 'a' 'b' "$B" "$H" 'sysreg.MIDR_EL1 0x0000000000000001' 'sysreg.ID_AA64ISAR0_EL1 0x11120' "$E" >badline.log
t_status "a bad line inside" 2 gv extract badline.log
out_is "a bad line inside: the log's line number" \
	"badline.log:6: bad value '0x11120' for key sysreg.ID_AA64ISAR0_EL1: 5 hex digits, expected exactly 16"
printf '%s\n' "$B" "$H" 'sysreg.MIDR_EL1 0x0000000000000001' 'sysreg.MIDR_EL1 undef' "$E" >dup.log
t_status "a duplicate key inside" 2 gv extract dup.log
out_is "a duplicate key inside: both lines" "dup.log:4: duplicate key sysreg.MIDR_EL1 (first at line 3)"
printf '%s\n' "$B" "guestview-fingerprint 2" 'sysreg.MIDR_EL1 0x0000000000000001' "$E" >v2.log
t_status "a version 2 fingerprint" 2 gv extract v2.log
out_is "version 2: message" "v2.log:2: unsupported fingerprint version '2': this gvfp reads version 1"
# Only the fingerprint asked for is checked: a bad first one does not stop --nth 2.
printf '%s\n' "$B" "$H" 'bad' "$E" "$B" "$H" 'probe.x exec' "$E" >firstbad.log
t_status "--nth 2 after a bad first fingerprint" 0 gv extract --nth 2 firstbad.log
# Lines outside the markers may be anything: long, binary, NUL bytes.
{ head -c 10000 /dev/zero | tr '\0' 'x'; printf '\n\0\377junk\n%s\n%s\nprobe.x exec\n%s\n' "$B" "$H" "$E"; } >noisy.log
t_status "long and binary lines outside: ignored" 0 gv extract noisy.log
out_is "long and binary lines outside: the fingerprint" "$(printf '%s\n' "$H" 'probe.x exec')"

t_status "-o into a missing directory" 2 gv extract two.log -o no/such/dir/out.fp
out_is "-o into a missing directory: message" "gvfp extract: no/such/dir/out.fp: cannot create: No such file or directory"
t_status "an error writes no -o file" 2 gv extract none.log -o never.fp
t_check "an error writes no -o file: none there" test ! -e never.fp
t_status "missing log" 2 gv extract no-such.log
out_is "missing log: message" "no-such.log: cannot open: No such file or directory"
t_status "a directory as the log" 2 gv extract .
out_is "a directory: message" ".: is a directory, not a regular file (give a file, or '-' for standard input)"
t_status "--nth 0" 2 gv extract --nth 0 two.log
t_grep "--nth 0: message" "^gvfp extract: --nth: expected a number from 1, got '0'$" "$T_OUT"
t_status "--nth without a number" 2 gv extract two.log --nth
t_grep "--nth without a number: message" "^gvfp extract: --nth: expected a number from 1, got 'nothing'$" "$T_OUT"
t_status "two logs" 2 gv extract two.log none.log
t_grep "two logs: message" "^gvfp extract: unexpected argument 'none.log'$" "$T_OUT"
t_done
