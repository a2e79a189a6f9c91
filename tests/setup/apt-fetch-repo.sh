#!/bin/bash
# tests/setup/apt-fetch-repo.sh: scripts/apt-fetch.sh and scripts/setup-deps.sh
# against a small Debian archive made here (file: URIs, signed with a key made
# here), so fetching, signature checks, the cache, a mirror that dropped the
# listed version, backports and --with-deps are tested without network.
# Skips (77) without gpg, which signing the test archive needs.
. "$(dirname "$0")/../lib.sh"
command -v gpg >/dev/null 2>&1 || t_skip "gpg is not installed (apt-get install gpg)"
command -v dpkg-deb >/dev/null 2>&1 || t_skip "dpkg-deb is not installed"
T=$T_TMP
chmod 755 "$T"   # as root, apt reads file: URIs as user _apt
export GNUPGHOME=$T/gnupg
mkdir -m 700 "$GNUPGHOME"
# gpg starts an agent: stop it with the test, leaving no process behind.
trap 'gpgconf --kill all >/dev/null 2>&1; rm -rf -- "$T_TMP"' EXIT
fetch=$T_ROOT/scripts/apt-fetch.sh

# --- a signed archive: $T/repo/debian (main, backports), $T/repo/debian-security
newkey() { # newkey NAME: makes a signing key, exports it to $T/NAME.gpg
	gpg -q --batch --pinentry-mode loopback --passphrase '' \
		--quick-gen-key "guestview $1 <$1@guestview.invalid>" ed25519 sign never 2>/dev/null &&
		gpg -q --batch --export "$1@guestview.invalid" >"$T/$1.gpg"
}
newkey archive || { t_fail "cannot make a gpg key"; t_done; }
newkey stranger
mkdeb() { # mkdeb NAME VERSION [DEPENDS]: builds $T/repo/debian/pool/NAME_VERSION_arm64.deb
	local d=$T/build/$1_$2
	mkdir -p "$d/DEBIAN" "$d/usr/share/$1" "$T/repo/debian/pool"
	printf 'Package: %s\nVersion: %s\nArchitecture: arm64\nMaintainer: test <test@guestview.invalid>\n%sDescription: test package\n' \
		"$1" "$2" "${3:+Depends: $3
}" >"$d/DEBIAN/control"
	echo "$2" >"$d/usr/share/$1/version"
	: >"$d/usr/share/$1/only-in-$2"
	if [ "$1" = libfdt-dev ]; then
		mkdir -p "$d/usr/include" "$d/usr/lib/aarch64-linux-gnu"
		echo "/* libfdt.h $2 */" >"$d/usr/include/libfdt.h"
		echo "libfdt.a $2" >"$d/usr/lib/aarch64-linux-gnu/libfdt.a"
	fi
	dpkg-deb --root-owner-group -Zgzip -b "$d" "$T/repo/debian/pool/$1_$2_arm64.deb" >/dev/null
}
publish() { # publish ROOT SUITE "EXTRA RELEASE FIELDS" DEB...: (re)writes the suite's indexes and signs them
	local root=$1 suite=$2 extra=$3 dir deb; shift 3
	dir=$root/dists/$suite
	mkdir -p "$dir/main/binary-arm64"
	for deb in "$@"; do
		dpkg-deb -f "$root/$deb"
		printf 'Filename: %s\nSize: %s\nSHA256: %s\n\n' "$deb" "$(stat -c %s "$root/$deb")" "$(sha256sum <"$root/$deb" | cut -d' ' -f1)"
	done >"$dir/main/binary-arm64/Packages"
	{
		printf 'Suite: %s\nCodename: %s\nDate: %s\nArchitectures: arm64\nComponents: main\n%s' \
			"$suite" "$suite" "$(date -Ru)" "$extra"
		printf 'SHA256:\n %s %s main/binary-arm64/Packages\n' \
			"$(sha256sum <"$dir/main/binary-arm64/Packages" | cut -d' ' -f1)" "$(stat -c %s "$dir/main/binary-arm64/Packages")"
	} >"$dir/Release"
	rm -f "$dir/InRelease"
	gpg -q --batch --pinentry-mode loopback --passphrase '' -u archive@guestview.invalid \
		--clearsign -o "$dir/InRelease" "$dir/Release"
}
mkdeb libfdt1 1.0-1
mkdeb libfdt-dev 1.0-1 'libfdt1 (= 1.0-1)'
mkdeb libfdt-dev 2.0-1~bpo12+1 'libfdt1'
publish "$T/repo/debian" bookworm "" pool/libfdt1_1.0-1_arm64.deb pool/libfdt-dev_1.0-1_arm64.deb
publish "$T/repo/debian" bookworm-backports $'NotAutomatic: yes\nButAutomaticUpgrades: yes\n' \
	pool/libfdt1_1.0-1_arm64.deb "pool/libfdt-dev_2.0-1~bpo12+1_arm64.deb"
publish "$T/repo/debian-security" bookworm-security ""

sources() { # sources DIR KEY: an apt configuration naming the test archive
	mkdir -p "$1/sources.list.d"
	cat >"$1/sources.list.d/debian.sources" <<-EOF
	Types: deb
	URIs: file:$T/repo/debian
	Suites: bookworm
	Components: main
	Signed-By: $2

	Types: deb
	URIs: file:$T/repo/debian-security
	Suites: bookworm-security
	Components: main
	Signed-By: $2
	EOF
}
sources "$T/etc" "$T/archive.gpg"
sources "$T/etc-wrong-key" "$T/stranger.gpg"
export GUESTVIEW_APT_ETC=$T/etc GUESTVIEW_DEPS=$T/deps
printf 'Acquire::Retries "0";\n' >"$T/apt.conf"
export APT_CONFIG=$T/apt.conf
manifest() { tr '\n' ' ' <"$1/.apt-fetch.manifest" | sed 's/ $//'; }

# --- fetching ------------------------------------------------------------------
t_status "fetch libfdt-dev for arm64" 0 "$fetch" --arch arm64 --dest "$T/out/a" libfdt-dev
t_check "libfdt.h unpacked" test -f "$T/out/a/usr/include/libfdt.h"
t_check "libfdt.a unpacked" test -f "$T/out/a/usr/lib/aarch64-linux-gnu/libfdt.a"
t_eq "only the named package, at the listed version" "libfdt-dev_1.0-1_arm64.deb" "$(manifest "$T/out/a")"
t_check "the .deb is kept in the cache" test -f "$T/deps/cache/arm64/archives/libfdt-dev_1.0-1_arm64.deb"
t_check "the private apt state is under the deps dir" test -f "$T/deps/cache/arm64/apt.conf"

before=$(stat -c %Y.%i "$T/out/a/.apt-fetch.manifest")
t_status "second run" 0 "$fetch" --arch arm64 --dest "$T/out/a" libfdt-dev
t_grep "says the destination is up to date" 'is up to date' "$T_OUT"
t_nogrep "reads no index and downloads nothing" 'reading the archive indexes|downloading' "$T_OUT"
t_eq "leaves the destination alone" "$before" "$(stat -c %Y.%i "$T/out/a/.apt-fetch.manifest")"

t_status "--with-deps" 0 "$fetch" --arch arm64 --with-deps --dest "$T/out/deps" libfdt-dev
t_eq "unpacks the dependency closure" "libfdt-dev_1.0-1_arm64.deb libfdt1_1.0-1_arm64.deb" "$(manifest "$T/out/deps")"

# --- backports ---------------------------------------------------------------
t_status "--suite-add bookworm-backports PKG" 0 "$fetch" --arch arm64 --suite-add bookworm-backports --dest "$T/out/bpo" libfdt-dev
t_eq "takes the main suite's version (backports are opt-in, as in apt)" "libfdt-dev_1.0-1_arm64.deb" "$(manifest "$T/out/bpo")"
t_check "with its own private state" test -f "$T/deps/cache/arm64+bookworm-backports/sources.list"
t_status "--suite-add bookworm-backports PKG/bookworm-backports" 0 \
	"$fetch" --arch arm64 --suite-add bookworm-backports --dest "$T/out/bpo" libfdt-dev/bookworm-backports
t_eq "takes the backports version" "libfdt-dev_2.0-1~bpo12+1_arm64.deb" "$(manifest "$T/out/bpo")"
t_check "and re-made the destination without the old version's files" test ! -e "$T/out/bpo/usr/share/libfdt-dev/only-in-1.0-1"
t_status "--target-release bookworm-backports" 0 \
	"$fetch" --arch arm64 --suite-add bookworm-backports --target-release bookworm-backports --dest "$T/out/bpo2" libfdt-dev
t_eq "takes the backports version too" "libfdt-dev_2.0-1~bpo12+1_arm64.deb" "$(manifest "$T/out/bpo2")"
# A cache whose update was cut short: a fresh stamp, one suite's index
# missing.  The indexes are read again, not trusted for a day.
# (What is fetched comes from the main suite: nothing else would notice.)
rm -f "$T/deps/cache/arm64+bookworm-backports/lists/"*_dists_bookworm-backports_InRelease
t_status "a cache missing a suite's index" 0 \
	"$fetch" --arch arm64 --suite-add bookworm-backports --dest "$T/out/bpo3" libfdt-dev
t_grep "... reads the indexes again" 'reading the archive indexes' "$T_OUT"
t_check "... and has that suite's index again" \
	test -n "$(compgen -G "$T/deps/cache/arm64+bookworm-backports/lists/*_dists_bookworm-backports_InRelease")"
# Reached through a symlink (a checkout whose deps is another's): apt.conf
# names the real directory, not the path of the checkout that wrote it.
ln -s "$T/deps" "$T/deps-link"
t_status "a cache reached through a symlink" 0 \
	env GUESTVIEW_DEPS="$T/deps-link" "$fetch" --arch arm64 --dest "$T/out/a" libfdt-dev
t_grep "... apt.conf names the real directory" "^Dir::State::lists \"$(cd "$T/deps" && pwd -P)/cache/arm64/lists\";" \
	"$T/deps/cache/arm64/apt.conf"

# --- errors ------------------------------------------------------------------
t_status "an archive signed by another key is refused" 1 \
	env GUESTVIEW_APT_ETC="$T/etc-wrong-key" GUESTVIEW_DEPS="$T/deps-wrong-key" "$fetch" --arch arm64 --dest "$T/out/wrong" libfdt-dev
t_grep "apt names the signature problem" 'NO_PUBKEY|not signed|signatures|signature' "$T_OUT"
t_check "and nothing was unpacked" test ! -e "$T/out/wrong"
t_status "an unknown package: exit 1" 1 "$fetch" --arch arm64 --dest "$T/out/none" no-such-package
t_grep "the message names the package" 'no-such-package' "$T_OUT"
mkdir -p "$T/out/mine" && echo keep >"$T/out/mine/notes"
t_status "a destination not made by apt-fetch.sh is refused" 2 "$fetch" --arch arm64 --dest "$T/out/mine" libfdt-dev
t_grep "with a message naming it" "$T/out/mine exists and was not made by" "$T_OUT"
t_eq "and left as it was" keep "$(cat "$T/out/mine/notes")"

# --- the mirror moves on: 1.0-1 is replaced by 1.0-2 and deleted ----------------
mkdeb libfdt-dev 1.0-2 'libfdt1 (= 1.0-1)'
rm "$T/repo/debian/pool/libfdt-dev_1.0-1_arm64.deb"
sleep 1   # a new Date in the Release file
publish "$T/repo/debian" bookworm "" pool/libfdt1_1.0-1_arm64.deb pool/libfdt-dev_1.0-2_arm64.deb
t_status "with recent indexes and the .deb cached, a re-run needs no mirror" 0 "$fetch" --arch arm64 --dest "$T/out/a" libfdt-dev
t_eq "and keeps the cached version" "libfdt-dev_1.0-1_arm64.deb" "$(manifest "$T/out/a")"
rm "$T/deps/cache/arm64/archives/"*.deb
t_status "the listed .deb is gone from the mirror and from the cache" 0 "$fetch" --arch arm64 --dest "$T/out/rotated" libfdt-dev
t_grep "the failed download makes it re-read the indexes" 're-reading the indexes' "$T_OUT"
t_eq "and fetch the version the mirror lists now" "libfdt-dev_1.0-2_arm64.deb" "$(manifest "$T/out/rotated")"

# --- a new version, still with the old one on the mirror: the index age decides
mkdeb libfdt-dev 1.0-3 'libfdt1 (= 1.0-1)'
sleep 1
publish "$T/repo/debian" bookworm "" pool/libfdt1_1.0-1_arm64.deb pool/libfdt-dev_1.0-3_arm64.deb
t_status "indexes younger than GUESTVIEW_APT_LISTS_MAX_AGE are used as they are" 0 "$fetch" --arch arm64 --dest "$T/out/a" libfdt-dev
t_eq "so the version they list (1.0-2, read above) is taken, not 1.0-3" "libfdt-dev_1.0-2_arm64.deb" "$(manifest "$T/out/a")"
t_status "indexes older than GUESTVIEW_APT_LISTS_MAX_AGE are re-read" 0 \
	env GUESTVIEW_APT_LISTS_MAX_AGE=0 "$fetch" --arch arm64 --dest "$T/out/a" libfdt-dev
t_eq "and the destination follows the new version" "libfdt-dev_1.0-3_arm64.deb" "$(manifest "$T/out/a")"
t_check "without the old version's files" test ! -e "$T/out/a/usr/share/libfdt-dev/only-in-1.0-1"

# --- scripts/setup-deps.sh end to end, with packages that are installed ------
export GUESTVIEW_DEPS=$T/deps-setup GUESTVIEW_SETUP_PACKAGES=dpkg
t_status "setup-deps.sh on a fresh deps directory" 0 "$T_ROOT/scripts/setup-deps.sh"
t_eq "prints the libfdt directory for configure" "$T/deps-setup/arm64/usr" "$(tail -n 1 "$T_OUT")"
t_check "which has include/libfdt.h" test -f "$T/deps-setup/arm64/usr/include/libfdt.h"
t_check "and lib/aarch64-linux-gnu/libfdt.a" test -f "$T/deps-setup/arm64/usr/lib/aarch64-linux-gnu/libfdt.a"
# This archive has no QEMU 10.0: the set-up says so and goes on.
t_grep "no QEMU 10.0 in the archive: a warning, not a failure" \
	"^setup-deps.sh: warning: QEMU 10.0 .*could not be set up in $T/deps-setup/qemu10: .*; the cross-version migration tests will SKIP" "$T_OUT"
t_check "and no empty deps/qemu10 left behind" test ! -e "$T/deps-setup/qemu10"
t_status "setup-deps.sh again" 0 "$T_ROOT/scripts/setup-deps.sh"
t_eq "prints only the directory on stdout: a no-op" "$T/deps-setup/arm64/usr" "$("$T_ROOT/scripts/setup-deps.sh" 2>"$T/setup.err")"
t_eq "and on stderr only the QEMU 10.0 warning (nothing fetched, no index read)" 1 "$(wc -l <"$T/setup.err")"
t_done
