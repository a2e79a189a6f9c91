#!/bin/bash
# tests/runner/cli.sh: run_tests.sh's command line and environment: -h, -l,
# selecting tests by name and -g group, and every refused argument (exit 2,
# nothing run) or missing piece of the harness (exit 3).
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
rt_cfg t.cfg <<'EOF2'
[one]
file = pass.flat
groups = g1

[two]
file = pass.flat
groups = g1 g2

[three]
file = pass.flat
groups = g3
EOF2

rt_run -h
t_eq "-h: exit 0" 0 "$RT_RC"
t_grep "-h: usage" "^Usage: run_tests.sh \[-g GROUP\] \[-j N\] \[-t\] \[--junit FILE\] \[--config FILE\] \[-l\] \[-v\] \[-h\] \[TEST...\]" "$RT/out"
t_grep "-h: documents exit status 130" "130 interrupted" "$RT/out"

rt_run -l
t_eq "-l: exit 0" 0 "$RT_RC"
t_eq "-l: lists name, groups, file in config order" \
	"one|g1|pass.flat two|g1 g2|pass.flat three|g3|pass.flat" \
	"$(sed -E 's/  +/|/g' "$RT/out" | tr '\n' ' ' | sed 's/ $//')"
t_eq "-l: runs nothing" 0 "$(rt_calls)"

rt_run
t_eq "no arguments: all tests, in config order" "PASS one PASS two PASS three" \
	"$(grep -E '^(PASS|FAIL)' "$RT/out" | cut -d' ' -f1,2 | tr '\n' ' ' | sed 's/ $//')"

rt_run three one
t_eq "named tests: run in config order" "PASS one PASS three" \
	"$(grep -E '^PASS' "$RT/out" | cut -d' ' -f1,2 | tr '\n' ' ' | sed 's/ $//')"

rt_run -g g1
t_eq "-g g1: its two tests" "one two" "$(grep '^PASS' "$RT/out" | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
rt_run -g g2,g3
t_eq "-g g2,g3: either group" "two three" "$(grep '^PASS' "$RT/out" | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
rt_run -g g1 two three
t_eq "-g with names: both must hold" "two" "$(grep '^PASS' "$RT/out" | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"

# refused ARGS... REGEX: exit 2, message, nothing run.
refused() {
	local re=$1; shift
	rt_run "$@"
	t_eq "'$*': exit status 2" 2 "$RT_RC"
	t_grep "'$*': says why" "$re" "$RT/err"
	t_eq "'$*': runs nothing" 0 "$(rt_calls)"
}
refused "unknown test 'nosuch': not in t\.cfg" nosuch
refused "unknown test 'nosuch'" one nosuch
refused "unknown group 'nogroup' for -g: .*groups: g1 g2 g3" -g nogroup
refused "unknown group 'nogroup'" -g g1,nogroup
refused "no test selected" -g g3 one
refused "unknown option '-x'" -x
refused "unknown option '--frobnicate'" --frobnicate
refused "-j needs a number of parallel tests >= 1, got '0'" -j 0
refused "-j needs a number of parallel tests >= 1, got 'many'" -j many
refused "option -g needs a value" -g
refused "--junit 'nodir/x.xml': directory 'nodir' does not exist" --junit nodir/x.xml
TIMEOUT=soon refused "TIMEOUT must be a timeout\(1\) duration .* got 'soon'"
ACCEL=hvf refused "ACCEL must be kvm or tcg, got 'hvf'"

GUESTVIEW_RUN=$RT/no-such-run rt_run
t_eq "missing arm/run: exit status 3" 3 "$RT_RC"
t_grep "missing arm/run: named" "per-payload runner '.*/no-such-run' not found" "$RT/err"

rt_run -vt one
t_eq "bundled flags -vt: accepted" 0 "$RT_RC"
t_grep "bundled flags -vt: TAP" "^TAP version 13" "$RT/out"
rt_no_tmp "no temporary file left behind"
t_done
