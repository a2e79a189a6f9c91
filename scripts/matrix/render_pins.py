"""scripts/matrix/render_pins.py: the text of matrix.json's boot-state pins
(pins, pin_summary; classify.py): per pair the pin, the rollback, the
verdict and the classification table; per kernel what userspace can pin."""

# How each class reads in the table's last column.
CLASS_WORDS = {
    "pinned": "pinned",
    "refused": "refused by %(b)s's KVM",
    "needs-capability": "needs a capability",
    "tolerated-by-qemu": "only in the stream (QEMU must tolerate)",
    "accepted": "accepted by %(b)s's KVM (the load failed elsewhere)",
    "not-seen": "loaded, the guest sees another value",
    "not-tried": "a register, no value of %(a)s's for it",
    "not-expressible": "not expressible",
}


def _pin_line(p, b):
    pin = p["pin"]
    if pin.get("status") != "ran":
        return "pin: not run"
    if not pin.get("loaded"):
        return "pin: %s refused the boot state: %s" % (b, " / ".join(pin.get("qemu_lines") or [pin.get("verdict") or "?"]))
    ch = pin.get("pinned_changes")
    own = pin.get("differs_from_own")
    return "pin: loaded on %s, the guest ran (%s); its view against the source's own: %s; against %s's own: %s" % (
        b, pin.get("outcome"), "?" if ch is None else ("identical" if not ch else "%d keys differ" % len(ch)),
        b, "?" if own is None else ("identical" if not own else "%d keys differ" % own))


def _rollback_line(p, a):
    r = p.get("rollback")
    if r is None:
        return "rollback: not run (no pinned guest to bring back)"
    if not r.get("loaded"):
        return "rollback to %s: refused: %s" % (a, " / ".join(r.get("qemu_lines") or [r.get("verdict") or "?"]))
    s = "rollback to %s: %s" % (a, "the guest's view is unchanged" if r["outcome"] == "PASS" else r["verdict"])
    for c in r.get("changed", []):
        s += "\n        %s: %s on B -> %s on A" % (c["key"], c["on_b"], c["on_a"])
    return s


def pair_text(p, ids):
    a, b = p["from_label"], p["to_label"]
    v = p["verdict"]
    o = ["  %s -> %s  (%s -> %s, %s)" % (ids[p["from"]], ids[p["to"]], a, b, v["direction"])]
    if p["pin"].get("status") != "ran":
        o[0] += ": not run"
        return o
    o.append("      " + _pin_line(p, b))
    o.append("      " + _rollback_line(p, a))
    o.append("      verdict: the guest %s its view on %s%s" % (
        "keeps" if v["keeps_view"] else "does not keep", b,
        "" if v["keeps_view"] else "; broken by %d: %s" % (len(v["breaks"]), v["breaks"][0])))
    if p["stream_only"]:
        o.append("      only in %s's stream: %s" % (a, ", ".join(p["stream_only"])))
    rows = p["differences"]
    if not rows:
        o.append("      no difference between the two kernels' own views")
        return o
    o.append("      %-32s %-20s %-20s %s" % ("key", a, b, "class"))
    for r in rows:
        word = CLASS_WORDS.get(r["class"], r["class"]) % {"a": a, "b": b}
        o.append("      %-32s %-20s %-20s %s" % (r["key"], r["a"] or "absent", r["b"] or "absent", word))
        if r.get("why"):
            o.append("          " + r["why"])
    return o


def text(m, ids):
    """The lines of the pins section ([] when the matrix has none)."""
    pins = m.get("pins") or []
    if not pins:
        return []
    o = ["", "Pinning by the boot state (A's paused guest loaded on B; rows: A's own view vs B's own)"]
    for p in pins:
        o.extend(pair_text(p, ids))
    o.append("")
    o.append("What userspace can pin, per kernel (as the destination)")
    for s in m.get("pin_summary") or []:
        o.append("  %s: takes %s" % (s["label"], ", ".join(s["pins"]) or "nothing that differed"))
        if s["refuses"]:
            o.append("      refuses: " + ", ".join("%s (%s)" % (r["field"], r["why"]) for r in s["refuses"]))
        if s["not_expressible"]:
            o.append("      no register for: " + ", ".join(s["not_expressible"]))
    return o
