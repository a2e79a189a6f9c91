"""scripts/matrix/classify.py: for one ordered kernel pair A -> B, each
guest-visible difference between A's and B's own views classified by what
userspace could do about it, and the pair's verdict against the proposed
rule (a guest keeps the view it started with, across an upgrade and a
rollback).  Pure: it reads JSON documents other tools wrote (gvfp diff
--json, gvkvm try, gvstream diff, the pin run's facts: pins.py gathers
them) and returns JSON; tests/matrix/classify.sh feeds it recorded ones.

Classes (CLASSES, in this order of precedence):
  pinned             the pinned guest on B saw A's value
  refused            B's KVM refuses A's value (gvkvm try: the field, errno)
  needs-capability   refused, and the register takes values only with a
                     capability B's KVM lacks (controls.NEEDS_CAPABILITY)
  tolerated-by-qemu  B's KVM has no such register: the value is only in
                     the incoming stream; a QEMU that drops such registers
                     (11.1's tolerance) loads it, B's guest sees B's value
  accepted           B's KVM takes A's value, but the pinned guest did not
                     run on B (the load failed for another register)
  not-seen           B took the state, yet the guest sees another value
  not-tried          a register controls it, but gvkvm had no value of A's
                     for it (not among the ID and firmware values)
  not-expressible    no register controls it (controls.register_for), or
                     the register has the same value on both kernels
"""
import controls

CLASSES = ["pinned", "refused", "needs-capability", "tolerated-by-qemu", "accepted",
           "not-seen", "not-tried", "not-expressible"]


def _try_entries(try_doc):
    """{register name: gvkvm try entry} of a try document."""
    if not try_doc:
        return {}
    return {e.get("name"): e for e in try_doc.get("registers", []) if e.get("name")}


def refusal_text(to_label, entry):
    """"6.12 refuses ID_AA64MMFR1_EL1 = 0x...: field HCX (0x0, is 0x1) not
    writable (EINVAL)": the kernel's own answer, in one line."""
    fields = [f for f in entry.get("fields", []) if f.get("result") == "refused"]
    what = "%s refuses %s = %s" % (to_label, entry.get("name"), entry.get("requested"))
    if not fields:
        return "%s (%s)" % (what, entry.get("errno"))
    parts = []
    for f in fields:
        why = "not writable" if f.get("mask_writable") is False else "refused"
        parts.append("field %s (%s, is %s) %s (%s)" % (f.get("name"), f.get("requested"),
                                                        f.get("current"), why, f.get("errno")))
    return "%s: %s" % (what, "; ".join(parts))


def classify_change(change, ctx):
    """One gvfp diff change (A's own view -> B's own view) classified."""
    key = change.get("key")
    reg = controls.register_for(change)
    out = {"key": key, "a": change.get("old"), "b": change.get("new"), "register": reg}
    pinned = ctx["pinned_diff"]
    if ctx["loaded"] and pinned is not None:
        seen = pinned.get(key, change.get("old"))
        out["pinned_guest_saw"] = seen
        if seen == change.get("old"):
            out["class"] = "pinned"
            return out
    entry = ctx["tries"].get(reg) if reg else None
    if reg is None:
        out["class"] = "not-expressible"
    elif entry is not None and entry.get("result") == "refused":
        cap = controls.NEEDS_CAPABILITY.get(reg)
        # No such register on B first: no capability makes one appear.
        if entry.get("errno") == "ENOENT" or reg in ctx["b_lacks"]:
            out["class"] = "tolerated-by-qemu"
        elif cap and not ctx["b_caps"].get(cap):
            out.update({"class": "needs-capability", "capability": cap})
        else:
            out["class"] = "refused"
        out["errno"] = entry.get("errno")
        out["refused_fields"] = [f.get("name") for f in entry.get("fields", [])
                                 if f.get("result") == "refused"]
        out["why"] = refusal_text(ctx["b_label"], entry)
    elif reg in ctx["b_lacks"]:
        out["class"] = "tolerated-by-qemu"
    elif entry is not None and entry.get("differs") is False:
        # Both kernels' KVM give userspace the same value: what the guest
        # sees differs for another reason (a trap, the hardware's own).
        out["class"] = "not-expressible"
        out["why"] = "%s is %s in both kernels' KVM: the guest's difference is not in the register" % (
            reg, entry.get("current"))
    elif entry is not None:
        out["class"] = "not-seen" if ctx["loaded"] else "accepted"
    else:
        out["class"] = "not-tried"
    return out


def verdict(pair, rows):
    """The pair against the rule: does the guest keep A's view on B, and
    after the rollback on A; what breaks each."""
    pin, back = pair["pin"], pair.get("rollback") or {}
    breaks = []
    if pin.get("status") != "ran":
        breaks.append("the pin did not run")
    elif pin.get("loaded") is False:
        breaks.append("the boot state did not load on %s: %s" % (
            pair["to_label"], pin.get("qemu_error") or pin.get("verdict") or "no reason"))
    for r in rows:
        if r["class"] != "pinned":
            breaks.append("%s: %s" % (r["key"], r.get("why") or r["class"]))
    # What pinning itself changed: a key the pinned guest sees with a value
    # that is not A's, though both kernels' own views agree on it.
    known = {r["key"] for r in rows}
    for c in pin.get("pinned_changes") or []:
        if c["key"] not in known:
            breaks.append("%s: the pinned guest sees %s, both kernels' own views %s" % (
                c["key"], c.get("new"), c.get("old")))
    for reg in pair.get("stream_only", []):
        breaks.append("%s: only in the incoming stream (%s has no such register)" % (reg, pair["to_label"]))
    keeps = bool(pin.get("loaded")) and not pin.get("pinned_changes")
    rb = None
    if back.get("outcome") is not None:
        rb = {"loaded": back.get("loaded"), "keeps_view": back.get("outcome") == "PASS",
              "changed": back.get("changed", []), "qemu_error": back.get("qemu_error")}
    return {"direction": pair["direction"], "keeps_view": keeps, "breaks": breaks,
            "rollback": rb}


def classify_pair(pair):
    """pair: {from, to, from_label, to_label, direction, changes (gvfp diff
    of A's own view -> B's), pin {loaded, pinned_changes (gvfp diff of A's
    view -> the pinned guest's), ...}, rollback, try (gvkvm try document of
    A's values on B), b_capabilities, stream_only (registers only A's
    stream has)}.  Returns the classification document of matrix.json's
    "pins" (scripts/matrix/README.md)."""
    pin = pair.get("pin") or {}
    pinned_changes = pin.get("pinned_changes")
    ctx = {"loaded": bool(pin.get("loaded")),
           "pinned_diff": None if pinned_changes is None else
           {c["key"]: c.get("new") for c in pinned_changes},
           "tries": _try_entries(pair.get("try")),
           "b_caps": pair.get("b_capabilities") or {},
           "b_lacks": set(pair.get("stream_only") or []),
           "b_label": pair["to_label"]}
    rows = [classify_change(c, ctx) for c in pair.get("changes") or []]
    counts = {k: sum(1 for r in rows if r["class"] == k) for k in CLASSES}
    return {"from": pair["from"], "to": pair["to"], "from_label": pair["from_label"],
            "to_label": pair["to_label"], "pin": pin, "rollback": pair.get("rollback"),
            "stream_only": pair.get("stream_only") or [], "differences": rows,
            "counts": {k: v for k, v in counts.items() if v},
            "verdict": verdict(pair, rows)}


def kernel_summary(label, pairs):
    """What userspace can pin on one kernel (as the destination B of every
    pair): the registers it took from the others, the fields it refused."""
    took, refused, other = set(), {}, set()
    for p in pairs:
        for r in p["differences"]:
            if r["class"] in ("pinned", "accepted") and r.get("register"):
                took.add(r["register"])
            elif r["class"] in ("refused", "needs-capability"):
                for f in r.get("refused_fields") or [None]:
                    name = r["register"] + ("." + f if f else "")
                    refused[name] = r.get("capability") or r.get("errno")
            elif r["class"] == "not-expressible":
                other.add(r["key"])
    return {"label": label, "pins": sorted(took),
            "refuses": [{"field": k, "why": v} for k, v in sorted(refused.items())],
            "not_expressible": sorted(other)}
