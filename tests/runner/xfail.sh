#!/bin/bash
# tests/runner/xfail.sh: arm/run's exit status 78 (a known incompatibility
# refused as predicted) is XFAIL: an expected failure, not a failure.  The
# exit status stays 0; the result line is "XFAIL name (reason)" with the
# diagnosis line the expected regex matched; the SUMMARY counts it; TAP has
# "not ok N - name # TODO expected failure: reason", which a real TAP
# consumer (prove) takes as passing; JUnit has a skipped case whose message
# starts "XFAIL: ".
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
# Refused, but gvmigrate printed no diagnosis the regex could match.
rt_payload xfail-bare 'verdict 78 "XFAIL: migration 1 refused: source status '"'failed'"'"'

rt_cfg x.cfg <<'EOF2'
[p]
file = pass.flat
[x]
file = xfail.flat
migration = unix
dest_params = -cpu max,sve=off
migration_refused = Invalid value [0-9]+ expecting
[s]
file = skip.flat
EOF2
rt_run
t_eq "XFAIL with passes and skips: exit 0" 0 "$RT_RC"
t_grep "XFAIL line, with the diagnosis the regex matched" \
	"^XFAIL x \(refused as expected: destination 1 said: qemu-system-aarch64: Invalid value 304 expecting positive value <= 293\)$" "$RT/out"
t_grep "SUMMARY counts it apart from passes, failures and skips" \
	"^SUMMARY: 3 tests, 1 passed, 0 failed, 1 skipped, 1 expected failure in [0-9.]+s \(accel tcg, logs in logs/run-[0-9]{8}-[0-9]{6}-[0-9]+/\)$" "$RT/out"
t_grep "arm/run got the expected regex" "^stub-mig: .*MIGRATION_REFUSAL=\[Invalid value \[0-9\]\+ expecting\]$" "$RT/logs/latest/x.log"

# The words when no diagnosis line matches: arm/run's, after "XFAIL: ".
rt_cfg bare.cfg <<'EOF2'
[b]
file = xfail-bare.flat
migration = unix
migration_refused = cpreg_vmstate_array_len
[n]
file = xfail.flat
migration = unix
migration_refused = no-line-says-this
EOF2
rt_run
t_grep "no diagnosis line: arm/run's reason" "^XFAIL b \(migration 1 refused: source status 'failed'\)$" "$RT/out"
t_grep "diagnosis lines that do not match: arm/run's reason" "^XFAIL n \(migration 1 refused: source status 'active'\)$" "$RT/out"
t_grep "two: plural" "^SUMMARY: 2 tests, 0 passed, 0 failed, 0 skipped, 2 expected failures in" "$RT/out"
# The regex may come from the user's environment instead of the cfg.
rt_cfg env.cfg <<'EOF2'
[e]
file = xfail.flat
EOF2
MIGRATION_REFUSAL='positive value <= [0-9]+$' rt_run
t_grep "regex from MIGRATION_REFUSAL: its matching line" \
	"^XFAIL e \(refused as expected: destination 1 said: qemu-system-aarch64: Invalid value 304 expecting positive value <= 293\)$" "$RT/out"

# With a real failure beside it, the run fails.
rt_cfg xf.cfg <<'EOF2'
[x]
file = xfail.flat
[f]
file = fail.flat
EOF2
rt_run
t_eq "XFAIL and FAIL: exit 1" 1 "$RT_RC"
t_grep "XFAIL and FAIL: both counted" "^SUMMARY: 2 tests, 0 passed, 1 failed, 0 skipped, 1 expected failure in" "$RT/out"

# --- TAP --------------------------------------------------------------------------
rt_cfg x.cfg <<'EOF2'
[p]
file = pass.flat
[x]
file = xfail.flat
migration = unix
migration_refused = Invalid value [0-9]+ expecting
[s]
file = skip.flat
EOF2
rt_run -t
t_eq "TAP with XFAIL: exit 0" 0 "$RT_RC"
t_eq "TAP with XFAIL: stream is valid" "" "$(tap_check "$RT/out")"
t_grep "TAP: not ok with a TODO directive and the reason" \
	"^not ok 2 - x # TODO expected failure: refused as expected: destination 1 said: qemu-system-aarch64: Invalid value 304 expecting positive value <= 293$" "$RT/out"
t_grep "TAP: its YAML block says XFAIL" "^  result: XFAIL$" "$RT/out"
t_grep "TAP: and gives the exit status" "^  exit_status: 78$" "$RT/out"
t_grep "TAP: summary comment counts it" "^# SUMMARY: 3 tests, 1 passed, 0 failed, 1 skipped, 1 expected failure " "$RT/out"
cp "$RT/out" "$RT/xfail.tap"
# A real consumer: prove (Test::Harness) reads the TODO point as passing,
# and not as "TODO passed" (a bug fixed), which "ok ... # TODO" would be.
if command -v prove >/dev/null 2>&1; then
	prove -e cat "$RT/xfail.tap" >"$RT/prove.out" 2>&1
	t_eq "prove: the XFAIL stream passes" 0 "$?"
	t_grep "prove: all tests successful" "^All tests successful" "$RT/prove.out"
	t_nogrep "prove: no 'TODO passed' (that would mean the problem is gone)" "TODO passed" "$RT/prove.out"
	# The same consumer fails a real failure, so the checks above can fail.
	rt_cfg xf.cfg <<'EOF2'
[x]
file = xfail.flat
[f]
file = fail.flat
EOF2
	rt_run -t
	prove -e cat "$RT/out" >"$RT/prove.out" 2>&1
	t_eq "prove: a stream with a FAIL beside the XFAIL fails" 1 "$?"
else
	echo "# prove not installed: the TAP consumer checks are left out"
fi

# --- JUnit --------------------------------------------------------------------------
rt_cfg x.cfg <<'EOF2'
[p]
file = pass.flat
[x]
file = xfail.flat
migration = unix
migration_refused = Invalid value [0-9]+ expecting
[s]
file = skip.flat
EOF2
rt_run --junit j.xml
junit_summary "$RT/j.xml" >"$RT/js"
t_nogrep "JUnit with XFAIL: parses" "PARSE ERROR" "$RT/js"
t_grep "JUnit: no failure or error; skipped counts the SKIP and the XFAIL" "^suite 3 0 0 2$" "$RT/js"
t_grep "JUnit: the XFAIL case is skipped, its message starting XFAIL: and giving the reason" \
	"^case x skipped:XFAIL: refused as expected: destination 1 said: qemu-system-aarch64: Invalid value 304 expecting positive value <= 293 \|" "$RT/js"
t_grep "JUnit: its system-out has the log's end" "^case x .*gvmigrate: XFAIL: refused as expected.*arm/run: XFAIL" "$RT/js"
t_grep "JUnit: the SKIP stays a plain skip" "^case s skipped:no GICv2 on this host " "$RT/js"
t_grep "JUnit: property expected_failures" "^property expected_failures 1$" "$RT/js"

# Colour on a terminal: yellow, as a skip, not red.
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
	script -qec "cd '$RT' && '$RUNNER' --config x.cfg" /dev/null >"$RT/tty" 2>&1
	t_grep "terminal: XFAIL in yellow" $'^\e\\[33mXFAIL\e\\[0m x ' "$RT/tty"
fi
rt_no_tmp "no temporary file left behind"
t_done
