#!/bin/bash
# scripts/bench-migration.sh [-n MIGRATIONS] [-m unix|tcp]: what the harness
# adds to a migration.  Runs arm/migrate.flat with count=N (ping-pong, no
# rate windows) through arm/run and host/gvmigrate, and prints for each
# migration the time from the guest's request to its acknowledgement next to
# QEMU's own total-time, then medians.  Target: the harness adds at most
# 0.1 s per migration on top of QEMU's figure.  A benchmark: it judges nothing.
# QEMU 7.2 sometimes reports no figures for a QEMU that was a destination
# before; such migrations are listed but left out of the medians.
set -u
cd "$(dirname "$0")/.." || exit 2
n=20 mode=unix
while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift 2 ;;
	-m) mode=$2; shift 2 ;;
	*) echo "usage: $0 [-n MIGRATIONS] [-m unix|tcp]" >&2; exit 2 ;;
	esac
done
out=$(MIGRATION=$mode TIMEOUT=300s arm/run arm/migrate.flat -append "count=$n rate_ms=0" 2>&1)
rc=$?
[ "$rc" = 0 ] || { printf '%s\n' "$out" | tail -n 5; echo "bench-migration: the run failed (exit $rc)"; exit 1; }
printf '%s\n' "$out" | awk -v qemu="${QEMU:-qemu-system-aarch64}" '
/^gvmigrate: migration [0-9]+ / {
	m = $3
	match($0, /[0-9.]+ ms from request/); harness = substr($0, RSTART, RLENGTH - 16)
	total = "-"
	if (match($0, /QEMU: total [0-9]+ ms/)) { total = substr($0, RSTART + 12, RLENGTH - 15) }
	printf "migration %3d: request to ack %7.1f ms   QEMU total-time %5s ms", m, harness, total
	if (total != "-") { d = harness - total; printf "   harness adds %6.1f ms", d; add[++k] = d; tot[k] = total; hv[k] = harness }
	printf "\n"
}
function median(a, cnt,   i, j, t) {
	for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return cnt % 2 ? a[(cnt + 1) / 2] : (a[cnt / 2] + a[cnt / 2 + 1]) / 2
}
END {
	if (!k) { print "no migration with QEMU figures"; exit 1 }
	printf "\n%s, %d migrations with QEMU figures (median):\n", qemu, k
	printf "  request to ack:       %7.1f ms\n", median(hv, k)
	printf "  QEMU total-time:      %7.1f ms\n", median(tot, k)
	printf "  harness adds:         %7.1f ms   (target: at most 100 ms)\n", median(add, k)
}'
