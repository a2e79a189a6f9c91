#!/bin/bash
# tests/migstream/unit.sh: tables/sysreg_names.def, the names host/regnames.c
# gives KVM register ids and the comparison of register lists, without QEMU
# (tests/migstream/unit.c).
. "$(dirname "$0")/../lib.sh"

# shellcheck disable=SC2046
t_cunit migstream-unit tests/migstream/unit.c host/migstream.c host/cpregdiff.c host/regnames.c \
	host/idfield.c tables/idregs.c $(pkg-config --cflags --libs json-c)

# The table format: nothing but comments and the six macros.
t_eq "sysreg_names.def holds only comments and SYSREG/SYSREG_RO/CP32/CP32_RO/CP64/CP64_RO lines" "" \
	"$(sed -e '/^\/\*.*\*\/$/d' -e '/^\/\*/,/\*\//d' -e '/^$/d' -e '/^\(SYSREG\|SYSREG_RO\)([A-Za-z0-9_]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*, [0-9]*)$/d' \
		-e '/^\(CP32\|CP32_RO\)([A-Za-z0-9_]*, 1[45], [0-9]*, [0-9]*, [0-9]*, [0-9]*)$/d' \
		-e '/^\(CP64\|CP64_RO\)([A-Za-z0-9_]*, 1[45], [0-9]*, [0-9]*)$/d' "$T_ROOT/tables/sysreg_names.def")"
t_done
