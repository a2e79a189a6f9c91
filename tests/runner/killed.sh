#!/bin/bash
# tests/runner/killed.sh: a run_tests.sh that is SIGKILLed (the OOM killer, a
# CI job cancelled hard), or one of its per-test jobs, cannot stop its tests
# itself: each link has a parent-death signal, so timeout(1), arm/run and
# "QEMU" are gone within seconds, not at their deadline.  The temporary
# directory the killed run could not remove is removed by the next run.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
rt_cfg k.cfg <<'EOF2'
[h1]
file = hang1.flat
[h2]
file = hang2.flat
EOF2
cp "$RT/arm/hang.flat" "$RT/arm/hang1.flat"
cp "$RT/arm/hang.flat" "$RT/arm/hang2.flat"
rt_cfg p.cfg <<<$'[p]\nfile = pass.flat'

# hangs: pids of the stub "QEMU"s running.
hangs() { pgrep -f "fake-qemu $RT/arm/hang"; }
# left: every process of the killed tests still there (the stubs, timeout(1)
# and the jobs name the payload's path), one line each: all of them when the
# runner was killed, the first test's when its job was.
left() { pgrep -fa "$RT/arm/hang${1:-}"; }

# first_job: REPLY = the pid of the first test's job, the parent of its
# timeout(1) whatever the runner's code (waiting up to 10 s for it).
first_job() {
	local n t
	REPLY=''
	for ((n = 0; n < 100; n++)); do
		t=$(pgrep -f "^timeout .*$RT/arm/hang1") && REPLY=$(ps -o ppid= -p "$t" | tr -d ' ')
		[ -z "$REPLY" ] || return 0
		sleep 0.1
	done
}

# killed WHAT: start a run of two hanging tests, SIGKILL WHAT once both
# hang (runner: run_tests.sh; job: the parent of the first test's timeout),
# then wait up to 15 s for nothing of the run to remain.
killed() {
	local what=$1 pid n victim which=''
	[ "$what" = runner ] || which=1
	(cd "$RT" && exec "$RUNNER" --config k.cfg -j 2 >"$RT/out" 2>"$RT/err") &
	pid=$!
	for ((n = 0; n < 600; n++)); do
		[ "$(hangs | wc -l)" -ge 2 ] && break
		sleep 0.05
	done
	t_eq "$what: both tests hang" 2 "$(hangs | wc -l)"
	if [ "$what" = runner ]; then
		victim=$pid
	else
		first_job; victim=$REPLY
	fi
	t_check "$what: found its pid" [ -n "$victim" ]
	kill -KILL "$victim"
	for ((n = 0; n < 150; n++)); do
		[ -n "$(left $which)" ] || break
		sleep 0.1
	done
	t_eq "$what SIGKILLed: nothing of its tests left after $((n * 100)) ms (bound 15 s)" "" "$(left $which)"
	# The runner reports that test and goes on with the other; then stop it.
	if [ "$what" != runner ]; then
		for ((n = 0; n < 100; n++)); do
			grep -q '^ERROR h1 ' "$RT/out" && break
			sleep 0.1
		done
		kill -TERM "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	# Whatever a failure left, by pid: the next checks start clean.
	for n in $(pgrep -f "$RT/arm/hang"); do kill -KILL "$n" 2>/dev/null; done
}

killed runner
t_check "the killed run left its temporary directory" test -n "$(compgen -G "$RT/tmp/run_tests.*")"
rt_run
t_eq "the next run passes" 0 "$RT_RC"
rt_no_tmp "the next run removed the dead run's temporary directory"
# One of a live run (a pid that exists: this shell's) stays.
mkdir "$RT/tmp/run_tests.$$.abcdef"
rt_run
t_check "a live run's temporary directory is kept" test -d "$RT/tmp/run_tests.$$.abcdef"
rmdir "$RT/tmp/run_tests.$$.abcdef"

killed job
t_grep "the killed job's test is an ERROR naming the signal" "^ERROR h1 \\(its job was killed by signal 9 \\(SIGKILL\\)" "$RT/out"
t_nogrep "bash's own report of the killed job (its source) is not shown" "Killed|JOB_ENV" "$RT/err"
t_eq "the runner, stopped then, left nothing" "" "$(left)"
rt_no_tmp "the run whose job was killed left no temporary file"

# A job stopped from outside (SIGSTOP) keeps no time: the runner kills it
# past its bound (timeout 2 s, grace 1, timeout's -k 5, 5 more) and goes on.
rt_cfg s.cfg <<<$'[s1]\nfile = hang1.flat\ntimeout = 2s'
(cd "$RT" && exec env GUESTVIEW_TIMEOUT_GRACE=1 "$RUNNER" --config s.cfg >"$RT/out" 2>"$RT/err") &
pid=$!
first_job; victim=$REPLY
t_check "stopped job: found its pid" [ -n "$victim" ]
kill -STOP "$victim"
for ((n = 0; n < 400; n++)); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
t_check "stopped job: the run ended by itself (bound 40 s; took $((n * 100)) ms)" [ "$n" -lt 400 ]
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
t_eq "stopped job: the run's status is a failure" 1 "$?"
t_grep "stopped job: its test is an ERROR saying so" "^ERROR s1 \\(its job was still there past its bound \\(stopped from outside\\?\\) and was killed" "$RT/out"
for ((n = 0; n < 50; n++)); do [ -n "$(left 1)" ] || break; sleep 0.1; done
t_eq "stopped job: nothing of it left" "" "$(left 1)"
for n in $(pgrep -f "$RT/arm/hang"); do kill -KILL "$n" 2>/dev/null; done
rt_no_tmp "stopped job: no temporary file left"
t_done
