# scripts/arm64-host/defaults.bash: the settings rootfs.sh and run.sh share,
# and the image's cache key (sourced).

A64_HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
A64_SUITE=${A64_SUITE:-bookworm}
# Beyond debootstrap's default set (required + important, what an installed
# Debian has): Debian's arm64 kernel, the two tools the README's commands
# take for granted, and the initramfs' shell.
A64_PACKAGES=(linux-image-arm64 git make busybox-static)
A64_DISK_SIZE=12G
# The emulated host, as the kernel matrix makes its own
# (scripts/matrix/run-matrix.sh: -cpu max,lpa2=off,pauth-impdef=on; lpa2 off
# for the 6.1 kernel, pauth-impdef for TCG's speed).  Two CPUs: the machine
# has two.  3 GiB: the set-up installs clang, and the tests start guests.
A64_QEMU=${QEMU:-qemu-system-aarch64}
A64_CPU=${A64_CPU:-max,lpa2=off,pauth-impdef=on}
A64_SMP=${A64_SMP:-2}
A64_MEM=${A64_MEM:-3072}

# a64_default_cache: where images are kept unless --cache says.
a64_default_cache() {
	local deps=${GUESTVIEW_DEPS:-$A64_HERE/../../deps}
	printf '%s/arm64-host-cache\n' "$deps"
}

# a64_cache_key: REPLY = the image's content key: suite, packages, disk size
# and the scripts that make the image (not init nor boot.bash: the /init is
# added at each boot, outside the image).
a64_cache_key() {
	REPLY=$( {
		printf 'suite=%s\npackages=%s\nsize=%s\n' "$A64_SUITE" "${A64_PACKAGES[*]}" "$A64_DISK_SIZE"
		cd "$A64_HERE" && cat rootfs.sh initramfs.sh
	} | sha256sum)
	REPLY=${REPLY:0:16}
}
