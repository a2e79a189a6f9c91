#!/bin/bash
# tests/setup/apt-sources.sh: scripts/apt-sources.sh finds the Debian archive
# entries in sample apt configurations (one-line and deb822 formats), the way
# apt reads them: disabled files, deb-src and "Enabled: no" entries ignored.
# All host names are fake (.invalid); nothing touches the network.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP
sources=$T_ROOT/scripts/apt-sources.sh

etc=$T/etc
mkdir -p "$etc/sources.list.d"
cat >"$etc/sources.list" <<'EOF'
# one-line format, with options and a trailing comment
deb [ arch=amd64 signed-by=/keys/one.gpg ] http://one.invalid/debian/ bookworm main contrib # comment
deb-src http://one.invalid/debian bookworm main
deb http://one.invalid/debian-security bookworm-security main
deb http://snapshot.invalid/archive/debian/20250520T000000Z bookworm main
deb https://thirdparty.invalid/apt cloud-sdk-bookworm main
deb https://thirdparty.invalid/debian/12/prod bookworm main
EOF
cat >"$etc/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://mirror.invalid/debian
# a comment inside a paragraph
Suites: bookworm
 bookworm-updates
Components: main
Signed-By: /keys/a.gpg
 /keys/b.gpg

Enabled: no
Types: deb
URIs: http://off.invalid/debian
Suites: bookworm
Components: main

Types: deb-src
URIs: http://src.invalid/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://inline.invalid/debian
Suites: trixie
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 bWFkZS11cC1rZXk=
 -----END PGP PUBLIC KEY BLOCK-----
EOF
# Files apt ignores, as it ignores them.
printf 'deb http://disabled.invalid/debian bookworm main\n' >"$etc/sources.list.d/cloud.list.disabled-by-farm"
printf 'Types: deb\nURIs: http://disabled.invalid/debian\nSuites: bookworm\nComponents: main\n' \
	>"$etc/sources.list.d/node.sources.disabled-by-farm"
printf 'deb http://badname.invalid/debian bookworm main\n' >"$etc/sources.list.d/bad name.list"
printf 'deb http://parts.invalid/debian bookworm-backports main\n' >"$etc/sources.list.d/zz-backports.list"

mkdir -p "$T/keys"
t_status "reads the sample configuration" 0 env GUESTVIEW_APT_KEYDIR="$T/keys" "$sources" --etc "$etc"
out=$T_OUT
tab=$'\t'
t_grep "one-line entry with options: URI without trailing slash, signed-by kept" \
	"^debian${tab}http://one.invalid/debian${tab}bookworm${tab}/keys/one.gpg$" "$out"
t_grep "one-line security entry, no signed-by shown as -" \
	"^debian-security${tab}http://one.invalid/debian-security${tab}bookworm-security${tab}-$" "$out"
t_grep "snapshot URI counts as the main archive" \
	"^debian${tab}http://snapshot.invalid/archive/debian/20250520T000000Z${tab}bookworm${tab}-$" "$out"
t_grep "deb822: each suite of a multi-line Suites field, keys joined by commas" \
	"^debian${tab}http://mirror.invalid/debian${tab}bookworm-updates${tab}/keys/a.gpg,/keys/b.gpg$" "$out"
t_grep "parts file *.list is read" "^debian${tab}http://parts.invalid/debian${tab}bookworm-backports" "$out"
t_nogrep "files with other suffixes (.disabled-by-farm) are ignored" "disabled.invalid" "$out"
t_nogrep "file names apt rejects (a space) are ignored" "badname.invalid" "$out"
t_nogrep "Enabled: no is ignored" "off.invalid" "$out"
t_nogrep "deb-src entries are ignored" "src.invalid" "$out"
t_nogrep "third-party repositories are not taken for Debian" "thirdparty.invalid" "$out"
t_eq "apt's order: sources.list first, then parts in name order" \
	"one.invalid one.invalid snapshot.invalid mirror.invalid mirror.invalid inline.invalid parts.invalid" \
	"$(cut -f2 "$out" | sed 's|^[a-z]*://||; s|/.*||' | tr '\n' ' ' | sed 's/ $//')"
key=$(awk -F'\t' '/inline.invalid/ { print $4 }' "$out")
t_check "an inline Signed-By key is written to a key file" test -f "$key"
t_eq "the inline key file is the armored key, de-indented, its \" .\" line blank again" \
	"-----BEGIN PGP PUBLIC KEY BLOCK-----||bWFkZS11cC1rZXk=|-----END PGP PUBLIC KEY BLOCK-----|" "$(tr '\n' '|' <"$key")"

# A machine whose sources name no Debian archive: exit 1 naming the files.
mkdir -p "$T/none/sources.list.d"
printf 'deb https://thirdparty.invalid/apt stable main\n' >"$T/none/sources.list"
t_status "no Debian archive: exit status 1" 1 "$sources" --etc "$T/none"
t_grep "the message names the file read" "$T/none/sources.list" "$T_OUT"

# Malformed lines are skipped with FILE:LINE.
mkdir -p "$T/bad/sources.list.d"
printf 'deb http://mirror.invalid/debian\ndeb http://mirror.invalid/debian bookworm main\n' >"$T/bad/sources.list"
printf 'Types: deb\nURIs http://mirror.invalid/debian\n' >"$T/bad/sources.list.d/x.sources"
t_status "malformed lines do not stop the good ones" 0 "$sources" --etc "$T/bad"
t_grep "a one-line entry without suite is reported with file and line" "$T/bad/sources.list:1: skipped" "$T_OUT"
t_grep "a deb822 line without colon is reported with file and line" "$T/bad/sources.list.d/x.sources:2: skipped" "$T_OUT"

t_status "--etc on a missing directory is a usage error" 2 "$sources" --etc "$T/nowhere"
t_grep "which names the option" "^apt-sources.sh: --etc" "$T_OUT"
t_status "an unknown option is a usage error" 2 "$sources" --bogus
t_grep "which names the option" "'--bogus'" "$T_OUT"

# The machine's own configuration gives at least one Debian archive.
if [ -d /etc/apt ] && command -v apt-config >/dev/null; then
	t_status "the machine's own apt sources name a Debian archive" 0 "$sources"
fi
t_done
