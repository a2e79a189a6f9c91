#!/bin/bash
# scripts/baseline/compare.sh [--volatile FILE] BASELINE QEMU ACCEL < CONSOLE:
# does the fingerprint in CONSOLE (a payload's console output, as arm/run
# prints it) equal the reviewed BASELINE?  arm/run runs it, after a payload
# that passed, when BASELINE is set (unittests.cfg: baseline = FILE).
#
# Every key that moved is a failure, whatever gvfp diff thinks of its
# migration compatibility: a baseline catches a change, and a new QEMU or
# kernel changing a model's view is one to review.  The moved keys are
# printed decoded (gvfp diff's text) and named one a line.
#
# QEMU and ACCEL are what the run used.  A baseline taken with another
# QEMU version (major.minor) or accelerator does not apply to this run: not a
# difference (the two would be different things), and not an error of the
# run either (the machine has another QEMU; it needs baselines of its own),
# so it is said and the test skips (exit 3).
#
# The keys of baselines/volatile.keys (--volatile: another list) are left
# out of both sides, and said so.
#
# Exit status: 0 nothing moved, 1 keys moved, 2 a configuration or input
# error, 3 the baseline does not apply to this QEMU or accelerator (for 2
# and 3, the reason is the last line on stderr).
set -u
here=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd) || exit 2
# shellcheck source=scripts/baseline/lib.bash
. "$here/scripts/baseline/lib.bash" || exit 2
prog=baseline
die() { echo "$prog: $*" >&2; exit 2; }

volatile=$here/baselines/volatile.keys
if [ "${1:-}" = --volatile ]; then
	volatile=${2:-}
	shift 2 || die "--volatile: expected a file"
fi
[ $# -eq 3 ] || die "usage: scripts/baseline/compare.sh [--volatile FILE] BASELINE QEMU ACCEL < CONSOLE"
baseline=$1 qemu=$2 accel=$3
shown=${baseline#"$here"/}
case $baseline in /*) ;; *) baseline=$PWD/$baseline ;; esac
gvfp=$here/host/gvfp
[ -x "$gvfp" ] || die "$gvfp not built (run make)"
command -v python3 >/dev/null || die "python3 not found (it reads gvfp diff --json)"

baseline_header "$baseline" || die "$BL_ERROR"
qemu_version "$qemu" || die "$REPLY"
not_applicable() { echo "$prog: $*" >&2; exit 3; }
[ "$REPLY" = "$BL_QEMU" ] ||
	not_applicable "$shown is a baseline of QEMU $BL_QEMU, this run's QEMU ($qemu) is $REPLY: not comparable (bless one for $REPLY: scripts/baseline/bless.sh)"
[ "$accel" = "$BL_ACCEL" ] ||
	not_applicable "$shown was taken under $BL_ACCEL, this run used $accel: not comparable"
volatile_load "$volatile" || die "$REPLY"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-baseline.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
# Named for gvfp diff's header: "baseline -> this-run: ...".
cd "$tmp" || die "cannot enter $tmp"
baseline_body "$baseline" body || die "$baseline: cannot read"
"$gvfp" extract - -o run.fp || die "no complete fingerprint in the payload's output (gvfp extract, above)"
volatile_filter body baseline
dropped=("${VOLATILE_DROPPED[@]}")
volatile_filter run.fp this-run
dropped+=("${VOLATILE_DROPPED[@]}")
[ ${#dropped[@]} -eq 0 ] ||
	echo "$prog: left out as volatile (${volatile#"$here"/}): $(printf '%s\n' "${dropped[@]}" | sort -u | tr '\n' ' ')"

"$gvfp" diff --json baseline this-run >diff.json
[ $? -le 1 ] || die "gvfp diff failed (above)"
# Its JSON, not its prose: the number of keys compared and those that moved.
moved=$(python3 -c '
import json, sys
d = json.load(open("diff.json"))
print(d["keys"])
for c in d["changes"]:
    print(c["key"])
') || die "cannot read gvfp diff --json"
keys=${moved%%$'\n'*} moved=${moved#"$keys"}
moved=${moved#$'\n'}
if [ -z "$moved" ]; then
	echo "$prog: the view equals $shown ($keys keys, QEMU $BL_QEMU, $BL_ACCEL)"
	exit 0
fi
mapfile -t moved <<<"$moved"
echo "$prog: ${#moved[@]} of $keys keys moved against $shown (QEMU $BL_QEMU, $BL_ACCEL):"
"$gvfp" diff baseline this-run
printf "$prog: moved: %s\n" "${moved[@]}"
exit 1
