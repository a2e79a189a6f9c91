# tests/matrix/run-matrix.bash: what the real matrix tests share (sourced
# by real.sh and live.sh, after tests/lib.sh, in the repository's root).
#
# mx_test_setup: skips the file when GUESTVIEW_SKIP_MATRIX is set or what
# the matrix needs is not built or not installed; sets tmp (the test's
# private directory) and points TMPDIR at an empty one inside it, so that
# "nothing left behind" can be checked.
mx_test_setup() {
	local f
	[ -z "${GUESTVIEW_SKIP_MATRIX:-}" ] || t_skip "GUESTVIEW_SKIP_MATRIX is set"
	for f in host/aarch64/gvmigrate host/aarch64/gvstream host/aarch64/gvfp host/aarch64/gvkvm \
		arm/migrate.flat host/gvfp host/gvmigrate; do
		[ -e "$f" ] || t_skip "$f not built (make; make cross-tools)"
	done
	command -v qemu-system-aarch64 >/dev/null && command -v cpio >/dev/null ||
		t_skip "needs qemu-system-aarch64 and cpio"
	tmp=$(t_tmpdir)
	mkdir -m 700 "$tmp/t"
	export TMPDIR=$tmp/t
}

# mx_test_run ARGS... (run-matrix.sh's options and kernels): one run,
# bounded, its output kept in $tmp/run.out and shown as TAP comments, the
# file skipped when the Debian archive is out of reach and nothing is
# cached.  Sets MX_RC (its exit status) and MX_SECS.
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
