#!/usr/bin/env python3
"""scripts/matrix/timeline.py OUT [WALL_MS]: where a kernel matrix run's time
went, from what run-matrix.sh left in OUT (scripts/bench-matrix.sh calls it;
it reads any run's OUT as well).

  OUT/run.env             the driver's phases: t_kernels_ms (kernels resolved
                          and fetched), t_prep_ms (initramfs ready),
                          t_hosts_ms (every host gone); all from the
                          driver's start
  OUT/kernels/kN/events.tsv   the host's time line (lib/hosts.bash mx_event:
                          "MS<TAB>WHAT", ms from the driver's start): start,
                          ready, send ID VERB ARGS, end ID VERB ARGS rc=N,
                          held for the cell ... (lib/live.bash), released: ...,
                          nice N ..., exit N, down ..., killed: ...
  OUT/kernels/kN/commands.tsv  one line per command that ended: VERB ARGS,
                          rc, ms inside the host, ms as the driver saw it

Per host: boot (start to ready), the driver's time of each kind of command
(kvm, pin-save, save, suite, kvm-try, pin, pin-back, live-in, live-out,
live-self, restore), the time held as a live source (from "held for" to
its live-out's send, or its release), idle (up and given nothing), and
the power-off (its send to the host's exit); and the suite's entries
of 5 s or more (kN/suite/junit.xml, the runner's own testcases).  Then
the critical path: the host that ended last, its time line in order.  WALL_MS: the whole run as
the caller timed it (what is past t_hosts_ms is the report's).
Prints figures; judges nothing."""
import os
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
from matrixfile import read_env  # noqa: E402  (after bytecode is turned off)

KINDS = ("kvm", "pin-save", "save", "suite", "kvm-try", "pin", "pin-back",
         "live-self", "live-out", "live-in", "restore")


def events(path):
    """[(ms, what)] of a host's events.tsv."""
    ev = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                ms, sep, what = line.rstrip("\n").partition("\t")
                if sep and ms.isdigit():
                    ev.append((int(ms), what))
    except OSError:
        pass
    return ev


def segments(ev):
    """The host's time line as [(start_ms, end_ms, kind, detail)]: kind is
    boot, a command's verb, held, idle or poweroff."""
    segs = []
    start = ready = None
    cur = None          # (t0, kind, detail): what the host is doing now
    last = None         # the time the last segment ended
    for t, what in ev:
        w = what.split()
        if what == "start":
            start = t
            cur = (t, "boot", "")
        elif what == "ready":
            ready = t
            if cur:
                segs.append((cur[0], t, "boot", ""))
            cur, last = None, t
        elif w[0] == "send" and len(w) >= 3:
            if cur and cur[1] == "held":
                segs.append((cur[0], t, "held", cur[2]))
            elif last is not None and t > last:
                segs.append((last, t, "idle", ""))
            verb = w[2]
            cur = (t, "poweroff" if verb == "poweroff" else verb, " ".join(w[3:]))
        elif w[0] == "end" and cur and cur[1] not in ("held", "poweroff"):
            segs.append((cur[0], t, cur[1], cur[2]))
            cur, last = None, t
        elif what.startswith("held for"):
            if last is not None and t > last:
                segs.append((last, t, "idle", ""))
            cur = (t, "held", what[len("held for "):])
        elif what.startswith("released"):
            if cur and cur[1] == "held":
                segs.append((cur[0], t, "held", cur[2] + " (released)"))
            cur, last = None, t
        elif w[0] in ("exit", "down", "killed:", "killed"):
            if cur:
                segs.append((cur[0], t, cur[1], cur[2] + ("" if w[0] == "exit" else " [" + what + "]")))
            elif last is not None and t > last:
                segs.append((last, t, "idle", ""))
            cur, last = None, t
    if cur:     # no end seen (a run cut short)
        segs.append((cur[0], ev[-1][0] if ev else cur[0], cur[1], cur[2] + " [unfinished]"))
    return segs, start, ready


def suite_tests(path):
    """[(name, ms)] of the suite's tests that ran, slowest first (the
    runner's JUnit in kN/suite/junit.xml)."""
    try:
        doc = ET.parse(path)
    except (OSError, ET.ParseError):
        return []
    got = []
    for tc in doc.iter("testcase"):
        # The runner's own entries (classname guestview), not each payload's checks.
        if tc.get("classname") == "guestview" and tc.find("skipped") is None and tc.get("time"):
            try:
                got.append((tc.get("name"), int(float(tc.get("time")) * 1000)))
            except ValueError:
                pass
    return sorted(got, key=lambda t: -t[1])


def sec(ms):
    return "-" if ms is None else "%.1f s" % (ms / 1000.0)


def summary(segs):
    """{kind: [ms, count]} in the order of KINDS, the others after."""
    agg = {}
    for a, b, kind, _ in segs:
        agg.setdefault(kind, [0, 0])
        agg[kind][0] += b - a
        agg[kind][1] += 1
    order = ["boot"] + [k for k in KINDS if k in agg] + \
        sorted(k for k in agg if k not in KINDS and k not in ("boot", "held", "idle", "poweroff")) + \
        ["held", "idle", "poweroff"]
    return [(k, agg[k][0], agg[k][1]) for k in order if k in agg]


def main():
    out = sys.argv[1]
    wall = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else None
    run = read_env(os.path.join(out, "run.env"))
    num = lambda k: int(run[k]) if run.get(k, "").isdigit() else None
    tk, tp, th = num("t_kernels_ms"), num("t_prep_ms"), num("t_hosts_ms")
    print("Phases (driver, from its start)")
    print("  kernels resolved/fetched  %8s" % sec(tk))
    print("  initramfs ready           %8s  (+%s)" % (sec(tp), sec(tp - tk) if None not in (tp, tk) else "-"))
    print("  hosts all gone            %8s  (+%s: the hosts' own time)" % (sec(th), sec(th - tp) if None not in (th, tp) else "-"))
    if wall is not None and th is not None:
        print("  report, and exit          %8s  (+%s: collect.py, matrix.json, the text)" % (sec(wall), sec(wall - th)))
    kdir = os.path.join(out, "kernels")
    hosts = []
    for name in sorted(os.listdir(kdir) if os.path.isdir(kdir) else [], key=lambda n: int(n[1:]) if n[1:].isdigit() else 0):
        ev = events(os.path.join(kdir, name, "events.tsv"))
        if not ev:
            continue
        label = read_env(os.path.join(kdir, name, "spec.env")).get("label", name)
        segs, start, ready = segments(ev)
        hosts.append((name, label, segs, start, ev[-1][0]))
    print("Per host (driver's times; 'held': waiting as a live cell's source for the destination to listen)")
    for name, label, segs, start, end in hosts:
        parts = ["%s %s%s" % (k, sec(ms), " (%d)" % n if n > 1 else "") for k, ms, n in summary(segs)]
        print("  %-3s %-24s up %s-%s (%s): %s" % (name, label, sec(start), sec(end), sec(end - (start or 0)), "; ".join(parts)))
        tests = suite_tests(os.path.join(kdir, name, "suite", "junit.xml"))
        if tests:
            big = [t for t in tests if t[1] >= 5000]
            print("      suite: %s%s" % (", ".join("%s %s" % (n, sec(ms)) for n, ms in big),
                                     "%s%d more %s" % ("; " if big else "", len(tests) - len(big), sec(sum(ms for _, ms in tests[len(big):])))
                                     if len(tests) > len(big) else ""))
    if not hosts:
        return
    name, label, segs, start, end = max(hosts, key=lambda h: h[4])
    print("Critical path: %s %s ended last, at %s; its time line:" % (name, label, sec(end)))
    line = []
    for a, b, kind, detail in segs:
        if b - a < 50 and kind in ("idle", "kvm-try"):
            continue   # noise at this scale
        line.append("%s %s%s" % (kind, sec(b - a), (" [" + detail + "]") if detail and kind not in ("save", "suite", "kvm", "pin-save", "live-self") else ""))
    # Wrapped for the terminal.
    text, row = [], "   "
    for p in line:
        if len(row) + len(p) + 2 > 110:
            text.append(row)
            row = "   "
        row += " " + p + ","
    text.append(row.rstrip(","))
    print("\n".join(text))
    others = [h for h in hosts if h[0] != name]
    if others:
        print("  (the others ended at %s)" % ", ".join("%s %s" % (h[0], sec(h[4])) for h in others))


if __name__ == "__main__":
    main()
