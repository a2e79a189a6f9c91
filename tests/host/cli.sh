#!/bin/bash
# tests/host/cli.sh: gvfp's command line: --help for the tool and each
# subcommand (exit 0, on stdout), usage errors (exit 2, one message and the
# usage line on stderr), unreadable files, and output that cannot be written.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/gvfp.bash"
cd "$(t_tmpdir)" || exit 2
EX=$CORPUS/example.fp

t_status "--help: exit 0" 0 gv --help
t_grep "--help: usage line" "^Usage: gvfp SUBCOMMAND \[OPTIONS\] FILE\.\.\.$" "$T_OUT"
for sub in extract show diff check table keys; do
	t_grep "--help: lists $sub" "^  $sub " "$T_OUT"
done
t_grep "--help: exit statuses" "^Exit status: 0 success" "$T_OUT"
for sub in extract show diff check table keys; do
	t_status "$sub --help: exit 0" 0 gv "$sub" --help
	t_grep "$sub --help: its usage line" "^Usage: gvfp $sub" "$T_OUT"
	t_grep "$sub --help: its exit statuses" "^Exit status: " "$T_OUT"
done
t_status "--help goes to stdout" 0 bash -c "'$GVFP' diff --help 2>/dev/null | grep -q '^Usage: gvfp diff A B'"

t_status "no arguments: exit 2" 2 gv
t_grep "no arguments: usage on stderr" "^Usage: gvfp SUBCOMMAND" "$T_OUT"
t_status "unknown subcommand: exit 2" 2 gv frobnicate
t_eq "unknown subcommand: message and usage line" \
	"gvfp: unknown subcommand 'frobnicate' (extract, show, diff, check, table, keys)
Usage: gvfp SUBCOMMAND [OPTIONS] FILE..." "$(cat "$T_OUT")"
t_status "unknown option: exit 2" 2 gv show --verbose "$EX"
t_eq "unknown option: message and usage line" "gvfp show: unknown option '--verbose'
Usage: gvfp show FP [--json]" "$(cat "$T_OUT")"
t_status "an option of another subcommand: exit 2" 2 gv check --json "$EX"
t_grep "an option of another subcommand: named" "^gvfp check: unknown option '--json'$" "$T_OUT"
t_status "show without a file: exit 2" 2 gv show
t_grep "show without a file: message" "^gvfp show: expected one fingerprint file$" "$T_OUT"
t_status "diff with one file: exit 2" 2 gv diff "$EX"
t_grep "diff with one file: message" "^gvfp diff: expected two fingerprint files, source and destination$" "$T_OUT"
t_status "diff with three files: exit 2" 2 gv diff "$EX" "$EX" "$EX"
t_grep "diff with three files: message" "^gvfp diff: unexpected argument '.*example.fp'$" "$T_OUT"
t_status "diff - -: exit 2" 2 gv diff - -
t_grep "diff - -: message" "^gvfp diff: only one of A and B can be standard input$" "$T_OUT"
t_status "table with a file: exit 2" 2 gv table "$EX"
t_status "-- ends the options: a file named --json" 2 gv show -- --json
t_grep "-- ends the options: the file is looked for" "^--json: cannot open: No such file or directory$" "$T_OUT"

t_status "a missing file: exit 2" 2 gv show no-such.fp
out_is "a missing file: message" "no-such.fp: cannot open: No such file or directory"
t_status "a directory: exit 2" 2 gv diff . "$EX"
out_is "a directory: message" ".: is a directory, not a regular file (give a file, or '-' for standard input)"
# A FIFO nobody writes to: opening it waited for ever.  Bounded here.
mkfifo in.fifo out.fifo
for sub in show keys "diff $EX" extract; do
	t_status "gvfp $sub FIFO: exit 2, at once" 2 timeout 10 "$GVFP" $sub in.fifo
	out_is "gvfp $sub FIFO: names the file" "in.fifo: is a FIFO, not a regular file (give a file, or '-' for standard input)"
done
t_status "extract -o FIFO: exit 2, at once" 2 timeout 10 "$GVFP" extract "$CORPUS/console.log" -o out.fifo
out_is "extract -o FIFO: names the file" "gvfp extract: out.fifo: is a FIFO, not a regular file (-o writes a file)"
cp "$EX" locked.fp && chmod 000 locked.fp
if [ "$(id -u)" != 0 ]; then
	t_status "an unreadable file: exit 2" 2 gv show locked.fp
	out_is "an unreadable file: message" "locked.fp: cannot open: Permission denied"
fi
t_status "standard input as a fingerprint" 0 bash -c "'$GVFP' show - <'$EX' >stdin.out"
t_grep "standard input: named <stdin>" "^<stdin>: guestview fingerprint 1, 19 keys" stdin.out
t_status "standard input as the source of a diff" 0 bash -c "'$GVFP' diff - '$EX' <'$EX'"
t_grep "standard input as source: named" "^<stdin> -> .*example.fp: identical" "$T_OUT"

# Output that cannot be written is an error, not a silent success.
if [ -w /dev/full ]; then
	t_status "show into a full disk: exit 2" 2 bash -c "'$GVFP' show '$EX' >/dev/full"
	t_grep "show into a full disk: message" "^gvfp: writing standard output: No space left on device$" "$T_OUT"
	t_status "extract -o onto a full disk: exit 2" 2 gv extract "$CORPUS/console.log" -o /dev/full
	t_grep "extract -o onto a full disk: message" "^gvfp extract: /dev/full: write failed: No space left on device$" "$T_OUT"
	t_status "diff into a full disk: exit 2, not 0 or 1" 2 bash -c "'$GVFP' diff '$EX' '$CORPUS/qemu-a57.fp' >/dev/full"
fi
t_done
