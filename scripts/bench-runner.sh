#!/bin/bash
# scripts/bench-runner.sh [-n ROUNDS] [run_tests.sh options]: what the
# runner itself costs.  Each round runs the suite once through
# run_tests.sh (its wall time), then runs every test's QEMU command line
# alone, exactly as arm/run logged it (the raw QEMU time).  Prints the
# median of each over the rounds, their ratio, and the runner's cost per
# test (suite minus raw, divided by the tests; the median of the rounds'
# figures): the target is at most 20 ms.  Each command line also runs
# with its console written into a file: QEMU writes its console a byte at
# a time, and what that costs over /dev/null is part of the runner's cost
# that no reading can avoid; it is printed beside it.  Wall time on a shared, loaded machine moves
# with the load; the CPU time the runner adds (its processes' user and
# system time, children's included, minus the raw runs') moves far less,
# and is printed too.  The load average is printed
# before and after: figures taken at another load are not comparable.
# A benchmark, not a test: it prints figures and judges nothing.
#
# The runs' logs go to a private temporary directory (GUESTVIEW_RUN_LOG_DIR,
# one fresh directory per round, removed with it): the user's logs/ and
# its latest link are left as they were.
set -u
cd "$(dirname "$0")/.." || exit 2
rounds=3
if [ "${1-}" = -n ]; then
	[[ ${2-} =~ ^[1-9][0-9]*$ ]] || { echo "bench-runner: -n needs a number of rounds >= 1, got '${2-}'" >&2; exit 2; }
	rounds=$2
	shift 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-bench.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

now_us() { REPLY=${EPOCHREALTIME//[!0-9]/}; }
# cpu_us: REPLY = the user + system time of this script's finished
# children, in microseconds (bash's times, no fork).
cpu_us() {
	local u s
	times >"$tmp/times"
	{ read -r _ _; read -r u s; } <"$tmp/times"
	u=${u//[ms.]/ } s=${s//[ms.]/ }
	read -r um us uf <<<"$u"
	read -r sm ss sf <<<"$s"
	REPLY=$(((10#$um + 10#$sm) * 60000000 + (10#$us + 10#$ss) * 1000000 + (10#$uf + 10#$sf) * 1000))
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
read -r load_before _ </proc/loadavg

for ((r = 1; r <= rounds; r++)); do
	logs=$tmp/logs.$r
	cpu_us
	c0=$REPLY
	now_us
	t0=$REPLY
	GUESTVIEW_RUN_LOG_DIR=$logs ./run_tests.sh "$@" >"$tmp/suite.out" 2>&1
	rc=$?
	now_us
	suite=$((REPLY - t0))
	cpu_us
	suite_cpu=$((REPLY - c0))
	[ "$rc" -le 1 ] || { echo "bench-runner: run_tests.sh exited $rc:"; tail -n 5 "$tmp/suite.out"; exit 1; }
	echo "$suite" >>"$tmp/suite.us"
	raw=0 rawfile=0 raw_cpu=0 tests=0
	for log in "$logs"/*.log; do
		# Line 2 of each log is arm/run's quoted QEMU command line.
		cmd=$(sed -n 2p "$log")
		case $cmd in *qemu-system-*) ;; *) continue ;; esac
		cpu_us
		c0=$REPLY
		now_us
		t0=$REPLY
		bash -c "$cmd" </dev/null >/dev/null 2>&1
		now_us
		raw=$((raw + REPLY - t0))
		t0=$REPLY
		cpu_us
		raw_cpu=$((raw_cpu + REPLY - c0))
		REPLY=$t0
		t0=$REPLY
		bash -c "$cmd" </dev/null >"$tmp/console" 2>&1
		now_us
		rawfile=$((rawfile + REPLY - t0))
		tests=$((tests + 1))
	done
	echo "$raw" >>"$tmp/raw.us"
	echo $(((rawfile - raw) / (tests ? tests : 1))) >>"$tmp/console.us"
	echo $(((suite - raw) / (tests ? tests : 1))) >>"$tmp/cost.us"
	echo $(((suite_cpu - raw_cpu) / (tests ? tests : 1))) >>"$tmp/cpucost.us"
	rm -rf -- "$logs"
done
read -r load_after _ </proc/loadavg
suite=$(median <"$tmp/suite.us")
raw=$(median <"$tmp/raw.us")
cost=$(median <"$tmp/cost.us")
console=$(median <"$tmp/console.us")
cpucost=$(median <"$tmp/cpucost.us")
printf 'tests per round:            %d (%d rounds, medians below)\n' "$tests" "$rounds"
printf 'run_tests.sh wall time:     %d.%03d s\n' $((suite / 1000000)) $((suite / 1000 % 1000))
printf 'sum of raw QEMU times:      %d.%03d s\n' $((raw / 1000000)) $((raw / 1000 % 1000))
printf 'ratio:                      %s\n' "$(awk -v a="$suite" -v b="$raw" 'BEGIN {printf "%.2f", a / b}')"
printf 'runner cost per test:       %s ms (target <= 20)\n' "$(awk -v c="$cost" 'BEGIN {printf "%.1f", c / 1000}')"
printf '... of it, the console:     %s ms (QEMU writing it into a file, not /dev/null)\n' "$(awk -v c="$console" 'BEGIN {printf "%.1f", c / 1000}')"
printf 'runner CPU time per test:   %s ms (user + system, over the raw runs)\n' "$(awk -v c="$cpucost" 'BEGIN {printf "%.1f", c / 1000}')"
printf 'load average (1 min):       %s before, %s after\n' "$load_before" "$load_after"
