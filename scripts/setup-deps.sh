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
#   both:         Debian's arm64 libfdt-dev, fetched with a private apt
#                 configuration (scripts/apt-fetch.sh) and unpacked into
#                 $GUESTVIEW_DEPS/arm64, never installed into the system: on
#                 x86_64 a multiarch install would replace the amd64 libfdt-dev,
#                 and doing the same on aarch64 gives one layout everywhere.
#
# Output: on success, one line on stdout: the directory for
# `./configure --libfdt=DIR` ($GUESTVIEW_DEPS/arm64/usr, which holds
# include/libfdt.h and lib/aarch64-linux-gnu/libfdt.a).  Messages go to stderr.
#
# Environment:
#   GUESTVIEW_DEPS            deps directory (default: deps/ at the repo root)
#   GUESTVIEW_SETUP_PACKAGES  replaces the Debian package list (space-separated)
#   GUESTVIEW_HOST_ARCH       replaces the host's machine name (x86_64/aarch64)
#   and apt-fetch.sh's (GUESTVIEW_APT_ETC, GUESTVIEW_APT_LISTS_MAX_AGE).
#
# Exit status: 0 ready; 1 something is missing that this run may not
# install (--check, not root, no apt-get): the message says what to run;
# 2 usage error or unsupported host; 3 an install or fetch failed.
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

# Each package with a cheap sign of its presence (a command or a file), so
# the no-op path needs no dpkg query.
host=${GUESTVIEW_HOST_ARCH:-$HOSTTYPE}
case $host in
x86_64)  packages=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm)
	 probes=(aarch64-linux-gnu-gcc /usr/aarch64-linux-gnu/include/stdint.h qemu-system-aarch64) ;;
aarch64) packages=(gcc libc6-dev qemu-system-arm)
	 probes=(gcc /usr/include/stdint.h qemu-system-aarch64) ;;
*) echo "$prog: host architecture '$host' is not supported (x86_64 or aarch64 Debian; GUESTVIEW_HOST_ARCH)" >&2; exit 2 ;;
esac
if [ -n "${GUESTVIEW_SETUP_PACKAGES+set}" ]; then
	read -r -a packages <<<"$GUESTVIEW_SETUP_PACKAGES"
	probes=()   # unknown packages: only dpkg can tell
fi

# The stamp says "a full run of this very set-up succeeded here": it holds
# a checksum of the set-up scripts plus the package list.
stamp=$deps/.setup-deps.stamp
key="$(cd "$here" && cksum setup-deps.sh apt-fetch.sh apt-sources.sh | tr '\n' ' ') $host ${packages[*]}"
looks_ready() {
	local p line
	[ -f "$stamp" ] && read -r line <"$stamp" && [ "$line" = "$key" ] || return 1
	for p in "${probes[@]}"; do
		case $p in
		/*) [ -e "$p" ] || return 1 ;;
		*) command -v "$p" >/dev/null 2>&1 || return 1 ;;
		esac
	done
	for p in "${libfdt_files[@]}"; do [ -f "$p" ] || return 1; done
}
if looks_ready; then
	printf '%s\n' "$libfdt_dir"
	exit 0
fi

# --- slow path ---------------------------------------------------------------
say() { printf '%s: %s\n' "$prog" "$*" >&2; }
mkdir -p "$deps" || { say "cannot create the deps directory $deps (GUESTVIEW_DEPS)"; exit 3; }
deps=$(cd "$deps" && pwd) libfdt_dir=$deps/arm64/usr stamp=$deps/.setup-deps.stamp
libfdt_files=("$libfdt_dir/include/libfdt.h" "$libfdt_dir/lib/aarch64-linux-gnu/libfdt.a")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/setup-deps.XXXXXX") || { say "mktemp failed"; exit 3; }
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Two makes at once: the second waits, then finds the work done.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$deps/.setup-deps.lock"
	flock 9
	if looks_ready; then printf '%s\n' "$libfdt_dir"; exit 0; fi
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

[ "$check_only" = 1 ] || { printf '%s\n' "$key" >"$stamp.new" && mv -f "$stamp.new" "$stamp"; }
say "ready (packages: ${packages[*]}; libfdt: $libfdt_dir)"
printf '%s\n' "$libfdt_dir"
