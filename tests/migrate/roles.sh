#!/bin/bash
# gvmigrate --role source and --role destination: the two halves of a live
# migration between machines, here two gvmigrate processes on this one,
# over 127.0.0.1.  The destination listens on a port (port 0: any; its
# "listening on" line says which); any local user can connect to it, which
# is acceptable here only because nothing gets through without the --psk
# key (the HMAC handshake of host/rolelink.h, then QEMU's TLS-PSK), and
# the first check shows a connection without it refused and named.  Other
# local processes do connect to it (seen here, under the load of other
# users' tests: connections that sent nothing or 200+ bytes); each is
# refused and named, and the destination's RESULT line names the first --
# so the lines below allow such a note on the destination's RESULT.
# Round trips (9-12): A (--role source --back-listen) -> B (--role
# destination --back-to) -> A, the same guest asking twice (count=2); each
# half prints a LEG line per leg, with its result word (tables/migproto.h).
# quick-check: skip (many QEMUs, two per run)
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
command -v qemu-system-aarch64 >/dev/null || t_skip "no qemu-system-aarch64"
tmp=$(t_tmpdir)

# HMAC-SHA256 as openssl computes it: keys short and longer than a block.
if command -v openssl >/dev/null && cc -Wall -Wextra -Werror -Ihost -o "$tmp/sha256_check" \
	tests/migrate/sha256_check.c host/sha256.c; then
	long=$(printf 'k%.0s' {1..100})
	for kv in "key|The quick brown fox" "$long|$long$long" "x|"; do
		k=${kv%%|*} m=${kv#*|}
		want=$(printf '%s' "$m" | openssl dgst -sha256 -hmac "$k" | sed 's/.*= //')
		t_eq "HMAC-SHA256 of a ${#k}-byte key, ${#m}-byte message is openssl's" "$want" "$("$tmp/sha256_check" "$k" "$m")"
	done
fi

host/gvmigrate --make-psk "$tmp/key" >/dev/null
host/gvmigrate --make-psk "$tmp/other-key" >/dev/null
t_eq "--make-psk: the key file is private" 600 "$(stat -c %a "$tmp/key")"
t_status "--make-psk never replaces a key" 3 host/gvmigrate --make-psk "$tmp/key"

# The QEMU command line, as arm/run makes it for TCG, with a -name marker
# (a -cpu in the arguments after it wins).
qemu() {
	echo qemu-system-aarch64 -nodefaults -no-user-config -display none -serial stdio \
		-machine virt,gic-version=3 -cpu cortex-a57 -accel tcg -kernel arm/migrate.flat -name "$marker"
}

# said_port FILE: the port of FILE's first "listening on" line, once it is
# there (up to 30 s), or nothing.
said_port() {
	local i p=
	for ((i = 0; i < 300; i++)); do
		p=$(sed -n 's/^gvmigrate: listening on tcp:127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$1" 2>/dev/null | head -n 1)
		[ -n "$p" ] && break
		sleep 0.1
	done
	printf '%s\n' "$p"
}

# pair DESC MAX: a destination (DST_ENV, DST_OPTS, DST_QEMU_ARGS) and a source
# (SRC_OPTS, SRC_QEMU_ARGS) to it; the source starts once the destination
# said its port (after INTRUDE, a command run with $port, if set).  Sets
# DST_RC, SRC_RC, DST_OUT, SRC_OUT; checks the bound, that no QEMU of the
# pair is left and that both TMPDIRs are empty.
pair() {
	local desc=$1 max=$2 t0 dtmp stmp dpid
	marker=gvrole-$$-$RANDOM
	dtmp=$tmp/d-$marker stmp=$tmp/s-$marker
	mkdir -m 700 "$dtmp" "$stmp"
	DST_OUT=$tmp/$marker.dst SRC_OUT=$tmp/$marker.src
	t0=$(date +%s%N)
	env TMPDIR="$dtmp" "${DST_ENV[@]}" host/gvmigrate --role destination --listen tcp:127.0.0.1:0 \
		--psk "$tmp/key" "${DST_OPTS[@]}" -- $(qemu) "${DST_QEMU_ARGS[@]}" >"$DST_OUT" 2>&1 &
	dpid=$!
	port=$(said_port "$DST_OUT")
	if [ -z "$port" ]; then
		t_fail "$desc: the destination said no port"; sed 's/^/#   /' "$DST_OUT"; wait; return
	fi
	[ -z "${INTRUDE:-}" ] || eval "$INTRUDE"
	SRC_RC=
	if [ -n "${SRC_OPTS+x}" ]; then
		env TMPDIR="$stmp" host/gvmigrate --role source --to "tcp:127.0.0.1:$port" "${SRC_OPTS[@]}" \
			-- $(qemu) "${SRC_QEMU_ARGS[@]}" >"$SRC_OUT" 2>&1
		SRC_RC=$?
	fi
	wait "$dpid"
	DST_RC=$?
	ended_clean "$desc" "$max" "$t0" "$dtmp" "$stmp"
}

# ended_clean DESC MAX T0 DIR1 DIR2: both halves ended within MAX s of T0
# (ns), no QEMU of this run ($marker) is left, and their TMPDIRs are empty.
ended_clean() {
	local desc=$1 max=$2 ms
	ms=$((($(date +%s%N) - $3) / 1000000))
	if [ "$ms" -le $((max * 1000)) ]; then t_ok "$desc: both ended within ${max}s (${ms} ms)"
	else t_fail "$desc: took ${ms} ms, more than ${max}s"; fi
	if pgrep -f -- "[q]emu-system.*$marker" >/dev/null; then
		t_fail "$desc: a QEMU is still there"; pkill -9 -f -- "[q]emu-system.*$marker"
	else t_ok "$desc: no QEMU left"; fi
	if [ -z "$(ls -A "$4" "$5" | grep -v ':$' | grep .)" ]; then t_ok "$desc: nothing left in either TMPDIR"
	else t_fail "$desc: left: $(ls -A "$4" "$5" | tr '\n' ' ')"; fi
}
# last DESC FILE REGEX: FILE's last line (the RESULT contract) matches.
last() {
	if tail -n 1 "$2" | grep -Eq -- "$3"; then t_ok "$1"
	else t_fail "$1: last line '$(tail -n 1 "$2")' does not match /$3/"; sed 's/^/#   /' "$2" | tail -n 15; fi
}

# 1. A live migration; before the source, a local process connects without
#    the key: refused and named, and the destination keeps waiting.
DST_ENV=() DST_OPTS=(--timeout 90) DST_QEMU_ARGS=(-append 'count=1 rate_ms=200')
SRC_OPTS=(--psk "$tmp/key" --timeout 90) SRC_QEMU_ARGS=(-append 'count=1 rate_ms=200')
INTRUDE='exec 9<>"/dev/tcp/127.0.0.1/$port"; echo "let me in" >&9; exec 9<&-
	exec 9<>"/dev/tcp/127.0.0.1/$port"; printf "x%.0s" {1..300} >&9; exec 9<&-'
pair "migration between the halves" 90
t_eq "pass: source exits 0" 0 "$SRC_RC"
t_eq "pass: destination exits 0" 0 "$DST_RC"
last "pass: the source's RESULT line" "$SRC_OUT" '^gvmigrate: RESULT PASS 0 1 migration 1 to tcp:127\.0\.0\.1:[0-9]+ completed'
t_grep "pass: the source reports QEMU's total time and downtime" '^gvmigrate: migration 1 \(tcp, to another machine\): source -> tcp:127\.0\.0\.1:[0-9]+, [0-9.]+ ms from request to completion; QEMU: (total [0-9]+ ms, downtime [0-9]+ ms|no figures)' "$SRC_OUT"
t_grep "pass: the guest compared its view on the destination" "^PASS: migration 1: the guest.s view is unchanged \([0-9]+ keys, 0 differ\)" "$DST_OUT"
t_grep "pass: the counter rate was checked on the destination" '^PASS: migration 1: the counter runs at CNTFRQ_EL0.s rate' "$DST_OUT"
t_nogrep "pass: the guest did not compare on the source" '^PASS: migration 1' "$SRC_OUT"
t_grep "pass: a keyless connection sending too much was refused and named" '^gvmigrate: refused a connection from 127\.0\.0\.1:[0-9]+: no hello: a line longer than 200 bytes$' "$DST_OUT"
t_grep "pass: the keyless connection was refused and named" '^gvmigrate: refused a connection from 127\.0\.0\.1:[0-9]+: not a gvmigrate source: it said .let me in.' "$DST_OUT"
last "pass: the destination's RESULT line, naming a refused connection" "$DST_OUT" '^gvmigrate: RESULT PASS 0 1 migration 1 from 127\.0\.0\.1:[0-9]+ received; the guest PASSED on the destination \(destination refused a foreign connection: connection from 127\.0\.0\.1:[0-9]+: '
INTRUDE=

# 2. The destination refuses the state (another CPU model: the load fails):
#    the guest goes on on the source and passes there.
DST_QEMU_ARGS=(-cpu max,sve=off -append 'count=1 rate_ms=0')
SRC_QEMU_ARGS=(-cpu max -append 'count=1 rate_ms=0')
pair "the destination refuses" 90
t_eq "refused: source exits REFUSED (79)" 79 "$SRC_RC"
last "refused: the source's verdict: refused, resumed, PASSED" "$SRC_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(.+\); the guest resumed on the source and PASSED$'
t_grep "refused: the guest compared its view on the source" "^PASS: migration 1: the guest.s view is unchanged" "$SRC_OUT"
t_grep "refused: the guest runs on the source again" '^gvmigrate: the guest (runs on the source again|was .* resumed it)' "$SRC_OUT"
t_eq "refused: destination exits REFUSED (79)" 79 "$DST_RC"
last "refused: the destination names QEMU's reason" "$DST_OUT" "^gvmigrate: RESULT REFUSED 79 1 migration 1 from 127\.0\.0\.1:[0-9]+ refused: the destination's QEMU did not load the stream: qemu-system-aarch64: "
t_grep "refused: the destination shows QEMU's whole refusal" "^destination: qemu-system-aarch64: Failed to load cpu:cpreg_vmstate_array_len" "$DST_OUT"

# 3. The destination's QEMU is killed mid-migration: the source resumes.
DST_ENV=(GVMIGRATE_FAULT=kill-destination)
DST_QEMU_ARGS=(-append 'count=1 rate_ms=0') SRC_QEMU_ARGS=(-append 'count=1 rate_ms=0')
pair "the destination dies mid-migration" 90
t_grep "killed: the fault was injected mid-stream" "^gvmigrate: injecting fault 'kill-destination'" "$DST_OUT"
t_eq "killed: destination exits QEMU_ERROR (2)" 2 "$DST_RC"
last "killed: the destination names the death" "$DST_OUT" '^gvmigrate: RESULT QEMU_ERROR 2 1 migration 1 from 127\.0\.0\.1:[0-9]+ ended: destination died \(killed by signal 9\)( \(destination refused a foreign connection: .*\))?$'
t_grep "killed: the destination's LEG 1 says its QEMU died" '^gvmigrate: LEG 1 in 127\.0\.0\.1:[0-9]+ result=died$' "$DST_OUT"
t_grep "killed: the source's LEG 1 says the migration failed" '^gvmigrate: LEG 1 out tcp:127\.0\.0\.1:[0-9]+ result=failed$' "$SRC_OUT"
t_eq "killed: source exits REFUSED (79)" 79 "$SRC_RC"
last "killed: the source's guest resumed and PASSED" "$SRC_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(.+\); the guest resumed on the source and PASSED$'
t_grep "killed: the guest compared its view on the source" "^PASS: migration 1: the guest.s view is unchanged" "$SRC_OUT"
DST_ENV=()

# 3b. The destination's QEMU hangs mid-migration (SIGSTOP): the source gives
#     up at --link-timeout, cancels, and the guest passes on the source; the
#     destination gives up at its own --link-timeout too (a stalled stream,
#     whether the link or its QEMU stalled), well before its --timeout.
DST_ENV=(GVMIGRATE_FAULT=stop-destination) DST_OPTS=(--timeout 40 --link-timeout 8)
SRC_OPTS=(--psk "$tmp/key" --timeout 90 --link-timeout 8)
pair "the destination hangs mid-migration" 90
t_eq "hung: source exits REFUSED (79)" 79 "$SRC_RC"
last "hung: the source names the bound and the guest PASSED" "$SRC_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(the migration did not complete within 8s \(--link-timeout\)\); the guest resumed on the source and PASSED$'
t_grep "hung: the guest runs on the source again" '^gvmigrate: the guest (runs on the source again|was .* resumed it)' "$SRC_OUT"
t_grep "hung: the destination's LEG 1 says the stream stalled" '^gvmigrate: LEG 1 in 127\.0\.0\.1:[0-9]+ result=stalled$' "$DST_OUT"
t_grep "hung: the source's LEG 1 says it cancelled the migration" '^gvmigrate: LEG 1 out tcp:127\.0\.0\.1:[0-9]+ result=cancelled$' "$SRC_OUT"
t_eq "hung: destination exits REFUSED (79), at its --link-timeout" 79 "$DST_RC"
last "hung: the destination says the stream stalled and the source keeps the guest" "$DST_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 from 127\.0\.0\.1:[0-9]+ did not arrive within 8s \(--link-timeout\): the source keeps the guest$'
DST_ENV=() DST_OPTS=(--timeout 90) SRC_OPTS=(--psk "$tmp/key" --timeout 90)

# 4. A source with another key: refused by the destination, named on both
#    sides; the guest passes on the source; the destination waits on, to its bound.
DST_OPTS=(--timeout 25) SRC_OPTS=(--psk "$tmp/other-key" --timeout 60)
pair "a source with the wrong key" 60
t_eq "wrong key: source exits REFUSED (79)" 79 "$SRC_RC"
last "wrong key: the source names the refusal" "$SRC_OUT" "^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(tcp:127\.0\.0\.1:[0-9]+ refused the connection: authentication failed: its hello is not signed with this destination's --psk key\); the guest resumed on the source and PASSED$"
t_eq "wrong key: destination exits TIMEOUT (124)" 124 "$DST_RC"
t_grep "wrong key: the destination names the refused source" "^gvmigrate: refused a connection from 127\.0\.0\.1:[0-9]+: authentication failed: its hello is not signed with this destination's --psk key$" "$DST_OUT"
last "wrong key: the destination's RESULT line names a refused connection" "$DST_OUT" "^gvmigrate: RESULT TIMEOUT 124 0 no source connected within 25s \(destination refused a foreign connection: connection from 127\.0\.0\.1:[0-9]+: "

# 5. Nobody connects: the destination ends at its bound, and says so.
# Its QEMU may not be ready by then under load: a TIMEOUT that says that.
DST_OPTS=(--timeout 10)
unset SRC_OPTS
pair "a destination nobody connects to" 30
t_eq "nobody: destination exits TIMEOUT (124)" 124 "$DST_RC"
last "nobody: the verdict says it" "$DST_OUT" '^gvmigrate: RESULT TIMEOUT 124 0 (no source connected within 10s|no end in time while the destination.s QEMU got ready to receive)( \(destination refused a foreign connection: .*\))?$'

# 6. A destination that accepts and never answers (a bare socket): the source
#    gives up at --link-timeout and the guest passes on the source.
marker=gvrole-$$-silent
mkdir -m 700 "$tmp/silent"
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); time.sleep(30)' >"$tmp/silent.port" &
spid=$!
for ((i = 0; i < 100; i++)); do [ -s "$tmp/silent.port" ] && break; sleep 0.1; done
t0=$(date +%s%N)
t_status "silent: the source exits REFUSED (79)" 79 env TMPDIR="$tmp/silent" host/gvmigrate --role source \
	--to "tcp:127.0.0.1:$(cat "$tmp/silent.port")" --psk "$tmp/key" --link-timeout 3 --timeout 60 \
	-- $(qemu) -append 'count=1 rate_ms=0'
ms=$((($(date +%s%N) - t0) / 1000000))
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
[ "$ms" -le 25000 ] && t_ok "silent: ended within 25s (the fake destination holds on 30 s) (${ms} ms)" || t_fail "silent: took ${ms} ms"
last "silent: the source names the silence and the guest PASSED" "$T_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(tcp:127\.0\.0\.1:[0-9]+: cannot wait for its challenge: no answer within [0-9]+ ms\); the guest resumed on the source and PASSED$'
t_check "silent: no QEMU left" bash -c "! pgrep -f -- '[q]emu-system.*$marker' >/dev/null"
t_eq "silent: nothing left in TMPDIR" "" "$(ls -A "$tmp/silent")"

# 7. A destination without the key that says "ready" (a fake): the source
#    sends nothing of the guest and the guest passes on the source.
marker=gvrole-$$-fake
mkdir -m 700 "$tmp/fake"
python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); f = c.makefile("rwb", buffering=0)
f.write(b"GUESTVIEW-MIGRATE-LINK challenge nonce=" + b"ab" * 32 + b"\n"); f.readline()
f.write(b"GUESTVIEW-MIGRATE-LINK ready mac=" + b"00" * 32 + b"\n"); time.sleep(30)' >"$tmp/fake.port" &
spid=$!
for ((i = 0; i < 100; i++)); do [ -s "$tmp/fake.port" ] && break; sleep 0.1; done
t_status "fake: the source exits REFUSED (79)" 79 env TMPDIR="$tmp/fake" host/gvmigrate --role source \
	--to "tcp:127.0.0.1:$(cat "$tmp/fake.port")" --psk "$tmp/key" --timeout 60 \
	-- $(qemu) -append 'count=1 rate_ms=0'
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
last "fake: the source names the missing proof and the guest PASSED" "$T_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(tcp:127\.0\.0\.1:[0-9]+ answered without proof of the --psk key .*\); the guest resumed on the source and PASSED$'
t_nogrep "fake: the source's QEMU was never given the connection" '^source: .*(TLS|migration)' "$T_OUT"
t_check "fake: no QEMU left" bash -c "! pgrep -f -- '[q]emu-system.*$marker' >/dev/null"

# 8. SIGTERM to a destination waiting for its source (SIGINT is ignored in
#    a background job of a script): INTERRUPTED at once, nothing left.
marker=gvrole-$$-term
mkdir -m 700 "$tmp/term"
TMPDIR="$tmp/term" host/gvmigrate --role destination --listen tcp:127.0.0.1:0 --psk "$tmp/key" \
	--timeout 60 -- $(qemu) >"$tmp/term.out" 2>&1 &
tpid=$!
for ((i = 0; i < 300; i++)); do
	grep -q '^gvmigrate: listening on' "$tmp/term.out" && pgrep -f -- "[q]emu-system.*$marker" >/dev/null && break
	sleep 0.1
done
t0=$(date +%s%N)
kill -TERM "$tpid"
wait "$tpid"
t_eq "term: the destination exits INTERRUPTED (130)" 130 "$?"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -le 5000 ] && t_ok "term: ended within 5s (${ms} ms)" || t_fail "term: took ${ms} ms"
last "term: the verdict says where" "$tmp/term.out" '^gvmigrate: RESULT INTERRUPTED 130 0 interrupted (while waiting for a source|while the destination.s QEMU got ready to receive)'
t_check "term: no QEMU left" bash -c "! pgrep -f -- '[q]emu-system.*$marker' >/dev/null"
t_eq "term: nothing left in TMPDIR" "" "$(ls -A "$tmp/term")"

# ---- Round trips: host A -> host B -> host A, the same running guest ----

# free_port: a port nothing listens on now, below the ephemeral range (so no
# outgoing connection takes it meanwhile): A's --back-listen must be known
# before B starts (B's --back-to), and B's port before A starts (A's --to).
free_port() {
	python3 -c '
import random, socket
for _ in range(100):
    p = random.randint(20000, 32000); s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()'
}

# not_listening DESC PORT...: nothing listens on any of the ports any more.
not_listening() {
	local desc=$1 p; shift
	for p; do
		if [ -n "$(ss -Hltn "sport = :$p")" ]; then t_fail "$desc: port $p still listening"; return; fi
	done
	t_ok "$desc: nothing listens on port$( (($# > 1)) && echo s) $*"
}

# trip DESC MAX: B, a destination (B_OPTS, B_QEMU_ARGS) with --back-to
# (BACK_TO, or A's back port), then A, a source to B (A_OPTS, A_QEMU_ARGS)
# with --back-listen on a free port (aport); DURING, if set, is a command
# run in the background meanwhile.  Sets A_RC, B_RC, A_OUT, B_OUT;
# checks the bound, that no QEMU of the trip is left, both TMPDIRs are empty
# and neither port listens any more.
trip() {
	local desc=$1 max=$2 t0 atmp btmp bpid wpid
	marker=gvrole-$$-$RANDOM
	atmp=$tmp/a-$marker btmp=$tmp/b-$marker
	mkdir -m 700 "$atmp" "$btmp"
	A_OUT=$tmp/$marker.a B_OUT=$tmp/$marker.b
	aport=$(free_port)
	t0=$(date +%s%N)
	env TMPDIR="$btmp" host/gvmigrate --role destination --listen tcp:127.0.0.1:0 \
		--back-to "${BACK_TO:-tcp:127.0.0.1:$aport}" --psk "$tmp/key" "${B_OPTS[@]}" \
		-- $(qemu) "${B_QEMU_ARGS[@]}" >"$B_OUT" 2>&1 &
	bpid=$!
	port=$(said_port "$B_OUT")
	if [ -z "$port" ]; then
		t_fail "$desc: B said no port"; sed 's/^/#   /' "$B_OUT"; kill "$bpid"; wait "$bpid"; return
	fi
	[ -z "${DURING:-}" ] || { eval "$DURING" & wpid=$!; }
	env TMPDIR="$atmp" host/gvmigrate --role source --to "tcp:127.0.0.1:$port" \
		--back-listen "tcp:127.0.0.1:$aport" --psk "$tmp/key" "${A_OPTS[@]}" \
		-- $(qemu) "${A_QEMU_ARGS[@]}" >"$A_OUT" 2>&1
	A_RC=$?
	[ -z "${DURING:-}" ] || wait "$wpid"
	wait "$bpid"
	B_RC=$?
	ended_clean "$desc" "$max" "$t0" "$atmp" "$btmp"
	not_listening "$desc" "$port" "$aport"
}

# The LEG line's words, as tables/migproto.h has them (tables/migproto.json).
leg_re() { # N DIR: a LEG line's start
	printf '^gvmigrate: LEG %s %s [^ ]+ result=done( [a-z_]+=[0-9]+)*' "$1" "$2"
}

# 9. A round trip: A -> B (upgrade), B -> A (rollback); the guest compares
#    its view after each (count=2) and passes at home.
A_OPTS=(--timeout 90) B_OPTS=(--timeout 90)
A_QEMU_ARGS=(-append 'count=2 rate_ms=0') B_QEMU_ARGS=(-append 'count=2 rate_ms=0')
unset BACK_TO
trip "round trip" 90
t_eq "round trip: A exits 0" 0 "$A_RC"
t_eq "round trip: B exits 0" 0 "$B_RC"
t_grep "round trip: A listens for the way back from its start" '^gvmigrate: listening on tcp:127\.0\.0\.1:[0-9]+ for the guest.s way back' "$A_OUT"
last "round trip: A's RESULT line, 2 migrations, the guest's verdict at home" "$A_OUT" '^gvmigrate: RESULT PASS 0 2 migration 1 to tcp:127\.0\.0\.1:[0-9]+ completed; migration 2 from 127\.0\.0\.1:[0-9]+ received; the guest PASSED back on the source$'
last "round trip: B's RESULT line, 2 migrations, the verdict on the other side" "$B_OUT" '^gvmigrate: RESULT PASS 0 2 migration 1 from 127\.0\.0\.1:[0-9]+ received; migration 2 to tcp:127\.0\.0\.1:[0-9]+ completed: the other side runs the guest and reports its verdict$'
t_grep "round trip: the guest compared its view on B after migration 1" "^PASS: migration 1: the guest.s view is unchanged \([0-9]+ keys, 0 differ\)" "$B_OUT"
t_grep "round trip: the guest compared its view at home after migration 2" "^PASS: migration 2: the guest.s view is unchanged \([0-9]+ keys, 0 differ\)" "$A_OUT"
t_grep "round trip: A's LEG 1 out has QEMU's total time and downtime" "$(leg_re 1 out) request_ms=[0-9]+ total_ms=[0-9]+ downtime_ms=[0-9]+" "$A_OUT"
t_grep "round trip: A's LEG 2 in" "$(leg_re 2 in) request_ms=[0-9]+$" "$A_OUT"
t_grep "round trip: B's LEG 1 in" "$(leg_re 1 in) request_ms=[0-9]+$" "$B_OUT"
t_grep "round trip: B's LEG 2 out has QEMU's total time and downtime" "$(leg_re 2 out) request_ms=[0-9]+ total_ms=[0-9]+ downtime_ms=[0-9]+" "$B_OUT"
t_nogrep "round trip: no LEG figure printed as a placeholder" '^gvmigrate: LEG .*=(-|$| )' "$A_OUT"
# The words come from tables/migproto.json, which Python readers use.
if [ -f tables/migproto.json ]; then
	t_check "round trip: A's and B's LEG lines parse with tables/migproto.json's words" python3 -c '
import json, sys
w = json.load(open("tables/migproto.json"))
p, fields = w["words"]["MIGLEG_PREFIX"] + " " + w["words"]["MIGLEG"] + " ", set(w["leg_fields"])
legs = {}
for path in sys.argv[1:]:
    for line in open(path, errors="replace"):
        if line.startswith(p):
            n, d, peer, *kv = line[len(p):].split()
            kv = dict(x.split("=") for x in kv)
            assert kv.pop(w["words"]["MIGLEG_RESULT"].rstrip("=")) == w["words"]["MIGLEG_DONE"], line
            assert set(kv) <= fields and d in (w["words"]["MIGLEG_OUT"], w["words"]["MIGLEG_IN"]), line
            legs[(n, d)] = kv
assert set(legs) == {("1", "out"), ("1", "in"), ("2", "out"), ("2", "in")}, legs
assert all("total_ms" in legs[(n, "out")] and "downtime_ms" in legs[(n, "out")] for n in "12"), legs' "$A_OUT" "$B_OUT"
fi

# 10. The way back refused: B's --back-to is C, a destination with another
#     CPU (cortex-a57 -> max: the load fails).  The guest stays on B, is
#     acknowledged there and finishes there (REFUSED); A waits for it to its
#     own bound and says what it waited for (TIMEOUT, no hang).
marker=gvrole-$$-c
cmarker=$marker
mkdir -m 700 "$tmp/c"
env TMPDIR="$tmp/c" host/gvmigrate --role destination --listen tcp:127.0.0.1:0 --psk "$tmp/key" \
	--timeout 90 -- $(qemu) -cpu max -append 'count=2 rate_ms=0' >"$tmp/c.out" 2>&1 &
cpid=$!
cport=$(said_port "$tmp/c.out")
BACK_TO=tcp:127.0.0.1:$cport A_OPTS=(--timeout 30)
trip "the way back refused" 90
wait "$cpid"
C_RC=$?
t_eq "back refused: B exits REFUSED (79)" 79 "$B_RC"
last "back refused: B says the way back was refused and the guest finished on B" "$B_OUT" "^gvmigrate: RESULT REFUSED 79 2 migration 1 from 127\.0\.0\.1:[0-9]+ received; the way back \(migration 2 to tcp:127\.0\.0\.1:$cport\) was refused \(.+\); the guest stayed on the destination and PASSED$"
t_grep "back refused: the guest runs on B again" '^gvmigrate: the guest (runs on the destination again|was .* resumed it)' "$B_OUT"
t_grep "back refused: the guest compared its view on B after the refusal" "^PASS: migration 2: the guest.s view is unchanged" "$B_OUT"
t_grep "back refused: B's LEG 1 in" "$(leg_re 1 in)" "$B_OUT"
t_grep "back refused: B's LEG 2 says its leg failed, no figures (the guest did not move)" '^gvmigrate: LEG 2 out tcp:127\.0\.0\.1:[0-9]+ result=failed$' "$B_OUT"
t_grep "back refused: C's LEG (its migration 1) says its QEMU refused the stream" '^gvmigrate: LEG 1 in 127\.0\.0\.1:[0-9]+ result=refused$' "$tmp/c.out"
t_eq "back refused: A exits TIMEOUT (124)" 124 "$A_RC"
last "back refused: A names migration 1 and what it waited for" "$A_OUT" '^gvmigrate: RESULT TIMEOUT 124 1 migration 1 to tcp:127\.0\.0\.1:[0-9]+ completed; no source connected within 30s while waiting for the guest to come back$'
t_eq "back refused: C exits REFUSED (79)" 79 "$C_RC"
t_check "back refused: no QEMU of C left" bash -c "! pgrep -f -- '[q]emu-system.*$cmarker' >/dev/null"
t_eq "back refused: nothing left in C's TMPDIR" "" "$(ls -A "$tmp/c")"
not_listening "back refused: C" "$cport"
unset BACK_TO

# 11. Leg 1 refused (B has another CPU): the guest stays on A, A closes its
#     back listener unused and stays REFUSED, as without --back-listen.
#     DURING looks at the port once A said it closed it, while the guest
#     still works on A (its rate checks, rate_ms=300, keep it there).
A_OPTS=(--timeout 90) B_OPTS=(--timeout 90)
A_QEMU_ARGS=(-cpu max -append 'count=2 rate_ms=300') B_QEMU_ARGS=(-cpu max,sve=off -append 'count=2 rate_ms=0')
DURING='for ((i = 0; i < 1200; i++)); do
		grep -q "^gvmigrate: closed the --back-listen" "$A_OUT" 2>/dev/null && break; sleep 0.05; done
	{ pgrep -f -- "[q]emu-system.*$marker" >/dev/null && echo "A running"; ss -Hltn "sport = :$aport"; } >"$tmp/during"'
trip "leg 1 refused" 90
unset DURING
t_eq "leg 1 refused: once closed, nothing listens on A's back port while the guest still runs on A" \
	"A running" "$(cat "$tmp/during")"
t_eq "leg 1 refused: A exits REFUSED (79)" 79 "$A_RC"
last "leg 1 refused: A's verdict as without --back-listen" "$A_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(.+\); the guest resumed on the source and PASSED$'
t_grep "leg 1 refused: A closed its back listener unused" '^gvmigrate: closed the --back-listen listener unused' "$A_OUT"
t_grep "leg 1 refused: the guest asked again and stayed on A" '^gvmigrate: the guest asked again \(request [0-9]+\); migration 1 was refused, so it stays on the source$' "$A_OUT"
t_grep "leg 1 refused: A's LEG 1 says its leg failed, no figures" '^gvmigrate: LEG 1 out tcp:127\.0\.0\.1:[0-9]+ result=failed$' "$A_OUT"
t_grep "leg 1 refused: B's LEG 1 says its QEMU refused the stream" '^gvmigrate: LEG 1 in 127\.0\.0\.1:[0-9]+ result=refused$' "$B_OUT"
t_nogrep "leg 1 refused: no LEG 2 on A" '^gvmigrate: LEG 2 ' "$A_OUT"
t_eq "leg 1 refused: B exits REFUSED (79)" 79 "$B_RC"

# 12. Without --back-to a destination still takes one migration: a second
#     request there is a harness error, as before round trips.
DST_ENV=() DST_OPTS=(--timeout 60) SRC_OPTS=(--psk "$tmp/key" --timeout 60)
DST_QEMU_ARGS=(-append 'count=2 rate_ms=0') SRC_QEMU_ARGS=(-append 'count=2 rate_ms=0')
pair "two requests without --back-to" 60
t_eq "one way: destination exits HARNESS_ERROR (3)" 3 "$DST_RC"
last "one way: the destination says it takes one" "$DST_OUT" '^gvmigrate: RESULT HARNESS_ERROR 3 1 the guest asked for another migration \(request 2\): a --role destination takes one'
t_eq "one way: source exits 0" 0 "$SRC_RC"

# Options: each half needs its own, and the key.
t_status "no --psk: a harness error" 3 host/gvmigrate --role source --to tcp:127.0.0.1:1 -- /bin/true
last "no --psk: named" "$T_OUT" '^gvmigrate: RESULT HARNESS_ERROR 3 0 --role source needs --psk FILE'
chmod 644 "$tmp/other-key"
t_status "a key others can read: a harness error" 3 host/gvmigrate --role destination --listen tcp:127.0.0.1:0 \
	--psk "$tmp/other-key" -- /bin/true
last "a key others can read: named" "$T_OUT" "^gvmigrate: RESULT HARNESS_ERROR 3 0 --psk $tmp/other-key: must be a regular file of this user that nobody else can read"
# The way back's options: --back-listen is the source's, --back-to the destination's.
t_status "--back-listen on a destination: a harness error" 3 host/gvmigrate --role destination \
	--listen tcp:127.0.0.1:0 --back-listen tcp:127.0.0.1:0 --psk "$tmp/key" -- /bin/true
last "--back-listen on a destination: named" "$T_OUT" '^gvmigrate: RESULT HARNESS_ERROR 3 0 --role destination takes --back-to, not --back-listen'
t_status "--back-to on a source: a harness error" 3 host/gvmigrate --role source --to tcp:127.0.0.1:1 \
	--back-to tcp:127.0.0.1:1 --psk "$tmp/key" -- /bin/true
last "--back-to on a source: named" "$T_OUT" '^gvmigrate: RESULT HARNESS_ERROR 3 0 --role source takes --back-listen, not --back-to'
t_status "--back-to without --role: a harness error" 3 host/gvmigrate --back-to tcp:127.0.0.1:1 -- /bin/true
last "--back-to without --role: named" "$T_OUT" '^gvmigrate: RESULT HARNESS_ERROR 3 0 --back-to belongs to --role destination$'
t_status "--back-listen without --role: a harness error" 3 host/gvmigrate --back-listen tcp:127.0.0.1:0 -- /bin/true
last "--back-listen without --role: named" "$T_OUT" '^gvmigrate: RESULT HARNESS_ERROR 3 0 --back-listen belongs to --role source$'
mkdir -m 700 "$tmp/badback"
t_status "--back-listen that is no tcp:ADDR:PORT: a harness error" 3 env TMPDIR="$tmp/badback" host/gvmigrate \
	--role source --to tcp:127.0.0.1:1 --back-listen 127.0.0.1:0 --psk "$tmp/key" -- /bin/true
last "--back-listen that is no tcp:ADDR:PORT: named" "$T_OUT" "^gvmigrate: RESULT HARNESS_ERROR 3 0 --back-listen '127\.0\.0\.1:0': expected tcp:HOST:PORT$"
t_eq "--back-listen that is no tcp:ADDR:PORT: nothing left in TMPDIR" "" "$(ls -A "$tmp/badback")"
t_done
