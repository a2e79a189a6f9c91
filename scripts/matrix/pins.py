"""scripts/matrix/pins.py: the boot-state pin cells of matrix.json, from
what the hosts left (scripts/matrix/init-pin.bash's runs, framed on their
consoles): per ordered pair A -> B, did A's boot state load on B, what the
guest saw there, and what it saw after the rollback to A; then
classify.py's classification.  The views are migrate.flat's (the payload
the pins run), so A's and B's own are their save runs' fingerprints: the
same payload and command line, only the kernel differs.  Fingerprints are
compared only by gvfp (hosttools.py)."""
import os
import re

import classify
import hosttools as ht
from matrixfile import result_word

PIN_LOAD = re.compile(r"^@@GV pin-load (\S+) loaded=([01])$")
# gvmigrate prefixes QEMU's own lines with the QEMU's role.
QEMU_LINE = re.compile(r"^(?:source|restored): (qemu-system-\S+: .*)$")


def console_pin_loads(console):
    """{FROM: bool} from a host's console: whether FROM's boot state loaded."""
    loads = {}
    try:
        with open(console, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = PIN_LOAD.match(line.rstrip("\r\n"))
                if m:
                    loads[m.group(1)] = m.group(2) == "1"
    except FileNotFoundError:
        pass
    return loads


def _qemu_errors(log):
    with open(log, encoding="utf-8", errors="replace") as f:
        return [m.group(1) for m in map(QEMU_LINE.match, f.read().split("\n")) if m]


def _changes(a_fp, b_fp):
    """gvfp diff's changes A -> B (a list), or None when either is missing."""
    if not a_fp or not b_fp:
        return None
    d = ht.fp_diff(a_fp, b_fp)
    return None if d is None else d.get("changes", [])


def pin_run(out, a, b, run, loaded):
    """The pin A -> B (B's run "pin-kA")."""
    if run is None:
        return {"status": "not-run"}
    p = {"status": "ran", "rc": run["rc"], "outcome": result_word(run["rc"]),
         "verdict": run["verdict"], "log": run["log"], "loaded": loaded,
         "qemu_error": None, "fingerprint": None, "pinned_changes": None}
    errs = _qemu_errors(run["log"])
    if errs:
        p["qemu_error"] = errs[-1] if not loaded else errs[0]
        p["qemu_lines"] = errs
    fp = ht.extract_fp(run["log"], os.path.join(out, "cells", "%s-pinned-on-%s.fingerprint.txt"
                                                % (a["id"], b["id"])))
    if fp:
        p["fingerprint"] = fp
        p["pinned_changes"] = _changes(a.get("save_fingerprint"), fp)
        # Against B's own: what of B's view the pinned guest still has.
        own = _changes(b.get("save_fingerprint"), fp)
        p["differs_from_own"] = None if own is None else len(own)
    return p


def rollback_run(out, a, b, run, pinned_fp):
    """The rollback (A's run "pinback-kB"): the payload compares its view
    before (on B) and after (on A) itself; its printed after-view, when it
    changed, against the pinned one."""
    if run is None:
        return None
    outcome = result_word(run["rc"])
    r = {"rc": run["rc"], "outcome": outcome, "verdict": run["verdict"], "log": run["log"],
         "loaded": not any("load of migration failed" in l for l in _qemu_errors(run["log"])),
         "qemu_error": None, "changed": []}
    errs = _qemu_errors(run["log"])
    if errs:
        r["qemu_error"] = errs[-1]
        r["qemu_lines"] = errs
    if outcome != "PASS" and pinned_fp:
        after = ht.extract_fp(run["log"], os.path.join(out, "cells", "%s-rolled-back-from-%s.fingerprint.txt"
                                                       % (a["id"], b["id"])))
        ch = _changes(pinned_fp, after) if after else None
        r["changed"] = [{"key": c["key"], "on_b": c.get("old"), "on_a": c.get("new")} for c in ch or []]
    return r


def _version_key(k):
    v = k.get("version") or k.get("release") or ""
    return [int(x) for x in re.findall(r"\d+", v)[:3]]


def direction(a, b):
    va, vb = _version_key(a), _version_key(b)
    return "upgrade" if va < vb else "downgrade" if va > vb else "same"


def build_pins(out, kernels, stream_diff, read_try):
    """matrix.json's "pins" (one per ordered pair of different kernels)
    and "pin_summary" (one per kernel).  stream_diff(A, B) and read_try(A,
    B) are collect.py's readers of the register lists and gvkvm's answers."""
    os.makedirs(os.path.join(out, "cells"), exist_ok=True)
    loads = {k["id"]: console_pin_loads(os.path.join(out, "kernels", k["id"], "console.log"))
             for k in kernels}
    pins = []
    for a in kernels:
        for b in kernels:
            if a is b:
                continue
            runs_b, runs_a = b.get("_runs", {}), a.get("_runs", {})
            pin = pin_run(out, a, b, runs_b.get("pin-" + a["id"]), loads[b["id"]].get(a["id"]))
            back = rollback_run(out, a, b, runs_a.get("pinback-" + b["id"]), pin.get("fingerprint"))
            sd = stream_diff(a, b)
            tdoc = read_try(a, b)
            pair = {"from": a["id"], "to": b["id"], "from_label": a["label"], "to_label": b["label"],
                    "direction": direction(a, b),
                    "changes": _changes(a.get("save_fingerprint"), b.get("save_fingerprint")),
                    "pin": pin, "rollback": back, "try": tdoc,
                    "b_capabilities": (b.get("kvm_info") or {}).get("capabilities", {}),
                    "stream_only": (sd or {}).get("missing", [])}
            pins.append(classify.classify_pair(pair))
    summary = [classify.kernel_summary(k["label"], [p for p in pins if p["to"] == k["id"]])
               for k in kernels]
    return pins, summary

