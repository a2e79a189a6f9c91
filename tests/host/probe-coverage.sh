#!/bin/bash
# scripts/probe-coverage.sh reads probes and fingerprints only through
# host/gvfp's JSON: per probe, whether the suite saw it executing and
# UNDEFINED, in which configuration, and its class from the compiled table
# (LSE atomics are class N: nothing traps them; SVE class K: KVM traps it for
# a guest told it is absent -- the Arm ARM's trap controls, not gvfp's say).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvfp ] || t_skip "host/gvfp not built (make)"
tmp=$(t_tmpdir)
mkdir -m 700 "$tmp/logs" "$tmp/t"
# fplog FILE KEY VALUE...: a console log with one fingerprint of those keys.
fplog() {
	local f=$1
	shift
	{
		echo "INFO: booting"
		echo "--- guestview fingerprint begin ---"
		echo "guestview-fingerprint 1"
		echo "sysreg.MIDR_EL1 0x00000000411fd070"
		while [ $# -ge 2 ]; do echo "$1 $2"; shift 2; done
		echo "--- guestview fingerprint end ---"
		echo "EXIT: PASS"
	} >"$f"
}
fplog "$tmp/logs/probes-alpha.log" probe.lse exec probe.sve undef probe.el0.sve exec
fplog "$tmp/logs/probes-beta.log" probe.lse undef probe.sve exec
echo "no fingerprint here" >"$tmp/logs/probes-broken.log"

t_status "runs on a log directory" 0 env TMPDIR="$tmp/t" scripts/probe-coverage.sh "$tmp/logs"
t_grep "lse: class N, seen executing in alpha and UNDEFINED in beta" '^lse +N +yes +yes +alpha / beta$' "$T_OUT"
t_grep "sve: class K, the other way round (EL0's run is another run)" '^sve +K +yes +yes +beta / alpha$' "$T_OUT"
t_grep "a probe no log has: neither" '^sha3 +N +- +- +- / -$' "$T_OUT"
t_grep "a log without a fingerprint is left out, said" 'probes-broken.log: no fingerprint .*left out' "$T_OUT"
t_grep "totals: two configurations, two probes on both sides" '^2 configurations; [0-9]+ probes, 2 seen on both sides$' "$T_OUT"
t_eq "the probe count is the compiled table's" \
	"$(host/gvfp table --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["probes"]))')" \
	"$(sed -n 's/^2 configurations; \([0-9]*\) probes.*/\1/p' "$T_OUT")"
t_eq "nothing left in TMPDIR" "" "$(ls -A "$tmp/t")"
t_status "no probes logs: exit 2, saying how to get them" 2 scripts/probe-coverage.sh "$tmp/t"
t_grep "... names --run" 'no .*probes-\*\.log: run with --run' "$T_OUT"
t_done
