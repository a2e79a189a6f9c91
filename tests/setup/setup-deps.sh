#!/bin/bash
# tests/setup/setup-deps.sh: the decisions of scripts/setup-deps.sh, on a copy
# of it whose apt-fetch.sh is a stub (the real one has its own tests): the
# fast no-op, what re-does the work, the package lists, what it says and
# does when packages are missing (not root, no apt-get, --check, as root),
# and QEMU 10.0: fetched beside libfdt, and a failure to fetch it is a
# warning and a note for run_tests.sh, never a failed set-up.
# Package managers are simulated by small stand-ins on PATH; nothing is
# installed and nothing touches the network.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP
chmod 755 "$T"   # the not-root checks run as user nobody

S=$T/scripts
mkdir -p "$S" "$T/bin"
cp "$T_ROOT/scripts/setup-deps.sh" "$T_ROOT/scripts/apt-sources.sh" "$S/"
# Stub apt-fetch.sh: logs its arguments, sleeps a little (so two runs
# overlap), and unpacks a fake libfdt into --dest, or for QEMU 10.0 a fake
# qemu-system-aarch64 -- or fails as apt-fetch.sh does when FAIL_QEMU10 is
# set (BROKEN_QEMU10: unpacks a binary that does not run; EMPTY_QEMU10:
# succeeds but unpacks nothing).
cat >"$S/apt-fetch.sh" <<'EOF'
#!/bin/bash
echo "$*" >>"${0%/*}/fetch.log"
while [ $# -gt 0 ]; do [ "$1" = --dest ] && dest=$2; shift; done
sleep 0.2
case $dest in
*/qemu10)
	if [ -n "${FAIL_QEMU10-}" ]; then
		echo "apt-fetch.sh: amd64: reading the archive indexes" >&2
		echo "apt-fetch.sh: amd64: cannot find qemu-system-arm/bookworm-backports in the sources" >&2
		exit 1
	fi
	mkdir -p "$dest/usr/bin"
	if [ -n "${EMPTY_QEMU10-}" ]; then   # apt-fetch.sh exit 0, nothing unpacked
		: >"$dest/.apt-fetch.manifest"; exit 0
	fi
	echo "qemu-system-arm_1%3a10.0.2+ds-2+deb13u1~bpo12+1_amd64.deb" >"$dest/.apt-fetch.manifest"
	if [ -n "${BROKEN_QEMU10-}" ]; then
		printf '#!/bin/sh\necho "error while loading shared libraries: libfoo.so.1" >&2\nexit 127\n'
	else
		printf '#!/bin/sh\necho "QEMU emulator version 10.0.2"\n'
	fi >"$dest/usr/bin/qemu-system-aarch64"
	chmod 755 "$dest/usr/bin/qemu-system-aarch64" ;;
*)
	mkdir -p "$dest/usr/include" "$dest/usr/lib/aarch64-linux-gnu"
	: >"$dest/usr/include/libfdt.h"; : >"$dest/usr/lib/aarch64-linux-gnu/libfdt.a" ;;
esac
EOF
chmod 755 "$S"/*.sh
: >"$S/fetch.log"; chmod 666 "$S/fetch.log"
setup=$S/setup-deps.sh
fetches() { grep -c 'libfdt-dev$' "$S/fetch.log"; }        # libfdt's
q10_fetches() { grep -c 'qemu-system-arm/bookworm-backports$' "$S/fetch.log"; }
# Stand-in bin directories: the machine's tools less some, or plus fakes.
without() { # without DIR TOOL...: DIR gets links to every tool on PATH but TOOLs
	local d=$1 p f; shift
	mkdir -p "$d"
	# Earlier PATH entries win, as in a PATH search: ln skips names taken.
	for p in ${PATH//:/ }; do ln -s -t "$d" "$p"/* 2>/dev/null; done
	for f in "$@"; do rm -f "$d/$f"; done
}
# as_nobody CMD...: runs CMD as an ordinary user (already one if not root).
as_nobody() {
	if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; else "$@"; fi
}

export GUESTVIEW_DEPS=$T/deps GUESTVIEW_SETUP_PACKAGES=dpkg   # dpkg: installed everywhere
unset GUESTVIEW_QEMU10_RETRY FAIL_QEMU10 BROKEN_QEMU10
case $HOSTTYPE in aarch64) deb_arch=arm64 ;; *) deb_arch=amd64 ;; esac

# --- first run and the no-op -----------------------------------------------
t_status "first run" 0 "$setup"
t_eq "stdout's last line is the directory for ./configure --libfdt" "$T/deps/arm64/usr" "$(tail -n 1 "$T_OUT")"
t_eq "libfdt fetched once" 1 "$(fetches)"
t_eq "as arm64 libfdt-dev into deps/arm64" "--arch arm64 --dest $T/deps/arm64 libfdt-dev" "$(grep libfdt "$S/fetch.log")"
t_eq "QEMU 10.0 fetched once" 1 "$(q10_fetches)"
t_eq "from bookworm-backports, for the host's architecture, into deps/qemu10" \
	"--arch $deb_arch --suite-add bookworm-backports --dest $T/deps/qemu10 qemu-system-arm/bookworm-backports" \
	"$(grep qemu "$S/fetch.log")"
t_check "QEMU 10.0 is there" test -x "$T/deps/qemu10/usr/bin/qemu-system-aarch64"
t_check "no failure note" test ! -e "$T/deps/qemu10.unavailable"
t_check "a stamp records the success" test -s "$T/deps/.setup-deps.stamp"
stamp_before=$(stat -c %Y.%i "$T/deps/.setup-deps.stamp")

t_status "second run" 0 "$setup"
t_eq "prints only the directory" "$T/deps/arm64/usr" "$(cat "$T_OUT")"
t_eq "fetches nothing" 1 "$(fetches)"
t_eq "fetches no QEMU either" 1 "$(q10_fetches)"
t_eq "leaves the stamp alone" "$stamp_before" "$(stat -c %Y.%i "$T/deps/.setup-deps.stamp")"
best=999999
for _ in 1 2 3 4 5; do
	start=${EPOCHREALTIME/./}
	"$setup" >/dev/null 2>&1
	took=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	[ "$took" -lt "$best" ] && best=$took
done
t_check "the no-op takes under 50 ms (best of 5: ${best} ms)" test "$best" -lt 50

# --- what makes it do the work again ---------------------------------------
echo "# an edit" >>"$setup"
t_status "after an edit of the set-up script" 0 "$setup"
t_eq "the work is done again" 2 "$(fetches)"
rm "$T/deps/arm64/usr/lib/aarch64-linux-gnu/libfdt.a"
t_status "after libfdt.a disappears" 0 "$setup"
t_eq "it is fetched again" 3 "$(fetches)"
t_check "and is back" test -f "$T/deps/arm64/usr/lib/aarch64-linux-gnu/libfdt.a"
GUESTVIEW_SETUP_PACKAGES="dpkg bash" "$setup" >/dev/null 2>&1
t_eq "another package list is another set-up" 4 "$(fetches)"
"$setup" >/dev/null 2>&1   # back to the plain list: 5 fetches

# A tool gone from PATH (uninstalled by hand): the default x86_64 list's
# probes notice it without asking dpkg.  Needs those packages installed.
x86_packages="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm clang libclang-rt-14-dev libjson-c-dev python3 iproute2"
# shellcheck disable=SC2086 # the list, as words
if [ "$(dpkg-query -W -f='${db:Status-Abbrev}\n' $x86_packages 2>/dev/null | grep -c '^ii')" != 8 ]; then
	echo "# probe checks skipped: the x86_64 host packages are not installed here"
else
	(unset GUESTVIEW_SETUP_PACKAGES; GUESTVIEW_HOST_ARCH=x86_64 "$setup" >/dev/null 2>&1)
	n=$(fetches)
	(unset GUESTVIEW_SETUP_PACKAGES; GUESTVIEW_HOST_ARCH=x86_64 "$setup" >/dev/null 2>&1)
	t_eq "default list, all present: a no-op" "$n" "$(fetches)"
	without "$T/bin-nogcc" aarch64-linux-gnu-gcc
	(unset GUESTVIEW_SETUP_PACKAGES; GUESTVIEW_HOST_ARCH=x86_64 PATH=$T/bin-nogcc "$setup" >/dev/null 2>&1)
	t_eq "default list, cross compiler not on PATH: not a no-op" "$((n + 1))" "$(fetches)"
	without "$T/bin-noclang" clang
	(unset GUESTVIEW_SETUP_PACKAGES; GUESTVIEW_HOST_ARCH=x86_64 PATH=$T/bin-noclang "$setup" >/dev/null 2>&1)
	t_eq "default list, clang not on PATH: not a no-op" "$((n + 2))" "$(fetches)"
fi

# --- two makes at once ------------------------------------------------------
rm -rf "$T/deps"; : >"$S/fetch.log"
"$setup" >"$T/par1" 2>&1 & p1=$!
"$setup" >"$T/par2" 2>&1 & p2=$!
wait "$p1"; r1=$?; wait "$p2"; r2=$?
t_eq "two runs at once both succeed" "0 0" "$r1 $r2"
t_eq "and fetch once between them" 1 "$(fetches)"
t_eq "QEMU 10.0 too" 1 "$(q10_fetches)"

# --- QEMU 10.0: fetched always, but never fatal ------------------------------
export GUESTVIEW_DEPS=$T/deps-q10
q10_bin=$T/deps-q10/qemu10/usr/bin/qemu-system-aarch64 note=$T/deps-q10/qemu10.unavailable
t_status "fresh set-up, QEMU 10.0 cannot be fetched: succeeds all the same" 0 env FAIL_QEMU10=1 "$setup"
t_eq "and prints the directory for ./configure" "$T/deps-q10/arm64/usr" "$(tail -n 1 "$T_OUT")"
t_grep "warns, naming QEMU 10.0, apt-fetch.sh's reason and the consequence" \
	"^setup-deps.sh: warning: QEMU 10.0 \(qemu-system-arm from bookworm-backports\) could not be set up in $T/deps-q10/qemu10: apt-fetch.sh: amd64: cannot find qemu-system-arm/bookworm-backports in the sources; the cross-version migration tests will SKIP" "$T_OUT"
t_grep "shows apt-fetch.sh's own messages" "^apt-fetch.sh: amd64: reading the archive indexes$" "$T_OUT"
t_check "libfdt is set up" test -f "$T/deps-q10/arm64/usr/lib/aarch64-linux-gnu/libfdt.a"
t_check "the stamp is written: the rest is ready" test -s "$T/deps-q10/.setup-deps.stamp"
t_grep "a note for run_tests.sh: when, a tab, why" $'^[0-9]+\tQEMU 10\\.0 .*cannot find qemu-system-arm/bookworm-backports in the sources$' "$note"
n=$(q10_fetches) nl=$(fetches)
t_status "the next run, within a day" 0 env FAIL_QEMU10=1 "$setup"
t_eq "does not try again" "$n" "$(q10_fetches)"
t_grep "but warns again" "^setup-deps.sh: warning: QEMU 10.0 .* could not be set up" "$T_OUT"
t_eq "and prints the directory" "$T/deps-q10/arm64/usr" "$(tail -n 1 "$T_OUT")"
best=999999
for _ in 1 2 3; do
	start=${EPOCHREALTIME/./}
	FAIL_QEMU10=1 "$setup" >/dev/null 2>&1
	took=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	[ "$took" -lt "$best" ] && best=$took
done
t_check "that no-op takes under 50 ms too (best of 3: ${best} ms)" test "$best" -lt 50
t_status "once GUESTVIEW_QEMU10_RETRY seconds have passed" 0 env FAIL_QEMU10=1 GUESTVIEW_QEMU10_RETRY=0 "$setup"
t_eq "it tries again" "$((n + 1))" "$(q10_fetches)"
t_eq "QEMU 10.0 only: libfdt is not fetched again" "$nl" "$(fetches)"
t_status "and when the fetch works again" 0 env GUESTVIEW_QEMU10_RETRY=0 "$setup"
t_check "QEMU 10.0 is there" test -x "$q10_bin"
t_check "the note is gone" test ! -e "$note"
t_nogrep "no warning" "warning" "$T_OUT"
t_eq "still no libfdt fetch" "$nl" "$(fetches)"
rm -rf "$T/deps-q10/qemu10"
t_status "deps/qemu10 removed by hand" 0 "$setup"
t_eq "is fetched again" "$((n + 3))" "$(q10_fetches)"
t_eq "alone" "$nl" "$(fetches)"
rm -rf "$T/deps-q10/qemu10"
t_status "QEMU 10.0 unpacked but it does not run (a library missing)" 0 env BROKEN_QEMU10=1 "$setup"
t_grep "warns, with the binary's error" "warning: .*qemu-system-aarch64 does not run: error while loading shared libraries: libfoo.so.1" "$T_OUT"
t_check "and removes it: the tests would use it" test ! -e "$q10_bin"
t_check "the note says why" grep -q "does not run" "$note"
t_status "apt-fetch.sh succeeds but unpacks nothing" 0 env EMPTY_QEMU10=1 GUESTVIEW_QEMU10_RETRY=0 "$setup"
t_grep "warns that nothing was unpacked" "warning: .*apt-fetch.sh unpacked nothing for qemu-system-arm/bookworm-backports" "$T_OUT"
t_check "and leaves no empty deps/qemu10" test ! -e "$T/deps-q10/qemu10"
rm -f "$note"
t_status "--check, QEMU 10.0 missing, all else there: exit 0" 0 "$setup" --check
t_grep "says it is missing and what to run" \
	"warning: QEMU 10.0 is not in $T/deps-q10/qemu10; the cross-version migration tests will SKIP; fetch it with: .*/apt-fetch.sh --arch $deb_arch --suite-add bookworm-backports --dest $T/deps-q10/qemu10 qemu-system-arm/bookworm-backports$" "$T_OUT"
t_eq "--check fetches nothing" "$((n + 5))" "$(q10_fetches)"
# QEMU 10.0 for the host: amd64 on x86_64, arm64 on aarch64.
for h in x86_64:amd64 aarch64:arm64; do
	GUESTVIEW_DEPS=$T/deps-$h GUESTVIEW_HOST_ARCH=${h%:*} "$setup" >/dev/null 2>&1
	t_eq "${h%:*} host: QEMU 10.0 for ${h#*:}" \
		"--arch ${h#*:} --suite-add bookworm-backports --dest $T/deps-$h/qemu10 qemu-system-arm/bookworm-backports" \
		"$(grep -F "deps-$h/qemu10" "$S/fetch.log")"
done
t_status "a bad GUESTVIEW_QEMU10_RETRY" 2 env GUESTVIEW_QEMU10_RETRY=soon "$setup"
t_grep "is named" "GUESTVIEW_QEMU10_RETRY='soon' is not a number of seconds" "$T_OUT"

# --- package lists per host ---------------------------------------------------
# A dpkg-query that knows no package: every package is missing.
mkdir -p "$T/bin-nodpkg"
printf '#!/bin/sh\nexit 1\n' >"$T/bin-nodpkg/dpkg-query"; chmod 755 "$T/bin-nodpkg/dpkg-query"
unset GUESTVIEW_SETUP_PACKAGES
export GUESTVIEW_DEPS=$T/deps-lists
t_status "x86_64 host, --check, nothing installed" 1 env GUESTVIEW_HOST_ARCH=x86_64 PATH="$T/bin-nodpkg:$PATH" "$setup" --check
t_grep "wants the cross compiler, cross libc headers, QEMU and what make check uses" \
	'missing Debian packages: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm clang libclang-rt-14-dev libjson-c-dev python3 iproute2 cpio xz-utils procps$' "$T_OUT"
t_status "aarch64 host, --check, nothing installed" 1 env GUESTVIEW_HOST_ARCH=aarch64 PATH="$T/bin-nodpkg:$PATH" "$setup" --check
t_grep "wants the native compiler, libc headers, QEMU and what make check uses" \
	'missing Debian packages: gcc libc6-dev qemu-system-arm clang libclang-rt-14-dev libjson-c-dev python3 iproute2 cpio xz-utils procps$' "$T_OUT"
t_status "another host architecture" 2 env GUESTVIEW_HOST_ARCH=riscv64 "$setup"
t_grep "is refused by name" "host architecture 'riscv64' is not supported" "$T_OUT"
t_status "an unknown option" 2 "$setup" --install-everything
t_grep "is named" "unknown option '--install-everything'" "$T_OUT"

# --- missing packages -----------------------------------------------------------
export GUESTVIEW_DEPS=$T/deps-missing GUESTVIEW_SETUP_PACKAGES="dpkg guestview-no-such-package"
mkdir -m 777 "$GUESTVIEW_DEPS"
: >"$S/fetch.log"
cmd='apt-get update && apt-get install -y --no-install-recommends guestview-no-such-package'
t_status "not root, a package missing: exit 1" 1 as_nobody "$setup"
t_grep "names the missing package" 'missing Debian packages: guestview-no-such-package$' "$T_OUT"
t_grep "prints the exact command to run as root" "^${cmd}\$" "$T_OUT"
t_nogrep "prints no directory on stdout" "^$T/deps-missing/arm64/usr\$" "$T_OUT"
t_check "writes no stamp" test ! -e "$GUESTVIEW_DEPS/.setup-deps.stamp"
t_eq "fetches nothing" 0 "$(fetches)"

without "$T/bin-noapt" apt-get apt-cache
t_status "no apt-get, a package missing: exit 1" 1 env PATH="$T/bin-noapt" "$setup"
t_grep "says there is no apt-get and names the package" 'no apt-get.*guestview-no-such-package' "$T_OUT"

t_status "--check, a package missing: exit 1" 1 "$setup" --check
t_grep "prints the exact command" "$cmd" "$T_OUT"
t_status "--check, packages there but libfdt not fetched: exit 1" 1 env GUESTVIEW_SETUP_PACKAGES=dpkg "$setup" --check
t_grep "names the fetch to run" 'apt-fetch.sh --arch arm64 --dest .*/deps-missing/arm64 libfdt-dev' "$T_OUT"
t_eq "--check fetches nothing" 0 "$(fetches)"

# As root with apt-get: it installs.  A stand-in apt-get/apt-cache record
# what would run; apt-cache knows no candidate, so the lists are read first.
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$T/bin-fakeapt"
	# shellcheck disable=SC2016 # $* and $1 belong to the stand-in script
	printf '#!/bin/sh\necho "apt-get $*" >>%s/apt.log\n[ "$1" != install ] || [ -z "${FAIL_INSTALL-}" ]\n' "$T" >"$T/bin-fakeapt/apt-get"
	printf '#!/bin/sh\necho "apt-cache $*" >>%s/apt.log\necho "  Candidate: (none)"\n' "$T" >"$T/bin-fakeapt/apt-cache"
	chmod 755 "$T/bin-fakeapt"/*
	t_status "root, a package missing: installs it" 0 env PATH="$T/bin-fakeapt:$PATH" "$setup"
	t_eq "apt-get update (package unknown to apt-cache), then install with no recommends" \
		"apt-cache policy guestview-no-such-package|apt-get update -q|apt-get install -y -q --no-install-recommends guestview-no-such-package" \
		"$(tr '\n' '|' <"$T/apt.log" | sed 's/|$//')"
	t_eq "then fetches libfdt" 1 "$(fetches)"
	rm -f "$GUESTVIEW_DEPS/.setup-deps.stamp"
	t_status "root, apt-get install fails: exit 3" 3 env FAIL_INSTALL=1 PATH="$T/bin-fakeapt:$PATH" "$setup"
	t_grep "naming the packages" 'apt-get install failed for: guestview-no-such-package' "$T_OUT"
fi
t_done
