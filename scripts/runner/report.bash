# scripts/runner/report.bash: the human-readable output: one line per test,
# a closing SUMMARY line, colours.
#
# Every line is printed by the main shell with a single printf, in config
# order, so lines stay whole and the output is the same whatever -j is.

# Colours only for a terminal, and never when NO_COLOR is set and not empty
# (https://no-color.org): logs and CI output must not contain escapes.
report_colours() {
	C_PASS='' C_FAIL='' C_SKIP='' C_OFF=''
	if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
		C_PASS=$'\e[32m' C_FAIL=$'\e[31m' C_SKIP=$'\e[33m' C_OFF=$'\e[0m'
	fi
}

# report_line STATUS NAME DETAIL: "PASS name (detail)".  XFAIL (an expected
# failure, not counted as one) is yellow like SKIP: not red, since nothing
# needs fixing, but not green either, since a known incompatibility is there.
report_line() {
	local colour=$C_FAIL
	case $1 in
	PASS) colour=$C_PASS ;;
	SKIP | XFAIL) colour=$C_SKIP ;;
	esac
	printf '%s%s%s %s%s\n' "$colour" "$1" "$C_OFF" "$2" "${3:+ ($3)}"
}

# report_console LOG PREFIX: print a test's output (the log minus its first
# line, the command line) for -v when it could not be shown live.
report_console() {
	tail -n +2 -- "$1" | sed "s/^/$2/"
}

# report_summary TOTAL PASS FAIL TIMEOUT ERROR SKIP XFAIL NOTRUN US EXTRA:
# REPLY = the closing line.  Timeouts and errors count as failures, and it
# says so.  Expected failures (XFAIL) are counted after the skips, and only
# when there are some (as "not run"): the line stays the same for a suite
# without any, and "N passed, N failed..., N skipped" keeps its shape for
# whatever reads it.
report_summary() {
	local total=$1 pass=$2 fail=$3 tmo=$4 err=$5 skip=$6 xfail=$7 notrun=$8 why='' more='' s=s
	fmt_secs "$9" 2
	[ "$tmo" -eq 0 ] || why="$tmo timed out"
	[ "$err" -eq 0 ] || why+="${why:+, }$err error"
	[ "$err" -le 1 ] || why+=s
	[ "$xfail" -eq 0 ] || more=", $xfail expected failure"
	[ "$xfail" -le 1 ] || more+=s
	[ "$notrun" -eq 0 ] || more+=", $notrun not run"
	[ "$total" -ne 1 ] || s=''
	printf -v REPLY 'SUMMARY: %d test%s, %d passed, %d failed%s, %d skipped%s in %ss%s' \
		"$total" "$s" "$pass" $((fail + tmo + err)) "${why:+ ($why)}" "$skip" \
		"$more" "$REPLY" "${10:+ (${10})}"
}
