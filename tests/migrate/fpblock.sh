#!/bin/bash
# tests/migrate/fpblock.sh: gvmigrate's output keeps a guest's fingerprint
# block whole when another QEMU writes to stderr meanwhile (host/fpblock.c;
# tests/migrate/fpblock_test.c, no QEMU).  Seen with QEMU 11.1 in the kernel
# matrix: a destination's "-mon is deprecated" warning inside the restored
# guest's block, which then was no fingerprint.
. "$(dirname "$0")/../lib.sh"
t_cunit fpblock tests/migrate/fpblock_test.c host/fpblock.c
t_done
