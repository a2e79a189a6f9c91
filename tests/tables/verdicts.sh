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
if ! ${HOST_CC:-cc} -std=c11 -Wall -Wextra -Werror -Itables -o "$T_TMP/probe_verdicts" \
	tests/tables/probe_verdicts.c tables/probes.c tables/idregs.c >"$T_TMP/build.log" 2>&1; then
	t_fail "probe_verdicts.c builds"; sed 's/^/#   /' "$T_TMP/build.log" | head -n 20; t_done
fi
"$T_TMP/probe_verdicts" >"$T_TMP/out"
rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) t_ok "${line#ok - }" ;;
	"not ok - "*) t_fail "${line#not ok - }" ;;
	*) t_fail "unexpected output: $line" ;;
	esac
done <"$T_TMP/out"
t_eq "probe_verdicts exits 0 when every check passed" 0 "$rc"
t_done
