#!/bin/bash
# tests/runner/real_migration.sh: the migration keys with the real arm/run,
# host/gvmigrate and QEMU (TCG): a `migration = unix` entry passes; a known
# incompatibility with `migration_refused` is an XFAIL that does not fail
# the run; the same refusal expected with the wrong diagnosis is a FAIL.
# With QEMU 10.0 set up (deps/qemu10, scripts/setup-deps.sh), one
# cross-version entry each way too.
# Skips (77) until arm/run, arm/migrate.flat, host/gvmigrate and QEMU are there.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup_real arm/migrate.flat host/gvmigrate
# The refusals were measured under TCG; under KVM the registers are the host's.
export ACCEL=tcg
rt_cfg mig.cfg <<'EOF2'
[unix]
file = migrate.flat
smp = 2
migration = unix
test_args = count=2 rate_ms=0
timeout = 60s

[nosve]
file = migrate.flat
extra_params = -cpu max
migration = unix
dest_params = -cpu max,sve=off
migration_refused = cpreg_vmstate_array_len|Invalid value [0-9]+ expecting positive value <= [0-9]+
test_args = count=1 rate_ms=0
timeout = 60s

[nosve-other-diagnosis]
file = migrate.flat
extra_params = -cpu max
migration = unix
dest_params = -cpu max,sve=off
migration_refused = guestview-no-qemu-says-this
test_args = count=1 rate_ms=0
timeout = 60s

[same-config-expected-refusal]
file = migrate.flat
migration = unix
migration_refused = cpreg_vmstate_array_len
test_args = count=1 rate_ms=0
timeout = 60s
EOF2

rt_run unix nosve
t_eq "a migration and a known refusal: exit 0" 0 "$RT_RC"
t_grep "migration = unix: PASS" "^PASS unix \([0-9]+ tests, .*[0-9.]+s\)$" "$RT/out"
t_grep "the log shows gvmigrate's migrations" "^gvmigrate: migration 2 \(unix\)" "$RT/logs/latest/unix.log"
t_grep "max -> max,sve=off: XFAIL with QEMU's diagnosis" \
	"^XFAIL nosve \(refused as expected: destination 1 said: .*(cpreg_vmstate_array_len|Invalid value [0-9]+ expecting positive value <= [0-9]+)" "$RT/out"
t_grep "counted in the SUMMARY" "^SUMMARY: 2 tests, 1 passed, 0 failed, 0 skipped, 1 expected failure " "$RT/out"
t_grep "arm/run's verdict is XFAIL" "^arm/run: XFAIL: " "$RT/logs/latest/nosve.log"

rt_run nosve-other-diagnosis same-config-expected-refusal
t_eq "an expected refusal that does not happen as expected: exit 1" 1 "$RT_RC"
t_grep "refused for another reason: FAIL" "^FAIL nosve-other-diagnosis \(.*refused" "$RT/out"
t_grep "not refused at all: FAIL" "^FAIL same-config-expected-refusal \(.*" "$RT/out"
t_grep "gvmigrate says the incompatibility is gone" "expected to be refused .* succeeded" "$RT/logs/latest/same-config-expected-refusal.log"

# Across QEMU versions, when scripts/setup-deps.sh set up QEMU 10.0.
q10=deps/qemu10/usr/bin/qemu-system-aarch64
if [ -x "$T_ROOT/$q10" ]; then
	rt_cfg xv.cfg <<EOF2
[q10-control]
file = migrate.flat
extra_params = -machine virt-7.2,gic-version=3 -cpu cortex-a57
qemu = $q10
migration = unix
test_args = count=2 rate_ms=0
timeout = 60s

[to-10.0]
file = migrate.flat
extra_params = -machine virt-7.2,gic-version=3 -cpu cortex-a57
migration = unix
dest_qemu = $q10
migration_refused = of device 'cpu'
test_args = count=1 rate_ms=0
timeout = 60s

[to-7.2]
file = migrate.flat
extra_params = -machine virt-7.2,gic-version=3 -cpu cortex-a57
qemu = $q10
migration = unix
dest_qemu = ${qemu:-qemu-system-aarch64}
migration_refused = cpreg_vmstate_array_len|Invalid value [0-9]+ expecting positive value <= [0-9]+
test_args = count=1 rate_ms=0
timeout = 60s
EOF2
	rt_run
	t_eq "cross-version: exit 0" 0 "$RT_RC"
	t_grep "QEMU 10.0 with itself (qemu key, a path from the repo root): PASS" "^PASS q10-control " "$RT/out"
	t_grep "the log's command line names QEMU 10.0 for source and destination" \
		"^/.*/host/gvmigrate .* -- $T_ROOT/$q10 .* -- $T_ROOT/$q10 " <(sed -n 2p "$RT/logs/latest/q10-control.log")
	t_grep "7.2 -> 10.0 (dest_qemu): XFAIL" "^XFAIL to-10.0 \(refused as expected: destination 1 said: .*device 'cpu'" "$RT/out"
	t_grep "10.0 -> 7.2: XFAIL" "^XFAIL to-7.2 \(refused as expected: destination 1 said: " "$RT/out"
else
	echo "# $q10 not set up (scripts/setup-deps.sh): cross-version checks left out"
fi
rt_no_tmp "no temporary file left behind"
t_done
