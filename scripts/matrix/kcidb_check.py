"""scripts/matrix/kcidb_check.py: checks a KCIDB report against what the
published KCIDB I/O schema (kernelci/kcidb-io, v5.3) requires of the parts
guestview writes: the version object, checkouts, builds and tests -- the
required properties, each property's type, no property outside the
schema's list (the schema forbids additional properties), no null
anywhere, the id/origin patterns, the status words, test paths, date-times
and the excerpt bound -- and that every build's checkout and every test's
build is in the report (the schema allows a dangling one; a report of ours
never has one).  Written from the schema's text, not generated from it: no
network at test time, and no copy of the schema in the tree.

errors(report) -> list of "tests[3].status: ..." strings, empty when valid."""
import re

MAJOR, MINOR = 5, 3
ORIGIN = re.compile(r"^[a-z0-9_]+$")
ORIGIN_ID = re.compile(r"^[a-z0-9_]+:.*$", re.S)
# Dot-separated nodes; checked stricter than the schema (which allows more
# characters in a node): what render_kcidb.node() makes.
PATH = re.compile(r"^$|^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
STATUS = ("FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP")
S, N, B, O, A = "string", "number", "boolean", "object", "array"
_TYPES = {S: str, N: (int, float), B: bool, O: dict, A: list}
# kind: (required, {property: type}); "_timestamp" is the database's own.
KINDS = {
    "checkouts": (("id", "origin"), {
        "id": S, "origin": S, "tree_name": S, "git_repository_url": S, "git_commit_hash": S,
        "git_commit_name": S, "git_commit_tags": A, "git_commit_message": S, "git_repository_branch": S,
        "git_repository_branch_tip": B, "patchset_files": A, "patchset_hash": S, "message_id": S,
        "comment": S, "start_time": S, "origin_builds_finish_time": S, "origin_tests_finish_time": S,
        "log_url": S, "log_excerpt": S, "valid": B, "misc": O, "_timestamp": S}),
    "builds": (("checkout_id", "id", "origin"), {
        "checkout_id": S, "id": S, "origin": S, "comment": S, "start_time": S, "duration": N,
        "architecture": S, "command": S, "compiler": S, "input_files": A, "output_files": A,
        "config_name": S, "config_url": S, "log_url": S, "log_excerpt": S, "status": S, "misc": O,
        "_timestamp": S}),
    "tests": (("build_id", "id", "origin"), {
        "build_id": S, "id": S, "origin": S, "environment": O, "path": S, "comment": S, "log_url": S,
        "log_excerpt": S, "status": S, "number": O, "start_time": S, "duration": N, "input_files": A,
        "output_files": A, "misc": O, "_timestamp": S}),
}
ENVIRONMENT = {"compatible": A, "comment": S, "misc": O}
TOP = ("version", "checkouts", "builds", "tests", "issues", "incidents")


def _nulls(v, where, out):
    if v is None:
        out.append("%s: null (the schema allows no null)" % where)
    elif isinstance(v, dict):
        for k, x in v.items():
            _nulls(x, "%s.%s" % (where, k), out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            _nulls(x, "%s[%d]" % (where, i), out)


def _typed(obj, props, where, out):
    for k, v in obj.items():
        if k not in props:
            out.append("%s.%s: not a property of the schema" % (where, k))
        elif v is not None and (not isinstance(v, _TYPES[props[k]]) or
                                (props[k] == N and isinstance(v, bool))):
            out.append("%s.%s: %s expected" % (where, k, props[k]))


def _object(kind, o, where, out):
    required, props = KINDS[kind]
    if not isinstance(o, dict):
        out.append("%s: object expected" % where)
        return
    out.extend("%s: %s missing (required)" % (where, r) for r in required if r not in o)
    _typed(o, props, where, out)
    for k, v in o.items():
        if not isinstance(v, str):
            continue
        if k == "origin" and not ORIGIN.match(v):
            out.append("%s.origin: '%s' is not an origin ([a-z0-9_]+)" % (where, v))
        elif k in ("id", "checkout_id", "build_id") and not ORIGIN_ID.match(v):
            out.append("%s.%s: '%s' does not start with ORIGIN:" % (where, k, v))
        elif k == "status" and v not in STATUS:
            out.append("%s.status: '%s' is none of %s" % (where, v, ", ".join(STATUS)))
        elif k == "path" and not PATH.match(v):
            out.append("%s.path: '%s' is not a dot-separated path" % (where, v))
        elif k.endswith("_time") and not DATE_TIME.match(v):
            out.append("%s.%s: '%s' is not a date-time" % (where, k, v))
        elif k == "log_excerpt" and len(v) > 16384:
            out.append("%s.log_excerpt: longer than 16384" % where)
        elif "\0" in v:
            out.append("%s.%s: holds a NUL" % (where, k))
    if isinstance(o.get("id"), str) and isinstance(o.get("origin"), str) and \
            not o["id"].startswith(o["origin"] + ":"):
        out.append("%s.id: '%s' is not prefixed with its origin '%s'" % (where, o["id"], o["origin"]))
    if kind == "tests" and isinstance(o.get("environment"), dict):
        _typed(o["environment"], ENVIRONMENT, where + ".environment", out)


def errors(r):
    out = []
    if not isinstance(r, dict):
        return ["the report: object expected"]
    _nulls(r, "report", out)
    out.extend("report.%s: not a property of the schema" % k for k in r if k not in TOP)
    v = r.get("version")
    if not isinstance(v, dict) or v.get("major") != MAJOR or not isinstance(v.get("minor", 0), int) \
            or isinstance(v.get("minor", 0), bool) or not 0 <= v.get("minor", 0) <= MINOR or \
            set(v) - {"major", "minor"}:
        out.append("version: {\"major\": %d, \"minor\": 0..%d} expected, got %r" % (MAJOR, MINOR, v))
    for kind in KINDS:
        objs = r.get(kind, [])
        if not isinstance(objs, list):
            out.append("%s: array expected" % kind)
            continue
        for i, o in enumerate(objs):
            _object(kind, o, "%s[%d]" % (kind, i), out)
    ids = {kind: {o.get("id") for o in r.get(kind) or [] if isinstance(o, dict)} for kind in KINDS}
    for kind, ref, target in (("builds", "checkout_id", "checkouts"), ("tests", "build_id", "builds")):
        for i, o in enumerate(r.get(kind) or []):
            if isinstance(o, dict) and isinstance(o.get(ref), str) and o[ref] not in ids[target]:
                out.append("%s[%d].%s: '%s' is in no %s of the report" % (kind, i, ref, o[ref], target))
    for kind in KINDS:
        seen = set()
        for i, o in enumerate(r.get(kind) or []):
            if isinstance(o, dict) and o.get("id") in seen:
                out.append("%s[%d].id: '%s' given twice" % (kind, i, o["id"]))
            seen.add(o.get("id") if isinstance(o, dict) else None)
    return out
