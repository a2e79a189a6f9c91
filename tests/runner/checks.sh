#!/bin/bash
# tests/runner/checks.sh: results per check.  A payload's report() lines
# (lib/report.c) become TAP subtests of the payload's test point and JUnit
# testcases of their own, named by the check, with the detail apart; the
# one line per payload stays.  The format's table (scripts/runner/
# checks.bash) must list lib/report.c's verdicts, and a real payload's
# output must parse into as many checks as its SUMMARY counts.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup

# tap_tree FILE: what is wrong with FILE as TAP 13 with indented subtests
# (nothing if valid), then one line per point: "DEPTH STATUS NAME".
tap_tree() {
	python3 - "$1" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")[:-1]
err, out = [], []
if lines[:1] != ["TAP version 13"]:
    err.append("first line is not 'TAP version 13'")
# per indentation level: the points since the last plan
points = {0: [], 4: []}
yaml = None
for n, l in enumerate(lines[1:], 2):
    ind = len(l) - len(l.lstrip(" "))
    body = l[ind:]
    if yaml is not None:
        if body == "..." and ind == yaml:
            yaml = None
        elif ind < yaml:
            err.append(f"line {n}: YAML block not indented: {l!r}")
        continue
    if body == "---" and ind - 2 in points:
        yaml = ind
        continue
    if ind not in points:
        err.append(f"line {n}: bad indentation: {l!r}")
        continue
    m = re.fullmatch(r"(not )?ok (\d+) - ((?:[^#\\]|\\.)+?)( # (SKIP|TODO)( .*)?)?", body)
    if m:
        points[ind].append(int(m.group(2)))
        name = re.sub(r"\\(.)", r"\1", m.group(3))
        st = ("not ok" if m.group(1) else "ok") + (" " + m.group(5) if m.group(5) else "")
        out.append(f"{ind // 4} {st} {name}")
        if ind == 0 and points[4]:
            err.append(f"line {n}: subtest without its plan")
    elif re.fullmatch(r"1\.\.(\d+)", body):
        if int(body[3:]) != len(points[ind]) or points[ind] != list(range(1, len(points[ind]) + 1)):
            err.append(f"line {n}: plan {body} for points {points[ind]}")
        if ind:
            points[ind] = []
    elif not body.startswith("#"):
        err.append(f"line {n}: not TAP: {l!r}")
print("\n".join(err + out))
PY
}

# junit_cases FILE: the suite's counts, then "classname|name|kind|message"
# per testcase (or the parse error).
junit_cases() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
except Exception as e:
    print("PARSE ERROR:", e); sys.exit()
print("suite", *(suite.get(k) for k in ("tests", "failures", "errors", "skipped")))
for tc in suite.findall("testcase"):
    kind, msg = "pass", ""
    for k in ("failure", "error", "skipped"):
        el = tc.find(k)
        if el is not None:
            kind, msg = k, el.get("message")
    print(f"{tc.get('classname')}|{tc.get('name')}|{kind}|{msg}")
PY
}

# A payload whose checks mix every verdict, a repeated name, a note, '\r'
# line ends and a name with control characters and markup.
rt_payload checks 'printf "PASS: cpu0: regs equal (0 of 5 differ)\n"
printf "INFO: collected in 123 ticks\n"
printf "FAIL: cpu0: MIDR_EL1 is the model'"'"'s; got 0x1, expected 0x2\r\n"
printf "PASS: cpu0: regs equal (5 of 5 differ)\n"
printf "SKIP: gic: no ITS (gic-version=2)\n"
printf "XFAIL: known quirk\nKFAIL: probe x (class N): leaks; ID = 0\nXPASS: fixed after all\n"
printf "PASS: esc \001\033[31m<b>&#1\n"
printf "  PASS: not at column 0\nSUMMARY: 8 tests, 2 unexpected failures\nEXIT: FAIL\n"
verdict 1 "FAIL (8 tests, 2 unexpected failures)"'
rt_cfg c.cfg <<'EOF2'
[c]
file = checks.flat
[p]
file = pass.flat
[k]
file = checks.flat
accel = kvm
EOF2

rt_run -t
t_eq "TAP: exit 1 (a check failed)" 1 "$RT_RC"
tap_tree "$RT/out" >"$RT/tree"
t_nogrep "TAP: stream with subtests is valid" '^(line|first)' "$RT/tree"
t_eq "TAP: one subtest point per check, then the payload's point" \
	"1 ok cpu0: regs equal|1 not ok cpu0: MIDR_EL1 is the model's|1 ok cpu0: regs equal [2]|1 ok SKIP gic: no ITS|1 not ok TODO known quirk|1 not ok TODO probe x|1 not ok fixed after all|1 ok esc ??[31m<b>&#1|0 not ok c|0 ok p|0 ok SKIP k" \
	"$(tr '\n' '|' <"$RT/tree" | sed 's/|$//')"
t_grep "TAP: the subtest is named by its test" '^    # Subtest: c$' "$RT/out"
t_grep "TAP: '#' in a check name is escaped" '^    ok 8 - esc \?\?\[31m<b>&\\#1$' "$RT/out"
t_grep "TAP: a failed check's detail in its YAML block" '^      detail: "got 0x1, expected 0x2"$' "$RT/out"
t_grep "TAP: the runner's SKIP has no subtest" '^ok 3 - k # SKIP needs accel kvm' "$RT/out"
t_eq "TAP: the top level is unchanged: 3 points, plan 1..3" "1..3" "$(tail -n 1 "$RT/out")"

rt_run --junit junit.xml
junit_cases "$RT/junit.xml" >"$RT/jc"
t_nogrep "JUnit: parses" "PARSE ERROR" "$RT/jc"
# 3 payloads + 8 checks; failures: payload c, FAIL, XPASS; skipped: k, SKIP,
# XFAIL, KFAIL.
t_grep "JUnit: counts include the checks (tests failures errors skipped)" '^suite 11 3 0 4$' "$RT/jc"
t_eq "JUnit: the payload's testcase, then one per check, classname the test" \
	"guestview|c|failure|c|cpu0: regs equal|pass|c|cpu0: MIDR_EL1 is the model's|failure|c|cpu0: regs equal [2]|pass|c|gic: no ITS|skipped|c|known quirk|skipped|c|probe x|skipped|c|fixed after all|failure|c|esc ??[31m<b>&#1|pass|guestview|p|pass|guestview|k|skipped" \
	"$(sed 1d "$RT/jc" | cut -d'|' -f1-3 | tr '\n' '|' | sed 's/|$//')"
t_grep "JUnit: a failed check's message is its detail" "^c\|cpu0: MIDR_EL1 is the model's\|failure\|got 0x1, expected 0x2$" "$RT/jc"
t_grep "JUnit: a known failure says so" '^c\|probe x\|skipped\|KFAIL: \(class N\): leaks; ID = 0$' "$RT/jc"
t_grep "JUnit: the skip's reason" '^c\|gic: no ITS\|skipped\|\(gic-version=2\)$' "$RT/jc"

# The same names on the next run: nothing in a name comes from the run.
cp "$RT/jc" "$RT/jc.1"
rt_run --junit junit.xml
junit_cases "$RT/junit.xml" >"$RT/jc"
t_eq "JUnit: check names are the same on a second run" "$(cut -d'|' -f1,2 "$RT/jc.1")" "$(cut -d'|' -f1,2 "$RT/jc")"

# The table lists lib/report.c's verdicts (INFO is a note, not a check).
# shellcheck source=scripts/runner/checks.bash
. "$T_ROOT/scripts/runner/checks.bash"
c_words=$( { grep -A2 'verdict_names\[\] =' "$T_ROOT/lib/report.c" | grep -o '"[A-Z]*"' | tr -d '"'
	grep -o 'printf("[A-Z]*: %s%s' "$T_ROOT/lib/report.c" | sed 's/printf("//; s/: .*//'; } | sort -u | tr '\n' ' ')
t_eq "the table's verdicts are lib/report.c's" "$c_words" "$(printf '%s\n' ${CHECK_VERDICTS//|/ } INFO | sort -u | tr '\n' ' ')"

# A real payload's output parses: as many checks as its SUMMARY counts.
if [ -f "$T_ROOT/arm/selftest.flat" ] && command -v qemu-system-aarch64 >/dev/null; then
	ACCEL=tcg TIMEOUT=60s "$T_ROOT/arm/run" "$T_ROOT/arm/selftest.flat" -smp 2 -m 256 \
		-append 'setup smp=2 mem=256 vectors' >"$RT/real.log" 2>&1
	checks_read "$RT/real.log"
	n=$(sed -n 's/^SUMMARY: \([0-9]*\) tests.*/\1/p' "$RT/real.log")
	t_eq "a real payload's checks all parse (SUMMARY's count)" "${n:-none}" "${#CHECK_NAME[@]}"
	t_eq "a real payload's checks have their names" "setup: argv[0] is the payload name|(selftest)" \
		"${CHECK_NAME[0]}|${CHECK_DETAIL[0]}"
else
	echo "# no QEMU or arm/selftest.flat: the real payload's output is not parsed"
fi
rt_no_tmp "no temporary file left behind"
t_done
