#!/bin/bash
# tests/runner/timeouts.sh: every form of TIMEOUT that run_tests.sh accepts
# (a fraction with a unit, 0 = no limit, plain seconds) works the same in
# every entry, a real `migration = unix` one included: arm/run and
# run_tests.sh read it with the one parser (scripts/runner/durations.bash),
# and gvmigrate gets the same limit in whole seconds (rounded up; 0 = none).
# Skips (77) until arm/run, the payloads, host/gvmigrate and QEMU are there.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup_real arm/migrate.flat arm/selftest.flat host/gvmigrate
rt_cfg t.cfg <<'EOF2'
[plain]
file = selftest.flat
test_args = vectors

[unix]
file = migrate.flat
migration = unix
test_args = count=1 rate_ms=0
EOF2

# TIMEOUT -> the --timeout gvmigrate must get.
for t in 1.5m:90 0:0 90:90; do
	val=${t%:*} secs=${t#*:}
	TIMEOUT=$val rt_run
	t_eq "TIMEOUT=$val: exit 0" 0 "$RT_RC"
	t_grep "TIMEOUT=$val: the plain entry passes" "^PASS plain " "$RT/out"
	t_grep "TIMEOUT=$val: the migration entry passes" "^PASS unix " "$RT/out"
	t_grep "TIMEOUT=$val: gvmigrate gets --timeout $secs" "/host/gvmigrate --timeout $secs --mode unix " "$RT/logs/latest/unix.log"
done
rt_no_tmp "no temporary file left behind"
t_done
