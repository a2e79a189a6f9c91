#!/bin/bash
# scripts/bench-bulk.sh [-n ROUNDS] [QEMU options]: what the bulk channel
# (GUESTVIEW_BULK=1, lib/bulk.c) saves.  Runs idregs and probes through
# arm/run with and without the channel, ROUNDS times each (default 5), and
# prints per payload and mode the median wall time, the bytes that crossed
# the PL011 and the channel, and the exits the output costs under KVM (one
# per UART byte, one per channel buffer) with what they would take at the
# 0.4 ms per exit measured in emulated hosts (issue 15): a projection, not
# a measurement.  Under TCG here a UART byte costs next to nothing, so the
# times barely move; the exit count is what moves under KVM.
# A benchmark, not a test: it prints figures and judges nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
rounds=5
if [ "${1-}" = -n ]; then rounds=$2; shift 2; fi
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "bench-bulk: -n $rounds: expected a number of rounds >= 1" >&2; exit 2; }
for f in arm/idregs.flat arm/probes.flat tables/bulkproto.bash; do
	[ -e "$f" ] || { echo "bench-bulk: $f not built (run make)" >&2; exit 2; }
done
. tables/bulkproto.bash
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guestview-bench.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT TERM
export TIMEOUT=${TIMEOUT:-120s}
unset BASELINE MIGRATION SAVE_STATE RESTORE_STATE

# The buffer of lib/bulk.c (BULK_BUF_SIZE): one notification, one exit, per buffer.
buf_bytes=4096
exit_ms=0.4
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '%-8s %-8s %10s %11s %12s %12s %14s\n' payload channel 'median ms' 'UART bytes' 'bulk bytes' 'KVM exits' 'at 0.4 ms/exit'
for payload in idregs probes; do
	for bulk in 0 1; do
		rm -f "$tmp/ms"
		for ((r = 1; r <= rounds; r++)); do
			t0=${EPOCHREALTIME/./}
			GUESTVIEW_BULK=$bulk arm/run "arm/$payload.flat" "$@" >"$tmp/log" 2>&1
			rc=$?
			t1=${EPOCHREALTIME/./}
			[ "$rc" -eq 0 ] || { echo "bench-bulk: arm/run arm/$payload.flat (GUESTVIEW_BULK=$bulk) exited $rc:"; tail -n 3 "$tmp/log"; exit 1; }
			echo $(((t1 - t0) / 1000)) >>"$tmp/ms"
		done
		# The log is arm/run's command line, QEMU's output with the
		# channel's bytes spliced in, and the verdict: the UART carried
		# the rest.  The last count line says how much the channel did.
		total=$(wc -c <"$tmp/log")
		own=$(($(sed -n 1p "$tmp/log" | wc -c) + $(tail -n 1 "$tmp/log" | wc -c)))
		chan=$(sed -n "s/^$BULK_ANNOUNCE\([0-9]*\)\$/\1/p" "$tmp/log" | tail -n 1)
		chan=${chan:-0}
		uart=$((total - own - chan))
		exits=$((uart + (chan + buf_bytes - 1) / buf_bytes))
		printf '%-8s %-8s %10s %11d %12d %12d %12s s\n' "$payload" "$([ "$bulk" = 1 ] && echo virtio || echo none)" \
			"$(median <"$tmp/ms")" "$uart" "$chan" "$exits" "$(awk -v e="$exits" -v m="$exit_ms" 'BEGIN {printf "%.1f", e * m / 1000}')"
	done
done
printf '(%d rounds each; QEMU %s, %s)\n' "$rounds" \
	"$("${QEMU:-qemu-system-aarch64}" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')" "ACCEL=${ACCEL:-default}"
