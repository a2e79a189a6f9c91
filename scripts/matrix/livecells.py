"""scripts/matrix/livecells.py: the live cells of matrix.json, from the two
halves' runs (scripts/matrix/init-live.bash).

A cell A -> B is a round trip on one running guest: leg 1 from host A to
host B (the upgrade), leg 2 back to A (the rollback).  A's run
("live-out-kB", the source half) ends with the guest's own verdict at
home; B's ("live-in-kA", the destination half) holds the guest's report
after leg 1 and the way back.  A cell A -> A is one run on A
("live-self-kA": two QEMUs there, there and back).  Fault cells (the
project's tests) are the same runs named kX.FAULT.

Each half prints one "gvmigrate: LEG ..." line per leg it took part in
(host/gvmigrate.c's header; the words come from tables/migproto.json, made
by make from tables/migproto.h): QEMU's total time and downtime of the
sending side, and the harness's own time from the guest's request to the
end of the leg.  Nothing else of the halves' prose is read but QEMU's own
error lines, which are shown as they are.
"""
import json
import os

import hosttools as ht
from matrixfile import ROOT, cell_keys, die, status_of

_PROTO = None


def proto():
    """The LEG line's words (tables/migproto.json)."""
    global _PROTO
    if _PROTO is None:
        path = os.path.join(ROOT, "tables", "migproto.json")
        try:
            with open(path, encoding="utf-8") as f:
                j = json.load(f)
            w = j["words"]
            _PROTO = {"prefix": w["MIGLEG_PREFIX"] + " " + w["MIGLEG"], "out": w["MIGLEG_OUT"],
                      "in": w["MIGLEG_IN"], "fields": j["leg_fields"],
                      "result": w["MIGLEG_RESULT"].rstrip("="), "done": w["MIGLEG_DONE"],
                      "refused": w["MIGLEG_REFUSED"], "failed": w["MIGLEG_FAILED"]}
        except (OSError, ValueError, KeyError) as e:
            die("%s: %s (generated from tables/migproto.h: run make)" % (path, e))
    return _PROTO


def legs_of(lines):
    """{(n, dir): {"peer": ..., field: int}} from a half's LEG lines."""
    p = proto()
    head = p["prefix"] + " "
    legs = {}
    for line in lines:
        if not line.startswith(head):
            continue
        words = line[len(head):].split()
        if len(words) < 3 or not words[0].isdigit():
            continue
        leg = {"peer": words[2]}
        for w in words[3:]:
            k, eq, v = w.partition("=")
            if eq and k == p["result"]:
                leg["result"] = v
            elif eq and v.lstrip("-").isdigit():
                leg[k] = int(v)
        legs[(int(words[0]), words[1])] = leg
    return legs


def read_lines(run):
    if run is None or not run.get("log"):
        return []
    with open(run["log"], encoding="utf-8", errors="replace") as f:
        return f.read().split("\n")


def qemu_errors(lines):
    """QEMU's own error lines in a half's log, as QEMU wrote them or as
    gvmigrate passed them on ("destination: qemu-system-...: ..."),
    warnings left out."""
    out = []
    for l in lines:
        for side in ("", "source: ", "destination: "):
            if l.startswith(side + "qemu-system-") and ": warning: " not in l:
                out.append(l[len(side):])
                break
    return out


def leg_record(n, frm, to, sender, receiver):
    """One leg: who sent, and the figures both sides printed."""
    p = proto()
    s = sender.get((n, p["out"]), {})
    r = receiver.get((n, p["in"]), {})
    # Done when both halves say so; each half's own word otherwise
    # (tables/migproto.h: refused on the receiving side is QEMU's refusal,
    # the others a link or a half that failed).
    leg = {"n": n, "from": frm, "to": to,
           "done": s.get("result") == p["done"] and r.get("result") == p["done"]}
    if s.get("result"):
        leg["sender"] = s["result"]
    if r.get("result"):
        leg["receiver"] = r["result"]
    for k in p["fields"]:
        if k in s:
            leg[k] = s[k]
        elif k in r:
            leg[k] = r[k]
    return leg


def qemu_refused(leg):
    """Whether a leg that did not complete was QEMU's refusal of the state:
    the receiving QEMU did not load it while the sending QEMU's migration
    simply failed.  A sender that cancelled at --link-timeout (or never
    connected) cut the stream itself: the receiver's failed load is the
    consequence (seen under load: "Input/output error"), not a refusal."""
    p = proto()
    return leg.get("receiver") == p["refused"] and leg.get("sender") == p["failed"]


def changed(a, log, out, name):
    """What the guest saw change, against a's saved view, from the first
    view a half's log printed (print_before=0 in init-live.bash: the guest
    prints only a view that changed after a migration)."""
    return ht.view_change(a.get("save_fingerprint"), log,
                          os.path.join(out, "cells", name + ".after-fingerprint.txt"))


def keys_of(d):
    ch = d.get("changes", [])
    return ch, cell_keys(ch)


def verdict_of(run):
    return (run or {}).get("verdict") or ""


def build_live_cell(out, a, b, cell, suffix=""):
    """Fills cell (from, to already there) from the halves' runs; returns
    False when neither half ran (the caller says why)."""
    cell["mode"] = "live"
    if a is b:
        run = a.get("_runs", {}).get("live-self-" + a["id"] + suffix)
        if run is None:
            return False
        return self_cell(out, a, run, cell)
    src = a.get("_runs", {}).get("live-out-" + b["id"] + suffix)
    dst = b.get("_runs", {}).get("live-in-" + a["id"] + suffix)
    if src is None and dst is None:
        return False
    sl, dl = read_lines(src), read_lines(dst)
    slegs, dlegs = legs_of(sl), legs_of(dl)
    cell["legs"] = [leg_record(1, a["id"], b["id"], slegs, dlegs),
                    leg_record(2, b["id"], a["id"], dlegs, slegs)]
    cell["ms"] = max((r["ms"] or 0) for r in (src, dst) if r)
    cell["log"] = (src or dst)["log"]
    cell["logs"] = {"source": src and src["log"], "destination": dst and dst["log"]}
    cell["halves"] = {"source": verdict_of(src), "destination": verdict_of(dst)}
    home = cell["legs"][1]["done"]
    cell["home"] = home
    s_rc = src["rc"] if src else None
    d_rc = dst["rc"] if dst else None
    refused = status_of("REFUSED")
    if s_rc == status_of("PASS") and home:
        cell.update(status="identical", summary="round trip: the guest's view unchanged on %s and back home: %s"
                    % (b["label"], verdict_of(src)))
    elif s_rc == status_of("FAIL") and home:
        d1 = changed(a, dst["log"], out, "%s-to-%s%s.leg1" % (a["id"], b["id"], suffix)) if dst else None
        d2 = changed(a, src["log"], out, "%s-to-%s%s.leg2" % (a["id"], b["id"], suffix))
        if d1 or d2:
            cell["status"] = "changed"
            ch, keys = keys_of(d1 or d2)
            cell["keys"], cell["decoded"] = keys, ch
            cell["breaks_forward"] = (d1 or d2).get("breaks_forward", 0) + (d1 or d2).get("breaks_both", 0)
            if d1:
                cell["legs"][0]["changed"] = [k["key"] for k in keys_of(d1)[1]]
            if d2:
                cell["legs"][1]["changed"] = [k["key"] for k in keys_of(d2)[1]]
            cell["summary"] = "%d key%s changed on %s: %s%s" % (
                len(ch), "" if len(ch) == 1 else "s", "the way there" if d1 else "the way back",
                ", ".join(c["key"] for c in ch[:6]), " ..." if len(ch) > 6 else "")
        else:
            cell.update(status="failed", summary=verdict_of(src))
    elif (s_rc == refused or d_rc == refused) and not any(qemu_refused(l) for l in cell["legs"] if not l["done"]):
        # Not QEMU's refusal: the link or a half failed (no answer, a leg
        # cancelled at --link-timeout, a QEMU that died), a run's error.
        leg = 1 if not cell["legs"][0]["done"] else 2
        l = cell["legs"][leg - 1]
        cell["status"] = "error"
        cell["failed_leg"] = leg
        cell["summary"] = "leg %d did not happen (sender: %s, receiver: %s), not a refusal; the guest stayed on %s (%s)" % (
            leg, l.get("sender", "no word"), l.get("receiver", "no word"),
            a["label"] if leg == 1 else b["label"], verdict_of(src) if leg == 1 else verdict_of(dst))
    elif s_rc == refused or d_rc == refused:
        # Where the guest did go (refused on the way back), what it saw there.
        if cell["legs"][0]["done"] and dst:
            d1 = changed(a, dst["log"], out, "%s-to-%s%s.leg1" % (a["id"], b["id"], suffix))
            if d1:
                cell["legs"][0]["changed"] = [k["key"] for k in keys_of(d1)[1]]
        # Leg 1 refused: the guest stayed home (A's verdict says it finished
        # there).  Leg 2 refused: it went, and could not come back.
        leg = 1 if not cell["legs"][0]["done"] else 2
        errs = qemu_errors(dl if leg == 1 else sl)
        cell["status"] = "refused"
        cell["refused_leg"] = leg
        cell["qemu_error"] = errs
        cell["harness"] = [verdict_of(r) for r in (src, dst) if r]
        what = ("the upgrade refused: the guest stayed on %s (%s)" % (a["label"], verdict_of(src))
                if leg == 1 else
                "the way back refused: the guest stayed on %s (%s)" % (b["label"], verdict_of(dst)))
        cell["summary"] = (errs[-1] + "; " if errs else "") + what
    else:
        bad = src if s_rc not in (status_of("PASS"), status_of("FAIL")) else dst
        rc = (bad or {}).get("rc")
        word = "timeout" if rc == status_of("TIMEOUT") else "interrupted" if rc == status_of("INTERRUPTED") else "error"
        who = a["label"] if bad is src else b["label"]
        cell.update(status=word, summary="%s's half: %s" % (who, verdict_of(bad) or "did not end"))
    return True


def self_cell(out, a, run, cell):
    lines = read_lines(run)
    cell["ms"], cell["log"] = run["ms"], run["log"]
    cell["legs"] = [dict(leg, n=n) for (n, _), leg in sorted(legs_of(lines).items())]
    rc = run["rc"]
    if rc == status_of("PASS"):
        cell.update(status="identical", summary="there and back within the host: " + verdict_of(run))
    elif rc == status_of("FAIL"):
        d = changed(a, run["log"], out, "%s-to-%s.self" % (a["id"], a["id"]))
        if d:
            ch, keys = keys_of(d)
            cell.update(status="changed", keys=keys, decoded=ch,
                        summary="%d key%s changed within the host" % (len(ch), "" if len(ch) == 1 else "s"))
        else:
            cell.update(status="failed", summary=verdict_of(run))
    elif rc == status_of("REFUSED"):
        cell.update(status="refused", summary=verdict_of(run), qemu_error=qemu_errors(lines))
    else:
        word = "timeout" if rc == status_of("TIMEOUT") else "error"
        cell.update(status=word, summary=verdict_of(run) or "did not end")
    return True
