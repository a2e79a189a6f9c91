#!/bin/bash
# TCP migration on a shared host: no QEMU of the run listens on a port that
# another local process could take first (tcppair.h).  A process that
# connects to whatever the run listens on and sends nothing -- which stalled
# the run until its TIMEOUT while QEMU waited on its TLS handshake -- finds
# nothing to connect to, and the run migrates as if it were not there.  A
# connection that gets into the harness's own moment of listening
# (GVMIGRATE_FAULT=foreign-connect) is closed unread and named in the
# verdict.  Both QEMUs the project uses.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
# Far above a normal run (a few seconds on an idle machine): a stalled run shows as 124.
export TIMEOUT=90s
qemus=(qemu-system-aarch64)
[ -x deps/qemu10/usr/bin/qemu-system-aarch64 ] && qemus+=(deps/qemu10/usr/bin/qemu-system-aarch64)
guest=(arm/migrate.flat -machine virt-7.2 -cpu cortex-a57)

for qemu in "${qemus[@]}"; do
	v=$("$qemu" --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
	# rate_ms: the guest works 1.5 s after migration 1, while destination 2 waits.
	marker=gvforeign-$$-$RANDOM
	dir=$(t_tmpdir)/run-$marker
	mkdir -m 700 "$dir"
	t_status "QEMU $v: an idle foreign client: the run passes" 0 \
		env TMPDIR="$dir" QEMU="$qemu" MIGRATION=tcp python3 tests/migrate/foreign_client.py \
		/dev/null "$marker" "${guest[@]}" -append 'count=2 rate_ms=1500'
	t_eq "QEMU $v: nothing left in TMPDIR" "" "$(ls -A "$dir")"
	t_grep "QEMU $v: the client found no port of the run to connect to" \
		'^foreign: no process of the run listened on a TCP port' "$T_OUT"
	t_grep "QEMU $v: migration 2 went to destination 2" \
		'^gvmigrate: migration 2 \(tcp\): destination 1 -> destination 2' "$T_OUT"
	t_nogrep "QEMU $v: no TIMEOUT" 'TIMEOUT' "$T_OUT"
done

# The harness's own listening socket exists between its listen() and its
# connect(); a connection queued there first is closed, never given to QEMU.
# Two migrations: destination 1's slot is taken by destination 3 (started
# ahead) before the end, and the verdict must still say what happened to it.
mig_run "a foreign connection in the harness's moment of listening" 0 60 MIGRATION=tcp \
	GVMIGRATE_FAULT=foreign-connect -- "${guest[@]}" -append 'count=2 rate_ms=0'
t_grep "foreign-connect: the report names it" \
	'^gvmigrate: destination 1 refused a foreign connection to its migration port .*: 1 connection from 127\.0\.0\.1:[0-9]+ before the source.s, closed unread' "$T_OUT"
t_grep "foreign-connect: so does the RESULT line" \
	'^gvmigrate: RESULT PASS 0 2 .* \(destination 1 refused a foreign connection: 1 connection from 127\.0\.0\.1:[0-9]+' "$T_OUT"
t_grep "foreign-connect: and arm/run's verdict" \
	'^arm/run: PASS: .*\(destination 1 refused a foreign connection: 1 connection from' <(tail -n 1 "$T_OUT")

# MIGRATION=netns: the destination listens in a namespace of the run, which
# only root can enter; what gets in anyway (root's process here, with a
# stream QEMU would load) fails the TLS handshake of the run's key, the
# real source migrates after it, and the verdict says it.
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
	state=$(t_tmpdir)/state
	mig_run "netns: a state to send" 0 30 SAVE_STATE="$state" -- "${guest[@]}" -append 'count=1 rate_ms=0'
	tail -c +"$(($(head -n 1 "$state" | wc -c) + 1))" "$state" > "$state.stream"
	marker=gvforeign-$$-$RANDOM
	dir=$(t_tmpdir)/run-$marker
	mkdir -m 700 "$dir"
	# rate_ms: destination 2 listens from when it is up (seconds under load)
	# until the guest's next request; 5 s of guest work keep that window open.
	t_status "netns: a foreign client in the destination's namespace: the run passes" 0 \
		env TMPDIR="$dir" MIGRATION=netns python3 tests/migrate/foreign_client.py \
		"$state.stream" "$marker" "${guest[@]}" -append 'count=2 rate_ms=5000'
	t_eq "netns: nothing left in TMPDIR" "" "$(ls -A "$dir")"
	t_grep "netns: the foreign client did connect first" '^foreign: connected first to port [0-9]+ and sent [1-9]' "$T_OUT"
	t_grep "netns: the destination refused it (TLS)" '^destination 2: qemu-system-aarch64: TLS handshake failed' "$T_OUT"
	t_grep "netns: migration 2 went to destination 2 after all" \
		'^gvmigrate: migration 2 \(tcp, network namespaces\): destination 1 -> destination 2' "$T_OUT"
	t_grep "netns: the guest's own state arrived" '^PASS: migration 2: the guest.s view is unchanged' "$T_OUT"
	t_grep "netns: the verdict names the foreign connection" \
		'^arm/run: PASS: .*\(destination 2 refused a foreign connection: TLS handshake failed' <(tail -n 1 "$T_OUT")
fi
t_done
