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

# pair DESC MAX: a destination (DST_ENV, DST_OPTS, DST_QEMU_ARGS) and a source
# (SRC_OPTS, SRC_QEMU_ARGS) to it; the source starts once the destination
# said its port (after INTRUDE, a command run with $port, if set).  Sets
# DST_RC, SRC_RC, DST_OUT, SRC_OUT; checks the bound, that no QEMU of the
# pair is left and that both TMPDIRs are empty.
pair() {
	local desc=$1 max=$2 t0 ms i dtmp stmp dpid
	marker=gvrole-$$-$RANDOM
	dtmp=$tmp/d-$marker stmp=$tmp/s-$marker
	mkdir -m 700 "$dtmp" "$stmp"
	DST_OUT=$tmp/$marker.dst SRC_OUT=$tmp/$marker.src
	t0=$(date +%s%N)
	env TMPDIR="$dtmp" "${DST_ENV[@]}" host/gvmigrate --role destination --listen tcp:127.0.0.1:0 \
		--psk "$tmp/key" "${DST_OPTS[@]}" -- $(qemu) "${DST_QEMU_ARGS[@]}" >"$DST_OUT" 2>&1 &
	dpid=$!
	port=
	for ((i = 0; i < 300; i++)); do
		port=$(sed -n 's/^gvmigrate: listening on tcp:127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$DST_OUT" 2>/dev/null)
		[ -n "$port" ] && break
		sleep 0.1
	done
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
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$ms" -le $((max * 1000)) ]; then t_ok "$desc: both ended within ${max}s (${ms} ms)"
	else t_fail "$desc: took ${ms} ms, more than ${max}s"; fi
	if pgrep -f -- "[q]emu-system.*$marker" >/dev/null; then
		t_fail "$desc: a QEMU is still there"; pkill -9 -f -- "[q]emu-system.*$marker"
	else t_ok "$desc: no QEMU left"; fi
	if [ -z "$(ls -A "$dtmp" "$stmp" | grep -v ':$' | grep .)" ]; then t_ok "$desc: nothing left in either TMPDIR"
	else t_fail "$desc: left: $(ls -A "$dtmp" "$stmp" | tr '\n' ' ')"; fi
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
t_eq "killed: source exits REFUSED (79)" 79 "$SRC_RC"
last "killed: the source's guest resumed and PASSED" "$SRC_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(.+\); the guest resumed on the source and PASSED$'
t_grep "killed: the guest compared its view on the source" "^PASS: migration 1: the guest.s view is unchanged" "$SRC_OUT"
DST_ENV=()

# 3b. The destination's QEMU hangs mid-migration (SIGSTOP): the source gives
#     up at --link-timeout, cancels, and the guest passes on the source; the
#     destination ends at its own bound.
DST_ENV=(GVMIGRATE_FAULT=stop-destination) DST_OPTS=(--timeout 40)
SRC_OPTS=(--psk "$tmp/key" --timeout 90 --link-timeout 8)
pair "the destination hangs mid-migration" 90
t_eq "hung: source exits REFUSED (79)" 79 "$SRC_RC"
last "hung: the source names the bound and the guest PASSED" "$SRC_OUT" '^gvmigrate: RESULT REFUSED 79 1 migration 1 refused by the destination \(the migration did not complete within 8s \(--link-timeout\)\); the guest resumed on the source and PASSED$'
t_grep "hung: the guest runs on the source again" '^gvmigrate: the guest (runs on the source again|was .* resumed it)' "$SRC_OUT"
t_eq "hung: destination exits TIMEOUT (124)" 124 "$DST_RC"
last "hung: the destination says where it hung" "$DST_OUT" '^gvmigrate: RESULT TIMEOUT 124 1 no end in time while the migration came in'
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

# Options: each half needs its own, and the key.
t_status "no --psk: a harness error" 3 host/gvmigrate --role source --to tcp:127.0.0.1:1 -- /bin/true
last "no --psk: named" "$T_OUT" '^gvmigrate: RESULT HARNESS_ERROR 3 0 --role source needs --psk FILE'
chmod 644 "$tmp/other-key"
t_status "a key others can read: a harness error" 3 host/gvmigrate --role destination --listen tcp:127.0.0.1:0 \
	--psk "$tmp/other-key" -- /bin/true
last "a key others can read: named" "$T_OUT" "^gvmigrate: RESULT HARNESS_ERROR 3 0 --psk $tmp/other-key: must be a regular file of this user that nobody else can read"
t_done
