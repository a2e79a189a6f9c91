# scripts/runner/tap.bash: TAP version 13 on stdout for -t.
#
# The plan ("1..N") comes last, after the tests that actually completed, so
# the stream stays valid when the run is cut short (Ctrl-C, harness error):
# a consumer then sees N results and a plan of N.

tap_header() { printf 'TAP version 13\n'; }

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
tap_result() {
	local n=$1 i=$2 log=$3 status=${R_STATUS[$2]} name=${CFG_NAME[$2]}
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
