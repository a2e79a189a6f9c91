#!/bin/bash
# scripts/apt-sources.sh: lists the Debian archive entries this machine's own
# apt configuration uses, so that the project's private apt configuration
# (scripts/apt-fetch.sh) talks to the same mirror with the same keys, without
# any mirror host name being written into the project.
#
# Usage: apt-sources.sh [--etc DIR]
#   --etc DIR   read DIR/sources.list and DIR/sources.list.d/ instead of the
#               files apt itself is configured to read (env GUESTVIEW_APT_ETC
#               does the same; meant for tests and odd set-ups).
#
# Output, one line per (archive, suite), tab-separated, in apt's reading order:
#   ROLE  URI  SUITE  SIGNED-BY
# ROLE is "debian" (the main archive: URI path ends in /debian) or
# "debian-security" (path ends in /debian-security); a trailing snapshot time
# stamp (/20250520T000000Z) is allowed after either.  SIGNED-BY is the entry's
# Signed-By value with paths/fingerprints joined by ",", or "-" when the entry
# has none (apt then trusts /etc/apt/trusted.gpg.d, and so will we).  An
# inline key block (deb822 allows one) is written to a file under
# $GUESTVIEW_APT_KEYDIR (required then) and that file's path is printed.
#
# Files are read as apt reads them: the main list in one-line format, then the
# parts directory's *.list (one-line) and *.sources (deb822) files whose names
# use only [A-Za-z0-9_.-], in sorted order.  Anything else (foo.list.disabled,
# foo.sources.bak) is ignored, as apt ignores it.  deb-src entries, entries
# with "Enabled: no", and other archives (third-party repositories) are skipped.
#
# Exit status: 0 at least one entry printed; 1 none found (the message names
# the files read); 2 usage error.
set -u
prog=${0##*/}

etc=${GUESTVIEW_APT_ETC:-}
while [ $# -gt 0 ]; do
	case $1 in
	--etc) [ $# -ge 2 ] || { echo "$prog: option --etc needs a directory" >&2; exit 2; }
		etc=$2; shift 2 ;;
	-h|--help) sed -n '2,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) echo "$prog: unknown option or argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done

if [ -n "$etc" ]; then
	[ -d "$etc" ] || { echo "$prog: --etc/GUESTVIEW_APT_ETC '$etc' is not a directory" >&2; exit 2; }
	main_list=$etc/sources.list parts_dir=$etc/sources.list.d
elif command -v apt-config >/dev/null 2>&1; then
	# Ask apt, so a machine that moved its sources elsewhere is still read right.
	main_list=/etc/apt/sources.list parts_dir=/etc/apt/sources.list.d
	eval "$(apt-config shell main_list Dir::Etc::sourcelist/f parts_dir Dir::Etc::sourceparts/d)"
	parts_dir=${parts_dir%/}
else
	main_list=/etc/apt/sources.list parts_dir=/etc/apt/sources.list.d
fi

files=()
[ -f "$main_list" ] && files+=("$main_list")
if [ -d "$parts_dir" ]; then
	# Glob order is sorted (C collation below), matching apt's sorted reading.
	for f in "$parts_dir"/*; do
		name=${f##*/}
		[[ $name =~ ^[A-Za-z0-9_.-]+\.(list|sources)$ ]] || continue
		[ -f "$f" ] && files+=("$f")
	done
fi
[ ${#files[@]} -gt 0 ] || { echo "$prog: no apt sources found: neither $main_list nor $parts_dir/*.list|*.sources exists" >&2; exit 1; }

out=$(LC_ALL=C awk -v keydir="${GUESTVIEW_APT_KEYDIR:-}" -v prog="$prog" '
	function role(uri,   p) {
		p = uri
		sub(/\/+$/, "", p)
		# snapshot time stamp; spelled out since mawk has no {n} intervals
		sub(/\/[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z$/, "", p)
		if (p ~ /\/debian$/) return "debian"
		if (p ~ /\/debian-security$/) return "debian-security"
		return ""
	}
	function emit(uri, suite, signed,   r, key) {
		if (suite ~ /\/$/ || suite ~ /\$\(/) return   # flat repository or variable: not an archive suite
		r = role(uri)
		if (r == "") return
		sub(/\/+$/, "", uri)
		if (signed == "") signed = "-"
		key = r "\t" uri "\t" suite "\t" signed
		if (!(key in seen)) { seen[key] = 1; print key }
	}
	# One-line format: deb [opt=val ...] URI SUITE [COMPONENT...]
	function oneline(line,   n, w, i, signed, opts, o, kv) {
		sub(/#.*/, "", line)
		n = split(line, w, /[ \t]+/)
		i = 1
		if (w[i] == "") i++
		if (w[i] != "deb") return
		i++
		signed = ""
		if (substr(w[i], 1, 1) == "[") {
			opts = ""
			while (i <= n) { opts = opts " " w[i]; if (w[i] ~ /\]$/) { i++; break } ; i++ }
			gsub(/[][]/, "", opts)
			split(opts, o, /[ \t]+/)
			for (kv in o) if (tolower(o[kv]) ~ /^signed-by=/) signed = substr(o[kv], 11)
		}
		if (i + 1 <= n && w[i + 1] != "") emit(w[i], w[i + 1], signed)
		else printf "%s: %s:%d: skipped: a deb line needs a URI and a suite\n", prog, FILENAME, FNR > "/dev/stderr"
	}
	# deb822 paragraph held in f[] (lower-case keys).
	function paragraph(   t, u, s, nu, ns, a, b, signed) {
		if (tolower(f["enabled"]) == "no" || !(" " f["types"] " " ~ /[ \t]deb[ \t]/)) { delete f; return }
		signed = f["signed-by"]
		if (signed ~ /BEGIN PGP PUBLIC KEY BLOCK/) signed = inline_key(signed)
		else { gsub(/^[ \t\n]+|[ \t\n]+$/, "", signed); gsub(/[ \t\n,]+/, ",", signed) }
		nu = split(f["uris"], u, /[ \t\n]+/)
		ns = split(f["suites"], s, /[ \t\n]+/)
		for (a = 1; a <= nu; a++) if (u[a] != "")
			for (b = 1; b <= ns; b++) if (s[b] != "") emit(u[a], s[b], signed)
		delete f
	}
	function inline_key(text,   path, n, l, i) {
		if (keydir == "") { printf "%s: %s: inline Signed-By key needs GUESTVIEW_APT_KEYDIR to be set\n", prog, FILENAME > "/dev/stderr"; return "" }
		path = keydir "/inline-" (++nkeys) ".asc"
		n = split(text, l, "\n")
		printf "" > path
		for (i = 1; i <= n; i++) {
			sub(/^[ \t]+/, "", l[i]); if (l[i] == ".") l[i] = ""
			if (l[i] != "" || i > 1) print l[i] > path
		}
		close(path)
		return path
	}
	FNR == 1 { if (NR > 1 && deb822) paragraph(); deb822 = (FILENAME ~ /\.sources$/); key = "" }
	!deb822 { oneline($0); next }
	/^#/ { next }
	/^[ \t]*$/ { paragraph(); key = ""; next }
	/^[ \t]/ { if (key != "") f[key] = f[key] "\n" $0; next }
	!/^[A-Za-z][A-Za-z0-9-]*:/ { printf "%s: %s:%d: skipped: not a \"Field: value\" line\n", prog, FILENAME, FNR > "/dev/stderr"; next }
	{
		key = tolower(substr($0, 1, index($0, ":") - 1))
		val = substr($0, index($0, ":") + 1)
		sub(/^[ \t]+/, "", val)
		f[key] = val
	}
	END { if (deb822) paragraph() }
' "${files[@]}")

if [ -z "$out" ]; then
	echo "$prog: no Debian archive entry (URI ending in /debian or /debian-security, type deb) in: ${files[*]}" >&2
	exit 1
fi
printf '%s\n' "$out"
