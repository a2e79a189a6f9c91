"""scripts/matrix/hosttools.py: the host tools' answers, as JSON.

Fingerprints and migration streams are read only by host/gvfp and
host/gvstream; the matrix keeps their files and their --json documents
(gvfp diff --json, gvstream diff --json, gvstream regs --json), never
parses the formats itself.
Environment: GVFP, GVSTREAM (default host/gvfp, host/gvstream)."""
import json
import os
import subprocess

from matrixfile import ROOT

GVFP = os.environ.get("GVFP", os.path.join(ROOT, "host", "gvfp"))
GVSTREAM = os.environ.get("GVSTREAM", os.path.join(ROOT, "host", "gvstream"))


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, errors="replace")
    return p.returncode, p.stdout, p.stderr


def _json(cmd, ok=(0,)):
    rc, js, _ = run(cmd)
    if rc not in ok:
        return None
    try:
        return json.loads(js)
    except ValueError:
        return None


def extract_fp(log, dest):
    """The fingerprint a console log holds, written to dest; None if none."""
    rc, _, _ = run([GVFP, "extract", log, "-o", dest])
    return dest if rc == 0 and os.path.exists(dest) else None


def view_change(saved, log, dest):
    """What a guest saw change: gvfp diff --json of the saved fingerprint
    against the first view the log holds (arm/migrate.flat prints its view
    after a migration only when it changed), that view written to dest.
    None when either is missing or nothing differs."""
    if not saved:
        return None
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    after = extract_fp(log, dest)
    if after is None:
        return None
    d = fp_diff(saved, after)
    return d if d and d.get("differ") else None


def fp_diff(a, b):
    """gvfp diff --json A B (exit 0 compatible, 1 not), or None."""
    return _json([GVFP, "diff", a, b, "--json"], ok=(0, 1))


def stream_regs(stream):
    """(text, json) of gvstream regs on a saved migration stream; None where it failed."""
    rc, txt, _ = run([GVSTREAM, "regs", stream])
    return (txt if rc == 0 else None), _json([GVSTREAM, "regs", stream, "--json"])


def stream_diff(a, b):
    """gvstream diff --json A B, vCPU 0's registers, or None."""
    d = _json([GVSTREAM, "diff", a, b, "--json"], ok=(0, 1))
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
