# scripts/runner/logtail.bash: the last lines of a test's log, which hold
# arm/run's verdict and what JUnit shows, without a fork per test.
#
# A log is usually a few dozen lines, read whole by mapfile in microseconds
# (tail(1) would cost a fork and exec, about 2 ms, per test).  But a guest
# printing in a loop until its timeout can leave a huge log, and reading
# that whole into bash would take time and memory: past LOGTAIL_MAX lines,
# tail(1) reads just the end.  (mapfile drops what follows a NUL byte, in
# that line only.)
#
# A line longer than LOGTAIL_MAX_CHARS (a guest printing a megabyte without
# a newline) is cut there, saying so: what reads the tail (the verdict,
# JUnit's escaping) does pattern work that bash makes quadratic in a
# string's length, and such a run took minutes.  The log keeps it whole.

LOGTAIL_MAX=5000
LOGTAIL_MAX_CHARS=8192

# log_tail LOG N: LOG_TAIL = the last N lines of LOG (none if unreadable).
log_tail() {
	local log=$1 n=$2 more big='' start
	local -a all=()
	LOG_TAIL=()
	[ -r "$log" ] || return 0
	{
		mapfile -t -n "$LOGTAIL_MAX" all
		if IFS='' read -r more || [ -n "$more" ]; then big=1; fi
	} <"$log"
	if [ -n "$big" ]; then
		mapfile -t LOG_TAIL < <(tail -n "$n" -- "$log")
	else
		start=$((${#all[@]} - n))
		[ "$start" -ge 0 ] || start=0
		# shellcheck disable=SC2034 # the result, for the caller
		LOG_TAIL=("${all[@]:start}")
	fi
	local k
	for k in "${!LOG_TAIL[@]}"; do
		[ ${#LOG_TAIL[k]} -le "$LOGTAIL_MAX_CHARS" ] ||
			LOG_TAIL[k]="${LOG_TAIL[k]:0:LOGTAIL_MAX_CHARS}[... cut here: ${#LOG_TAIL[k]} characters in the log]"
	done
}
