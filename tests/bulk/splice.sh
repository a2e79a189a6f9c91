#!/bin/bash
# tests/bulk/splice.sh: arm/run's reading of the bulk channel
# (scripts/runner/bulk.bash) against a stub QEMU that writes the channel
# as a test says: the bytes a count announces are spliced in at the count
# line, in order; a channel shorter than its count (a truncated stream),
# a count that goes back, or a count with no channel is a QEMU_ERROR that
# says so, never a silently shorter fingerprint; bytes past the last count
# are shown; nothing is left in TMPDIR.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
for f in arm/idregs.flat tables/bulkproto.bash tables/outcomes.bash; do
	[ -e "$f" ] || t_skip "$f not built (run make)"
done
. tables/bulkproto.bash
export ACCEL=tcg TIMEOUT=20s TMPDIR=$T_TMP/tmp GUESTVIEW_BULK=1
unset BASELINE MIGRATION SAVE_STATE RESTORE_STATE
mkdir -p "$TMPDIR"

# The stub: STUB_SCRIPT's lines, in order: "chan TEXT" writes TEXT and a
# newline to the channel (the path of its -chardev), "con TEXT" prints
# TEXT on the console, "chanraw TEXT" writes TEXT without a newline.
stub=$T_TMP/qemu-stub
cat >"$stub" <<'EOF'
#!/bin/bash
chan=
for a; do case $a in *,path=*) chan=${a#*,path=}; chan=${chan%%,*} ;; esac; done
[ -z "$chan" ] || exec 5>"$chan"
while IFS= read -r l; do
	case $l in
	"chan "*) printf '%s\n' "${l#chan }" >&5 ;;
	"chanraw "*) printf '%s' "${l#chanraw }" >&5 ;;
	"con "*) printf '%s\n' "${l#con }" ;;
	esac
done <<<"$STUB_SCRIPT"
EOF
chmod +x "$stub"
export QEMU=$stub
run() { STUB_SCRIPT=$1 arm/run arm/idregs.flat; }
# bytes TEXT...: the byte count of the lines TEXT..., each with its newline.
bytes() { local n=0 l; for l; do n=$((n + ${#l} + 1)); done; echo "$n"; }

fp=('--- guestview fingerprint begin ---' 'guestview-fingerprint 1' 'sysreg.MIDR_EL1 0x00000000411fd070'
	'--- guestview fingerprint end ---')
n=$(bytes "${fp[@]}")
whole="con progress
chan ${fp[0]}
chan ${fp[1]}
chan ${fp[2]}
chan ${fp[3]}
con $BULK_ANNOUNCE$n
con EXIT: PASS"

t_status "a whole channel: PASS" 0 run "$whole"
t_eq "a whole channel: spliced at its count line, in order" \
	"progress
$BULK_ANNOUNCE$n
${fp[0]}
${fp[1]}
${fp[2]}
${fp[3]}
EXIT: PASS" "$(sed -e 1d -e '/^arm\/run: /d' "$T_OUT")"

# Two sections: each count takes only its own bytes.
t_status "two sections: PASS" 0 run "chan one
con $BULK_ANNOUNCE$(bytes one)
con between
chan two
con $BULK_ANNOUNCE$(bytes one two)
con EXIT: PASS"
t_eq "two sections: each at its own count line" \
	"$BULK_ANNOUNCE$(bytes one)
one
between
$BULK_ANNOUNCE$(bytes one two)
two
EXIT: PASS" "$(sed -e 1d -e '/^arm\/run: /d' "$T_OUT")"

# Truncated: the last line of the fingerprint never reached the file.
short=$(bytes "${fp[@]:0:3}")
t_status "a truncated channel: QEMU_ERROR, not a PASS with less" 2 run "chan ${fp[0]}
chan ${fp[1]}
chan ${fp[2]}
con $BULK_ANNOUNCE$n
con EXIT: PASS"
t_grep "a truncated channel: the verdict gives both counts" \
	"^arm/run: QEMU_ERROR: the bulk channel carried $short of the $n bytes the payload sent \(results lost\) \(the payload said EXIT: PASS\)$" "$T_OUT"
t_grep "a truncated channel: what did arrive is in the log" "^${fp[2]}$" "$T_OUT"

# Cut inside a line: the next console line stays a line of its own.
t_status "cut inside a line: QEMU_ERROR" 2 run "chanraw sysreg.MIDR
con $BULK_ANNOUNCE$n
con EXIT: PASS"
t_grep "cut inside a line: EXIT: PASS stays its own line" '^EXIT: PASS$' "$T_OUT"

t_status "a count that goes back: QEMU_ERROR" 2 run "chan one
con $BULK_ANNOUNCE$(bytes one)
con ${BULK_ANNOUNCE}1
con EXIT: PASS"
t_grep "a count that goes back: said" "^arm/run: QEMU_ERROR: the payload's bulk byte count went back from 4 to 1" "$T_OUT"

t_status "a count that is no number: QEMU_ERROR" 2 run "con ${BULK_ANNOUNCE}12x
con EXIT: PASS"
t_grep "a count that is no number: said" "^arm/run: QEMU_ERROR: the payload's '${BULK_ANNOUNCE}12x' is no byte count" "$T_OUT"

t_status "a count without GUESTVIEW_BULK: QEMU_ERROR" 2 env GUESTVIEW_BULK=0 STUB_SCRIPT="con ${BULK_ANNOUNCE}10
con EXIT: PASS" arm/run arm/idregs.flat
t_grep "a count without GUESTVIEW_BULK: said" \
	"^arm/run: QEMU_ERROR: the payload sent 10 bytes on a bulk channel arm/run did not set up \(GUESTVIEW_BULK=1 reads it\)" "$T_OUT"

# A payload that died between a send and its count: the bytes are shown.
t_status "bytes past the last count, payload died: QEMU_ERROR (no status line)" 2 run "chan one
con $BULK_ANNOUNCE$(bytes one)
chan unannounced"
t_grep "bytes past the last count: shown" '^unannounced$' "$T_OUT"

t_eq "nothing left in TMPDIR" "" "$(ls -A "$TMPDIR")"
t_done
