#!/bin/bash
# scripts/bench-runner.sh [-n ROUNDS] [run_tests.sh options]: what the
# runner itself costs.  Each round runs the suite once through
# run_tests.sh (its wall time), then runs every test's QEMU command line
# alone, exactly as arm/run logged it (the raw QEMU time).  Prints the
# median of each over the rounds and their ratio; the target is <= 1.3.
# A benchmark, not a test: it prints figures and judges nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
rounds=3
if [ "${1-}" = -n ]; then rounds=$2; shift 2; fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-bench.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

for ((r = 1; r <= rounds; r++)); do
	rm -rf logs
	t0=$(now_ns)
	./run_tests.sh "$@" >"$tmp/suite.out" 2>&1
	rc=$?
	t1=$(now_ns)
	[ "$rc" -le 1 ] || { echo "bench-runner: run_tests.sh exited $rc:"; tail -n 5 "$tmp/suite.out"; exit 1; }
	echo $(((t1 - t0) / 1000)) >>"$tmp/suite.us"
	raw=0 tests=0
	for log in logs/latest/*.log; do
		# Line 2 of each log is arm/run's quoted QEMU command line.
		cmd=$(sed -n 2p "$log")
		case $cmd in *qemu-system-*) ;; *) continue ;; esac
		t0=$(now_ns)
		bash -c "$cmd" </dev/null >/dev/null 2>&1
		t1=$(now_ns)
		raw=$((raw + (t1 - t0) / 1000))
		tests=$((tests + 1))
	done
	echo "$raw" >>"$tmp/raw.us"
done
suite=$(median <"$tmp/suite.us")
raw=$(median <"$tmp/raw.us")
printf 'tests per round:            %d (%d rounds, medians below)\n' "$tests" "$rounds"
printf 'run_tests.sh wall time:     %d.%03d s\n' $((suite / 1000000)) $((suite / 1000 % 1000))
printf 'sum of raw QEMU times:      %d.%03d s\n' $((raw / 1000000)) $((raw / 1000 % 1000))
printf 'ratio (target <= 1.30):     %s\n' "$(awk -v a="$suite" -v b="$raw" 'BEGIN {printf "%.2f", a / b}')"
printf 'runner cost per test:       %d ms\n' $(((suite - raw) / 1000 / (tests ? tests : 1)))
