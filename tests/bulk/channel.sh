#!/bin/bash
# tests/bulk/channel.sh: the bulk channel with the real payloads and QEMU
# (GUESTVIEW_BULK=1, scripts/runner/bulk.bash, lib/bulk.c).  The
# fingerprint that crossed the virtio console is the one the console
# carries without it, for the same payload and CPU (gvfp diff, and byte for
# byte), on QEMU 7.2 and 10; the fingerprint and the PASS lines came
# through the channel (the console's own part of the log, the log less
# what arm/run spliced in, has none of them) and the failures did not;
# the log is the console-only log line for line but for the count lines
# (selftest, idregs, probes; a FAIL between PASS lines at its place); the
# UART carried less; a payload without the device, or with a device it
# cannot drive, still prints everything on the console; a baseline
# comparison reads the spliced fingerprint; nothing is left in TMPDIR.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
for f in arm/idregs.flat arm/probes.flat host/gvfp tables/bulkproto.bash; do
	[ -e "$f" ] || t_skip "$f not built (run make)"
done
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"
. tables/bulkproto.bash
. scripts/runner/checks.bash
export ACCEL=tcg TIMEOUT=60s TMPDIR=$T_TMP/tmp
unset BASELINE MIGRATION SAVE_STATE RESTORE_STATE QEMU GUESTVIEW_BULK
mkdir -p "$TMPDIR"
qemu10=deps/qemu10/usr/bin/qemu-system-aarch64

# uart LOG: what of arm/run's LOG crossed the console: the log less the
# channel's bytes arm/run spliced in after each count line (each count is
# the channel's total so far), less arm/run's command and verdict lines.
uart() {
	LC_ALL=C awk -v ann="$BULK_ANNOUNCE" '
		NR == 1 || /^arm\/run: / { next }
		skip > 0 { skip -= length($0) + 1; next }
		index($0, ann) == 1 { n = substr($0, length(ann) + 1) + 0; skip = n - at; at = n }
		{ print }' "$1"
}

# checks_of LOG: the checks scripts/runner/checks.bash reads from LOG, one a line.
checks_of() {
	local i
	checks_read "$1"
	for i in "${!CHECK_NAME[@]}"; do
		printf '%s|%s|%s\n' "${CHECK_VERDICT[i]}" "${CHECK_NAME[i]}" "${CHECK_DETAIL[i]}"
	done
}

# same NAME STATUS PAYLOAD QEMU_OPTIONS...: the payload with and without
# the channel, both ending with STATUS; the logs are the same but for the
# count lines, the fingerprints (if any) equal, the PASS lines and the
# fingerprint crossed the channel, the rest the console.
same() {
	local name=$1 status=$2 payload=$3 con=$T_TMP/$1.console.log blk=$T_TMP/$1.bulk.log
	shift 3
	t_status "$name: console only: status $status" "$status" arm/run "$payload" "$@"
	cp "$T_OUT" "$con"
	t_nogrep "$name: console only: no count line" "^$BULK_ANNOUNCE" "$con"
	t_status "$name: GUESTVIEW_BULK=1: status $status" "$status" env GUESTVIEW_BULK=1 arm/run "$payload" "$@"
	cp "$T_OUT" "$blk"
	t_grep "$name: GUESTVIEW_BULK=1: the QEMU command has the virtio console" \
		'-device virtio-serial-device -chardev file,id=gvbulk,path=/dev/fd/[0-9]+ -device virtconsole,chardev=gvbulk' "$blk"
	uart "$blk" >"$T_TMP/$name.uart"
	# Line for line the console's log: every line at its place.  Only
	# the command line and the time idregs took to collect differ.
	t_check "$name: the log, less the count lines, is the console-only log" \
		cmp -s <(sed 1d "$con" | grep -v ' counter ticks ') \
		<(sed 1d "$blk" | grep -v -e ' counter ticks ' -e "^$BULK_ANNOUNCE")
	# TAP and JUnit list the checks checks.bash reads from the log.
	t_eq "$name: the same checks for TAP and JUnit (checks.bash)" "$(checks_of "$con")" "$(checks_of "$blk")"
	t_nogrep "$name: no PASS line crossed the console" '^PASS: ' "$T_TMP/$name.uart"
	t_eq "$name: every other check line crossed the console" \
		"$(grep -E '^(FAIL|XPASS|SKIP|XFAIL|KFAIL|ABORT|INFO): ' "$con" | grep -v ' counter ticks ')" \
		"$(grep -E '^(FAIL|XPASS|SKIP|XFAIL|KFAIL|ABORT|INFO): ' "$T_TMP/$name.uart" | grep -v ' counter ticks ')"
	t_check "$name: the console carried less with the channel" \
		test "$(wc -c <"$T_TMP/$name.uart")" -lt "$(sed -e 1d -e '/^arm\/run: /d' "$con" | wc -c)"
	grep -q '^--- guestview fingerprint begin ---$' "$con" || return 0
	t_nogrep "$name: the fingerprint crossed the channel" '^--- guestview fingerprint' "$T_TMP/$name.uart"
	host/gvfp extract "$con" -o "$T_TMP/$name.console.fp" 2>"$T_TMP/err" || cat "$T_TMP/err"
	host/gvfp extract "$blk" -o "$T_TMP/$name.bulk.fp" 2>"$T_TMP/err" || cat "$T_TMP/err"
	t_status "$name: gvfp diff: the bulk fingerprint equals the console's" 0 \
		host/gvfp diff "$T_TMP/$name.console.fp" "$T_TMP/$name.bulk.fp"
	t_check "$name: byte for byte" cmp "$T_TMP/$name.console.fp" "$T_TMP/$name.bulk.fp"
}

same selftest-setup 0 arm/selftest.flat -smp 2 -m 256 -append 'setup smp=2 mem=256'
# A FAIL between PASS lines: the guest announces the PASS lines before it
# (lib/printf.c), or the spliced log would put it first.
same selftest-fail 1 arm/selftest.flat -smp 2 -m 256 -append 'setup smp=3 mem=256'
t_grep "selftest-fail: the FAIL is on the console" '^FAIL: setup: DT cpu nodes' "$T_TMP/selftest-fail.uart"
same idregs-a57 0 arm/idregs.flat -smp 2 -cpu cortex-a57
same idregs-max 0 arm/idregs.flat -cpu max
same probes-max 0 arm/probes.flat -cpu max
if [ -x "$qemu10" ]; then
	QEMU=$qemu10 same idregs-qemu10 0 arm/idregs.flat -cpu max
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
