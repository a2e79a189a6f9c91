#!/usr/bin/env python3
"""scripts/matrix/gitlab-ci.py [-o FILE] [--args "RUN-MATRIX OPTIONS"] KERNEL...:
the kernel matrix as a GitLab CI pipeline (make gitlab-ci writes the
project's .gitlab-ci.yml with it; make check checks that file is what
this writes for the default kernels).

The jobs are the phases run-matrix.sh --plan prints for those kernels
(lib/phases.bash), one job per phase through parallel:matrix: a stage of
kernel phases, a stage of pair phases, the merge.  Each job runs what a
user runs by hand, `make matrix-phase PHASE=...`, and they share only
the artifacts directory (ARTIFACTS), which GitLab hands from one stage to
the next.  A phase that ends with status 1 found a kernel failing, which
is a result: its job may fail that way (allow_failure) and the merge still
reports it; any other status stops the pipeline.  The list of jobs follows
the kernels: for other kernels, write the pipeline again.
"""
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTIFACTS = "logs/matrix-phases"
OUT = "logs/matrix"


def q(s):
    """A YAML scalar: JSON's quoting is YAML's double-quoted style."""
    return json.dumps(s)


def plan(args, kernels):
    cmd = [os.path.join(ROOT, "scripts/matrix/run-matrix.sh"), "--plan"] + args + kernels
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit("gitlab-ci.py: run-matrix.sh --plan exited %d" % r.returncode)
    return r.stdout.split()


def pipeline(phases, args, kernels):
    kernel = [p for p in phases if p.startswith("kernel:")]
    pair = [p for p in phases if p.startswith("pair:")]
    o = []
    o.append("# The kernel matrix fanned out over GitLab runners, one job per phase")
    o.append("# (scripts/matrix/lib/phases.bash).  Written by `make gitlab-ci`")
    o.append("# (scripts/matrix/gitlab-ci.py) for KERNELS=%s: write it again for" % q(" ".join(kernels)))
    o.append("# other kernels, do not edit it (make check compares).")
    o.append("variables:")
    o.append("  KERNELS: %s" % q(" ".join(kernels)))
    o.append("  MATRIX_ARGS: %s" % q(" ".join(args)))
    o.append("  ARTIFACTS: %s" % q(ARTIFACTS))
    o.append("stages: [kernel, pair, merge]")
    o.append("")
    o.append("# Every job: a Debian machine that `make` sets up itself (README), the")
    o.append("# kernels and packages cached between pipelines (deps/).")
    o.append(".phase:")
    o.append("  image: \"debian:bookworm\"")
    o.append("  before_script:")
    o.append("    - apt-get update -q && apt-get install -y -q --no-install-recommends make ca-certificates")
    o.append("  cache:")
    o.append("    key: guestview-deps")
    o.append("    paths: [deps/]")
    o.append("  script:")
    o.append("    - make matrix-phase PHASE=\"$PHASE\"")
    o.append("  allow_failure:")
    o.append("    exit_codes: [1]")
    o.append("  artifacts:")
    o.append("    when: always")
    o.append("    paths: [%s]" % q(ARTIFACTS + "/"))
    o.append("")
    for stage, jobs in (("kernel", kernel), ("pair", pair)):
        if not jobs:
            continue
        o.append("%s:" % stage)
        o.append("  extends: .phase")
        o.append("  stage: %s" % stage)
        o.append("  parallel:")
        o.append("    matrix:")
        o.append("      - PHASE: [%s]" % ", ".join(q(p) for p in jobs))
        o.append("")
    o.append("merge:")
    o.append("  extends: .phase")
    o.append("  stage: merge")
    o.append("  script:")
    o.append("    - make matrix-phase PHASE=merge MATRIX_ARGS=\"$MATRIX_ARGS --junit %s/junit.xml --kcidb %s/kcidb.json\""
             % (OUT, OUT))
    o.append("  allow_failure: false")
    o.append("  artifacts:")
    o.append("    when: always")
    o.append("    paths: [%s]" % q(OUT + "/"))
    o.append("    reports:")
    o.append("      junit: %s" % q(OUT + "/junit.xml"))
    return "\n".join(o) + "\n"


def main(argv):
    out, args, kernels = None, [], []
    i = 1
    while i < len(argv):
        if argv[i] == "-o" and i + 1 < len(argv):
            out = argv[i + 1]
            i += 2
        elif argv[i] == "--args" and i + 1 < len(argv):
            args = argv[i + 1].split()
            i += 2
        elif argv[i] in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            kernels.append(argv[i])
            i += 1
    if not kernels:
        sys.stderr.write("gitlab-ci.py: no kernel given (see --help)\n")
        return 2
    text = pipeline(plan(args, kernels), args, kernels)
    if out is None:
        sys.stdout.write(text)
        return 0
    # Whole or not at all: a good pipeline is not replaced by a partial one.
    tmp = "%s.tmp.%d" % (out, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
