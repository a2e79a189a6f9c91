#!/bin/bash
# run_tests.sh: run the guest payloads listed in unittests.cfg, each through
# arm/run (one QEMU each), and report one result line per test.
#
# This file holds the command line and the main loop; the pieces it uses are
# in scripts/runner/ (cfg parsing, test selection, process control, verdicts,
# human/TAP/JUnit output).  Run ./run_tests.sh -h for the interface.

set -u
PROG=run_tests.sh

if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
	echo "$PROG: needs bash 4.4 or later, this is $BASH_VERSION" >&2
	exit 3
fi
# The repository is where this script is (found without a fork: the run's
# fixed cost counts when a suite has a handful of 60 ms payloads).
case ${BASH_SOURCE[0]} in
*/*) REPO=${BASH_SOURCE[0]%/*} ;;
*) REPO=. ;;
esac
case $REPO in /*) ;; *) REPO=$PWD/$REPO ;; esac
REPO=${REPO%/.}
for lib in words durations shellquote cfg select logtail verdict jobs report tap junit; do
	# shellcheck source=/dev/null
	. "$REPO/scripts/runner/$lib.bash" || {
		echo "$PROG: cannot load $REPO/scripts/runner/$lib.bash" >&2
		exit 3
	}
done

usage() {
	cat <<EOF
Usage: $PROG [-g GROUP] [-j N] [-t] [--junit FILE] [--config FILE] [-l] [-v] [-h] [TEST...]

Runs the tests of unittests.cfg (all of them, in file order, unless TESTs or
-g say otherwise), each through arm/run, and prints one line per test:
PASS, FAIL, SKIP, XFAIL (failed as expected: a known incompatibility, not
counted as a failure), TIMEOUT or ERROR, then a SUMMARY line.

  -g GROUP       only tests in GROUP (comma-separated or repeated -g: any
                 of them); with TESTs, only those TESTs in GROUP
  -j N           run N tests at once (default 1); results stay in file order
  -t             print TAP version 13 on stdout instead of result lines
  --junit FILE   also write JUnit XML to FILE (at the end, or on Ctrl-C)
  --config FILE  read FILE instead of unittests.cfg
  -l             list the tests (name, groups, payload) and run nothing
  -v             show each test's console output (live with -j 1)
  -h, --help     this help

Each test's command line and full output are in logs/<test>.log.

Environment:
  TIMEOUT        timeout for every test (timeout(1) duration; overrides the
                 cfg's timeout keys; default 90s per test)
  ACCEL          kvm or tcg (default: kvm when /dev/kvm is usable on an
                 arm64 host, else tcg); tests whose 'accel' differs SKIP
  QEMU           the QEMU binary, passed on to arm/run
  MIGRATION, DEST_QEMU, DEST_PARAMS, MIGRATION_REFUSAL
                 passed on to arm/run (see arm/run -h); for one test, its
                 cfg keys qemu, migration, dest_qemu, dest_params and
                 migration_refused win over these
  NO_COLOR       when set, no colours (there are none unless stdout is a tty)
  GUESTVIEW_RUN  the per-payload runner (default: arm/run)
  GUESTVIEW_PAYLOAD_DIR  where 'file' payloads are (default: arm/)
  GUESTVIEW_LOG_DIR      where logs go (default: logs/)
  GUESTVIEW_TIMEOUT_GRACE  seconds past a test's timeout before $PROG
                 itself kills an arm/run that did not stop (default 10)

Exit status: 0 every test passed, skipped or failed as expected (XFAIL);
1 a test failed, timed out or errored (e.g. a bad QEMU option); 2 bad
command line, config or environment value (nothing was run); 3 harness
error (arm/run or timeout(1) missing, QEMU binary missing: arm/run exit 3;
a missing binary named by a test's qemu or dest_qemu key is a SKIP);
130 interrupted (SIGINT, SIGTERM).
EOF
}

# Errors found before any test starts.
die_usage() {
	printf '%s: %s\n' "$PROG" "$1" >&2
	exit 2
}
die_harness() {
	printf '%s: %s\n' "$PROG" "$1" >&2
	exit 3
}

# ---- command line ----
OPT_GROUPS=() OPT_NAMES=() OPT_J=1 OPT_TAP='' OPT_JUNIT='' OPT_CONFIG='' OPT_LIST='' OPT_VERBOSE=''

# opt_groups ARG: -g takes one group or a comma-separated list.
opt_groups() {
	local g rest=$1,
	[ -n "$1" ] || die_usage "-g needs a group name"
	while [ -n "$rest" ]; do
		g=${rest%%,*} rest=${rest#*,}
		[ -n "$g" ] || die_usage "-g '$1': empty group name"
		OPT_GROUPS+=("$g")
	done
}
opt_jobs() {
	[[ $1 =~ ^[1-9][0-9]{0,3}$ ]] || die_usage "-j needs a number of parallel tests >= 1, got '$1'"
	OPT_J=$((10#$1))
}
# need_arg OPTION COUNT: the option's value must be there.
need_arg() { [ "$2" -ge 2 ] || die_usage "option $1 needs a value (see $PROG -h)"; }

while [ $# -gt 0 ]; do
	case $1 in
	-g) need_arg "$1" $#; opt_groups "$2"; shift ;;
	-g*) opt_groups "${1#-g}" ;;
	-j) need_arg "$1" $#; opt_jobs "$2"; shift ;;
	-j*) opt_jobs "${1#-j}" ;;
	-t) OPT_TAP=1 ;;
	-l) OPT_LIST=1 ;;
	-v) OPT_VERBOSE=1 ;;
	-h | --help) usage; exit 0 ;;
	--junit) need_arg "$1" $#; OPT_JUNIT=$2; shift ;;
	--junit=*) OPT_JUNIT=${1#*=} ;;
	--config) need_arg "$1" $#; OPT_CONFIG=$2; shift ;;
	--config=*) OPT_CONFIG=${1#*=} ;;
	--) shift; OPT_NAMES+=("$@"); break ;;
	-[tlvh]?*) set -- "${1:0:2}" "-${1:2}" "${@:2}"; continue ;; # -tv = -t -v
	-?*) die_usage "unknown option '$1' (see $PROG -h)" ;;
	*) OPT_NAMES+=("$1") ;;
	esac
	shift
done
[ -z "$OPT_JUNIT" ] || [ "${OPT_JUNIT: -1}" != / ] || die_usage "--junit '$OPT_JUNIT' is a directory, need a file name"

# ---- environment ----
RUN=${GUESTVIEW_RUN:-$REPO/arm/run}
PAYLOAD_DIR=${GUESTVIEW_PAYLOAD_DIR:-$REPO/arm}
LOG_DIR=${GUESTVIEW_LOG_DIR:-$REPO/logs}
GRACE=${GUESTVIEW_TIMEOUT_GRACE:-10}
[[ $GRACE =~ ^[0-9]{1,5}$ ]] || die_usage "GUESTVIEW_TIMEOUT_GRACE must be a number of seconds, got '$GRACE'"
if [ -n "${TIMEOUT:-}" ] && ! duration_valid "$TIMEOUT"; then
	die_usage "TIMEOUT must be a timeout(1) duration such as 90s, 2m or 1.5h, got '$TIMEOUT'"
fi
if [ -n "${ACCEL:-}" ]; then
	case $ACCEL in
	kvm | tcg) ;;
	*) die_usage "ACCEL must be kvm or tcg, got '$ACCEL'" ;;
	esac
elif [ "${HOSTTYPE:-}" = aarch64 ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	ACCEL=kvm
else
	ACCEL=tcg
fi
# arm/run gets the accel this script decided on, so that the accel SKIPs
# below and what QEMU actually uses cannot disagree.
export ACCEL

# show PATH: REPLY = PATH relative to the current directory when under it,
# for messages (unittests.cfg:12: ..., logs/x.log).
show() { REPLY=${1#"$PWD"/}; }

# ---- config ----
CFG=${OPT_CONFIG:-$REPO/unittests.cfg}
show "$CFG"
if ! cfg_parse "$CFG" "$REPLY"; then
	cfg_print_errors
	echo "$PROG: ${#CFG_ERRORS[@]} error(s) in $CFG_SHOWN; nothing was run" >&2
	exit 2
fi
if ! select_tests ${#OPT_NAMES[@]} "${OPT_NAMES[@]}" "${OPT_GROUPS[@]}"; then
	printf "$PROG: %s\n" "${SELECT_ERRORS[@]}" >&2
	exit 2
fi

if [ -n "$OPT_LIST" ]; then
	wn=4 wg=6
	for i in "${SELECTED[@]}"; do
		[ ${#CFG_NAME[i]} -le "$wn" ] || wn=${#CFG_NAME[i]}
		cfg_get "$i" groups -
		[ ${#REPLY} -le "$wg" ] || wg=${#REPLY}
	done
	for i in "${SELECTED[@]}"; do
		cfg_get "$i" groups -
		printf "%-${wn}s  %-${wg}s  %s\n" "${CFG_NAME[i]}" "$REPLY" "${CFG_VAL[$i.file]}"
	done
	exit 0
fi

# ---- what each selected test needs ----
# cfg_binary VALUE: REPLY = the binary arm/run gets for a qemu/dest_qemu key
# (a path from the repository's root, an absolute path or a command name);
# false when it is not there.  Builtins only: no fork per test.
cfg_binary() {
	case $1 in
	/*) REPLY=$1 ;;
	*/*) REPLY=$REPO/$1 ;;
	*) REPLY=$1; command -v -- "$1" >/dev/null 2>&1; return ;;
	esac
	[ -f "$REPLY" ] && [ -x "$REPLY" ]
}

# binary_skip I: PLAN_SKIP[I] = why, when a binary that test I names is not
# there.  A second QEMU is optional on some hosts, so that is a SKIP, not an
# error; a binary under deps/ comes from scripts/setup-deps.sh, which leaves
# deps/<dir>.unavailable ("SECONDS<tab>why") when it could not fetch it.
binary_skip() {
	local i=$1 key val dir note when why
	for key in qemu dest_qemu; do
		[ -n "${CFG_AT[$i.$key]+set}" ] || continue
		val=${CFG_VAL[$i.$key]}
		cfg_binary "$val" && continue
		case $val in
		deps/*/*)
			dir=${val#deps/} dir=${dir%%/*}
			note=$REPO/deps/$dir.unavailable why=''
			# shellcheck disable=SC2034 # when: the note's time, unused here
			[ -f "$note" ] && IFS=$'\t' read -r when why <"$note"
			PLAN_SKIP[i]="$key $val not found: ${why:-not set up, run scripts/setup-deps.sh}"
			;;
		*/*)
			if [ -e "$REPLY" ]; then PLAN_SKIP[i]="$key $val is not executable"
			else PLAN_SKIP[i]="$key $val not found"; fi
			;;
		*) PLAN_SKIP[i]="$key $val: no such command on PATH" ;;
		esac
		return
	done
}

# PLAN_SKIP[i]: why the runner skips test i without starting it.
PLAN_SKIP=() PREP_ERRORS=()
for i in "${SELECTED[@]}"; do
	cfg_get "$i" arch arm64
	case $REPLY in
	arm64 | aarch64) ;;
	*) PLAN_SKIP[i]="arch $REPLY, this suite runs arm64 payloads"; continue ;;
	esac
	cfg_get "$i" accel ""
	[ -z "$REPLY" ] || [ "$REPLY" = "$ACCEL" ] || PLAN_SKIP[i]="needs accel $REPLY, running with $ACCEL"
	show "$PAYLOAD_DIR/${CFG_VAL[$i.file]}"
	[ -f "$PAYLOAD_DIR/${CFG_VAL[$i.file]}" ] ||
		PREP_ERRORS+=("$CFG_SHOWN:${CFG_AT[$i.file]}: payload $REPLY of test '${CFG_NAME[i]}' not found (not built yet? run make)")
	[ -z "${PLAN_SKIP[i]+set}" ] || continue
	binary_skip "$i"
	[ -z "${PLAN_SKIP[i]+set}" ] || continue
	# gvmigrate makes two network namespaces with ip(8): root only.
	if [ "${CFG_VAL[$i.migration]:-}" = netns ]; then
		if [ "$EUID" != 0 ]; then PLAN_SKIP[i]="migration = netns needs root (network namespaces), running as uid $EUID"
		elif ! command -v ip >/dev/null 2>&1; then PLAN_SKIP[i]="migration = netns needs ip(8) from iproute2, not found on PATH"; fi
	fi
done
if [ ${#PREP_ERRORS[@]} -gt 0 ]; then
	printf '%s\n' "${PREP_ERRORS[@]}" >&2
	echo "$PROG: nothing was run" >&2
	exit 2
fi
if [ -n "$OPT_JUNIT" ]; then
	case $OPT_JUNIT in */*) d=${OPT_JUNIT%/*} d=${d:-/} ;; *) d=. ;; esac
	{ [ -d "$d" ] && [ -w "$d" ]; } || die_usage "--junit '$OPT_JUNIT': directory '$d' does not exist or is not writable"
fi
[ -x "$RUN" ] || die_harness "per-payload runner '$RUN' not found or not executable${GUESTVIEW_RUN:+ (from GUESTVIEW_RUN)}"
command -v timeout >/dev/null || die_harness "timeout(1) not found (it is in coreutils)"
[ -d "$LOG_DIR" ] || mkdir -p -- "$LOG_DIR" || die_harness "cannot create log directory '$LOG_DIR'"

# ---- running ----
report_colours
[ -n "$OPT_VERBOSE" ] && [ "$OPT_J" = 1 ] && [ -z "$OPT_TAP" ] && JOB_LIVE=1
INTERRUPTED='' STOP=''
# The traps take note and tell the running tests to stop; the main loop
# does the rest (collect, report, wait until every job is gone), so there
# is one path for every way out.  Telling the tests here is what ends the
# loop's `wait -n` whenever the signal lands: a signal that arrives just
# before `wait -n` starts runs its trap first, and `wait -n` would then
# wait for a hanging test to end by itself.
on_signal() {
	INTERRUPTED=${INTERRUPTED:-$1}
	jobs_signal_all
}
trap 'on_signal SIGINT' INT
trap 'on_signal SIGTERM' TERM
trap 'on_signal SIGHUP' HUP
# A reader that went away (run_tests.sh | head): stop, and write no more.
trap 'exec >/dev/null; on_signal SIGPIPE' PIPE
trap 'jobs_cleanup; [ -z "$JUNIT_TMP" ] || rm -rf -- "$JUNIT_TMP"' EXIT
jobs_init || die_harness "cannot create a temporary directory in ${TMPDIR:-/tmp}"

BACKSTOP=() TEST_DONE=() COMPLETED=()
N_PASS=0 N_FAIL=0 N_TIMEOUT=0 N_ERROR=0 N_SKIP=0 N_XFAIL=0 TAP_N=0

# launch_test I: start test I in the background (see jobs.bash).
# The cfg keys with an env= attribute (qemu, migration...) become that
# test's environment (JOB_ENV); the log's first line shows them, and the
# user's own values of those variables that reach arm/run, so that it can
# be pasted to run the test again.
launch_test() {
	local i=$1 t name=${CFG_NAME[$1]} smp key var val args=() shown=()
	t=${TIMEOUT:-}
	[ -n "$t" ] || { cfg_get "$i" timeout 90s; t=$REPLY; }
	duration_seconds "$t"
	BACKSTOP[i]=0
	[ "$REPLY" -eq 0 ] || BACKSTOP[i]=$((REPLY + GRACE))
	cfg_get "$i" smp 1
	smp=$REPLY
	cfg_words "$i"
	args=("$RUN" "$PAYLOAD_DIR/${CFG_VAL[$i.file]}" -smp "$smp" "${WORDS[@]}")
	[ -z "${CFG_AT[$i.test_args]+set}" ] || args+=(-append "${CFG_VAL[$i.test_args]}")
	JOB_ENV=()
	for key in "${CFG_ENV_KEYS[@]}"; do
		var=${CFG_KEY_ENV[$key]}
		if [ -n "${CFG_AT[$i.$key]+set}" ]; then
			val=${CFG_VAL[$i.$key]}
			[ "${CFG_KEY_TYPE[$key]}" != binary ] || { cfg_binary "$val"; val=$REPLY; }
			JOB_ENV+=("$var=$val")
			shown+=("$var=$val")
		elif [ -n "${!var:-}" ]; then
			shown+=("$var=${!var}")
		fi
	done
	# A refused migration's diagnosis keeps its two streams here, where
	# the hint it prints points (logs/<test>.diag/).
	JOB_ENV+=("GUESTVIEW_DIAG_DIR=$LOG_DIR/$name.diag")
	shell_quote "TIMEOUT=$t" "ACCEL=$ACCEL" "${shown[@]}" "${args[@]}"
	job_start "$i" "$LOG_DIR/$name.log" "${BACKSTOP[i]}" "$t" "$REPLY" "${args[@]}"
}

# collect_finished: record the result of every test whose job is done.
collect_finished() {
	local i
	for i in "${!JOB_PID[@]}"; do
		job_finished "$i" || continue
		unset 'JOB_PID[$i]'
		TEST_DONE[i]=1
		if [ "$JOB_RC" = interrupted ]; then
			R_STATUS[i]=INTERRUPTED R_US[i]=$JOB_US
			continue
		fi
		verdict_classify "$i" "$JOB_RC" "$JOB_US" "$LOG_DIR/${CFG_NAME[i]}.log" "${BACKSTOP[i]}"
		if [ "$JOB_RC" = 3 ] && [ -z "$STOP" ]; then
			STOP="arm/run reported a harness error in ${CFG_NAME[i]}: ${R_DETAIL[i]}"
		fi
	done
}

# jobs_lost: `wait -n` says no job is left, yet some never wrote a result
# (killed from outside?).  Report them instead of waiting forever.
jobs_lost() {
	local i
	for i in "${!JOB_PID[@]}"; do
		job_finished "$i" && continue
		unset 'JOB_PID[$i]'
		TEST_DONE[i]=1 R_STATUS[i]=ERROR R_RC[i]=- R_US[i]=0 R_VERDICT[i]=''
		R_DETAIL[i]="its job ended without a result; was it killed from outside?"
	done
}

# report_one I: print test I's result, in the chosen format.
report_one() {
	local i=$1 name=${CFG_NAME[$1]} log
	show "$LOG_DIR/$name.log"
	log=$REPLY
	if [ "${R_STATUS[i]}" = INTERRUPTED ]; then
		fmt_secs "${R_US[i]}" 2
		if [ -n "$OPT_TAP" ]; then printf '# %s interrupted after %ss, not counted\n' "$name" "$REPLY"
		else report_line INTERRUPTED "$name" "stopped after ${REPLY}s, not counted"; fi
		return
	fi
	COMPLETED+=("$i")
	case ${R_STATUS[i]} in
	PASS) N_PASS=$((N_PASS + 1)) ;;
	FAIL) N_FAIL=$((N_FAIL + 1)) ;;
	TIMEOUT) N_TIMEOUT=$((N_TIMEOUT + 1)) ;;
	ERROR) N_ERROR=$((N_ERROR + 1)) ;;
	SKIP) N_SKIP=$((N_SKIP + 1)) ;;
	XFAIL) N_XFAIL=$((N_XFAIL + 1)) ;;
	esac
	if [ -n "$OPT_VERBOSE" ] && [ -z "$JOB_LIVE" ] && [ -z "${PLAN_SKIP[i]+set}" ]; then
		if [ -n "$OPT_TAP" ]; then report_console "$LOG_DIR/$name.log" '# '
		else report_console "$LOG_DIR/$name.log" ''; fi
	fi
	if [ -n "$OPT_TAP" ]; then
		TAP_N=$((TAP_N + 1))
		tap_result "$TAP_N" "$i" "$log"
	else
		report_line "${R_STATUS[i]}" "$name" "${R_DETAIL[i]}"
	fi
}

SEL=("${SELECTED[@]}")
NSEL=${#SEL[@]}
next_launch=0 next_report=0
now_us
RUN_START=$REPLY
[ -z "$OPT_TAP" ] || tap_header
while :; do
	while [ -z "$STOP$INTERRUPTED" ] && [ ${#JOB_PID[@]} -lt "$OPT_J" ] && [ $next_launch -lt "$NSEL" ]; do
		i=${SEL[next_launch]}
		next_launch=$((next_launch + 1))
		if [ -n "${PLAN_SKIP[i]+set}" ]; then
			# shellcheck disable=SC2034 # R_* are read by tap.bash, junit.bash
			R_STATUS[i]=SKIP R_DETAIL[i]=${PLAN_SKIP[i]} R_VERDICT[i]='' R_RC[i]=- R_US[i]=0 TEST_DONE[i]=1
			printf 'SKIP: %s (decided by %s; arm/run not started)\n' "${PLAN_SKIP[i]}" "$PROG" >"$LOG_DIR/${CFG_NAME[i]}.log"
			continue
		fi
		launch_test "$i"
	done
	[ -z "$INTERRUPTED" ] || jobs_stop_all
	collect_finished
	while [ $next_report -lt "$NSEL" ] && [ -n "${TEST_DONE[${SEL[next_report]}]+set}" ]; do
		report_one "${SEL[next_report]}"
		next_report=$((next_report + 1))
	done
	[ -z "$INTERRUPTED" ] || break
	[ $next_report -lt "$NSEL" ] || break
	# A free slot and a test to start: start it before waiting.
	[ -n "$STOP" ] || [ ${#JOB_PID[@]} -ge "$OPT_J" ] || [ $next_launch -ge "$NSEL" ] || continue
	[ ${#JOB_PID[@]} -gt 0 ] || break
	jobs_wait_any
	[ $? -ne 127 ] || jobs_lost
done

# ---- the end: summary, JUnit, exit status ----
now_us
ELAPSED=$((REPLY - RUN_START))
NOTRUN=$((NSEL - ${#COMPLETED[@]}))
show "$LOG_DIR"
note="accel $ACCEL, logs in $REPLY/"
[ -z "$INTERRUPTED" ] || note="interrupted by $INTERRUPTED; $note"
report_summary ${#COMPLETED[@]} $N_PASS $N_FAIL $N_TIMEOUT $N_ERROR $N_SKIP $N_XFAIL $NOTRUN "$ELAPSED" "$note"
SUMMARY=$REPLY
if [ -n "$OPT_TAP" ]; then
	[ -z "$STOP" ] || printf '# %s: stopped: %s\n' "$PROG" "$STOP"
	printf '# %s\n' "$SUMMARY"
	tap_plan "$TAP_N"
else
	[ -z "$STOP" ] || printf '%s: stopped: %s\n' "$PROG" "$STOP" >&2
	printf '%s\n' "$SUMMARY"
fi

status=0
[ $((N_FAIL + N_TIMEOUT + N_ERROR)) -eq 0 ] || status=1
[ -z "$STOP" ] || status=3
[ -z "$INTERRUPTED" ] || status=130
if [ -n "$OPT_JUNIT" ]; then
	props="accel=$ACCEL"$'\n'"config=$CFG_SHOWN"$'\n'"expected_failures=$N_XFAIL"
	[ -z "$INTERRUPTED" ] || props+=$'\n'"interrupted=$INTERRUPTED"
	[ -z "$STOP" ] || props+=$'\n'"harness_error=$STOP"
	if ! junit_write "$OPT_JUNIT" "$ELAPSED" "$props" "$LOG_DIR" "${COMPLETED[@]}"; then
		echo "$PROG: could not write JUnit file '$OPT_JUNIT'" >&2
		[ "$status" -ne 0 ] || status=3
	fi
fi
exit $status
