#!/bin/bash
# quick-check: skip (fetches from the real mirror)
# tests/setup/real-fetch.sh: fetches Debian's real arm64 libfdt-dev from this
# machine's own mirror into a scratch deps directory, as `make` does, and
# checks that it is an aarch64 libfdt that the cross compiler can use, that
# it is the version apt lists now, and that the machine's dpkg was not
# touched.  Skips (77) when the mirror cannot be reached.
. "$(dirname "$0")/../lib.sh"
T=$T_TMP
chmod 755 "$T"   # as root, apt downloads as user _apt
command -v apt-get >/dev/null 2>&1 || t_skip "no apt-get on this machine"

# Is the mirror reachable?  One TCP connection, five seconds at most.
uri=$("$T_ROOT/scripts/apt-sources.sh" 2>/dev/null | awk -F'\t' '$1 == "debian" { print $2; exit }')
[ -n "$uri" ] || t_skip "the apt sources name no Debian archive"
hostport=${uri#*://} hostport=${hostport%%/*} hostport=${hostport##*@}
host=${hostport%:*} port=80
[ "$host" = "$hostport" ] || port=${hostport##*:}
case $uri in https:*) [ "$host" = "$hostport" ] && port=443 ;; file:*) host= ;; esac
if [ -n "$host" ] && ! timeout 5 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
	t_skip "the Debian mirror of this machine's apt sources is not reachable (no network)"
fi

dpkg_before=$(dpkg --print-foreign-architectures; dpkg-query -W -f='${db:Status-Abbrev} ${Package}:${Architecture} ${Version}\n' 'libfdt*' 2>/dev/null)
export GUESTVIEW_DEPS=$T/deps
start=${EPOCHREALTIME/./}
t_status "fetch arm64 libfdt-dev from the machine's mirror" 0 "$T_ROOT/scripts/apt-fetch.sh" --arch arm64 --dest "$T/deps/arm64" libfdt-dev
printf '# fresh fetch took %d ms\n' $(( (${EPOCHREALTIME/./} - start) / 1000 ))
usr=$T/deps/arm64/usr
t_check "include/libfdt.h" test -f "$usr/include/libfdt.h"
t_check "include/libfdt_env.h and fdt.h" test -f "$usr/include/libfdt_env.h" -a -f "$usr/include/fdt.h"
lib=$usr/lib/aarch64-linux-gnu/libfdt.a
t_check "lib/aarch64-linux-gnu/libfdt.a" test -f "$lib"

# Every member of the archive is an aarch64 object.
# The cross binutils come with the cross compiler; a native host has plain ones.
binutils=
for prefix in aarch64-linux-gnu- ''; do
	command -v "${prefix}objdump" >/dev/null && command -v "${prefix}ar" >/dev/null && { binutils=$prefix; break; }
done
objdump=${binutils}objdump
if command -v "$objdump" >/dev/null && [ -f "$lib" ]; then
	members=$("${binutils}ar" t "$lib" | wc -l)
	aarch64=$("$objdump" -f "$lib" 2>/dev/null | grep -c '^architecture: aarch64')
	t_check "libfdt.a has members" test "$members" -gt 0
	t_eq "every libfdt.a member is aarch64 ($objdump -f)" "$members" "$aarch64"
fi

# The guest's compiler, freestanding, accepts the header and the archive.
cc=
case $HOSTTYPE in
x86_64) cc='aarch64-linux-gnu-gcc' ;;
aarch64) cc=gcc ;;
esac
if command -v "$cc" >/dev/null 2>&1; then
	printf '#include <libfdt.h>\nint probe(const void *fdt) { return fdt_check_header(fdt); }\n' >"$T/probe.c"
	t_check "$cc -ffreestanding compiles against libfdt.h" "$cc" -ffreestanding -c -I"$usr/include" "$T/probe.c" -o "$T/probe.o"
	t_check "and links the probe with libfdt.a (-r)" "$cc" -nostdlib -r "$T/probe.o" "$lib" -o "$T/probe-linked.o"
fi

# The version unpacked is the one apt lists now.
cand=$(apt-cache -c "$T/deps/cache/arm64/apt.conf" policy libfdt-dev | sed -n 's/^ *Candidate: //p')
t_eq "the unpacked .deb is the candidate apt lists now ($cand)" "libfdt-dev_${cand//:/%3a}_arm64.deb" "$(cat "$T/deps/arm64/.apt-fetch.manifest")"

t_eq "the machine's dpkg is untouched (no foreign architecture, same libfdt packages)" "$dpkg_before" \
	"$(dpkg --print-foreign-architectures; dpkg-query -W -f='${db:Status-Abbrev} ${Package}:${Architecture} ${Version}\n' 'libfdt*' 2>/dev/null)"
t_done
