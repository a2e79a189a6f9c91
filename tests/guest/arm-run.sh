#!/bin/bash
# arm/run itself: defaults and overrides, exit statuses for every outcome,
# and a clean end on SIGTERM/SIGINT (no QEMU left behind).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/selftest.flat ] || t_skip "arm/selftest.flat not built"
tmp=$(t_tmpdir)

t_status "default: TCG on a named model with GICv3" 0 arm/run arm/selftest.flat -append vectors
t_grep "default command line" ' -machine virt,gic-version=3 -cpu cortex-a57 -accel tcg ' "$T_OUT"
t_status "a -cpu option replaces the default model" 0 arm/run arm/selftest.flat -cpu cortex-a72 -append vectors
t_nogrep "only the given -cpu" 'cortex-a57' "$T_OUT"
t_grep "verdict line last" '^arm/run: PASS \(8 tests' "$(tail -n 1 "$T_OUT" > "$tmp/last"; echo "$tmp/last")"

t_status "an invalid QEMU option is a QEMU error (2), not a skip" 2 arm/run arm/selftest.flat -no-such-option
t_grep "the QEMU error is stated" "^arm/run: QEMU_ERROR: .*-no-such-option: invalid option" "$T_OUT"
t_status "a missing QEMU binary is a harness error (3)" 3 env QEMU=/nonexistent/qemu arm/run arm/selftest.flat
t_grep "names the binary" "QEMU binary '/nonexistent/qemu' not found" "$T_OUT"
t_status "a missing payload is a harness error (3)" 3 arm/run arm/nosuch.flat
t_status "ACCEL must be kvm or tcg" 3 env ACCEL=hax arm/run arm/selftest.flat
if [ ! -w /dev/kvm ] || [ "$(uname -m)" != aarch64 ]; then
	t_status "ACCEL=kvm without usable KVM is a harness error" 3 env ACCEL=kvm arm/run arm/selftest.flat
fi
t_status "a payload that never finishes times out (124)" 124 env TIMEOUT=1 arm/run arm/selftest.flat -S
t_grep "timeout stated" '^arm/run: TIMEOUT after 1$' "$T_OUT"

# A guest that powers off without a status line: movz/movk w0 = PSCI
# SYSTEM_OFF, hvc #0.  QEMU exits 0, but nothing was reported.  An arm64
# Image header first (arm/run refuses a payload without one): a branch
# over it, text_offset 0, image_size, flags, the magic "ARM\x64" at 56.
. ./config.mak
printf '%s\n' 'b 1f' '.long 0' '.quad 0, 0x1000, 0x8, 0, 0, 0' '.ascii "ARMd"' '.long 0' \
	'1: movz w0, #0x0008' 'movk w0, #0x8400, lsl #16' 'hvc #0' > "$tmp/off.s"
"${CROSS_PREFIX}as" -o "$tmp/off.o" "$tmp/off.s" && "${CROSS_PREFIX}objcopy" -O binary "$tmp/off.o" "$tmp/off.bin"
t_status "QEMU exiting without a status line is an error (2)" 2 arm/run "$tmp/off.bin"
t_grep "stated" "^arm/run: QEMU_ERROR: QEMU exited without the payload's status line" "$T_OUT"

# Host facts reach the guest's arguments, with or without an -append of its own.
t_status "host facts: added to the guest's own -append" 0 env GUESTVIEW_HOST_FACTS='testbed_qemu=7.2.22' \
	arm/run arm/selftest.flat -append 'vectors'
t_grep "... appended to the guest's own arguments" "-append 'vectors testbed_qemu=7.2.22'" "$T_OUT"
t_status "host facts: a payload without -append gets one, and probes applies them" 0 env GUESTVIEW_HOST_FACTS='testbed_qemu=7.2.22' \
	arm/run arm/probes.flat -cpu max
t_grep "... and says which it was given" '^INFO: host kernel not given, test-bed QEMU 7.2.22' "$T_OUT"

# Signals: arm/run must take QEMU down with it.  Python starts it with
# SIGINT at its default (a background job of a script would ignore it).
for sig in TERM INT; do
	marker=gv-sig-$sig-$$
	out=$(python3 - "$sig" "$marker" <<'PY'
import signal, subprocess, sys, time
sig, marker = getattr(signal, 'SIG' + sys.argv[1]), sys.argv[2]
p = subprocess.Popen(['arm/run', 'arm/selftest.flat', '-S', '-append', marker],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
deadline = time.time() + 10
while time.time() < deadline and subprocess.run(['pgrep', '-f', 'qemu.*' + marker], capture_output=True).returncode:
    time.sleep(0.05)
t0 = time.time()
p.send_signal(sig)
rc = p.wait(timeout=10)
print(rc, int((time.time() - t0) * 1000))
PY
)
	t_eq "SIG$sig: exit status 130" 130 "${out% *}"
	[ "${out#* }" -lt 3000 ] && t_ok "SIG$sig: ends within 3 s (${out#* } ms)" || t_fail "SIG$sig: took ${out#* } ms"
	# No pause: arm/run waits for what it stops, so nothing may be left when it exits.
	t_check "SIG$sig: no QEMU left" bash -c "! pgrep -f -- '[q]emu-system.*$marker' >/dev/null"
done
t_done
