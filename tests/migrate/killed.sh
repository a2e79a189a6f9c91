#!/bin/bash
# gvmigrate killed with SIGKILL (nothing of its own cleanup runs): its QEMUs
# die with it, and the next run removes what it left -- the private
# directory and, with --netns, the namespaces.  Namespace names are unique,
# so a leftover never turns a run into a SKIP; a failing ip is an error.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
export TIMEOUT=60s
netns_ok=false
[ "$(id -u)" = 0 ] && command -v ip >/dev/null && netns_ok=true

# qemu_pids MARKER: the QEMUs of one run (found by its unique -name).
qemu_pids() { pgrep -f -- "^[^ ]*qemu-system[^ ]* .*$1"; }

# kill_run MODE QEMUS ENV...: start a run whose guest never asks (paused),
# wait for its QEMUS QEMUs, SIGKILL gvmigrate, and check they all exit.
kill_run() {
	local mode=$1 want=$2 marker=gvkill-$$-$RANDOM pid n i left
	shift 2
	KILL_TMP=$(t_tmpdir)/kill-$mode
	mkdir -m 700 "$KILL_TMP"
	env TMPDIR="$KILL_TMP" "$@" arm/run arm/selftest.flat -S -name "$marker" >"$KILL_TMP.out" 2>&1 &
	for ((i = 0; i < 200; i++)); do
		n=$(qemu_pids "$marker" | wc -l)
		[ "$n" -ge "$want" ] && break
		sleep 0.1
	done
	pid=$(pgrep -f -- "^[^ ]*host/gvmigrate .*$marker")
	if [ "$n" -lt "$want" ] || [ -z "$pid" ]; then
		t_fail "$mode: the run did not get its $want QEMU(s) up"; sed 's/^/#   /' "$KILL_TMP.out"
		wait; return
	fi
	# A run starting meanwhile in the same TMPDIR leaves the live run's directory alone.
	live=$(ls -A "$KILL_TMP")
	TMPDIR=$KILL_TMP host/gvmigrate --timeout 5 -- /bin/false >/dev/null 2>&1
	t_eq "$mode: another run started meanwhile kept the live run's directory" "$live" "$(ls -A "$KILL_TMP")"
	kill -KILL "$pid"
	for ((i = 0; i < 50; i++)); do
		[ -z "$(qemu_pids "$marker")" ] && break
		sleep 0.1
	done
	left=$(qemu_pids "$marker")
	if [ -z "$left" ]; then t_ok "$mode: SIGKILL of gvmigrate: its $want QEMU(s) exited within $((i / 10)).$((i % 10))s"
	else t_fail "$mode: SIGKILL of gvmigrate: QEMU(s) $left still running"; kill -KILL $left; fi
	wait
	t_check "$mode: the killed run left its directory (for the next run to clean)" \
		test -n "$(ls -A "$KILL_TMP")"
}

# next_run MODE ENV...: a run in the same TMPDIR removes what the killed run left.
next_run() {
	local mode=$1
	shift
	t_status "$mode: the next run passes" 0 env TMPDIR="$KILL_TMP" "$@" \
		arm/run arm/migrate.flat -append 'count=1 rate_ms=0'
	t_grep "$mode: the next run says what it removed" "^gvmigrate: removing $KILL_TMP/gvmigrate\.[^ ]+, left by a run that was killed" "$T_OUT"
	t_eq "$mode: nothing left in TMPDIR" "" "$(ls -A "$KILL_TMP")"
}

kill_run unix 2 MIGRATION=unix
next_run unix MIGRATION=unix
kill_run tcp 2 MIGRATION=tcp
next_run tcp MIGRATION=tcp
kill_run save 1 SAVE_STATE="$(t_tmpdir)/state"
t_check "save: no state file from the killed run" test ! -e "$(t_tmpdir)/state"
next_run save SAVE_STATE="$(t_tmpdir)/state"

if $netns_ok; then
	kill_run netns 2 MIGRATION=netns
	stale=$(sed -n 's/^gvmigrate: network namespaces \([^ ]*\) .* and \([^ ]*\) .*/\1 \2/p' "$KILL_TMP.out")
	t_check "netns: the killed run's namespaces are named in its output" test -n "$stale"
	next_run netns MIGRATION=netns
	for ns in $stale; do
		t_grep "netns: the next run deleted $ns" "^gvmigrate: deleting network namespace $ns, left by a run that was killed" "$T_OUT"
		t_check "netns: $ns is gone" test ! -e "/run/netns/$ns"
	done
	# A namespace of a live process is not ours to delete, and no reason to skip.
	live=gvm-$$-00000000-a
	ip netns add "$live"
	mig_run "netns: a run next to a live run's namespace" 0 30 MIGRATION=netns -- \
		arm/migrate.flat -append 'count=1 rate_ms=0'
	t_check "netns: the live run's namespace is kept" test -e "/run/netns/$live"
	ip netns delete "$live"
	# ip failing for another reason than permission is an error, with ip's message.
	fake=$(t_tmpdir)/fake-ip
	mkdir "$fake" && printf '#!/bin/sh\necho "RTNETLINK answers: a fake failure" >&2\nexit 2\n' > "$fake/ip"
	chmod +x "$fake/ip"
	mig_run "netns: ip fails" 3 10 MIGRATION=netns PATH="$fake:$PATH" -- arm/migrate.flat
	t_grep "netns: ip's failure is a harness error with its message" \
		"^arm/run: HARNESS_ERROR: cannot make the network namespaces: 'ip netns add gvm-[0-9]+-[0-9a-f]{8}-a' failed: RTNETLINK answers: a fake failure" "$T_OUT"
fi
# Where namespaces cannot be made (no ip here): a skip that says why.
t_status "netns without ip: a skip" 77 env PATH=/nonexistent host/gvmigrate --netns -- /bin/true
t_grep "netns without ip: says why" "^gvmigrate: SKIP: cannot make network namespaces here: " "$T_OUT"
t_done
