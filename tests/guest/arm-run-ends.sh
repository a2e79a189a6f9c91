#!/bin/bash
# arm/run's verdict when QEMU does not end by itself: a bad TIMEOUT is the
# caller's mistake, said before QEMU starts; a QEMU killed from outside
# (SIGKILL: the OOM killer) is a crash naming the signal, not a TIMEOUT;
# a QEMU that ignores SIGTERM at the deadline (timeout(1) then SIGKILLs
# it) is still a TIMEOUT.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/selftest.flat ] || t_skip "arm/selftest.flat not built"
tmp=$(t_tmpdir)

for bad in -1 abc 5x; do
	t_status "TIMEOUT=$bad: a harness error (3)" 3 env TIMEOUT="$bad" arm/run arm/selftest.flat
	t_grep "TIMEOUT=$bad: names the variable" "^arm/run: HARNESS_ERROR: TIMEOUT='$bad': expected a timeout\(1\) duration" "$T_OUT"
	t_nogrep "TIMEOUT=$bad: QEMU never started (no command line)" ' -kernel ' "$T_OUT"
done

# SIGKILL to QEMU from outside, long before the deadline.
marker=gv-kill-$$
( for _ in $(seq 100); do
	pid=$(pgrep -f -- "[q]emu-system.*$marker") && { sleep 0.2; kill -KILL $pid; break; }
	sleep 0.1
done ) &
t_status "QEMU killed by SIGKILL: a QEMU error (2), not a TIMEOUT" 2 env TIMEOUT=60 arm/run arm/selftest.flat -S -append "$marker"
wait
t_grep "QEMU killed by SIGKILL: names the signal" '^arm/run: QEMU_ERROR: qemu-system-aarch64 killed by signal 9 \(SIGKILL\)$' "$T_OUT"

# A "QEMU" that ignores SIGTERM: timeout(1) kills it 5 s after the deadline
# (its status is then 137 too, as for the SIGKILL above).
printf '#!/bin/bash\ntrap "" TERM\nsleep 30 & wait $!; wait $!\n' >"$tmp/deaf-qemu"
chmod +x "$tmp/deaf-qemu"
t_status "a QEMU deaf to SIGTERM at the deadline: TIMEOUT (124)" 124 env TIMEOUT=1 QEMU="$tmp/deaf-qemu" arm/run arm/selftest.flat
t_grep "deaf QEMU: the timeout stated" '^arm/run: TIMEOUT after 1$' "$T_OUT"
t_done
