#!/bin/bash
# scripts/arm64-host/initramfs.sh: makes the emulated arm64 host's small
# initramfs from its own packages: busybox-static and the kernel modules that
# mounting an ext4 root on virtio-blk needs (with their dependencies, from
# modinfo).  Its /init (scripts/arm64-host/init) is not in it: boot.bash adds
# it at each boot as a second archive, so the cached image does not depend on
# it.
#
# Why not Debian's initramfs-tools image: it is only made by the second
# stage, which has to boot first; and with our own /init the boot needs no
# init system and always ends in a poweroff with a status line.
#
# Usage: initramfs.sh ROOT KVER OUT
#   ROOT  a tree with the kernel and busybox-static packages unpacked
#   KVER  the kernel release (ROOT/lib/modules/KVER)
#   OUT   the gzip-compressed cpio archive to write (written whole or not at all)
#
# Exit status: 0 written; 1 a file or tool is missing (named); 2 usage.
set -u
prog=${0##*/}
die() { local rc=$1; shift; printf '%s: %s\n' "$prog" "$*" >&2; exit "$rc"; }
[ $# -eq 3 ] || die 2 "usage: $prog ROOT KVER OUT"
root=$1 kver=$2 out=$3
mods=$root/lib/modules/$kver
[ -x "$root/bin/busybox" ] || die 1 "$root/bin/busybox missing: the root file system needs busybox-static"
[ -d "$mods" ] || die 1 "$mods missing: no modules for kernel $kver"
for tool in cpio gzip modinfo find; do
	command -v "$tool" >/dev/null 2>&1 || die 1 "needs '$tool'"
done

# What the root mount needs, if modules: the disk, the file system, and the
# checksum ext4 asks the crypto API for at mount time (no modprobe then).
want=(virtio_pci virtio_blk ext4 crc32c_generic crc32c-arm64-ce libcrc32c)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/a64-initramfs.XXXXXX") || die 1 "mktemp failed"
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
mkdir -p "$tmp/t"/{bin,sbin,proc,sys,dev,root,modules} || die 1 "cannot create $tmp/t"

# modfile NAME: the module's file under $mods ("" when built in or absent).
# Module names use - and _ alike.
find "$mods/kernel" -name '*.ko*' >"$tmp/all"
modfile() {
	local n=${1//-/_} f b
	while read -r f; do
		b=${f##*/}; b=${b%%.ko*}
		[ "${b//-/_}" = "$n" ] && { REPLY=$f; return 0; }
	done <"$tmp/all"
	REPLY=''
	return 1
}
# add NAME: NAME's dependencies first, then NAME, each once.
declare -A done_
add() {
	local f d
	[ -z "${done_[${1//-/_}]:-}" ] || return 0
	done_[${1//-/_}]=1
	modfile "$1" || return 0
	f=$REPLY
	for d in $(modinfo -F depends "$f" | tr ',' ' '); do add "$d"; done
	case $f in
	*.ko) cp "$f" "$tmp/t/modules/" ;;
	*.ko.xz) xz -dc "$f" >"$tmp/t/modules/${f##*/}" && mv "$tmp/t/modules/${f##*/}" "$tmp/t/modules/$(basename "$f" .xz)" ;;
	*.ko.zst) zstd -qdc "$f" >"$tmp/t/modules/$(basename "$f" .zst)" ;;
	*) die 1 "$f: unknown module compression" ;;
	esac || die 1 "cannot copy $f"
	f=${f##*/}
	echo "${f%.ko*}.ko" >>"$tmp/t/modules.order"
}
: >"$tmp/t/modules.order"
for m in "${want[@]}"; do add "$m"; done

cp "$root/bin/busybox" "$tmp/t/bin/busybox" || die 1 "cannot copy $root/bin/busybox"
(cd "$tmp/t" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) >"$tmp/out" ||
	die 1 "cannot write the cpio archive"
mv -f -- "$tmp/out" "$out" || die 1 "cannot write $out"
