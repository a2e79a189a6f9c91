#!/bin/bash
# scripts/baseline/bless.sh [--yes] [--note TEXT] [--config FILE]
#                           [--volatile FILE] (--all | TEST...)
#
# Takes the baselines of unittests.cfg's entries with a "baseline = FILE"
# key, after review.  For each TEST it runs the entry's payload exactly as
# the entry says (its QEMU, accelerator, smp, extra_params, test_args)
# through arm/run, extracts the fingerprint with host/gvfp, leaves out the
# keys of baselines/volatile.keys, and shows what would change: the decoded
# difference to the old baseline (gvfp diff), or the whole decoded
# fingerprint (gvfp show) when there is none.  Then it writes FILE only when
# confirmed -- --yes, or "y" at the terminal; without either it writes
# nothing -- atomically (a new file beside FILE renamed over it), with a
# header saying how, when and by whom it was taken and reviewed.  A run
# that equals the old baseline leaves the file as it is.
#
# FILE must lie in a directory named after the QEMU's version, major.minor
# (baselines/qemu-7.2/cortex-a57.fp): the comparison refuses a baseline of
# another version, and the path says which one it is.  To bless for another
# QEMU, give the entry (or a new one) that QEMU with its qemu key.
#
# The project's tests never run this on the stored baselines.
#
# Options:
#   --yes          write without asking (after showing the difference)
#   --note TEXT    what the reviewer checked, recorded in the header
#   --config FILE  the suite's configuration (default unittests.cfg)
#   --volatile FILE  the list of volatile keys (default baselines/volatile.keys)
#   --all          every entry with a baseline key
# Environment: TIMEOUT (per run, default 90s).
# Exit status: 0 all written or unchanged, 1 a baseline not written
# (not confirmed, payload failed), 2 usage or configuration error.
set -u
prog=bless
here=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd) || exit 2
for lib in scripts/baseline/lib.bash scripts/runner/words.bash scripts/runner/durations.bash \
	scripts/runner/shellquote.bash scripts/runner/cfg.bash; do
	# shellcheck source=/dev/null
	. "$here/$lib" || { echo "$prog: cannot load $here/$lib" >&2; exit 2; }
done
# shellcheck disable=SC2034 # read by cfg.bash
CFG_GVMIGRATE=$here/host/gvmigrate
usage() { sed -n '2,/^set -u/s/^# \{0,1\}//p' "$0" | sed '$d'; }
die() { echo "$prog: $*" >&2; exit 2; }

yes='' note='' config=$here/unittests.cfg volatile=$here/baselines/volatile.keys all=''
tests=()
while [ $# -gt 0 ]; do
	case $1 in
	--yes) yes=1 ;;
	--all) all=1 ;;
	--note | --config | --volatile)
		[ $# -ge 2 ] && [ -n "$2" ] || die "$1: expected a value"
		case $1 in --note) note=$2 ;; --config) config=$2 ;; --volatile) volatile=$2 ;; esac
		shift
		;;
	-h | --help) usage; exit 0 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) tests+=("$1") ;;
	esac
	shift
done
[ ${#tests[@]} -gt 0 ] || [ -n "$all" ] || die "name the entries to bless, or --all (see --help)"
[ -x "$here/host/gvfp" ] || die "$here/host/gvfp not built (run make)"
cfg_parse "$config" "$config" || { cfg_print_errors; exit 2; }
volatile_load "$volatile" || die "$REPLY"
if [ -n "$all" ]; then
	for ((i = 0; i < CFG_N; i++)); do
		[ -z "${CFG_AT[$i.baseline]+set}" ] || tests+=("${CFG_NAME[i]}")
	done
fi
for t in "${tests[@]}"; do
	[ -n "${CFG_INDEX[$t]+set}" ] || die "$config: no test '$t'"
	[ -n "${CFG_AT[${CFG_INDEX[$t]}.baseline]+set}" ] || die "$config:${CFG_LINE[${CFG_INDEX[$t]}]}: [$t] has no baseline key"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-bless.XXXXXX") || die "cannot create a temporary directory"
partial=''
trap 'rm -rf -- "$tmp"; [ -z "$partial" ] || rm -f -- "$partial"' EXIT
trap 'exit 130' INT TERM HUP

# rel PATH: REPLY = PATH from the repository's root when it is inside it.
rel() { REPLY=${1#"$here"/}; }

# bless_one I: take, show and (when confirmed) write test I's baseline.
bless_one() {
	local i=$1 name=${CFG_NAME[$1]} file qemu accel ver smp ans how log old new shown
	local -a args=()
	file=${CFG_VAL[$i.baseline]}
	case $file in /*) ;; *) file=$here/$file ;; esac
	cfg_get "$i" qemu qemu-system-aarch64
	qemu=$REPLY
	case $qemu in /*) ;; */*) qemu=$here/$qemu ;; esac
	qemu_version "$qemu" || { echo "$prog: [$name]: $REPLY" >&2; return 1; }
	ver=$REPLY
	case /$file in
	*/qemu-"$ver"/*) ;;
	*) echo "$prog: [$name]: $file is not in a directory qemu-$ver/, the version of $qemu" >&2; return 1 ;;
	esac
	cfg_get "$i" accel "${ACCEL:-tcg}"
	accel=$REPLY
	cfg_get "$i" smp 1
	smp=$REPLY
	cfg_words "$i"
	args=("$here/arm/${CFG_VAL[$i.file]}" -smp "$smp" "${WORDS[@]}")
	[ -z "${CFG_AT[$i.test_args]+set}" ] || args+=(-append "${CFG_VAL[$i.test_args]}")
	rel "$qemu"
	shell_quote "QEMU=$REPLY" "ACCEL=$accel" arm/run "arm/${CFG_VAL[$i.file]}" "${args[@]:1}"
	shown=$REPLY
	log=$tmp/$name.log old=$tmp/$name.old new=$tmp/$name.fp
	echo "$prog: [$name]: $shown"
	if ! env -u BASELINE QEMU="$qemu" ACCEL="$accel" TIMEOUT="${TIMEOUT:-90s}" \
		"$here/arm/run" "${args[@]}" >"$log" 2>&1; then
		echo "$prog: [$name]: the payload did not pass: $(tail -n 1 "$log")" >&2
		return 1
	fi
	"$here/host/gvfp" extract "$log" -o "$tmp/$name.raw" || { echo "$prog: [$name]: no fingerprint in its output" >&2; return 1; }
	volatile_filter "$tmp/$name.raw" "$new"
	[ ${#VOLATILE_DROPPED[@]} -eq 0 ] || echo "$prog: [$name]: left out as volatile: ${VOLATILE_DROPPED[*]}"
	rel "$file"
	if [ -e "$file" ]; then
		baseline_header "$file" || echo "$prog: [$name]: note: the old baseline: $BL_ERROR"
		baseline_body "$file" "$old" || return 1
		if cmp -s "$old" "$new"; then
			echo "$prog: [$name]: $REPLY: unchanged, not rewritten"
			return 0
		fi
		echo "$prog: [$name]: what changes in $REPLY (old -> new), decoded:"
		(cd "$tmp" && "$here/host/gvfp" diff "$name.old" "$name.fp")
	else
		echo "$prog: [$name]: no baseline $REPLY yet; the whole fingerprint, decoded:"
		(cd "$tmp" && "$here/host/gvfp" show "$name.fp")
	fi
	if [ -n "$yes" ]; then
		how='confirmed with --yes'
	elif [ -t 0 ]; then
		read -r -p "$prog: write $REPLY? [y/N] " ans || ans=
		case $ans in y | Y | yes) how='confirmed at the terminal' ;; *) echo "$prog: [$name]: not written"; return 1 ;; esac
	else
		echo "$prog: [$name]: $REPLY not written: review the difference above, then confirm with --yes" >&2
		return 1
	fi
	mkdir -p -- "${file%/*}" || return 1
	partial=$(mktemp "${file%/*}/.${file##*/}.bless.XXXXXX") || return 1
	{
		echo "# guestview baseline: the fingerprint $(rel "${args[0]}"; echo "$REPLY") printed for [$name] of ${config##*/}"
		echo "# qemu-version: $ver"
		echo "# accel: $accel"
		echo "# qemu: $QEMU_VERSION_LINE"
		echo "# taken: $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/baseline/bless.sh on ${HOSTNAME:-localhost}, with"
		echo "#   $shown"
		echo "# reviewed: by ${USER:-$(id -un)}, ${how}, after the decoded difference to the previous baseline (or the whole decoded fingerprint) was shown"
		[ -z "$note" ] || echo "# review note: ${note//$'\n'/ }"
		echo "# left out (baselines/volatile.keys): ${VOLATILE[*]:-nothing}"
		cat -- "$new"
	} >"$partial" && chmod 644 -- "$partial" && sync -- "$partial" && mv -f -- "$partial" "$file" || return 1
	partial=''
	rel "$file"
	echo "$prog: [$name]: wrote $REPLY"
}

rc=0
for t in "${tests[@]}"; do
	bless_one "${CFG_INDEX[$t]}" || rc=1
done
exit $rc
