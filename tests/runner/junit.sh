#!/bin/bash
# tests/runner/junit.sh: --junit FILE writes JUnit XML that parses, with the
# right counts, one testcase per test with its time, the failure message,
# and the end of the log in system-out, whatever bytes the guest printed.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
# A guest printing markup, escape sequences, a NUL, bytes that are not
# UTF-8 and some that are.
rt_payload garbage 'printf "<b attr=\"x\">&amp; '"'q'"' ]]> \033[31mred\033[0m\nA\000B\n\377\376 bad\ncaf\303\251\n"; echo "EXIT: FAIL"; verdict 1 "FAIL (1 tests, 1 unexpected failures)"'
rt_cfg j.cfg <<'EOF2'
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
[g]
file = garbage.flat
[k]
file = pass.flat
accel = kvm
EOF2

rt_run --junit out/junit.xml
t_eq "bad --junit directory: refused" 2 "$RT_RC"
mkdir -p "$RT/out.d"
rt_run --junit out.d/junit.xml
t_eq "junit: run exit 1" 1 "$RT_RC"
junit_summary "$RT/out.d/junit.xml" >"$RT/js"
t_nogrep "junit: parses" "PARSE ERROR" "$RT/js"
t_grep "junit: counts (tests failures errors skipped)" "^suite 7 3 1 2$" "$RT/js"
t_eq "junit: one testcase per test, in order" "p f s to e g k" "$(awk '$1 == "case" { printf "%s%s", sep, $2; sep = " " }' "$RT/js")"
t_grep "junit: failure message" "^case f failure:14 tests, 2 unexpected failures, 1 skipped, [0-9.]+s \|" "$RT/js"
t_grep "junit: timeout is a failure" "^case to failure:after 90s " "$RT/js"
t_grep "junit: QEMU error is an error" "^case e error:QEMU_ERROR: qemu-system-aarch64: -foo: invalid option " "$RT/js"
t_grep "junit: skip reason" "^case s skipped:no GICv2 on this host " "$RT/js"
t_grep "junit: runner skip" "^case k skipped:needs accel kvm, running with tcg " "$RT/js"
t_grep "junit: system-out has the log's end" "^case f .*EXIT: FAIL.*arm/run: FAIL" "$RT/js"
t_grep "junit: guest markup survives as text" "^case g .*<b attr=\"x\">&amp; 'q' \]\]> \?\[31mred" "$RT/js"
t_grep "junit: bad bytes replaced, valid UTF-8 kept, nothing cut" '^case g .*\\nA\\n\?\? bad\\ncafé\\nEXIT: FAIL\\narm/run: FAIL' "$RT/js"
t_grep "junit: accel recorded" "^property accel tcg$" "$RT/js"

# Bytes that are not UTF-8 next to valid ones: the line is kept as ASCII.
rt_payload badutf 'printf "caf\303\251 \377\n"; echo "EXIT: PASS"; verdict 0 PASS'
rt_cfg b.cfg <<<$'[b]\nfile = badutf.flat'
rt_run --junit out.d/b.xml
t_nogrep "junit: invalid UTF-8 still parses" "PARSE ERROR" <(junit_summary "$RT/out.d/b.xml")
t_eq "junit: nothing left beside the file" "b.xml junit.xml" "$(cd "$RT/out.d" && shopt -s dotglob && echo *)"
rt_no_tmp "no temporary file left behind"
t_done
