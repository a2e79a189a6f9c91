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
	# ^: QEMU's own command line, not timeout(1)'s, which names QEMU too.
	pid=$(pgrep -f -- "^qemu-system.*$marker") && { sleep 0.2; kill -KILL $pid; break; }
	sleep 0.1
done ) &
t_status "QEMU killed by SIGKILL: a QEMU error (2), not a TIMEOUT" 2 env TIMEOUT=60 arm/run arm/selftest.flat -S -append "$marker"
wait
t_grep "QEMU killed by SIGKILL: names the signal" '^arm/run: QEMU_ERROR: qemu-system-aarch64 killed by signal 9 \(SIGKILL\)$' "$T_OUT"

# SIGKILL of arm/run: what it started goes too, every process of the run
# (setpriv's parent-death signal), within seconds.  (There is no timeout(1)
# between arm/run and QEMU to kill any more: tests/runner/arm_run.sh.)
killed_link() {
	local desc=$1 which=$2 marker=gv-link-$$-$RANDOM out
	out=$(python3 - "$which" "$marker" <<'PY'
import os, signal, subprocess, sys, time
which, marker = sys.argv[1], sys.argv[2]
p = subprocess.Popen(['arm/run', 'arm/selftest.flat', '-S', '-append', marker],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def pids(pattern):    # this script names the marker too: not itself
    found = subprocess.run(['pgrep', '-f', pattern], capture_output=True, text=True).stdout.split()
    return [x for x in found if int(x) != os.getpid()]
deadline = time.time() + 30
while time.time() < deadline and not (pids('^timeout .*' + marker) and pids('^qemu-system.*' + marker)):
    time.sleep(0.05)
victim = int(pids('^timeout .*' + marker)[0]) if which == 'timeout' else p.pid
os.kill(victim, signal.SIGKILL)
p.wait(timeout=30)
t0 = time.time()
while time.time() < t0 + 10 and pids(marker):
    time.sleep(0.05)
print(len(pids(marker)), int((time.time() - t0) * 1000))
PY
)
	t_eq "$desc: nothing of the run left" 0 "${out% *}"
	[ "${out#* }" -lt 10000 ] && t_ok "$desc: gone within 10 s (${out#* } ms after)" ||
		{ t_fail "$desc: still there after 10 s"; pkill -KILL -f "$marker"; }
}
killed_link "arm/run killed by SIGKILL" arm/run

# A "QEMU" that ignores SIGTERM: timeout(1) kills it 5 s after the deadline
# (its status is then 137 too, as for the SIGKILL above).
printf '#!/bin/bash\ntrap "" TERM\nsleep 30 & wait $!; wait $!\n' >"$tmp/deaf-qemu"
chmod +x "$tmp/deaf-qemu"
t_status "a QEMU deaf to SIGTERM at the deadline: TIMEOUT (124)" 124 env TIMEOUT=1 QEMU="$tmp/deaf-qemu" arm/run arm/selftest.flat
t_grep "deaf QEMU: the timeout stated" '^arm/run: TIMEOUT after 1$' "$T_OUT"
t_done
