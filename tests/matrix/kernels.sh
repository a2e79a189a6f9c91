#!/bin/bash
# Which Debian package a kernel specification names (from a canned excerpt of
# the arm64 indexes: tests/matrix/data/kernels.avail), and the kernel cache:
# fetched once through apt-fetch.sh (here a stand-in that logs its calls),
# kept as Image + modules archive, never fetched again.
. "$(dirname "$0")/../lib.sh"
tmp=$(t_tmpdir)
MX_TMP=$tmp/run MX_CACHE=$tmp/cache MX_ROOT=$tmp/root
mkdir -p "$MX_TMP" "$MX_CACHE" "$MX_ROOT/scripts"
mx_say() { :; }
mx_die() { echo "mx_die: $*"; exit 1; }
. "$T_ROOT/scripts/matrix/lib/spec.bash"
. "$T_ROOT/scripts/matrix/lib/initramfs.bash"
. "$T_ROOT/scripts/matrix/lib/kernels.bash"
cp "$T_ROOT/tests/matrix/data/kernels.avail" "$MX_TMP/kernels.avail"

# res KIND KERNEL: "NAME VERSION | PKGS" or "error: ..."
res() {
	if mx_resolve "$1" "$2"; then printf '%s %s | %s\n' "$RES_NAME" "$RES_VERSION" "${RES_PKGS[*]}"
	else printf 'error: %s\n' "$MX_ERR"; fi
}
t_eq "6.1: the newest 6.1 build, flavour arm64 (not cloud, rt, unsigned, dbg)" \
	"linux-image-6.1.0-56-arm64 6.1.192-2 | linux-image-6.1.0-56-arm64=6.1.192-2" "$(res version 6.1)"
t_eq "6.12: trixie's build beats bookworm's backport of the same upstream version" \
	"linux-image-6.12.117+deb13-arm64 6.12.117-1 | linux-image-6.12.117+deb13-arm64=6.12.117-1" "$(res version 6.12)"
t_eq "6.12.115: an older point release" \
	"linux-image-6.12.115+deb12-arm64 6.12.115-2~deb12u1 | linux-image-6.12.115+deb12-arm64=6.12.115-2~deb12u1" \
	"$(res version 6.12.115)"
t_eq "an exact Debian version" \
	"linux-image-6.12.117+deb12-arm64 6.12.117-1~deb12u1 | linux-image-6.12.117+deb12-arm64=6.12.117-1~deb12u1" \
	"$(res version 6.12.117-1~deb12u1)"
t_eq "7.3: the image is in linux-binary, the modules in linux-modules" \
	"linux-image-7.3.4+deb13-arm64 7.3.4-1~bpo13+1 | linux-image-7.3.4+deb13-arm64=7.3.4-1~bpo13+1 linux-binary-7.3.4+deb13-arm64=7.3.4-1~bpo13+1 linux-modules-7.3.4+deb13-arm64=7.3.4-1~bpo13+1" \
	"$(res version 7.3)"
t_eq "7: the newest 7.x" "linux-image-7.3.4+deb13-arm64 7.3.4-1~bpo13+1" "$(res version 7 | cut -d'|' -f1 | sed 's/ $//')"
t_eq "a package by name" "linux-image-6.1.0-55-arm64 6.1.192-1 | linux-image-6.1.0-55-arm64=6.1.192-1" \
	"$(res package linux-image-6.1.0-55-arm64)"
t_eq "a package by name and version" "linux-image-6.1.0-56-rt-arm64 6.1.192-2 | linux-image-6.1.0-56-rt-arm64=6.1.192-2" \
	"$(res package linux-image-6.1.0-56-rt-arm64=6.1.192-2)"
out=$(res version 9.9)
t_check "an unknown version: an error naming what there is" grep -q 'no Debian arm64 kernel of version 9.9.*newest there: .*7.3.4' <<<"$out"
out=$(res package linux-image-6.1.0-56-arm64=1.0)
t_check "an unknown package version: an error" grep -q '^error: no package linux-image-6.1.0-56-arm64=1.0' <<<"$out"

# --- the cache -------------------------------------------------------------
# A stand-in apt-fetch.sh: logs its packages, unpacks a fake kernel (Debian's
# layout for linux-image-6.1.*, the 7.x one for linux-binary-*).
cat >"$MX_ROOT/scripts/apt-fetch.sh" <<'EOF'
#!/bin/bash
dest='' pkgs=()
while [ $# -gt 0 ]; do
	case $1 in --dest) dest=$2; shift 2 ;; --arch|--cache|--suite-add) shift 2 ;; *) pkgs+=("$1"); shift ;; esac
done
echo "${pkgs[*]}" >>"$FAKE_LOG"
[ -z "${FAKE_FAIL:-}" ] || { echo "E: Failed to fetch http://mirror/pool/x.deb 404 Not Found" >&2; exit 1; }
image() { head -c 56 /dev/zero; printf 'ARM\x64'; head -c 200 /dev/zero; }
ko() { printf 'junk\0license=GPL\0depends=%s\0name=%s\0' "$2" "$1"; }
case ${pkgs[0]} in
linux-image-7*)
	m=$dest/usr/lib/modules/7.3.4+deb13-arm64
	mkdir -p "$m/kernel/fs/9p" "$m/kernel/fs/netfs" "$m/kernel/net/9p"
	[ -n "${FAKE_NOHEADER:-}" ] && head -c 300 /dev/zero >"$m/vmlinuz" || image >"$m/vmlinuz"
	ko 9p 9pnet,netfs | xz >"$m/kernel/fs/9p/9p.ko.xz"
	ko netfs '' | xz >"$m/kernel/fs/netfs/netfs.ko.xz"
	ko 9pnet '' | xz >"$m/kernel/net/9p/9pnet.ko.xz"
	ko 9pnet_virtio 9pnet | xz >"$m/kernel/net/9p/9pnet_virtio.ko.xz" ;;
*)
	m=$dest/lib/modules/6.1.0-56-arm64
	mkdir -p "$dest/boot" "$m/kernel/fs/9p" "$m/kernel/drivers/virtio" "$m/kernel/net/9p"
	image >"$dest/boot/vmlinuz-6.1.0-56-arm64"
	ko 9p 9pnet,netfs,fscache >"$m/kernel/fs/9p/9p.ko"
	ko netfs '' >"$m/kernel/fs/netfs.ko"
	ko fscache netfs >"$m/kernel/fs/fscache.ko"
	ko 9pnet '' >"$m/kernel/net/9p/9pnet.ko"
	ko 9pnet_virtio 9pnet,virtio_pci >"$m/kernel/net/9p/9pnet_virtio.ko"
	ko virtio_pci virtio_pci_modern_dev >"$m/kernel/drivers/virtio/virtio_pci.ko"
	ko virtio_pci_modern_dev '' >"$m/kernel/drivers/virtio/virtio_pci_modern_dev.ko"
	ko unrelated '' >"$m/kernel/drivers/virtio/unrelated.ko" ;;
esac
EOF
chmod +x "$MX_ROOT/scripts/apt-fetch.sh"
export FAKE_LOG=$tmp/fetches
: >"$FAKE_LOG"

order() { zcat "$1" | (cd "$tmp" && rm -rf x && mkdir x && cd x && cpio -id --quiet 2>/dev/null && tr '\n' ' ' <lib/modules/gv/order); }

mx_resolve version 6.1 && mx_get_debian_kernel
t_eq "first use: fetched once" "linux-image-6.1.0-56-arm64=6.1.192-2" "$(cat "$FAKE_LOG")"
t_eq "kept under the cache, by package and version" "$MX_CACHE/kernels/linux-image-6.1.0-56-arm64_6.1.192-2" "$KDIR"
t_check "the Image is kept" mx_is_arm64_image "$KDIR/Image"
t_check "the info names the release" grep -qx 'release=6.1.0-56-arm64' "$KDIR/info"
t_eq "only the wanted modules, each after what it depends on" \
	"virtio_pci_modern_dev.ko virtio_pci.ko 9pnet.ko 9pnet_virtio.ko netfs.ko fscache.ko 9p.ko " "$(order "$KDIR/modules.cpio.gz")"
t_check "the unpacked packages are not kept" test -z "$(ls -A "$MX_CACHE/kernels" | grep unpack)"
mx_get_kernel version 6.1 "$tmp/scratch"
t_eq "second use (the driver's mx_get_kernel): not fetched again" 1 "$(wc -l <"$FAKE_LOG")"
t_eq "second use: the cached kernel" "$MX_CACHE/kernels/linux-image-6.1.0-56-arm64_6.1.192-2" "$KDIR"
if mx_get_kernel nfs server:/k "$tmp/scratch"; then t_fail "a kind no case handles must fail"; else
	t_check "a kind no case handles: named, with the file to add it to" grep -q "no way to get a kernel of kind 'nfs' (scripts/matrix/lib/kernels.bash)" <<<"$MX_ERR"; fi

mx_resolve version 7.3 && mx_get_debian_kernel
t_eq "7.3: the three packages in one fetch" \
	"linux-image-7.3.4+deb13-arm64=7.3.4-1~bpo13+1 linux-binary-7.3.4+deb13-arm64=7.3.4-1~bpo13+1 linux-modules-7.3.4+deb13-arm64=7.3.4-1~bpo13+1" \
	"$(tail -n 1 "$FAKE_LOG")"
t_check "7.3: the Image found in usr/lib/modules/REL/vmlinuz" mx_is_arm64_image "$KDIR/Image"
t_eq "7.3: compressed modules unpacked, in order (virtio-pci built in)" \
	"9pnet.ko 9pnet_virtio.ko netfs.ko 9p.ko " "$(order "$KDIR/modules.cpio.gz")"
zcat "$KDIR/modules.cpio.gz" | (cd "$tmp" && rm -rf y && mkdir y && cd y && cpio -id --quiet 2>/dev/null)
t_check "7.3: modules decompressed (modinfo readable)" grep -aq 'depends=9pnet,netfs' "$tmp/y/lib/modules/gv/9p.ko"

rm -rf "$MX_CACHE/kernels"
FAKE_FAIL=1 mx_resolve version 6.12
if FAKE_FAIL=1 mx_get_debian_kernel; then t_fail "a failed fetch must fail"; else t_ok "a failed fetch fails"; fi
t_check "a failed fetch: apt's error in the message" grep -q 'cannot fetch linux-image-6.12.117+deb13-arm64=6.12.117-1: .*404 Not Found' <<<"$MX_ERR"
t_check "a failed fetch: nothing cached" test ! -e "$MX_CACHE/kernels/linux-image-6.12.117+deb13-arm64_6.12.117-1"
mx_resolve version 7.3
if FAKE_NOHEADER=1 mx_get_debian_kernel; then t_fail "an image without the arm64 header must be refused"; else t_ok "an image without the arm64 header is refused"; fi
t_check "no header: says what was looked for" grep -q 'hold no arm64 kernel Image' <<<"$MX_ERR"

# A self-built kernel: the tree's modules come along.
tree=$tmp/linux
mkdir -p "$tree/arch/arm64/boot" "$tree/fs/9p" "$tree/net/9p"
printf 'x' >"$tree/arch/arm64/boot/Image"
printf 'depends=9pnet\0' >"$tree/fs/9p/9p.ko"
printf 'depends=\0' >"$tree/net/9p/9pnet.ko"
mx_get_path_kernel "$tree" "$tmp/k1"
t_check "tree: Image linked" test "$(readlink "$tmp/k1/Image")" = "$tree/arch/arm64/boot/Image"
t_eq "tree: its modules in order" "9pnet.ko 9p.ko " "$(order "$tmp/k1/modules.cpio.gz")"
mx_get_path_kernel "$tree/arch/arm64/boot/Image" "$tmp/k2"
t_eq "tree's Image path: the same modules" "9pnet.ko 9p.ko " "$(order "$tmp/k2/modules.cpio.gz")"
cp "$tree/arch/arm64/boot/Image" "$tmp/Image.alone"
mx_get_kernel path "$tmp/Image.alone" "$tmp/k3"
t_eq "an Image alone: no modules" "" "$(order "$tmp/k3/modules.cpio.gz")"
t_done
