#!/bin/bash
# mx_kernel_index (scripts/matrix/lib/kernels.bash): indexes read less than
# a day ago are used as they are -- unless they list no kernel at all (a
# cache left half-made, an apt.conf naming a checkout that is gone: seen
# when a worktree's deps symlink wrote its own path there), which makes it
# read them again once, not fail and not loop.  apt-fetch.sh and apt-cache
# are stand-ins here: what they were asked is logged.
. "$(dirname "$0")/../lib.sh"
tmp=$(t_tmpdir)
MX_TMP=$tmp/run MX_CACHE=$tmp/cache MX_ROOT=$tmp/root MX_KERNEL_SUITES="trixie"
mkdir -p "$MX_TMP" "$MX_CACHE/kernels" "$MX_CACHE/apt/arm64+trixie" "$MX_ROOT/scripts" "$tmp/bin"
mx_say() { :; }
. "$T_ROOT/scripts/matrix/lib/initramfs.bash"   # mx_younger
. "$T_ROOT/scripts/matrix/lib/kernels.bash"
st=$MX_CACHE/apt/arm64+trixie
# apt-fetch.sh: logs a call; from then on the indexes list a kernel.
cat >"$MX_ROOT/scripts/apt-fetch.sh" <<EOS
#!/bin/bash
echo fetch >>"$tmp/calls"
[ -e "$tmp/never" ] || : >"$tmp/listed"
EOS
# apt-cache -c CONF dumpavail: a kernel stanza once the indexes list one.
cat >"$tmp/bin/apt-cache" <<EOS
#!/bin/bash
[ -e "$tmp/listed" ] || exit 0
printf 'Package: linux-image-6.12.1-arm64\nVersion: 6.12.1-1\nDepends: kmod\n\n'
EOS
chmod +x "$MX_ROOT/scripts/apt-fetch.sh" "$tmp/bin/apt-cache"
PATH=$tmp/bin:$PATH
fresh() { : >"$st/apt.conf"; : >"$MX_CACHE/kernels/.index-arm64+trixie.checked"; rm -f "$MX_TMP/kernels.avail" "$tmp/calls"; }

fresh; : >"$tmp/listed"
t_check "fresh indexes that list kernels: used" mx_kernel_index
t_eq "... without reading them again" 0 "$(cat "$tmp/calls" 2>/dev/null | wc -l)"
t_grep "... the kernel listed" '^linux-image-6\.12\.1-arm64 6\.12\.1-1 kmod$' "$MX_TMP/kernels.avail"

fresh; rm -f "$tmp/listed"
t_check "fresh indexes that list no kernel: read again, then used" mx_kernel_index
t_eq "... read once" 1 "$(wc -l <"$tmp/calls")"
t_grep "... the kernel listed" '^linux-image-6\.12\.1-arm64 ' "$MX_TMP/kernels.avail"

fresh; rm -f "$tmp/listed"; : >"$tmp/never"
MX_ERR=
mx_kernel_index
t_eq "no kernel even after reading them again: fails" 1 "$?"
t_eq "... having read them once, not in a loop" 1 "$(wc -l <"$tmp/calls")"
t_eq "... naming the configuration" "the arm64 indexes list no linux-image package ($st/apt.conf)" "$MX_ERR"
t_done
