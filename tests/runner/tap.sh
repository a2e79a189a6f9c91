#!/bin/bash
# tests/runner/tap.sh: -t prints TAP version 13 and nothing else on stdout:
# numbered test points in config order, SKIP directives, a YAML block for
# each failure, the plan last and equal to the number of test points.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
rt_cfg tap.cfg <<'EOF2'
[p]
file = pass.flat
[f]
file = fail.flat
[s]
file = skip.flat
[to]
file = timeout.flat
[e]
file = qemuerr.flat
EOF2

rt_run -t
t_eq "TAP: exit 1 (failures)" 1 "$RT_RC"
t_eq "TAP: stream is valid" "" "$(tap_check "$RT/out")"
t_eq "TAP: test points, in config order" "ok 1 - p|not ok 2 - f|ok 3 - s # SKIP no GICv2 on this host|not ok 4 - to|not ok 5 - e" \
	"$(grep -E '^(not )?ok ' "$RT/out" | tr '\n' '|' | sed 's/|$//')"
t_grep "TAP: plan is last" '^1\.\.5$' <(tail -n 1 "$RT/out")
t_grep "TAP: failure block has the message" '^  message: "14 tests, 2 unexpected failures, 1 skipped, [0-9.]+s"$' "$RT/out"
t_grep "TAP: failure block has the arm/run verdict" '^  verdict: "QEMU_ERROR: qemu-system-aarch64: -foo: invalid option"$' "$RT/out"
t_grep "TAP: failure block has the result" '^  result: TIMEOUT$' "$RT/out"
t_grep "TAP: failure block points at the log" '^  log: "logs/run-[0-9]{8}-[0-9]{6}-[0-9]+/e.log"$' "$RT/out"
t_nogrep "TAP: no human result lines on stdout" '^(PASS|FAIL|SKIP|SUMMARY)' "$RT/out"

rt_run -t -j 2 -v
t_eq "TAP with -j 2 -v: stream is valid (console as comments)" "" "$(tap_check "$RT/out")"
t_grep "TAP with -v: console output is a comment" '^# stub-argv: ' "$RT/out"

# The checker itself must catch a broken stream, or the checks above prove
# nothing.
printf 'TAP version 13\nok 1 - a\nnot ok 2 - b\n1..3\n' >"$RT/broken"
t_grep "checker: notices a plan that does not match" "plan 1..3 but 2" <(tap_check "$RT/broken")
printf 'TAP version 13\nok 1 - a\nPASS a\n1..1\n' >"$RT/broken"
t_grep "checker: notices a non-TAP line" "not TAP" <(tap_check "$RT/broken")
t_done
