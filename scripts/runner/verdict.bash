# scripts/runner/verdict.bash: turn what arm/run left behind (its exit status
# and the tail of its output) into one result per test.
#
# arm/run's exit status decides the outcome (tables/outcomes.bash, from
# tables/outcomes.def: status -> token -> the result word shown); its last
# stderr line ("arm/run: TOKEN ...", which must name the same token) and the
# payload's "EXIT: PASS|FAIL|SKIP summary" console line (and its
# "SUMMARY: ..." line) only supply the words shown in parentheses.  A
# status that is no outcome is an ERROR.  Needs tables/outcomes.bash.

# Results, by test index: R_STATUS (a result word of the table: PASS FAIL
# SKIP XFAIL REFUSED TIMEOUT ERROR), R_DETAIL
# (the words in parentheses), R_VERDICT (arm/run's verdict line, without
# "arm/run: "), R_RC (exit status), R_US (elapsed microseconds).
R_STATUS=() R_DETAIL=() R_VERDICT=() R_RC=() R_US=()

# verdict_classify I RC US LOG BACKSTOP_SECONDS
verdict_classify() {
	local i=$1 rc=$2 us=$3 log=$4 backstop=$5
	local verdict='' exitline='' summary='' skipline='' line n status detail secs tok vtok
	log_tail "$log" 100
	local -a tail=("${LOG_TAIL[@]}")
	# The verdict is arm/run's last line, EXIT: the payload's last console
	# line and SUMMARY: comes just before it: search backwards.
	for ((n = ${#tail[@]} - 1; n >= 0; n--)); do
		line=${tail[n]}
		[[ $line != *$'\r' ]] || line=${line:0:-1}
		if [ -z "$verdict" ] && [[ $line == 'arm/run: '* ]]; then verdict=${line#arm/run: }; fi
		if [ -z "$exitline" ] && [[ $line == 'EXIT: '* ]]; then exitline=${line#EXIT: }; fi
		if [ -z "$summary" ] && [[ $line == 'SUMMARY: '* ]]; then summary=${line#SUMMARY: }; fi
		if [ -z "$skipline" ] && [[ $line == 'SKIP: '* ]]; then skipline=${line#SKIP: }; fi
		[ -n "$verdict" ] && [ -n "$exitline" ] && [ -n "$summary" ] && [ -n "$skipline" ] && break
	done
	fmt_secs "$us" 2
	secs=${REPLY}s
	tok=${OUTCOME_BY_STATUS[$rc]:-}
	vtok=${verdict%%[ :]*}
	# arm/run interrupted from outside (run_tests.sh's own interruption is
	# not classified): the test did not complete, and nothing said why.
	[ "$tok" != INTERRUPTED ] || tok=''
	# 124 may be run_tests.sh's own timeout(1) (jobs.bash), whatever arm/run said last.
	if [ -n "$tok" ] && [ "$tok" != TIMEOUT ] && [ -n "$verdict" ] && [ "$vtok" != "$tok" ]; then
		status=ERROR detail="arm/run exited with status $rc ($tok) but its verdict says: $verdict"
		tok=-
	elif [ -n "$tok" ] && [ "$tok" != TIMEOUT ] && [ -z "$verdict" ]; then
		# arm/run always ends with its verdict line: a status without one
		# is something else's (a broken runner, a log that could not be
		# written), never a result to count.
		status=ERROR detail="arm/run exited with status $rc ($tok) but wrote no verdict line"
		tok=-
	fi
	case $tok in
	-) ;;
	PASS | FAIL | SKIP)
		status=${OUTCOME_RESULT[$tok]}
		# Prefer the payload's own words ("EXIT: FAIL summary"; for a skip,
		# its last "SKIP: reason" check line; its SUMMARY: line), then
		# arm/run's ("FAIL: words" or "FAIL (words)").
		detail=''
		if [[ $exitline == "$status "?* ]]; then detail=${exitline#"$status "}
		elif [ "$status" = SKIP ] && [ -n "$skipline" ]; then detail=$skipline
		elif [ -n "$summary" ]; then detail=$summary
		elif [[ $verdict == "$status: "?* ]]; then detail=${verdict#"$status: "}
		elif [[ $verdict == "$status ("*")" ]]; then detail=${verdict#"$status ("} detail=${detail%)}
		fi
		verdict_condense "$detail"
		detail=$REPLY
		if [ "$status" = SKIP ]; then detail=${detail:-no reason given}
		else detail+=${detail:+, }$secs; fi
		;;
	XFAIL)
		status=${OUTCOME_RESULT[$tok]}
		verdict_xfail_reason "$i" "$verdict"
		detail=$REPLY
		;;
	TIMEOUT)
		status=${OUTCOME_RESULT[$tok]}
		if [[ $verdict == TIMEOUT* ]]; then detail=${verdict#TIMEOUT }
		else detail="arm/run did not stop by itself; run_tests.sh killed it after ${backstop}s"; fi
		;;
	REFUSED)
		status=${OUTCOME_RESULT[$tok]} detail=${verdict#REFUSED: }
		detail=${detail:-refused (arm/run exit status $rc)}
		;;
	?*)
		# The errors share one result word: the verdict, token first, says which.
		status=${OUTCOME_RESULT[$tok]} detail=${verdict:-$tok (arm/run exit status $rc, no verdict line)}
		;;
	*)
		# 137 is run_tests.sh's own timeout(1) only once its SIGKILL can have
		# come, JOB_KILL_AFTER past the backstop; before, somebody else's.
		if [ "$rc" = 137 ] && [ "$backstop" -gt 0 ] && [ "$us" -ge $(((backstop + JOB_KILL_AFTER) * 1000000)) ]; then
			status=TIMEOUT detail="arm/run ignored SIGTERM; run_tests.sh killed it after ${backstop}s"
		elif [ "$rc" = 137 ]; then
			status=ERROR detail="arm/run was killed (SIGKILL) after $secs"
		else
			status=ERROR
			if [ -n "$verdict" ]; then detail="$verdict (exit status $rc)"
			else detail="arm/run exited with status $rc and no verdict line"; fi
		fi
		;;
	esac
	# shellcheck disable=SC2034 # R_* are read by run_tests.sh, tap.bash, junit.bash
	R_STATUS[i]=$status R_DETAIL[i]=$detail R_VERDICT[i]=$verdict R_RC[i]=$rc R_US[i]=$us
}

# verdict_xfail_reason I VERDICT: REPLY = why test I failed as expected:
# gvmigrate's diagnosis line that the test's expected refusal (its
# migration_refused key, else MIGRATION_REFUSAL from the environment)
# matches -- what QEMU said, which is what a reader wants to see -- else
# arm/run's words after "XFAIL: ".  Reads the LOG_TAIL verdict_classify
# just filled.
verdict_xfail_reason() {
	local re line n
	cfg_get "$1" migration_refused "${MIGRATION_REFUSAL:-}"
	re=$REPLY
	if [ -n "$re" ]; then
		for ((n = 0; n < ${#LOG_TAIL[@]}; n++)); do
			line=${LOG_TAIL[n]}
			[[ $line != *$'\r' ]] || line=${line:0:-1}
			[[ $line == 'gvmigrate: '* ]] || continue
			line=${line#gvmigrate: }
			case $line in 'XFAIL: '* | 'FAIL: '*) continue ;; esac
			if [[ $line =~ $re ]]; then REPLY="refused as expected: $line"; return; fi
		done
	fi
	REPLY=${2#XFAIL}
	REPLY=${REPLY#: }
	REPLY=${REPLY:-refused as expected (arm/run exit status $EXIT_XFAIL)}
}

# verdict_condense SUMMARY: REPLY = SUMMARY without its "0 something" items
# after the first: "13 tests, 0 unexpected failures, 1 skipped" reads as
# "13 tests, 1 skipped"; the log keeps the full line.
verdict_condense() {
	local rest=$1, item out=''
	# Only a test-count summary: a SKIP reason such as "needs 2 GICs, 0
	# found" must stay whole.
	if ! [[ $1 =~ ^[0-9]+\ tests?, ]]; then REPLY=$1; return; fi
	while [ -n "$rest" ]; do
		item=${rest%%,*} rest=${rest#*,}
		item=${item# }
		[ -n "$out" ] && [[ $item == '0 '* ]] && continue
		out+=${out:+, }$item
	done
	REPLY=$out
}

# verdict_failed I: true when test I counts as a failure: its result word
# is that of an outcome that fails (tables/outcomes.def).
verdict_failed() {
	local t
	for t in "${OUTCOME_TOKENS[@]}"; do
		[ "${OUTCOME_RESULT[$t]}" != "${R_STATUS[$1]}" ] || [ "${OUTCOME_FAILS[$t]}" != 1 ] || return 0
	done
	return 1
}
