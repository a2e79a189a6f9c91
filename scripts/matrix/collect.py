"""scripts/matrix/collect.py: matrix.json from what run-matrix.sh left in
its output directory OUT.

Per kernel (OUT/kernels/kN/): spec.env, kernel.env, host.env and
commands.tsv (the driver's), console.log (the host's console: the
save/restore runs between "@@GV test-begin/test-end" lines, the
"@@GV measure" timings), suite/ (run_tests.sh's own results inside the
host: junit.xml, suite.tap, logs/; copied from the share, or taken from
the console's "@@GV file" frames when there was no share) and
state.stream (the saved migration stream), kvm.json (host/gvkvm info:
what the kernel's KVM offers userspace) and pairs/kM.try.json (gvkvm try
of this kernel's values on kernel M).  The boot-state pins and their
classification: pins.py.  The tests of a kernel are the
runner's JUnit testcases, as the runner named their outcomes; fingerprints
and register lists are only ever compared by the host tools (hosttools.py).
"""
import json
import os
import re
import xml.etree.ElementTree as ET

import hosttools as ht
import livecells
import pins as pincells
from matrixfile import SCHEMA, cell_keys, read_env, result_word, status_of


TEST_BEGIN = re.compile(r"^@@GV test-begin (\S+)$")
TEST_END = re.compile(r"^@@GV test-end (\S+) rc=(\d+) ms=(\d+)$")
MEASURE = re.compile(r"^@@GV measure (\S+) rc=(\d+) ms=(\d+)$")
FILE_BEGIN = re.compile(r"^@@GV file ((?:logs/)?[A-Za-z0-9._+-]+)$")
FILE_END = "@@GV file-end "


def _write(path, lines):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(lines) + "\n")


def split_console(console, testdir, suitedir):
    """The host's console: per-run logs of the framed arm/runs (into
    testdir), the suite's files when they came this way (into suitedir),
    the measures.  Returns (runs {name: run}, measures {name: ms})."""
    runs, measures, cur, lines, fname = {}, {}, None, [], None
    try:
        with open(console, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read().replace("\r", "")
    except FileNotFoundError:
        return runs, measures
    os.makedirs(testdir, exist_ok=True)
    for line in text.split("\n"):
        if fname is not None:
            if line == FILE_END + fname:
                os.makedirs(os.path.dirname(os.path.join(suitedir, fname)), exist_ok=True)
                _write(os.path.join(suitedir, fname), lines)
                fname = None
            else:
                lines.append(line)
            continue
        m = FILE_BEGIN.match(line)
        if m:
            fname, lines = m.group(1), []
            continue
        m = MEASURE.match(line)
        if m:
            measures[m.group(1)] = int(m.group(3)) if m.group(2) == "0" else None
            continue
        m = TEST_BEGIN.match(line)
        if m:
            cur, lines = m.group(1), []
            continue
        m = TEST_END.match(line)
        if m and cur == m.group(1):
            log = os.path.join(testdir, cur + ".log")
            _write(log, lines)
            verdict = next((l for l in reversed(lines) if l.startswith("arm/run: ")), "")
            runs[cur] = {"name": cur, "rc": int(m.group(2)), "ms": int(m.group(3)),
                         "verdict": verdict[len("arm/run: "):], "log": log}
            cur = None
            continue
        if cur is not None:
            lines.append(line)
    if cur is not None:   # the host went down with this run going
        log = os.path.join(testdir, cur + ".log")
        _write(log, lines)
        runs[cur] = {"name": cur, "rc": None, "ms": None, "verdict": "did not end", "log": log}
    return runs, measures


PAYLOAD_CLASSNAME = "guestview"


def suite_tests(suitedir):
    """The kernel's tests from run_tests.sh's JUnit: name, outcome (the
    runner's result word), ms, verdict (the runner's message), log.
    None when there is no readable JUnit."""
    path = os.path.join(suitedir, "junit.xml")
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    tests = []
    for tc in root.iter("testcase"):
        # A payload's own testcase has classname "guestview"; the checks it
        # reported follow it with the test's name as classname
        # (scripts/runner/junit.bash): not kernel tests of their own.
        if tc.get("classname") != PAYLOAD_CLASSNAME:
            continue
        name = tc.get("name", "")
        outcome, verdict = "PASS", ""
        for el in tc:
            if el.tag in ("failure", "error"):
                outcome, verdict = el.get("type") or el.tag.upper(), el.get("message", "")
            elif el.tag == "skipped":
                verdict = el.get("message", "")
                outcome = "XFAIL" if verdict.startswith("XFAIL: ") else "SKIP"
        tests.append({"name": name, "outcome": outcome, "verdict": verdict,
                      "ms": int(round(float(tc.get("time") or 0) * 1000)),
                      "log": os.path.join(suitedir, "logs", name + ".log")})
    return tests


def build_kernel(out, kid):
    kdir = os.path.join(out, "kernels", kid)
    spec = read_env(os.path.join(kdir, "spec.env"))
    kern = read_env(os.path.join(kdir, "kernel.env"))
    host = read_env(os.path.join(kdir, "host.env"))
    run_env = read_env(os.path.join(out, "run.env"))
    k = {"id": kid, "label": spec.get("label", kid), "kind": spec.get("kind"),
         "cmdline": spec.get("cmdline", ""), "package": kern.get("package") or None,
         "version": kern.get("version") or None, "image": kern.get("image") or None,
         "release": host.get("kernel") or kern.get("release") or None,
         "status": host.get("status", "error"), "reason": host.get("reason", ""),
         "kvm": host.get("kvm") == "1", "kvm_mode": host.get("mode") if host.get("kvm") == "1" else None,
         "share": host.get("share") == "1", "info": host.get("info", ""),
         "boot_s": None, "uptime_s": None, "tests": [], "suite": None, "fingerprint": None,
         "save_fingerprint": None, "registers": None, "register_count": None,
         "stream": None, "timings": {},
         # What the kernel ran on: its emulated CPU (older runs: the one of
         # the whole run) and the x86 QEMU that emulated it.
         "host_cpu": spec.get("host_cpu") or run_env.get("host_cpu"),
         "outer_qemu": run_env.get("outer_qemu")}
    if host.get("boot_ms"):
        k["boot_s"] = round(int(host["boot_ms"]) / 1000.0, 1)
    if host.get("uptime"):
        k["uptime_s"] = float(host["uptime"])
    if host.get("modules_ms"):
        k["timings"]["modules_ms"] = int(host["modules_ms"])
    suitedir = os.path.join(kdir, "suite")
    runs, measures = split_console(os.path.join(kdir, "console.log"), os.path.join(kdir, "runs"), suitedir)
    for r in runs.values():
        r["outcome"] = result_word(r["rc"])
    k["_runs"] = runs
    if measures.get("qemu-startup") is not None:
        k["timings"]["qemu_startup_ms"] = measures["qemu-startup"]
    tests = suite_tests(suitedir)
    if run_env.get("suite") == "0":
        k["suite"] = "skipped"   # not asked for (--no-suite): no results are missing
    elif tests is not None:
        k["tests"] = tests
        k["suite"] = {"junit": os.path.join(suitedir, "junit.xml"),
                      "tap": os.path.join(suitedir, "suite.tap")}
        idregs = next((t for t in tests if t["name"] == "idregs"), None)
        if idregs and os.path.exists(idregs["log"]):
            k["fingerprint"] = ht.extract_fp(idregs["log"], os.path.join(kdir, "fingerprint.txt"))
    save = runs.get("save-" + kid)
    if save:
        k["save"] = {"rc": save["rc"], "ms": save["ms"], "verdict": save["verdict"]}
        k["save_fingerprint"] = ht.extract_fp(save["log"], os.path.join(kdir, "save-fingerprint.txt"))
    stream = os.path.join(kdir, "state.stream")
    if os.path.exists(stream) and os.path.getsize(stream) > 0:
        k["stream"] = stream
        txt, js = ht.stream_regs(stream)
        if txt is not None:
            with open(os.path.join(kdir, "registers.txt"), "w") as f:
                f.write(txt)
            k["registers"] = os.path.join(kdir, "registers.txt")
        try:
            k["register_count"] = len(js["vcpus"][0]["registers"])
        except (TypeError, KeyError, IndexError):
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
    k["kvm_info"] = kvm_info(kdir)
    return k


def read_json(path):
    """(document, None) or (None, why)."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f), None
    except FileNotFoundError:
        return None, "no %s" % os.path.basename(path)
    except (OSError, ValueError) as e:
        return None, "%s: %s" % (os.path.basename(path), e)


def kvm_info(kdir):
    """What gvkvm info said on this kernel (kvm.json; without the share it
    came framed on the console into suite/): the facts the report shows,
    and the file for the rest."""
    path = os.path.join(kdir, "kvm.json")
    if not os.path.exists(path) and os.path.exists(os.path.join(kdir, "suite", "kvm.json")):
        path = os.path.join(kdir, "suite", "kvm.json")
    doc, why = read_json(path)
    if doc is None:
        return {"status": "missing", "reason": why}
    if "error" in doc:
        e = doc["error"]
        return {"status": "error", "file": path,
                "reason": "%s: %s (%s)" % (e.get("ioctl"), e.get("message"), e.get("errno"))}
    masks = doc.get("writable_masks") or {}
    return {"status": "ok", "file": path, "api_version": doc.get("api_version"),
            "capabilities": doc.get("capabilities", {}), "vcpu": doc.get("vcpu", {}),
            "register_count": doc.get("register_count"),
            "values": len(doc.get("values", {})),
            "writable_masks_supported": bool(masks.get("supported")),
            "writable_masks_reason": masks.get("reason")}


def kvm_try(out, a, b):
    """gvkvm try of A's values on B (kernels/A/pairs/B.try.json)."""
    path = os.path.join(out, "kernels", a["id"], "pairs", b["id"] + ".try.json")
    t = {"from": a["id"], "to": b["id"]}
    doc, why = read_json(path)
    if doc is None:
        ka, kb = a.get("kvm_info") or {}, b.get("kvm_info") or {}
        if ka.get("status") != "ok":
            why = "no gvkvm info from %s: %s" % (a["label"], ka.get("reason"))
        elif b["status"] != "ok" or kb.get("status") != "ok":
            why = "gvkvm did not run on %s" % b["label"]
        t.update(status="missing", reason=why)
        return t
    if "error" in doc:
        e = doc["error"]
        t.update(status="error", file=path,
                 reason="%s: %s (%s)" % (e.get("ioctl"), e.get("message"), e.get("errno")))
        return t
    sm = doc.get("summary", {})
    t.update(status="ok", file=path, tried=sm.get("tried"), differing=sm.get("differing"),
             accepted=sm.get("accepted"), refused=sm.get("refused"),
             refused_names=sm.get("refused_names", []),
             writable_masks_supported=doc.get("writable_masks_supported"))
    return t


def changed_keys(a, b, log, out):
    """What the guest saw change after A's state came to B (hosttools.view_change)."""
    return ht.view_change(a.get("save_fingerprint"), log,
                          os.path.join(out, "cells", "%s-to-%s.after-fingerprint.txt" % (a["id"], b["id"])))


def build_cell(out, a, b, notrun, mode="saved", fault=""):
    cell = {"from": a["id"], "to": b["id"], "from_label": a["label"], "to_label": b["label"]}
    suffix = "." + fault if fault else ""
    if fault:
        cell["fault"] = fault
    if mode == "live":
        t = True if livecells.build_live_cell(out, a, b, cell, suffix) else None
    else:
        cell["mode"] = "saved"
        t = b.get("_runs", {}).get("restore-" + a["id"])
    if t is None:
        reason = notrun.get((a["id"] + suffix, b["id"]))
        if reason is None:
            if b["status"] != "ok":
                reason = "%s: %s" % (b["label"], b["reason"] or b["status"])
            elif a["status"] != "ok":
                reason = "%s: %s" % (a["label"], a["reason"] or a["status"])
            else:
                reason = "not run"
        cell.update(status="not-run", summary=reason)
        return cell
    if mode == "live":
        if cell["status"] == "refused" and a is not b:
            # The registers behind a refusal: the way there, or back.
            cell["registers"] = stream_diff(a, b) if cell.get("refused_leg") == 1 else stream_diff(b, a)
        return cell
    with open(t["log"], encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    cell["ms"] = t["ms"]
    cell["log"] = t["log"]
    rc = t["rc"]
    if rc == status_of("PASS"):
        cell.update(status="identical", summary="the guest's view is unchanged: " + (t["verdict"] or "PASS"))
    elif rc == status_of("FAIL"):
        d = changed_keys(a, b, t["log"], out)
        if d:
            ch = d.get("changes", [])
            cell["status"] = "changed"
            cell["keys"] = cell_keys(ch)
            cell["decoded"] = ch
            cell["breaks_forward"] = d.get("breaks_forward", 0) + d.get("breaks_both", 0)
            cell["summary"] = "%d key%s changed: %s" % (
                len(ch), "" if len(ch) == 1 else "s",
                ", ".join(c["key"] for c in ch[:6]) + (" ..." if len(ch) > 6 else ""))
        else:
            cell.update(status="failed", summary=t["verdict"])
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


def fault_cells(kernels, asked):
    """(a, b, fault) of the fault cells the run was asked for (run.env's
    fault_cells, "1>2:FAULT ..."), whether they ran or not."""
    found = []
    for f in asked.split():
        m = re.match(r"^(\d+)>(\d+):([a-z-]+)$", f)
        if not m:
            continue
        a = next((k for k in kernels if k["id"] == "k" + m.group(1)), None)
        b = next((k for k in kernels if k["id"] == "k" + m.group(2)), None)
        if a is not None and b is not None:
            found.append((a, b, m.group(3)))
    return found


def stream_diff(a, b):
    if not a.get("stream") or not b.get("stream"):
        return None
    return ht.stream_diff(a["stream"], b["stream"])


def fp_diff(a, b):
    if not a.get("fingerprint") or not b.get("fingerprint"):
        return None
    d = ht.fp_diff(a["fingerprint"], b["fingerprint"])
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
    mode = run_env.get("mode") or "saved"
    cells = [build_cell(out, a, b, notrun, mode) for a in kernels for b in kernels]
    faults = [build_cell(out, a, b, notrun, mode, f)
              for a, b, f in fault_cells(kernels, run_env.get("fault_cells", ""))]
    diffs = []
    for i, a in enumerate(kernels):
        for b in kernels[i + 1:]:
            fd, rd = fp_diff(a, b), stream_diff(a, b)
            if fd is not None or rd is not None:
                diffs.append({"a": a["id"], "b": b["id"], "fingerprint": fd, "registers": rd})
    tries = [kvm_try(out, a, b) for a in kernels for b in kernels if a is not b]
    read_try = lambda a, b: read_json(os.path.join(out, "kernels", a["id"], "pairs", b["id"] + ".try.json"))[0]
    pins, pin_summary = pincells.build_pins(out, kernels, stream_diff, read_try)
    for k in kernels:
        k.pop("_runs", None)
    ms = lambda key: int(run_env[key]) if run_env.get(key, "").isdigit() else None
    return {"schema": SCHEMA, "tool": "guestview kernel matrix",
            "started": run_env.get("started"),
            "hosts": {"cpu": run_env.get("host_cpu"), "memory_mib": run_env.get("host_mem"),
                      "smp": run_env.get("host_smp"), "outer_qemu": run_env.get("outer_qemu"),
                      "outer_qemu_path": run_env.get("outer_qemu_path"),
                      "inner_qemu": run_env.get("inner_qemu"), "suites": run_env.get("suites")},
            "timings": {"kernels_ms": ms("t_kernels_ms"), "prepare_ms": ms("t_prep_ms"),
                        "total_ms": ms("t_hosts_ms")},
            "mode": mode,
            # A merge of phases run apart (merge.py): each phase and its time.
            "phases": [{"phase": name, "ms": int(ms)}
                       for name, _, ms in (p.rpartition("=") for p in run_env.get("phases", "").split(","))
                       if ms.isdigit()],
            "kernels": kernels, "cells": cells, "faults": faults, "kernel_diffs": diffs, "kvm_tries": tries,
            "pins": pins, "pin_summary": pin_summary}
