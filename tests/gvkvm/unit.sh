#!/bin/bash
# tests/gvkvm/unit.sh: host/gvkvm_try.c without a kernel (tests/gvkvm/unit.c):
# the field-by-field split with injected answers, register names to ids.
. "$(dirname "$0")/../lib.sh"

if ! (cd "$T_ROOT" && ${HOST_CC:-cc} -std=c11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Itables -Ihost \
	-o "$T_TMP/unit" tests/gvkvm/unit.c host/gvkvm_try.c host/gvkvm_json.c host/regnames.c tables/idregs.c) \
	>"$T_TMP/build.log" 2>&1; then
	t_fail "tests/gvkvm/unit.c builds"; sed 's/^/#   /' "$T_TMP/build.log" | head -n 30; t_done
fi
t_ok "tests/gvkvm/unit.c builds with -Wall -Wextra -Werror and the sanitizers"

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
t_done
