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
# What the migration keys give arm/run, when any is set.
[ -z "${QEMU+s}${MIGRATION+s}${DEST_QEMU+s}${DEST_PARAMS+s}${MIGRATION_REFUSAL+s}" ] ||
	printf 'stub-mig: QEMU=[%s] MIGRATION=[%s] DEST_QEMU=[%s] DEST_PARAMS=[%s] MIGRATION_REFUSAL=[%s]\n' \
		"${QEMU-unset}" "${MIGRATION-unset}" "${DEST_QEMU-unset}" "${DEST_PARAMS-unset}" "${MIGRATION_REFUSAL-unset}"
echo "${payload##*/}" >>"${payload%/*}/../calls"
verdict() { echo "arm/run: $2" >&2; exit "$1"; }
# fake_qemu SECONDS: a child that stands for QEMU, findable by pgrep -f
# (its argv holds the payload path); SIGTERM stops it as arm/run would.
# The trap comes first, as in arm/run: a SIGTERM between starting the
# child and trapping killed the stub and left its "QEMU" running.
fake_qemu() {
	trap 'q=${qemu:-$!}; [ -z "$q" ] || { kill $q 2>/dev/null; wait $q; }; verdict 130 INTERRUPTED' TERM
	(exec -a "fake-qemu $payload" sleep "$1") &
	qemu=$!
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
		rt_payload qemuerr 'echo "qemu-system-aarch64: -foo: invalid option" >&2; verdict 2 "QEMU_ERROR: qemu-system-aarch64: -foo: invalid option"'
		rt_payload harness "verdict 3 \"HARNESS_ERROR: QEMU binary 'nope' not found\""
		rt_payload hang 'echo "EXIT: PASS"; fake_qemu 1000'
		rt_payload slow 'fake_qemu 0.5; echo "EXIT: PASS"; verdict 0 PASS'
		# A known incompatibility, refused as expected: what arm/run and
		# gvmigrate print then (arm/run exit 78).
		rt_payload xfail 'echo "destination 1: qemu-system-aarch64: Invalid value 304 expecting positive value <= 293"
echo "gvmigrate: migration 1 refused: source status '"'active'"'"
echo "gvmigrate: destination 1 said: qemu-system-aarch64: Invalid value 304 expecting positive value <= 293"
echo "gvmigrate: XFAIL: refused as expected (/${MIGRATION_REFUSAL-}/)"
verdict 78 "XFAIL: migration 1 refused: source status '"'active'"'"'
	}
	export GUESTVIEW_RUN=$RT/stub-run GUESTVIEW_PAYLOAD_DIR=$RT/arm GUESTVIEW_LOG_DIR=$RT/logs
	export TMPDIR=$RT/tmp ACCEL=tcg
	unset TIMEOUT NO_COLOR GUESTVIEW_TIMEOUT_GRACE QEMU
	unset MIGRATION DEST_QEMU DEST_PARAMS MIGRATION_REFUSAL SAVE_STATE RESTORE_STATE
}

# rt_setup_real FILE...: rt_setup for a test that runs the real arm/run and
# QEMU: skips unless arm/run, each FILE (from the repository's root: the
# payloads, host/gvmigrate) and QEMU are there; no stub, the user's QEMU kept.
rt_setup_real() {
	local f qemu=${QEMU:-}
	for f in arm/run "$@"; do
		[ -e "$T_ROOT/$f" ] || t_skip "$f not built (run make)"
	done
	command -v "${QEMU:-qemu-system-aarch64}" >/dev/null || t_skip "no QEMU (${QEMU:-qemu-system-aarch64})"
	rt_setup
	unset GUESTVIEW_RUN GUESTVIEW_PAYLOAD_DIR
	[ -z "$qemu" ] || export QEMU=$qemu
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

# tap_check FILE: prints what is wrong with FILE as TAP 13 (nothing if valid).
tap_check() {
	python3 - "$1" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
err = []
if not lines or lines[0] != "TAP version 13":
    err.append("first line is not 'TAP version 13'")
points, plan, in_yaml = [], None, False
for n, l in enumerate(lines[1:], 2):
    if in_yaml:
        if l == "  ...":
            in_yaml = False
        elif not l.startswith("  "):
            err.append(f"line {n}: YAML block not indented: {l!r}")
        continue
    if plan is not None:
        err.append(f"line {n}: after the plan: {l!r}")
    m = re.fullmatch(r"(not )?ok (\d+) - (\S+)( # (SKIP|TODO) \S.*)?", l)
    if m:
        points.append(int(m.group(2)))
    elif l == "  ---":
        if not points:
            err.append(f"line {n}: YAML block before any test point")
        in_yaml = True
    elif re.fullmatch(r"1\.\.(\d+)", l):
        plan = int(l[3:])
    elif not l.startswith("#"):
        err.append(f"line {n}: not TAP: {l!r}")
if in_yaml:
    err.append("unterminated YAML block")
if plan is None:
    err.append("no plan")
elif plan != len(points):
    err.append(f"plan 1..{plan} but {len(points)} test points")
if points != list(range(1, len(points) + 1)):
    err.append(f"test points not numbered 1..N: {points}")
print("\n".join(err))
PY
}

# junit_summary FILE: parses FILE and prints its counts and cases, one line
# each, or the parse error.
junit_summary() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception as e:
    print("PARSE ERROR:", e); sys.exit()
suite = root.find("testsuite")
print("suite", *(suite.get(k) for k in ("tests", "failures", "errors", "skipped")))
for tc in suite.findall("testcase"):
    kind = "pass"
    for k in ("failure", "error", "skipped"):
        el = tc.find(k)
        if el is not None:
            kind = k + ":" + (el.get("message") or "")
    out = tc.find("system-out")
    float(tc.get("time"))
    print("case", tc.get("name"), kind, "|", (out.text or "").replace("\n", "\\n")[-300:] if out is not None else "NO-SYSTEM-OUT")
for p in suite.iter("property"):
    print("property", p.get("name"), p.get("value"))
PY
}
