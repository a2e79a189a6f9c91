"""scripts/matrix/same.py: whether two matrix.json files say the same thing
(report.py same A B): a sharded run's merge against a whole run of the
same kernels, or two runs of one set-up.

What a run measures or where it wrote, rather than what it found, is left
out: times (every *_ms and *_s, "started", the run's timings and phases),
the harness's prose on a cell ("harness": the same findings, with a run's
temporary paths and a counter's value in it), the output directory (each
file's path is taken relative to the directory its matrix's kernels/ is
in), the ephemeral TCP port of an address in the halves' words, and the
per-host command log's order and its poweroffs (a whole run interleaves
what the phases run one after another, and powers a host off once; the
other commands and their exit statuses must match).
Everything else -- each kernel, cell, pin, gvkvm try, difference and
verdict -- must be equal.
"""
import os
import re

# Measurements, not findings; and "harness", the harness's own words on a
# cell (its diagnosis for a reader: temporary paths, a counter register's
# live value), whose findings are the cell's structured fields.
VOLATILE = ("started", "timings", "phases", "boot_s", "uptime_s", "harness")
PORT = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3}):\d+\b")


def normal(v, base):
    if isinstance(v, dict):
        return {k: normal(x, base) for k, x in v.items()
                if k not in VOLATILE and not k.endswith("_ms") and not (k == "ms" and isinstance(x, int))}
    if isinstance(v, list):
        return [normal(x, base) for x in v]
    if isinstance(v, str):
        if base and (v == base or v.startswith(base + os.sep)):
            v = "OUT" + v[len(base):]
        return PORT.sub(r"\1:PORT", v)
    return v


OUTDIR = re.compile(r"^(/.*?)/kernels/k\d+/")


def out_dir(v):
    """The directory a matrix's files are under (OUT/kernels/kN/...), or None."""
    if isinstance(v, dict):
        v = list(v.values())
    if isinstance(v, list):
        for x in v:
            d = out_dir(x)
            if d:
                return d
        return None
    if isinstance(v, str):
        hit = OUTDIR.match(v)
        return hit.group(1) if hit else None
    return None


def comparable(m):
    m = normal(m, out_dir(m))
    for k in m.get("kernels", []):
        # Each phase powers its hosts off: how often is not a finding.
        k["commands"] = sorted((c["command"], c["rc"]) for c in k.get("commands", [])
                               if c["command"] != "poweroff")
    return m


def differences(a, b, where=""):
    """Paths where a and b differ, each with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                out.append("%s.%s: %s" % (where, k, "only in the first" if k in a else "only in the second"))
            else:
                out.extend(differences(a[k], b[k], "%s.%s" % (where, k)))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return ["%s: %d entries, %d entries" % (where, len(a), len(b))]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out.extend(differences(x, y, "%s[%d]" % (where, i)))
        return out
    return [] if a == b else ["%s: %r, %r" % (where, a, b)]


def same(a, b):
    """The differences between matrices a and b; [] when they say the same."""
    return differences(comparable(a), comparable(b))
