#!/bin/bash
# tests/gvkvm/tryfile.sh: gvkvm try's input file.  A bad file is refused
# before any ioctl (exit 2) with "FILE:LINE: what" for every mistake: bad
# JSON, unknown registers, bad values, a register given twice.  The fake
# kernel (--fake-kvm) stands in for /dev/kvm; the answers are not read here.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvkvm ] || t_skip "host/gvkvm not built (make)"
G=(host/gvkvm --fake-kvm tests/gvkvm/data/fake-kernel.json)
tmp=$(t_tmpdir)

# tryf NAME TEXT: a try file.
tryf() { printf '%s\n' "$2" >"$tmp/$1"; }

tryf trunc.json $'{\n  "ID_AA64MMFR1_EL1": "0x1",\n  "MIDR_EL1": "0x0"'
t_status "truncated JSON: exit 2" 2 "${G[@]}" try "$tmp/trunc.json"
t_grep "truncated JSON: file and line of the end (after the last newline)" "^$tmp/trunc.json:4: expected ',' or '}' before the end of the file$" "$T_OUT"

tryf comma.json $'{\n  "MIDR_EL1": "0x0",\n}'
t_status "trailing comma: exit 2" 2 "${G[@]}" try "$tmp/comma.json"
t_grep "trailing comma: line 3, a member name expected" "^$tmp/comma.json:3: expected a member name in quotes$" "$T_OUT"

tryf string.json $'{\n  "MIDR_EL1": "0x0\n}'
t_status "unterminated string: exit 2" 2 "${G[@]}" try "$tmp/string.json"
t_grep "unterminated string: its line" "^$tmp/string.json:2: a string runs to the end of the line" "$T_OUT"

tryf names.json $'{\n  "ID_AA64MMFR1_EL1": "0x1",\n  "ID_AA64MMFR9_EL1": "0x0",\n  "FOO": "0x0",\n  "S3_0_C0_C7_1": "0x0"\n}'
t_status "unknown register names: exit 2" 2 "${G[@]}" try "$tmp/names.json"
t_grep "an unknown ID register name: its line" "^$tmp/names.json:3: unknown register 'ID_AA64MMFR9_EL1'" "$T_OUT"
t_grep "every unknown name, not only the first" "^$tmp/names.json:4: unknown register 'FOO'" "$T_OUT"
t_grep "a generic name of a named register is refused (one naming)" "^$tmp/names.json:5: unknown register 'S3_0_C0_C7_1'" "$T_OUT"

tryf values.json $'{\n  "MIDR_EL1": "0x",\n  "REVIDR_EL1": 5,\n  "AIDR_EL1": "0x12345678901234567",\n  "ID_AA64PFR0_EL1": "12",\n  "ID_AA64PFR1_EL1": "0xg"\n}'
t_status "bad values: exit 2" 2 "${G[@]}" try "$tmp/values.json"
t_grep "\"0x\" alone" "^$tmp/values.json:2: MIDR_EL1: bad value '0x'" "$T_OUT"
t_grep "a number instead of a string" "^$tmp/values.json:3: REVIDR_EL1: bad value a number" "$T_OUT"
t_grep "17 hex digits" "^$tmp/values.json:4: AIDR_EL1: bad value '0x12345678901234567'" "$T_OUT"
t_grep "no 0x" "^$tmp/values.json:5: ID_AA64PFR0_EL1: bad value '12'" "$T_OUT"
t_grep "not hex" "^$tmp/values.json:6: ID_AA64PFR1_EL1: bad value '0xg'" "$T_OUT"

tryf dup.json $'{\n  "ID_AA64MMFR1_EL1": "0x1",\n  "0x603000000013c039": "0x2"\n}'
t_status "the same register twice (by name and id): exit 2" 2 "${G[@]}" try "$tmp/dup.json"
t_grep "the same register twice: both lines" "^$tmp/dup.json:3: 0x603000000013c039: the same register as 'ID_AA64MMFR1_EL1' on line 2" "$T_OUT"

tryf array.json '["MIDR_EL1"]'
t_status "not an object: exit 2" 2 "${G[@]}" try "$tmp/array.json"
t_grep "not an object: says what it wants" "^$tmp/array.json:1: expected an object" "$T_OUT"

t_status "a missing file: exit 2" 2 "${G[@]}" try "$tmp/none.json"
t_grep "a missing file: named" "^$tmp/none.json: cannot open: No such file" "$T_OUT"

# The bad files above made no JSON at all: stdout stays empty.
"${G[@]}" try "$tmp/names.json" 2>/dev/null >"$tmp/stdout"
t_eq "a refused file prints no JSON" "" "$(cat "$tmp/stdout")"

tryf good.json $'{\n  "ID_AA64MMFR1_EL1": "0x0000011010211122",\n  "0x6030000000140000": "0X10001"\n}'
t_status "a good file with a name and a 0x id: tried (exit 0, all accepted)" 0 "${G[@]}" try "$tmp/good.json"
t_status "usage: try without a file: exit 2" 2 host/gvkvm try
t_status "usage: an unknown subcommand: exit 2" 2 host/gvkvm frobnicate
t_done
