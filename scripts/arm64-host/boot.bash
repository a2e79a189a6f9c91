# scripts/arm64-host/boot.bash: boots the emulated arm64 Debian host once
# (sourced by rootfs.sh for the first boot and by run.sh for the test run).
#
# One QEMU TCG process, as the kernel matrix boots its hosts
# (scripts/matrix/lib/hosts.bash): -M virt with EL2 and GICv3, so the
# Debian kernel starts at EL2 and KVM comes up; the disk on virtio-blk; a
# user-mode network without any forwarded port (apt inside reaches the
# archive, nothing outside reaches in; no option ROM: -nodefaults finds
# none, and a -kernel boot reads none); optionally a directory shared by
# virtio-9p (tag gv); the serial console is QEMU's stdio, written to a file.
# The whole boot is bounded by timeout(1); a64_boot_stop ends it early (the
# callers' traps call it on error, Ctrl-C and kill).
#
# Needs from the caller: a64_say (messages), defaults.bash's settings
# (A64_QEMU, A64_CPU, A64_SMP, A64_MEM, A64_HERE) and a private TMPDIR.

A64_BOOT_PID=''

# a64_boot_start DIR LOG SECONDS SNAPSHOT SHARE APPEND: starts QEMU in the
# background with DIR's Image, initrd.cpio.gz and disk.img; the console goes
# to LOG, QEMU's own errors to LOG.err.  SNAPSHOT 1: the disk's writes go to
# a temporary file QEMU deletes itself (the cached image stays as it was).
# SHARE: a directory for virtio-9p, or "" for none.
a64_boot_start() {
	local dir=$1 log=$2 secs=$3 snap=$4 share=$5 append=$6 drive
	local -a qemu
	drive="file=$dir/disk.img,format=raw,if=none,id=disk0,cache=unsafe"
	[ "$snap" = 1 ] && drive+=",snapshot=on"
	# shellcheck disable=SC2054 # the commas are in option values
	qemu=("$A64_QEMU" -nodefaults -no-user-config -display none -name "gv-arm64-host-$$"
		-M virt,virtualization=on,gic-version=3 -cpu "$A64_CPU" -smp "$A64_SMP" -m "$A64_MEM"
		-no-reboot -kernel "$dir/Image" -initrd "$TMPDIR/a64-initrd"
		-append "console=ttyAMA0 panic=-1 $append"
		-drive "$drive" -device virtio-blk-pci,drive=disk0
		-netdev user,id=net0 -device virtio-net-pci,netdev=net0,romfile=
		-serial stdio)
	[ -z "$share" ] || qemu+=(-virtfs "local,path=$share,mount_tag=gv,security_model=none")
	# This /init, then the base initramfs (cached): a cpio archive ends padded
	# to 512 bytes, so the compressed one after it starts aligned.
	mkdir -p "$TMPDIR/a64-init" && cp "$A64_HERE/init" "$TMPDIR/a64-init/init" && chmod 755 "$TMPDIR/a64-init/init" &&
		(cd "$TMPDIR/a64-init" && echo init | cpio -o -H newc --quiet) >"$TMPDIR/a64-init.cpio" &&
		cat "$TMPDIR/a64-init.cpio" "$dir/initrd.cpio.gz" >"$TMPDIR/a64-initrd" || return 1
	printf '%q ' "${qemu[@]}" | sed 's/ $//' >"$log.cmdline"
	echo >>"$log.cmdline"
	: >"$log" || return 1
	# QEMU's temporary snapshot file goes to TMPDIR: the caller's private one.
	timeout -k 10 "$secs" "${qemu[@]}" </dev/null >"$log" 2>"$log.err" &
	A64_BOOT_PID=$!
}

# a64_boot_wait LOG: follows LOG until QEMU ends, showing the "@@A64 "
# marker lines as they come; returns QEMU's (timeout's) exit status.
a64_boot_wait() {
	local log=$1 rc
	# tail ends by itself when QEMU does (--pid); every stage line-buffered,
	# so a marker shows when it comes.
	tail -n +1 -f --pid="$A64_BOOT_PID" "$log" 2>/dev/null |
		sed -u 's/\r$//' | grep --line-buffered -a '^@@A64 ' | sed -u 's/^@@A64 /  host: /' >&2 &
	local tail_pid=$!
	wait "$A64_BOOT_PID"
	rc=$?
	A64_BOOT_PID=''
	wait "$tail_pid" 2>/dev/null
	return "$rc"
}

# a64_boot_stop: ends a running QEMU: TERM to timeout(1), which passes it
# on and sends KILL itself 10 s later (-k) if QEMU is still there.
a64_boot_stop() {
	local pid=$A64_BOOT_PID
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	A64_BOOT_PID=''
}

# a64_marker LOG WORD: the rest of the last "@@A64 WORD ..." line in LOG.
a64_marker() {
	REPLY=$(tr -d '\r' <"$1" | grep -a "^@@A64 $2 " | tail -n 1)
	REPLY=${REPLY#@@A64 $2 }
	[ -n "$REPLY" ]
}
