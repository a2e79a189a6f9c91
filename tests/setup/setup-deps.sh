#!/bin/bash
# tests/setup/setup-deps.sh: the decisions of scripts/setup-deps.sh, on a copy
# of it whose apt-fetch.sh is a stub (the real one has its own tests): the
# fast no-op, what re-does the work, the package lists, and what it says and
# does when packages are missing (not root, no apt-get, --check, as root).
# Package managers are simulated by small stand-ins on PATH; nothing is
# installed and nothing touches the network.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP
chmod 755 "$T"   # the not-root checks run as user nobody

S=$T/scripts
mkdir -p "$S" "$T/bin"
cp "$T_ROOT/scripts/setup-deps.sh" "$T_ROOT/scripts/apt-sources.sh" "$S/"
# Stub apt-fetch.sh: logs its arguments, sleeps a little (so two runs
# overlap), and unpacks a fake libfdt into --dest.
cat >"$S/apt-fetch.sh" <<'EOF'
#!/bin/bash
echo "$*" >>"${0%/*}/fetch.log"
while [ $# -gt 0 ]; do [ "$1" = --dest ] && dest=$2; shift; done
sleep 0.2
mkdir -p "$dest/usr/include" "$dest/usr/lib/aarch64-linux-gnu"
: >"$dest/usr/include/libfdt.h"; : >"$dest/usr/lib/aarch64-linux-gnu/libfdt.a"
EOF
chmod 755 "$S"/*.sh
: >"$S/fetch.log"; chmod 666 "$S/fetch.log"
setup=$S/setup-deps.sh
fetches() { wc -l <"$S/fetch.log"; }
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

# --- first run and the no-op -----------------------------------------------
t_status "first run" 0 "$setup"
t_eq "stdout's last line is the directory for ./configure --libfdt" "$T/deps/arm64/usr" "$(tail -n 1 "$T_OUT")"
t_eq "libfdt fetched once" 1 "$(fetches)"
t_eq "as arm64 libfdt-dev into deps/arm64" "--arch arm64 --dest $T/deps/arm64 libfdt-dev" "$(cat "$S/fetch.log")"
t_check "a stamp records the success" test -s "$T/deps/.setup-deps.stamp"
stamp_before=$(stat -c %Y.%i "$T/deps/.setup-deps.stamp")

t_status "second run" 0 "$setup"
t_eq "prints only the directory" "$T/deps/arm64/usr" "$(cat "$T_OUT")"
t_eq "fetches nothing" 1 "$(fetches)"
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
if [ "$(dpkg-query -W -f='${db:Status-Abbrev}\n' gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm 2>/dev/null |
	grep -c '^ii')" != 3 ]; then
	echo "# probe checks skipped: the x86_64 host packages are not installed here"
else
	(unset GUESTVIEW_SETUP_PACKAGES; GUESTVIEW_HOST_ARCH=x86_64 "$setup" >/dev/null 2>&1)
	n=$(fetches)
	(unset GUESTVIEW_SETUP_PACKAGES; GUESTVIEW_HOST_ARCH=x86_64 "$setup" >/dev/null 2>&1)
	t_eq "default list, all present: a no-op" "$n" "$(fetches)"
	without "$T/bin-nogcc" aarch64-linux-gnu-gcc
	(unset GUESTVIEW_SETUP_PACKAGES; GUESTVIEW_HOST_ARCH=x86_64 PATH=$T/bin-nogcc "$setup" >/dev/null 2>&1)
	t_eq "default list, cross compiler not on PATH: not a no-op" "$((n + 1))" "$(fetches)"
fi

# --- two makes at once ------------------------------------------------------
rm -rf "$T/deps"; : >"$S/fetch.log"
"$setup" >"$T/par1" 2>&1 & p1=$!
"$setup" >"$T/par2" 2>&1 & p2=$!
wait "$p1"; r1=$?; wait "$p2"; r2=$?
t_eq "two runs at once both succeed" "0 0" "$r1 $r2"
t_eq "and fetch once between them" 1 "$(fetches)"

# --- package lists per host ---------------------------------------------------
# A dpkg-query that knows no package: every package is missing.
mkdir -p "$T/bin-nodpkg"
printf '#!/bin/sh\nexit 1\n' >"$T/bin-nodpkg/dpkg-query"; chmod 755 "$T/bin-nodpkg/dpkg-query"
unset GUESTVIEW_SETUP_PACKAGES
export GUESTVIEW_DEPS=$T/deps-lists
t_status "x86_64 host, --check, nothing installed" 1 env GUESTVIEW_HOST_ARCH=x86_64 PATH="$T/bin-nodpkg:$PATH" "$setup" --check
t_grep "wants the cross compiler, cross libc headers and QEMU" \
	'missing Debian packages: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm$' "$T_OUT"
t_status "aarch64 host, --check, nothing installed" 1 env GUESTVIEW_HOST_ARCH=aarch64 PATH="$T/bin-nodpkg:$PATH" "$setup" --check
t_grep "wants the native compiler, libc headers and QEMU" 'missing Debian packages: gcc libc6-dev qemu-system-arm$' "$T_OUT"
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
