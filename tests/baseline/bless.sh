#!/bin/bash
# tests/baseline/bless.sh: scripts/baseline/bless.sh shows before it
# writes, and writes only when confirmed.  Without --yes (and no terminal)
# nothing is written; with --yes a baseline that the comparison accepts;
# a changed baseline is shown decoded, old -> new; an unchanged run leaves
# the file alone; a directory that names another QEMU version is refused.
# Only a scratch configuration and scratch files: never the stored ones.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/idregs.flat ] && [ -x host/gvfp ] || t_skip "arm/idregs.flat or host/gvfp not built"
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"
export ACCEL=tcg TIMEOUT=60s
unset BASELINE QEMU
tmp=$(t_tmpdir)
ver=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([0-9]*\.[0-9]*\).*/\1/p')
fp=$tmp/b/qemu-$ver/a57.fp
cat >"$tmp/b.cfg" <<EOF
[a57]
file = idregs.flat
smp = 2
extra_params = -cpu cortex-a57
baseline = $fp
accel = tcg
[wrongdir]
file = idregs.flat
baseline = $tmp/b/qemu-0.1/x.fp
accel = tcg
[plain]
file = idregs.flat
EOF
bless() { scripts/baseline/bless.sh --config "$tmp/b.cfg" "$@" </dev/null; }

t_status "no --yes, no terminal: not written" 1 bless a57
t_eq "... nothing in its directory" "" "$(ls -A "$tmp/b" 2>/dev/null)"
t_grep "... the whole fingerprint was shown decoded" '^  PartNum +0xd07 ' "$T_OUT"
t_grep "... and it says how to confirm" 'not written: review the difference above, then confirm with --yes' "$T_OUT"

t_status "--yes: written" 0 bless --yes --note "test note" a57
t_grep "the header: QEMU version" "^# qemu-version: $ver\$" "$fp"
t_grep "the header: accelerator" '^# accel: tcg$' "$fp"
t_grep "the header: how it was taken" '^#   QEMU=qemu-system-aarch64 ACCEL=tcg arm/run arm/idregs.flat -smp 2 -cpu cortex-a57$' "$fp"
t_grep "the header: when, and reviewed" '^# reviewed: by .*, confirmed with --yes' "$fp"
t_grep "the header: the note" '^# review note: test note$' "$fp"
t_eq "the body is a fingerprint gvfp reads" 0 "$(grep -v '^#' "$fp" | host/gvfp show - >/dev/null; echo $?)"
t_eq "readable by all, like any file of the tree" "644" "$(stat -c %a "$fp")"
t_status "the comparison accepts it" 0 env BASELINE="$fp" arm/run arm/idregs.flat -smp 2 -cpu cortex-a57

sed -i 's/^sysreg.MIDR_EL1 0x00000000411fd070$/sysreg.MIDR_EL1 0x00000000411fd071/' "$fp"
cp "$fp" "$tmp/edited"
t_status "a changed view, no --yes: not written" 1 bless a57
t_grep "... the change shown decoded, old -> new" '^MIDR_EL1: 0x00000000411fd071 -> 0x00000000411fd070$' "$T_OUT"
t_eq "... the file as it was" "" "$(cmp "$fp" "$tmp/edited")"
t_eq "... no partial file beside it" "a57.fp" "$(ls -A "${fp%/*}")"
t_status "a changed view, --yes: written" 0 bless --yes a57
t_grep "... with the run's value" '^sysreg.MIDR_EL1 0x00000000411fd070$' "$fp"
cp "$fp" "$tmp/blessed"
t_status "an unchanged view: nothing to write" 0 bless --yes a57
t_grep "... says so" 'unchanged, not rewritten' "$T_OUT"
t_eq "... the file as it was" "" "$(cmp "$fp" "$tmp/blessed")"

t_status "a directory naming another QEMU version: refused" 1 bless --yes wrongdir
t_grep "... saying why" "x.fp is not in a directory qemu-$ver/" "$T_OUT"
t_eq "... nothing written" "" "$(ls -A "$tmp/b/qemu-0.1" 2>/dev/null)"
t_status "an entry without a baseline key: usage error" 2 bless plain
t_grep "... naming it" "\[plain\] has no baseline key" "$T_OUT"
t_status "an unknown entry: usage error" 2 bless nosuch
t_status "nothing named: usage error" 2 bless
t_eq "no temporary directory left behind" "" "$(ls -d "${TMPDIR:-/tmp}"/guestview-bless.* 2>/dev/null)"
t_done
