# tests/lib.sh: the small assertion library every project test sources.
#
# A test file is an executable bash script under tests/<area>/ named *.sh
# (not lib.sh).  It sources this file, makes checks, and ends with t_done.
# Each check prints one TAP-style line ("ok - what" / "not ok - what"), so
# tests/run.sh can count them and a reader of the log sees what was checked.
# Exit status: 0 all checks passed, 1 a check failed, 77 the file skipped.

set -u
T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_PASS=0
T_FAIL=0

# A private (0700) scratch directory for the test, removed when it exits.
# Made here, in the test's own shell: t_tmpdir only prints it, so that
# $(t_tmpdir) cannot make a directory that a subshell's exit removes.
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/guestview-test.XXXXXX") || exit 2
chmod 700 "$T_TMP"
trap 'rm -rf -- "$T_TMP"' EXIT
t_tmpdir() { printf '%s\n' "$T_TMP"; }

# t_sigint_default CMD...: exec CMD with SIGINT at its default action.  A
# test that sends SIGINT needs it: when make check itself was started as a
# background job (nohup, `make check &` from a script), SIGINT arrives
# ignored, and a shell cannot trap a signal ignored on entry -- the runner
# under test would never see the Ctrl-C (seen: interrupt.sh, exit 137).
t_sigint_default() {
	exec python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

t_ok()   { T_PASS=$((T_PASS + 1)); printf 'ok - %s\n' "$*"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); printf 'not ok - %s\n' "$*"; }
t_skip() { printf 'skip - %s\n' "$*"; exit 77; }

# t_check DESC CMD...: passes when CMD exits 0.
t_check() {
	local desc=$1; shift
	if "$@"; then t_ok "$desc"; else t_fail "$desc (command failed: $*)"; fi
}

# t_eq DESC EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then t_ok "$1"
	else t_fail "$1: expected '$2', got '$3'"; fi
}

# t_grep DESC PATTERN FILE: FILE has a line matching the extended regex.
t_grep() {
	if grep -Eq -- "$2" "$3"; then t_ok "$1"
	else t_fail "$1: no line matches /$2/ in $3"; sed 's/^/#   /' "$3" | tail -n 20; fi
}

# t_nogrep DESC PATTERN FILE: no line of FILE matches.
t_nogrep() {
	if ! grep -Eq -- "$2" "$3"; then t_ok "$1"
	else t_fail "$1: unexpected /$2/ in $3"; grep -En -- "$2" "$3" | sed 's/^/#   /' | head -n 5; fi
}

# t_status DESC EXPECTED CMD...: CMD exits with status EXPECTED.
# The command's output goes to $T_OUT (a file), for later t_grep calls.
t_status() {
	local desc=$1 want=$2 got; shift 2
	T_OUT=$T_TMP/out.$((T_PASS + T_FAIL))
	"$@" >"$T_OUT" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then t_ok "$desc"
	else t_fail "$desc: exit status $got, expected $want"; sed 's/^/#   /' "$T_OUT" | tail -n 20; fi
}

# t_cunit NAME SOURCES... [FLAGS...]: a C unit test, built from the
# repository's root with -Wall -Wextra -Werror and ASan/UBSan, then run; its
# own "ok - " / "not ok - " lines count as this file's checks, any other
# line is shown.  A build that fails is one failed check and ends the file;
# a sanitizer report (exit 99) or a crash fails the last check.
t_cunit() {
	local name=$1 rc line
	shift
	if ! (cd "$T_ROOT" && ${HOST_CC:-cc} -std=c11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
		-fsanitize=address,undefined -fno-sanitize-recover=all -Itables -Ihost -Igen \
		-o "$T_TMP/$name" "$@") >"$T_TMP/$name.build" 2>&1; then
		t_fail "$name builds"; sed 's/^/#   /' "$T_TMP/$name.build" | head -n 30; t_done
	fi
	t_ok "$name builds with -Wall -Wextra -Werror and the sanitizers"
	UBSAN_OPTIONS=exitcode=99 ASAN_OPTIONS=exitcode=99 "$T_TMP/$name" >"$T_TMP/$name.out" 2>&1
	rc=$?
	local failed=0
	while IFS= read -r line; do
		case $line in
		"ok - "*) t_ok "${line#ok - }" ;;
		"not ok - "*) t_fail "${line#not ok - }"; failed=1 ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$T_TMP/$name.out"
	# 0 when every check passed, its count of failures (1-98) when one
	# failed: anything else (a sanitizer's 99, a crash) is a failure of its own.
	if { [ "$failed" = 0 ] && [ "$rc" -eq 0 ]; } || { [ "$failed" = 1 ] && [ "$rc" -ge 1 ] && [ "$rc" -lt 99 ]; }; then
		t_ok "$name exits as its checks say (exit $rc), no sanitizer report or crash"
	else
		t_fail "$name exits $rc, its checks say $([ "$failed" = 0 ] && echo 'all passed' || echo 'some failed')"
	fi
}

t_done() {
	printf '# %s: %d passed, %d failed\n' "$(basename "$0")" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]
	exit $?
}
