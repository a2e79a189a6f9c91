#!/bin/bash
# tests/matrix/pin-tcg.sh: the pin commands of the hosts' /init
# (scripts/matrix/init-pin.bash) on this machine under TCG, with init's
# framing helpers: pin-save stops migrate.flat before its first
# instruction and saves it, pin loads that state into a new QEMU and runs
# it to its migration request (saved there), pin-back restores that.  Then
# a state the second QEMU cannot take (another CPU model: another register
# list): the load fails with QEMU's words and "loaded=0".  A few seconds.
. "$(dirname "$0")/../lib.sh"
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"
[ -f "$T_ROOT/arm/migrate.flat" ] && [ -x "$T_ROOT/host/gvmigrate" ] || t_skip "not built (run make)"

tmp=$(t_tmpdir)
# What init gives the pin commands (scripts/matrix/init).
GV=$T_ROOT states=$tmp/states test_timeout=30 PIN_ACCEL=tcg PIN_TMP=$tmp
mkdir -p "$states"
say() { printf '@@GV %s\n' "$*"; }
ms_since() { local t=${EPOCHREALTIME/./}; REPLY=$(((t - $1) / 1000)); }
valid_name() { [[ $1 =~ ^[A-Za-z0-9._-]+$ ]]; }
run_test() {
	local name=$1 envs=() rc
	shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	say "test-begin $name"
	env ACCEL=tcg TIMEOUT=30s "${envs[@]}" "$GV/arm/run" "$@" </dev/null 2>&1
	rc=$?
	say "test-end $name rc=$rc ms=0"
	return $rc
}
MIGRATE_ARGS=("$GV/arm/migrate.flat" -smp 1 -m 128 -append 'count=1 rate_ms=0')
. "$T_ROOT/scripts/matrix/init-pin.bash"

t_status "pin-save: the boot state is saved" 0 pin_save k1
t_check "pin-save: QEMU's stream (QEVM), no gvmigrate header" \
	bash -c '[ "$(head -c 4 "$1")" = QEVM ]' _ "$states/boot-k1.stream"
t_grep "pin-save: QEMU said the guest had not run (prelaunch)" '^qmp: \{"return": \{"status": "prelaunch"' "$T_OUT"

t_status "pin: the boot state loads, runs, is saved at the request" 0 pin_run k1 k2
pin_log=$T_OUT
t_grep "pin: it loaded" '^@@GV pin-load k1 loaded=1$' "$pin_log"
t_grep "pin: the guest printed its view" 'guestview fingerprint begin' "$pin_log"
t_grep "pin: saved at the guest's request 1" 'state saved to .*pin-k1-k2 at the guest.s request 1' "$pin_log"

t_status "pin-back: the pinned guest restores and keeps its view" 0 pin_back k1 k2
t_grep "pin-back: the payload compared its view" "the guest's view is unchanged" "$T_OUT"

# A boot state of another CPU model: the load must fail, loaded=0.
pin_qemu_args() {
	PIN_ARGS=(-nodefaults -no-user-config -display none -machine virt,gic-version=3
		-cpu max -accel tcg -kernel "${MIGRATE_ARGS[@]}")
}
t_status "pin-save of a max CPU" 0 pin_save k3
t_status "pin: a state the destination cannot take fails the load" 2 pin_run k3 k2
t_grep "pin: loaded=0" '^@@GV pin-load k3 loaded=0$' "$T_OUT"
t_grep "pin: QEMU's refusal is in the log" 'load of migration failed|Failed to load' "$T_OUT"
t_nogrep "pin: no state saved" 'state saved to' "$T_OUT"
t_check "pin: no FIFO or temporary file left" bash -c '! ls "$1"/pinmon-* "$2"/*.tmp 2>/dev/null | grep -q .' _ "$tmp" "$states"
t_done
