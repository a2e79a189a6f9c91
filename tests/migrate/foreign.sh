#!/bin/bash
# TCP migration on a shared host: a local process that connects to the
# waiting destination first, with a stream QEMU would load (a state this
# guest saved), gets nothing loaded -- the stream is authenticated with a
# key made for the run (QEMU's migration TLS) -- and the run still migrates,
# with the destination's refusal in its output and its verdict.  Both QEMUs
# the project uses.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
cd "$T_ROOT" || exit 2
[ -x host/gvmigrate ] && [ -f arm/migrate.flat ] || t_skip "host/gvmigrate or arm/migrate.flat not built"
export TIMEOUT=60s
qemus=(qemu-system-aarch64)
[ -x deps/qemu10/usr/bin/qemu-system-aarch64 ] && qemus+=(deps/qemu10/usr/bin/qemu-system-aarch64)
guest=(arm/migrate.flat -machine virt-7.2 -cpu cortex-a57)

for qemu in "${qemus[@]}"; do
	v=$("$qemu" --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
	state=$(t_tmpdir)/state-$v
	mig_run "QEMU $v: a state to send" 0 30 QEMU="$qemu" SAVE_STATE="$state" -- \
		"${guest[@]}" -append 'count=1 rate_ms=0'
	tail -c +"$(($(head -n 1 "$state" | wc -c) + 1))" "$state" > "$state.stream"
	# rate_ms: the guest works 1.5 s after migration 1, while destination 2 waits.
	marker=gvforeign-$$-$RANDOM
	dir=$(t_tmpdir)/run-$marker
	mkdir -m 700 "$dir"
	t_status "QEMU $v: a foreign client connects first: the run passes" 0 \
		env TMPDIR="$dir" QEMU="$qemu" MIGRATION=tcp python3 tests/migrate/foreign_client.py \
		"$state.stream" "$marker" "${guest[@]}" -append 'count=2 rate_ms=1500'
	t_eq "QEMU $v: nothing left in TMPDIR" "" "$(ls -A "$dir")"
	t_grep "QEMU $v: the foreign client did connect first" '^foreign: connected first to port [0-9]+' "$T_OUT"
	t_grep "QEMU $v: the destination refused it, said in the run's output" \
		'^destination 2: qemu-system-aarch64: TLS handshake failed' "$T_OUT"
	t_grep "QEMU $v: migration 2 went to destination 2 after all" \
		'^gvmigrate: migration 2 \(tcp\): destination 1 -> destination 2' "$T_OUT"
	t_grep "QEMU $v: the guest's own state arrived" '^PASS: migration 2: the guest.s view is unchanged' "$T_OUT"
	# Said in the verdict, not only in QEMU's lines above it.
	t_grep "QEMU $v: gvmigrate's report says a foreign connection was refused" \
		'^gvmigrate: destination 2 refused a foreign connection to its migration port .*: TLS handshake failed' "$T_OUT"
	t_grep "QEMU $v: so does its RESULT line" \
		'^gvmigrate: RESULT PASS 0 2 .* \(destination 2 refused a foreign connection: TLS handshake failed' "$T_OUT"
	t_grep "QEMU $v: and arm/run's verdict" \
		'^arm/run: PASS: .*\(destination 2 refused a foreign connection: TLS handshake failed' <(tail -n 1 "$T_OUT")
done
t_done
