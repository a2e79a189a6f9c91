# scripts/runner/tap.bash: TAP version 13 on stdout for -t.
#
# The plan ("1..N") comes last, after the tests that actually completed, so
# the stream stays valid when the run is cut short (Ctrl-C, harness error):
# a consumer then sees N results and a plan of N.
#
# Each payload's checks (lib/report.c's lines, read by checks.bash) come
# first, as an indented subtest of the payload's test point -- TAP 14's
# form, "    # Subtest: NAME", the points, their plan -- which a TAP 13
# consumer passes over as lines it does not know; the payload's own line
# follows, so the stream has one top-level point per payload as before.

# shellcheck source=scripts/runner/checks.bash
. "${BASH_SOURCE[0]%/*}/checks.bash" || return 1

tap_header() { printf 'TAP version 13\n'; }

# tap_desc STR: REPLY = STR as a TAP description: one line, and '#' (which
# would start a directive) and '\' escaped as TAP says.
tap_desc() {
	local s=${1//[[:cntrl:]]/?}
	s=${s//\\/\\\\}
	REPLY=${s//#/\\#}
}

# tap_checks NAME LOG: the checks of the payload's LOG as NAME's subtest
# (nothing when the log holds none: a runner SKIP, a QEMU error).  A
# failing check gets a YAML block with its verdict and detail.
tap_checks() {
	local name=$1 log=$2 j n d why
	checks_read "$log"
	n=${#CHECK_NAME[@]}
	[ "$n" -gt 0 ] || return 0
	tap_desc "$name"
	printf '    # Subtest: %s\n' "$REPLY"
	for ((j = 0; j < n; j++)); do
		tap_desc "${CHECK_NAME[j]}"
		d=$REPLY
		why=${CHECK_DETAIL[j]//[[:cntrl:]]/ }
		case ${CHECK_VERDICT[j]} in
		PASS) printf '    ok %d - %s\n' $((j + 1)) "$d" ;;
		SKIP) printf '    ok %d - %s # SKIP %s\n' $((j + 1)) "$d" "${why:-skipped}" ;;
		XFAIL) printf '    not ok %d - %s # TODO expected failure %s\n' $((j + 1)) "$d" "$why" ;;
		KFAIL) printf '    not ok %d - %s # TODO known failure %s\n' $((j + 1)) "$d" "$why" ;;
		*)
			printf '    not ok %d - %s\n      ---\n      result: %s\n' $((j + 1)) "$d" "${CHECK_VERDICT[j]}"
			yaml_quote "${CHECK_DETAIL[j]}"
			printf '      detail: %s\n      ...\n' "$REPLY"
			;;
		esac
	done
	printf '    1..%d\n' "$n"
}

# yaml_quote STR: REPLY = STR as a YAML double-quoted scalar.
yaml_quote() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\t'/\\t}
	s=${s//[[:cntrl:]]/?}
	REPLY="\"$s\""
}

# tap_result N I LOG: one test point for test I, numbered N; failures get a
# YAML block with what a maintainer needs first: the verdict and the log.
#
# An expected failure (XFAIL) is "not ok N - name # TODO expected failure:
# reason", with the same YAML block.  TAP's TODO directive is the expected
# failure: a TODO point never counts as failed, whether ok or not ok, but
# the two mean different things to consumers.  "not ok # TODO" is the
# canonical form, the thing failed as it was known to; "ok # TODO" means the
# known problem is gone ("TODO passed" / "unexpectedly succeeded" in prove
# and Test::Harness), exactly what an XFAIL test does not report -- when
# the refusal disappears arm/run says FAIL, and so do we.  So "not ok".
#
# Its checks come first (tap_checks), read from LOG_DIR/<name>.log (LOG is
# that log as shown to the user); a test the runner skipped has none.
tap_result() {
	local n=$1 i=$2 log=$3 status=${R_STATUS[$2]} name=${CFG_NAME[$2]}
	[ -n "${PLAN_SKIP[i]+set}" ] || tap_checks "$name" "$LOG_DIR/$name.log"
	case $status in
	PASS) printf 'ok %d - %s\n' "$n" "$name" ;;
	SKIP) printf 'ok %d - %s # SKIP %s\n' "$n" "$name" "${R_DETAIL[i]//[[:cntrl:]]/ }" ;;
	*)
		if [ "$status" = XFAIL ]; then
			printf 'not ok %d - %s # TODO expected failure: %s\n' "$n" "$name" "${R_DETAIL[i]//[[:cntrl:]]/ }"
			printf '  ---\n  result: %s\n' "$status"
		else
			printf 'not ok %d - %s\n  ---\n  result: %s\n' "$n" "$name" "$status"
		fi
		yaml_quote "${R_DETAIL[i]}"
		printf '  message: %s\n' "$REPLY"
		yaml_quote "${R_VERDICT[i]}"
		printf '  verdict: %s\n' "$REPLY"
		printf '  exit_status: %s\n  duration_ms: %d\n' "${R_RC[i]}" $((R_US[i] / 1000))
		yaml_quote "$log"
		printf '  log: %s\n  ...\n' "$REPLY"
		;;
	esac
}

# tap_plan COUNT: the plan, for the COUNT test points printed.
tap_plan() { printf '1..%d\n' "$1"; }
