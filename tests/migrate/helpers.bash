# tests/migrate/helpers.bash: shared by the migration tests (sourced, not a test).
# mig_run DESC EXPECTED_STATUS MAX_SECONDS [ENV=VALUE...] -- ARM_RUN_ARGS...
# runs arm/run with a private TMPDIR and a unique QEMU -name, then checks the
# exit status, the time bound, that no QEMU of the run is left, and that the
# private directory is empty (no socket, stream or directory left behind).
mig_run() {
	local desc=$1 want=$2 max=$3 t0 t1 ms marker envs=()
	shift 3
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	marker=gvmig-$$-$RANDOM
	MIG_TMP=$(t_tmpdir)/run-$marker
	mkdir -m 700 "$MIG_TMP"
	t0=$(date +%s%N)
	t_status "$desc" "$want" env TMPDIR="$MIG_TMP" "${envs[@]}" arm/run "$@" -name "$marker"
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	if [ "$ms" -le $((max * 1000)) ]; then t_ok "$desc: ended within ${max}s (${ms} ms)"
	else t_fail "$desc: took ${ms} ms, more than ${max}s"; fi
	if pgrep -f -- "[q]emu-system.*$marker" >/dev/null; then
		t_fail "$desc: a QEMU of the run is still there"; pkill -9 -f -- "[q]emu-system.*$marker"
	else t_ok "$desc: no QEMU left"; fi
	if [ -z "$(ls -A "$MIG_TMP")" ]; then t_ok "$desc: nothing left in TMPDIR"
	else t_fail "$desc: left in TMPDIR: $(ls -A "$MIG_TMP" | tr '\n' ' ')"; fi
}
