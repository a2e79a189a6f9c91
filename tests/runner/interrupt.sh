#!/bin/bash
# tests/runner/interrupt.sh: Ctrl-C (SIGINT to the whole process group, as a
# terminal sends it) and SIGTERM end a run promptly with exit status 130:
# every arm/run and "QEMU" it started is gone, the results so far are
# reported, TAP and JUnit stay valid, no temporary file is left.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
mkdir -p "$RT/j"
rt_cfg int.cfg <<'EOF2'
[first]
file = pass.flat
[h1]
file = hang.flat
[h2]
file = hang.flat
[later]
file = pass.flat
EOF2

# interrupt SIGNAL NHANG ARGS...: start run_tests.sh ARGS... in a process
# group of its own, wait until NHANG hanging stubs run, send SIGNAL (to the whole
# group for SIGINT, like a terminal's Ctrl-C; to run_tests.sh for SIGTERM,
# like kill(1)), and wait for it.  Sets RT_RC and RT_SECS (time it took
# to exit after the signal, in tenths of a second).
interrupt() {
	local sig=$1 nhang=$2 pid n
	shift 2
	rm -f "$RT/calls"
	# set -m: own process group, and SIGINT not ignored as it would be for
	# a plain background job of this non-interactive shell.
	set -m
	(cd "$RT" && t_sigint_default "$RUNNER" --config int.cfg "$@" >"$RT/out" 2>"$RT/err") &
	pid=$!
	set +m
	# Up to 30 s: on a loaded machine the stubs can take seconds to start.
	for ((n = 0; n < 600; n++)); do
		[ "$(pgrep -fc "fake-qemu $RT/arm/hang")" -ge "$nhang" ] && break
		sleep 0.05
	done
	t_eq "$sig: the hanging tests were running" "$nhang" "$(pgrep -fc "fake-qemu $RT/arm/hang")"
	if [ "$sig" = INT ]; then kill -INT -- "-$pid"; else kill -TERM "$pid"; fi
	for ((n = 0; n < 100; n++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	RT_SECS=$n
	if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid"; fi
	wait "$pid"
	RT_RC=$?
}

# after SIG WHAT: the checks every interrupted run must pass.
after() {
	t_eq "$1: exit status 130" 130 "$RT_RC"
	t_check "$1: exited within 2s of the signal (took ${RT_SECS}0 ms)" [ "$RT_SECS" -le 20 ]
	t_eq "$1: no stub arm/run or QEMU left" "" "$(pgrep -fa "$RT/arm/")"
	rt_no_tmp "$1: no temporary file left"
	t_eq "$1: the test after the hangs never started" "" "$(grep later.flat "$RT/calls" 2>/dev/null)"
}

interrupt INT 2 -j 2 --junit j/int.xml
after SIGINT
t_grep "SIGINT: the finished test is reported" "^PASS first " "$RT/out"
t_grep "SIGINT: the stopped tests are named" "^INTERRUPTED h1 \(stopped after [0-9.]+s, not counted\)" "$RT/out"
t_grep "SIGINT: summary says interrupted" "^SUMMARY: 1 test, 1 passed, 0 failed, 0 skipped, 3 not run in [0-9.]+s \(interrupted by SIGINT;" "$RT/out"
python3 -c '
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
print(s.get("tests"), [t.get("name") for t in s.findall("testcase")],
      [p.get("value") for p in s.iter("property") if p.get("name") == "interrupted"])
' "$RT/j/int.xml" >"$RT/jx" 2>&1
t_eq "SIGINT: JUnit written, parses, holds the finished test" "1 ['first'] ['SIGINT']" "$(cat "$RT/jx")"
t_eq "SIGINT: nothing left beside the JUnit file" "int.xml" "$(ls -A "$RT/j")"

interrupt TERM 2 -t -j 2
after SIGTERM
t_eq "SIGTERM: TAP results of finished tests, then the plan" "TAP version 13|ok 1 - first|1..1" \
	"$(grep -v '^#' "$RT/out" | tr '\n' '|' | sed 's/|$//')"
t_grep "SIGTERM: TAP comment says interrupted" "^# SUMMARY: .*interrupted by SIGTERM" "$RT/out"

interrupt INT 1 -v
after "SIGINT with -v -j 1 (live output)"
t_grep "SIGINT -v: live console output was shown" "^stub-argv: \[-smp\] \[1\]" "$RT/out"
t_done
