#!/bin/bash
# tests/runner/parallel.sh: -j N runs N tests at once, yet the report is the
# same as with -j 1: one whole line per test, in config order, whichever
# finishes first; with -v each test's console output comes in one block
# just before its result line.
# shellcheck disable=SC2016 # stub snippets: expanded by the stub, not here
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
rt_payload slowfail 'fake_qemu 0.5; echo "console of $payload"; echo "EXIT: FAIL"; verdict 1 FAIL'
rt_payload quick 'echo "console of $payload"; echo "EXIT: PASS"; verdict 0 PASS'
rt_cfg par.cfg <<'EOF2'
[s1]
file = slowfail.flat
[q1]
file = quick.flat
[s2]
file = slow.flat
[s3]
file = slow.flat
[s4]
file = slow.flat
[q2]
file = skip.flat
EOF2

# times_out: the output with times blanked, to compare runs.
times_out() { sed -E 's/[0-9]+\.[0-9]+s/T/g; s/run-[0-9-]+/run-N/' "$RT/out"; }

start=$EPOCHREALTIME
rt_run -j 1
serial_ms=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
times_out >"$RT/serial"
start=$EPOCHREALTIME
rt_run -j 2
par_ms=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
times_out >"$RT/par"
t_eq "-j 2: exit status as -j 1 (a failure)" 1 "$RT_RC"
t_eq "-j 2: the same report as -j 1" "$(cat "$RT/serial")" "$(cat "$RT/par")"
t_eq "-j 2: results in config order" "FAIL s1|PASS q1|PASS s2|PASS s3|PASS s4|SKIP q2" \
	"$(grep -E '^(PASS|FAIL|SKIP)' "$RT/out" | cut -d' ' -f1,2 | tr '\n' '|' | sed 's/|$//')"
# Four 0.5 s tests: about 2 s one at a time, about 1 s two at a time.
t_check "-j 2: runs in parallel (${par_ms} ms vs ${serial_ms} ms for -j 1)" [ "$par_ms" -lt 1850 ] && [ "$serial_ms" -ge 2000 ]

rt_run -j 2 -v
t_eq "-j 2 -v: each console block just before its result line" \
	"console of s1|FAIL s1|console of q1|PASS q1" \
	"$(grep -E '^(console of|PASS|FAIL)' "$RT/out" | sed -E 's|console of .*/arm/slowfail.flat|console of s1|; s|console of .*/arm/quick.flat|console of q1|' | cut -d' ' -f1-3 | sed -E 's/^(PASS|FAIL) ([a-z0-9]+) .*/\1 \2/' | head -n 4 | tr '\n' '|' | sed 's/|$//')"

# Many quick tests at once: every line whole, none lost.
{ for i in $(seq 1 40); do printf '[t%d]\nfile = quick.flat\n' "$i"; done; } | rt_cfg many.cfg
RT_CFG=$RT/many.cfg
rt_run -j 8
t_eq "-j 8, 40 tests: 40 well-formed result lines" 40 "$(grep -cE '^PASS t[0-9]+ \(T\)$' <(times_out))"
t_eq "-j 8, 40 tests: in config order" "$(seq 1 40 | sed 's/^/t/' | tr '\n' ' ')" "$(grep '^PASS' "$RT/out" | cut -d' ' -f2 | tr '\n' ' ')"
rt_no_tmp "no temporary file left behind"
t_done
