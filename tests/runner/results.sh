#!/bin/bash
# tests/runner/results.sh: how each arm/run outcome is reported and counted:
# the result line, the SUMMARY, the exit status, the log, and what arm/run
# is given (argv, TIMEOUT, ACCEL).
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup

# one PAYLOAD [ARGS...]: run a one-test config "[t] file = PAYLOAD.flat".
one() {
	rt_cfg one.cfg <<<"[t]
file = $1.flat"
	shift
	rt_run "$@"
}

one pass
t_eq "pass: exit 0" 0 "$RT_RC"
t_grep "pass: result line with count and time" '^PASS t \(3 tests, [0-9]+\.[0-9]{2}s\)$' "$RT/out"
t_grep "pass: summary" '^SUMMARY: 1 test, 1 passed, 0 failed, 0 skipped in [0-9.]+s \(accel tcg, logs in logs/run-[0-9]{8}-[0-9]{6}-[0-9]+/\)$' "$RT/out"
t_nogrep "pass: no colour when not a terminal" $'\e' "$RT/out"

one fail
t_eq "fail: exit 1" 1 "$RT_RC"
t_grep "fail: result line with the payload's summary" '^FAIL t \(14 tests, 2 unexpected failures, 1 skipped, [0-9.]+s\)$' "$RT/out"
t_grep "fail: counted" '^SUMMARY: 1 test, 0 passed, 1 failed, 0 skipped' "$RT/out"

one skip
t_eq "skip: exit 0" 0 "$RT_RC"
t_grep "skip: reason from EXIT: line" '^SKIP t \(no GICv2 on this host\)$' "$RT/out"
rt_payload skip2 'echo "SKIP: gic: no GICv3"; echo "SKIP: gic: no ITS"; echo "SUMMARY: 2 tests, 0 unexpected failures, 2 skipped"; echo "EXIT: SKIP"; verdict 77 "SKIP (2 tests, 0 unexpected failures, 2 skipped)"'
one skip2
t_grep "skip: else reason from the last SKIP: line" '^SKIP t \(gic: no ITS\)$' "$RT/out"

one timeout
t_eq "timeout: counted as failure, exit 1" 1 "$RT_RC"
t_grep "timeout: result line" '^TIMEOUT t \(after 90s\)$' "$RT/out"
t_grep "timeout: summary says failed and why" '^SUMMARY: 1 test, 0 passed, 1 failed \(1 timed out\), 0 skipped' "$RT/out"

one qemuerr
t_eq "QEMU error (arm/run exit 2): a failure, exit 1" 1 "$RT_RC"
t_grep "QEMU error: ERROR with the arm/run verdict" "^ERROR t \(QEMU_ERROR: qemu-system-aarch64: -foo: invalid option\)$" "$RT/out"
t_nogrep "QEMU error: not a SKIP" "^SKIP" "$RT/out"

# A harness error (arm/run exit 3: QEMU binary missing) stops the run.
rt_cfg h.cfg <<'EOF2'
[a]
file = harness.flat
[b]
file = pass.flat
EOF2
rt_run
t_eq "harness error: exit 3" 3 "$RT_RC"
t_grep "harness error: ERROR line names the problem" "^ERROR a \(HARNESS_ERROR: QEMU binary 'nope' not found\)$" "$RT/out"
t_grep "harness error: says the run stopped" "run_tests.sh: stopped: arm/run reported a harness error in a" "$RT/err"
t_eq "harness error: later tests not started" 1 "$(rt_calls)"
t_grep "harness error: summary counts the rest as not run" "^SUMMARY: 1 test, 0 passed, 1 failed \(1 error\), 0 skipped, 1 not run" "$RT/out"

# An arm/run that ignores TIMEOUT is stopped by run_tests.sh's backstop.
rt_payload deaf 'fake_qemu 30'
start=$SECONDS
TIMEOUT=1s GUESTVIEW_TIMEOUT_GRACE=0 one deaf
t_eq "deaf arm/run: counted as failure" 1 "$RT_RC"
t_grep "deaf arm/run: TIMEOUT, killed by run_tests.sh" "^TIMEOUT t \(arm/run did not stop by itself; run_tests.sh killed it after 1s\)" "$RT/out"
t_check "deaf arm/run: stopped within 4s" [ $((SECONDS - start)) -le 4 ]
t_check "deaf arm/run: its QEMU is gone" eval "! pgrep -f 'fake-qemu $RT/arm/deaf' >/dev/null"

# An arm/run SIGKILLed from outside after the backstop's SIGTERM (which it
# ignores) but before the backstop's own SIGKILL (5 s later): killed, not
# timed out.
rt_payload killed 'trap "" TERM; sleep 1.5; kill -KILL $$'
TIMEOUT=1s GUESTVIEW_TIMEOUT_GRACE=0 one killed
t_grep "arm/run SIGKILLed before the backstop's SIGKILL: an ERROR saying so" \
	"^ERROR t \(arm/run was killed \(SIGKILL\) after 1\.[0-9]+s\)$" "$RT/out"

one pass -v
t_eq "-v: the console output, then the result line" "stub-argv: [-smp] [1]|stub-env: TIMEOUT=90s ACCEL=tcg|SUMMARY: 3 tests, 0 unexpected failures|EXIT: PASS|arm/run: PASS (3 tests, 0 unexpected failures)|PASS t" \
	"$(grep -v '^SUMMARY: 1 test' "$RT/out" | sed -E 's/^(PASS t) .*/\1/' | tr '\n' '|' | sed 's/|$//')"
t_eq "-v: the log is the same (command line, then output)" 6 "$(wc -l <"$RT/logs/latest/t.log")"

# Failures do not stop the run, and any of them makes the status non-zero.
rt_cfg mix.cfg <<'EOF2'
[p]
file = pass.flat
[f]
file = fail.flat
[s]
file = skip.flat
[p2]
file = pass.flat
EOF2
rt_run
t_eq "mixed: exit 1" 1 "$RT_RC"
t_eq "mixed: one line per test, in order" "PASS p FAIL f SKIP s PASS p2" \
	"$(grep -E '^(PASS|FAIL|SKIP)' "$RT/out" | cut -d' ' -f1,2 | tr '\n' ' ' | sed 's/ $//')"
t_grep "mixed: summary" '^SUMMARY: 4 tests, 2 passed, 1 failed, 1 skipped' "$RT/out"

# What arm/run is given.
rt_cfg args.cfg <<'EOF2'
[a]
file = pass.flat
smp = 2
extra_params = -m 256 -device "virtio-rng,id=r 1" '$HOME' $(echo pwned)
test_args = setup smp=2 mem=256
timeout = 7s
EOF2
rt_run
t_grep "argv: -smp, extra_params as words (nothing expanded), -append" \
	"^stub-argv: \[-smp\] \[2\] \[-m\] \[256\] \[-device\] \[virtio-rng,id=r 1\] \[\\\$HOME\] \[\\\$\(echo\] \[pwned\)\] \[-append\] \[setup smp=2 mem=256\]$" "$RT/logs/latest/a.log"
t_grep "env: the cfg timeout, and the accel" "^stub-env: TIMEOUT=7s ACCEL=tcg$" "$RT/logs/latest/a.log"
t_grep "log: first line is the full command line" \
	"^TIMEOUT=7s ACCEL=tcg $RT/stub-run $RT/arm/pass.flat -smp 2 -m 256 -device 'virtio-rng,id=r 1' '\\\$HOME' '\\\$\(echo' 'pwned\)' -append 'setup smp=2 mem=256'$" "$RT/logs/latest/a.log"
t_eq "log: the command line comes first" "TIMEOUT=7s" "$(head -n 1 "$RT/logs/latest/a.log" | cut -d' ' -f1)"
t_grep "log: arm/run's verdict is kept" "^arm/run: PASS" "$RT/logs/latest/a.log"
TIMEOUT=3s rt_run
t_grep "env TIMEOUT overrides the cfg timeout" "^stub-env: TIMEOUT=3s " "$RT/logs/latest/a.log"

# accel and arch mismatches are SKIPs decided without starting arm/run.
rt_cfg acc.cfg <<'EOF2'
[k]
file = pass.flat
accel = kvm
[x]
file = notbuilt.flat
arch = x86_64
[t]
file = pass.flat
accel = tcg
EOF2
rt_run
t_eq "accel/arch: exit 0" 0 "$RT_RC"
t_grep "accel kvm under tcg: SKIP with reason" "^SKIP k \(needs accel kvm, running with tcg\)$" "$RT/out"
t_grep "other arch: SKIP with reason (payload need not exist)" "^SKIP x \(arch x86_64, this suite runs arm64 payloads\)$" "$RT/out"
t_grep "matching accel: runs" "^PASS t " "$RT/out"
t_eq "accel/arch: only the matching test started" 1 "$(rt_calls)"
ACCEL=kvm rt_run
t_grep "ACCEL=kvm: the tcg test skips" "^SKIP t \(needs accel tcg, running with kvm\)$" "$RT/out"

# Colours: only on a terminal, and not with NO_COLOR.
# (script(1) gives run_tests.sh a terminal; without a working one, skip.)
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
	one pass
	script -qec "cd '$RT' && '$RUNNER' --config one.cfg" /dev/null >"$RT/tty" 2>&1
	t_grep "terminal: PASS in green" $'^\e\\[32mPASS\e\\[0m t ' "$RT/tty"
	NO_COLOR=1 script -qec "cd '$RT' && '$RUNNER' --config one.cfg" /dev/null >"$RT/tty" 2>&1
	t_nogrep "terminal with NO_COLOR: no escapes" $'\e' "$RT/tty"
fi

rt_no_tmp "no temporary file left behind"
t_done
