#!/bin/bash
# tests/setup/apt-fetch-sources.sh: the private sources list scripts/apt-fetch.sh
# derives (architecture, keys, --suite-add from the right archive), its option
# errors, its error for an unreachable mirror, and its clean-up on Ctrl-C.
# Offline: fake host names, and a loopback port nothing listens on.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP
fetch=$T_ROOT/scripts/apt-fetch.sh
export GUESTVIEW_DEPS=$T/deps

mkdir -p "$T/etc/sources.list.d"
cat >"$T/etc/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/test-archive.gpg

Types: deb
URIs: http://mirror.invalid/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/test-security.gpg
EOF
printf 'deb http://other.invalid/debian bookworm-backports main\n' >"$T/etc/sources.list.d/off.list.disabled-by-farm"
export GUESTVIEW_APT_ETC=$T/etc

t_status "--print-sources with --suite-add bookworm-backports" 0 \
	"$fetch" --arch amd64 --suite-add bookworm-backports --print-sources
out=$T_OUT
t_grep "main suite for the asked architecture, only Packages, with the entry's key" \
	'^deb \[arch=amd64 target=Packages signed-by=/usr/share/keyrings/test-archive.gpg\] http://mirror.invalid/debian bookworm main$' "$out"
t_grep "updates suite kept" '^deb .* http://mirror.invalid/debian bookworm-updates main$' "$out"
t_grep "security suite kept, with its own key" \
	'^deb \[arch=amd64 target=Packages signed-by=/usr/share/keyrings/test-security.gpg\] http://mirror.invalid/debian-security bookworm-security main$' "$out"
t_grep "backports derived from the main archive URI and key" \
	'^deb \[arch=amd64 target=Packages signed-by=/usr/share/keyrings/test-archive.gpg\] http://mirror.invalid/debian bookworm-backports main$' "$out"
t_eq "backports added once" 1 "$(grep -c 'bookworm-backports' "$out")"
t_nogrep "a disabled file is not used" 'other.invalid' "$out"
t_nogrep "signatures are checked: never trusted=yes" 'trusted=' "$out"

t_status "--suite-add of a -security suite" 0 "$fetch" --arch arm64 --suite-add trixie-security --print-sources
t_grep "comes from the security archive" '^deb \[arch=arm64 .*\] http://mirror.invalid/debian-security trixie-security main$' "$T_OUT"
t_nogrep "and not from the main one" 'mirror.invalid/debian trixie-security' "$T_OUT"

t_status "--suite-add of a suite the machine already lists" 0 "$fetch" --arch arm64 --suite-add bookworm-updates --print-sources
t_eq "is not listed twice" 1 "$(grep -c 'bookworm-updates' "$T_OUT")"

# Option errors: exit 2, naming the option.
t_status "missing --arch" 2 "$fetch" --dest "$T/d" libfdt-dev
t_grep "names --arch" 'option --arch is required' "$T_OUT"
t_status "missing --dest" 2 "$fetch" --arch arm64 libfdt-dev
t_grep "names --dest" 'option --dest is required' "$T_OUT"
t_status "no package" 2 "$fetch" --arch arm64 --dest "$T/d"
t_grep "says so" 'no package named' "$T_OUT"
t_status "unknown option" 2 "$fetch" --arch arm64 --dest "$T/d" --frobnicate libfdt-dev
t_grep "names it" "unknown option '--frobnicate'" "$T_OUT"
t_status "option without its value" 2 "$fetch" --arch arm64 --dest "$T/d" --suite-add
t_grep "names it" 'option --suite-add needs a value' "$T_OUT"
t_status "bad GUESTVIEW_APT_LISTS_MAX_AGE" 2 env GUESTVIEW_APT_LISTS_MAX_AGE=soon "$fetch" --arch arm64 --dest "$T/d" libfdt-dev
t_grep "names the variable" 'GUESTVIEW_APT_LISTS_MAX_AGE' "$T_OUT"

# No Debian archive in the machine's sources.
mkdir -p "$T/etc3rd/sources.list.d"
printf 'deb https://thirdparty.invalid/apt stable main\n' >"$T/etc3rd/sources.list"
t_status "no Debian archive in the apt sources: exit 2" 2 env GUESTVIEW_APT_ETC="$T/etc3rd" "$fetch" --arch arm64 --dest "$T/d" libfdt-dev
t_grep "names the file read" "$T/etc3rd/sources.list" "$T_OUT"

# Without network: the mirror cannot be reached.  A loopback port nobody
# listens on fails at once, as an unreachable mirror does.
mkdir -p "$T/etcdown/sources.list.d"
printf 'deb http://127.0.0.1:1/debian bookworm main\n' >"$T/etcdown/sources.list"
# apt's settings from APT_CONFIG still apply: no retries, so this fails fast.
printf 'Acquire::Retries "0";\n' >"$T/no-retries.conf"
export APT_CONFIG=$T/no-retries.conf
t_status "unreachable mirror: exit 1" 1 env GUESTVIEW_APT_ETC="$T/etcdown" "$fetch" --arch arm64 --dest "$T/d" libfdt-dev
t_grep "apt's error names the URI" '127\.0\.0\.1:1' "$T_OUT"
t_grep "our message says what could not be done" 'cannot read the archive indexes' "$T_OUT"
t_check "nothing was unpacked" test ! -e "$T/d"

# Ctrl-C while apt runs: the whole process group gets SIGINT, as from a
# terminal.  The scratch directory must go, and no process may be left.
mkdir -p "$T/slowbin" "$T/scratch"
printf '#!/bin/sh\nexec sleep 30\n' >"$T/slowbin/apt-get"
chmod +x "$T/slowbin/apt-get"
set -m   # own process group for the job, and SIGINT not ignored in it
(TMPDIR=$T/scratch PATH=$T/slowbin:$PATH t_sigint_default "$fetch" --arch arm64 --dest "$T/d" libfdt-dev >"$T/int.out" 2>&1) &
pid=$!
set +m
for _ in $(seq 300); do   # up to 30 s: a loaded machine is slow
	ls "$T/scratch"/apt-fetch.* >/dev/null 2>&1 && pgrep -g "$pid" -x sleep >/dev/null && break
	sleep 0.1
done
t_check "while running, the scratch directory exists" test -n "$(compgen -G "$T/scratch/apt-fetch.*")"
kill -INT -- -"$pid"
wait "$pid"
t_eq "Ctrl-C: exit status 130" 130 "$?"
t_eq "Ctrl-C: scratch directory removed" "" "$(ls -A "$T/scratch")"
t_check "Ctrl-C: no process of the job is left" bash -c "! pgrep -g $pid >/dev/null"
t_done
