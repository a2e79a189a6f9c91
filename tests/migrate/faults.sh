#!/bin/bash
# Every way a migration run can go wrong ends in bounded time, with a
# verdict that says what happened, and leaves no QEMU, socket or file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"

mig_run "the destination fails to start (bad option)" 2 20 MIGRATION=unix TIMEOUT=30s \
	DEST_PARAMS='-no-such-option' -- arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "bad destination: QEMU's own error, attributed" '^destination 1: qemu-system-aarch64: -no-such-option: invalid option' "$T_OUT"
t_grep "bad destination: verdict names the destination and its error" '^arm/run: QEMU_ERROR: destination 1 did not get ready to receive: qemu-system-aarch64: -no-such-option: invalid option' "$T_OUT"
t_nogrep "bad destination: not called a refusal, no register diagnosis" '^gvmigrate: migration 1 refused|CPU registers' "$T_OUT"

# A warning before the error (QEMU 11.1 warns that -mon is deprecated on
# every start): the verdict names the error, not the warning.
warn_qemu=$(t_tmpdir)/warn-qemu
printf '#!/bin/bash\necho "qemu-system-aarch64: -mon chardev=gvqmp,mode=control: warning: %s is deprecated" >&2\nexec %q "$@"\n' \
	"'-mon'" "$(command -v "${QEMU:-qemu-system-aarch64}")" >"$warn_qemu"
chmod +x "$warn_qemu"
mig_run "a destination that warns, then fails to start" 2 20 MIGRATION=unix TIMEOUT=30s DEST_QEMU="$warn_qemu" \
	DEST_PARAMS='-no-such-option' -- arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "warning first: the verdict names the error, not the warning" \
	'^arm/run: QEMU_ERROR: destination 1 did not get ready to receive: qemu-system-aarch64: -no-such-option: invalid option' "$T_OUT"

mig_run "the destination dies during the migration" 2 20 MIGRATION=unix TIMEOUT=30s \
	GVMIGRATE_FAULT=kill-destination -- arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "destination dies: the verdict names the death" '^gvmigrate: migration 1 ended: destination 1 died \(killed by signal 9\)$' "$T_OUT"
t_nogrep "destination dies: not called a refusal" '^gvmigrate: migration 1 refused' "$T_OUT"
t_nogrep "destination dies: no register diagnosis for a death" 'CPU registers|read-only values' "$T_OUT"

mig_run "the source dies during the migration" 2 20 MIGRATION=unix TIMEOUT=30s \
	GVMIGRATE_FAULT=kill-source -- arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "source dies: the verdict names the death" '^gvmigrate: migration 1 ended: source died \(killed by signal 9\)$' "$T_OUT"
t_nogrep "source dies: not called a refusal" '^gvmigrate: migration 1 refused' "$T_OUT"
t_nogrep "source dies: no register diagnosis for a death" 'CPU registers|read-only values' "$T_OUT"

mig_run "a destination that hangs: the migration times out (not a refusal)" 124 30 MIGRATION=unix \
	TIMEOUT=6s GVMIGRATE_FAULT=stop-destination -- arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "hung destination: said so" 'TIMEOUT after 6s during the migration' "$T_OUT"

mig_run "the guest never asks for a migration" 124 20 MIGRATION=unix TIMEOUT=3s -- \
	arm/selftest.flat -S
t_grep "never asks: said so" 'TIMEOUT after 3s before the guest asked for a migration' "$T_OUT"

mig_run "the guest hangs after the migration" 124 30 MIGRATION=unix TIMEOUT=10s -- \
	arm/migrate.flat -append 'count=1 rate_ms=0 hang=1'
t_grep "hangs after: said so" 'TIMEOUT after 10s after the last migration: the guest neither finished nor asked again' "$T_OUT"

mig_run "QEMU refuses (max to max,sve=off)" 79 40 MIGRATION=unix TIMEOUT=60s \
	DEST_PARAMS='-cpu max,sve=off' -- arm/migrate.flat -cpu max -append 'count=1 rate_ms=0'
t_grep "refused: QEMU's error from the destination" '^destination 1: qemu-system-aarch64: Failed to load cpu:cpreg_vmstate_array_len' "$T_OUT"
t_grep "refused: the verdict says refused" '^arm/run: REFUSED: migration 1 refused' "$T_OUT"

mig_run "a known refusal matching its diagnosis is XFAIL" 78 40 MIGRATION=unix TIMEOUT=60s \
	DEST_PARAMS='-cpu max,sve=off' MIGRATION_REFUSAL='cpreg_vmstate_array_len' -- \
	arm/migrate.flat -cpu max -append 'count=1 rate_ms=0'
t_grep "xfail: verdict" '^arm/run: XFAIL: refused as expected \(/cpreg_vmstate_array_len/\)' "$T_OUT"
mig_run "a known refusal with another diagnosis is FAIL" 1 40 MIGRATION=unix TIMEOUT=60s \
	DEST_PARAMS='-cpu max,sve=off' MIGRATION_REFUSAL='no such diagnosis' -- \
	arm/migrate.flat -cpu max -append 'count=1 rate_ms=0'
t_grep "xfail changed: says something else is to blame" 'FAIL: refused, but the diagnosis does not match' "$T_OUT"
mig_run "a known refusal that migrates now is FAIL" 1 40 MIGRATION=unix TIMEOUT=60s \
	MIGRATION_REFUSAL='cpreg_vmstate_array_len' -- arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "xfail fixed: says the incompatibility is gone" 'the incompatibility is gone, update unittests.cfg' "$T_OUT"

# Ctrl-C in each phase: before the request, during the migration, after it.
# During: the harness interrupts itself just after the migration started.
mig_run "interrupted during the migration" 130 20 MIGRATION=unix TIMEOUT=30s \
	GVMIGRATE_FAULT=interrupt -- arm/migrate.flat -append 'count=1 rate_ms=0'
t_grep "interrupted during: said so" '^gvmigrate: interrupted \(signal 2\) during the migration' "$T_OUT"

# Before and after: SIGINT to arm/run from outside (python starts it with
# SIGINT at its default), once the run has reached the phase.
interrupt_at() {
	local desc=$1 wait_for=$2 marker=gvint-$$-$RANDOM out
	shift 2
	local dir
	dir=$(t_tmpdir)/int-$marker
	mkdir -m 700 "$dir"
	out=$(TMPDIR=$dir MIGRATION=unix TIMEOUT=30s python3 - "$wait_for" "$marker" "$@" <<'PY'
import signal, subprocess, sys, time
wait_for, marker, args = sys.argv[1], sys.argv[2], sys.argv[3:]
p = subprocess.Popen(['arm/run'] + args + ['-name', marker], stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
seen, deadline = '', time.time() + 20
for line in p.stdout:
    seen += line.decode(errors='replace')
    if wait_for in seen:
        break
t0 = time.time()
p.send_signal(signal.SIGINT)
rest, _ = p.communicate(timeout=15)
print(p.returncode, int((time.time() - t0) * 1000))
PY
)
	t_eq "$desc: exit status 130" 130 "${out% *}"
	[ "${out#* }" -lt 5000 ] && t_ok "$desc: ended within 5 s (${out#* } ms)" || t_fail "$desc: took ${out#* } ms"
	# No pause: arm/run waits for what it stops, so nothing may be left when it exits.
	t_check "$desc: no QEMU left" bash -c "! pgrep -f -- '[q]emu-system.*$marker' >/dev/null"
	[ -z "$(ls -A "$dir")" ] && t_ok "$desc: nothing left in TMPDIR" || t_fail "$desc: left: $(ls -A "$dir")"
}
interrupt_at "interrupted before the guest asks" "gvmigrate" arm/selftest.flat -S
interrupt_at "interrupted after the migration" "gvmigrate: migration 1" arm/migrate.flat -append 'count=1 rate_ms=0 hang=1'
t_done
