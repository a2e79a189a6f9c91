#!/bin/bash
# Which probes have an own EL1 enable (PRE_SVE: CPACR_EL1.ZEN, PRE_SME:
# CPACR_EL1.SMEN), the classification the probes payload runs twice and
# judges the architectural leak by: derived from the probes' encodings alone
# (own_enables.c) and compared with tables/probes.def's PRE column, and the
# list tables/README.md gives ("Own EL1 enables") compared with the table.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
if ! ${HOST_CC:-cc} -std=c11 -Wall -Wextra -Werror -Itables -o "$T_TMP/own_enables" \
	tests/tables/own_enables.c tables/probes.c tables/idregs.c >"$T_TMP/build.log" 2>&1; then
	t_fail "own_enables.c builds"; sed 's/^/#   /' "$T_TMP/build.log" | head -n 20; t_done
fi
t_status "probes.def's PRE column matches what the encodings need" 0 "$T_TMP/own_enables"
t_nogrep "no probe's PRE disagrees with its encoding" '^mismatch ' "$T_OUT"
grep '^own ' "$T_OUT" | cut -d' ' -f2 | sort >"$T_TMP/table"
t_check "some probes have an own enable (SVE and SME ones)" grep -qx sme_svcr "$T_TMP/table"
t_check "TPIDR2_EL0 and SMPRI_EL1 are not behind CPACR_EL1.SMEN" \
	bash -c "! grep -qxE 'sme_tpidr2|sme_smpri' '$T_TMP/table'"
grep '^Probes with an own EL1 enable' tables/README.md | grep -o '`[a-z0-9_]*`' | tr -d '`' | sort >"$T_TMP/readme"
t_eq "tables/README.md lists exactly the table's own-enable probes" "$(cat "$T_TMP/table")" "$(cat "$T_TMP/readme")"
t_done
