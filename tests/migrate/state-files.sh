#!/bin/bash
# State files on a shared host (gvmigrate runs as root): a save never
# writes through a symlink or into somebody else's file, a failed save keeps
# the previous state, and what cannot be a state is refused, with the
# reason, before QEMU starts -- not after the run's whole timeout.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
export TIMEOUT=60s
dir=$(t_tmpdir)/states
mkdir -m 700 "$dir"
guest=(arm/migrate.flat -append 'count=1 rate_ms=0')

# refused_early DESC STATE_VAR PATH REASON_RE: refused (status 3) within 10s
# (the timeout is 60s), with the reason, and no guest ever ran.
refused_early() {
	mig_run "$1" 3 10 "$2=$3" -- "${guest[@]}"
	t_grep "$1: the reason" "$4" "$T_OUT"
	t_nogrep "$1: refused before QEMU started" '^GUESTVIEW-MIGRATE request' "$T_OUT"
}

# Targets that a save must not write through or into.
echo "the victim's data" > "$dir/victim"
ln -s "$dir/victim" "$dir/link"
refused_early "save to a symlink" SAVE_STATE "$dir/link" \
	"^gvmigrate: cannot save to $dir/link: it is a symbolic link, not a regular file"
t_eq "save to a symlink: its target is untouched" "the victim's data" "$(cat "$dir/victim")"
t_check "save to a symlink: the symlink is still there" test -L "$dir/link"

if [ "$(id -u)" = 0 ]; then
	echo "somebody's data" > "$dir/theirs"
	chown 65534:65534 "$dir/theirs" && chmod 666 "$dir/theirs"
	refused_early "save over another user's file" SAVE_STATE "$dir/theirs" \
		"^gvmigrate: cannot save to $dir/theirs: it belongs to uid 65534, not to the invoking user"
	t_eq "another user's file: its data is untouched" "somebody's data" "$(cat "$dir/theirs")"
fi

mkfifo "$dir/fifo"
refused_early "save to a FIFO" SAVE_STATE "$dir/fifo" "cannot save to $dir/fifo: it is a FIFO, not a regular file"
refused_early "restore from a FIFO" RESTORE_STATE "$dir/fifo" \
	"^gvmigrate: cannot restore from $dir/fifo: it is a FIFO, not a regular file"

# An own file that others could write (0666) is replaced by a new private one.
echo "an old file" > "$dir/state" && chmod 666 "$dir/state"
inode=$(stat -c %i "$dir/state")
# Temporary files of earlier saves (where there is no O_TMPFILE): one of a
# run that is gone (removed), one of a process that lives (kept).
dead=$(sh -c 'echo $$')
printf 'GUESTVIEW-PARTIAL\n' > "$dir/.state.gvmigrate-$dead-Ab12Cd"
printf 'GUESTVIEW-PARTIAL\n' > "$dir/.state.gvmigrate-$$-Ef34Gh"
mig_run "save over an own 0666 file" 0 30 SAVE_STATE="$dir/state" -- "${guest[@]}"
t_grep "save: a dead run's temporary file is removed, said" \
	"^gvmigrate: removing $dir/.state.gvmigrate-$dead-Ab12Cd, an unfinished save of a run that was killed" "$T_OUT"
t_check "save: the dead run's temporary file is gone" test ! -e "$dir/.state.gvmigrate-$dead-Ab12Cd"
t_check "save: a live process's temporary file is kept" test -e "$dir/.state.gvmigrate-$$-Ef34Gh"
rm -f "$dir/.state.gvmigrate-$$-Ef34Gh"
t_eq "own 0666 file: the new state is private" 600 "$(stat -c %a "$dir/state")"
t_check "own 0666 file: a new file, not written in place" test "$(stat -c %i "$dir/state")" != "$inode"
t_eq "own 0666 file: no temporary file left beside it" "" "$(ls -A "$dir" | grep -v '^\(fifo\|link\|state\|theirs\|victim\)$')"
good=$(t_tmpdir)/good
cp "$dir/state" "$good"

# What cannot be a state: said, before QEMU starts.
stream=$(t_tmpdir)/stream
tail -c +"$(($(head -n 1 "$good" | wc -c) + 1))" "$good" > "$stream"
{ printf 'GUESTVIEW-STATE seq=99999999999999\n'; cat "$stream"; } > "$dir/bigseq"
refused_early "restore: a seq out of range" RESTORE_STATE "$dir/bigseq" \
	"cannot restore from $dir/bigseq: the header's seq=99999999999999 is out of range"
printf 'GUESTVIEW-STATE seq=1\n' > "$dir/headeronly"
refused_early "restore: a header and no stream" RESTORE_STATE "$dir/headeronly" \
	"cannot restore from $dir/headeronly: no QEMU migration stream \('QEVM'\) after the header"
: > "$dir/empty"
refused_early "restore: an empty file" RESTORE_STATE "$dir/empty" \
	"cannot restore from $dir/empty: not a state saved by gvmigrate --save"
{ printf 'GUESTVIEW-PARTIAL    \n'; cat "$stream"; } > "$dir/partial"
refused_early "restore: an unfinished save" RESTORE_STATE "$dir/partial" \
	"cannot restore from $dir/partial: an unfinished save"
# The guest waits for the ack of its own request: a seq that is not the
# stream's would have it wait out the TIMEOUT (the header's check says).
sed '1s/^GUESTVIEW-STATE seq=1 /GUESTVIEW-STATE seq=2 /' "$good" > "$dir/otherseq"
refused_early "restore: a seq edited to another request" RESTORE_STATE "$dir/otherseq" \
	"cannot restore from $dir/otherseq: the header's seq=2 does not match the stream after it \(header check=[0-9a-f]{16}, computed [0-9a-f]{16}\)"
{ head -n 1 "$good"; head -c 4000 "$stream"; printf X; tail -c +4002 "$stream"; } > "$dir/damaged"
refused_early "restore: a byte of the stream changed" RESTORE_STATE "$dir/damaged" \
	"cannot restore from $dir/damaged: the header's seq=1 does not match the stream after it"
{ printf 'GUESTVIEW-STATE seq=1\n'; cat "$stream"; } > "$dir/nocheck"
refused_early "restore: a header without its check" RESTORE_STATE "$dir/nocheck" \
	"cannot restore from $dir/nocheck: the header's seq=1 has no check= "
cp "$good" "$dir/writable" && chmod 646 "$dir/writable"
refused_early "restore: a state others can write" RESTORE_STATE "$dir/writable" \
	"cannot restore from $dir/writable: it can be written by others"
rm -f "$dir/bigseq" "$dir/headeronly" "$dir/empty" "$dir/partial" "$dir/writable" "$dir/otherseq" \
	"$dir/damaged" "$dir/nocheck"

# A save that fails because the disk is full is the host's fault, said
# with ENOSPC, not a refusal; it keeps the previous state byte for byte and
# leaves no temporary file: a 1200 KiB tmpfs holds one state (~850 KiB)
# but not a second one beside it.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	full=$(t_tmpdir)/full
	mkdir -m 700 "$full"
	# The mount exists only in this shell's private mount namespace.
	unshare -m --propagation private bash -c '
		mount -t tmpfs -o size=1200k,mode=700 gvtest "$1" || exit 2
		cp "$2" "$1/state" || exit 2
		env TMPDIR="$3" SAVE_STATE="$1/state" arm/run arm/migrate.flat \
			-append "count=1 rate_ms=0" > "$3/out" 2>&1
		echo "$?" > "$3/status"
		cmp "$2" "$1/state" > "$3/cmp" 2>&1; echo "$?" >> "$3/cmp"
		ls -A "$1" > "$3/left"
	' - "$full" "$good" "$(t_tmpdir)"
	# A host fault (HARNESS_ERROR), not QEMU refusing the migration (REFUSED, 79).
	t_eq "disk full: the save failed as a harness error" 3 "$(cat "$T_TMP/status")"
	t_grep "disk full: the verdict names ENOSPC and the file" \
		"^arm/run: HARNESS_ERROR: cannot save: No space left on device \(ENOSPC\) writing $full/state\$" "$T_TMP/out"
	t_nogrep "disk full: not called a refusal, no register diagnosis" 'refused|REFUSED|CPU registers' "$T_TMP/out"
	t_grep "disk full: says the previous state is kept" \
		"^gvmigrate: the state was not saved; $full/state is as it was before the run" "$T_TMP/out"
	t_eq "disk full: the previous state is byte-identical" 0 "$(tail -n 1 "$T_TMP/cmp")"
	t_eq "disk full: no temporary file left" state "$(cat "$T_TMP/left")"
fi

mig_run "the state saved over an own file restores" 0 30 RESTORE_STATE="$dir/state" -- "${guest[@]}"
t_done
