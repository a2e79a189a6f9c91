"""scripts/matrix/render_kcidb.py: the matrix as KCIDB report data (the
KernelCI cross-CI results format, I/O schema 5), for kernel dashboards.

What was booted is the code under test: each kernel is one checkout (its
Debian package and version, or the release of a self-built tree) and one
build of it.  On that build, tests:
  guestview.boot                 the kernel came up in its emulated host with KVM
  guestview.suite.NAME           each entry of run_tests.sh's suite under KVM
  guestview.migration.FROM       each migration cell that ends on this kernel:
                                 the destination is the kernel asked whether
                                 it takes FROM's guest (FROM is its label)
A kernel booted on several host CPUs (--host-cpu) gives its tests once per
CPU, the label (6.12@neoverse-n1) in the path's place of the kernel.
Statuses map guestview's own words (tables/outcomes.def's result words, the
cell words of matrixfile.RANK) to KCIDB's six; the original word is kept in
each test's misc.guestview_result.  kcidb_check.py validates the output."""
import re

import matrixfile

ORIGIN = "guestview"
SCHEMA_MAJOR, SCHEMA_MINOR = 5, 3

# run_tests.sh's result word (outcomes.def RESULT, and what collect.py says
# of a test that never ended) -> KCIDB status.  XFAIL is the predicted
# answer (a known refusal seen as expected): PASS, the word kept in misc.
RESULT_STATUS = {"PASS": "PASS", "FAIL": "FAIL", "ERROR": "ERROR", "SKIP": "SKIP",
                 "XFAIL": "PASS", "REFUSED": "FAIL", "TIMEOUT": "ERROR",
                 "INTERRUPTED": "MISS", "DID NOT END": "ERROR"}
# A cell's result (matrixfile.RANK) -> KCIDB status: a guest whose view
# changed, or that the destination refused, is the failure asked about.
CELL_STATUS = {"identical": "PASS", "changed": "FAIL", "refused": "FAIL", "failed": "FAIL",
               "timeout": "ERROR", "error": "ERROR", "interrupted": "MISS", "not-run": "MISS"}
EXCERPT_MAX = 16384
_NODE_BAD = re.compile(r"[^A-Za-z0-9_-]+")


def cell_misc(c, src, dst):
    """A cell's misc: the pair, how it migrated (live or saved) and, live,
    each leg with QEMU's total time and downtime."""
    misc = {"from": src["label"], "to": dst["label"]}
    if c.get("mode"):
        misc["mode"] = c["mode"]
    if c.get("legs"):
        misc["legs"] = [{k: l[k] for k in ("n", "done", "total_ms", "downtime_ms", "request_ms") if k in l}
                        for l in c["legs"]]
    return misc


def node(s):
    """One node of a test path: the schema's nodes hold no '.'."""
    return _NODE_BAD.sub("_", s) or "_"


def _ids(k):
    """(checkout id, build id) of kernel k: the same kernel, whatever host
    CPU or night it ran on, is the same checkout and build."""
    what = k.get("package") or k.get("release") or k.get("image") or k["label"]
    ver = k.get("version") or ""
    cid = "%s:%s%s" % (ORIGIN, what, "=" + ver if ver else "")
    return cid, cid + ":arm64"


def _environment(m, k):
    h = m.get("hosts") or {}
    return {"comment": "emulated arm64 host -cpu %s, %s (TCG); inside %s -accel kvm -cpu host; KVM %s"
                       % (k.get("host_cpu") or h.get("cpu") or "?", k.get("outer_qemu") or h.get("outer_qemu") or "QEMU",
                          h.get("inner_qemu") or "QEMU", k.get("kvm_mode") or "?"),
            "misc": {n: v for n, v in (("host_cpu", k.get("host_cpu") or h.get("cpu")),
                                       ("cmdline", k.get("cmdline"))) if v}}


def _test(m, k, build, path, status, word, comment, ms=None, extra=None):
    t = {"id": "%s:%s:%s:%s" % (ORIGIN, m.get("started") or "", k["label"], path),
         "origin": ORIGIN, "build_id": build, "path": path, "status": status,
         "environment": _environment(m, k),
         "misc": dict({"guestview_result": word, "kernel": k["label"]}, **(extra or {}))}
    if comment:
        t["comment"] = comment[:EXCERPT_MAX]
    if m.get("started"):
        t["start_time"] = m["started"]
    if ms is not None:
        t["duration"] = ms / 1000.0
    return t


def kcidb(m):
    """The KCIDB report (a dict) of matrix m."""
    checkouts, builds, tests = {}, {}, []
    by_id = {k["id"]: k for k in m["kernels"]}
    for k in m["kernels"]:
        cid, bid = _ids(k)
        what = " ".join(x for x in (k.get("package"), k.get("version")) if x) or k.get("release") or k["label"]
        checkouts[cid] = {"id": cid, "origin": ORIGIN, "comment": what}
        builds[bid] = {"id": bid, "origin": ORIGIN, "checkout_id": cid, "architecture": "arm64",
                       "comment": what + (" (release %s)" % k["release"] if k.get("release") else "")}
        up = k["status"] == "ok"
        tests.append(_test(m, k, bid, "guestview.boot", "PASS" if up else "FAIL", k["status"],
                           k.get("reason") or "booted with KVM %s in %s s" % (k.get("kvm_mode"), k.get("boot_s"))))
        for t in k.get("tests") or []:
            word = t.get("outcome") or matrixfile.result_word(t.get("rc"))
            tests.append(_test(m, k, bid, "guestview.suite." + node(t["name"]), RESULT_STATUS.get(word, "ERROR"), word,
                               t.get("verdict"), t.get("ms")))
    for c in m["cells"]:
        src, dst = by_id[c["from"]], by_id[c["to"]]
        tests.append(_test(m, dst, _ids(dst)[1], "guestview.migration." + node(src["label"]),
                           CELL_STATUS[c["status"]], c["status"], c.get("summary"), c.get("ms"),
                           cell_misc(c, src, dst)))
    return {"version": {"major": SCHEMA_MAJOR, "minor": SCHEMA_MINOR},
            "checkouts": list(checkouts.values()), "builds": list(builds.values()), "tests": tests}
