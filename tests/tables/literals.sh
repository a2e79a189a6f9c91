#!/bin/bash
# No C file outside tables/ writes the position of an idregs.def field by
# hand: they use gen/idfields.h (IDF_GET, IDF_<REG>_<FIELD>_SHIFT/_MASK).
#
# What is found, per line of arm/, lib/ and host/ C sources and headers:
#   (a) a shift by a number followed by a mask by a number: "(x >> 36) & 0xf";
#   (b) a shift or mask by a number on a line that names an ID register
#       (idregs.def's names in any case, "id_aa64mmfr0_el1", the short form
#       "mmfr0"/"ctr"/"mpidr" that variables take, or an S3_<op1>_C0_C<m>_<op2>
#       encoding): "read_sysreg(ID_AA64MMFR0_EL1) & 0xf".
# Lines of literal-shifts.allow (genuinely non-table bits: ESR, PMCR, KVM ids)
# are accepted.  Limits: one line at a time, so a shift on one line and its
# mask on the next, a value passed through a variable with another name, or
# a constant #defined elsewhere (#define FOO_SHIFT 36) are not seen.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
tmp=$(t_tmpdir)

regs=$(sed -n 's/^IDREG(\([A-Za-z0-9_]*\),.*/\1/p' tables/idregs.def | tr 'A-Z' 'a-z')
short=$(sed -E 's/_el[0-9]+$//; s/^id_aa64//; s/^id_//' <<<"$regs")
names=$(printf '%s\n' $regs $short 's3_[0-7]_c0_c[0-7]_[0-7]' | sort -u | paste -sd'|')
shift_mask='>>[[:space:]]*[0-9]+[[:space:]]*\)?[[:space:]]*&[[:space:]]*(0x[0-9a-f]+|[0-9]+)'
literal='>>[[:space:]]*[0-9]|&[[:space:]]*(0x[0-9a-f]+|[0-9]+)([^0-9a-z_]|$)'

# find FILE...: prints FILE:LINE:text of each suspicious line not allowed.
find_literals() {
	grep -inE -- "$shift_mask" "$@" /dev/null
	grep -inE -- "(^|[^a-z0-9_])($names)([^a-z0-9]|$)" "$@" /dev/null | grep -iE -- "$literal"
} 2>/dev/null
not_allowed() {
	local line file text af frag allowed
	while IFS= read -r line; do
		file=${line%%:*}
		text=${line#*:*:}
		allowed=0
		while IFS='|' read -r af frag _; do
			case $af in '#'*|'') continue ;; esac
			[ "$af" = "$file" ] && [[ $text == *"$frag"* ]] && allowed=1
		done <tests/tables/literal-shifts.allow
		[ $allowed = 1 ] || printf '%s\n' "$line"
	done
}

# The check finds what it is meant to find (on lines written for it).
mkdir -p "$tmp/lib"
cat >"$tmp/lib/bad.c" <<'C'
	bool idst = mmfr2.type == VT_VALUE && ((mmfr2.value >> 36) & 0xf);
	u64 parange = read_sysreg(ID_AA64MMFR0_EL1) & 0xf;
	if ((read_sysreg(s3_0_c0_c6_2) >> 16) & 0xf)
	u64 line = 4UL << (ctr & 0xf);
	u64 fine = IDF_GET(CTR_EL0, DminLine, ctr);
C
(cd "$tmp" && find_literals lib/bad.c) | not_allowed >"$tmp/bad.out"
t_eq "a hand-written shift or mask of a field is found, IDF_GET is not" "1 2 3 4" \
	"$(cut -d: -f2 "$tmp/bad.out" | sort -n | uniq | paste -sd' ')"

# The tree.
mapfile -t files < <(ls arm/*.c lib/*.c lib/*.h lib/asm/*.h host/*.c host/*.h 2>/dev/null)
find_literals "${files[@]}" | sort -u | not_allowed >"$tmp/tree.out"
t_check "no hand-written field position in arm/, lib/, host/ (use gen/idfields.h)" \
	test ! -s "$tmp/tree.out"
[ -s "$tmp/tree.out" ] && sed 's/^/#   /' "$tmp/tree.out"

# Every allowance is still needed: a stale one would hide a new line.
while IFS='|' read -r af frag why; do
	case $af in '#'*|'') continue ;; esac
	grep -qF -- "$frag" "$af" 2>/dev/null || echo "$af: $frag"
done <tests/tables/literal-shifts.allow >"$tmp/stale.out"
t_check "every line of literal-shifts.allow is still in its file" test ! -s "$tmp/stale.out"
[ -s "$tmp/stale.out" ] && sed 's/^/#   stale: /' "$tmp/stale.out"
t_done
