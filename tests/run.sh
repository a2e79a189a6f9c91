#!/bin/bash
# tests/run.sh [AREA...]: runs the project's own tests (tests/<area>/*.sh) and
# prints one closing line "N passed, N failed, N skipped" counting checks.
# Exit status non-zero when any check failed or any test file broke.
set -u
cd "$(dirname "$0")" || exit 2
areas=("$@")
[ ${#areas[@]} -gt 0 ] || areas=(*/)
pass=0 fail=0 skip=0 broken=0
for area in "${areas[@]}"; do
	area=${area%/}
	[ -d "$area" ] || { echo "tests/run.sh: no test area '$area' (have: $(ls -d */ | tr -d / | tr '\n' ' '))" >&2; exit 2; }
	for t in "$area"/*.sh; do
		[ -e "$t" ] || continue
		echo "# --- tests/$t"
		out=$(bash "$t" 2>&1); rc=$?
		printf '%s\n' "$out"
		p=$(grep -c '^ok - ' <<<"$out"); f=$(grep -c '^not ok - ' <<<"$out")
		pass=$((pass + p)); fail=$((fail + f))
		case $rc in
		0) ;;
		77) skip=$((skip + 1)) ;;
		*) [ "$f" -gt 0 ] || { broken=$((broken + 1)); fail=$((fail + 1)); echo "not ok - tests/$t exited $rc without a failed check"; } ;;
		esac
	done
done
echo "${pass} passed, ${fail} failed, ${skip} skipped"
[ "$fail" -eq 0 ]
