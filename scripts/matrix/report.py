#!/usr/bin/env python3
"""scripts/matrix/report.py: the kernel matrix's results (run-matrix.sh calls it).

  report.py build OUT             the matrix as JSON (stdout), from what
                                  run-matrix.sh left in OUT (collect.py);
                                  writes per-kernel fingerprints, register
                                  lists and the save/restore runs' logs
  report.py text MATRIX.json      the matrix for the terminal (render_text.py)
  report.py junit MATRIX.json     JUnit XML: each kernel's run_tests.sh JUnit,
                                  boot errors, the cells (render_junit.py)
  report.py kcidb MATRIX.json     KCIDB report data (KernelCI's cross-CI
                                  format, I/O schema 5: render_kcidb.py),
                                  checked before it is written
  report.py kcidb-check FILE      checks a KCIDB report (kcidb_check.py):
                                  each error on a line, exit 1 if any
  report.py status MATRIX.json    prints the exit status of the run: 0 the
                                  matrix is complete, 1 a kernel failed or a
                                  cell could not run
  report.py compare OLD NEW       every cell and kernel of NEW that got worse
                                  than in OLD (exit 1 if any; compare.py)
  report.py same A B              whether matrices A and B say the same
                                  (same.py: times, paths and ports aside):
                                  each difference on a line, exit 1 if any

Cells: identical (the guest's view survived the migration unchanged),
changed (the guest saw keys change: named and decoded with gvfp diff),
refused (QEMU on the destination refused the state: its error, and the
registers behind it from gvstream diff of the two kernels' saved states),
failed (another check of the payload failed), and not-run / timeout / error.
Environment: GVFP, GVSTREAM (the host tools; default host/gvfp, host/gvstream).
"""
import json
import os
import sys

# The modules beside this file; no __pycache__ left in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import matrixfile  # noqa: E402  (after the path it is found on)


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    cmd = argv[1]
    if cmd == "build" and len(argv) == 3:
        import collect
        json.dump(collect.build(argv[2]), sys.stdout, indent=1, sort_keys=False)
        sys.stdout.write("\n")
    elif cmd == "text" and len(argv) == 3:
        import render_text
        sys.stdout.write(render_text.text(matrixfile.load(argv[2])))
    elif cmd == "junit" and len(argv) == 3:
        import render_junit
        sys.stdout.write(render_junit.junit(matrixfile.load(argv[2])))
    elif cmd == "kcidb" and len(argv) == 3:
        import render_kcidb
        import kcidb_check
        r = render_kcidb.kcidb(matrixfile.load(argv[2]))
        bad = kcidb_check.errors(r)
        if bad:
            matrixfile.die("%s: the KCIDB report would be invalid: %s" % (argv[2], "; ".join(bad[:5])))
        json.dump(r, sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif cmd == "kcidb-check" and len(argv) == 3:
        import kcidb_check
        try:
            with open(argv[2], encoding="utf-8") as f:
                r = json.load(f)
        except (OSError, ValueError) as e:
            matrixfile.die("%s: %s" % (argv[2], e))
        bad = kcidb_check.errors(r)
        print("\n".join("%s: %s" % (argv[2], e) for e in bad) or "%s: valid KCIDB %d.%d report data"
              % (argv[2], kcidb_check.MAJOR, kcidb_check.MINOR))
        return 1 if bad else 0
    elif cmd == "status" and len(argv) == 3:
        print(matrixfile.status(matrixfile.load(argv[2])))
    elif cmd == "compare" and len(argv) == 4:
        import compare
        worse, lines = compare.compare(matrixfile.load(argv[2]), matrixfile.load(argv[3]))
        print("\n".join(lines))
        return 1 if worse else 0
    elif cmd == "same" and len(argv) == 4:
        import same
        diff = same.same(matrixfile.load(argv[2]), matrixfile.load(argv[3]))
        for d in diff:
            print(d)
        return 1 if diff else 0
    else:
        matrixfile.die("unknown command '%s' (see --help)" % " ".join(argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
