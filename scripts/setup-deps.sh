#!/bin/bash
# scripts/setup-deps.sh: makes sure this machine has what guestview builds and
# runs with, installing it the Debian way; `make` runs it before configure,
# so it must be a fast no-op once everything is there.
#
# Usage: setup-deps.sh [--check]
#   --check   only look: report what is missing, install and fetch nothing.
#
# What it sets up:
#   x86_64 host:  gcc-aarch64-linux-gnu, libc6-dev-arm64-cross (the cross
#                 libc headers: libfdt_env.h includes <string.h>/<stdlib.h>),
#                 qemu-system-arm (qemu-system-aarch64); installed with apt-get.
#   aarch64 host: gcc, libc6-dev, qemu-system-arm; installed with apt-get.
#   both, for `make check` (installed with apt-get too): clang and
#                 libclang-rt-14-dev (tests/host/fuzz.sh's libFuzzer run),
#                 libjson-c-dev (host/gvmigrate's QMP client), python3 (some
#                 tests), iproute2 (migration between network namespaces).
#   both:         Debian's arm64 libfdt-dev, fetched with a private apt
#                 configuration (scripts/apt-fetch.sh) and unpacked into
#                 $GUESTVIEW_DEPS/arm64, never installed into the system: on
#                 x86_64 a multiarch install would replace the amd64 libfdt-dev,
#                 and doing the same on aarch64 gives one layout everywhere.
#   both:         QEMU 10.0, the second QEMU of the cross-version migration
#                 tests: qemu-system-arm from bookworm-backports for the host's
#                 architecture, unpacked the same way into $GUESTVIEW_DEPS/qemu10
#                 (usr/bin/qemu-system-aarch64) beside the system's 7.2.  It
#                 needs no other package: its shared libraries are the ones
#                 the system's qemu-system-arm already pulls in, and with the
#                 -nodefaults arm/run always gives, a raw kernel on -M virt
#                 reads no firmware, keymap or module (qemu-system-data,
#                 qemu-system-common).  Failing to fetch it is not fatal: a
#                 warning, a note in $GUESTVIEW_DEPS/qemu10.unavailable (which
#                 run_tests.sh gives as the reason those tests SKIP), and a
#                 new attempt a day later (GUESTVIEW_QEMU10_RETRY seconds).
#
# Output: on success, one line on stdout: the directory for
# `./configure --libfdt=DIR` ($GUESTVIEW_DEPS/arm64/usr, which holds
# include/libfdt.h and lib/aarch64-linux-gnu/libfdt.a).  Messages go to stderr.
#
# Environment:
#   GUESTVIEW_DEPS            deps directory (default: deps/ at the repo root)
#   GUESTVIEW_SETUP_PACKAGES  replaces the Debian package list (space-separated)
#   GUESTVIEW_HOST_ARCH       replaces the host's machine name (x86_64/aarch64)
#   GUESTVIEW_QEMU10_RETRY    seconds before a failed QEMU 10.0 fetch is tried
#                             again by a run that has nothing else to do
#                             (default 86400)
#   and apt-fetch.sh's (GUESTVIEW_APT_ETC, GUESTVIEW_APT_LISTS_MAX_AGE).
#
# Exit status: 0 ready (QEMU 10.0 perhaps not: see the warning); 1 something
# is missing that this run may not install (--check, not root, no apt-get):
# the message says what to run; 2 usage error or unsupported host; 3 an
# install or fetch failed.
set -u
prog=${0##*/}
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd) || exit 2
check_only=0
case ${1-} in
'') ;;
--check) check_only=1; [ $# -eq 1 ] || { echo "$prog: unexpected argument '$2' after --check" >&2; exit 2; } ;;
-h|--help) sed -n '2,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
*) echo "$prog: unknown option '$1' (usage: $prog [--check])" >&2; exit 2 ;;
esac

deps=${GUESTVIEW_DEPS:-${here%/*}/deps}
case $deps in /*) ;; *) deps=$PWD/$deps ;; esac   # print the same path from any directory
libfdt_dir=$deps/arm64/usr
libfdt_files=("$libfdt_dir/include/libfdt.h" "$libfdt_dir/lib/aarch64-linux-gnu/libfdt.a")

# Each package with a cheap sign of its presence (a command, a file or a
# file pattern), so the no-op path needs no dpkg query.
host=${GUESTVIEW_HOST_ARCH:-$HOSTTYPE}
case $host in
x86_64)  packages=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm)
	 probes=(aarch64-linux-gnu-gcc /usr/aarch64-linux-gnu/include/stdint.h qemu-system-aarch64)
	 deb_arch=amd64 ;;
aarch64) packages=(gcc libc6-dev qemu-system-arm)
	 probes=(gcc /usr/include/stdint.h qemu-system-aarch64)
	 deb_arch=arm64 ;;
*) echo "$prog: host architecture '$host' is not supported (x86_64 or aarch64 Debian; GUESTVIEW_HOST_ARCH)" >&2; exit 2 ;;
esac
# What `make check` needs besides: the fuzzer, gvmigrate's JSON library, the
# tests' python3, ip(8) and pgrep (procps: not in a minimal debootstrap),
# and the kernel matrix's initramfs tools.
packages+=(clang libclang-rt-14-dev libjson-c-dev python3 iproute2 cpio xz-utils procps)
probes+=(clang '/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a'
	/usr/include/json-c/json.h python3 ip cpio xz pgrep)
if [ -n "${GUESTVIEW_SETUP_PACKAGES+set}" ]; then
	read -r -a packages <<<"$GUESTVIEW_SETUP_PACKAGES"
	probes=()   # unknown packages: only dpkg can tell
fi

# QEMU 10.0 for the cross-version migration tests (see the top).
qemu10_opts=(--arch "$deb_arch" --suite-add bookworm-backports)
qemu10_pkg=qemu-system-arm/bookworm-backports
qemu10_paths() {
	qemu10_dir=$deps/qemu10
	qemu10_bin=$qemu10_dir/usr/bin/qemu-system-aarch64
	qemu10_note=$deps/qemu10.unavailable
}
qemu10_paths
qemu10_retry=${GUESTVIEW_QEMU10_RETRY:-86400}
[[ $qemu10_retry =~ ^[0-9]+$ ]] || { echo "$prog: GUESTVIEW_QEMU10_RETRY='$qemu10_retry' is not a number of seconds" >&2; exit 2; }

# The stamp says "a full run of this very set-up succeeded here": it holds
# a checksum of the set-up scripts plus the package list.  QEMU 10.0 is
# outside it (its fetch may fail without failing the set-up): the no-op
# also needs its binary, or a recent note saying why it is not there.
stamp=$deps/.setup-deps.stamp
key="$(cd "$here" && cksum setup-deps.sh apt-fetch.sh apt-sources.sh | tr '\n' ' ') $host ${packages[*]} qemu10: ${qemu10_opts[*]} $qemu10_pkg"
# present PROBE: the command, file, or a file matching the pattern exists.
present() {
	case $1 in
	/*[*?[]*) compgen -G "$1" >/dev/null ;;
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}
looks_ready() {
	local p line
	[ -f "$stamp" ] && read -r line <"$stamp" && [ "$line" = "$key" ] || return 1
	for p in "${probes[@]}"; do present "$p" || return 1; done
	for p in "${libfdt_files[@]}"; do [ -f "$p" ] || return 1; done
}
# qemu10_state: "ready", "failed" (a recent attempt failed: QEMU10_WHY says
# why) or "fetch".
qemu10_state() {
	local when now
	QEMU10_WHY=''
	if [ -x "$qemu10_bin" ]; then REPLY=ready; return; fi
	REPLY=fetch
	if [ -f "$qemu10_note" ] && IFS=$'\t' read -r when QEMU10_WHY <"$qemu10_note" && [[ $when =~ ^[0-9]+$ ]]; then
		printf -v now '%(%s)T' -1
		[ $((now - when)) -ge "$qemu10_retry" ] || REPLY=failed
	fi
}
qemu10_warn() {
	printf '%s: warning: %s; the cross-version migration tests will SKIP (retried after %ss, or now: rm %s)\n' \
		"$prog" "$1" "$qemu10_retry" "$qemu10_note" >&2
}
if looks_ready; then
	qemu10_state
	case $REPLY in
	ready) printf '%s\n' "$libfdt_dir"; exit 0 ;;
	failed) qemu10_warn "$QEMU10_WHY"; printf '%s\n' "$libfdt_dir"; exit 0 ;;
	esac
	# Only QEMU 10.0 to (re)try: below, after taking the lock.
	[ "$check_only" = 1 ] || qemu10_only=1
fi

# --- slow path ---------------------------------------------------------------
say() { printf '%s: %s\n' "$prog" "$*" >&2; }
mkdir -p "$deps" || { say "cannot create the deps directory $deps (GUESTVIEW_DEPS)"; exit 3; }
deps=$(cd "$deps" && pwd) libfdt_dir=$deps/arm64/usr stamp=$deps/.setup-deps.stamp
qemu10_paths
libfdt_files=("$libfdt_dir/include/libfdt.h" "$libfdt_dir/lib/aarch64-linux-gnu/libfdt.a")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/setup-deps.XXXXXX") || { say "mktemp failed"; exit 3; }
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# fetch_qemu10: unpack QEMU 10.0 into $qemu10_dir.  Never fatal: on failure
# a warning, and a note saying why for run_tests.sh's SKIPs.
fetch_qemu10() {
	local why='' version now
	if GUESTVIEW_DEPS=$deps "$here/apt-fetch.sh" "${qemu10_opts[@]}" --dest "$qemu10_dir" "$qemu10_pkg" 2>"$tmp/qemu10.err"; then
		if ! [ -s "$qemu10_dir/.apt-fetch.manifest" ]; then
			why="apt-fetch.sh unpacked nothing for $qemu10_pkg (not in the archive?)"
			rm -rf -- "$qemu10_dir"
		elif ! [ -x "$qemu10_bin" ]; then
			why="$qemu10_bin missing after unpacking $(paste -sd' ' "$qemu10_dir/.apt-fetch.manifest")"
			rm -rf -- "$qemu10_dir"
		elif ! version=$("$qemu10_bin" --version 2>&1 </dev/null); then
			why="$qemu10_bin does not run: ${version##*$'\n'}"
			# Not kept: a binary there is a binary the tests would use.
			rm -rf -- "$qemu10_dir"
		fi
	else
		why=$(grep -v '^ *$' "$tmp/qemu10.err" | tail -n 1)
		why=${why:-apt-fetch.sh failed}
	fi
	cat "$tmp/qemu10.err" >&2
	if [ -z "$why" ]; then
		rm -f -- "$qemu10_note"
		return 0
	fi
	why="QEMU 10.0 (qemu-system-arm from bookworm-backports) could not be set up in $qemu10_dir: ${why//$'\t'/ }"
	printf -v now '%(%s)T' -1
	printf '%s\t%s\n' "$now" "$why" >"$qemu10_note"
	qemu10_warn "$why"
}

# Two makes at once: the second waits, then finds the work done.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$deps/.setup-deps.lock"
	flock 9
	if looks_ready; then
		qemu10_state
		case $REPLY in
		ready) printf '%s\n' "$libfdt_dir"; exit 0 ;;
		failed) qemu10_warn "$QEMU10_WHY"; printf '%s\n' "$libfdt_dir"; exit 0 ;;
		esac
	fi
fi
if [ "${qemu10_only:-}" = 1 ]; then
	fetch_qemu10
	printf '%s\n' "$libfdt_dir"
	exit 0
fi

# Which packages are missing: dpkg knows; without dpkg, trust the probes.
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${packages[@]}" 2>/dev/null >"$tmp/status"
	for p in "${packages[@]}"; do
		grep -qx "ii  $p" "$tmp/status" || missing+=("$p")
	done
else
	for i in "${!probes[@]}"; do
		p=${probes[$i]}
		case $p in
		/*) [ -e "$p" ] ;;
		*) command -v "$p" >/dev/null 2>&1 ;;
		esac || missing+=("${packages[$i]}")
	done
fi

install_cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
	say "missing Debian packages: ${missing[*]}"
	if [ "$check_only" = 1 ]; then
		say "install them with (as root): $install_cmd"
		say "or run $prog as root"
		exit 1
	elif ! command -v apt-get >/dev/null 2>&1; then
		say "this machine has no apt-get: install these Debian packages, or your system's equivalents, by hand: ${missing[*]}"
		exit 1
	elif [ "$(id -u)" != 0 ]; then
		say "not root, so not installing them; run as root:"
		printf '%s\n' "$install_cmd" >&2
		exit 1
	fi
	# On a fresh machine apt's lists may be empty or old: read them once
	# when any package is unknown, as apt-get needs a candidate to install.
	for p in "${missing[@]}"; do
		if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
			say "apt does not know $p yet: running apt-get update"
			apt-get update -q >&2 || { say "apt-get update failed (see above); cannot install ${missing[*]}"; exit 3; }
			break
		fi
	done
	say "installing: ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
		say "apt-get install failed for: ${missing[*]} (see apt's message above)"
		exit 3
	fi
fi

# libfdt for the aarch64 guest, from Debian's arm64 build.
have_libfdt=1
for f in "${libfdt_files[@]}"; do [ -f "$f" ] || have_libfdt=0; done
if [ "$check_only" = 1 ]; then
	if [ "$have_libfdt" = 0 ]; then
		say "missing: arm64 libfdt in $libfdt_dir; fetch it with: $here/apt-fetch.sh --arch arm64 --dest $deps/arm64 libfdt-dev"
		exit 1
	fi
else
	# Re-run even when present: apt-fetch.sh is a quick no-op when the
	# unpacked .deb is still the one apt lists, and updates it when not.
	GUESTVIEW_DEPS=$deps "$here/apt-fetch.sh" --arch arm64 --dest "$deps/arm64" libfdt-dev || {
		say "could not fetch Debian's arm64 libfdt-dev into $deps/arm64 (see above)"
		exit 3
	}
	for f in "${libfdt_files[@]}"; do
		[ -f "$f" ] || { say "arm64 libfdt-dev was unpacked into $deps/arm64 but $f is missing"; exit 3; }
	done
fi

# QEMU 10.0: as libfdt, re-run even when present; but never fatal.
if [ "$check_only" = 1 ]; then
	qemu10_state
	[ "$REPLY" = ready ] ||
		say "warning: QEMU 10.0 is not in $qemu10_dir${QEMU10_WHY:+ ($QEMU10_WHY)}; the cross-version migration tests will SKIP; fetch it with: $here/apt-fetch.sh ${qemu10_opts[*]} --dest $qemu10_dir $qemu10_pkg"
else
	fetch_qemu10
fi

[ "$check_only" = 1 ] || { printf '%s\n' "$key" >"$stamp.new" && mv -f "$stamp.new" "$stamp"; }
qemu10_state
say "ready (packages: ${packages[*]}; libfdt: $libfdt_dir; QEMU 10.0: $([ "$REPLY" = ready ] && echo "$qemu10_bin" || echo "missing, see the warning"))"
printf '%s\n' "$libfdt_dir"
