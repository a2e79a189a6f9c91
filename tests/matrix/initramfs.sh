#!/bin/bash
# The emulated hosts' initramfs (scripts/matrix/lib/initramfs.bash): what
# goes in (the user space's shared-library closure, nothing more), that it
# is built once per content, and the /init script's own syntax.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
for f in host/aarch64/gvfp host/aarch64/gvmigrate host/aarch64/gvstream arm/migrate.flat; do
	[ -f "$f" ] || t_skip "$f not built (make; make cross-tools)"
done
command -v aarch64-linux-gnu-gcc >/dev/null && command -v cpio >/dev/null ||
	t_skip "needs aarch64-linux-gnu-gcc and cpio"
tmp=$(t_tmpdir)
MX_TMP=$tmp/run MX_CACHE=$tmp/cache MX_ROOT=$T_ROOT
mkdir -p "$MX_TMP" "$MX_CACHE"
mx_say() { :; }
mx_die() { echo "mx_die: $*"; exit 1; }
. scripts/matrix/lib/initramfs.bash

t_check "init: bash syntax" bash -n scripts/matrix/init
t_check "init: every framing line it prints starts with @@GV" \
	bash -c "! grep -n 'say \"' scripts/matrix/init | grep -v 'say \"\(ready\|info\|begin\|end\|measure\|test-begin\|test-end\|file\|file-end\|eof\)[ \"]'"
# The suite is run_tests.sh's, on the default unittests.cfg: init holds no
# list of payloads (migrate.flat, for save/restore, is the matrix's own step)
# and no cfg or group of its own.
t_nogrep "init: names no payload but the migration's" '[a-z]+\.flat' <(grep -o '[a-z]*\.flat' scripts/matrix/init | grep -vx migrate.flat)
t_grep "init: runs run_tests.sh on the default cfg, all of it" 'run_tests\.sh" -t --junit ' scripts/matrix/init
t_nogrep "init: no --config, no -g" 'run_tests\.sh".*(--config|-g )' scripts/matrix/init
t_check "one list: no scripts/matrix/kvm.cfg" test ! -e scripts/matrix/kvm.cfg
# The KVM group keeps the matrix's names (matrix.json compares by name).
t_status "unittests.cfg: the KVM group" 0 ./run_tests.sh -g kvm -l
kvm_group="idregs probes idregs-sve-off idregs-pmu-off idregs-steal-time-off idregs-no-adjvtime"
t_eq "unittests.cfg: group kvm is the matrix's names (idregs, probes, idregs with a -cpu host property changed)" \
	"$kvm_group" "$(awk '{ print $1 }' "$T_OUT" | tr '\n' ' ' | sed 's/ $//')"
t_status "group kvm: under TCG every entry skips, nothing runs" 0 env ACCEL=tcg GUESTVIEW_LOG_DIR="$tmp/logs" \
	./run_tests.sh -g kvm -t
t_eq "group kvm: a SKIP for accel each" 6 "$(grep -c '^ok [0-9] - .* # SKIP needs accel kvm' "$T_OUT")"
# Every payload the cfg names goes into the hosts (else run_tests.sh stops there).
payloads=$(sed -n 's/^file *= *//p' unittests.cfg | sort -u)
for p in $payloads; do
	t_check "mx_gv_files: $p, named by unittests.cfg" grep -qx "arm/$p" <(mx_gv_files)
done
# What the hosts run is the runner's decision (the driver's bound counts it).
. scripts/matrix/lib/suite.bash
mx_kvm_suite
t_eq "mx_kvm_suite: the entries of unittests.cfg that apply under KVM" \
	"selftest-setup selftest-smp selftest-vectors selftest-insn $kvm_group migrate-unix migrate-tcp migrate-netns migrate-pingpong" \
	"$(paste -sd' ' <<<"$REPLY")"
suite=$(./run_tests.sh -l | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')

# A stand-in for the fetched user space: aarch64 programs that need libc
# (and one that needs libextra), with the cross toolchain's libc.
U=$MX_CACHE/userland
mkdir -p "$U/bin" "$U/usr/bin" "$U/lib/aarch64-linux-gnu" "$U/usr/lib/aarch64-linux-gnu" "$tmp/src"
for f in bin/busybox bin/bash usr/bin/timeout; do cp host/aarch64/gvfp "$U/$f"; done
printf 'int extra(void) { return 1; }\n' >"$tmp/src/extra.c"
printf 'int extra(void); int main(void) { return extra(); }\n' >"$tmp/src/main.c"
aarch64-linux-gnu-gcc -shared -fPIC -Wl,-soname,libextra.so.1 -o "$tmp/src/libextra.so.1" "$tmp/src/extra.c" &&
	aarch64-linux-gnu-gcc -o "$U/usr/bin/qemu-system-aarch64" "$tmp/src/main.c" "$tmp/src/libextra.so.1" ||
	t_skip "cannot build aarch64 test programs"
for l in libc.so.6 ld-linux-aarch64.so.1; do cp -L "/usr/aarch64-linux-gnu/lib/$l" "$U/lib/aarch64-linux-gnu/$l"; done
echo "fake_1_arm64.deb" >"$U/.apt-fetch.manifest"
: >"$MX_CACHE/userland.checked"

mx_fetch_userland
t_eq "a fresh user space is not fetched again" "$MX_CACHE/userland" "$MX_USERLAND"
out=$( (mx_common_initramfs) 2>&1)
t_check "a library no package holds: stops, naming it and its user" \
	grep -q 'library libextra.so.1 (needed by qemu-system-aarch64) is in none of the unpacked packages' <<<"$out"

cp "$tmp/src/libextra.so.1" "$U/usr/lib/aarch64-linux-gnu/"
mx_common_initramfs
t_check "built" test -s "$MX_COMMON"
list=$(cpio -it --quiet <"$MX_COMMON" | sort)
has() { grep -qx -- "$1" <<<"$list"; }
for f in init bin/bash bin/busybox bin/timeout bin/sh usr/bin/qemu-system-aarch64 lib/ld-linux-aarch64.so.1 \
	lib/aarch64-linux-gnu/libc.so.6 lib/aarch64-linux-gnu/libextra.so.1 gv/arm/run gv/arm/selftest.flat \
	gv/arm/idregs.flat gv/arm/probes.flat gv/arm/migrate.flat gv/host/gvmigrate gv/host/gvstream gv/host/gvfp \
	gv/run_tests.sh gv/unittests.cfg $(cd "$T_ROOT" && printf 'gv/%s ' scripts/runner/*.bash) \
	gv/tables/outcomes.bash gv/tables/migproto.bash gv/tables/bulkproto.bash dev proc sys tmp shared; do
	t_check "in the archive: $f" has "$f"
done
# The runner in the archive is whole: run_tests.sh, from where /init
# runs it, reads the default cfg (every library and table it sources).
mkdir "$tmp/x" && (cd "$tmp/x" && cpio -id --quiet <"$MX_COMMON")
t_check "in the archive: run_tests.sh is an executable file" test -f "$tmp/x/gv/run_tests.sh" -a -x "$tmp/x/gv/run_tests.sh"
# Its gvmigrate (which names the migration modes the cfg may use) is the
# aarch64 one: this machine's stands in for it here.
[ ! -x host/gvmigrate ] || cp host/gvmigrate "$tmp/x/gv/host/gvmigrate"
t_status "the archive's run_tests.sh lists its unittests.cfg" 0 "$tmp/x/gv/run_tests.sh" -l
t_eq "... the same tests as here" "$suite" "$(awk '{ print $1 }' "$T_OUT" | tr '\n' ' ' | sed 's/ $//')"
t_eq "exactly the libraries needed" "lib/aarch64-linux-gnu/ld-linux-aarch64.so.1 lib/aarch64-linux-gnu/libc.so.6 lib/aarch64-linux-gnu/libextra.so.1" \
	"$(grep '^lib/aarch64-linux-gnu/' <<<"$list" | tr '\n' ' ' | sed 's/ $//')"
t_eq "files owned by root (cpio -R 0:0)" "root" "$(cpio -itv --quiet <"$MX_COMMON" 2>/dev/null | awk '$9 == "init" { print $3 }')"
first=$MX_COMMON
stamp=$(stat -c %i.%s "$first")
mx_common_initramfs
t_eq "same content: the same archive, not rebuilt" "$first $stamp" "$MX_COMMON $(stat -c %i.%s "$MX_COMMON")"
echo "fake_2_arm64.deb" >"$U/.apt-fetch.manifest"
mx_common_initramfs
t_check "another user space: another archive" test "$MX_COMMON" != "$first"
# Another checkout sharing the cache may be about to boot the old one.
t_check "the old archive, used a moment ago, stays" test -e "$first"
touch -d '2 days ago' "$first"
echo "fake_3_arm64.deb" >"$U/.apt-fetch.manifest"
mx_common_initramfs
t_check "an archive unused for two days is gone once another is built" test ! -e "$first"
t_eq "two archives in the cache, no temporary file" 2 "$(ls "$MX_CACHE/initramfs" | wc -l)"
third=$MX_COMMON
touch -d '2 days ago' "$third"
echo "fake_3_arm64.deb" >"$U/.apt-fetch.manifest"
mx_common_initramfs
t_eq "using an archive keeps it: found again, its age renewed" "$third 1" \
	"$MX_COMMON $(find "$MX_COMMON" -mmin -60 | wc -l)"

# --inner-qemu: the user space of another suite, in a tree and an archive
# of its own; a backports suite brings its base suite.
mx_inner_suite_opts ""
t_eq "inner QEMU of the machine's own suites: no apt-fetch option" "" "${REPLY_OPTS[*]}"
mx_inner_suite_opts trixie
t_eq "inner QEMU from trixie" "--suite-add trixie --target-release trixie" "${REPLY_OPTS[*]}"
mx_inner_suite_opts trixie-backports
t_eq "inner QEMU from trixie-backports: with trixie" \
	"--suite-add trixie --suite-add trixie-backports --target-release trixie-backports" "${REPLY_OPTS[*]}"
cp -a "$U" "$MX_CACHE/userland-trixie-backports"
echo "qemu-system-arm_1%3a11.1.3+ds-2~bpo13+1_arm64.deb" >"$MX_CACHE/userland-trixie-backports/.apt-fetch.manifest"
: >"$MX_CACHE/userland-trixie-backports.checked"
MX_INNER_SUITE=trixie-backports
mx_fetch_userland
t_eq "inner suite: its own user space, not fetched again" "$MX_CACHE/userland-trixie-backports" "$MX_USERLAND"
mx_inner_qemu
t_eq "inner suite: the QEMU its manifest names" "qemu-system-arm 1:11.1.3+ds-2~bpo13+1" "$REPLY"
mx_common_initramfs
t_check "inner suite: an archive named after it" grep -q '/common-trixie-backports-[0-9a-f]\{16\}\.cpio$' <<<"$MX_COMMON"
t_check "inner suite: the default suite's archive stays" test -e "$third"
MX_INNER_SUITE=
t_done
