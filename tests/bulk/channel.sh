#!/bin/bash
# tests/bulk/channel.sh: the bulk channel with the real payloads and QEMU
# (GUESTVIEW_BULK=1, scripts/runner/bulk.bash, lib/bulk.c).  The
# fingerprint that crossed the virtio console is the one the console
# carries without it, for the same payload and CPU (gvfp diff, and byte for
# byte), on QEMU 7.2 and 10; it came through the channel (it stands after
# the BULK: line, where arm/run splices it, not before it as the guest
# wrote it), and the log is the console-only log line for line but for
# that count line (the fingerprint at the place it had); a payload without the device, or with a device it cannot
# drive, still prints everything on the console; a baseline comparison
# reads the spliced fingerprint; nothing is left in TMPDIR.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
for f in arm/idregs.flat arm/probes.flat host/gvfp tables/bulkproto.bash; do
	[ -e "$f" ] || t_skip "$f not built (run make)"
done
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"
. tables/bulkproto.bash
export ACCEL=tcg TIMEOUT=60s TMPDIR=$T_TMP/tmp
unset BASELINE MIGRATION SAVE_STATE RESTORE_STATE QEMU GUESTVIEW_BULK
mkdir -p "$TMPDIR"
qemu10=deps/qemu10/usr/bin/qemu-system-aarch64

# same NAME PAYLOAD QEMU_OPTIONS...: the payload with and without the
# channel, both PASS; the fingerprints are equal, the bulk one was spliced.
same() {
	local name=$1 payload=$2 con=$T_TMP/$1.console.log blk=$T_TMP/$1.bulk.log
	shift 2
	t_status "$name: console only: PASS" 0 arm/run "$payload" "$@"
	cp "$T_OUT" "$con"
	t_nogrep "$name: console only: no count line" "^$BULK_ANNOUNCE" "$con"
	t_status "$name: GUESTVIEW_BULK=1: PASS" 0 env GUESTVIEW_BULK=1 arm/run "$payload" "$@"
	cp "$T_OUT" "$blk"
	t_grep "$name: GUESTVIEW_BULK=1: the QEMU command has the virtio console" \
		'-device virtio-serial-device -chardev file,id=gvbulk,path=/dev/fd/[0-9]+ -device virtconsole,chardev=gvbulk' "$blk"
	# The guest writes its count after the fingerprint; arm/run puts
	# the channel's bytes after the count: so the fingerprint came
	# through the channel only if its begin marker follows the count.
	t_eq "$name: GUESTVIEW_BULK=1: the fingerprint follows the count line (it crossed the channel)" \
		"$BULK_ANNOUNCE
--- guestview fingerprint begin ---" \
		"$(grep -E "^($BULK_ANNOUNCE|--- guestview fingerprint begin ---$)" "$blk" | sed "s/^$BULK_ANNOUNCE.*/$BULK_ANNOUNCE/")"
	# Line for line the console's log: the fingerprint at its place.
	# Only the command line and the time idregs took to collect differ.
	t_check "$name: the log, less the count line, is the console-only log" \
		cmp -s <(sed 1d "$con" | grep -v ' counter ticks ') \
		<(sed 1d "$blk" | grep -v -e ' counter ticks ' -e "^$BULK_ANNOUNCE")
	host/gvfp extract "$con" -o "$T_TMP/$name.console.fp" 2>"$T_TMP/err" || cat "$T_TMP/err"
	host/gvfp extract "$blk" -o "$T_TMP/$name.bulk.fp" 2>"$T_TMP/err" || cat "$T_TMP/err"
	t_status "$name: gvfp diff: the bulk fingerprint equals the console's" 0 \
		host/gvfp diff "$T_TMP/$name.console.fp" "$T_TMP/$name.bulk.fp"
	t_check "$name: byte for byte" cmp "$T_TMP/$name.console.fp" "$T_TMP/$name.bulk.fp"
	# Less crossed the UART: the log less what arm/run spliced in.
	t_check "$name: the console carried less with the channel" \
		test "$(sed '/^--- guestview fingerprint begin ---$/,/^--- guestview fingerprint end ---$/d' "$blk" | wc -c)" \
		-lt "$(wc -c <"$con")"
}

same idregs-a57 arm/idregs.flat -smp 2 -cpu cortex-a57
same idregs-max arm/idregs.flat -cpu max
same probes-max arm/probes.flat -cpu max
if [ -x "$qemu10" ]; then
	QEMU=$qemu10 same idregs-qemu10 arm/idregs.flat -cpu max
else
	echo "# no $qemu10: QEMU 10 not checked"
fi

# The check list of the bulk run is the console run's (checks.bash reads the log).
t_eq "probes: the same PASS lines with and without the channel" \
	"$(grep -c '^PASS: ' "$T_TMP/probes-max.console.log")" "$(grep -c '^PASS: ' "$T_TMP/probes-max.bulk.log")"

# A device the guest cannot drive (QEMU's default legacy virtio-mmio):
# a note, and the fingerprint on the console.
exec {legacy}>"$T_TMP/legacy.channel"
t_status "legacy virtio-mmio: PASS" 0 arm/run arm/idregs.flat -serial stdio -device virtio-serial-device \
	-chardev "file,id=c,path=/dev/fd/$legacy" -device virtconsole,chardev=c
exec {legacy}>&-
t_grep "legacy virtio-mmio: the note names the version and the QEMU option" \
	'^INFO: bulk channel: virtio-mmio at 0x[0-9a-f]+: version 1, this driver needs 2 \(QEMU: -global virtio-mmio.force-legacy=false\); results go to the console$' "$T_OUT"
t_grep "legacy virtio-mmio: the fingerprint on the console" '^--- guestview fingerprint end ---$' "$T_OUT"
t_eq "legacy virtio-mmio: nothing on the channel" 0 "$(wc -c <"$T_TMP/legacy.channel")"

# The baseline comparison reads the spliced fingerprint.
ver=$(qemu-system-aarch64 --version | sed -n '1s/.*version \([0-9]*\.[0-9]*\).*/\1/p')
stored=baselines/qemu-$ver/cortex-a57.fp
if [ -f "$stored" ]; then
	t_status "GUESTVIEW_BULK=1 and BASELINE: equals the stored baseline" 0 \
		env GUESTVIEW_BULK=1 BASELINE="$stored" arm/run arm/idregs.flat -smp 2 -cpu cortex-a57
	t_grep "GUESTVIEW_BULK=1 and BASELINE: the verdict says so" "^arm/run: PASS .*equals baseline $stored\)$" "$T_OUT"
else
	echo "# no stored baseline for QEMU $ver: BASELINE with the channel not checked"
fi

t_status "GUESTVIEW_BULK=2: HARNESS_ERROR naming the variable" 3 env GUESTVIEW_BULK=2 arm/run arm/idregs.flat
t_grep "GUESTVIEW_BULK=2: the verdict" "^arm/run: HARNESS_ERROR: GUESTVIEW_BULK='2': expected 1" "$T_OUT"
t_eq "nothing left in TMPDIR" "" "$(ls -A "$TMPDIR")"
t_done
