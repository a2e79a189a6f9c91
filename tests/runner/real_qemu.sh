#!/bin/bash
# tests/runner/real_qemu.sh: run_tests.sh with the real arm/run and QEMU: a
# payload passes, an invalid QEMU option is a failure (ERROR, exit 1, never
# a SKIP), and a missing QEMU binary is a harness error (exit 3).
# Skips (77) until arm/run, arm/selftest.flat and QEMU are there.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup_real arm/selftest.flat
unset ACCEL
rt_cfg real.cfg <<'EOF2'
[vectors]
file = selftest.flat
test_args = vectors
timeout = 30s

[badopt]
file = selftest.flat
extra_params = -no-such-option-guestview
timeout = 30s
EOF2

rt_run
t_eq "real QEMU: exit 1 (one failure)" 1 "$RT_RC"
t_grep "real QEMU: the payload passes" "^PASS vectors \([0-9]+ tests, [0-9.]+s\)$" "$RT/out"
t_grep "invalid QEMU option: ERROR naming the option" "^ERROR badopt \(QEMU_ERROR: .*-no-such-option-guestview: invalid option\)$" "$RT/out"
t_grep "invalid QEMU option: counted as a failure" "^SUMMARY: 2 tests, 1 passed, 1 failed \(1 error\), 0 skipped" "$RT/out"
t_grep "log: command line first" "^TIMEOUT=30s ACCEL=(tcg|kvm) .*/arm/run .*/arm/selftest.flat -smp 1 -no-such-option-guestview$" <(head -n 1 "$RT/logs/latest/badopt.log")

QEMU=$RT/no-such-qemu rt_run vectors
t_eq "missing QEMU binary: exit 3" 3 "$RT_RC"
t_grep "missing QEMU binary: says so" "^ERROR vectors \(HARNESS_ERROR: QEMU binary '.*/no-such-qemu' not found" "$RT/out"
rt_no_tmp "no temporary file left behind"
t_done
