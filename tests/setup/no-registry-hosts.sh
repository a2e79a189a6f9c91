#!/bin/bash
# tests/setup/no-registry-hosts.sh: no project file names a package registry's
# host.  The forbidden names are read at test time from this machine's apt
# configuration (its sources, disabled ones too, and the names of its index
# files) and npm's, so this file names none of them.  Each host and its parent
# domain are forbidden.  Project files: tracked and untracked files that git
# does not ignore, less the deps directory (fetched, never committed).
. "$(dirname "$0")/../lib.sh"
T=$T_TMP

# --- the forbidden host names -------------------------------------------------
{
	cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
		grep -oE '[A-Za-z][A-Za-z0-9+.-]*://[^/[:space:]"]+' | sed 's|^[^:]*://||; s|^.*@||; s|:[0-9]*$||'
	# Index file names start with the host: HOST_debian_dists_...
	for f in /var/lib/apt/lists/*_dists_*; do [ -e "$f" ] && f=${f##*/} && echo "${f%%_*}"; done
	command -v npm >/dev/null 2>&1 && npm config get registry 2>/dev/null | sed 's|^[^:]*://||; s|[:/].*||'
} | tr '[:upper:]' '[:lower:]' | grep -E '^[a-z0-9-]+(\.[a-z0-9-]+)+$' | grep -vE '^[0-9.]+$' |
	awk -F. '{ print } NF >= 3 { sub(/^[^.]*\./, ""); print }' | sort -u >"$T/forbidden"
[ -s "$T/forbidden" ] || t_skip "this machine's configuration names no registry host to check for"
printf '# checking for %d host names from the machine'\''s configuration\n' "$(wc -l <"$T/forbidden")"

# scan ROOT: prints "FILE: HOST" for each project file under ROOT naming one.
scan() {
	local root=$1 deps rel
	deps=$(cd "${GUESTVIEW_DEPS:-$root/deps}" 2>/dev/null && pwd)
	rel=${deps#"$root"/}
	(
		cd "$root" || exit 2
		if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
			git ls-files -z -co --exclude-standard
		else
			find . -path ./.git -prune -o -type f -printf '%P\0'
		fi | grep -zv -e '^deps/' ${rel:+-e "^$rel/"} |
			xargs -0r grep -IioHF -f "$T/forbidden" -s -- | sort -u
	)
}

# --- the scanner can fail: a scratch repository with a planted name ------------
host=$(head -n 1 "$T/forbidden")
mkdir -p "$T/repo/src" "$T/repo/deps" "$T/repo/build"
git -C "$T/repo" init -q
echo 'nothing to see' >"$T/repo/src/clean.c"
echo '/build/' >"$T/repo/.gitignore"
echo "fetched from $host" >"$T/repo/deps/fetched.txt"
echo "fetched from $host" >"$T/repo/build/log.txt"
t_eq "scratch repo: names in deps/ and ignored files do not count" "" "$(scan "$T/repo")"
git -C "$T/repo" add src/clean.c
echo "URIs: http://$host/debian" | tr '[:lower:]' '[:upper:]' >"$T/repo/src/untracked.sources"
t_eq "scratch repo: an untracked file naming a host (in any case) is found" \
	"src/untracked.sources:$(tr '[:lower:]' '[:upper:]' <<<"$host")" "$(scan "$T/repo")"
rm "$T/repo/src/untracked.sources"
echo "see https://$host/" >>"$T/repo/src/clean.c"
t_check "scratch repo: a tracked file naming a host is found" test -n "$(scan "$T/repo")"

# --- the project ----------------------------------------------------------------
scan "$T_ROOT" >"$T/found"
t_eq "no project file names a registry host" "" "$(cat "$T/found")"
t_done
