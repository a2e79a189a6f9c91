# scripts/matrix/lib/initramfs.bash: the emulated hosts' initramfs (sourced).
#
# Two cpio archives, concatenated per kernel (the kernel unpacks one after
# the other):
#   common   (not compressed) busybox-static, bash, GNU timeout, Debian's arm64 QEMU
#            (qemu-system-arm: 7.2 of the machine's own bookworm, or the
#            suite of --inner-qemu) and the shared libraries these need, found
#            by following DT_NEEDED (aarch64-linux-gnu-readelf); the
#            payloads (arm/*.flat), run_tests.sh, arm/run and what they
#            source (tables/outcomes.bash, tables/migproto.bash,
#            tables/bulkproto.bash, scripts/runner/*.bash), the
#            suite (unittests.cfg, the default one), the
#            host tools built for aarch64 (host/cross.mk: gvmigrate, gvstream,
#            gvfp, gvkvm) and /init
#            (scripts/matrix/init).  Made once per content: its name carries
#            the inner QEMU's suite and a checksum of everything that goes in.
#   modules  the kernel's virtio-pci, 9p and virtio-net modules with their dependencies
#            (modinfo's depends=), decompressed, and their load order.
# All of it is cached under $MX_CACHE (see run-matrix.sh).
#
# Needs: mx_die/mx_say (run-matrix.sh), cpio, gzip, xz/zstd (compressed
# modules), aarch64-linux-gnu-readelf or readelf.

# The Debian arm64 packages of the hosts' user space: by default the
# machine's own suites (bookworm: QEMU 7.2), never the suites added for
# kernels.
MX_USERLAND_PKGS=(busybox-static bash coreutils qemu-system-arm)
# MX_INNER_SUITE (--inner-qemu): take that user space from another suite
# instead, e.g. trixie (QEMU 10.0) or trixie-backports (QEMU 11.1, which
# tolerates registers found only in an incoming stream).  All of it comes
# from that suite, so QEMU runs with the libraries it was built against;
# each suite has its own unpacked tree and archive in the cache.
MX_INNER_SUITE=${MX_INNER_SUITE:-}
# An archive another run (another checkout sharing the cache) may be about
# to boot is kept: only those unused for this long are removed.
MX_ARCHIVE_KEEP_S=86400

# mx_inner_suite_opts SUITE: apt-fetch.sh's options that take the user
# space from SUITE (a backports suite needs its base suite beside it).
mx_inner_suite_opts() {
	REPLY_OPTS=()
	[ -n "$1" ] || return 0
	[ "${1%-backports}" = "$1" ] || REPLY_OPTS+=(--suite-add "${1%-backports}")
	REPLY_OPTS+=(--suite-add "$1" --target-release "$1")
}
# Modules the host needs when they are not built in: 9p over virtio-pci
# (the share), virtio-net (the hosts' private network: live cells).  A
# kernel cached with another list is taken from its packages again
# (kernels.bash: info's modules=).
MX_WANT_MODULES=(virtio_pci 9pnet_virtio 9p virtio_net)

mx_readelf() {
	if command -v aarch64-linux-gnu-readelf >/dev/null 2>&1; then
		aarch64-linux-gnu-readelf "$@"
	else
		readelf "$@"
	fi
}

# mx_fetch_userland: unpacks the user-space packages (and their Depends
# closure) into $MX_CACHE/userland; sets MX_USERLAND.
mx_fetch_userland() {
	MX_USERLAND=$MX_CACHE/userland${MX_INNER_SUITE:+-$MX_INNER_SUITE}
	# Checked against the archive at most once per GUESTVIEW_APT_LISTS_MAX_AGE
	# (apt-fetch.sh's index age, default a day) unless MX_REFRESH=1.
	if [ "${MX_REFRESH:-0}" != 1 ] && [ -x "$MX_USERLAND/usr/bin/qemu-system-aarch64" ] &&
		mx_younger "$MX_USERLAND.checked" "${GUESTVIEW_APT_LISTS_MAX_AGE:-86400}"; then
		return 0
	fi
	mx_say "user space of the hosts: ${MX_USERLAND_PKGS[*]} (arm64, with dependencies${MX_INNER_SUITE:+, from $MX_INNER_SUITE})"
	mx_inner_suite_opts "$MX_INNER_SUITE"
	if ! "$MX_ROOT/scripts/apt-fetch.sh" --arch arm64 --cache "$MX_CACHE/apt" --with-deps "${REPLY_OPTS[@]}" \
		--dest "$MX_USERLAND" "${MX_USERLAND_PKGS[@]}" 2>"$MX_TMP/userland.err"; then
		sed 's/^/  /' "$MX_TMP/userland.err" >&2
		if [ -x "$MX_USERLAND/usr/bin/qemu-system-aarch64" ]; then
			mx_say "warning: could not refresh the hosts' user space (above); using the cached one"
		else
			mx_die 3 "cannot fetch the hosts' user space (${MX_USERLAND_PKGS[*]}) for arm64 (apt-fetch.sh's message above)"
		fi
	fi
	local f
	for f in bin/busybox bin/bash usr/bin/timeout usr/bin/qemu-system-aarch64; do
		[ -e "$MX_USERLAND/$f" ] || mx_die 3 "$MX_USERLAND/$f missing after unpacking ${MX_USERLAND_PKGS[*]}"
	done
	: >"$MX_USERLAND.checked"
}

# mx_inner_qemu: the inner QEMU's Debian package and version, as the
# user space's manifest names it ("qemu-system-arm 1:7.2+dfsg-7+deb12u18").
mx_inner_qemu() {
	local v
	v=$(grep -o 'qemu-system-arm_[^_ ]*' "$MX_USERLAND/.apt-fetch.manifest" 2>/dev/null | head -n 1)
	v=${v//%3a/:}
	REPLY=${v/_/ }
}

# mx_younger FILE SECONDS: FILE exists and was modified less than SECONDS ago.
mx_younger() {
	local now
	[ -f "$1" ] || return 1
	printf -v now '%(%s)T' -1
	[ $((now - $(stat -c %Y "$1"))) -lt "$2" ]
}

# mx_find_lib ROOT NAME: the path (in ROOT) of shared library NAME.
mx_find_lib() {
	local d
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib; do
		if [ -e "$1/$d/$2" ]; then REPLY=$1/$d/$2; return 0; fi
	done
	return 1
}

# mx_lib_closure ROOT EXE...: prints the library names (DT_NEEDED, followed
# transitively) of EXE..., one per line; fails naming a library not in ROOT.
mx_lib_closure() {
	local root=$1 f name
	shift
	local -A seen=()
	local -a todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		while read -r name; do
			[ -n "$name" ] && [ -z "${seen[$name]:-}" ] || continue
			seen[$name]=1
			mx_find_lib "$root" "$name" || { echo "library $name (needed by ${f##*/}) is in none of the unpacked packages" >&2; return 1; }
			todo+=("$REPLY")
			printf '%s\n' "$name"
		done < <(mx_readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
	done
}

# The files of the guest suite that go into /gv: what run_tests.sh and
# arm/run source and run (the runner's whole library, the generated outcome
# and bulk channel tables, the default unittests.cfg), the payloads, the
# host tools for aarch64.  Every payload unittests.cfg names must be here:
# run_tests.sh stops before running anything when one is missing.
mx_gv_files() {
	printf '%s\n' run_tests.sh arm/run tables/outcomes.bash tables/migproto.bash tables/bulkproto.bash \
		unittests.cfg scripts/matrix/init-pin.bash scripts/matrix/init-live.bash \
		arm/selftest.flat arm/idregs.flat arm/probes.flat arm/migrate.flat \
		host/aarch64/gvmigrate host/aarch64/gvstream host/aarch64/gvfp host/aarch64/gvkvm
	(cd "$MX_ROOT" && printf '%s\n' scripts/runner/*.bash)
}

# mx_common_initramfs: builds (or finds) the common archive; sets MX_COMMON.
mx_common_initramfs() {
	local f key stage libs n name
	for f in $(mx_gv_files); do
		[ -f "$MX_ROOT/$f" ] || mx_die 3 "$f is missing: build it first (make; make cross-tools)"
	done
	key=$({
		cat "$MX_USERLAND/.apt-fetch.manifest"
		cd "$MX_ROOT" && sha256sum $(mx_gv_files) scripts/matrix/init scripts/matrix/lib/initramfs.bash
	} | sha256sum | cut -c1-16)
	# Not compressed: the emulated kernel unpacks 60 MB faster than it
	# inflates 20 (about a second per boot).
	MX_COMMON=$MX_CACHE/initramfs/common-${MX_INNER_SUITE:+$MX_INNER_SUITE-}$key.cpio
	# Used now: its age says when it was last used (see MX_ARCHIVE_KEEP_S).
	[ -s "$MX_COMMON" ] && touch "$MX_COMMON" && return 0
	mx_inner_qemu
	mx_say "building the hosts' initramfs (user space, ${REPLY:-QEMU}, payloads, tools)"
	stage=$MX_TMP/common
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,sbin,usr/bin,lib/aarch64-linux-gnu,proc,sys,dev,tmp,shared,gv/arm,gv/host,gv/tables,gv/scripts/runner} || return 1
	cp "$MX_USERLAND/bin/busybox" "$MX_USERLAND/bin/bash" "$MX_USERLAND/usr/bin/timeout" "$stage/bin/" &&
		cp "$MX_USERLAND/usr/bin/qemu-system-aarch64" "$stage/usr/bin/" || mx_die 3 "cannot copy the user space into $stage"
	ln -s bash "$stage/bin/sh"
	libs=$(mx_lib_closure "$MX_USERLAND" "$stage/bin/bash" "$stage/bin/timeout" "$stage/usr/bin/qemu-system-aarch64" \
		"$MX_ROOT/host/aarch64/gvmigrate" "$MX_ROOT/host/aarch64/gvstream" "$MX_ROOT/host/aarch64/gvfp" \
		"$MX_ROOT/host/aarch64/gvkvm") ||
		mx_die 3 "the hosts' user space is incomplete (above)"
	n=0
	while read -r f; do
		mx_find_lib "$MX_USERLAND" "$f"
		cp -L "$REPLY" "$stage/lib/aarch64-linux-gnu/$f" || mx_die 3 "cannot copy $REPLY"
		n=$((n + 1))
	done <<<"$libs"
	# The program interpreter is looked for at its absolute path.
	mv "$stage/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" "$stage/lib/" 2>/dev/null ||
		mx_die 3 "ld-linux-aarch64.so.1 is not among the libraries of the hosts' user space"
	ln -s ../ld-linux-aarch64.so.1 "$stage/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1"
	for f in $(mx_gv_files); do
		case $f in
		host/aarch64/*) cp "$MX_ROOT/$f" "$stage/gv/host/${f##*/}" ;;
		*) mkdir -p "$(dirname "$stage/gv/$f")" && cp "$MX_ROOT/$f" "$stage/gv/$f" ;;
		esac || mx_die 3 "cannot copy $f"
	done
	cp "$MX_ROOT/scripts/matrix/init" "$stage/init" && chmod 755 "$stage/init"
	mkdir -p "$MX_CACHE/initramfs"
	# Archives of other contents go once nobody has used them for a day:
	# another checkout sharing this cache may be booting one right now.
	find "$MX_CACHE/initramfs" -maxdepth 1 -name 'common-*.cpio*' -mmin +$((MX_ARCHIVE_KEEP_S / 60)) -delete
	# Written under a name of its own and renamed: two runs building the
	# same archive at once never mix their bytes, and a reader sees a
	# whole archive or none.
	name=$(mktemp "$MX_COMMON.XXXXXX") || mx_die 3 "cannot create a file beside $MX_COMMON"
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
		>"$name" && chmod 644 "$name" && mv "$name" "$MX_COMMON" ||
		{ rm -f "$name"; mx_die 3 "cannot write $MX_COMMON (cpio)"; }
	mx_say "initramfs: $n libraries, $(du -k "$MX_COMMON" | cut -f1) KiB ($MX_COMMON)"
	rm -rf "$stage"
}

# mx_ko_depends KO: the module names KO depends on (modinfo's depends=).
mx_ko_depends() {
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

# mx_modules_initramfs MODDIR OUT: the modules archive for one kernel.
# MODDIR holds the kernel's modules (any layout; .ko, .ko.xz, .ko.zst or
# .ko.gz); an empty MODDIR (or "-") gives an archive with no modules: the
# kernel must then have virtio-pci and 9p built in for the share.
mx_modules_initramfs() {
	local moddir=$1 out=$2 stage=$MX_TMP/modules m f dep
	rm -rf "$stage"
	mkdir -p "$stage/lib/modules/gv"
	: >"$stage/lib/modules/gv/order"
	if [ -n "$moddir" ] && [ "$moddir" != - ] && [ -d "$moddir" ]; then
		local -A path=() added=()
		while IFS= read -r f; do
			m=${f##*/}
			m=${m%%.ko*}
			m=${m//-/_}
			path[$m]=$f
		done < <(find "$moddir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
		# Depth-first: a module's dependencies are loaded before it.
		mx_add_module() {
			local m=${1//-/_} f=${path[${1//-/_}]:-} raw d
			[ -z "${added[$m]:-}" ] || return 0
			added[$m]=1
			[ -n "$f" ] || return 0   # built in (or absent: the share will say so)
			raw=$stage/lib/modules/gv/$m.ko
			case $f in
			*.xz) xz -dc "$f" ;;
			*.zst) zstd -qdc "$f" ;;
			*.gz) gzip -dc "$f" ;;
			*) cat "$f" ;;
			esac >"$raw" || mx_die 3 "cannot decompress $f"
			for d in $(mx_ko_depends "$raw"); do mx_add_module "$d"; done
			printf '%s.ko\n' "$m" >>"$stage/lib/modules/gv/order"
		}
		for m in "${MX_WANT_MODULES[@]}"; do mx_add_module "$m"; done
	fi
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
		>"$out.tmp" && mv "$out.tmp" "$out" || mx_die 3 "cannot write $out (cpio/gzip)"
	rm -rf "$stage"
}
