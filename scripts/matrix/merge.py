#!/usr/bin/env python3
"""scripts/matrix/merge.py OUT PHASE=DIR...: the phases of a matrix run
(run-matrix.sh --phase, lib/phases.bash) joined into OUT as one whole run
leaves it, for report.py build.

run-matrix.sh --phase merge gives every phase of its plan (kernel:I, one
per host, and pair:I:J) with the directory it wrote.  Per host kI, OUT/kernels/kI is its kernel phase's,
with the console log, command log and time line of every pair phase it
took part in appended (a whole run's host does the same commands in one
boot; collect.py reads runs by their names, not their order), and the
pairs' gvkvm tries (pairs/kJ.try.json).  A host that went down in a pair
phase is down in the merge, as a whole run's would be.  notrun.tsv is all
phases' lines; run.env the first kernel phase's, with phase=merge, the
phases and their times (phases=PHASE:MS,...) and t_hosts_ms their longest
path (the slowest kernel phase and the slowest pair: what a CI system with
a runner per job takes).

Refused, naming the phase (exit 1): a phase missing or unfinished (its
run.env without t_hosts_ms), a phase of another run (its kernels or
settings differ from the first kernel phase's), or a directory that is
not the phase it is named for.
"""
import os
import shutil
import sys

sys.dont_write_bytecode = True
from matrixfile import read_env  # noqa: E402  (after bytecode is turned off)

# What every phase of one run must agree on (run-matrix.sh's run.env).
SAME = ("specs", "kernels", "mode", "suite", "fault_cells", "host_cpu", "host_mem", "host_smp",
        "outer_qemu", "inner_qemu", "inner_suite", "suites", "boot_timeout", "command_timeout",
        "test_timeout")
# Per host, the logs a pair phase adds to (appended in phase order).
APPENDED = ("console.log", "commands.tsv", "events.tsv", "qemu.err")


class MergeError(Exception):
    pass


def phase_env(phase, d):
    path = os.path.join(d, "run.env")
    if not os.path.isfile(path):
        raise MergeError("phase %s: no %s (did its job not run, or its artifacts not reach the merge?)"
                         % (phase, path))
    env = read_env(path)
    if env.get("phase") != phase:
        raise MergeError("%s: says phase=%s, not %s" % (path, env.get("phase", ""), phase))
    if not env.get("t_hosts_ms", "").isdigit():
        raise MergeError("phase %s did not finish (%s has no t_hosts_ms)" % (phase, path))
    return env


def append(src, dst):
    if not os.path.isfile(src):
        return
    with open(src, "rb") as f, open(dst, "ab") as g:
        shutil.copyfileobj(f, g)


def merge(out, dirs):
    """dirs: each phase of the plan (kernel:I, pair:I:J), in its order, with
    the directory it wrote."""
    kernel_phases = [p for p in dirs if p.startswith("kernel:")]
    pair_phases = [p for p in dirs if p.startswith("pair:")]
    n = len(kernel_phases)
    envs = {}
    for p in kernel_phases + pair_phases:
        envs[p] = phase_env(p, dirs[p])
        if p == kernel_phases[0] and envs[p].get("kernels") != str(n):
            raise MergeError("phase %s ran %s host(s), this merge has %d (the same kernels and --host-cpu"
                             " for every phase)" % (p, envs[p].get("kernels"), n))
    first = envs[kernel_phases[0]]
    for p in kernel_phases[1:] + pair_phases:
        for key in SAME:
            if envs[p].get(key) != first.get(key):
                raise MergeError("phase %s ran with %s=%r, phase %s with %r: not phases of one run"
                                 % (p, key, envs[p].get(key), kernel_phases[0], first.get(key)))

    for name in ("kernels", "cells", "runs"):
        shutil.rmtree(os.path.join(out, name), ignore_errors=True)
    for name in ("matrix.json", "matrix.txt", "run.env", "notrun.tsv"):
        try:
            os.unlink(os.path.join(out, name))
        except FileNotFoundError:
            pass
    os.makedirs(os.path.join(out, "kernels"))

    for i in range(1, n + 1):
        k = "k%d" % i
        src = os.path.join(dirs["kernel:%d" % i], "kernels", k)
        dst = os.path.join(out, "kernels", k)
        if not os.path.isdir(src):
            raise MergeError("phase kernel:%d left no %s" % (i, src))
        shutil.copytree(src, dst)
        for p in pair_phases:
            if str(i) not in p.split(":")[1:]:
                continue
            pk = os.path.join(dirs[p], "kernels", k)
            if not os.path.isdir(pk):
                continue   # its kernel phase failed: the pair did not boot it
            for f in APPENDED:
                append(os.path.join(pk, f), os.path.join(dst, f))
            pairs = os.path.join(pk, "pairs")
            if os.path.isdir(pairs):
                os.makedirs(os.path.join(dst, "pairs"), exist_ok=True)
                for f in sorted(os.listdir(pairs)):
                    shutil.copy(os.path.join(pairs, f), os.path.join(dst, "pairs", f))
            # A host that went down in a pair phase is down in the run
            # (unless its kernel phase already said so).
            host = read_env(os.path.join(pk, "host.env"))
            kept = read_env(os.path.join(dst, "host.env"))
            if host.get("status", "ok") != "ok" and kept.get("status") == "ok":
                kept["status"] = host["status"]
                kept["reason"] = "in phase %s: %s" % (p, host.get("reason", ""))
                with open(os.path.join(dst, "host.env"), "w", encoding="utf-8") as f:
                    f.writelines("%s=%s\n" % kv for kv in kept.items())

    with open(os.path.join(out, "notrun.tsv"), "wb") as g:
        for p in kernel_phases + pair_phases:
            path = os.path.join(dirs[p], "notrun.tsv")
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    shutil.copyfileobj(f, g)

    times = {p: int(envs[p]["t_hosts_ms"]) for p in kernel_phases + pair_phases}
    longest = max(times[p] for p in kernel_phases) + max([times[p] for p in pair_phases] or [0])
    with open(os.path.join(dirs[kernel_phases[0]], "run.env"), encoding="utf-8", errors="replace") as f:
        lines = [l for l in f if not l.startswith(("phase=", "t_hosts_ms="))]
    lines.append("phase=merge\n")
    lines.append("phases=%s\n" % ",".join("%s=%d" % (p, times[p]) for p in kernel_phases + pair_phases))
    lines.append("t_hosts_ms=%d\n" % longest)
    with open(os.path.join(out, "run.env"), "w", encoding="utf-8") as f:
        f.writelines(lines)


def main(argv):
    dirs = dict(a.split("=", 1) for a in argv[2:] if "=" in a)
    if len(argv) < 3 or len(dirs) != len(argv) - 2 or not any(p.startswith("kernel:") for p in dirs):
        sys.stderr.write("usage: merge.py OUT PHASE=DIR... (kernel:I=DIR for every host, pair:I:J=DIR)\n")
        return 2
    try:
        merge(argv[1], dirs)
    except (MergeError, OSError) as e:
        sys.stderr.write("merge.py: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
