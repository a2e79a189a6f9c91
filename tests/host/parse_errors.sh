#!/bin/bash
# tests/host/parse_errors.sh: every malformed fingerprint gvfp refuses, each
# with its exact message (file and line) and exit status 2, never a crash;
# and the near misses it accepts (CRLF, no final newline, the limits).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/gvfp.bash"
cd "$(t_tmpdir)" || exit 2

# bad DESC MESSAGE: "gvfp show in.fp" fails with exit 2 and exactly MESSAGE.
bad() {
	t_status "$1: exit 2" 2 gv show in.fp
	out_is "$1: message" "$2"
}
# lines LINE...: in.fp holds exactly these lines.
lines() { printf '%s\n' "$@" >in.fp; }
H='guestview-fingerprint 1'
V=0x00000000411fd070

: >in.fp
bad "empty file" "in.fp:1: empty file: expected a first line 'guestview-fingerprint 1'"
lines 'guestview-fingerprint 2' "sysreg.MIDR_EL1 $V"
bad "wrong version" "in.fp:1: unsupported fingerprint version '2': this gvfp reads version 1"
lines 'guestview-fingerprint' "sysreg.MIDR_EL1 $V"
bad "header without version" "in.fp:1: not a guestview fingerprint: first line is 'guestview-fingerprint', expected 'guestview-fingerprint 1'"
lines "sysreg.MIDR_EL1 $V"
bad "no header" "in.fp:1: not a guestview fingerprint: first line is 'sysreg.MIDR_EL1 $V', expected 'guestview-fingerprint 1'"
lines "$H"
bad "truncated after the header" "in.fp:1: no keys after the 'guestview-fingerprint 1' line"
printf '%s\n%s' "$H" "sysreg.MIDR_EL1 0x00000000411f" >in.fp
bad "truncated in a value" "in.fp:2: bad value '0x00000000411f' for key sysreg.MIDR_EL1: 12 hex digits, expected exactly 16"
printf '%s\n%s' "$H" "sysreg.MIDR_E" >in.fp
bad "truncated in a key" "in.fp:2: expected 'key value' (one space between), got 'sysreg.MIDR_E'"

lines "$H" 'sysreg.MIDR_EL1 xyz'
bad "bad value" "in.fp:2: bad value 'xyz' for key sysreg.MIDR_EL1: expected 0x and 16 hex digits, undef, trap:0xNN, exec or owntrap"
lines "$H" 'sysreg.MIDR_EL1 0x00000000411fd07g'
bad "bad hex digit" "in.fp:2: bad value '0x00000000411fd07g' for key sysreg.MIDR_EL1: expected 0x and 16 hex digits, undef, trap:0xNN, exec or owntrap"
lines "$H" 'sysreg.MIDR_EL1 0x00000000411FD070'
bad "uppercase hex" "in.fp:2: bad value '0x00000000411FD070' for key sysreg.MIDR_EL1: hex digits must be lowercase"
lines "$H" 'sysreg.MIDR_EL1 0X00000000411fd070'
bad "uppercase 0X" "in.fp:2: bad value '0X00000000411fd070' for key sysreg.MIDR_EL1: the 0x prefix must be lowercase"
lines "$H" 'sysreg.MIDR_EL1 0x411fd070'
bad "too few digits" "in.fp:2: bad value '0x411fd070' for key sysreg.MIDR_EL1: 8 hex digits, expected exactly 16"
lines "$H" 'sysreg.MIDR_EL1 0x000000000411fd070'
bad "too many digits" "in.fp:2: bad value '0x000000000411fd070' for key sysreg.MIDR_EL1: 17 hex digits, expected exactly 16"
lines "$H" 'sysreg.MIDR_EL1 0x'
bad "no digits" "in.fp:2: bad value '0x' for key sysreg.MIDR_EL1: expected 0x and 16 hex digits, undef, trap:0xNN, exec or owntrap"
lines "$H" 'sysreg.MIDR_EL1 exec'
bad "exec outside probe" "in.fp:2: bad value 'exec' for key sysreg.MIDR_EL1: exec is for probe keys only"
lines "$H" 'sysreg.MIDR_EL1 owntrap'
bad "owntrap outside probe" "in.fp:2: bad value 'owntrap' for key sysreg.MIDR_EL1: owntrap is for probe keys only"
lines "$H" 'probe.sme.own_enable_clear owntrap'
t_status "owntrap on a probe key: accepted" 0 gv show in.fp
lines "$H" 'sysreg.MIDR_EL1 trap:0x00'
bad "trap with EC 0" "in.fp:2: bad value 'trap:0x00' for key sysreg.MIDR_EL1: exception class 0x00 is written 'undef'"
lines "$H" 'sysreg.MIDR_EL1 trap:0x40'
bad "trap with EC over 6 bits" "in.fp:2: bad value 'trap:0x40' for key sysreg.MIDR_EL1: exception class is 6 bits (0x01-0x3f)"
lines "$H" 'sysreg.MIDR_EL1 trap:0x1'
bad "trap with one digit" "in.fp:2: bad value 'trap:0x1' for key sysreg.MIDR_EL1: expected trap:0xNN, two hex digits of exception class"
lines "$H" 'sysreg.MIDR_EL1 trap:0x1F'
bad "trap uppercase" "in.fp:2: bad value 'trap:0x1F' for key sysreg.MIDR_EL1: hex digits must be lowercase"
lines "$H" 'sysreg.MIDR_EL1 UNDEF'
bad "UNDEF uppercase" "in.fp:2: bad value 'UNDEF' for key sysreg.MIDR_EL1: expected 0x and 16 hex digits, undef, trap:0xNN, exec or owntrap"

lines "$H" "sysreg.MIDR_EL1 $V" 'probe.lse exec' "sysreg.MIDR_EL1 $V"
bad "duplicate key" "in.fp:4: duplicate key sysreg.MIDR_EL1 (first at line 2)"
lines "$H" "sysreg.MIDR_EL1 $V" "sysreg.MIDR_EL1 undef"
bad "duplicate key, other value" "in.fp:3: duplicate key sysreg.MIDR_EL1 (first at line 2)"

lines "$H" "" "sysreg.MIDR_EL1 $V"
bad "empty line" "in.fp:2: empty line (a fingerprint has one 'key value' per line)"
lines "$H" "sysreg.MIDR_EL1  $V"
bad "two spaces" "in.fp:2: expected 'key value' (one space between), got 'sysreg.MIDR_EL1  $V'"
lines "$H" "sysreg.MIDR_EL1 $V "
bad "trailing space" "in.fp:2: expected 'key value' (one space between), got 'sysreg.MIDR_EL1 $V '"
lines "$H" "sysreg.MIDR_EL1	$V"
bad "tab" "in.fp:2: expected 'key value' (one space between), got 'sysreg.MIDR_EL1\\x09$V'"
lines "$H" " sysreg.MIDR_EL1 $V"
bad "leading space" "in.fp:2: expected 'key value' (one space between), got ' sysreg.MIDR_EL1 $V'"
lines "$H" "sysreg.MIDR_EL1 $V extra"
bad "three words" "in.fp:2: expected 'key value' (one space between), got 'sysreg.MIDR_EL1 $V extra'"

lines "$H" "cpu.MIDR_EL1 $V"
bad "unknown category" "in.fp:2: bad key 'cpu.MIDR_EL1': unknown category 'cpu' (expected sysreg, idspace, fw, gic, timer, pmu or probe)"
lines "$H" "sysreg $V"
bad "category alone" "in.fp:2: bad key 'sysreg': nothing after the category"
lines "$H" "sysreg..MIDR_EL1 $V"
bad "empty part" "in.fp:2: bad key 'sysreg..MIDR_EL1': empty part (keys are parts joined by single dots)"
lines "$H" "sysreg.MIDR_EL1. $V"
bad "trailing dot" "in.fp:2: bad key 'sysreg.MIDR_EL1.': empty part (keys are parts joined by single dots)"
lines "$H" "sysreg.MIDR-EL1 $V"
bad "bad character" "in.fp:2: bad key 'sysreg.MIDR-EL1': character '-' not allowed (parts of A-Z a-z 0-9 _ joined by dots)"
k97=fw.$(printf 'a%.0s' $(seq 94))
lines "$H" "$k97 $V"
bad "key of 97 characters" "in.fp:2: bad key '${k97:0:60}...': longer than 96 characters"
k96=${k97:0:96}
lines "$H" "$k96 $V"
t_status "key of 96 characters: accepted" 0 gv show in.fp

lines "$H" "sysreg.MPIDR_EL1 $V"
bad "per-vCPU register without cpuN" "in.fp:2: bad key 'sysreg.MPIDR_EL1': MPIDR_EL1 is per-vCPU: write sysreg.cpuN.MPIDR_EL1"
lines "$H" "sysreg.cpu0.MIDR_EL1 $V"
bad "VM-wide register with cpuN" "in.fp:2: bad key 'sysreg.cpu0.MIDR_EL1': MIDR_EL1 is VM-wide: write sysreg.MIDR_EL1"
lines "$H" "sysreg.CCSIDR_EL1 $V"
bad "cache register without selection" "in.fp:2: bad key 'sysreg.CCSIDR_EL1': CCSIDR_EL1 is per cache selection: write sysreg.CCSIDR_EL1.L<1-7><D|I|U>"
lines "$H" "sysreg.CCSIDR_EL1.L8D $V"
bad "cache level 8" "in.fp:2: bad key 'sysreg.CCSIDR_EL1.L8D': cache selection 'L8D' is not L<1-7><D|I|U>"
lines "$H" "sysreg.cpu01.MPIDR_EL1 $V"
bad "vCPU number with a leading zero" "in.fp:2: bad key 'sysreg.cpu01.MPIDR_EL1': vCPU number must be decimal 0-65535 without leading zeros"
lines "$H" "sysreg.cpu65536.MPIDR_EL1 $V"
bad "vCPU number too large" "in.fp:2: bad key 'sysreg.cpu65536.MPIDR_EL1': vCPU number must be decimal 0-65535 without leading zeros"
lines "$H" "sysreg.cpu0.MPIDR_EL1.L1D $V"
bad "four parts" "in.fp:2: bad key 'sysreg.cpu0.MPIDR_EL1.L1D': expected sysreg.NAME, sysreg.cpuN.NAME or sysreg.NAME.<cache>"
lines "$H" "idspace.s3_2_c0_c0_0 $V"
bad "idspace op1 2" "in.fp:2: bad key 'idspace.s3_2_c0_c0_0': expected idspace.s3_<op1>_c0_c<crm>_<op2>, op1 0, 1 or 3, crm and op2 0-7"
lines "$H" "idspace.s3_0_c0_c8_0 $V"
bad "idspace crm 8" "in.fp:2: bad key 'idspace.s3_0_c0_c8_0': expected idspace.s3_<op1>_c0_c<crm>_<op2>, op1 0, 1 or 3, crm and op2 0-7"
lines "$H" "sysreg.NEWREG_EL1 $V" "sysreg.cpu3.NEWREG2_EL1 $V" "sysreg.NEWREG3_EL1.L2U $V"
t_status "registers this gvfp's table does not know: accepted in any of the three forms" 0 gv show in.fp
t_grep "an unknown register is named as such" "^sysreg.NEWREG_EL1 $V  \(not in this gvfp's table\)$" "$T_OUT"

# Binary input: NUL bytes, junk, a console log given in place of a fingerprint.
printf '%s\nsysreg.MIDR_EL1 0x00\0000000000000001\n' "$H" >in.fp
bad "NUL byte" "in.fp:2: NUL byte in the line (binary data?)"
printf '\177ELF\002\001\001\000\000\000' >in.fp
bad "binary junk with NUL" "in.fp:1: NUL byte in the line (binary data?)"
printf '\211PNG\r\n\032\n\377\376' >in.fp
bad "binary junk" "in.fp:1: not a guestview fingerprint: first line is '\\x89PNG', expected 'guestview-fingerprint 1'"
printf 'boot\n--- guestview fingerprint begin ---\n%s\nsysreg.MIDR_EL1 %s\n--- guestview fingerprint end ---\n' "$H" "$V" >in.fp
bad "a console log" "in.fp:1: not a fingerprint but a console log: take the fingerprint out with 'gvfp extract' first"
printf '%s\nsysreg.MIDR_EL1 %s\n--- guestview fingerprint end ---\n' "$H" "$V" >in.fp
bad "a marker left in" "in.fp:3: marker line inside a fingerprint: give console logs to 'gvfp extract'"

# Size limits: lines of 4096 bytes are read, longer ones refused; at most
# 100000 lines; files of at most 16 MiB.
printf '%s\nfw.x 0x%s\n' "$H" "$(printf '0%.0s' $(seq 4089))" >in.fp
t_status "a line of 4096 bytes is read (and then judged)" 2 gv show in.fp
out_is "a line of 4096 bytes: judged by its value" \
	"in.fp:2: bad value '0x$(printf '0%.0s' $(seq 58))...' for key fw.x: 4089 hex digits, expected exactly 16"
printf '%s\nfw.x 0x%s\n' "$H" "$(printf '0%.0s' $(seq 4090))" >in.fp
bad "a line of 4097 bytes" "in.fp:2: line longer than 4096 bytes"
head -c 300000 /dev/zero | tr '\0' 'x' | sed "1i $H" >in.fp
bad "a line of 300000 bytes" "in.fp:2: line longer than 4096 bytes"
{ echo "$H"; seq -f 'fw.k%.0f 0x0000000000000000' 99999; } >in.fp
t_status "100000 lines: accepted" 0 gv show in.fp
echo 'fw.one_more 0x0000000000000000' >>in.fp
bad "100001 lines" "in.fp:100001: more than 100000 lines: not a fingerprint"
{ echo "$H"; head -c $((16 * 1024 * 1024)) /dev/zero | tr '\0' '\n'; } >in.fp
bad "a file over 16 MiB" "in.fp: larger than 16 MiB: not a fingerprint or guestview console log"
t_status "standard input over 16 MiB: refused, not read whole" 2 \
	bash -c "head -c 100000000 /dev/zero | '$GVFP' show -"
out_is "standard input over 16 MiB: message" "<stdin>: larger than 16 MiB: not a fingerprint or guestview console log"

# Accepted: CRLF line ends, a last line without newline.
printf '%s\r\nsysreg.MIDR_EL1 %s\r\nprobe.lse exec\r\n' "$H" "$V" >in.fp
t_status "CRLF line ends: accepted" 0 gv show in.fp
t_grep "CRLF line ends: values read" "^sysreg.MIDR_EL1 $V$" "$T_OUT"
printf '%s\nsysreg.MIDR_EL1 %s\r\r\n' "$H" "$V" >in.fp
bad "two CRs" "in.fp:2: bad value '${V}\\x0d' for key sysreg.MIDR_EL1: expected 0x and 16 hex digits, undef, trap:0xNN, exec or owntrap"
printf '%s\nsysreg.MIDR_EL1 %s' "$H" "$V" >in.fp
t_status "no newline at the end: accepted" 0 gv show in.fp

# The same errors from every command that reads a fingerprint.
lines "$H" 'sysreg.MIDR_EL1 xyz'
fp good.fp "sysreg.MIDR_EL1 $V"
msg="in.fp:2: bad value 'xyz' for key sysreg.MIDR_EL1: expected 0x and 16 hex digits, undef, trap:0xNN, exec or owntrap"
t_status "diff: a bad source is an input error" 2 gv diff in.fp good.fp
out_is "diff: names the bad source" "$msg"
t_status "diff: a bad destination is an input error" 2 gv diff good.fp in.fp
out_is "diff: names the bad destination" "$msg"
t_status "check: a bad fingerprint is an input error" 2 gv check in.fp
out_is "check: names the bad fingerprint" "$msg"
t_done
