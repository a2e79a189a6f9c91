"""scripts/matrix/render_text.py: a matrix.json for the terminal (matrix.txt)."""
import re

import render_pins


def letter(n):
    return chr(ord("A") + n) if n < 26 else "K%d" % (n + 1)


def short_cell(c):
    s = c["status"]
    if s == "changed":
        return "changed(%d)" % len(c.get("keys", []))
    if s == "refused" and c.get("refused_leg") == 2:
        return "refused(back)"   # a live cell: it went, and could not come home
    return s


def regs(names):
    """Register names, runs of CCSIDR_EL1[csselr=3], [csselr=4]... folded."""
    out, run = [], None
    for n in names:
        m = re.match(r"^(.*\[\w+=)(\d+)\]$", n)
        if m and run and run[0] == m.group(1) and int(m.group(2)) == run[2] + 1:
            run[2] += 1
            continue
        if run:
            out.append("%s%d%s]" % (run[0], run[1], ".." + str(run[2]) if run[2] > run[1] else ""))
            run = None
        if m:
            run = [m.group(1), int(m.group(2)), int(m.group(2))]
        else:
            out.append(n)
    if run:
        out.append("%s%d%s]" % (run[0], run[1], ".." + str(run[2]) if run[2] > run[1] else ""))
    return ", ".join(out) or "none"


def val(v):
    return "absent" if v is None else v


def fmt_field_changes(ch, indent="      "):
    lines = []
    for c in ch:
        fields = ", ".join("%s %s->%s" % (f["name"], f["old"], f["new"]) for f in c.get("fields") or [])
        lines.append("%s%s: %s -> %s%s  [%s]" % (
            indent, c.get("label") or c.get("key"), val(c.get("old")), val(c.get("new")),
            ("  (" + fields + ")") if fields else "", c.get("verdict", "")))
    return lines


def pin_line(t):
    """gvkvm try of one pair: could userspace pin the source's values?"""
    if t["status"] != "ok":
        return "userspace could pin: not known (%s)" % t.get("reason")
    s = "userspace could pin: %s of %s differing registers accepted" % (t["accepted"], t["differing"])
    if t.get("refused_names"):
        s += "; refused: " + ", ".join(t["refused_names"])
    return s


def leg_line(leg, ids):
    """One leg of a live cell: where to, and the times of QEMU and of the harness."""
    figs = []
    if leg.get("total_ms") is not None:
        figs.append("QEMU total %d ms, downtime %s ms" % (leg["total_ms"], leg.get("downtime_ms", "?")))
    if leg.get("request_ms") is not None:
        figs.append("harness %d ms from the guest's request" % leg["request_ms"])
    where = "%s -> %s" % (ids.get(leg.get("from"), "?"), ids.get(leg.get("to"), "?")) if leg.get("from") else ""
    state = "done" if leg.get("done", True) else "not done"
    if leg.get("changed"):
        state += ", changed: " + ", ".join(leg["changed"][:6])
    return "leg %s %s%s%s" % (leg["n"], where + " " if where else "", state, (": " + "; ".join(figs)) if figs else "")


def qemu_name(version):
    return (version or "QEMU").replace("QEMU emulator version ", "QEMU ")


def cell_lines(o, m, cells, ids):
    for c in cells:
        o.append("  %s -> %s  %s%s: %s" % (ids[c["from"]], ids[c["to"]], c["status"],
                                           " (%s)" % c["fault"] if c.get("fault") else "", c.get("summary", "")))
        for leg in c.get("legs") or []:
            o.append("      " + leg_line(leg, ids))
        t = next((t for t in m.get("kvm_tries", []) if (t["from"], t["to"]) == (c["from"], c["to"])), None)
        if t and not c.get("fault"):
            o.append("      " + pin_line(t))
        if c["status"] == "changed":
            if c.get("decoded"):
                o.extend(fmt_field_changes(c["decoded"]))
            else:
                for kk in c.get("keys", []):
                    o.append("      %s: %s -> %s" % (kk["key"], kk["before"], kk["after"]))
        if c["status"] == "refused":
            for e in c.get("qemu_error", [])[:4]:
                o.append("      QEMU: " + e)
            r = c.get("registers")
            # A live cell refused on the way back: the destination was home.
            dest = c["from_label"] if c.get("refused_leg") == 2 else c["to_label"]
            if r:
                if r["missing"]:
                    o.append("      registers %s lacks: %s" % (dest, regs(r["missing"])))
                if r["extra"]:
                    o.append("      registers only %s has: %s" % (dest, regs(r["extra"])))
                for d in r["readonly_differ"]:
                    o.append("      read-only %s: %s -> %s" % (d["name"], d["source"], d["destination"]))


def text(m):
    ks = m["kernels"]
    ids = {k["id"]: letter(n) for n, k in enumerate(ks)}
    h = m.get("hosts", {})
    o = []
    o.append("guestview kernel matrix: %d kernel%s, %d cell%s" % (
        len(ks), "" if len(ks) == 1 else "s", len(m["cells"]), "" if len(m["cells"]) == 1 else "s"))
    cpus = (h.get("cpu") or "").split()
    o.append("emulated hosts: %s TCG, -M virt,virtualization=on -cpu %s, %s CPU%s, %s MiB each"
             % (qemu_name(h.get("outer_qemu")),
                cpus[0] if len(cpus) == 1 else "per kernel (%s)" % "; ".join(cpus),
                h.get("smp"), "" if str(h.get("smp")) == "1" else "s", h.get("memory_mib")))
    if m.get("mode") == "live":
        o.append("inside each: %s -accel kvm -cpu host; the migration: live, a running guest"
                 " (arm/migrate.flat, writing memory) from one host to the other over their private"
                 " network and back (upgrade, then rollback)" % (h.get("inner_qemu") or "QEMU"))
    else:
        o.append("inside each: %s -accel kvm -cpu host; the migration: a state saved on one host"
                 " (arm/migrate.flat), restored on the other" % (h.get("inner_qemu") or "QEMU"))
    o.append("")
    o.append("Kernels")
    for k in ks:
        name = k["package"] and "%s %s" % (k["package"], k["version"]) or k.get("image") or ""
        if name == k["label"] or (k.get("image") and k["label"] in k["image"]):
            name = ""
        o.append("  %s  %-22s %s" % (ids[k["id"]], k["label"], name))
        # What it ran on (matrix.json of older runs: the run's one CPU).
        o.append("     host: -cpu %s, %s" % (k.get("host_cpu") or h.get("cpu") or "?",
                                            qemu_name(k.get("outer_qemu") or h.get("outer_qemu"))))
        if k["status"] == "ok":
            suite = [t for t in k["tests"] if t["name"] != "qemu-startup"]
            npass = sum(1 for t in suite if t["outcome"] == "PASS")
            # The whole unittests.cfg runs in there: the entries that cannot
            # apply under KVM are the runner's SKIPs, counted apart so that
            # "N/M PASS" is about what ran.
            nskip = sum(1 for t in suite if t["outcome"] == "SKIP")
            o.append("     release %s: KVM %s, boot %.1f s, %s KVM registers, %s" % (
                k["release"] or "?", k["kvm_mode"], k["boot_s"] or 0,
                k["register_count"] if k["register_count"] is not None else "?",
                "suite %d/%d PASS%s" % (npass, len(suite) - nskip, ", %d skipped" % nskip if nskip else "")
                if k.get("suite") != "skipped" else "suite not run (--no-suite)"))
            ki = k.get("kvm_info")
            if ki:
                o.append("     gvkvm: " + ("%s registers, %d ID/firmware values, writable masks %s" % (
                    ki["register_count"], ki["values"],
                    "supported" if ki["writable_masks_supported"] else "not supported")
                    if ki["status"] == "ok" else ki["status"] + ": " + str(ki.get("reason"))))
            # The runner's own words for each test that did not pass, and its log.
            for t in suite:
                if t["outcome"] not in ("PASS", "SKIP"):
                    o.append("       %s %s: %s" % (t["name"], t["outcome"], t["verdict"]))
                    if t.get("log"):
                        o.append("         log: " + t["log"])
            if "suite" in k and k["suite"] is None:
                o.append("       no results from run_tests.sh (no JUnit in %s)" % k["id"])
        else:
            o.append("     release %s: %s: %s" % (k["release"] or "unknown", k["status"].upper(), k["reason"]))
        if k.get("info") and k["status"] == "ok":
            o.append("     note: " + k["info"])
    o.append("")
    o.append("Migration of a running guest (rows: from, columns: to)")
    w = max([12] + [len(short_cell(c)) + 2 for c in m["cells"]])
    o.append("      " + "".join(("%-" + str(w) + "s") % ids[k["id"]] for k in ks))
    for a in ks:
        row = [c for c in m["cells"] if c["from"] == a["id"]]
        o.append("  %-4s" % ids[a["id"]] + "".join(("%-" + str(w) + "s") % short_cell(c) for c in row))
    o.append("")
    o.append("Cells" + (" (live: there and back)" if m.get("mode") == "live" else ""))
    cell_lines(o, m, m["cells"], ids)
    if m.get("faults"):
        o.append("")
        o.append("Faults injected between hosts (the project's tests)")
        cell_lines(o, m, m["faults"], ids)
    if m.get("kernel_diffs"):
        o.append("")
        o.append("Kernel differences (guest fingerprint under KVM, and the KVM register list)")
        for d in m["kernel_diffs"]:
            fd, rd = d.get("fingerprint"), d.get("registers")
            o.append("  %s vs %s:" % (ids[d["a"]], ids[d["b"]]))
            if fd is not None:
                o.append("    fingerprint: %d of %d keys differ" % (fd["differ"] or 0, fd["keys"] or 0))
                o.extend(fmt_field_changes(fd["changes"][:40]))
                if len(fd["changes"]) > 40:
                    o.append("      ... %d more" % (len(fd["changes"]) - 40))
            if rd is not None:
                o.append("    registers: %s -> %s; only on %s: %s; only on %s: %s" % (
                    rd["source_registers"], rd["destination_registers"], ids[d["a"]],
                    regs(rd["missing"]), ids[d["b"]], regs(rd["extra"])))
                for x in rd["readonly_differ"]:
                    o.append("      read-only %s: %s -> %s" % (x["name"], x["source"], x["destination"]))
    o.extend(render_pins.text(m, ids))
    o.append("")
    o.append("Where the time went")
    t = m.get("timings", {})
    sec = lambda v: "%.1f s" % (v / 1000.0) if v is not None else "?"
    if m.get("phases"):
        ph = m["phases"]
        o.append("  merged from %d phases run apart, each booting its own hosts: %s"
                 % (len(ph), ", ".join("%s %s" % (p["phase"], sec(p["ms"])) for p in ph)))
        o.append("  longest path %s (the slowest kernel phase, then the slowest pair: a runner per job);"
                 " one after another %s" % (sec(t.get("total_ms")), sec(sum(p["ms"] for p in ph))))
    else:
        o.append("  total %s: kernels resolved/fetched by %s, initramfs ready by %s; then the hosts ran at once"
                 % (sec(t.get("total_ms")), sec(t.get("kernels_ms")), sec(t.get("prepare_ms"))))
    for k in ks:
        if k["status"] not in ("ok",) and not k["commands"]:
            continue
        parts = ["boot %s" % ("%.1f s" % k["boot_s"] if k["boot_s"] is not None else "-")]
        if k["timings"].get("qemu_startup_ms") is not None:
            parts.append("QEMU start-up inside %s" % sec(k["timings"]["qemu_startup_ms"]))
        agg = {}
        for c in k["commands"]:
            v = c["command"].split()[0]
            agg.setdefault(v, [0, 0])
            agg[v][0] += c["ms"]
            agg[v][1] += 1
        for v in ("save", "suite", "restore", "live-self", "live-out", "live-in", "pin-save", "pin", "pin-back"):
            if v in agg:
                parts.append("%s %s%s" % (v, sec(agg[v][0]), " (%d)" % agg[v][1] if agg[v][1] > 1 else ""))
        slow = [t2 for t2 in k["tests"] if t2["ms"] is not None and t2["name"] != "qemu-startup"
                and t2["outcome"] != "SKIP"]
        if slow:
            parts.append("tests: " + ", ".join("%s %s" % (t2["name"], sec(t2["ms"])) for t2 in slow))
        o.append("  %s %s: %s" % (ids[k["id"]], k["label"], "; ".join(parts)))
    return "\n".join(o) + "\n"
