# scripts/runner/one-test.bash: a program, not a library (run with bash by
# jobs.bash, never sourced): runs one test of run_tests.sh,
#   timeout -k KILL_AFTER BACKSTOP arm/run PAYLOAD ARGS...
# writes its log, and when arm/run has exited writes "JOB_DIR/<i>.rc"
# ("exit-status microseconds").
#
# Usage: bash one-test.bash JOB_DIR I LOG BACKSTOP KILL_AFTER LIVE RUNNER_PID
#        WRAP HEADER ARGV...
# (TIMEOUT and the test's cfg variables are in the environment.)
#
# Why a program of its own rather than a subshell of run_tests.sh: a
# process that was exec'd can be given a parent-death signal (setpriv
# --pdeathsig), a forked subshell cannot.  jobs.bash starts this under
# setpriv --pdeathsig TERM, and this starts timeout(1) the same way (WRAP
# set), so that each link dies with the one above even when that one is
# SIGKILLed: run_tests.sh -> this -> timeout -> arm/run, whose traps stop
# QEMU.  Before, a SIGKILLed run_tests.sh or job shell left timeout, arm/run
# and QEMU running until their deadline.

set -u
job_dir=$1 i=$2 log=$3 backstop=$4 kill_after=$5 live=$6 runner=$7 wrap=$8 header=$9
shift 9
child='' stop='' tee_pid=''
# The runner died in the instant before setpriv set the parent-death signal
# (PPID is read at start-up, after it was set): nobody would stop us.
[ "$PPID" = "$runner" ] || exit 0
# shellcheck source=scripts/runner/durations.bash
. "${BASH_SOURCE[0]%/*}/durations.bash" || exit 3
dies_with_parent=()
[ -z "$wrap" ] || dies_with_parent=(setpriv --pdeathsig TERM)

trap 'stop=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null' TERM
# A terminal's Ctrl-C reaches this process too (same process group as
# run_tests.sh): ignore it.  The runner answers Ctrl-C with the SIGTERM
# above, which stops arm/run in order; dying here would orphan it.
trap '' INT QUIT
printf '%s\n' "$header" >"$log"
now_us
start=$REPLY
if [ -n "$live" ]; then
	tee -a -- "$log" <"$job_dir/live" &
	tee_pid=$!
	"${dies_with_parent[@]}" timeout -k "$kill_after" "$backstop" "${dies_with_parent[@]}" "$@" \
		</dev/null >"$job_dir/live" 2>&1 &
else
	"${dies_with_parent[@]}" timeout -k "$kill_after" "$backstop" "${dies_with_parent[@]}" "$@" \
		</dev/null >>"$log" 2>&1 &
fi
child=$!
printf '%s\n' "$child" >"$job_dir/$i.pid"
# A SIGTERM that came before $child was known must still reach it.
[ -z "$stop" ] || kill -TERM "$child" 2>/dev/null
wait "$child"
rc=$?
if [ -n "$stop" ]; then
	# The trap cut `wait` short: wait until timeout (and so arm/run) is
	# really gone, then its whole process group (a timeout that died early
	# leaves them to stop by themselves).  The SIGTERM is said once more
	# half a second on: one sent in the instant between the fork and the
	# exec of timeout is taken by the forked shell's copy of the trap and
	# lost in the exec (timeout then ran on to its deadline: 1 run in about
	# 20 of tests/runner/interrupt.sh under load).  Bounded: then SIGKILL,
	# as timeout's own -k would.
	for ((n = 0; n < (kill_after + 5) * 20; n++)); do
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
printf '%s %s\n' "$rc" $((REPLY - start)) >"$job_dir/$i.rc"
