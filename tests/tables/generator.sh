#!/bin/bash
# tables/gen-idfields.awk: the header it writes from the real table, and its
# refusal of a register whose fields overlap or are out of order (per
# CCSIDR_EL1 layout), with the file and line; through make too, where the
# refusal stops the build and leaves no header.  Also the compile-time check
# (tables/idfields_check.c, run by make) that the header agrees with what
# the compiler reads.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
tmp=$(t_tmpdir)
gen() { awk -f tables/gen-idfields.awk "$@"; }
# line_of PATTERN FILE: the number of the first line matching PATTERN.
line_of() { grep -n -- "$1" "$2" | head -n 1 | cut -d: -f1; }

# The real table.
t_status "the real table is accepted" 0 gen tables/idregs.def
cp "$T_OUT" "$tmp/idfields.h"
t_eq "one constant set per FIELD line" "$(grep -c '^FIELD' tables/idregs.def)" \
	"$(grep -c '_SHIFT ' "$tmp/idfields.h")"
t_grep "names: IDF_<REG>_<FIELD>_SHIFT" '^#define IDF_ID_AA64MMFR2_EL1_IDS_SHIFT 36$' "$tmp/idfields.h"
t_grep "names: _MASK in place" '^#define IDF_ID_AA64MMFR2_EL1_IDS_MASK UINT64_C\(0x000000f000000000\)$' "$tmp/idfields.h"
t_grep "a field of one layout carries its name" '^#define IDF_CCSIDR_EL1_NumSets_CCIDX_WIDTH 24$' "$tmp/idfields.h"
t_grep "the other layout's has its own" '^#define IDF_CCSIDR_EL1_NumSets_NOCCIDX_SHIFT 13$' "$tmp/idfields.h"
t_grep "a 64-bit field" '^#define IDF_REVIDR_EL1_IMPDEF_MASK UINT64_C\(0xffffffffffffffff\)$' "$tmp/idfields.h"

# Overlap: AdvSIMD moved up a nibble, onto GIC.
sed 's/^FIELD(ID_AA64PFR0_EL1, AdvSIMD, 20, 4,/FIELD(ID_AA64PFR0_EL1, AdvSIMD, 24, 4,/' tables/idregs.def >"$tmp/overlap.def"
n=$(line_of '^FIELD(ID_AA64PFR0_EL1, AdvSIMD, 24' "$tmp/overlap.def")
t_check "overlap: the corruption applied" test -n "$n"
t_status "overlap: refused" 1 gen "$tmp/overlap.def"
t_eq "overlap: file:line and both fields" \
	"$tmp/overlap.def:$n: ID_AA64PFR0_EL1.AdvSIMD [27:24] overlaps ID_AA64PFR0_EL1.GIC [27:24]" \
	"$(cat "$T_OUT")"

# Out of order: FP listed before AdvSIMD.
awk '/^FIELD\(ID_AA64PFR0_EL1, AdvSIMD,/ { held = $0; next }
     { print } held && /^FIELD\(ID_AA64PFR0_EL1, FP,/ { print held; held = "" }' \
	tables/idregs.def >"$tmp/order.def"
n=$(line_of '^FIELD(ID_AA64PFR0_EL1, AdvSIMD' "$tmp/order.def")
t_check "order: the swap applied" test "$n" -gt "$(line_of '^FIELD(ID_AA64PFR0_EL1, FP,' "$tmp/order.def")"
t_status "order: refused" 1 gen "$tmp/order.def"
t_eq "order: file:line and the previous field" \
	"$tmp/order.def:$n: ID_AA64PFR0_EL1.AdvSIMD [23:20] is not below the previous field ID_AA64PFR0_EL1.FP [19:16]" \
	"$(cat "$T_OUT")"

# Layouts: the CCIDX fields are checked among themselves (with the
# LAYOUT_ANY ones), not against the NOCCIDX fields listed before them.
sed 's/^FIELD(CCSIDR_EL1, Associativity, 3, 21, KIND_EXACT, LAYOUT_CCIDX)/FIELD(CCSIDR_EL1, Associativity, 3, 30, KIND_EXACT, LAYOUT_CCIDX)/' \
	tables/idregs.def >"$tmp/ccidx.def"
n=$(line_of '^FIELD(CCSIDR_EL1, Associativity, 3, 30' "$tmp/ccidx.def")
t_status "layout: an overlap within LAYOUT_CCIDX is refused" 1 gen "$tmp/ccidx.def"
t_eq "layout: named with its layout" \
	"$tmp/ccidx.def:$n: CCSIDR_EL1.Associativity_CCIDX [32:3] overlaps CCSIDR_EL1.NumSets_CCIDX [55:32]" \
	"$(cat "$T_OUT")"

# Other refusals, one line each.
printf 'IDREG(A_EL1, 3, 0, 0, 0, 0, SCOPE_VM, PRESENT_ALWAYS)\nFIELD(B_EL1, X, 0, 4, KIND_FEAT, LAYOUT_ANY)\n' >"$tmp/stray.def"
t_status "a FIELD under another register's IDREG is refused" 1 gen "$tmp/stray.def"
t_grep "... with its line" "^$tmp/stray.def:2: FIELD B_EL1.X follows IDREG A_EL1" "$T_OUT"
printf 'IDREG(A_EL1, 3, 0, 0, 0, 0, SCOPE_VM, PRESENT_ALWAYS)\nFIELD(A_EL1, X, 62, 4, KIND_FEAT, LAYOUT_ANY)\n' >"$tmp/wide.def"
t_status "a field past bit 63 is refused" 1 gen "$tmp/wide.def"
printf 'IDREG(A_EL1, 3, 0, 0, 0, 0, SCOPE_VM, PRESENT_ALWAYS)\nRULE(x, "y", 1)\n' >"$tmp/other.def"
t_status "a line that is neither IDREG nor FIELD is refused" 1 gen "$tmp/other.def"

# Through make, in a copy of the tree: the build stops, no header is left,
# and a change of the .def remakes the header and what includes it.
mkdir "$tmp/tree"
cp -r Makefile configure config.mak arm lib tables host scripts "$tmp/tree/"
rm -rf "$tmp/tree/gen"
cp "$tmp/overlap.def" "$tmp/tree/tables/idregs.def"
(cd "$tmp/tree" && make -s gen/idfields.h host/idregs.o >"$tmp/make.log" 2>&1)
t_eq "make: a refused table stops the build" 2 $?
t_grep "make: with the generator's message" "^tables/idregs.def:[0-9]+: ID_AA64PFR0_EL1.AdvSIMD \[27:24\] overlaps" "$tmp/make.log"
t_check "make: no header left behind" test ! -e "$tmp/tree/gen/idfields.h" -a ! -e "$tmp/tree/gen/.new"
cp tables/idregs.def "$tmp/tree/tables/idregs.def"
t_status "make: the fixed table builds" 0 make -s -C "$tmp/tree" gen/idfields.h host/idregs.o
sleep 1
sed -i 's/^FIELD(ID_AA64MMFR2_EL1, IDS, 36, 4,/FIELD(ID_AA64MMFR2_EL1, IDS, 36, 3,/' "$tmp/tree/tables/idregs.def"
t_status "make: a .def change remakes the header and host/idregs.o" 0 \
	make -C "$tmp/tree" --no-print-directory -n host/idregs.o
t_grep "... the header" "gen-idfields.awk" "$T_OUT"
t_grep "... and the object" "-o host/idregs.o" "$T_OUT"
t_status "make: ... and a guest object that includes the header (its .d file)" 0 \
	make -C "$tmp/tree" --no-print-directory -n lib/mmu.o
t_grep "... lib/mmu.o is recompiled" "-o lib/mmu.o" "$T_OUT"

# The compiler's reading and the header's must agree (tables/idfields_check.c).
mkdir "$tmp/inc"
sed 's/^\tX(ID_AA64MMFR2_EL1, IDS, LAYOUT_ANY, 36, 4)/\tX(ID_AA64MMFR2_EL1, IDS, LAYOUT_ANY, 32, 4)/' \
	"$tmp/idfields.h" >"$tmp/inc/idfields.h"
t_check "cross-check: the corruption applied" grep -q 'X(ID_AA64MMFR2_EL1, IDS, LAYOUT_ANY, 32, 4)' "$tmp/inc/idfields.h"
t_status "cross-check: a header that disagrees does not compile" 1 \
	cc -std=c11 -fsyntax-only -Itables -I"$tmp/inc" tables/idfields_check.c
t_grep "cross-check: names the field" 'disagrees with idregs.def on ID_AA64MMFR2_EL1.IDS' "$T_OUT"
grep -v $'^\tX(ID_AA64MMFR2_EL1, IDS,' "$tmp/idfields.h" >"$tmp/inc/idfields.h"
t_status "cross-check: a header that lacks a field does not compile" 1 \
	cc -std=c11 -fsyntax-only -Itables -I"$tmp/inc" tables/idfields_check.c
t_status "cross-check: the generated header compiles" 0 \
	cc -std=c11 -fsyntax-only -Itables -I"$tmp" tables/idfields_check.c
t_done
