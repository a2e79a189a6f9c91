#!/bin/bash
# scripts/arm64-host/run.sh: proves the README's arm64 promise the way a
# user meets it: on an arm64 Debian host with /dev/kvm, a fresh clone, then
# `make run` (and `make check`) as the README says, under KVM.  The host is
# an emulated one: a real Debian arm64 root file system made from the archive
# (rootfs.sh, cached), booted by QEMU TCG with EL2 so that its own Debian
# kernel brings KVM up (boot.bash).
#
# Usage: scripts/arm64-host/run.sh [--check] [--timeout SECONDS] [--out DIR] [--cache DIR]
#   --check            also run `make check` after `make run`
#   --timeout SECONDS  bound on the test boot, set-up and commands included
#                      (default 14400; 86400 with --check)
#   --out DIR          keep the console log and each command's time-stamped
#                      log in DIR (made; must not exist yet)
#   --cache DIR        rootfs.sh's image cache
#   --print-config     print the settings (image key, QEMU, CPU) and stop
# Environment: QEMU (default qemu-system-aarch64: the outer QEMU), A64_CPU,
# A64_SMP, A64_MEM (the emulated host; defaults in defaults.bash), TMPDIR
# (QEMU's temporary disk overlay goes there: several GB with the set-up).
#
# The repository given to the host is the committed state of this checkout
# (HEAD, through a bare clone): uncommitted changes are not tested, as CI
# would not test them.  The image is never changed by a test run (QEMU's
# snapshot=on): every run starts from the same fresh machine, so `make run`
# does the whole set-up (apt-get install of the compilers and QEMU) each time.
#
# Output: the phases with their times, the host's kernel and KVM, then per
# command its status, time and last lines.
# Exit status: 0 every command passed; 1 a command failed; 2 usage error;
# 3 the image or the boot failed (no command result); 124 the bound was
# reached; 130 interrupted.
set -u
prog=${0##*/}
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd) || exit 2
repo=$(cd -- "$here/../.." && pwd) || exit 2
a64_say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { local rc=$1; shift; a64_say "$*"; exit "$rc"; }
. "$here/defaults.bash"

check=0 bound='' out='' cache='' print_config=0
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1; shift ;;
	--timeout) [[ ${2-} =~ ^[1-9][0-9]*$ ]] || die 2 "option --timeout needs a number of seconds, not '${2-}'"
		bound=$2; shift 2 ;;
	--out) [ $# -ge 2 ] && [ -n "$2" ] || die 2 "option --out needs a directory"
		[ ! -e "$2" ] || die 2 "option --out: '$2' exists already (give a new directory)"
		out=$2; shift 2 ;;
	--cache) [ $# -ge 2 ] && [ -n "$2" ] || die 2 "option --cache needs a directory"; cache=$2; shift 2 ;;
	--print-config) print_config=1; shift ;;
	-h|--help) sed -n '2,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	*) die 2 "unknown option or argument '$1' (see --help)" ;;
	esac
done
[ -n "$bound" ] || { bound=14400; [ "$check" = 1 ] && bound=86400; }
a64_cache_key
if [ "$print_config" = 1 ]; then
	printf 'key=%s\nsuite=%s\npackages=%s\nqemu=%s\ncpu=%s\nsmp=%s\nmem=%s\ncheck=%s\ntimeout=%s\n' \
		"$REPLY" "$A64_SUITE" "${A64_PACKAGES[*]}" "$A64_QEMU" "$A64_CPU" "$A64_SMP" "$A64_MEM" "$check" "$bound"
	exit 0
fi
command -v "$A64_QEMU" >/dev/null 2>&1 || die 2 "QEMU '$A64_QEMU' not found (env QEMU; qemu-system-arm installs qemu-system-aarch64)"
git -C "$repo" rev-parse --verify -q HEAD >/dev/null || die 2 "$repo is not a git checkout with a commit: the host clones the committed repository"

# --- the image (made once, then cached) ---------------------------------------
t0=$SECONDS
img=$("$here/rootfs.sh" ${cache:+--cache "$cache"}) || die 3 "no image: rootfs.sh failed (above)"
t_image=$((SECONDS - t0))
# times.env: KEY=VALUE lines (values with spaces: read, not sourced).
suite='?' kernel='?' made='?' first_stage_s='?' second_stage_s='?'
while IFS='=' read -r k v; do
	case $k in suite|kernel|made|first_stage_s|second_stage_s) printf -v "$k" '%s' "$v" ;; esac
done <"$img/times.env"
a64_say "image $img (Debian $suite, kernel $kernel; made $made: debootstrap ${first_stage_s} s, second stage inside ${second_stage_s} s; found or made in ${t_image} s now)"

# --- the share: the committed repository, the inside script, the results --------
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/a64-run.XXXXXX") || die 3 "mktemp failed"
chmod 700 "$tmp"
cleanup() { a64_boot_stop; rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'a64_say "interrupted: stopping the emulated host"; exit 130' INT
trap 'a64_say "terminated: stopping the emulated host"; exit 143' TERM HUP
export TMPDIR=$tmp
. "$here/boot.bash"
share=$tmp/share
mkdir -p "$share/out" || die 3 "cannot create $share"
git clone -q --bare --no-local "$repo" "$share/repo.git" || die 3 "git clone --bare of $repo failed"
commit=$(git -C "$share/repo.git" rev-parse --short=12 HEAD)
cp "$here/inside.sh" "$share/inside.sh" || die 3 "cannot copy inside.sh"
# The emulated host is a test bed: its QEMU's version is a fact the probes
# need for the test bed's recorded gaps (tables/errata.def; the kernel
# matrix tells its hosts the same), never a guess from inside.
testbed=$("$A64_QEMU" -nodefaults --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p')
printf 'CHECK=%s\nTESTBED_QEMU=%s\n' "$check" "$testbed" >"$share/inside.env"

# --- the run ------------------------------------------------------------------------
a64_say "booting the emulated arm64 host ($A64_QEMU -cpu $A64_CPU -smp $A64_SMP -m $A64_MEM; bound ${bound} s): clone of $commit, make run$([ "$check" = 1 ] && echo ', make check')"
t0=$SECONDS
log=$tmp/console.log
a64_boot_start "$img" "$log" "$bound" 1 "$share" "gv.mode=run" || die 3 "cannot start QEMU"
a64_boot_wait "$log"
qrc=$?
t_boot=$((SECONDS - t0))

# --- the results ----------------------------------------------------------------------
if [ -n "$out" ]; then
	mkdir -p "$out" && cp "$log" "$log.err" "$log.cmdline" "$out/" && cp -r "$share/out/." "$out/" ||
		a64_say "warning: could not copy the logs to $out"
fi
a64_marker "$log" env && env_line=$REPLY || env_line='(none: the host did not get that far)'
echo "== arm64 host: $env_line"
echo "== repository: commit $commit, fresh clone inside"
echo "== image: debootstrap first stage ${first_stage_s} s, second stage (inside) ${second_stage_s} s (cached: $img)"
echo "== this run: ${t_boot} s from QEMU start to poweroff"
rc=0
for name in clone make-run $([ "$check" = 1 ] && echo make-check); do
	f=$share/out/$name.log
	if grep -q "^$name " "$share/out/results" 2>/dev/null; then
		res=$(grep "^$name " "$share/out/results" | tail -n 1)
		echo "== $res"
		[ "${res#* rc=0 }" != "$res" ] || rc=1
	else
		echo "== $name: did not end$([ -s "$f" ] && echo ", stopped after $(tail -n 1 "$f" | awk '{print $1}') s")"
		rc=1
	fi
	[ -s "$f" ] && tail -n 12 "$f" | sed 's/^/   /'
done
# The set-up's share of make run: until setup-deps.sh said it was ready.
if [ -s "$share/out/make-run.log" ]; then
	s=$(grep -m1 'setup-deps.sh: ready' "$share/out/make-run.log" | awk '{print $1}')
	[ -n "$s" ] && echo "== of make run: set-up (setup-deps.sh: apt-get install, libfdt and QEMU 10.0 fetch) ${s} s"
fi
if [ "$qrc" = 124 ]; then
	a64_say "the bound of ${bound} s was reached (--timeout); console: $(tr -d '\r' <"$log" | grep -av '^\s*$' | tail -n 1 | cut -c1-160)"
	exit 124
fi
if ! a64_marker "$log" inside; then
	why=$(grep -av '^\s*$' "$log.err" 2>/dev/null | head -n 2 | tr '\n' ' ')
	a64_say "the host never ran the commands (QEMU status $qrc${why:+; QEMU: $why}); last console lines:"
	tr -d '\r' <"$log" | grep -av '^\s*$' | tail -n 8 | sed 's/^/   /' >&2
	exit 3
fi
exit "$rc"
