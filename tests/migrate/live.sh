#!/bin/bash
# Live migration through arm/run and host/gvmigrate: same host over a unix
# socket, ping-pong, TCP on loopback and between two network namespaces,
# memory the guest writes while it is migrated (dirty=), and what the guest
# must catch itself (a changed MIDR, a changed CNTFRQ, a stale page).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
export TIMEOUT=60s

mig_run "unix: one migration, view and clock unchanged" 0 30 MIGRATION=unix -- \
	arm/migrate.flat -smp 2 -append 'count=1 rate_ms=200'
t_grep "unix: the guest compared its whole view" '^PASS: migration 1: the guest.s view is unchanged \([0-9]+ keys, 0 differ\)' "$T_OUT"
t_grep "unix: the counter rate was checked against host time" '^PASS: migration 1: the counter runs at CNTFRQ_EL0.s rate' "$T_OUT"
# QEMU 7.2 may answer before it computed its figures (then: "no figures").
t_grep "unix: the harness reports the timing" '^gvmigrate: migration 1 \(unix\): source -> destination 1, [0-9.]+ ms from request to ack; QEMU: (total [0-9]+ ms|no figures)' "$T_OUT"

mig_run "ping-pong: 6 migrations in one run" 0 40 MIGRATION=unix -- \
	arm/migrate.flat -append 'count=6 rate_ms=0'
t_grep "ping-pong: the sixth migration happened" '^gvmigrate: migration 6 \(unix\): destination 5 -> destination 6' "$T_OUT"
t_grep "ping-pong: the guest checked after each" '^PASS: migration 6: the guest.s view is unchanged' "$T_OUT"

mig_run "tcp on loopback, writing 1 MiB during each migration" 0 30 MIGRATION=tcp -- \
	arm/migrate.flat -append 'count=2 rate_ms=0 dirty=1024'
t_grep "tcp: QEMU chose a loopback port" '^gvmigrate: migration 2 \(tcp\)' "$T_OUT"
t_grep "tcp: the memory written during the migration arrived" \
	'^PASS: migration 2: memory written during the migration survived it \([0-9]+ passes over 1024 KiB in [0-9]+ ms, every page as last written\)' "$T_OUT"

# dirty=KIB: the guest writes every page of a buffer, pass after pass,
# while it waits for each ack (QEMU's iterative copy with dirty logging),
# and checks every page on the destination.  The first migration's wait
# includes the destination's start, thousands of passes, so "at least one
# pass" cannot fail by a fast machine.
mig_run "dirty: 2 MiB written during each of 3 migrations" 0 40 MIGRATION=unix -- \
	arm/migrate.flat -append 'count=3 rate_ms=0 dirty=2048'
t_eq "dirty: one memory line per migration, each PASS" 3 \
	"$(grep -cE '^PASS: migration [123]: memory written during the migration survived it \(([0-9]+) passes over 2048 KiB in [0-9]+ ms(, every page as last written|: the ack came before a whole pass, [0-9]+ pages written; every page as last written)\)$' "$T_OUT")"
t_grep "dirty: the guest wrote whole passes while it waited" \
	'^PASS: migration [123]: memory written during the migration survived it \([1-9][0-9]* passes over 2048 KiB' "$T_OUT"
t_nogrep "dirty: no FAIL" '^(FAIL|ABORT):' "$T_OUT"
# The check can fail: a stale copy of the middle page (256 of 512) after the ack.
mig_run "dirty_corrupt: a stale page on the destination is caught by the guest" 1 30 MIGRATION=unix -- \
	arm/migrate.flat -append 'count=1 rate_ms=0 dirty=2048 dirty_corrupt=1'
t_grep "dirty_corrupt: the line FAILs naming the page and its values" \
	'^FAIL: migration 1: memory written during the migration survived it \([0-9]+ passes over 2048 KiB in [0-9]+ ms; page 256 at 0x[0-9a-f]+ holds generation [0-9]+ \(head\) [0-9]+ \(tail\), index 256: expected generation [0-9]+, index 256; 1 of 512 pages wrong\)$' "$T_OUT"
head_tail=$(sed -nE 's/^FAIL: migration 1: memory written .* holds generation ([0-9]+) \(head\) ([0-9]+) \(tail\), index 256: expected generation ([0-9]+),.*/\1 \2 \3/p' "$T_OUT")
read -r g_head g_tail g_want <<<"$head_tail"
t_check "dirty_corrupt: the head is one generation stale, the tail as last written ($head_tail)" \
	test -n "$head_tail" -a "$((${g_head:-0} + 1))" = "${g_want:-x}" -a "${g_tail:-y}" = "${g_want:-x}"
t_grep "dirty_corrupt: the run is a FAIL of the guest" '^arm/run: FAIL: the guest failed after 1 migration' "$T_OUT"

if [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
	mig_run "tcp between two network namespaces" 0 30 MIGRATION=netns -- \
		arm/migrate.flat -append 'count=2 rate_ms=0'
	t_grep "netns: the namespaces were used" '^gvmigrate: migration 2 \(tcp, network namespaces\)' "$T_OUT"
	# Only this run's namespaces: other runs may be using theirs meanwhile.
	names=$(sed -n 's/^gvmigrate: network namespaces \([^ ]*\) .* and \([^ ]*\) .*/\1 \2/p' "$T_OUT")
	t_check "netns: the run named its namespaces" test -n "$names"
	for ns in $names; do t_check "netns: $ns is gone" test ! -e "/run/netns/$ns"; done
fi

# What a migration must not change, and the guest must catch when it does.
mig_run "a different MIDR on the destination is caught by the guest" 1 30 MIGRATION=unix \
	DEST_PARAMS='-cpu cortex-a57,midr=0x411fd071' -- arm/migrate.flat -cpu cortex-a57 -append 'count=1 rate_ms=0'
t_grep "MIDR: the difference is named with both values" '^FAIL: migration 1: sysreg.MIDR_EL1: 0x00000000411fd070 before, 0x00000000411fd071 after' "$T_OUT"
# print_before=0 (the kernel matrix's live cells): the view taken at home is
# not printed, the one that changed after the migration still is.
mig_run "print_before=0: the change is still caught" 1 30 MIGRATION=unix \
	DEST_PARAMS='-cpu cortex-a57,midr=0x411fd071' -- arm/migrate.flat -cpu cortex-a57 -append 'count=1 rate_ms=0 print_before=0'
t_eq "print_before=0: one view printed, after the migration (MIDR_EL1 as the destination has it)" \
	"sysreg.MIDR_EL1 0x00000000411fd071" "$(grep -a '^sysreg\.MIDR_EL1 ' "$T_OUT" | paste -sd'|')"
mig_run "a faster counter on the destination (cntfrq=1 GHz) is caught by the guest" 1 30 MIGRATION=unix \
	DEST_PARAMS='-cpu cortex-a57,cntfrq=1000000000' -- arm/migrate.flat -cpu cortex-a57 -append 'count=1 rate_ms=200'
# CNTFRQ_EL0 itself is migrated state (it still reads 62.5 MHz), but the
# destination's counter runs at 1 GHz: only the rate check can see it.
t_grep "CNTFRQ: the register still reads the source's value" '^PASS: migration 1: the guest.s view is unchanged' "$T_OUT"
t_grep "CNTFRQ: the counter's rate change is caught" '^FAIL: migration 1: the counter runs at CNTFRQ_EL0.s rate \(62500000 Hz\)' "$T_OUT"
t_done
