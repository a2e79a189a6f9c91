"""scripts/matrix/render_junit.py: the matrix's JUnit XML.

The per-kernel results are run_tests.sh's own JUnit (written inside each
emulated host by scripts/runner/junit.bash): each kernel's <testsuite> is
that document's, named "kernel LABEL" (and its testcases classed so) so
that dashboards keep the kernels apart, with two properties added (what
the kernel ran on: host_cpu, outer_qemu); nothing in it is rewritten.  What
only the matrix knows -- a kernel that did not come up, the migration
cells -- is written here, escaped exactly as junit.bash's xml_escape does
(tests/matrix/junit.sh holds the two to the same answers)."""
import re
import xml.etree.ElementTree as ET

from collect import PAYLOAD_CLASSNAME

# junit.bash's XML_BAD_CTRL: the C0 controls XML 1.0 forbids, and DEL; NUL
# too (a bash string cannot hold one, a Python string can).
_BAD_CTRL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HIGH = re.compile(rb"[\x80-\xff]")


def xml_escape(s):
    """s (str; bytes that were not UTF-8 as surrogate escapes) made safe
    inside XML text or a quoted attribute, as junit.bash's xml_escape."""
    b = s.encode("utf-8", "surrogateescape") if isinstance(s, str) else bytes(s)
    b = (b.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
         .replace(b'"', b"&quot;").replace(b"'", b"&apos;"))
    b = _BAD_CTRL.sub(b"?", b)
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8 (a crashed guest, a raw dump): keep the ASCII.
        return _HIGH.sub(b"?", b).decode("ascii")


def host_props(k):
    """What the kernel ran on, as (name, value) testsuite properties."""
    return [(n, k.get(n)) for n in ("host_cpu", "outer_qemu") if k.get(n)]


def _suite(name, cases, props=()):
    fails = sum(1 for c in cases if "<failure" in c)
    errs = sum(1 for c in cases if "<error" in c)
    p = []
    if props:
        p = (["    <properties>"] + ['      <property name="%s" value="%s"/>' % (xml_escape(n), xml_escape(v))
                                     for n, v in props] + ["    </properties>"])
    return (['  <testsuite name="%s" tests="%d" failures="%d" errors="%d">'
             % (xml_escape(name), len(cases), fails, errs)] + p + cases + ["  </testsuite>"])


def _case(classname, name, ms, tag="", kind="", message=""):
    body = ""
    if tag:
        body = '<%s%s message="%s"/>' % (tag, ' type="%s"' % xml_escape(kind) if kind else "",
                                         xml_escape(message))
    return '    <testcase classname="%s" name="%s" time="%.3f">%s</testcase>' % (
        xml_escape(classname), xml_escape(name), (ms or 0) / 1000.0, body)


def _runner_suites(k, cls):
    """The kernel's testsuites from run_tests.sh's JUnit, renamed to the
    kernel; a case that says so when the file is gone or unreadable."""
    if k.get("suite") == "skipped":
        return _suite(cls, [_case(cls, "suite", 0, "skipped", "", "not run (--no-suite)")])
    path = k["suite"].get("junit") if isinstance(k.get("suite"), dict) else None
    try:
        root = ET.parse(path).getroot()
    except (OSError, TypeError, ET.ParseError) as e:
        return _suite(cls, [_case(cls, "suite", 0, "error", "", "run_tests.sh's JUnit %s: %s" % (path, e))],
                      host_props(k))
    out = []
    for ts in root.iter("testsuite"):
        ts.set("name", cls)
        props = ts.find("properties")
        if props is None:
            props = ET.Element("properties")
            ts.insert(0, props)
        for n, v in host_props(k):
            ET.SubElement(props, "property", name=n, value=v)
        for tc in ts.iter("testcase"):
            # A payload's case (classname "guestview") becomes the kernel's;
            # a check's keeps its payload: "kernel 6.12: probes".
            own = tc.get("classname")
            tc.set("classname", cls if own == PAYLOAD_CLASSNAME else "%s: %s" % (cls, own))
        out.append("  " + ET.tostring(ts, encoding="unicode").rstrip())
    return out


def junit(m):
    o = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="guestview kernel matrix">']
    for k in m["kernels"]:
        cls = "kernel " + k["label"]
        if k["status"] != "ok":
            o.extend(_suite(cls, [_case(cls, "boot", 0, "error", "",
                                        "%s: %s" % (k["status"], k["reason"]))], host_props(k)))
        elif "suite" in k:
            o.extend(_runner_suites(k, cls))
    cases = []
    for c in m["cells"]:
        name = "%s -> %s" % (c["from_label"], c["to_label"])
        s = c["status"]
        if s == "identical":
            cases.append(_case("migration", name, c.get("ms")))
        else:
            tag = "failure" if s in ("changed", "refused", "failed") else "error"
            cases.append(_case("migration", name, c.get("ms"), tag, s, c.get("summary", "")))
    o.extend(_suite("migration", cases))
    o.append("</testsuites>")
    return "\n".join(o) + "\n"
