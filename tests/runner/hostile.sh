#!/bin/bash
# tests/runner/hostile.sh: what an adversarial trial found in run_tests.sh
# after the first round of fixes, each a check that fails on the code before:
# - a runner that exits 0 without its verdict line is no PASS;
# - --junit naming something that is not a file (a FIFO here: /dev/null was
#   replaced by a regular file) is refused before anything runs, and so is
#   a directory or a symlink to one (the file went into it as junit.xml);
# - log directories that another user owns or can write (they could plant
#   a symlink where root writes a log, or swap the run's directory) are
#   refused, for GUESTVIEW_LOG_DIR and GUESTVIEW_RUN_LOG_DIR alike.
# shellcheck source=tests/runner/helpers.bash
. "$(dirname "$0")/helpers.bash"
rt_setup
rt_payload silent 'exit 0'
rt_cfg h.cfg <<'EOF2'
[quiet]
file = silent.flat
[fine]
file = pass.flat
EOF2

rt_run
t_eq "exit 0 without a verdict line: the run fails" 1 "$RT_RC"
t_grep "... an ERROR saying so, not a PASS" "^ERROR quiet \(arm/run exited with status 0 \(PASS\) but wrote no verdict line\)" "$RT/out"
t_grep "... the next test still runs" "^PASS fine " "$RT/out"

mkfifo "$RT/j.fifo"
rt_run --junit j.fifo
t_eq "--junit on a FIFO: a usage error" 2 "$RT_RC"
t_grep "... saying why" "--junit 'j.fifo': exists and is not a regular file" "$RT/err"
t_check "... and the FIFO is still one" test -p "$RT/j.fifo"
t_eq "... nothing ran" 0 "$(rt_calls)"
# A directory, or a symlink to one (that had the file written into it,
# DIR/junit.xml, silently); a symlink to a FIFO.
mkdir "$RT/jd"
ln -s jd "$RT/jd.link"
ln -s j.fifo "$RT/fifo.link"
for j in jd jd.link; do
	rt_run --junit "$j"
	t_eq "--junit $j (a directory): a usage error" 2 "$RT_RC"
	t_grep "... naming the option" "--junit '$j' is a directory \(or a symlink to one\), need a file name" "$RT/err"
	t_eq "... nothing written in it" "" "$(ls -A "$RT/jd")"
done
rt_run --junit fifo.link
t_eq "--junit on a symlink to a FIFO: a usage error" 2 "$RT_RC"
t_grep "... saying why" "--junit 'fifo.link': exists and is not a regular file" "$RT/err"
t_eq "... nothing ran" 0 "$(rt_calls)"

if [ "$EUID" = 0 ] && id nobody >/dev/null 2>&1; then
	mkdir -m 755 "$RT/theirs" && chown nobody "$RT/theirs"
	GUESTVIEW_LOG_DIR=$RT/theirs rt_run
	t_eq "GUESTVIEW_LOG_DIR of another user: a harness error" 3 "$RT_RC"
	t_grep "... naming the owner" "cannot use '.*theirs' for the logs: .*theirs belongs to uid [0-9]+, not to this user" "$RT/err"
	t_eq "... nothing written there" "" "$(ls -A "$RT/theirs")"
	GUESTVIEW_RUN_LOG_DIR=$RT/theirs rt_run
	t_eq "GUESTVIEW_RUN_LOG_DIR of another user: a harness error" 3 "$RT_RC"
	t_eq "... nothing written there" "" "$(ls -A "$RT/theirs")"
else
	t_ok "another user's log directory: not checked (needs root and a 'nobody' user)"
fi
mkdir -m 777 "$RT/open"
chmod 777 "$RT/open"
GUESTVIEW_RUN_LOG_DIR=$RT/open rt_run
t_eq "a log directory anyone can write in: a harness error" 3 "$RT_RC"
t_grep "... saying so" "open is writable by others \(mode 777\)" "$RT/err"
ln -s "$RT/logs" "$RT/link"
GUESTVIEW_LOG_DIR=$RT/link rt_run
t_eq "a log directory that is a symlink: a harness error" 3 "$RT_RC"
# Durations too long for 64-bit microseconds: refused, not wrapped around
# (they became a negative --timeout, or 0 = no limit).
rt_run_env() { (cd "$RT" && env "$@" "$RUNNER" --config h.cfg >"$RT/out" 2>"$RT/err"); RT_RC=$?; }
rt_run_env TIMEOUT=99999999999999999999s
t_eq "TIMEOUT of 20 digits: a usage error" 2 "$RT_RC"
t_grep "... naming TIMEOUT" "TIMEOUT must be a timeout\(1\) duration" "$RT/err"
t_status "arm/run: TIMEOUT of 20 digits: a harness error before QEMU" 3 env TIMEOUT=9223372036854775807 \
	"$T_ROOT/arm/run" "$T_ROOT/arm/selftest.flat"
t_grep "... naming TIMEOUT" "^arm/run: HARNESS_ERROR: TIMEOUT='9223372036854775807'" "$T_OUT"
rt_no_tmp "no temporary file left behind"
t_done
