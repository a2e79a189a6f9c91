#!/bin/bash
# tests/setup/qemu10.sh: the QEMU 10.0 that scripts/setup-deps.sh unpacks
# into deps/qemu10 is a 10.0 that works on its own: it runs a payload to
# PASS through arm/run (which always gives -nodefaults -no-user-config), and
# it reads nothing of the system's QEMU 7.2 (its modules, firmware and data
# files) nor needs a file of the qemu-system-data/-common packages it was
# not given.  Skips (77), with setup-deps.sh's reason, when it is not set up.
. "$(dirname "$0")/../lib.sh"
deps=${GUESTVIEW_DEPS:-$T_ROOT/deps}
q10=$deps/qemu10/usr/bin/qemu-system-aarch64
if ! [ -x "$q10" ]; then
	why=''
	[ -f "$deps/qemu10.unavailable" ] && IFS=$'\t' read -r _ why <"$deps/qemu10.unavailable"
	t_skip "QEMU 10.0 not set up in $deps/qemu10: ${why:-run scripts/setup-deps.sh}"
fi

t_status "qemu-system-aarch64 --version runs" 0 "$q10" --version
t_grep "and is QEMU 10.0" "^QEMU emulator version 10\.0\.[0-9]+" "$T_OUT"
t_eq "it was unpacked by apt-fetch.sh, from bookworm-backports" 1 \
	"$(grep -c '^qemu-system-arm_.*bpo12.*\.deb$' "$deps/qemu10/.apt-fetch.manifest")"

flat=$T_ROOT/arm/selftest.flat
if [ -x "$T_ROOT/arm/run" ] && [ -f "$flat" ]; then
	t_status "arm/run with QEMU=deps/qemu10/...: selftest setup passes" 0 \
		env QEMU="$q10" ACCEL=tcg TIMEOUT=30s "$T_ROOT/arm/run" "$flat" -smp 2 -cpu max -append 'setup smp=2'
	t_grep "the command line was QEMU 10.0's" "^${q10//./\\.} -nodefaults -no-user-config " "$T_OUT"
	if command -v strace >/dev/null 2>&1; then
		strace -f -qq -e trace=openat,open -o "$T_TMP/strace" "$q10" -nodefaults -no-user-config -display none \
			-serial stdio -M virt,gic-version=3 -cpu max -kernel "$flat" -append setup >"$T_TMP/console" 2>&1 </dev/null
		t_grep "under strace too it passes" "^EXIT: PASS" "$T_TMP/console"
		# Files it opened (not merely looked for): none of 7.2's QEMU files.
		grep -v ENOENT "$T_TMP/strace" | grep -oE '"[^"]*"' | tr -d '"' | sort -u >"$T_TMP/opened"
		t_nogrep "it opens no QEMU module, firmware or data file of the system (7.2)" \
			'^/usr/(lib/[^/]*/qemu|share/qemu|share/seabios|lib/ipxe)/' "$T_TMP/opened"
		t_nogrep "nor any other QEMU file" '/qemu/' "$T_TMP/opened"
	else
		echo "# strace not installed: the check of the files QEMU 10.0 opens is left out"
	fi
else
	echo "# arm/run or arm/selftest.flat not there (run make): the payload checks are left out"
fi
t_done
