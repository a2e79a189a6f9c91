#!/bin/bash
# Kernels that do not boot are cells of the matrix, in bounded time, never a
# hang; QEMU refusing to start is one too; Ctrl-C stops everything and
# leaves nothing behind, and so does a SIGKILL of the driver.  Fast: no Debian kernel, and a dummy initramfs
# (--initramfs), so nothing is fetched.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
command -v qemu-system-aarch64 >/dev/null || t_skip "needs qemu-system-aarch64"
[ -x host/gvfp ] && [ -x host/gvstream ] || t_skip "host tools not built (make)"
tmp=$(t_tmpdir)
mkdir -m 700 "$tmp/t"
export TMPDIR=$tmp/t
head -c 4194304 /dev/zero >"$tmp/zero.Image"
echo "not a cpio archive" >"$tmp/dummy.cpio"
# timeout(1): a driver that hangs must fail here, not hang the tests.
M=(timeout -k 5 60 scripts/matrix/run-matrix.sh --cache "$tmp/cache" --initramfs "$tmp/dummy.cpio")

# left: what a run left behind (QEMU processes of this test, its temp dirs).
left() {
	local l
	l=$(pgrep -af -- "$tmp/" | grep -v pgrep | grep qemu-system)
	l+=$(ls -A "$tmp/t")
	[ -z "$l" ] || {
		echo "left behind: $l"
		# Not left for the next test either: those QEMUs, by their ids.
		kill -KILL $(pgrep -f -- "$tmp/t/") 2>/dev/null
		return 1
	}
}

t0=$SECONDS
t_status "a zero-filled Image: the matrix ends, status 1" 1 "${M[@]}" --boot-timeout 5 --out "$tmp/o1" \
	--junit "$tmp/o1.xml" "$tmp/zero.Image"
t=$((SECONDS - t0))
t_check "a zero-filled Image: within 40 s, not the 60 s of the test's own bound (took ${t} s)" test "$t" -le 40
t_grep "its kernel: a timeout, saying there was no output" \
	'TIMEOUT: timeout after 5 s booting \(no console output at all\)' "$T_OUT"
t_grep "its cell: not run, with the reason" '^  A -> A  not-run: .*zero.Image: timeout after 5 s booting' "$T_OUT"
t_check "nothing left behind" left
t_check "matrix.json written" test -s "$tmp/o1/matrix.json"
t_grep "JUnit: the boot is an error" '<testcase classname="kernel .*zero.Image" name="boot" time="0.000"><error message="timeout: timeout after 5 s booting' "$tmp/o1.xml"
t_check "the console log kept" test -f "$tmp/o1/kernels/k1/console.log"

# (A CPU QEMU does not have is refused before anything: tests/matrix/hostcpu.sh.)
t_status "QEMU refuses to start the host: an error cell" 1 "${M[@]}" --host-smp 999 --out "$tmp/o2" "$tmp/zero.Image"
t_grep "its kernel: QEMU's own message" "ERROR: did not reach /init: QEMU error: .*Invalid SMP CPUs 999" "$T_OUT"
t_check "nothing left behind" left

# Two kernels, one of them fine for QEMU but silent: both cells rows named.
cp "$tmp/zero.Image" "$tmp/zero2.Image"
t_status "two kernels that do not boot" 1 "${M[@]}" --boot-timeout 4 --out "$tmp/o3" "$tmp/zero.Image" "$tmp/zero2.Image"
t_eq "four cells, all not run" 4 "$(grep -c 'not-run: ' "$T_OUT")"
t_check "nothing left behind" left

# qemus: how many QEMUs of this test's runs are up (counted by name: a
# count of any process naming $tmp/ also counts the driver's passing
# subshells).  wait_qemus N: until N are (up to 30 s).
qemus() { pgrep -af -- "$tmp/" | grep -c '[q]emu-system'; }
wait_qemus() {
	for _ in $(seq 300); do
		[ "$(qemus)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# Ctrl-C: SIGINT to the driver (as a terminal sends it; a background job
# would ignore it, so the signal is restored to its default first).
(t_sigint_default "${M[@]:4}" --boot-timeout 100 --out "$tmp/o4" "$tmp/zero.Image" "$tmp/zero2.Image" >"$tmp/int.out" 2>&1) &
pid=$!
# Both hosts' QEMUs and the network switch's.
t_check "interrupt: the hosts and the switch were running" wait_qemus 3
t0=$SECONDS
kill -INT "$pid"
wait "$pid"
rc=$?
t_eq "interrupt: exit status 130" 130 "$rc"
t_check "interrupt: stopped within 10 s" test $((SECONDS - t0)) -le 10
t_grep "interrupt: says so" 'interrupted \(SIGINT\): stopping the emulated hosts' "$tmp/int.out"
t_check "interrupt: nothing left behind" left

# SIGKILL of the driver: its hosts and its network switch die with it
# (setpriv --pdeathsig; before, a host ran on to its backstop, hours), and
# the private directory it could not remove is removed by the next run.
"${M[@]:4}" --boot-timeout 100 --out "$tmp/o5" "$tmp/zero.Image" "$tmp/zero2.Image" >"$tmp/kill.out" 2>&1 &
pid=$!
t_check "SIGKILL: the hosts and the switch were running" wait_qemus 3
kill -KILL "$pid"
wait "$pid" 2>/dev/null
for _ in $(seq 100); do
	[ "$(qemus)" = 0 ] && break
	sleep 0.1
done
t_eq "SIGKILL: no QEMU left within 10 s" 0 "$(qemus)"
t_check "SIGKILL: its private directory is still there (nobody could remove it)" \
	bash -c "ls -d '$tmp/t'/gv-matrix.* >/dev/null 2>&1"
t_status "the next run" 1 "${M[@]}" --boot-timeout 3 --out "$tmp/o6" "$tmp/zero.Image"
t_check "the next run removed the dead run's directory, and left nothing" left
t_done
