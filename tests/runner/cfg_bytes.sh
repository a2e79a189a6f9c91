#!/bin/bash
# tests/runner/cfg_bytes.sh: a config that is not what a person types --
# a test name too long for a file name, NUL bytes, binary garbage -- is
# refused before anything runs (status 2, FILE:LINE), and the messages
# never send the file's raw bytes to the terminal.  And a reader that goes
# away (run_tests.sh | head -1) ends the run quietly, every test stopped.
# shellcheck disable=SC2119 # rt_run's arguments are optional
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup

# refused DESC REGEX: the config on stdin gives status 2, a FILE:LINE
# message matching REGEX, and starts nothing.
refused() {
	rt_cfg bad.cfg
	rt_run
	t_eq "$1: exit status 2" 2 "$RT_RC"
	t_grep "$1: FILE:LINE says what" "$2" "$RT/err"
	t_eq "$1: no test started" 0 "$(rt_calls)"
}

long=$(printf 'n%.0s' {1..300})
refused "a 300-character test name" "^bad\.cfg:3: test name of 300 characters, at most 128 \(it names logs/<test>\.log\): 'n{80}'\.\.\. \(300 characters\)$" \
	< <(printf '[a]\nfile = pass.flat\n[%s]\nfile = pass.flat\n' "$long")
t_nogrep "a 300-character test name: no raw system error" "File name too long" "$RT/err"
rt_cfg ok.cfg < <(printf '[%s]\nfile = pass.flat\n' "$(printf 'n%.0s' {1..128})")
rt_run
t_eq "a 128-character test name runs" 0 "$RT_RC"

refused "NUL bytes" "^bad\.cfg:3: NUL byte in the line" \
	< <(printf '[a]\nfile = pass.flat\nsmp = 2\0junk = 1\ngroups = x\n[b]\n\0file = pass.flat\n')
t_grep "NUL bytes: each line that has one" "^bad\.cfg:6: NUL byte in the line" "$RT/err"
t_eq "NUL bytes: two lines, two messages" 2 "$(grep -c 'NUL byte' "$RT/err")"

refused "binary garbage" "^bad\.cfg:3: malformed line: '\\\\x1b\[31mred\\\\x1b\]0;title\\\\x07\\\\xff' " \
	< <(printf '[a]\nfile = pass.flat\n\033[31mred\033]0;title\007\377\n')
t_nogrep "binary garbage: no raw escape or control byte in the messages" $'[\001-\010\016-\037\177-\377]' "$RT/err"
refused "escapes in a name and a value" "^bad\.cfg:1: bad test name 'a\\\\x1bb' " \
	< <(printf '[a\033b]\nfile = pass.flat\n[c]\nfile = pass.flat\nsmp = \033[2J\n')
t_grep "escapes in a value: shown escaped" "^bad\.cfg:5: smp must be an integer >= 1, got '\\\\x1b\[2J'$" "$RT/err"
t_nogrep "escapes: none raw" $'\033' "$RT/err"

# The reader goes away after the first line: the next line meets a closed
# pipe; the run stops there, says nothing about it, and stops its tests.
rt_cfg pipe.cfg <<'EOF2'
[a]
file = pass.flat
[b]
file = slow.flat
[c]
file = hang.flat
EOF2
for fmt in '' -t; do
	(cd "$RT" && exec "$RUNNER" --config pipe.cfg -j 3 $fmt 2>"$RT/err" | head -n 1 >"$RT/out")
	t_eq "| head -1${fmt:+ ($fmt)}: no error output" "" "$(cat "$RT/err")"
	t_eq "| head -1${fmt:+ ($fmt)}: the first line came" 1 "$(wc -l <"$RT/out")"
	left=$(pgrep -f "fake-qemu $RT/arm/hang.flat")
	t_eq "| head -1${fmt:+ ($fmt)}: the hanging test was stopped" "" "$left"
	# shellcheck disable=SC2086 # one pid or more
	[ -z "$left" ] || kill $left
done
rt_no_tmp "no temporary file left behind"
t_done
