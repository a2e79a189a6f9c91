#!/bin/bash
# tests/runner/logdirs.sh: each run writes and reads its own log directory
# (logs/run-DATE-TIME-PID/), so two run_tests.sh started in one checkout
# at once keep their results apart -- once, one run printed a PASS line
# built from the other's log and each JUnit file held the other's output.
# logs/latest points to the newest run.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup

# Run A's test prints its status late; run B's, with the same test name,
# starts while A's runs, prints its own at once and ends after A's printed.
rt_payload first 'touch "$RT_STARTED"; sleep 2; echo "EXIT: PASS from run A"; verdict 0 PASS'
rt_payload second 'echo "EXIT: PASS from run B"; sleep 3; verdict 0 PASS'
rt_cfg a.cfg <<'EOF2'
[t]
file = first.flat
EOF2
rt_cfg b.cfg <<'EOF2'
[t]
file = second.flat
EOF2
export RT_STARTED=$RT/a-started
(cd "$RT" && exec "$RUNNER" --config a.cfg --junit a.xml >"$RT/a.out" 2>&1) &
a=$!
for ((n = 0; n < 200; n++)); do [ -e "$RT_STARTED" ] && break; sleep 0.05; done
(cd "$RT" && exec "$RUNNER" --config b.cfg --junit b.xml >"$RT/b.out" 2>&1) &
b=$!
wait $a; rc_a=$?
wait $b; rc_b=$?
t_eq "two runs at once: both pass" "0 0" "$rc_a $rc_b"
t_grep "run A's line from run A's log" "^PASS t \(from run A, " "$RT/a.out"
t_grep "run B's line from run B's log" "^PASS t \(from run B, " "$RT/b.out"
t_grep "run A's JUnit holds run A's output" "from run A" "$RT/a.xml"
t_nogrep "run A's JUnit holds nothing of run B" "from run B" "$RT/a.xml"
t_nogrep "run B's JUnit holds nothing of run A" "from run A" "$RT/b.xml"
dirs=$(cd "$RT/logs" && ls -d run-*)
t_eq "two runs, two directories" 2 "$(wc -w <<<"$dirs")"
for d in $dirs; do
	t_eq "$d: one log, one run's" 1 "$(grep -c '^EXIT: PASS from run' "$RT/logs/$d/t.log")"
done
t_check "logs/latest is a symlink to one of them" \
	[ -L "$RT/logs/latest" -a -f "$RT/logs/latest/t.log" ]
t_grep "each run names its own directory" "logs in logs/run-[0-9]{8}-[0-9]{6}-$a/" "$RT/a.out"

# The newest run is logs/latest; old directories go beyond the newest 20,
# unless their run is alive.
rt_cfg c.cfg <<'EOF2'
[t]
file = pass.flat
EOF2
sleep 300 &
alive=$!
for ((n = 1; n <= 25; n++)); do mkdir "$RT/logs/run-20000101-0000$((10 + n))-$((4000000 + n))"; done
mkdir "$RT/logs/run-20000101-000000-$alive"
rt_run
t_eq "a third run: passes" 0 "$RT_RC"
latest=$(readlink "$RT/logs/latest")
t_grep "logs/latest: the newest run's directory" "logs in logs/$latest/" "$RT/out"
t_eq "old directories pruned to the newest 20, one of a live run kept" "21 1" \
	"$(cd "$RT/logs" && ls -d run-* | wc -l) $(cd "$RT/logs" && ls -d run-*-"$alive" | wc -l)"
t_check "the newest old directory kept" [ -d "$RT/logs/run-20000101-000035-4000025" ]
t_eq "no temporary link left" "" "$(cd "$RT/logs" && ls -A | grep -v '^run-\|^latest$')"
kill $alive
rt_no_tmp "no temporary file left behind"
t_done
