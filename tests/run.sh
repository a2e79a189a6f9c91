#!/bin/bash
# tests/run.sh [--quick] [AREA...]: runs the project's own tests
# (tests/<area>/*.sh) and prints one closing line "N passed, N failed, N
# skipped" counting checks, each file's time beside its own summary.
# Exit status non-zero when any check failed or any test file broke.
#
# --quick (make quick-check): leaves out the files that mark themselves
# with a line "# quick-check: skip (why)" near their top -- the kernel
# matrix, the fuzzer, the real package fetch, the many-QEMU checks -- each
# counted as one skipped file.  The file says it, so there is no list here.
set -u
cd "$(dirname "$0")" || exit 2
quick=
[ "${1:-}" != --quick ] || { quick=1; shift; }
areas=("$@")
[ ${#areas[@]} -gt 0 ] || areas=(*/)
pass=0 fail=0 skip=0 broken=0
for area in "${areas[@]}"; do
	area=${area%/}
	[ -d "$area" ] || { echo "tests/run.sh: no test area '$area' (have: $(ls -d */ | tr -d / | tr '\n' ' '))" >&2; exit 2; }
	for t in "$area"/*.sh; do
		[ -e "$t" ] || continue
		echo "# --- tests/$t"
		if [ -n "$quick" ] && why=$(head -n 20 "$t" | grep -m1 '^# quick-check: skip'); then
			echo "# skipped by --quick: ${why#\# quick-check: skip}"
			skip=$((skip + 1))
			continue
		fi
		t0=${EPOCHREALTIME/./}
		out=$(bash "$t" 2>&1); rc=$?
		printf '%s\n' "$out"
		t1=${EPOCHREALTIME/./}
		echo "# tests/$t took $(( (t1 - t0) / 1000000 )).$(( (t1 - t0) / 100000 % 10 )) s"
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
