"""scripts/matrix/matrixfile.py: matrix.json itself -- its schema number,
loading one (the file named in every error), the outcome table the
collector names results by, and the run's exit status from a matrix; and
read_env, for the KEY=VALUE files run-matrix.sh leaves beside it."""
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMA = 1
# A cell's results, best first; --compare calls a higher rank worse.
RANK = {"identical": 0, "changed": 1, "refused": 2, "failed": 3,
        "timeout": 4, "error": 4, "interrupted": 4, "not-run": 4}
COMPLETE = ("identical", "changed", "refused", "failed")


def cell_keys(changes):
    """A cell's "keys": each changed key with both values as the guest saw
    them ("missing" where the key was absent), from gvfp diff's changes."""
    shown = lambda v: "missing" if v is None else str(v)
    return [{"key": c["key"], "before": shown(c.get("old")), "after": shown(c.get("new"))} for c in changes]


def read_env(path):
    """A KEY=VALUE file of run-matrix.sh (run.env, spec.env, host.env...)
    as a dict; {} when there is no such file."""
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


def die(msg):
    print("report.py: " + msg, file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        die("%s: %s" % (path, e))
    if not isinstance(m, dict) or m.get("schema") != SCHEMA or "cells" not in m or "kernels" not in m:
        die("%s: not a kernel matrix (schema %s)" % (path, SCHEMA))
    return m


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


def result_word(rc):
    """The result word (as run_tests.sh prints it) for arm/run's exit status."""
    if rc is None:
        return "DID NOT END"
    return next((o["result"] for o in outcomes().values() if o["status"] == rc), "ERROR")


def status(m):
    """The run's exit status: 0 complete, 1 a kernel failed or a cell could not run."""
    if any(k["status"] != "ok" for k in m["kernels"]):
        return 1
    # A kernel that came up but whose suite left no JUnit has no results.
    if any("suite" in k and k["suite"] is None for k in m["kernels"]):
        return 1
    if any(c["status"] not in COMPLETE for c in m["cells"]):
        return 1
    return 0
