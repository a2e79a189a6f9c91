# scripts/runner/logdir.bash: where a run's logs go.
#
# Each run has a directory of its own, LOG_ROOT/run-DATE-TIME-PID/, and
# reads and writes nothing else: two run_tests.sh started in one checkout
# (two terminals, two CI jobs) once shared logs/<test>.log, and one run
# printed a PASS line and a JUnit file built from the other run's output.
# LOG_ROOT/latest is a symlink to the newest run's directory, so that the
# last logs stay where a person looks (logs/latest/<test>.log); it is
# replaced by rename(2), atomic, so a reader never finds it missing or
# half made.  The oldest run directories beyond LOG_KEEP are removed, but
# only the invoking user's and only those whose run is over.

LOG_KEEP=20

# A caller that owns a fresh directory for this one run (the kernel matrix,
# a CI job) names it GUESTVIEW_RUN_LOG_DIR: the run's logs go there as they
# are, with no run-* level and no latest link.  It must not hold files.
#
# logdir_init ROOT: LOG_DIR = a new run directory under ROOT (made, with ROOT
# if need be), ROOT/latest pointing to it; or GUESTVIEW_RUN_LOG_DIR.  False
# when it cannot be made (or that directory is not empty); a latest link
# that cannot be replaced is only a warning (on stderr).
logdir_init() {
	local root=$1 stamp
	if [ -n "${GUESTVIEW_RUN_LOG_DIR:-}" ]; then
		LOG_DIR=$GUESTVIEW_RUN_LOG_DIR
		[ -d "$LOG_DIR" ] || mkdir -p -- "$LOG_DIR" || return 1
		logdir_private "$LOG_DIR" || return 1
		[ -z "$(ls -A -- "$LOG_DIR")" ] || { LOGDIR_ERROR="$LOG_DIR is not empty"; return 1; }
		return
	fi
	[ -d "$root" ] || mkdir -p -- "$root" || return 1
	logdir_private "$root" || return 1
	printf -v stamp '%(%Y%m%d-%H%M%S)T' -1
	# The PID makes the name unique among live runs; mkdir refuses a name
	# that is there (a PID reused within the second of an old run).
	LOG_DIR=$root/run-$stamp-$$
	mkdir -- "$LOG_DIR" 2>/dev/null || return 1
	if ! { ln -s -- "run-$stamp-$$" "$root/.latest.$$" && mv -Tf -- "$root/.latest.$$" "$root/latest"; }; then
		rm -f -- "$root/.latest.$$"
		printf '%s: warning: could not point %s/latest to this run\n' "${PROG:-run_tests.sh}" "$root" >&2
	fi
	logdir_prune "$root"
	return 0
}

# logdir_private DIR: DIR is a directory (not a symlink) of the invoking
# user that nobody else can write in.  Else somebody else could put a
# symlink where a log will be written (root would write through it) or swap
# the run's directory for one of theirs.  LOGDIR_ERROR says which rule broke.
logdir_private() {
	local mode owner
	if [ -L "$1" ] || ! [ -d "$1" ]; then
		LOGDIR_ERROR="$1 is not a directory (or is a symlink)"
		return 1
	fi
	read -r mode owner < <(stat -c '%a %u' -- "$1") || { LOGDIR_ERROR="cannot stat $1"; return 1; }
	if [ "$owner" != "$EUID" ]; then
		LOGDIR_ERROR="$1 belongs to uid $owner, not to this user (uid $EUID)"
		return 1
	fi
	if (( 8#$mode & 8#022 )); then
		LOGDIR_ERROR="$1 is writable by others (mode $mode)"
		return 1
	fi
}

# logdir_prune ROOT: remove the run directories beyond the newest LOG_KEEP
# (names sort by time), if they are the user's and their run has ended.
logdir_prune() {
	local -a runs=("$1"/run-*-*) old=()
	local k d pid
	for ((k = 0; k < ${#runs[@]} - LOG_KEEP; k++)); do
		d=${runs[k]} pid=${runs[k]##*-}
		if ! [[ $pid =~ ^[0-9]+$ ]] || ! [ -d "$d" ] || ! [ -O "$d" ]; then continue; fi
		# kill -0: the run is alive (EPERM too: somebody else's live process).
		! kill -0 "$pid" 2>/dev/null || continue
		old+=("$d")
	done
	[ ${#old[@]} -eq 0 ] || rm -rf -- "${old[@]}"
}
