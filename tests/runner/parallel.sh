#!/bin/bash
# tests/runner/parallel.sh: -j N runs N tests at once, yet the report is the
# same as with -j 1: one whole line per test, in config order, whichever
# finishes first; with -v each test's console output comes in one block
# just before its result line.
# shellcheck disable=SC2016 # stub snippets: expanded by the stub, not here
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
rt_payload slowfail 'echo "+ $EPOCHREALTIME" >>"$SPANS"; fake_qemu 1; echo "- $EPOCHREALTIME" >>"$SPANS"; echo "console of $payload"; echo "EXIT: FAIL"; verdict 1 FAIL'
rt_payload quick 'echo "console of $payload"; echo "EXIT: PASS"; verdict 0 PASS'
# span (and slowfail): a slow test that writes when its QEMU starts and
# ends, to tell how many ran at once: a fact of the run, not of the
# machine's load (a bound on the wall time failed at load 10).
rt_payload span 'echo "+ $EPOCHREALTIME" >>"$SPANS"; fake_qemu 1; echo "- $EPOCHREALTIME" >>"$SPANS"; echo "EXIT: PASS"; verdict 0 PASS'
export SPANS=$RT/spans
# most_at_once: the most tests whose spans overlapped.
most_at_once() {
	sort -k2,2n -k1,1r "$SPANS" | awk '$1 == "+" { if (++n > m) m = n } $1 == "-" { n-- } END { print m + 0 }'
	: >"$SPANS"
}
rt_cfg par.cfg <<'EOF2'
[s1]
file = slowfail.flat
[s2]
file = span.flat
[q1]
file = quick.flat
[s3]
file = span.flat
[s4]
file = span.flat
[q2]
file = skip.flat
EOF2

# times_out: the output with times blanked, to compare runs.
times_out() { sed -E 's/[0-9]+\.[0-9]+s/T/g; s/run-[0-9-]+/run-N/' "$RT/out"; }

rt_run -j 1
serial=$(most_at_once)
times_out >"$RT/serial"
rt_run -j 2
par=$(most_at_once)
times_out >"$RT/par"
t_eq "-j 2: exit status as -j 1 (a failure)" 1 "$RT_RC"
t_eq "-j 2: the same report as -j 1" "$(cat "$RT/serial")" "$(cat "$RT/par")"
t_eq "-j 2: results in config order" "FAIL s1|PASS s2|PASS q1|PASS s3|PASS s4|SKIP q2" \
	"$(grep -E '^(PASS|FAIL|SKIP)' "$RT/out" | cut -d' ' -f1,2 | tr '\n' '|' | sed 's/|$//')"
# Four 1 s tests, the first two started together: one at a time with
# -j 1, two at once with -j 2.
t_eq "-j 1: one test at a time" 1 "$serial"
t_eq "-j 2: two tests at once" 2 "$par"

rt_run -j 2 -v
t_eq "-j 2 -v: each console block just before its result line" \
	"console of s1|FAIL s1|PASS s2|console of q1" \
	"$(grep -E '^(console of|PASS|FAIL)' "$RT/out" | sed -E 's|console of .*/arm/slowfail.flat|console of s1|; s|console of .*/arm/quick.flat|console of q1|' | cut -d' ' -f1-3 | sed -E 's/^(PASS|FAIL) ([a-z0-9]+) .*/\1 \2/' | head -n 4 | tr '\n' '|' | sed 's/|$//')"

# Many quick tests at once: every line whole, none lost.
{ for i in $(seq 1 40); do printf '[t%d]\nfile = quick.flat\n' "$i"; done; } | rt_cfg many.cfg
RT_CFG=$RT/many.cfg
rt_run -j 8
t_eq "-j 8, 40 tests: 40 well-formed result lines" 40 "$(grep -cE '^PASS t[0-9]+ \(T\)$' <(times_out))"
t_eq "-j 8, 40 tests: in config order" "$(seq 1 40 | sed 's/^/t/' | tr '\n' ' ')" "$(grep '^PASS' "$RT/out" | cut -d' ' -f2 | tr '\n' ' ')"
rt_no_tmp "no temporary file left behind"
t_done
