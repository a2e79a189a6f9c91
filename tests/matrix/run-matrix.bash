# tests/matrix/run-matrix.bash: the real matrix tests' one run of
# scripts/matrix/run-matrix.sh (sourced by real.sh and live.sh, after
# tests/lib.sh): bounded, its output kept in $tmp/run.out and shown as TAP
# comments, the file skipped when the Debian archive is out of reach and
# nothing is cached.  Sets MX_RC (its exit status) and MX_SECS.
# Usage: mx_test_run ARGS...   (run-matrix.sh's options and kernels)
mx_test_run() {
	local t0=$SECONDS
	timeout -k 10 900 scripts/matrix/run-matrix.sh "$@" >"$tmp/run.out" 2>&1
	MX_RC=$?
	MX_SECS=$((SECONDS - t0))
	if [ "$MX_RC" = 3 ] && grep -Eq 'cannot (fetch|read the arm64 kernel indexes)' "$tmp/run.out"; then
		t_skip "the Debian archive is out of reach and nothing is cached: $(grep -E 'cannot (fetch|read)' "$tmp/run.out" | head -n 1)"
	fi
	sed 's/^/#   /' "$tmp/run.out"
}
