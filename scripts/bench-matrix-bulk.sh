#!/bin/bash
# scripts/bench-matrix-bulk.sh [KERNEL] [run-matrix.sh options]: what the
# bulk channel (README: bulk channel) saves where it matters: under KVM in
# an emulated host, where every PL011 byte is an exit to the inner QEMU.
# One kernel matrix with two hosts of KERNEL (default 6.12) booted side by
# side, so both see the same load: KERNEL, whose suite uses the channel
# (scripts/matrix/init sets GUESTVIEW_BULK=1), and KERNEL:gv.bulk=0, whose
# suite uses the UART only.  Prints per host (its channel: what the idregs
# log's count lines say) the QEMU start-up inside, the suite's per-test
# times, the bytes that crossed the UART and the channel, and for idregs where its time went: QEMU start-up inside, the guest's own
# collection (its "collected N keys ... (US us)" line), and the rest
# (boot, output, arm/run and run_tests.sh).  The issue's target is idregs
# under 3 s with the channel: printed beside the figure.
# A benchmark, not a test: it prints figures and judges nothing.
# Takes a 2-kernel matrix's time (3-5 min on a loaded 2-core machine).
set -u
cd "$(dirname "$0")/.." || exit 2
kernel=6.12
case ${1-} in '' | -*) ;; *) kernel=$1; shift ;; esac
for f in scripts/matrix/run-matrix.sh tables/bulkproto.bash; do
	[ -e "$f" ] || { echo "bench-matrix-bulk: $f not built (run make)" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-bench.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

t0=${EPOCHREALTIME/./}
scripts/matrix/run-matrix.sh --out "$tmp/out" "$@" "$kernel" "$kernel:gv.bulk=0" >"$tmp/matrix.out" 2>&1
rc=$?
t1=${EPOCHREALTIME/./}
[ -s "$tmp/out/matrix.json" ] ||
	{ echo "bench-matrix-bulk: run-matrix.sh exited $rc without a matrix.json:"; tail -n 5 "$tmp/matrix.out"; exit 1; }
. tables/bulkproto.bash
BULK_ANNOUNCE=$BULK_ANNOUNCE python3 - "$tmp/out/matrix.json" <<'EOF'
import json, os, re, sys

announce = os.environ["BULK_ANNOUNCE"].encode()


def uart_and_channel(path):
    """Bytes of a test log that crossed the UART and the channel.  The log is
    run_tests.sh's header line, arm/run's QEMU command line, QEMU's output
    with the channel's bytes spliced after each count line (the count is the
    channel's total so far), and arm/run's verdict lines."""
    try:
        lines = open(path, "rb").read().splitlines(keepends=True)
    except OSError:
        return None, None
    uart = chan = skip = 0
    started = False
    for line in lines:
        if not started:
            started = line.startswith(b"qemu-system-")
            continue
        if skip > 0:
            skip -= len(line)
            continue
        if line.startswith(b"arm/run: "):
            continue
        uart += len(line)
        if line.startswith(announce) and line[len(announce):].strip().isdigit():
            n = int(line[len(announce):])
            skip, chan = n - chan, n
    return uart, chan


def collect_us(path):
    try:
        m = re.search(rb"^INFO: collected .* \((\d+) us\)$", open(path, "rb").read(), re.M)
    except OSError:
        return None
    return int(m.group(1)) if m else None


def sec(ms):
    return "-" if ms is None else "%.1f s" % (ms / 1000)


m = json.load(open(sys.argv[1]))
names = ("selftest", "idregs", "probes")
print("%-16s %-7s %9s  %-26s %-24s %s" % ("host", "channel", "QEMU up", "selftest / idregs / probes",
                                             "UART bytes idregs/probes", "channel bytes idregs/probes"))
idregs_split = []
for k in m["kernels"]:
    tests = {t["name"]: t for t in k.get("tests") or []}
    up = (k.get("timings") or {}).get("qemu_startup_ms")
    times = " / ".join(sec(tests[n]["ms"]) if n in tests else "-" for n in names)
    ub = [uart_and_channel(tests[n]["log"]) if n in tests else (None, None) for n in ("idregs", "probes")]
    fmt = lambda v: "-" if v is None else str(v)
    # What the log says, not what was asked: a count line means the channel carried the results.
    bulk = bool(ub[0][1])
    print("%-16s %-7s %9s  %-26s %-24s %s" % (k["label"], "virtio" if bulk else "none", sec(up), times,
                                               "/".join(fmt(u) for u, _ in ub), "/".join(fmt(c) for _, c in ub)))
    if "idregs" in tests and tests["idregs"]["ms"] is not None:
        ms = tests["idregs"]["ms"]
        us = collect_us(tests["idregs"]["log"])
        guest = None if us is None else us / 1000
        rest = ms - (up or 0) - (guest or 0)
        # The start-up is measured once before the suite, not in this run: under load the
        # two differ, and "the rest" can come out below zero -- noise, not a saving.
        idregs_split.append("  %s (%s): idregs %s = QEMU start-up %s (measured apart) + guest's collection %s"
                            " + the rest %s (guest boot, output, arm/run, run_tests.sh)%s"
                            % (k["label"], "virtio" if bulk else "none", sec(ms), sec(up), sec(guest), sec(rest),
                               ("; target < 3 s: " + ("met" if ms < 3000 else "missed")) if bulk else ""))
print("Where idregs' time went")
print("\n".join(idregs_split))
EOF
printf '(one matrix, both hosts at once: %.1f s in all, run-matrix.sh exit %d; load average %s)\n' \
	"$(((t1 - t0) / 1000))e-3" "$rc" "$(cut -d' ' -f1-3 /proc/loadavg)"
