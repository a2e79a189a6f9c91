# scripts/runner/bulk.bash: arm/run's half of the bulk channel, sourced
# after tables/bulkproto.bash (the contract: tables/bulkproto.h).
#
# GUESTVIEW_BULK=1 gives the guest a virtio console on virtio-mmio; the
# payloads then send their fingerprint and PASS lines there, one exit per
# buffer instead of one per byte of the PL011 (issue 15), and print
# "BULK: N" on the console after each section and before any console line
# while results are pending (so the splice keeps the payload's order).  At each such line arm/run copies the
# channel's bytes up to N into its output, so the log holds what the
# console would have carried and the host tools (gvfp, checks.bash, the
# baseline comparison, the matrix) read it unchanged.  GUESTVIEW_BULK=0
# or unset: no device, everything goes through the console as before.
# Migration runs (gvmigrate) do not get the channel: the guest then uses
# the console.
#
# The channel's file has no name: it is created, opened and removed
# before QEMU starts, and QEMU opens it again as /dev/fd/N (N: BULK_FD,
# inherited).  Nothing is left behind however arm/run ends, even by
# SIGKILL.  The printed QEMU command names that descriptor: pasted into a
# shell without it, QEMU says it cannot open /dev/fd/N; drop the
# -chardev/-device options of the channel to run it by hand.

BULK_CHARDEV=gvbulk
BULK_FD=''	# the channel's file, read from where the last splice ended
BULK_AT=0	# bytes of the channel already copied into the output
BULK_ERROR=''	# why the output lacks what the payload sent; empty when it does not

# bulk_setup ARRAY: with GUESTVIEW_BULK=1, the channel's options at the end
# of ARRAY (a QEMU command line).  False with REPLY = why, for arm/run's
# HARNESS_ERROR.
bulk_setup() {
	local -n bulk_cmd=$1
	local file
	case ${GUESTVIEW_BULK:-0} in
	0) return 0 ;;
	1) ;;
	*) REPLY="GUESTVIEW_BULK='$GUESTVIEW_BULK': expected 1 (a bulk channel for results) or 0"; return 1 ;;
	esac
	file=$(mktemp "${TMPDIR:-/tmp}/guestview-bulk.XXXXXX") ||
		{ REPLY="GUESTVIEW_BULK=1: cannot create the channel's file in ${TMPDIR:-/tmp}"; return 1; }
	exec {BULK_FD}<"$file"
	rm -f -- "$file"
	# The guest drives the virtio 1.x layout; QEMU's virtio-mmio is the
	# legacy one unless told (lib/virtio-mmio.c).
	bulk_cmd+=(-global virtio-mmio.force-legacy=false -device virtio-serial-device
		-chardev "file,id=$BULK_CHARDEV,path=/dev/fd/$BULK_FD" -device "virtconsole,chardev=$BULK_CHARDEV")
}

# bulk_fail TEXT: BULK_ERROR = TEXT unless an earlier error is there; false.
bulk_fail() {
	[ -n "$BULK_ERROR" ] || BULK_ERROR=$1
	return 1
}

# bulk_splice N: prints the channel's bytes from the last splice up to N
# (the payload's "BULK: N"), REPLY = them.  A channel that holds fewer
# bytes, a count that goes back, or a count without a channel sets
# BULK_ERROR (the first such), never a silently shorter output.
bulk_splice() {
	local LC_ALL=C want=$1 chunk=''
	REPLY=''
	if [[ ! $want =~ ^[0-9]{1,15}$ ]]; then
		bulk_fail "the payload's '$BULK_ANNOUNCE$want' is no byte count"
		return
	fi
	if [ -z "$BULK_FD" ]; then
		bulk_fail "the payload sent $want bytes on a bulk channel arm/run did not set up (GUESTVIEW_BULK=1 reads it)"
		return
	fi
	if [ "$want" -lt "$BULK_AT" ]; then
		bulk_fail "the payload's bulk byte count went back from $BULK_AT to $want"
		return
	fi
	[ "$want" -eq "$BULK_AT" ] || IFS= read -r -N $((want - BULK_AT)) -u "$BULK_FD" chunk
	BULK_AT=$((BULK_AT + ${#chunk}))
	# A line cut short must not swallow the console line after it.
	[ -z "$chunk" ] || [ "${chunk: -1}" = $'\n' ] || chunk+=$'\n'
	printf '%s' "$chunk"
	REPLY=$chunk
	[ "$BULK_AT" -ge "$want" ] ||
		bulk_fail "the bulk channel carried $BULK_AT of the $want bytes the payload sent (results lost)"
}

# bulk_finish: after QEMU: prints what the channel holds past the last
# count (a payload that died between a send and its count line: shown, not
# lost), then closes it.
bulk_finish() {
	local LC_ALL=C rest=''
	[ -n "$BULK_FD" ] || return 0
	IFS= read -r -d '' -u "$BULK_FD" rest
	if [ -n "$rest" ]; then
		[ "${rest: -1}" = $'\n' ] || rest+=$'\n'
		printf '%s' "$rest"
	fi
	exec {BULK_FD}<&-
	BULK_FD=''
}
