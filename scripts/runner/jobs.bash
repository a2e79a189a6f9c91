# scripts/runner/jobs.bash: start arm/run for one test in the background,
# learn when it is done, and stop every one of them on Ctrl-C or SIGTERM.
#
# Each test runs in a background bash subshell (job_body) that starts
#   timeout -k KILL_AFTER BACKSTOP arm/run PAYLOAD ARGS...
# writes the log, and when arm/run has exited writes "$JOB_DIR/<i>.rc".
# Why each piece:
# - The subshell measures the test's own wall time and writes its result
#   file ("exit-status microseconds"), so that the main loop can run N tests
#   at once with a plain `wait -n` (bash 4.4; `wait -n -p` needs 5.1) and
#   tell which test ended by the files present.
# - timeout(1) is a backstop for an arm/run that does not honour TIMEOUT,
#   and it puts arm/run (and QEMU, unless arm/run moves it) in a process
#   group of its own: a SIGTERM sent to timeout is passed on to the whole
#   group, and -k turns into SIGKILL if they do not go.
# - Stopping goes through SIGTERM only: jobs_stop_all sends it to each
#   subshell, whose trap passes it to its timeout and then waits, so that
#   when the subshell is gone its arm/run and QEMU are gone too.  SIGINT
#   cannot serve: arm/run, started in the background, inherits it ignored.

JOB_DIR=''          # private mktemp -d directory; removed by jobs_cleanup
JOB_LIVE=''         # set: also copy the output to stdout while it runs (-v -j1)
JOB_ENV=()          # NAME=VALUE words the next job_start exports for its test
JOB_KILL_AFTER=5  # seconds from SIGTERM to SIGKILL (timeout -k)
declare -A JOB_PID=()  # running test index -> its subshell's pid

# jobs_init: the private directory every temporary file of the run goes in.
# timeout(1) runs arm/run under setpriv --pdeathsig TERM, so that arm/run
# (which stops its QEMU) ends when timeout does: coreutils' timeout dies of a
# SIGTERM that lands just after it forked, without passing it on, and the
# test ran on with nobody to stop it.  Empty where setpriv lacks the option.
JOB_WRAP=()

jobs_init() {
	if command -v setpriv >/dev/null 2>&1 && setpriv --pdeathsig TERM true 2>/dev/null; then
		JOB_WRAP=(setpriv --pdeathsig TERM)
	fi
	JOB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/run_tests.XXXXXX") || return 1
	if [ -n "$JOB_LIVE" ]; then mkfifo "$JOB_DIR/live" || return 1; fi
}

# jobs_cleanup: stop what still runs, then remove the private directory.
jobs_cleanup() {
	[ ${#JOB_PID[@]} -eq 0 ] || jobs_stop_all
	[ -z "$JOB_DIR" ] || rm -rf -- "$JOB_DIR"
	JOB_DIR=''
}

# job_start I LOG BACKSTOP_SECONDS TIMEOUT HEADER ARGV...: run ARGV for
# test I with TIMEOUT and JOB_ENV in its environment; HEADER is the log's
# first line.
job_start() {
	job_body "$@" &
	JOB_PID[$1]=$!
}

# job_body: the background subshell of one test (see the top of this file).
job_body() {
	local i=$1 log=$2 backstop=$3 header=$5 child='' stop='' rc start tee_pid='' n
	export TIMEOUT=$4
	# The test's own variables (cfg keys such as qemu, migration), in this
	# subshell only: no env(1) exec per test.
	local e
	# shellcheck disable=SC2163 # e is NAME=VALUE: export that, not "e"
	for e in "${JOB_ENV[@]}"; do export "$e"; done
	shift 5
	trap 'stop=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null' TERM
	# A terminal's Ctrl-C reaches this subshell too (same process group as
	# run_tests.sh).  bash undoes the usual SIGINT-ignore of background jobs
	# here because run_tests.sh traps SIGINT, so ignore it explicitly: the
	# main loop answers Ctrl-C with the SIGTERM above, which stops arm/run in
	# order; dying here would orphan it.
	trap '' INT QUIT
	printf '%s\n' "$header" >"$log"
	now_us
	start=$REPLY
	if [ -n "$JOB_LIVE" ]; then
		tee -a -- "$log" <"$JOB_DIR/live" &
		tee_pid=$!
		timeout -k "$JOB_KILL_AFTER" "$backstop" "${JOB_WRAP[@]}" "$@" </dev/null >"$JOB_DIR/live" 2>&1 &
	else
		timeout -k "$JOB_KILL_AFTER" "$backstop" "${JOB_WRAP[@]}" "$@" </dev/null >>"$log" 2>&1 &
	fi
	child=$!
	printf '%s\n' "$child" >"$JOB_DIR/$i.pid"
	# A SIGTERM that came before $child was known must still reach it.
	[ -z "$stop" ] || kill -TERM "$child" 2>/dev/null
	wait "$child"
	rc=$?
	if [ -n "$stop" ]; then
		# The trap cut `wait` short: wait until timeout (and so arm/run) is
		# really gone, then its whole process group (a timeout that died
		# early leaves them to stop by themselves).  The SIGTERM is said
		# once more half a second on: one sent in the instant between the
		# fork and the exec of timeout is taken by the forked shell's copy
		# of the trap and lost in the exec (timeout then ran on to its
		# deadline: 1 run in about 20 of tests/runner/interrupt.sh under
		# load).  Bounded: then SIGKILL, as timeout's own -k would.
		for ((n = 0; n < (JOB_KILL_AFTER + 5) * 20; n++)); do
			kill -0 "$child" 2>/dev/null || kill -0 -- "-$child" 2>/dev/null || break
			[ "$n" != 10 ] || kill -TERM "$child" 2>/dev/null
			sleep 0.05
		done
		kill -KILL -- "-$child" 2>/dev/null
		kill -KILL "$child" 2>/dev/null
		wait "$child" 2>/dev/null
		rc=interrupted
	fi
	[ -z "$tee_pid" ] || wait "$tee_pid"
	now_us
	printf '%s %s\n' "$rc" $((REPLY - start)) >"$JOB_DIR/$i.rc"
}

# job_finished I: true when test I's subshell has written its whole result;
# sets JOB_RC and JOB_US.  (A line without its newline is still being
# written, and `read` fails on it.)
job_finished() {
	JOB_RC='' JOB_US=''
	# shellcheck disable=SC2034 # JOB_RC is for the caller
	[ -f "$JOB_DIR/$1.rc" ] && read -r JOB_RC JOB_US <"$JOB_DIR/$1.rc" && [ -n "$JOB_US" ]
}

# jobs_wait_any: block until some subshell exits or a trapped signal comes.
# Returns 127 when no subshell is left to wait for.
jobs_wait_any() {
	wait -n
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
