# scripts/runner/durations.bash: timeout(1) durations and elapsed times, in
# bash arithmetic so that timing each test costs no fork.  The one parser
# of TIMEOUT: run_tests.sh and arm/run (which gives gvmigrate its whole
# seconds) both source it, so a value one accepts the other does too.

# duration_valid STR: true when STR is a duration timeout(1) accepts and that
# we can reason about: a number (integer or decimal) with an optional unit
# s, m, h or d, of at most 10 integer digits (over 300 years in seconds:
# bash's 64-bit arithmetic below cannot overflow).  0 means "no limit", as
# for timeout(1).
duration_valid() {
	[[ $1 =~ ^([0-9]{1,10}(\.[0-9]*)?|\.[0-9]+)[smhd]?$ ]]
}

# duration_seconds STR: REPLY = STR rounded up to whole seconds (STR valid).
duration_seconds() {
	duration_us "$1"
	REPLY=$(((REPLY + 999999) / 1000000))
}

# duration_us STR: REPLY = STR in microseconds, rounded up (STR valid).
duration_us() {
	local s=$1 unit=1 int frac
	case $s in
	*s) s=${s%s} ;;
	*m) s=${s%m} unit=60 ;;
	*h) s=${s%h} unit=3600 ;;
	*d) s=${s%d} unit=86400 ;;
	esac
	int=${s%%.*} frac=''
	[[ $s == *.* ]] && frac=${s#*.}
	# Microseconds, rounded up: a limit must never be shortened.
	frac=${frac:0:6}000000
	REPLY=$(((10#${int:-0} * 1000000 + 10#${frac:0:6}) * unit))
}

# now_us: REPLY = wall-clock time in microseconds.  EPOCHREALTIME (bash 5)
# may use the locale's decimal comma, hence stripping every non-digit.
if [ -n "${EPOCHREALTIME:-}" ]; then
	now_us() { REPLY=${EPOCHREALTIME//[!0-9]/}; }
else
	now_us() { REPLY=$(date +%s%6N); }
fi

# fmt_secs MICROSECONDS DECIMALS: REPLY = seconds with 2 or 3 decimals.
fmt_secs() {
	local us=$1
	if [ "$2" = 3 ]; then
		printf -v REPLY '%d.%03d' $((us / 1000000)) $((us % 1000000 / 1000))
	else
		printf -v REPLY '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
	fi
}
