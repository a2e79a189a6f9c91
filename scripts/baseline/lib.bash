# scripts/baseline/lib.bash: what compare.sh and bless.sh share -- the
# baseline file's header, the QEMU version, and the reviewed list of keys
# that vary from run to run.
#
# A baseline (baselines/qemu-X.Y/NAME.fp) is a fingerprint as host/gvfp
# writes it, after a header of '#' lines that bless.sh writes; gvfp does not
# read comments, so the body is the file without its '#' lines.  Two header
# lines are read back, each "# KEY: VALUE":
#   qemu-version  the major.minor of the QEMU that took it
#   accel         tcg or kvm
# the others (how, when, reviewed by whom) are for people.

# baseline_header FILE: BL_QEMU and BL_ACCEL from FILE's header; false with
# BL_ERROR saying why when FILE is unreadable or lacks one of them.
baseline_header() {
	local line
	BL_QEMU='' BL_ACCEL='' BL_ERROR=''
	if ! [ -f "$1" ] || ! [ -r "$1" ]; then
		BL_ERROR="$1: cannot read the baseline"
		return 1
	fi
	while IFS= read -r line; do
		case $line in
		'# qemu-version: '*) BL_QEMU=${line#'# qemu-version: '} ;;
		'# accel: '*) BL_ACCEL=${line#'# accel: '} ;;
		'#'*) ;;
		*) break ;;
		esac
	done <"$1"
	[[ $BL_QEMU =~ ^[0-9]+\.[0-9]+$ ]] ||
		BL_ERROR="$1:1: no '# qemu-version: MAJOR.MINOR' header line: not a baseline of scripts/baseline/bless.sh"
	[ -n "$BL_ERROR" ] || [[ $BL_ACCEL =~ ^(tcg|kvm)$ ]] ||
		BL_ERROR="$1:1: no '# accel: tcg|kvm' header line: not a baseline of scripts/baseline/bless.sh"
	[ -z "$BL_ERROR" ]
}

# baseline_body FILE OUT: OUT = the fingerprint of baseline FILE.
baseline_body() { grep -v '^#' -- "$1" >"$2"; }

# qemu_version QEMU: REPLY = QEMU's major.minor and QEMU_VERSION_LINE its
# first line of --version; false with REPLY saying why.
qemu_version() {
	local out
	if ! out=$("$1" --version 2>&1 </dev/null); then
		REPLY="'$1 --version' failed: ${out%%$'\n'*}"
		return 1
	fi
	QEMU_VERSION_LINE=${out%%$'\n'*}
	if ! [[ $QEMU_VERSION_LINE =~ version\ ([0-9]+)\.([0-9]+) ]]; then
		REPLY="'$1 --version' names no version: '$QEMU_VERSION_LINE'"
		return 1
	fi
	REPLY=${BASH_REMATCH[1]}.${BASH_REMATCH[2]}
}

# The keys left out of every baseline and every comparison: values that
# change from run to run of one configuration.  The list is a reviewed file,
# each line a key or a glob (bash pattern) and, after '#', why; the code
# leaves nothing out by itself.
# volatile_load FILE: VOLATILE = its patterns; false with REPLY = why.
volatile_load() {
	local line ln=0 pat
	VOLATILE=()
	if ! [ -r "$1" ]; then
		REPLY="$1: cannot read the list of volatile keys"
		return 1
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		ln=$((ln + 1))
		pat=${line%%'#'*}
		pat=${pat//[[:space:]]/}
		[ -z "$pat" ] || VOLATILE+=("$pat")
		# A pattern needs its reason: an exclusion nobody can review is
		# what this list exists to prevent.
		if [ -n "$pat" ] && [[ $line != *'#'?* ]]; then
			REPLY="$1:$ln: '$pat' has no reason (KEY  # why it varies from run to run)"
			return 1
		fi
	done <"$1"
}

# volatile_filter IN OUT: OUT = fingerprint IN without the VOLATILE keys;
# VOLATILE_DROPPED = the keys left out.
volatile_filter() {
	local line key pat keep
	VOLATILE_DROPPED=()
	if [ ${#VOLATILE[@]} -eq 0 ]; then
		cp -- "$1" "$2"
		return
	fi
	while IFS= read -r line; do
		key=${line%% *} keep=1
		for pat in "${VOLATILE[@]}"; do
			# shellcheck disable=SC2053 # a glob, on purpose
			if [[ $key == $pat ]]; then keep='' VOLATILE_DROPPED+=("$key"); break; fi
		done
		[ -z "$keep" ] || printf '%s\n' "$line"
	done <"$1" >"$2"
}
