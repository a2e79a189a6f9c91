#!/bin/bash
# The contract between gvmigrate and arm/run: gvmigrate's last line is
# "gvmigrate: RESULT TOKEN STATUS MIGRATIONS[ REASON]" with its exit status
# (tables/outcomes.def); arm/run's verdict takes the token from it; a
# refusal is REFUSED (79), not a QEMU error; gvmigrate owns the modes
# (--list-modes); --timeout 0 is no limit; a gvmigrate killed from outside
# is a crash naming the signal, not a TIMEOUT.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] && [ -f tables/outcomes.bash ] ||
	t_skip "host/gvmigrate, arm/migrate.flat or tables/outcomes.bash not built"
. tables/outcomes.bash

t_eq "--list-modes: one per line" "unix tcp netns" "$(host/gvmigrate --list-modes | tr '\n' ' ' | sed 's/ $//')"
t_status "an unknown --mode: harness error" "$EXIT_HARNESS_ERROR" host/gvmigrate --mode udp -- true
t_grep "an unknown --mode: RESULT line last, with the reason" \
	"^gvmigrate: RESULT HARNESS_ERROR $EXIT_HARNESS_ERROR 0 --mode 'udp': expected one of unix tcp netns" <(tail -n 1 "$T_OUT")
t_status "--timeout -1: harness error" "$EXIT_HARNESS_ERROR" host/gvmigrate --timeout -1 -- true
t_status "--timeout x: harness error" "$EXIT_HARNESS_ERROR" host/gvmigrate --timeout x -- true

# last_gv: the last gvmigrate line of the run's output.
last_gv() { grep '^gvmigrate: ' "$T_OUT" | tail -n 1; }
mig_run "a migration: PASS" 0 30 MIGRATION=unix TIMEOUT=0 -- arm/migrate.flat -append 'count=2 rate_ms=0'
t_eq "PASS: the RESULT line is gvmigrate's last" "gvmigrate: RESULT PASS 0 2 2 migrations, the guest passed" "$(last_gv)"
t_grep "PASS: --timeout 0 (no limit) for TIMEOUT=0" "/host/gvmigrate --timeout 0 --mode unix " "$T_OUT"

mig_run "refused: REFUSED ($EXIT_REFUSED)" "$EXIT_REFUSED" 40 MIGRATION=unix TIMEOUT=60s \
	DEST_PARAMS='-cpu max,sve=off' -- arm/migrate.flat -cpu max -append 'count=1 rate_ms=0'
t_grep "refused: RESULT line" "^gvmigrate: RESULT REFUSED $EXIT_REFUSED 1 migration 1 refused; destination 1: qemu-system-aarch64: " <(last_gv)
t_grep "refused: arm/run's verdict starts with the token" '^arm/run: REFUSED: migration 1 refused; destination 1: ' <(tail -n 1 "$T_OUT")

# gvmigrate killed by SIGKILL from outside, long before the deadline.
marker=gvkill-$$-$RANDOM
( for _ in $(seq 100); do
	pid=$(pgrep -f -- "^$T_ROOT/host/gvmigrate .*$marker") && { sleep 0.3; kill -KILL $pid; break; }
	sleep 0.1
done ) &
# (Not mig_run: a SIGKILLed gvmigrate cannot remove its private directory.)
dir=$(t_tmpdir)/$marker
mkdir -m 700 "$dir"
t_status "gvmigrate killed by SIGKILL: a harness error, not a TIMEOUT" "$EXIT_HARNESS_ERROR" \
	env TMPDIR="$dir" MIGRATION=unix TIMEOUT=60s arm/run arm/selftest.flat -S -append "$marker" -name "$marker"
wait
sleep 0.3
t_check "gvmigrate killed: its QEMUs died with it" bash -c "! pgrep -f -- '[q]emu-system.*$marker' >/dev/null"
t_grep "gvmigrate killed: names the signal" '^arm/run: HARNESS_ERROR: gvmigrate killed by signal 9 \(SIGKILL\)$' <(tail -n 1 "$T_OUT")
# The reason is on the verdict line itself, not only on a line above it
# (run_tests.sh shows the verdict as the test's detail).
t_status "a TMPDIR that is not there: a harness error" 3 env TMPDIR=/nonexistent-gv MIGRATION=unix \
	arm/run arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "... the reason on the verdict line" "^arm/run: HARNESS_ERROR: cannot (make a private directory|create the console's file) in /nonexistent-gv: No such file" "$T_OUT"
ln -s /etc/hostname "$T_TMP/state.lnk"
t_status "SAVE_STATE a symlink: a harness error" 3 env SAVE_STATE="$T_TMP/state.lnk" arm/run arm/migrate.flat \
	-append 'count=1 rate_ms=0'
t_grep "... the reason on the verdict line" "^arm/run: HARNESS_ERROR: cannot save to .*state.lnk: it is a symbolic link" "$T_OUT"
t_done
