# scripts/matrix/lib/kernels.bash: which kernel a specification names, and
# getting it (sourced by run-matrix.sh; needs spec.bash and initramfs.bash).
#
# Debian kernels come from the machine's apt sources plus the suites in
# MX_KERNEL_SUITES (default trixie trixie-backports), taken from the main
# archive's URIs by scripts/apt-fetch.sh --suite-add, with the machine's keys.
# A resolved kernel is kept in $MX_CACHE/kernels/NAME_VERSION/:
#   Image            the kernel (the raw arm64 Image Debian ships as vmlinuz)
#   modules.cpio.gz  its virtio-pci, 9p and virtio-net modules (initramfs.bash)
#   info             package=, version=, release=, packages=
# and the .debs stay in apt-fetch's archive cache ($MX_CACHE/apt), so that a
# version the archive has rotated out can still be rebuilt.

MX_KERNEL_SUITES=${MX_KERNEL_SUITES-trixie trixie-backports}

mx_kernel_apt_opts() {
	local s
	MX_KAPT=(--arch arm64 --cache "$MX_CACHE/apt")
	for s in $MX_KERNEL_SUITES; do MX_KAPT+=(--suite-add "$s"); done
}

# apt-fetch.sh's private state directory for these suites (its documented
# CACHE/ARCH[+SUITE...] layout, where apt.conf can be used by hand).
mx_kernel_apt_state() {
	local key=arm64 s
	while read -r s; do [ -n "$s" ] && key+=+$s; done < <(printf '%s\n' $MX_KERNEL_SUITES | sort -u)
	REPLY=$MX_CACHE/apt/$key
}

# mx_apt_error FILE: apt's lines that say why, signature problems named.
mx_apt_error() {
	local sig
	sig=$(grep -E 'NO_PUBKEY|EXPKEYSIG|KEYEXPIRED|not signed|signature|Signed-By|OpenPGP' "$1" | head -n 3 | tr '\n' ' ')
	if [ -n "$sig" ]; then
		REPLY="signature verification failed: $sig"
	else
		REPLY=$(grep -E '^(E:|W:|Err:|apt-fetch.sh:)' "$1" | tail -n 3 | tr '\n' ' ')
		REPLY=${REPLY:-$(tail -n 2 "$1" | tr '\n' ' ')}
	fi
}

# mx_kernel_index: reads (or re-reads, when a day old) the arm64 indexes of
# the machine's suites plus MX_KERNEL_SUITES, by fetching one small package
# (linux-base) through apt-fetch.sh, then lists the kernel packages into
# $MX_TMP/kernels.avail: NAME VERSION DEPENDS(comma-joined, no spaces).
mx_kernel_index() {
	local st fresh=0
	[ -s "$MX_TMP/kernels.avail" ] && return 0
	mx_kernel_apt_opts
	mx_kernel_apt_state; st=$REPLY
	while :; do
		if [ "$fresh" = 0 ] && [ "${MX_REFRESH:-0}" != 1 ] && [ -f "$st/apt.conf" ] &&
			mx_younger "$MX_CACHE/kernels/.index-${st##*/}.checked" "${GUESTVIEW_APT_LISTS_MAX_AGE:-86400}"; then
			:   # read less than a day ago (apt-fetch.sh's own rule for its indexes)
		elif fresh=1; mx_say "reading the arm64 kernel indexes (machine's suites + ${MX_KERNEL_SUITES:-nothing})"
			! "$MX_ROOT/scripts/apt-fetch.sh" "${MX_KAPT[@]}" --dest "$MX_CACHE/kernels/.index" linux-base \
			>/dev/null 2>"$MX_TMP/index.err"; then
			mx_apt_error "$MX_TMP/index.err"
			if [ -f "$st/apt.conf" ] && compgen -G "$st/lists/*Packages*" >/dev/null; then
				mx_say "warning: could not refresh the kernel indexes ($REPLY); using the cached ones"
			else
				MX_ERR="cannot read the arm64 kernel indexes for ${MX_KERNEL_SUITES:-the machine suites only}: $REPLY"
				return 1
			fi
		else
			: >"$MX_CACHE/kernels/.index-${st##*/}.checked"
		fi
		apt-cache -c "$st/apt.conf" dumpavail 2>/dev/null | awk '
			/^Package: / { p = $2 } /^Version: / { v = $2 }
			/^Depends: / { d = substr($0, 10); gsub(/ /, "", d) }
			/^$/ { if (p ~ /^linux-(image|binary|modules)-/) print p, v, (d == "" ? "-" : d); p = v = d = "" }
		' >"$MX_TMP/kernels.avail"
		[ -s "$MX_TMP/kernels.avail" ] && return 0
		# Cached indexes that list no kernel (a cache left half-made, or
		# an apt.conf naming a checkout that is gone): read them again, once.
		[ "$fresh" = 1 ] && break
		fresh=1
	done
	MX_ERR="the arm64 indexes list no linux-image package ($st/apt.conf)"
	return 1
}

# mx_newest VERSION...: the highest Debian version of the arguments.
mx_newest() {
	local best='' v
	for v in "$@"; do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
	done
	REPLY=$best
}

# mx_resolve KIND KERNEL: sets RES_NAME, RES_VERSION and RES_PKGS (the
# NAME=VERSION list to fetch: the image package and the linux-binary /
# linux-modules packages it depends on at the same version).
mx_resolve() {
	local kind=$1 kernel=$2 name ver deps want_name='' want_ver='' d
	local i
	local -a names=() vers=() depss=() cand=()
	mx_kernel_index || return 1
	case $kind in
	package) want_name=${kernel%%=*}; [[ $kernel == *=* ]] && want_ver=${kernel#*=} ;;
	esac
	while read -r name ver deps; do
		if [ "$kind" = version ]; then
			# The flavour "arm64" itself (not cloud-, rt-, 16k-), a real
			# image package (the ABI in its name), not a meta-package.
			[[ $name =~ ^linux-image-[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+|\+[a-z0-9.]+)-arm64$ ]] || continue
			mx_version_matches "$kernel" "$ver" || continue
		else
			[ "$name" = "$want_name" ] || continue
			[ -z "$want_ver" ] || [ "$ver" = "$want_ver" ] || continue
		fi
		names+=("$name") vers+=("$ver") depss+=("$deps")
	done <"$MX_TMP/kernels.avail"
	if [ ${#names[@]} -eq 0 ]; then
		if [ "$kind" = version ]; then
			MX_ERR="no Debian arm64 kernel of version $kernel in the machine suites + ${MX_KERNEL_SUITES:-nothing} (newest there: $(awk '$1 ~ /^linux-image-[0-9.]+(-[0-9]+|\+[a-z0-9.]+)-arm64$/ { print $2 }' "$MX_TMP/kernels.avail" | sort -V | tail -n 3 | tr '\n' ' '))"
		else
			MX_ERR="no package $kernel in the arm64 indexes"
		fi
		return 1
	fi
	mx_newest "${vers[@]}"
	RES_VERSION=$REPLY
	# linux-binary-X(=V) / linux-modules-X(=V), as the index writes them.
	local dep_re='^(linux-(binary|modules)-[^(]+)[(]=(.*)[)]$'
	for i in "${!names[@]}"; do
		[ "${vers[$i]}" = "$RES_VERSION" ] || continue
		RES_NAME=${names[$i]}
		RES_PKGS=("$RES_NAME=$RES_VERSION")
		for d in ${depss[$i]//,/ }; do
			d=${d%%|*}
			[[ $d =~ $dep_re ]] && RES_PKGS+=("${BASH_REMATCH[1]}=${BASH_REMATCH[3]}")
		done
		break
	done
}

# mx_is_arm64_image FILE: the arm64 boot header's magic "ARM\x64" at byte 56
# (or a gzip'd Image, which QEMU unpacks).
mx_is_arm64_image() {
	local magic
	magic=$(od -An -tx1 -j56 -N4 "$1" 2>/dev/null | tr -d ' \n')
	[ "$magic" = 41524d64 ] && return 0
	[ "$(od -An -tx1 -N2 "$1" 2>/dev/null | tr -d ' \n')" = 1f8b ]
}

# mx_get_debian_kernel: fetches RES_PKGS (unless cached) into
# $MX_CACHE/kernels/RES_NAME_RES_VERSION; sets KDIR.
mx_get_debian_kernel() {
	local dir unpack img rel moddir
	KDIR=$MX_CACHE/kernels/${RES_NAME}_$RES_VERSION
	# Cached with the modules wanted now (an older cache lacks virtio_net):
	# its .debs are in apt's cache, so taking it again downloads nothing.
	[ -f "$KDIR/ready" ] && grep -qxF "modules=${MX_WANT_MODULES[*]}" "$KDIR/info" 2>/dev/null && return 0
	mx_say "fetching $RES_NAME $RES_VERSION (${RES_PKGS[*]})"
	mx_kernel_apt_opts
	unpack=$MX_CACHE/kernels/.unpack-${RES_NAME}_$RES_VERSION
	rm -rf "$unpack"
	if ! "$MX_ROOT/scripts/apt-fetch.sh" "${MX_KAPT[@]}" --dest "$unpack" "${RES_PKGS[@]}" \
		>/dev/null 2>"$MX_TMP/fetch.err"; then
		mx_apt_error "$MX_TMP/fetch.err"
		MX_ERR="cannot fetch ${RES_PKGS[*]}: $REPLY"
		rm -rf "$unpack"
		return 1
	fi
	img=$(find "$unpack/boot" "$unpack/usr/lib/modules" "$unpack/lib/modules" -maxdepth 2 \
		\( -name 'vmlinuz-*' -o -name vmlinuz \) 2>/dev/null | head -n 1)
	if [ -z "$img" ] || ! mx_is_arm64_image "$img"; then
		MX_ERR="${RES_PKGS[*]} hold no arm64 kernel Image (looked for boot/vmlinuz-* and lib/modules/*/vmlinuz)"
		rm -rf "$unpack"
		return 1
	fi
	moddir=$(find "$unpack/lib/modules" "$unpack/usr/lib/modules" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1)
	rel=${moddir##*/}
	dir=$KDIR.tmp
	rm -rf "$dir"
	mkdir -p "$dir" &&
		cp "$img" "$dir/Image" &&
		mx_modules_initramfs "${moddir:--}" "$dir/modules.cpio.gz" &&
		printf 'package=%s\nversion=%s\nrelease=%s\npackages=%s\nmodules=%s\n' "$RES_NAME" "$RES_VERSION" "$rel" \
			"${RES_PKGS[*]}" "${MX_WANT_MODULES[*]}" >"$dir/info" &&
		touch "$dir/ready" &&
		rm -rf "$KDIR" && mv "$dir" "$KDIR" || { MX_ERR="cannot store the kernel in $KDIR"; return 1; }
	# Only the Image and a few modules are kept; the .debs stay in apt's cache.
	rm -rf "$unpack"
}

# mx_get_path_kernel PATH OUTDIR: a self-built kernel: OUTDIR gets Image
# (a link) and modules.cpio.gz (the tree's modules when PATH is a tree or
# TREE/arch/arm64/boot/Image; none otherwise).  Sets KDIR=OUTDIR.
mx_get_path_kernel() {
	local path=$1 tree=''
	KDIR=$2
	mkdir -p "$KDIR"
	if [ -d "$path" ]; then
		tree=$path path=$path/arch/arm64/boot/Image
	else
		case $path in */arch/arm64/boot/Image*) tree=${path%/arch/arm64/boot/Image*} ;; esac
		[ -n "$tree" ] || tree=-
	fi
	path=$(cd "$(dirname "$path")" && pwd)/${path##*/}
	ln -sf "$path" "$KDIR/Image"
	mx_modules_initramfs "$tree" "$KDIR/modules.cpio.gz" || return 1
	printf 'package=\nversion=\nrelease=\npackages=\nimage=%s\n' "$path" >"$KDIR/info"
}

# mx_get_kernel KIND KERNEL SCRATCH: the kernel a specification names
# (mx_parse_spec's SPEC_KIND and SPEC_KERNEL), ready to boot; sets KDIR (a
# directory with Image, modules.cpio.gz and info) or returns 1 with the
# reason in MX_ERR.  SCRATCH is a directory of the run's own for a kernel
# that is not cached.  A new kind of kernel source is a case here and its
# syntax in spec.bash: the driver and the report take any kind.
mx_get_kernel() {
	case $1 in
	path) mx_get_path_kernel "$2" "$3" ;;
	version | package) mx_resolve "$1" "$2" && mx_get_debian_kernel ;;
	*) MX_ERR="no way to get a kernel of kind '$1' (scripts/matrix/lib/kernels.bash)"; return 1 ;;
	esac
}
