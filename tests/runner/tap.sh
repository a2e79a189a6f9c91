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

# tap_check FILE: prints what is wrong with FILE as TAP 13 (nothing if valid).
tap_check() {
	python3 - "$1" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
err = []
if not lines or lines[0] != "TAP version 13":
    err.append("first line is not 'TAP version 13'")
points, plan, in_yaml = [], None, False
for n, l in enumerate(lines[1:], 2):
    if in_yaml:
        if l == "  ...":
            in_yaml = False
        elif not l.startswith("  "):
            err.append(f"line {n}: YAML block not indented: {l!r}")
        continue
    if plan is not None:
        err.append(f"line {n}: after the plan: {l!r}")
    m = re.fullmatch(r"(not )?ok (\d+) - (\S+)( # SKIP \S.*)?", l)
    if m:
        points.append(int(m.group(2)))
    elif l == "  ---":
        if not points:
            err.append(f"line {n}: YAML block before any test point")
        in_yaml = True
    elif re.fullmatch(r"1\.\.(\d+)", l):
        plan = int(l[3:])
    elif not l.startswith("#"):
        err.append(f"line {n}: not TAP: {l!r}")
if in_yaml:
    err.append("unterminated YAML block")
if plan is None:
    err.append("no plan")
elif plan != len(points):
    err.append(f"plan 1..{plan} but {len(points)} test points")
if points != list(range(1, len(points) + 1)):
    err.append(f"test points not numbered 1..N: {points}")
print("\n".join(err))
PY
}

rt_run -t
t_eq "TAP: exit 1 (failures)" 1 "$RT_RC"
t_eq "TAP: stream is valid" "" "$(tap_check "$RT/out")"
t_eq "TAP: test points, in config order" "ok 1 - p|not ok 2 - f|ok 3 - s # SKIP no GICv2 on this host|not ok 4 - to|not ok 5 - e" \
	"$(grep -E '^(not )?ok ' "$RT/out" | tr '\n' '|' | sed 's/|$//')"
t_grep "TAP: plan is last" '^1\.\.5$' <(tail -n 1 "$RT/out")
t_grep "TAP: failure block has the message" '^  message: "14 tests, 2 unexpected failures, 1 skipped, [0-9.]+s"$' "$RT/out"
t_grep "TAP: failure block has the arm/run verdict" '^  verdict: "QEMU error: qemu-system-aarch64: -foo: invalid option"$' "$RT/out"
t_grep "TAP: failure block has the result" '^  result: TIMEOUT$' "$RT/out"
t_grep "TAP: failure block points at the log" '^  log: "logs/e.log"$' "$RT/out"
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
