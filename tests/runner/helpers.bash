# tests/runner/helpers.bash: what the tests of run_tests.sh share (sourced,
# not a test itself: tests/run.sh only runs *.sh).
#
# rt_setup builds a scratch world in the test's t_tmpdir: a stub arm/run
# (GUESTVIEW_RUN), a payload directory whose "payloads" are bash snippets
# the stub sources (so each test says what arm/run does: pass, fail, hang,
# print garbage...), a log directory and a private TMPDIR, so that a test
# can check run_tests.sh left no temporary file behind.  Nothing needs QEMU.

# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
RUNNER=$T_ROOT/run_tests.sh

rt_setup() {
	RT=$(t_tmpdir)
	mkdir -p "$RT/arm" "$RT/logs" "$RT/tmp"
	# shellcheck disable=SC2016 # the stub's text, expanded when it runs
	cat >"$RT/stub-run" <<'EOF'
#!/bin/bash
# Stub arm/run: records how it was called, then runs the payload snippet.
payload=$1
shift
printf 'stub-argv:'; printf ' [%s]' "$@"; echo
echo "stub-env: TIMEOUT=${TIMEOUT-unset} ACCEL=${ACCEL-unset}"
echo "${payload##*/}" >>"${payload%/*}/../calls"
verdict() { echo "arm/run: $2" >&2; exit "$1"; }
# fake_qemu SECONDS: a child that stands for QEMU, findable by pgrep -f
# (its argv holds the payload path); SIGTERM stops it as arm/run would.
fake_qemu() {
	(exec -a "fake-qemu $payload" sleep "$1") &
	qemu=$!
	trap 'kill $qemu 2>/dev/null; wait $qemu; verdict 130 interrupted' TERM
	wait $qemu
}
. "$payload"
EOF
	chmod +x "$RT/stub-run"
	# shellcheck disable=SC2016 # snippets, expanded when the stub runs them
	{
		rt_payload pass 'echo "SUMMARY: 3 tests, 0 unexpected failures"; echo "EXIT: PASS"; verdict 0 "PASS (3 tests, 0 unexpected failures)"'
		rt_payload fail 'echo "SUMMARY: 14 tests, 2 unexpected failures, 1 skipped"; echo "EXIT: FAIL"; verdict 1 "FAIL (14 tests, 2 unexpected failures, 1 skipped)"'
		rt_payload skip 'echo "EXIT: SKIP no GICv2 on this host"; verdict 77 "SKIP"'
		rt_payload timeout 'verdict 124 "TIMEOUT after $TIMEOUT"'
		rt_payload qemuerr 'echo "qemu-system-aarch64: -foo: invalid option" >&2; verdict 2 "QEMU error: qemu-system-aarch64: -foo: invalid option"'
		rt_payload harness "verdict 3 \"harness error: QEMU binary 'nope' not found\""
		rt_payload hang 'echo "EXIT: PASS"; fake_qemu 1000'
		rt_payload slow 'fake_qemu 0.5; echo "EXIT: PASS"; verdict 0 PASS'
	}
	export GUESTVIEW_RUN=$RT/stub-run GUESTVIEW_PAYLOAD_DIR=$RT/arm GUESTVIEW_LOG_DIR=$RT/logs
	export TMPDIR=$RT/tmp ACCEL=tcg
	unset TIMEOUT NO_COLOR GUESTVIEW_TIMEOUT_GRACE QEMU
}

# rt_payload NAME BODY: the payload NAME.flat, whose stub behaviour is BODY.
rt_payload() { printf '%s\n' "$2" >"$RT/arm/$1.flat"; }

# rt_cfg FILE: write the config FILE (under $RT) from stdin; RT_CFG = path.
rt_cfg() {
	RT_CFG=$RT/$1
	cat >"$RT_CFG"
}

# rt_run ARGS...: run_tests.sh, from $RT, with the config; stdout in
# $RT/out, stderr in $RT/err, exit status in RT_RC.  Clears the stub's
# call record first.
rt_run() {
	rm -f "$RT/calls"
	(cd "$RT" && exec "$RUNNER" --config "${RT_CFG#"$RT"/}" "$@" >"$RT/out" 2>"$RT/err")
	# shellcheck disable=SC2034 # for the test file
	RT_RC=$?
}

# rt_calls: how many times the stub was started by the last rt_run.
rt_calls() {
	if [ -f "$RT/calls" ]; then wc -l <"$RT/calls" | tr -d ' '; else echo 0; fi
}

# rt_no_tmp DESC: run_tests.sh left nothing in the private TMPDIR.
rt_no_tmp() { t_eq "$1" "" "$(ls -A "$RT/tmp")"; }
