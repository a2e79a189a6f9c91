# scripts/runner/checks.bash: the checks a payload reported, read from its
# console log, so that TAP (tap.bash) and JUnit (junit.bash) can show each
# check as its own result: a dashboard then names the check that broke,
# not only the payload.
#
# The line format is lib/report.c's, and this table is the one description
# of it (lib/report.c points here; tests/runner/checks.sh fails when the
# two lists of verdicts disagree or a real payload's output does not parse):
#
#   VERDICT: [PREFIX: ...]MESSAGE          one line per check, from column 0
#
#   verdict  means                          TAP subtest           JUnit testcase
#   PASS     the check passed               ok                    passed
#   FAIL     the check failed               not ok                <failure>
#   XPASS    an expected failure passed     not ok                <failure>
#   SKIP     the check could not run        ok # SKIP             <skipped>
#   XFAIL    failed, as expected            not ok # TODO         <skipped "XFAIL: ...">
#   KFAIL    failed, a known (named) leak   not ok # TODO         <skipped "KFAIL: ...">
#   ABORT    the payload gave up here       not ok                <failure>
#   INFO     not a check: a note            -                     -
#
# A check's name is the line after "VERDICT: " up to the first " (" or
# "; ", and what follows is its detail: payloads put the values they
# measured there ("CNTVCT_EL0 did not go back (0x5c1637 before, ...)"), so
# the name stays the same from run to run.  A name met again in the same
# log gets " [2]", " [3]"...  Lines with '\r' endings are taken without it.

# The verdicts that are checks, as an extended regex alternation.
CHECK_VERDICTS='PASS|FAIL|XPASS|SKIP|XFAIL|KFAIL|ABORT'
# Only so many lines of a log are read: a guest printing in a loop until its
# timeout must not make the report take minutes.
CHECKS_MAX_LINES=20000
# A check's text is cut at so many characters before it is split: bash's
# ${s%%pattern} is quadratic in the string's length (a guest line of 1 MB
# took minutes), and no name or detail worth showing is that long.
CHECKS_MAX_CHARS=4096

# checks_read LOG: CHECK_VERDICT, CHECK_NAME and CHECK_DETAIL = the checks of
# LOG, in order (none when LOG cannot be read).
checks_read() {
	local line v rest name detail k re="^($CHECK_VERDICTS): (.*)$"
	local -a lines=()
	local -A seen=()
	CHECK_VERDICT=() CHECK_NAME=() CHECK_DETAIL=()
	[ -r "$1" ] || return 0
	mapfile -t -n "$CHECKS_MAX_LINES" lines <"$1"
	for line in "${lines[@]}"; do
		# Not ${line%$'\r'}: quadratic in the line's length.
		[[ $line != *$'\r' ]] || line=${line:0:-1}
		[[ $line =~ $re ]] || continue
		v=${BASH_REMATCH[1]} rest=${BASH_REMATCH[2]:0:CHECKS_MAX_CHARS}
		name=$rest detail=''
		# Cut at the earlier of the two separators.
		k=${rest%%" ("*}
		[ ${#k} -ge ${#name} ] || name=$k
		k=${rest%%"; "*}
		[ ${#k} -ge ${#name} ] || name=$k
		if [ ${#name} -lt ${#rest} ]; then
			detail=${rest:${#name}+2}
			[ "${rest:${#name}:2}" != ' (' ] || detail="($detail"
		fi
		[ -n "$name" ] || name='(unnamed)'
		k=${seen[$name]:-0}
		seen[$name]=$((k + 1))
		[ "$k" -eq 0 ] || name+=" [$((k + 1))]"
		CHECK_VERDICT+=("$v") CHECK_NAME+=("$name") CHECK_DETAIL+=("$detail")
	done
}

# check_failed V: true when verdict V fails its check.
check_failed() { case $1 in FAIL | XPASS | ABORT) return 0 ;; *) return 1 ;; esac; }
