# scripts/runner/jobs.bash: start arm/run for one test in the background,
# learn when it is done, and stop every one of them on Ctrl-C or SIGTERM.
#
# Each test runs in a background job, one-test.bash (see its top for why it
# is a program of its own), that starts
#   timeout -k KILL_AFTER BACKSTOP arm/run PAYLOAD ARGS...
# writes the log, and when arm/run has exited writes "$JOB_DIR/<i>.rc".
# Why each piece:
# - The job measures the test's own wall time and writes its result file
#   ("exit-status microseconds"), so that the main loop can run N tests at
#   once with a plain `wait -n` (bash 4.4; `wait -n -p` needs 5.1) and tell
#   which test ended by the files present.
# - timeout(1) is a backstop for an arm/run that does not honour TIMEOUT,
#   and it puts arm/run (and QEMU, unless arm/run moves it) in a process
#   group of its own: a SIGTERM sent to timeout is passed on to the whole
#   group, and -k turns into SIGKILL if they do not go.
# - Stopping goes through SIGTERM only: jobs_stop_all sends it to each job,
#   whose trap passes it to its timeout and then waits, so that when the
#   job is gone its arm/run and QEMU are gone too.  SIGINT cannot serve:
#   arm/run, started in the background, inherits it ignored.
# - A run that cannot stop them (SIGKILLed) still takes them down: each
#   link has the parent-death signal SIGTERM (setpriv), and its temporary
#   directory, which names its pid, is removed by the next run.

JOB_DIR=''          # private mktemp -d directory; removed by jobs_cleanup
JOB_LIVE=''         # set: also copy the output to stdout while it runs (-v -j1)
JOB_ENV=()          # NAME=VALUE words the next job_start exports for its test
JOB_KILL_AFTER=5  # seconds from SIGTERM to SIGKILL (timeout -k)
JOB_PROGRAM=${BASH_SOURCE[0]%/*}/one-test.bash
declare -A JOB_PID=()  # running test index -> its job's pid
# When (epoch seconds) a test's job must be gone: its backstop, timeout's
# -k, and JOB_MARGIN more.  Its timeout(1) keeps the bound while the job
# runs; a job stopped from outside (SIGSTOP) keeps nothing, and the runner
# would wait for it for ever: past this it is killed (jobs_overdue).
declare -A JOB_DEADLINE=()
JOB_MARGIN=5
declare -A JOB_END=()  # job pid -> the status wait gave for it (bash >= 5.1)
JOB_TICK=''            # a sleep that ends at the nearest deadline, so that wait -n does

# JOB_WRAP: the parent-death guard (see one-test.bash), also between timeout
# and arm/run: coreutils' timeout dies of a SIGTERM that lands just after it
# forked, without passing it on, and the test ran on with nobody to stop
# it.  Empty where setpriv lacks the option.
JOB_WRAP=()

# jobs_init: the private directory every temporary file of the run goes in,
# run_tests.PID.XXXXXX; first the ones of runs that are dead (SIGKILLed, so
# their EXIT trap never ran), if they are this user's.
jobs_init() {
	local d pid
	if command -v setpriv >/dev/null 2>&1 && setpriv --pdeathsig TERM true 2>/dev/null; then
		JOB_WRAP=(setpriv --pdeathsig TERM)
	fi
	for d in "${TMPDIR:-/tmp}"/run_tests.*.??????; do
		pid=${d%.*} pid=${pid##*.}
		if ! [[ $pid =~ ^[0-9]+$ ]] || ! [ -d "$d" ] || [ -L "$d" ] || ! [ -O "$d" ]; then continue; fi
		# kill -0 fails with EPERM for somebody else's live process: alive.
		kill -0 "$pid" 2>/dev/null || [[ $(kill -0 "$pid" 2>&1) == *[Pp]ermitted* ]] || rm -rf -- "$d"
	done
	JOB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/run_tests.$$.XXXXXX") || return 1
	if [ -n "$JOB_LIVE" ]; then mkfifo "$JOB_DIR/live" || return 1; fi
}

# jobs_cleanup: stop what still runs, then remove the private directory.
jobs_cleanup() {
	[ ${#JOB_PID[@]} -eq 0 ] || jobs_stop_all
	[ -z "$JOB_TICK" ] || kill "$JOB_TICK" 2>/dev/null
	[ -z "$JOB_DIR" ] || rm -rf -- "$JOB_DIR"
	JOB_DIR=''
}

# job_start I LOG BACKSTOP_SECONDS TIMEOUT HEADER ARGV...: run ARGV for
# test I with TIMEOUT and JOB_ENV in its environment; HEADER is the log's
# first line.  The job is one-test.bash, exec'd (one fork: the environment
# is set in the forked child), under the parent-death signal when setpriv
# has it, so that it ends with run_tests.sh even when that is SIGKILLed.
job_start() {
	local e
	(
		export TIMEOUT=$4
		# shellcheck disable=SC2163 # e is NAME=VALUE: export that, not "e"
		for e in "${JOB_ENV[@]}"; do export "$e"; done
		exec "${JOB_WRAP[@]}" "$BASH" "$JOB_PROGRAM" "$JOB_DIR" "$1" "$2" "$3" "$JOB_KILL_AFTER" \
			"$JOB_LIVE" "$$" "${JOB_WRAP[*]:+1}" "$5" "${@:6}"
	) &
	JOB_PID[$1]=$!
	unset 'JOB_DEADLINE[$1]'
	if [ "$3" -gt 0 ]; then
		printf -v e '%(%s)T' -1
		JOB_DEADLINE[$1]=$((e + $3 + JOB_KILL_AFTER + JOB_MARGIN))
	fi
}

# job_finished I: true when test I's subshell has written its whole result;
# sets JOB_RC and JOB_US.  (A line without its newline is still being
# written, and `read` fails on it.)
job_finished() {
	JOB_RC='' JOB_US=''
	# shellcheck disable=SC2034 # JOB_RC is for the caller
	[ -f "$JOB_DIR/$1.rc" ] && read -r JOB_RC JOB_US <"$JOB_DIR/$1.rc" && [ -n "$JOB_US" ]
}

# jobs_wait_any: block until some subshell exits, a trapped signal comes or
# the nearest deadline passes (JOB_TICK ends then).  Returns 127 when no
# subshell is left to wait for (wait -p unsets its variable then).  wait's own report of a job that died of a
# signal ("line N: PID Killed ( ...the job's source... )") is not shown:
# the test's result says it (job_lost), and JOB_END keeps the status.
jobs_wait_any() {
	local i now next='' who='' rc
	printf -v now '%(%s)T' -1
	for i in "${!JOB_PID[@]}"; do
		[ -n "${JOB_DEADLINE[$i]:-}" ] || continue
		[ -n "$next" ] && [ "$next" -le "${JOB_DEADLINE[$i]}" ] || next=${JOB_DEADLINE[$i]}
	done
	if [ -n "$next" ] && { [ -z "$JOB_TICK" ] || ! kill -0 "$JOB_TICK" 2>/dev/null; }; then
		sleep $((next > now ? next - now : 0)) &
		JOB_TICK=$!
	fi
	if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)); then
		wait -n -p who 2>/dev/null
		rc=$?
		[ -z "${who:-}" ] || JOB_END[$who]=$rc
	else
		wait -n 2>/dev/null
		rc=$?
	fi
	return "$rc"
}

# jobs_overdue: each test whose job is still there past its deadline
# (stopped from outside: nothing of it keeps time any more) is killed, its
# process group first (SIGKILL ends a stopped process too), and reported
# by job_lost.  Returns false when none was.
jobs_overdue() {
	local i now pgid found=1
	printf -v now '%(%s)T' -1
	for i in "${!JOB_PID[@]}"; do
		[ -n "${JOB_DEADLINE[$i]:-}" ] && [ "${JOB_DEADLINE[$i]}" -le "$now" ] || continue
		pgid=''
		[ -f "$JOB_DIR/$i.pid" ] && read -r pgid <"$JOB_DIR/$i.pid"
		[ -z "$pgid" ] || kill -KILL -- "-$pgid" 2>/dev/null
		kill -KILL "${JOB_PID[$i]}" 2>/dev/null
		wait "${JOB_PID[$i]}" 2>/dev/null
		JOB_END[${JOB_PID[$i]}]=overdue
		found=0
	done
	return "$found"
}

# job_end_words PID: REPLY = how the job PID ended, as far as wait said.
job_end_words() {
	local rc=${JOB_END[$1]:-} name
	REPLY=''
	if [ "$rc" = overdue ]; then
		REPLY="its job was still there past its bound (stopped from outside?) and was killed"
	elif [[ $rc =~ ^[0-9]+$ ]] && [ "$rc" -gt 128 ]; then
		name=$(kill -l $((rc - 128)) 2>/dev/null)
		REPLY="its job was killed by signal $((rc - 128))${name:+ (SIG$name)} before it wrote a result"
	fi
	unset 'JOB_END[$1]'
}

# jobs_signal_all: SIGTERM every running test (its subshell stops it in
# order); returns at once.  Safe in a trap: no wait, no fork.
jobs_signal_all() {
	local i
	for i in "${!JOB_PID[@]}"; do kill -TERM "${JOB_PID[$i]}" 2>/dev/null; done
}

# jobs_stop_all: SIGTERM every running test and wait until all are gone,
# with SIGKILL for whatever outlives JOB_KILL_AFTER + 5 seconds.
jobs_stop_all() {
	local i pid pgid n alive
	jobs_signal_all
	for ((n = 0; n < (JOB_KILL_AFTER + 5) * 20; n++)); do
		alive=''
		for i in "${!JOB_PID[@]}"; do
			kill -0 "${JOB_PID[$i]}" 2>/dev/null && alive=1 && break
		done
		[ -n "$alive" ] || break
		sleep 0.05
	done
	if [ -n "$alive" ]; then
		for i in "${!JOB_PID[@]}"; do
			pgid=''
			[ -f "$JOB_DIR/$i.pid" ] && read -r pgid <"$JOB_DIR/$i.pid"
			[ -z "$pgid" ] || kill -KILL -- "-$pgid" 2>/dev/null
			kill -KILL "${JOB_PID[$i]}" 2>/dev/null
		done
	fi
	for i in "${!JOB_PID[@]}"; do
		pid=${JOB_PID[$i]}
		wait "$pid" 2>/dev/null
	done
}
