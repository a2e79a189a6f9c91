#!/bin/bash
# scripts/arm64-host/'s offline parts: option errors name the option, the
# settings a run would use, and the image's cache key (what changes it and
# what does not).  Nothing is booted or fetched: the end-to-end run takes
# hours under TCG and stays a command to run by hand (README, "On an arm64
# host").
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
tmp=$(t_tmpdir)
R=scripts/arm64-host/run.sh
F=scripts/arm64-host/rootfs.sh

t_status "run.sh: an unknown option is a usage error" 2 $R --bogus
t_grep "  ... naming it" "unknown option or argument '--bogus'" "$T_OUT"
t_status "run.sh: --timeout takes seconds" 2 $R --timeout 1h
t_grep "  ... naming the option and the value" "option --timeout needs a number of seconds, not '1h'" "$T_OUT"
t_status "run.sh: --timeout without a value" 2 $R --timeout
mkdir "$tmp/exists"
t_status "run.sh: --out must be a new directory" 2 $R --out "$tmp/exists"
t_grep "  ... saying so" "option --out: '.*/exists' exists already" "$T_OUT"
t_status "rootfs.sh: an unknown option is a usage error" 2 $F --check
t_status "initramfs.sh: needs three arguments" 2 scripts/arm64-host/initramfs.sh onlyone

t_status "run.sh --print-config" 0 $R --print-config
t_grep "  make run only, 4 hours by default" '^check=0$' "$T_OUT"
t_grep "  ... bound 14400 s" '^timeout=14400$' "$T_OUT"
t_grep "  the host CPU the matrix uses" '^cpu=max,lpa2=off,pauth-impdef=on$' "$T_OUT"
run_key=$(sed -n 's/^key=//p' "$T_OUT")
t_status "run.sh --check --print-config" 0 $R --check --print-config
t_grep "  make check too, 24 hours by default" '^timeout=86400$' "$T_OUT"
t_status "run.sh --check --timeout 60 --print-config" 0 $R --check --timeout 60 --print-config
t_grep "  --timeout wins" '^timeout=60$' "$T_OUT"

key=$($F --print-key)
t_check "the cache key is 16 hex digits (got '$key')" eval '[[ $key =~ ^[0-9a-f]{16}$ ]]'
t_eq "run.sh and rootfs.sh agree on the key" "$key" "$run_key"
t_eq "the key is stable" "$key" "$($F --print-key)"
t_check "the suite changes the key" test "$(A64_SUITE=trixie $F --print-key)" != "$key"
t_eq "the emulated host's CPU does not (the image is the same)" "$key" "$(A64_CPU=cortex-a57 $F --print-key)"
# The scripts that make the image are in the key: a copy of the folder with
# one changed line gives another key, a change to the boot-time /init not.
cp -r scripts/arm64-host "$tmp/a"
t_eq "a copy of the folder: the same key" "$key" "$("$tmp/a/rootfs.sh" --print-key)"
echo '# changed' >>"$tmp/a/init"
t_eq "the /init, added at each boot, is not in the key" "$key" "$("$tmp/a/rootfs.sh" --print-key)"
echo '# changed' >>"$tmp/a/initramfs.sh"
t_check "initramfs.sh is in the key" test "$("$tmp/a/rootfs.sh" --print-key)" != "$key"
t_done
