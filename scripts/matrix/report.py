#!/usr/bin/env python3
"""scripts/matrix/report.py: the kernel matrix's results (run-matrix.sh calls it).

  report.py build OUT             the matrix as JSON (stdout), from what
                                  run-matrix.sh left in OUT; writes per-kernel
                                  test logs, fingerprints and register lists
  report.py text MATRIX.json      the matrix for the terminal
  report.py junit MATRIX.json     JUnit XML
  report.py status MATRIX.json    prints the exit status of the run: 0 the
                                  matrix is complete, 1 a kernel failed or a
                                  cell could not run
  report.py compare OLD NEW       every cell and kernel of NEW that got worse
                                  than in OLD (exit 1 if any)

Cells: identical (the guest's view survived the migration unchanged),
changed (the guest saw keys change: named and decoded with gvfp diff),
refused (QEMU on the destination refused the state: its error, and the
registers behind it from gvstream diff of the two kernels' saved states),
failed (another check of the payload failed), and not-run / timeout / error.
Environment: GVFP, GVSTREAM (the host tools; default host/gvfp, host/gvstream).
"""
import json
import os
import re
import subprocess
import sys
import xml.sax.saxutils as sx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GVFP = os.environ.get("GVFP", os.path.join(ROOT, "host", "gvfp"))
GVSTREAM = os.environ.get("GVSTREAM", os.path.join(ROOT, "host", "gvstream"))

SCHEMA = 1
RANK = {"identical": 0, "changed": 1, "refused": 2, "failed": 3,
        "timeout": 4, "error": 4, "interrupted": 4, "not-run": 4}
COMPLETE = ("identical", "changed", "refused", "failed")


def die(msg):
    print("report.py: " + msg, file=sys.stderr)
    sys.exit(2)


def read_env(path):
    env = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if "=" in line:
                    k, v = line.split("=", 1)
                    env[k] = v
    except FileNotFoundError:
        pass
    return env


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


def diff_json(cmd):
    """The --json answer of a gvfp/gvstream diff (exit 0 same, 1 differs), or None."""
    rc, js, _ = run(cmd)
    if rc not in (0, 1):
        return None
    try:
        return json.loads(js)
    except ValueError:
        return None


# --- build --------------------------------------------------------------------

TEST_BEGIN = re.compile(r"^@@GV test-begin (\S+)")
TEST_END = re.compile(r"^@@GV test-end (\S+) rc=(\d+) ms=(\d+)")


def split_tests(console, testdir):
    """Per-test logs out of a host's console; returns {name: test}."""
    tests, cur, lines = {}, None, []
    os.makedirs(testdir, exist_ok=True)
    try:
        with open(console, encoding="utf-8", errors="replace") as f:
            text = f.read().replace("\r", "")
    except FileNotFoundError:
        return tests
    for line in text.split("\n"):
        m = TEST_BEGIN.match(line)
        if m:
            cur, lines = m.group(1), []
            continue
        m = TEST_END.match(line)
        if m and cur == m.group(1):
            log = os.path.join(testdir, cur + ".log")
            with open(log, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            verdict = next((l for l in reversed(lines) if l.startswith("arm/run: ")), "")
            tests[cur] = {"name": cur, "rc": int(m.group(2)), "ms": int(m.group(3)),
                          "verdict": verdict[len("arm/run: "):], "log": log}
            cur = None
            continue
        if cur is not None:
            lines.append(line)
    if cur is not None:   # the host went down with this test running
        log = os.path.join(testdir, cur + ".log")
        with open(log, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        tests[cur] = {"name": cur, "rc": None, "ms": None, "verdict": "did not end", "log": log}
    return tests


def extract_fp(log, dest):
    rc, _, _ = run([GVFP, "extract", log, "-o", dest])
    return dest if rc == 0 and os.path.exists(dest) else None


def read_lines(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().split("\n")
    except OSError:
        return []


_OUTCOMES = None


def outcomes():
    """tables/outcomes.json (make generates it from tables/outcomes.def):
    the rows, as {token: row}."""
    global _OUTCOMES
    if _OUTCOMES is None:
        path = os.path.join(ROOT, "tables", "outcomes.json")
        try:
            with open(path, encoding="utf-8") as f:
                _OUTCOMES = {o["token"]: o for o in json.load(f)["outcomes"]}
        except (OSError, ValueError, KeyError) as e:
            die("%s: %s (generated from tables/outcomes.def: run make)" % (path, e))
    return _OUTCOMES


def status_of(token):
    """arm/run's exit status for an outcome token."""
    return outcomes()[token]["status"]


def outcome(rc):
    """The result word (as run_tests.sh prints it) for arm/run's exit status."""
    if rc is None:
        return "DID NOT END"
    return next((o["result"] for o in outcomes().values() if o["status"] == rc), "ERROR")


def build_kernel(out, kid):
    kdir = os.path.join(out, "kernels", kid)
    spec = read_env(os.path.join(kdir, "spec.env"))
    kern = read_env(os.path.join(kdir, "kernel.env"))
    host = read_env(os.path.join(kdir, "host.env"))
    k = {"id": kid, "label": spec.get("label", kid), "kind": spec.get("kind"),
         "cmdline": spec.get("cmdline", ""), "package": kern.get("package") or None,
         "version": kern.get("version") or None, "image": kern.get("image") or None,
         "release": host.get("kernel") or kern.get("release") or None,
         "status": host.get("status", "error"), "reason": host.get("reason", ""),
         "kvm": host.get("kvm") == "1", "kvm_mode": host.get("mode") if host.get("kvm") == "1" else None,
         "share": host.get("share") == "1", "info": host.get("info", ""),
         "boot_s": None, "uptime_s": None, "tests": [], "fingerprint": None,
         "save_fingerprint": None, "registers": None, "register_count": None,
         "stream": None, "timings": {}}
    if host.get("boot_ms"):
        k["boot_s"] = round(int(host["boot_ms"]) / 1000.0, 1)
    if host.get("uptime"):
        k["uptime_s"] = float(host["uptime"])
    if host.get("modules_ms"):
        k["timings"]["modules_ms"] = int(host["modules_ms"])
    tests = split_tests(os.path.join(kdir, "console.log"), os.path.join(kdir, "tests"))
    for name, t in tests.items():
        t["outcome"] = outcome(t["rc"])
        if not name.startswith(("save-", "restore-")):
            k["tests"].append(t)
    k["_tests"] = tests
    if "idregs" in tests:
        k["fingerprint"] = extract_fp(tests["idregs"]["log"], os.path.join(kdir, "fingerprint.txt"))
    save = tests.get("save-" + kid)
    if save:
        k["save"] = {"rc": save["rc"], "ms": save["ms"], "verdict": save["verdict"]}
        k["save_fingerprint"] = extract_fp(save["log"], os.path.join(kdir, "save-fingerprint.txt"))
    stream = os.path.join(kdir, "state.stream")
    if os.path.exists(stream) and os.path.getsize(stream) > 0:
        k["stream"] = stream
        rc, txt, _ = run([GVSTREAM, "regs", stream])
        if rc == 0:
            with open(os.path.join(kdir, "registers.txt"), "w") as f:
                f.write(txt)
            k["registers"] = os.path.join(kdir, "registers.txt")
        rc, js, _ = run([GVSTREAM, "regs", stream, "--json"])
        if rc == 0:
            try:
                k["register_count"] = len(json.loads(js)["vcpus"][0]["registers"])
            except (ValueError, KeyError, IndexError):
                pass
    # Where the time went, from the driver's command log.
    cmds = []
    try:
        with open(os.path.join(kdir, "commands.tsv")) as f:
            for line in f:
                verb, rc, inner, outer = line.rstrip("\n").split("\t")
                cmds.append({"command": verb, "rc": int(rc), "inner_ms": int(inner),
                             "ms": int(outer)})
    except (FileNotFoundError, ValueError):
        pass
    k["commands"] = cmds
    qs = tests.get("qemu-startup")
    if qs and qs["ms"] is not None:
        k["timings"]["qemu_startup_ms"] = qs["ms"]
    return k


CHANGE = re.compile(r"^FAIL: migration \d+: (\S+): (.+?) before, (.+?) after$")
FAILLINE = re.compile(r"^FAIL: (.*)$")


def patch_fp(before, changes, dest):
    """A's fingerprint with the values the guest saw after the migration."""
    with open(before) as f:
        lines = f.read().split("\n")
    idx = {}
    for n, line in enumerate(lines):
        parts = line.split(" ", 1)
        if len(parts) == 2:
            idx[parts[0]] = n
    tail = []
    for key, old, new in changes:
        if key in idx:
            if new == "missing":
                lines[idx[key]] = None
            else:
                lines[idx[key]] = key + " " + new
        elif old == "missing":
            tail.append(key + " " + new)
    out = [l for l in lines if l is not None]
    # New keys go before the end marker.
    for n in range(len(out) - 1, -1, -1):
        if out[n].startswith("--- guestview fingerprint end"):
            out[n:n] = tail
            break
    with open(dest, "w") as f:
        f.write("\n".join(out))
    return dest


def decode_changes(a, b, changes, cdir, log):
    """gvfp diff of the guest's view before (A's saved fingerprint) and after
    (the one the payload prints when its view changed; else A's patched with
    the values its FAIL lines give): decoded fields."""
    if not a.get("save_fingerprint") or not changes:
        return None
    name = os.path.join(cdir, "%s-to-%s.after-fingerprint.txt" % (a["id"], b["id"]))
    after = extract_fp(log, name) or patch_fp(a["save_fingerprint"], changes, name)
    return diff_json([GVFP, "diff", a["save_fingerprint"], after, "--json"])


def stream_diff(a, b):
    if not a.get("stream") or not b.get("stream"):
        return None
    d = diff_json([GVSTREAM, "diff", a["stream"], b["stream"], "--json"])
    if d is None:
        return None
    v = d["vcpus"][0] if d.get("vcpus") else {}
    return {"same": d.get("same"), "summary": d.get("summary"),
            "source_registers": v.get("source_registers"),
            "destination_registers": v.get("destination_registers"),
            "missing": [r["name"] for r in v.get("missing", [])],
            "extra": [r["name"] for r in v.get("extra", [])],
            "readonly_differ": [{"name": r["name"], "source": r["source"],
                                 "destination": r["destination"]}
                                for r in v.get("readonly_differ", [])]}


def build_cell(out, a, b, notrun):
    cell = {"from": a["id"], "to": b["id"], "from_label": a["label"], "to_label": b["label"]}
    t = b.get("_tests", {}).get("restore-" + a["id"])
    if t is None:
        reason = notrun.get((a["id"], b["id"]))
        if reason is None:
            if b["status"] != "ok":
                reason = "%s: %s" % (b["label"], b["reason"] or b["status"])
            elif a["status"] != "ok":
                reason = "%s: %s" % (a["label"], a["reason"] or a["status"])
            else:
                reason = "not run"
        cell.update(status="not-run", summary=reason)
        return cell
    with open(t["log"], encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    cell["ms"] = t["ms"]
    cell["log"] = t["log"]
    rc = t["rc"]
    if rc == status_of("PASS"):
        same = next((l for l in lines if "view is unchanged" in l), "")
        cell.update(status="identical", summary=same[len("PASS: "):] if same else t["verdict"])
    elif rc == status_of("FAIL"):
        changes = [m.groups() for m in map(CHANGE.match, lines) if m]
        others = [m.group(1) for m in map(FAILLINE.match, lines)
                  if m and not CHANGE.match(m.group(0))]
        if changes:
            cell["status"] = "changed"
            cell["keys"] = [{"key": k, "before": o, "after": n} for k, o, n in changes]
            cdir = os.path.join(out, "cells")
            os.makedirs(cdir, exist_ok=True)
            dec = decode_changes(a, b, changes, cdir, t["log"])
            if dec:
                cell["decoded"] = dec.get("changes", [])
                cell["breaks_forward"] = dec.get("breaks_forward", 0) + dec.get("breaks_both", 0)
            cell["summary"] = "%d key%s changed: %s" % (
                len(changes), "" if len(changes) == 1 else "s",
                ", ".join(k for k, _, _ in changes[:6]) + (" ..." if len(changes) > 6 else ""))
        else:
            cell["status"] = "failed"
            cell["summary"] = "; ".join(others[:3]) or t["verdict"]
        if others:
            cell["failures"] = others
    elif rc == status_of("REFUSED"):
        errs = [l[len("restored: "):] for l in lines if l.startswith("restored: ")]
        gv = [l[len("gvmigrate: "):] for l in lines if l.startswith("gvmigrate: ")
              and "said:" not in l]
        cell["status"] = "refused"
        cell["qemu_error"] = errs
        cell["harness"] = gv
        cell["summary"] = errs[-1] if errs else (t["verdict"] or "refused")
        cell["registers"] = stream_diff(a, b)
    elif rc == status_of("TIMEOUT"):
        cell.update(status="timeout", summary=t["verdict"])
    elif rc == status_of("INTERRUPTED"):
        cell.update(status="interrupted", summary=t["verdict"])
    elif rc is None:
        cell.update(status="error", summary="%s went down during the restore: %s"
                    % (b["label"], b["reason"] or b["status"]))
    else:
        cell.update(status="error", summary=t["verdict"] or "arm/run exit status %d" % rc)
    return cell


def fp_diff(a, b):
    if not a.get("fingerprint") or not b.get("fingerprint"):
        return None
    d = diff_json([GVFP, "diff", a["fingerprint"], b["fingerprint"], "--json"])
    if d is None:
        return None
    return {"keys": d.get("keys"), "differ": d.get("differ"),
            "forward_compatible": d.get("forward_compatible"),
            "backward_compatible": d.get("backward_compatible"),
            "changes": d.get("changes", [])}


def build(out):
    run_env = read_env(os.path.join(out, "run.env"))
    kdirs = sorted((d for d in os.listdir(os.path.join(out, "kernels")) if re.match(r"^k\d+$", d)),
                   key=lambda d: int(d[1:]))
    kernels = [build_kernel(out, d) for d in kdirs]
    notrun = {}
    try:
        with open(os.path.join(out, "notrun.tsv")) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 2)
                if len(parts) == 3:
                    notrun.setdefault((parts[0], parts[1]), parts[2])
    except FileNotFoundError:
        pass
    cells = [build_cell(out, a, b, notrun) for a in kernels for b in kernels]
    diffs = []
    for i, a in enumerate(kernels):
        for b in kernels[i + 1:]:
            fd, rd = fp_diff(a, b), stream_diff(a, b)
            if fd is not None or rd is not None:
                diffs.append({"a": a["id"], "b": b["id"], "fingerprint": fd, "registers": rd})
    for k in kernels:
        k.pop("_tests", None)
    ms = lambda key: int(run_env[key]) if run_env.get(key, "").isdigit() else None
    return {"schema": SCHEMA, "tool": "guestview kernel matrix",
            "started": run_env.get("started"),
            "hosts": {"cpu": run_env.get("host_cpu"), "memory_mib": run_env.get("host_mem"),
                      "smp": run_env.get("host_smp"), "outer_qemu": run_env.get("outer_qemu"),
                      "inner_qemu": run_env.get("inner_qemu"), "suites": run_env.get("suites")},
            "timings": {"kernels_ms": ms("t_kernels_ms"), "prepare_ms": ms("t_prep_ms"),
                        "total_ms": ms("t_hosts_ms")},
            "kernels": kernels, "cells": cells, "kernel_diffs": diffs}


# --- text ---------------------------------------------------------------------

def letter(n):
    return chr(ord("A") + n) if n < 26 else "K%d" % (n + 1)


def short_cell(c):
    s = c["status"]
    if s == "changed":
        return "changed(%d)" % len(c.get("keys", []))
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


def text(m):
    ks = m["kernels"]
    ids = {k["id"]: letter(n) for n, k in enumerate(ks)}
    h = m.get("hosts", {})
    o = []
    o.append("guestview kernel matrix: %d kernel%s, %d cell%s" % (
        len(ks), "" if len(ks) == 1 else "s", len(m["cells"]), "" if len(m["cells"]) == 1 else "s"))
    o.append("emulated hosts: %s TCG, -M virt,virtualization=on -cpu %s, %s CPU%s, %s MiB each"
             % ((h.get("outer_qemu") or "QEMU").replace("QEMU emulator version ", "QEMU "),
                h.get("cpu"), h.get("smp"), "" if str(h.get("smp")) == "1" else "s", h.get("memory_mib")))
    o.append("inside each: %s -accel kvm -cpu host; the migration: a state saved on one host"
             " (arm/migrate.flat), restored on the other" % (h.get("inner_qemu") or "QEMU"))
    o.append("")
    o.append("Kernels")
    for k in ks:
        name = k["package"] and "%s %s" % (k["package"], k["version"]) or k.get("image") or ""
        if name == k["label"] or (k.get("image") and k["label"] in k["image"]):
            name = ""
        o.append("  %s  %-22s %s" % (ids[k["id"]], k["label"], name))
        if k["status"] == "ok":
            suite = [t for t in k["tests"] if t["name"] != "qemu-startup"]
            npass = sum(1 for t in suite if t["outcome"] == "PASS")
            o.append("     release %s: KVM %s, boot %.1f s, %s KVM registers, suite %d/%d PASS" % (
                k["release"] or "?", k["kvm_mode"], k["boot_s"] or 0,
                k["register_count"] if k["register_count"] is not None else "?", npass, len(suite)))
            for t in suite:
                if t["outcome"] not in ("PASS", "SKIP"):
                    o.append("       %s %s: %s" % (t["name"], t["outcome"], t["verdict"]))
                    fails = [l[len("FAIL: "):] for l in read_lines(t["log"]) if l.startswith("FAIL: ")]
                    for f in fails[:3]:
                        o.append("         " + (f if len(f) <= 150 else f[:147] + "..."))
                    if len(fails) > 3:
                        o.append("         ... %d more in %s" % (len(fails) - 3, t["log"]))
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
    o.append("Cells")
    for c in m["cells"]:
        o.append("  %s -> %s  %s: %s" % (ids[c["from"]], ids[c["to"]], c["status"], c.get("summary", "")))
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
            if r:
                if r["missing"]:
                    o.append("      registers %s lacks: %s" % (c["to_label"], regs(r["missing"])))
                if r["extra"]:
                    o.append("      registers only %s has: %s" % (c["to_label"], regs(r["extra"])))
                for d in r["readonly_differ"]:
                    o.append("      read-only %s: %s -> %s" % (d["name"], d["source"], d["destination"]))
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
    o.append("")
    o.append("Where the time went")
    t = m.get("timings", {})
    sec = lambda v: "%.1f s" % (v / 1000.0) if v is not None else "?"
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
        for v in ("save", "suite", "restore"):
            if v in agg:
                parts.append("%s %s%s" % (v, sec(agg[v][0]), " (%d)" % agg[v][1] if agg[v][1] > 1 else ""))
        slow = [t2 for t2 in k["tests"] if t2["ms"] is not None and t2["name"] != "qemu-startup"]
        if slow:
            parts.append("tests: " + ", ".join("%s %s" % (t2["name"], sec(t2["ms"])) for t2 in slow))
        o.append("  %s %s: %s" % (ids[k["id"]], k["label"], "; ".join(parts)))
    return "\n".join(o) + "\n"


# --- JUnit --------------------------------------------------------------------

def junit(m):
    q = sx.quoteattr
    o = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites name=\"guestview kernel matrix\">"]
    for k in m["kernels"]:
        cases = []
        if k["status"] != "ok":
            cases.append('    <testcase classname=%s name="boot"><error message=%s/></testcase>'
                         % (q("kernel " + k["label"]), q("%s: %s" % (k["status"], k["reason"]))))
        for t in k["tests"]:
            body = ""
            if t["outcome"] == "SKIP":
                body = "<skipped/>"
            elif t["outcome"] in ("FAIL",):
                body = "<failure message=%s/>" % q(t["verdict"])
            elif t["outcome"] != "PASS":
                body = "<error message=%s/>" % q(t["verdict"])
            cases.append('    <testcase classname=%s name=%s time="%.3f">%s</testcase>'
                         % (q("kernel " + k["label"]), q(t["name"]), (t["ms"] or 0) / 1000.0, body))
        fails = sum(1 for c in cases if "<failure" in c)
        errs = sum(1 for c in cases if "<error" in c)
        o.append('  <testsuite name=%s tests="%d" failures="%d" errors="%d">'
                 % (q("kernel " + k["label"]), len(cases), fails, errs))
        o.extend(cases)
        o.append("  </testsuite>")
    cases = []
    for c in m["cells"]:
        name = "%s -> %s" % (c["from_label"], c["to_label"])
        s = c["status"]
        if s == "identical":
            body = ""
        elif s in ("changed", "refused", "failed"):
            body = "<failure type=%s message=%s/>" % (q(s), q(c.get("summary", "")))
        else:
            body = "<error type=%s message=%s/>" % (q(s), q(c.get("summary", "")))
        cases.append('    <testcase classname="migration" name=%s time="%.3f">%s</testcase>'
                     % (q(name), (c.get("ms") or 0) / 1000.0, body))
    o.append('  <testsuite name="migration" tests="%d" failures="%d" errors="%d">'
             % (len(cases), sum(1 for c in cases if "<failure" in c), sum(1 for c in cases if "<error" in c)))
    o.extend(cases)
    o.append("  </testsuite>")
    o.append("</testsuites>")
    return "\n".join(o) + "\n"


# --- status and compare -----------------------------------------------------------

def status(m):
    if any(k["status"] != "ok" for k in m["kernels"]):
        return 1
    if any(c["status"] not in COMPLETE for c in m["cells"]):
        return 1
    return 0


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


def load(path):
    try:
        with open(path) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        die("%s: %s" % (path, e))
    if not isinstance(m, dict) or m.get("schema") != SCHEMA or "cells" not in m or "kernels" not in m:
        die("%s: not a kernel matrix (schema %s)" % (path, SCHEMA))
    return m


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    cmd = argv[1]
    if cmd == "build":
        json.dump(build(argv[2]), sys.stdout, indent=1, sort_keys=False)
        sys.stdout.write("\n")
    elif cmd == "text":
        sys.stdout.write(text(load(argv[2])))
    elif cmd == "junit":
        sys.stdout.write(junit(load(argv[2])))
    elif cmd == "status":
        print(status(load(argv[2])))
    elif cmd == "compare" and len(argv) == 4:
        worse, lines = compare(load(argv[2]), load(argv[3]))
        print("\n".join(lines))
        return 1 if worse else 0
    else:
        die("unknown command '%s' (see --help)" % " ".join(argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
