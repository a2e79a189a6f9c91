#!/bin/bash
# arm/run with MIGRATION_ROLE: one half of a migration between two machines
# through the runner's own entry point, as the kernel matrix's live cells
# run it inside each emulated host (scripts/matrix/init-live.bash).  Here
# both halves on this machine over 127.0.0.1, the destination on a port of
# its own choosing (its "listening on" line says which); gvmigrate's own
# tests of the halves are roles.sh.
# quick-check: skip (two QEMUs)
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"
tmp=$(t_tmpdir)
host/gvmigrate --make-psk "$tmp/key" >/dev/null

# Errors: arm/run's own (the words), and gvmigrate's (its options), each a
# HARNESS_ERROR that names what is wrong.
t_status "MIGRATION_ROLE with an unclosed quote: HARNESS_ERROR" 3 \
	env MIGRATION_ROLE="source --to 'tcp:1" arm/run arm/migrate.flat
t_grep "... naming MIGRATION_ROLE" '^arm/run: HARNESS_ERROR: MIGRATION_ROLE: ' "$T_OUT"
t_status "MIGRATION_ROLE=source without --to: HARNESS_ERROR" 3 env MIGRATION_ROLE=source arm/run arm/migrate.flat
t_grep "... gvmigrate's reason, naming --to" '^arm/run: HARNESS_ERROR: --role source needs --to' "$T_OUT"
t_status "MIGRATION_ROLE with MIGRATION: HARNESS_ERROR" 3 \
	env MIGRATION=unix MIGRATION_ROLE="source --to tcp:127.0.0.1:1 --psk $tmp/key" arm/run arm/migrate.flat
t_grep "... gvmigrate's reason: --mode is for a run with both QEMUs here" '^arm/run: HARNESS_ERROR: --role source: --mode' "$T_OUT"
t_status "MIGRATION_ROLE with BASELINE: HARNESS_ERROR" 3 \
	env BASELINE=baselines/volatile.keys MIGRATION_ROLE="source --to tcp:127.0.0.1:1 --psk $tmp/key" arm/run arm/migrate.flat
t_grep "... saying a baseline does not apply to a migration" '^arm/run: HARNESS_ERROR: BASELINE does not apply to a migration run' "$T_OUT"

# A live migration through both arm/runs: the destination's verdict is the
# guest's, the source's says the migration completed.
TIMEOUT=60 MIGRATION_ROLE="destination --listen tcp:127.0.0.1:0 --psk $tmp/key" \
	arm/run arm/migrate.flat -append 'count=1 rate_ms=0 dirty=256' >"$tmp/dst.out" 2>&1 &
dst=$!
port=
for ((i = 0; i < 300; i++)); do
	port=$(sed -n 's/^gvmigrate: listening on tcp:127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$tmp/dst.out" | head -n 1)
	[ -n "$port" ] && break
	sleep 0.1
done
t_check "the destination said its port" test -n "$port"
TIMEOUT=60 MIGRATION_ROLE="source --to tcp:127.0.0.1:${port:-1} --psk $tmp/key" \
	arm/run arm/migrate.flat -append 'count=1 rate_ms=0 dirty=256' >"$tmp/src.out" 2>&1
src_rc=$?
wait "$dst"
dst_rc=$?
t_eq "source: PASS" 0 "$src_rc"
t_grep "source: the migration completed, the destination reports" '^arm/run: PASS: migration 1 to tcp:127\.0\.0\.1:[0-9]+ completed' "$tmp/src.out"
t_grep "source: gvmigrate ran as the source half" '/gvmigrate --timeout 60 --role source --to tcp:127\.0\.0\.1:[0-9]+ --psk ' "$tmp/src.out"
t_grep "source: its LEG line, with QEMU's total time" '^gvmigrate: LEG 1 out tcp:127\.0\.0\.1:[0-9]+ result=done request_ms=[0-9]+ total_ms=[0-9]+ downtime_ms=' "$tmp/src.out"
t_eq "destination: PASS" 0 "$dst_rc"
t_grep "destination: the guest PASSED there" '^arm/run: PASS: migration 1 from 127\.0\.0\.1:[0-9]+ received; the guest PASSED on the destination' "$tmp/dst.out"
t_grep "destination: the memory the guest wrote during the migration arrived" \
	'^PASS: migration 1: memory written during the migration survived it' "$tmp/dst.out"
t_check "nothing left running" bash -c "! pgrep -af -- '$tmp/key' | grep -q '[q]emu-system\|[g]vmigrate'"
t_done
