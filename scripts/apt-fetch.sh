#!/bin/bash
# scripts/apt-fetch.sh: downloads Debian packages of any architecture through
# a private apt configuration and unpacks them (dpkg-deb -x) into a directory,
# without installing anything on the machine: the machine's dpkg database and
# its own apt lists are never touched, so fetching arm64 libfdt-dev on an
# amd64 host does not make dpkg multiarch (which would replace amd64 files).
#
# Usage: apt-fetch.sh --arch ARCH --dest DIR [options] PKG...
#   --arch ARCH            Debian architecture of the packages (arm64, amd64...)
#   --dest DIR             where the packages are unpacked; DIR holds exactly
#                          the packages of the last run (re-made when the set
#                          or a version changes, untouched when not)
#   --suite-add SUITE      also use SUITE (repeatable): SUITE-security is taken
#                          from the security archive, any other suite (e.g.
#                          bookworm-backports) from the main archive's URIs
#   --target-release SUITE prefer SUITE's versions (apt-get -t); without it,
#                          apt's priorities choose (backports only on request:
#                          write PKG/bookworm-backports or use this option)
#   --with-deps            also fetch the Depends/Pre-Depends closure (as if
#                          installed on an empty system), not just PKG...
#   --cache DIR            private apt state and downloaded .debs (default
#                          $GUESTVIEW_DEPS/cache; GUESTVIEW_DEPS defaults to
#                          deps/ at the repository root)
#   --refresh              re-read the archive's indexes even if recent
#   --print-sources        print the private sources list that would be used,
#                          and stop (no download; PKG may then be omitted)
# PKG is NAME, NAME=VERSION or NAME/SUITE, as apt-get takes them.
#
# Environment: GUESTVIEW_DEPS (see --cache), GUESTVIEW_APT_ETC (read sources
# from there instead of the machine's apt configuration, see apt-sources.sh),
# GUESTVIEW_APT_LISTS_MAX_AGE (seconds before the indexes are re-read; default
# 86400).
#
# Mirror URIs, suites and keys come from the machine's own apt sources
# (scripts/apt-sources.sh); apt checks the archive signatures against the
# entries' Signed-By keys and each .deb against the signed indexes.  The
# private state lives in CACHE/ARCH[+SUITE...]/ (apt.conf there can be used by
# hand: apt-cache -c CACHE/arm64/apt.conf policy libfdt-dev).  Downloaded .debs
# are kept and re-used while their checksum matches what the indexes list; if
# the mirror has dropped a listed version (Debian keeps only the current one),
# the indexes are re-read once and the current version is fetched.
#
# Exit status: 0 done; 1 a download or unpack failed (the message names the
# URI or package); 2 usage or configuration error (bad option, no Debian
# archive in the apt sources, DEST not made by this tool).
set -u
prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)

die()   { local rc=$1; shift; printf '%s: %s\n' "$prog" "$*" >&2; exit "$rc"; }
usage() { die 2 "$*; usage: $prog --arch ARCH --dest DIR [--suite-add SUITE]... [--target-release SUITE] [--with-deps] [--cache DIR] [--refresh] [--print-sources] PKG..."; }
say()   { printf '%s: %s\n' "$prog" "$*" >&2; }

arch='' dest='' cache='' target='' with_deps=0 refresh=0 print_sources=0 suites_add=() pkgs=()
while [ $# -gt 0 ]; do
	case $1 in
	--arch|--dest|--suite-add|--target-release|--cache)
		if [ $# -lt 2 ] || [ -z "$2" ]; then usage "option $1 needs a value"; fi
		case $1 in
		--arch) arch=$2 ;;
		--dest) dest=$2 ;;
		--suite-add) suites_add+=("$2") ;;
		--target-release) target=$2 ;;
		--cache) cache=$2 ;;
		esac
		shift 2 ;;
	--with-deps) with_deps=1; shift ;;
	--refresh) refresh=1; shift ;;
	--print-sources) print_sources=1; shift ;;
	-h|--help) sed -n '2,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	--) shift; pkgs+=("$@"); break ;;
	-*) usage "unknown option '$1'" ;;
	*) pkgs+=("$1"); shift ;;
	esac
done
[ -n "$arch" ] || usage "option --arch is required"
[ -n "$dest" ] || [ "$print_sources" = 1 ] || usage "option --dest is required"
[ ${#pkgs[@]} -gt 0 ] || [ "$print_sources" = 1 ] || usage "no package named"
[[ $arch =~ ^[a-z0-9-]+$ ]] || usage "option --arch: '$arch' is not a Debian architecture name"
for s in "${suites_add[@]}" ${target:+"$target"}; do
	[[ $s =~ ^[A-Za-z0-9._-]+$ ]] || usage "suite '$s' is not a suite name"
done
max_age=${GUESTVIEW_APT_LISTS_MAX_AGE:-86400}
[[ $max_age =~ ^[0-9]+$ ]] || die 2 "GUESTVIEW_APT_LISTS_MAX_AGE='$max_age' is not a number of seconds"
for tool in apt-get dpkg-deb sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || die 2 "needs '$tool' (Debian's apt and dpkg), which this machine lacks"
done

deps=${GUESTVIEW_DEPS:-$(dirname "$here")/deps}
cache=${cache:-$deps/cache}
key=$arch
while read -r s; do [ -n "$s" ] && key+=+$s; done < <(printf '%s\n' "${suites_add[@]}" | sort -u)
state=$cache/$key
mkdir -p "$state"/{lists/partial,archives/partial,state,cache,log,keys,empty} || die 2 "cannot create the apt state directory $state"
# The physical path: apt.conf names it, and a checkout that reaches the
# cache through a symlink (deps -> another checkout's) must not write its
# own path there for the next user of the cache.
state=$(cd "$state" && pwd -P)
: >>"$state/state/status"
# As root apt downloads as user _apt; let it write the .debs (apt does the
# same for its own partial/ directories).
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then
	chown _apt "$state/archives" 2>/dev/null
fi

# Scratch space, removed however we leave (error, Ctrl-C, kill).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apt-fetch.XXXXXX") || die 1 "mktemp failed"
staging=
cleanup() { rm -rf -- "$tmp" ${staging:+"$staging"}; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# One apt-fetch at a time per cache: apt's own locks would make a second one fail.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.lock"
	flock 9 || die 1 "cannot lock $cache/.lock"
fi

# --- the private sources list, from the machine's own apt sources -----------
GUESTVIEW_APT_KEYDIR=$state/keys "$here/apt-sources.sh" >"$tmp/entries" || die 2 "cannot derive the Debian mirror from the apt sources (see above)"
{
	printf '# written by %s from the machine'\''s apt sources; regenerated each run\n' "$prog"
	# Only the Packages index is needed: no translations, contents or DEP-11.
	opts="arch=$arch target=Packages"
	while IFS=$'\t' read -r _role uri suite signed; do
		o=$opts; [ "$signed" = - ] || o+=" signed-by=$signed"
		printf 'deb [%s] %s %s main\n' "$o" "$uri" "$suite"
	done <"$tmp/entries"
	for s in "${suites_add[@]}"; do
		want=debian; [[ $s == *-security ]] && want=debian-security
		grep -q "^$want"$'\t' "$tmp/entries" ||
			die 2 "--suite-add $s: the apt sources have no $want archive to take it from"
		# Each distinct archive URI (with its keys) gets the added suite once,
		# unless the machine's sources already list it there.
		awk -F'\t' -v r="$want" -v s="$s" '
			{ have[$2 FS $3] = 1 }
			$1 == r && !seen[$2 FS $4]++ { uri[++n] = $2; keys[n] = $4 }
			END { for (i = 1; i <= n; i++) if (!have[uri[i] FS s]) print uri[i] "\t" keys[i] }
		' "$tmp/entries" >"$tmp/uris"
		while IFS=$'\t' read -r uri signed; do
			o=$opts; [ "$signed" = - ] || o+=" signed-by=$signed"
			printf 'deb [%s] %s %s main\n' "$o" "$uri" "$s"
		done <"$tmp/uris"
	done
} >"$tmp/sources.list"
if [ "$print_sources" = 1 ]; then
	cat "$tmp/sources.list"
	exit 0
fi
sources_changed=0
cmp -s "$tmp/sources.list" "$state/sources.list" || { sources_changed=1; cp "$tmp/sources.list" "$state/sources.list"; }

# Settings given with -c override the machine's apt.conf.d (read earlier), so
# its proxy and trust settings still apply but not its directories, pinning,
# architectures or update hooks.
cat >"$state/apt.conf" <<EOF
// written by $prog: private apt configuration for $arch packages
Dir::Etc::sourcelist "$state/sources.list";
Dir::Etc::sourceparts "$state/empty";
Dir::Etc::preferences "$state/empty/preferences";
Dir::Etc::preferencesparts "$state/empty";
Dir::State "$state/state";
Dir::State::lists "$state/lists";
Dir::State::status "$state/state/status";
Dir::Cache "$state/cache";
Dir::Cache::archives "$state/archives";
Dir::Cache::pkgcache "$state/cache/pkgcache.bin";
// No source-package cache: only binary packages are fetched.
Dir::Cache::srcpkgcache "";
Dir::Log "$state/log";
APT::Architecture "$arch";
#clear APT::Architectures;
APT::Architectures { "$arch"; };
#clear APT::Default-Release;
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Install-Pkgs;
Acquire::Languages "none";
// --with-deps means Depends and Pre-Depends, not Recommends.
APT::Install-Recommends "false";
// A failed index download is an error, not a warning with old lists kept.
APT::Update::Error-Mode "any";
Quiet "1";
EOF
apt_opts=(-c "$state/apt.conf")
[ -n "$target" ] && apt_opts+=(-t "$target")

# --- indexes: re-read when missing, old, asked for, or the sources changed ----
updated=0
update_lists() {
	say "$arch: reading the archive indexes (apt-get update, private configuration $state/apt.conf)"
	if ! apt-get "${apt_opts[@]}" update >&2; then
		say "$arch: apt-get update failed for these sources ($state/sources.list):"
		sed -n 's/^deb /  deb /p' "$state/sources.list" >&2
		die 1 "cannot read the archive indexes: see apt's error above for the URI at fault"
	fi
	: >"$state/lists.stamp"
	updated=1
}
# lists_whole: every suite of the sources list has its index here (a cache
# whose update was cut short, by a kill or a full disk, has a stamp but not
# every index).
lists_whole() {
	local suite
	for suite in $(awk '$1 == "deb" { print $(NF - 1) }' "$state/sources.list"); do
		compgen -G "$state/lists/*_dists_${suite}_InRelease" >/dev/null || return 1
	done
}
now=$(printf '%(%s)T' -1)
if [ "$refresh" = 1 ] || [ "$sources_changed" = 1 ] || [ ! -e "$state/lists.stamp" ] ||
	[ $((now - $(stat -c %Y "$state/lists.stamp"))) -ge "$max_age" ] || ! lists_whole; then
	update_lists
fi

# --- which .debs: the versions apt lists now --------------------------------
# Prints "FILE SHA256 URI" per .deb into $tmp/debs.
resolve() {
	local specs=("${pkgs[@]}") file name ver
	if [ "$with_deps" = 1 ]; then
		# Plan an install onto the empty dpkg status: that lists the whole
		# closure.  An empty archives dir makes apt list cached .debs too.
		apt-get "${apt_opts[@]}" -qq -y --print-uris -o Dir::Cache::archives="$tmp/no-archives" \
			install "${pkgs[@]}" >"$tmp/closure" 2>"$tmp/uris.err" || { cat "$tmp/uris.err" >&2; return 1; }
		specs=()
		while read -r _uri file _rest; do
			name=${file%%_*} ver=${file#*_} ver=${ver%_*} ver=${ver//%3a/:}
			specs+=("$name=$ver")
		done <"$tmp/closure"
		[ ${#specs[@]} -gt 0 ] || { say "$arch: apt planned no download for ${pkgs[*]}"; return 1; }
	fi
	# "download" prints the SHA256 the signed indexes give for each .deb.
	apt-get "${apt_opts[@]}" -qq --print-uris download "${specs[@]}" >"$tmp/uris.out" 2>"$tmp/uris.err" ||
		{ cat "$tmp/uris.err" >&2; return 1; }
	# The lines look like: 'URI' FILE SIZE SHA256:HEX
	sed -n "s/^'\([^']*\)' \([^ ]*\) [0-9]* SHA256:\([0-9a-f]*\)\$/\2 \3 \1/p" "$tmp/uris.out" >"$tmp/debs"
	[ -s "$tmp/debs" ] || { say "$arch: apt listed no SHA256-checked .deb for ${specs[*]}"; cat "$tmp/uris.out" >&2; return 1; }
}
if ! resolve; then
	# An unknown package may be new in the archive: re-read once before failing.
	# (When the lists were just read, that is final.)
	if [ "$updated" = 1 ] || ! { update_lists && resolve; }; then
		die 1 "$arch: cannot find ${pkgs[*]} in $state/sources.list (apt's message above)"
	fi
fi

# --- download what the cache lacks -------------------------------------------
missing() {
	: >"$tmp/missing"
	local file sum uri
	while read -r file sum uri; do
		if [ -f "$state/archives/$file" ] &&
			[ "$(sha256sum <"$state/archives/$file")" = "$sum  -" ]; then
			continue
		fi
		printf '%s %s\n' "$file" "$uri" >>"$tmp/missing"
	done <"$tmp/debs"
	[ -s "$tmp/missing" ]
}
download() {
	local file uri name ver specs=()
	while read -r file uri; do
		name=${file%%_*} ver=${file#*_} ver=${ver%_*} ver=${ver//%3a/:}
		specs+=("$name=$ver")
	done <"$tmp/missing"
	say "$arch: downloading ${specs[*]}"
	(cd "$state/archives" && apt-get "${apt_opts[@]}" download "${specs[@]}") >&2
}
if missing && ! download; then
	if [ "$updated" = 0 ]; then
		# The mirror keeps only current versions: an old listing may name a
		# .deb that is gone.  Re-read the indexes and take what they list now.
		say "$arch: download failed; re-reading the indexes in case the mirror moved on"
		update_lists
		resolve || die 1 "$arch: cannot find ${pkgs[*]} after re-reading the indexes"
		if missing && ! download; then
			die 1 "$arch: download failed for: $(cut -d' ' -f2 "$tmp/missing" | tr '\n' ' ')"
		fi
	else
		die 1 "$arch: download failed for: $(cut -d' ' -f2 "$tmp/missing" | tr '\n' ' ')"
	fi
fi
missing && die 1 "$arch: after download, still missing or corrupt: $(cut -d' ' -f1 "$tmp/missing" | tr '\n' ' ')"

# --- unpack into DEST, unless it already holds exactly these .debs ------------
manifest=.apt-fetch.manifest
cut -d' ' -f1 "$tmp/debs" | sort -u >"$tmp/manifest"
if [ -e "$dest" ]; then
	if [ -f "$dest/$manifest" ]; then
		if cmp -s "$tmp/manifest" "$dest/$manifest"; then
			say "$arch: $dest is up to date ($(paste -sd' ' "$tmp/manifest"))"
			exit 0
		fi
	elif [ -n "$(ls -A "$dest" 2>/dev/null)" ] || [ ! -d "$dest" ]; then
		die 2 "--dest $dest exists and was not made by $prog (no $manifest): remove it or pick another directory"
	fi
fi
parent=$(dirname "$dest")
mkdir -p "$parent" || die 1 "cannot create $parent"
# Unpack beside DEST, then swap, so DEST never holds a half-unpacked mix.
staging=$(mktemp -d "$parent/.apt-fetch.XXXXXX") || die 1 "cannot create a staging directory in $parent"
while read -r file; do
	dpkg-deb -x "$state/archives/$file" "$staging" || die 1 "cannot unpack $state/archives/$file"
done <"$tmp/manifest"
cp "$tmp/manifest" "$staging/$manifest"
chmod 755 "$staging"
if [ -e "$dest" ]; then
	old=$parent/.apt-fetch.old.$$
	if ! { mv -- "$dest" "$old" && mv -- "$staging" "$dest" && rm -rf -- "$old"; }; then
		die 1 "cannot replace $dest"
	fi
else
	mv -- "$staging" "$dest" || die 1 "cannot move the unpacked files to $dest"
fi
staging=
say "$arch: unpacked into $dest: $(paste -sd' ' "$tmp/manifest")"
