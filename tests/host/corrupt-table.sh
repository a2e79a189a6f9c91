#!/bin/bash
# The consistency rules catch a corrupted register description: with the
# names of ID_AA64PFR0_EL1's GIC and AdvSIMD fields swapped (a plausible
# slip in tables/idregs.def that keeps the layout valid, so that the build's
# overlap check, tests/tables/generator.sh, lets it through), both the guest
# payload and gvfp check, built from the corrupted table, must report the
# FP/AdvSIMD rule on a real CPU model.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f config.mak ] && [ -f arm/idregs.flat ] || t_skip "not built (run make)"
. ./config.mak
tmp=$(t_tmpdir)

# A copy of the tree with the one corrupted line.
mkdir "$tmp/tree"
cp -r Makefile configure config.mak arm lib tables host scripts "$tmp/tree/"
sed -i -e 's/^FIELD(ID_AA64PFR0_EL1, GIC, 24, 4,/FIELD(ID_AA64PFR0_EL1, AdvSIMD, 24, 4,/' \
	-e 's/^FIELD(ID_AA64PFR0_EL1, AdvSIMD, 20, 4,/FIELD(ID_AA64PFR0_EL1, GIC, 20, 4,/' "$tmp/tree/tables/idregs.def"
t_check "the corruption applied" grep -q "^FIELD(ID_AA64PFR0_EL1, GIC, 20, 4," "$tmp/tree/tables/idregs.def"
(cd "$tmp/tree" && make -s clean >/dev/null 2>&1; make -s arm/idregs.flat host/gvfp >"$tmp/build.log" 2>&1)
t_check "the corrupted tree builds" test -f "$tmp/tree/arm/idregs.flat"

t_status "guest: the corrupted table fails on cortex-a57" 1 \
	arm/run "$tmp/tree/arm/idregs.flat" -smp 2 -cpu cortex-a57
t_grep "guest: the FP/AdvSIMD rule fires, with its citation" '^FAIL: rule: fp_advsimd_same \(ID_AA64PFR0_EL1.FP and .AdvSIMD: each field must have the same value' "$T_OUT"

t_status "host: a cortex-a57 fingerprint from the correct payload" 0 \
	arm/run arm/idregs.flat -smp 2 -cpu cortex-a57
host/gvfp extract "$T_OUT" -o "$tmp/a57.fp"
t_status "host: gvfp check with the correct table passes" 0 host/gvfp check "$tmp/a57.fp"
t_status "host: gvfp check with the corrupted table fails" 1 "$tmp/tree/host/gvfp" check "$tmp/a57.fp"
t_grep "host: the failing rule is named" 'fp_advsimd_same' "$T_OUT"
t_done
