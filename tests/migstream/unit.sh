#!/bin/bash
# tests/migstream/unit.sh: tables/sysreg_names.def, the names host/regnames.c
# gives KVM register ids and the comparison of register lists, without QEMU
# (tests/migstream/unit.c).
. "$(dirname "$0")/../lib.sh"

# shellcheck disable=SC2046
if ! (cd "$T_ROOT" && ${HOST_CC:-cc} -std=c11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Itables -Ihost \
	-o "$T_TMP/unit" tests/migstream/unit.c host/migstream.c host/cpregdiff.c host/regnames.c host/idfield.c tables/idregs.c \
	$(pkg-config --cflags --libs json-c)) >"$T_TMP/build.log" 2>&1; then
	t_fail "tests/migstream/unit.c builds"; sed 's/^/#   /' "$T_TMP/build.log" | head -n 30; t_done
fi
t_ok "tests/migstream/unit.c builds with -Wall -Wextra -Werror and the sanitizers"

UBSAN_OPTIONS=exitcode=99 ASAN_OPTIONS=exitcode=99 "$T_TMP/unit" >"$T_TMP/out" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) t_ok "${line#ok - }" ;;
	"not ok - "*) t_fail "${line#not ok - }" ;;
	*) printf '%s\n' "$line" ;;
	esac
done <"$T_TMP/out"
t_check "unit exits 0 or 1, no sanitizer report (exit $rc)" [ "$rc" -le 1 ]

# The table format: nothing but comments and the six macros.
t_eq "sysreg_names.def holds only comments and SYSREG/SYSREG_RO/CP32/CP32_RO/CP64/CP64_RO lines" "" \
	"$(sed -e '/^\/\*.*\*\/$/d' -e '/^\/\*/,/\*\//d' -e '/^$/d' -e '/^\(SYSREG\|SYSREG_RO\)([A-Za-z0-9_]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*)$/d' \
		-e '/^\(CP32\|CP32_RO\)([A-Za-z0-9_]*, 1[45], [0-9]*, [0-9]*, [0-9]*, [0-9]*)$/d' \
		-e '/^\(CP64\|CP64_RO\)([A-Za-z0-9_]*, 1[45], [0-9]*, [0-9]*)$/d' "$T_ROOT/tables/sysreg_names.def")"
t_done
