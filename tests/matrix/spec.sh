#!/bin/bash
# Kernel specifications of the matrix (scripts/matrix/lib/spec.bash) and the
# driver's command-line errors, which must stop it before anything starts.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/scripts/matrix/lib/spec.bash"
cd "$T_ROOT" || exit 2
tmp=$(t_tmpdir)

# parse SPEC: "KIND|KERNEL|CMDLINE" or "error: MESSAGE"
parse() {
	if mx_parse_spec "$1"; then
		printf '%s|%s|%s\n' "$SPEC_KIND" "$SPEC_KERNEL" "$SPEC_CMDLINE"
	else
		printf 'error: %s\n' "$MX_ERR"
	fi
}

t_eq "short Debian version" "version|6.1|" "$(parse 6.1)"
t_eq "full Debian version" "version|6.12.117-1|" "$(parse 6.12.117-1)"
t_eq "backports version" "version|7.3.4-1~bpo13+1|" "$(parse '7.3.4-1~bpo13+1')"
t_eq "version with a command line" "version|6.12|kvm-arm.mode=nvhe" "$(parse 6.12:kvm-arm.mode=nvhe)"
t_eq "command line with several words, after the first ':'" \
	"version|6.12|kvm-arm.mode=nvhe foo=a:b" "$(parse '6.12:kvm-arm.mode=nvhe foo=a:b')"
t_eq "package name" "package|linux-image-6.12.117+deb13-arm64|" "$(parse linux-image-6.12.117+deb13-arm64)"
t_eq "package name with version" "package|linux-image-6.1.0-56-arm64=6.1.192-2|" \
	"$(parse linux-image-6.1.0-56-arm64=6.1.192-2)"
printf 'not really a kernel' >"$tmp/Image"
t_eq "path to an Image" "path|$tmp/Image|" "$(parse "$tmp/Image")"
t_eq "path with a command line" "path|$tmp/Image|nokaslr" "$(parse "$tmp/Image:nokaslr")"
mkdir -p "$tmp/linux/arch/arm64/boot" && cp "$tmp/Image" "$tmp/linux/arch/arm64/boot/Image"
t_eq "a built kernel tree" "path|$tmp/linux|" "$(parse "$tmp/linux")"

t_grep_str() { if [[ $3 == *"$2"* ]]; then t_ok "$1"; else t_fail "$1: '$2' not in '$3'"; fi; }
t_grep_str "empty spec" "error: empty kernel specification" "$(parse '')"
t_grep_str "no kernel before ':'" "no kernel before ':'" "$(parse ':quiet')"
t_grep_str "empty command line" "empty command line after ':'" "$(parse '6.1:')"
t_grep_str "not a version" "neither a Debian kernel version" "$(parse '6.x')"
t_grep_str "a bare word is not taken for a file" "write ./Image for a file here" "$(parse 'Image')"
t_grep_str "missing file" "no such kernel image" "$(parse "$tmp/nothere")"
: >"$tmp/empty"
t_grep_str "empty file" "empty file" "$(parse "$tmp/empty")"
mkdir -p "$tmp/notatree"
t_grep_str "a directory that is no kernel tree" "not a built arm64 kernel tree" "$(parse "$tmp/notatree")"
t_grep_str "quotes in the command line" "quotes are not supported" "$(parse "6.1:foo='a b'")"

# Version prefixes stop at a separator: 6.1 is not 6.12.
m() { if mx_version_matches "$1" "$2"; then echo yes; else echo no; fi; }
t_eq "6.1 matches 6.1.192-2" yes "$(m 6.1 6.1.192-2)"
t_eq "6.1 does not match 6.12.117-1" no "$(m 6.1 6.12.117-1)"
t_eq "6.12.117 matches 6.12.117-1~deb12u1" yes "$(m 6.12.117 6.12.117-1~deb12u1)"
t_eq "6.12.117-1 matches itself" yes "$(m 6.12.117-1 6.12.117-1)"
t_eq "6.12.117-1 does not match 6.12.117-10" no "$(m 6.12.117-1 6.12.117-10)"
t_eq "7 matches 7.3.4-1~bpo13+1" yes "$(m 7 7.3.4-1~bpo13+1)"

# The driver: usage errors exit 2 at once, naming the problem.
rm_cache=$tmp/cache
t_status "no kernel: usage error" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache"
t_grep "no kernel: says so" "no kernel given" "$T_OUT"
t_status "the same kernel twice" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache" 6.1 6.1
t_grep "twice: named" "kernel '6.1' given twice" "$T_OUT"
t_status "bad kernel spec" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache" 6.1 6.x
t_grep "bad spec: named" "'6.x' is neither" "$T_OUT"
t_status "unknown option" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache" --fast 6.1
t_grep "unknown option: named" "unknown option '--fast'" "$T_OUT"
t_status "non-numeric timeout" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache" --boot-timeout soon 6.1
t_grep "timeout: named" "'soon' is not a positive number" "$T_OUT"
t_status "bad suite name" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache" --suites 'trixie;rm' 6.1
t_status "bad inner QEMU suite" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache" --inner-qemu '../x' 6.1
t_grep "bad inner QEMU suite: option and value named" "--inner-qemu: '../x' is not a suite name" "$T_OUT"
t_grep "--help describes --inner-qemu" "--inner-qemu SUITE" <(scripts/matrix/run-matrix.sh --help)
t_status "--compare with a missing file" 2 scripts/matrix/run-matrix.sh --cache "$rm_cache" --compare "$tmp/none.json" 6.1
t_check "usage errors made no cache directory" test ! -e "$rm_cache"
t_status "--help" 0 scripts/matrix/run-matrix.sh --help
t_grep "--help describes KERNEL" "KERNEL: a Debian version" "$T_OUT"
t_done
