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

t_done() {
	printf '# %s: %d passed, %d failed\n' "$(basename "$0")" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]
	exit $?
}
