#!/bin/bash
# scripts/bench-matrix.sh [--six] [run-matrix.sh options]: how long the
# kernel matrix takes, and where the time goes.  Runs
# scripts/matrix/run-matrix.sh (live cells, the default mode, unless the
# options say otherwise) into a private --out on three kernels, 6.1 6.12
# 7.3 (the issue's target: under 60 s), or with --six on six: 6.1 6.12
# 6.12:kvm-arm.mode=nvhe 7.2 7.3 7.3:kvm-arm.mode=nvhe (target: under
# 4 min; 7.3 in nVHE mode beside 6.12's: the newest KVM's nVHE world
# switch, the one path the other five do not cover).  Prints the wall
# time beside the target, the driver's phases (run.env), per host its
# boot, each kind of command, the time held as a live source and idle,
# and the critical path (scripts/matrix/timeline.py).  The load average
# is printed before and after: figures taken at another load are not
# comparable.  Run it with the kernel cache warm (a first run fetches).
# A benchmark, not a test: it prints figures and judges nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
kernels=(6.1 6.12 7.3) target=60
if [ "${1-}" = --six ]; then
	kernels=(6.1 6.12 6.12:kvm-arm.mode=nvhe 7.2 7.3 7.3:kvm-arm.mode=nvhe) target=240
	shift
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-bench.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM

read -r l1 l5 l15 _ </proc/loadavg
t0=${EPOCHREALTIME/./}
scripts/matrix/run-matrix.sh --out "$tmp/out" "$@" "${kernels[@]}" >"$tmp/matrix.out" 2>&1
rc=$?
t1=${EPOCHREALTIME/./}
wall=$(((t1 - t0) / 1000))
[ -s "$tmp/out/run.env" ] ||
	{ echo "bench-matrix: run-matrix.sh exited $rc without a run.env:"; tail -n 5 "$tmp/matrix.out"; exit 1; }
# The grid as the matrix printed it: what was measured, at a glance.
sed -n '/^Migration of/,/^$/p' "$tmp/out/matrix.txt" 2>/dev/null
# A cell that is no result (error, timeout, not run) with its legs: the
# private directory goes with the benchmark, its words must not.
awk '/^[^ ]/ { cells = /^Cells/; show = 0 }
	cells && /^  [A-Z]+ -> [A-Z]+  / { show = $4 !~ /^(identical|changed|refused)/ } show' \
	"$tmp/out/matrix.txt" 2>/dev/null | cut -c1-300
printf '%d kernels (%s)%s: %d.%d s, target < %d s (run-matrix.sh exit %d)\n' "${#kernels[@]}" "${kernels[*]}" \
	"${*:+, options $*}" $((wall / 1000)) $((wall % 1000 / 100)) "$target" "$rc"
python3 scripts/matrix/timeline.py "$tmp/out" "$wall"
# The CPU time of the run, hosts included (each waited for by its parent:
# bash's times counts them): how busy the cores were on average.
times >"$tmp/times"
{ read -r _ _; read -r cu cs; } <"$tmp/times"
cpu=$(awk -v u="$cu" -v s="$cs" 'function sec(t,  m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t); return m * 60 + t }
	BEGIN { printf "%.1f", sec(u) + sec(s) }')
printf 'CPU time of the run (user + system, its hosts included): %s s, %s cores busy on average\n' "$cpu" \
	"$(awk -v c="$cpu" -v w="$wall" 'BEGIN { printf "%.2f", c * 1000 / w }')"
read -r a1 a5 a15 _ </proc/loadavg
printf 'load average (1/5/15 min): %s %s %s before, %s %s %s after; %s CPUs\n' \
	"$l1" "$l5" "$l15" "$a1" "$a5" "$a15" "$(nproc)"
