#!/bin/bash
# tests/runner/outcomes.sh: tables/outcomes.def is the one list of outcomes:
# C (tables/outcomes.h), bash (tables/outcomes.bash) and JSON
# (tables/outcomes.json) say the same; the generator refuses a status
# given twice; run_tests.sh reports each status with the table's result
# word (REFUSED included: counted as failed) and will not take an arm/run
# whose verdict names another outcome than its exit status.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
[ -f "$T_ROOT/tables/outcomes.bash" ] && [ -f "$T_ROOT/tables/outcomes.json" ] ||
	t_skip "tables/outcomes.bash/.json not generated (run make)"
. "$T_ROOT/config.mak" 2>/dev/null
cc=${HOST_CC:-cc}
tmp=$(t_tmpdir)

# --- the three languages agree ------------------------------------------------
. "$T_ROOT/tables/outcomes.bash"
bash_rows=$(for t in "${OUTCOME_TOKENS[@]}"; do echo "$t ${OUTCOME_STATUS[$t]} ${OUTCOME_RESULT[$t]} ${OUTCOME_FAILS[$t]}"; done)
json_rows=$(python3 -c 'import json,sys
for o in json.load(open(sys.argv[1]))["outcomes"]:
    print(o["token"], o["status"], o["result"], int(o["fails"]))' "$T_ROOT/tables/outcomes.json")
cat >"$tmp/c.c" <<'EOF2'
#include <stdio.h>
#include "outcomes.h"
int main(void)
{
#define OUTCOME(token, status, result, fails, meaning) \
	printf("%s %d %s %d\n", outcome_token(EXIT_##token), status, #result, fails);
#include "outcomes.def"
	return 0;
}
EOF2
"$cc" -I"$T_ROOT/tables" -o "$tmp/c" "$tmp/c.c" && c_rows=$("$tmp/c")
t_check "the table has rows" test "$(grep -c '^OUTCOME(' "$T_ROOT/tables/outcomes.def")" -ge 9
t_eq "bash and C agree" "$c_rows" "$bash_rows"
t_eq "JSON and C agree" "$c_rows" "$json_rows"
t_eq "the generated files are current" "$(cd "$T_ROOT" && ls -t tables/outcomes.def tables/outcomes.bash | head -n 1)" tables/outcomes.bash

# --- the generator refuses a status given twice --------------------------------
mkdir "$tmp/dup"
{ cat "$T_ROOT/tables/outcomes.def"; echo 'OUTCOME(AGAIN, 79, FAIL, 1, "a second 79")'; } >"$tmp/dup/outcomes.def"
cp "$T_ROOT/tables/outcomes-gen.c" "$tmp/dup/"
"$cc" -I"$tmp/dup" -o "$tmp/gen" "$tmp/dup/outcomes-gen.c"
t_status "outcomes-gen: a status given twice is an error" 1 "$tmp/gen" bash
t_grep "outcomes-gen: names both" "REFUSED and AGAIN have the same token or status 79" "$T_OUT"

# --- run_tests.sh maps arm/run's status through the table ------------------------
rt_setup
rt_payload refused 'echo "gvmigrate: RESULT REFUSED 79 1 migration 1 refused"; verdict 79 "REFUSED: migration 1 refused; destination 1: qemu-system-aarch64: Failed to load cpu"'
rt_payload liar 'verdict 79 "PASS (3 tests)"'
rt_payload odd 'verdict 42 "PASS"'
rt_cfg o.cfg <<'EOF2'
[refused]
file = refused.flat
[liar]
file = liar.flat
[odd]
file = odd.flat
EOF2
rt_run --junit "$RT/j.xml"
t_eq "a refusal fails the run: exit 1" 1 "$RT_RC"
t_grep "REFUSED: the table's result word, with arm/run's reason" '^REFUSED refused \(migration 1 refused; destination 1: qemu-system-aarch64: Failed to load cpu\)$' "$RT/out"
t_grep "a verdict naming another outcome than the status: ERROR saying so" \
	'^ERROR liar \(arm/run exited with status 79 \(REFUSED\) but its verdict says: PASS \(3 tests\)\)$' "$RT/out"
t_grep "a status that is no outcome: ERROR" '^ERROR odd \(PASS \(exit status 42\)\)$' "$RT/out"
t_grep "counted: the refusal as failed, the others as errors" '^SUMMARY: 3 tests, 0 passed, 3 failed \(2 errors\), 0 skipped' "$RT/out"
t_check "JUnit: the refusal is a failure" grep -q '<failure type="REFUSED"' "$RT/j.xml"
t_done
