#!/bin/bash
# The probes payload's verdicts without a guest: tables/probes.c's
# probe_judge() fed injected outcomes and syndromes (probe_verdicts.c):
# the hidden-SVE/SME architectural leak (own enable clear, EC 0x19/0x1D) is
# a KFAIL, an own-enable-set pass that executes a FAIL, class U and N
# hidden-but-executes KFAILs ("untrappable by definition"), class K a FAIL
# unless tables/errata.def matches the host facts (test-bed QEMU 7.2: the
# SME TPIDR2/SMPRI gap), and the version arguments.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
t_cunit probe_verdicts tests/tables/probe_verdicts.c tables/probes.c tables/idregs.c
t_done
