#!/bin/bash
# tests/runner/console.sh: arm/run reads QEMU's console from a file, many
# lines at a look (mapfile), not a byte at a time from a pipe (issue 15).
# What it shows must be what the run wrote, whatever the writes' shape: a
# line cut over two looks, a last line without its newline, NUL bytes
# (dropped, as bash's read drops them: mapfile would cut the line there),
# a status line after a NUL.  And the console's file leaves nothing behind.
# No QEMU: fake ones, scripts that print.
# shellcheck disable=SC2016 # the fake QEMUs' scripts expand when they run
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f tables/outcomes.bash ] && [ -f tables/migproto.bash ] && [ -f tables/bulkproto.bash ] ||
	t_skip "tables/outcomes.bash, tables/migproto.bash or tables/bulkproto.bash not generated (run make)"
tmp=$(t_tmpdir)
mkdir -p "$tmp/tmp"
export TMPDIR=$tmp/tmp ACCEL=tcg TIMEOUT=20
unset BASELINE MIGRATION SAVE_STATE RESTORE_STATE GUESTVIEW_BULK GUESTVIEW_CONSOLE_FILE GUESTVIEW_SETPRIV
# A payload header arm/run accepts (the arm64 Image magic at 56).
{ head -c 56 /dev/zero; printf 'ARMd\0\0\0\0'; } >"$tmp/p.flat"

# fake NAME SCRIPT: a "QEMU" that runs SCRIPT (bash; expanded when it runs).
fake() { printf '#!/bin/bash\n%s\n' "$2" >"$tmp/$1"; chmod +x "$tmp/$1"; }
# shown NAME: what arm/run showed of the run: its output without the
# command line (first) and the verdict (last), NUL bytes made visible.
shown() { sed '1d;$d' "$tmp/$1.out" | od -An -c | tr -s ' \n' ' '; }

# A line cut over several looks (each a tick apart), a last line without
# its newline, lines as they come.
fake slow 'for i in 1 2 3; do printf "line $i"; sleep 0.05; printf " end\n"; done
printf "SUMMARY: 3 tests\nEXIT: PASS\nno newline"'
t_status "lines cut over looks: PASS" 0 env QEMU="$tmp/slow" arm/run "$tmp/p.flat"
cp "$T_OUT" "$tmp/slow.out"
t_eq "... every line whole, in order, the last one too" \
	"$(printf 'line 1 end\nline 2 end\nline 3 end\nSUMMARY: 3 tests\nEXIT: PASS\nno newline\n' | od -An -c | tr -s ' \n' ' ')" \
	"$(shown slow)"
t_grep "... the verdict has the summary" '^arm/run: PASS \(3 tests\)$' <(tail -n 1 "$tmp/slow.out")

# NUL bytes, in one look and across looks: dropped, the rest of the line
# kept (a status line after one still counts).
fake nul 'printf "ab\0cd\nSUMMARY: 2 tests\n"; sleep 0.1; printf "\0EXIT: PASS\nef\0"; sleep 0.1; printf "gh\n"'
t_status "NUL bytes: PASS (the status line after a NUL is seen)" 0 env QEMU="$tmp/nul" arm/run "$tmp/p.flat"
cp "$T_OUT" "$tmp/nul.out"
t_eq "... NUL bytes dropped, nothing else" \
	"$(printf 'abcd\nSUMMARY: 2 tests\nEXIT: PASS\nefgh\n' | od -An -c | tr -s ' \n' ' ')" "$(shown nul)"

# Many lines in one look, then a NUL in a later one: what came before the
# NUL is not shown twice, nor lost.
fake many 'for ((i = 0; i < 300; i++)); do echo "PASS: check $i"; done; sleep 0.1
printf "x\0y\nEXIT: PASS\n"'
t_status "300 lines, then a NUL: PASS" 0 env QEMU="$tmp/many" arm/run "$tmp/p.flat"
cp "$T_OUT" "$tmp/many.out"
t_eq "... each line once, in order" \
	"$({ for ((i = 0; i < 300; i++)); do echo "PASS: check $i"; done; printf 'xy\nEXIT: PASS\n'; } | od -An -c | tr -s ' \n' ' ')" \
	"$(shown many)"

t_eq "no console file left in TMPDIR" "" "$(ls -A "$tmp/tmp")"

# The caller's file (run_tests.sh names one in its private directory):
# used, not removed, emptied at the end; nothing made in TMPDIR.
: >"$tmp/console"
t_status "GUESTVIEW_CONSOLE_FILE: PASS" 0 env QEMU="$tmp/slow" GUESTVIEW_CONSOLE_FILE="$tmp/console" arm/run "$tmp/p.flat"
t_check "... the file is there, empty" test -f "$tmp/console" -a ! -s "$tmp/console"
t_eq "... and nothing in TMPDIR" "" "$(ls -A "$tmp/tmp")"
t_status "GUESTVIEW_CONSOLE_FILE in a missing directory: HARNESS_ERROR (3)" 3 \
	env QEMU="$tmp/slow" GUESTVIEW_CONSOLE_FILE="$tmp/nodir/console" arm/run "$tmp/p.flat"
t_grep "... naming the variable" "^arm/run: HARNESS_ERROR: cannot open GUESTVIEW_CONSOLE_FILE '$tmp/nodir/console'" <(tail -n 1 "$T_OUT")

# GUESTVIEW_SETPRIV (run_tests.sh probes setpriv once per run): 1, arm/run
# starts the run under setpriv without probing it again; 0, without it;
# unset, it probes (one more call).  A setpriv first on PATH counts.
mkdir -p "$tmp/bin"
printf '#!/bin/bash\necho "$*" >>"%s/setpriv.calls"\nshift 2\nexec "$@"\n' "$tmp" >"$tmp/bin/setpriv"
chmod +x "$tmp/bin/setpriv"
for v in 1 0 unset; do
	rm -f "$tmp/setpriv.calls"
	if [ "$v" = unset ]; then
		t_status "GUESTVIEW_SETPRIV unset: PASS" 0 env PATH="$tmp/bin:$PATH" QEMU="$tmp/slow" arm/run "$tmp/p.flat"
	else
		t_status "GUESTVIEW_SETPRIV=$v: PASS" 0 env PATH="$tmp/bin:$PATH" GUESTVIEW_SETPRIV=$v QEMU="$tmp/slow" arm/run "$tmp/p.flat"
	fi
	case $v in 1) want=1 ;; 0) want=0 ;; unset) want=2 ;; esac
	t_eq "... setpriv called $want time(s)" "$want" "$(wc -l 2>/dev/null <"$tmp/setpriv.calls" || echo 0)"
done
t_done
