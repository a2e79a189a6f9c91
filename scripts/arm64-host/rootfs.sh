#!/bin/bash
# scripts/arm64-host/rootfs.sh: makes, once per content, the disk of the
# emulated arm64 Debian host that run.sh boots: a real Debian arm64 root file
# system made from the archive, as a fresh user machine has it.
#
#   1. debootstrap --foreign --arch arm64 SUITE (the default variant: what a
#      Debian install has, required and important priorities) plus
#      A64_PACKAGES: Debian's arm64 kernel (linux-image-arm64, so the host
#      boots its own kernel), git and make (the README's two commands need
#      them), busybox-static (the initramfs' shell).  The mirror and keyring
#      are the machine's own (scripts/apt-sources.sh); the image's
#      /etc/apt/sources.list gets the machine's entries for SUITE and its
#      -updates/-security suites, as an installed system has.
#   2. the kernel (Image) and an initramfs (initramfs.sh) from the unpacked
#      packages; the tree becomes an ext4 image (mkfs.ext4 -d: no loop mount).
#   3. the first boot runs debootstrap's second stage inside the emulated
#      host (boot.bash, gv.mode=stage2).
#   4. the result is renamed into place: CACHE/rootfs-KEY/ with disk.img,
#      Image, initrd.cpio.gz and times.env (seconds per step).
# KEY is a checksum of the suite, the package list, the image size and this
# folder's scripts (so a change to any of them makes a new image); later runs
# find CACHE/rootfs-KEY/ and skip all of this.
#
# Usage: rootfs.sh [--cache DIR] [--print-key] [--timeout SECONDS]
#   --cache DIR       where images are kept (default $GUESTVIEW_DEPS/arm64-host-cache,
#                     GUESTVIEW_DEPS defaulting to deps/ at the repository root)
#   --print-key       print KEY and stop (nothing is made)
#   --timeout SECONDS bound on the second stage's boot (default 5400)
# Environment: A64_SUITE (default bookworm), QEMU, and boot.bash's settings
# (A64_CPU, A64_SMP, A64_MEM: see run.sh).
#
# Output: the image's directory on stdout; progress on stderr.
# Exit status: 0 ready; 1 a step failed (named); 2 usage or set-up error.
set -u
prog=${0##*/}
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd) || exit 2
a64_say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { local rc=$1; shift; a64_say "$*"; exit "$rc"; }
. "$here/defaults.bash"

cache='' print_key=0 stage2_timeout=5400
while [ $# -gt 0 ]; do
	case $1 in
	--cache) [ $# -ge 2 ] && [ -n "$2" ] || die 2 "option --cache needs a directory"; cache=$2; shift 2 ;;
	--timeout) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || die 2 "option --timeout needs a number of seconds, not '${2-}'"
		stage2_timeout=$2; shift 2 ;;
	--print-key) print_key=1; shift ;;
	-h|--help) sed -n '2,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) die 2 "unknown option or argument '$1' (see --help)" ;;
	esac
done

a64_cache_key
key=$REPLY
if [ "$print_key" = 1 ]; then
	printf '%s\n' "$key"
	exit 0
fi
cache=${cache:-$(a64_default_cache)}
mkdir -p "$cache" || die 2 "cannot create the cache directory $cache (--cache)"
cache=$(cd "$cache" && pwd)
final=$cache/rootfs-$key
if [ -f "$final/ready" ]; then
	printf '%s\n' "$final"
	exit 0
fi

[ "$(id -u)" = 0 ] || die 2 "making the root file system needs root (debootstrap, file ownership in the image); run as root"
# debootstrap and mkfs.ext4 the Debian way, as setup-deps.sh installs its own.
missing=()
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
command -v mkfs.ext4 >/dev/null 2>&1 || [ -x /usr/sbin/mkfs.ext4 ] || missing+=(e2fsprogs)
command -v cpio >/dev/null 2>&1 || missing+=(cpio)
command -v modinfo >/dev/null 2>&1 || [ -x /usr/sbin/modinfo ] || missing+=(kmod)
if [ ${#missing[@]} -gt 0 ]; then
	a64_say "installing: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
		die 2 "apt-get install ${missing[*]} failed (see above)"
fi
export PATH=$PATH:/usr/sbin:/sbin

# One build per cache at a time: a second run waits, then finds it made.
exec 8>"$cache/.rootfs.lock" || die 2 "cannot write $cache/.rootfs.lock"
flock 8 || die 2 "cannot lock $cache/.rootfs.lock"
if [ -f "$final/ready" ]; then
	printf '%s\n' "$final"
	exit 0
fi

build=$(mktemp -d "$cache/.build-$key.XXXXXX") || die 2 "cannot create a build directory in $cache"
cleanup() { a64_boot_stop; rm -rf -- "$build"; }
trap cleanup EXIT
trap 'a64_say "interrupted"; exit 130' INT
trap 'a64_say "terminated"; exit 143' TERM HUP
export TMPDIR=$build
. "$here/boot.bash"

# --- 1. the first stage, from the machine's own mirror ----------------------
"$here/../apt-sources.sh" >"$build/sources" || die 2 "cannot read the machine's apt sources (scripts/apt-sources.sh, above)"
IFS=$'\t' read -r _ mirror _ signed < <(awk -F'\t' -v s="$A64_SUITE" '$1 == "debian" && $3 == s' "$build/sources")
[ -n "${mirror:-}" ] || die 2 "the machine's apt sources have no Debian archive entry for suite $A64_SUITE (scripts/apt-sources.sh prints: $(cut -f2,3 "$build/sources" | tr '\t\n' ' ,'))"
keyring=''
for k in ${signed//,/ }; do [ -f "$k" ] && { keyring=$k; break; }; done
mkdir -p "$cache/debs"
a64_say "debootstrap --foreign --arch arm64 $A64_SUITE from $mirror (+ ${A64_PACKAGES[*]})"
t0=$SECONDS
debootstrap --foreign --arch arm64 --cache-dir="$cache/debs" ${keyring:+--keyring="$keyring"} \
	--include="$(IFS=,; echo "${A64_PACKAGES[*]}")" "$A64_SUITE" "$build/root" "$mirror" >"$build/debootstrap.log" 2>&1 ||
	{ cp "$build/debootstrap.log" "$cache/debootstrap-failed.log"; die 1 "debootstrap's first stage failed: $(tail -n 3 "$build/debootstrap.log" | tr '\n' ' ') (log kept in $cache/debootstrap-failed.log)"; }
t_first=$((SECONDS - t0))
a64_say "first stage: ${t_first} s"

# The installed system's apt sources: the machine's entries for the suite.
awk -F'\t' -v s="$A64_SUITE" '
	($1 == "debian" && ($3 == s || $3 == s "-updates")) || ($1 == "debian-security" && $3 == s "-security") {
		print "deb " $2 " " $3 " main"
	}' "$build/sources" >"$build/root/etc/apt/sources.list" || die 1 "cannot write the image's sources.list"
echo gv-arm64 >"$build/root/etc/hostname"
printf '/dev/vda\t/\text4\tdefaults\t0\t1\n' >"$build/root/etc/fstab"

# --- 2. kernel, initramfs, ext4 image -----------------------------------------
# The packages are unpacked by the second stage only: take the kernel and
# busybox from their .debs now.
mkdir "$build/pkg"
for p in linux-image-[0-9]*_arm64.deb busybox-static_*_arm64.deb; do
	f=$(ls "$build/root/var/cache/apt/archives/"$p 2>/dev/null | head -n 1)
	[ -n "$f" ] || die 1 "no $p among the packages debootstrap fetched ($build/root/var/cache/apt/archives)"
	dpkg-deb -x "$f" "$build/pkg" || die 1 "cannot unpack $f"
done
vmlinuz=$(ls "$build/pkg/boot/"vmlinuz-* | head -n 1)
kver=${vmlinuz##*/vmlinuz-}
case $(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ') in
1f8b) gzip -dc "$vmlinuz" >"$build/Image" ;;
*) cp "$vmlinuz" "$build/Image" ;;
esac || die 1 "cannot copy the kernel $vmlinuz"
"$here/initramfs.sh" "$build/pkg" "$kver" "$build/initrd.cpio.gz" || die 1 "initramfs.sh failed (above)"
rm -rf "$build/pkg"
t0=$SECONDS
mkfs.ext4 -q -F -L gv-arm64 -d "$build/root" "$build/disk.img" "$A64_DISK_SIZE" >&2 2>"$build/mkfs.err" ||
	die 1 "mkfs.ext4 -d failed: $(head -n 3 "$build/mkfs.err")"
rm -rf "$build/root"
a64_say "ext4 image ($A64_DISK_SIZE, sparse) and kernel $kver: $((SECONDS - t0)) s"

# --- 3. the second stage, inside the emulated host --------------------------
a64_say "first boot: debootstrap --second-stage inside (bound ${stage2_timeout} s)"
t0=$SECONDS
a64_boot_start "$build" "$build/stage2.log" "$stage2_timeout" 0 '' "gv.mode=stage2" ||
	die 1 "cannot start QEMU (log $build/stage2.log)"
a64_boot_wait "$build/stage2.log"
rc=$?
t_second=$((SECONDS - t0))
if ! a64_marker "$build/stage2.log" stage2 || [ "${REPLY%% *}" != rc=0 ]; then
	cp "$build/stage2.log" "$cache/stage2-failed.log" 2>/dev/null
	why=$(tr -d '\r' <"$build/stage2.log" | grep -av '^\s*$' | tail -n 5)
	[ -s "$build/stage2.log.err" ] && why="QEMU: $(grep -av '^\s*$' "$build/stage2.log.err" | head -n 3) $why"
	[ "$rc" = 124 ] && why="timeout after ${stage2_timeout} s; $why"
	die 1 "the second stage failed (QEMU status $rc; console kept in $cache/stage2-failed.log): $why"
fi
a64_say "second stage: ${t_second} s"

# --- 4. into place --------------------------------------------------------------
printf 'suite=%s\nkernel=%s\nfirst_stage_s=%s\nsecond_stage_s=%s\nmade=%(%F %T %Z)T\n' \
	"$A64_SUITE" "$kver" "$t_first" "$t_second" -1 >"$build/times.env"
rm -f "$build/sources" "$build/mkfs.err"
: >"$build/ready"
mv -T -- "$build" "$final" || die 1 "cannot rename $build to $final"
build=''
printf '%s\n' "$final"
