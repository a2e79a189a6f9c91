"""scripts/matrix/compare.py: what got worse (and better) from one stored
matrix.json to another -- the nightly job's question."""
from matrixfile import RANK


def compare(old, new):
    """Lines naming what got worse (and what got better); returns (worse, lines)."""
    lines, worse, better = [], 0, 0
    ok = {k["label"]: k for k in old["kernels"]}
    for k in new["kernels"]:
        o = ok.get(k["label"])
        if o is None:
            lines.append("new kernel: %s" % k["label"])
            continue
        if (o.get("package"), o.get("version")) != (k.get("package"), k.get("version")) and k.get("version"):
            lines.append("kernel %s: now %s %s (was %s %s)" % (k["label"], k["package"], k["version"],
                                                             o.get("package"), o.get("version")))
        if o["status"] == "ok" and k["status"] != "ok":
            worse += 1
            lines.append("WORSE kernel %s: %s (was ok)" % (k["label"], k["reason"] or k["status"]))
        elif o["status"] != "ok" and k["status"] == "ok":
            better += 1
            lines.append("better kernel %s: boots with KVM again (was %s)" % (k["label"], o["status"]))
        if o.get("kvm_mode") and k.get("kvm_mode") and o["kvm_mode"] != k["kvm_mode"]:
            lines.append("kernel %s: KVM mode %s (was %s)" % (k["label"], k["kvm_mode"], o["kvm_mode"]))
        ot = {t["name"]: t for t in o.get("tests", [])}
        for t in k.get("tests", []):
            p = ot.get(t["name"])
            if p and p["outcome"] == "PASS" and t["outcome"] != "PASS":
                worse += 1
                lines.append("WORSE kernel %s: test %s: %s (was PASS): %s"
                             % (k["label"], t["name"], t["outcome"], t["verdict"]))
            elif p and p["outcome"] != "PASS" and t["outcome"] == "PASS":
                better += 1
                lines.append("better kernel %s: test %s: PASS (was %s)" % (k["label"], t["name"], p["outcome"]))
        if o.get("register_count") is not None and k.get("register_count") is not None \
                and o["register_count"] != k["register_count"]:
            lines.append("kernel %s: %d KVM registers (was %d)" % (k["label"], k["register_count"], o["register_count"]))
    oc = {(c["from_label"], c["to_label"]): c for c in old["cells"]}
    for c in new["cells"]:
        name = "%s -> %s" % (c["from_label"], c["to_label"])
        p = oc.get((c["from_label"], c["to_label"]))
        if p is None:
            lines.append("new cell %s: %s" % (name, c["status"]))
            continue
        r0, r1 = RANK.get(p["status"], 4), RANK.get(c["status"], 4)
        if r1 > r0:
            worse += 1
            lines.append("WORSE %s: %s (was %s): %s" % (name, c["status"], p["status"], c.get("summary", "")))
        elif r1 < r0:
            better += 1
            lines.append("better %s: %s (was %s)" % (name, c["status"], p["status"]))
        elif c["status"] == "changed":
            newkeys = {k["key"] for k in c.get("keys", [])} - {k["key"] for k in p.get("keys", [])}
            if newkeys:
                worse += 1
                lines.append("WORSE %s: changed, now also %s" % (name, ", ".join(sorted(newkeys))))
    head = "compared with %s: %d worse, %d better" % (old.get("started") or "the old matrix", worse, better)
    return worse, [head] + ["  " + l for l in lines]
