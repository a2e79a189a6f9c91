# scripts/matrix/init-pin.bash: pinning by the boot state, the commands of
# an emulated host's /init (scripts/matrix/init sources it; issue 12).
#
# A guest started paused on kernel A, before its first instruction, and
# saved there carries A's register values, ID registers included; QEMU on
# kernel B writes them into B's fresh vCPU while it loads the state, before
# the vCPU first runs (the only time KVM lets ID registers change), so the
# guest boots on B with A's view as far as B accepts it.  A value B
# rejects fails the load: QEMU's error is in the run's log.
#
# The payload is arm/migrate.flat with the migration cells' command line
# (MIGRATE_ARGS): it prints its view, then asks to migrate, so the pinned
# guest is saved on B at that request by host/gvmigrate (SAVE_STATE) and
# restored on A by the same restore the migration cells use: the rollback,
# and the payload itself says whether its view survived it.
#
# shellcheck disable=SC2154 # states, test_timeout, GV: init's
# Uses from init: say, run_test, valid_name, states, test_timeout, GV,
# MIGRATE_ARGS; PIN_TMP (default /tmp): where pin makes its monitor FIFOs.

# The QEMU command line arm/run gives migrate.flat (its defaults for
# PIN_ACCEL, kvm in the matrix, tcg in tests/matrix/pin-tcg.sh), less the
# console: the saved state must describe the same machine, or B's QEMU
# refuses it for a reason that is not the kernel's.
PIN_ACCEL=${PIN_ACCEL:-kvm}
pin_qemu_args() {
	local cpu=host
	[ "$PIN_ACCEL" = kvm ] || cpu=cortex-a57
	# shellcheck disable=SC2054 # the comma is in -machine's value
	PIN_ARGS=(-nodefaults -no-user-config -display none -machine virt,gic-version=3
		-cpu "$cpu" -accel "$PIN_ACCEL" -kernel "${MIGRATE_ARGS[@]}")
}

# pin_qmp_greeting FD: QEMU's QMP greeting read from FD (printed for the log).
pin_qmp_greeting() {
	local line
	while IFS= read -r -t "$test_timeout" line <&"$1"; do
		printf 'qmp: %s\n' "$line"
		case $line in *'"QMP"'*) return 0 ;; esac
	done
	return 1
}

# pin_qmp_read FD: the next QMP answer ("return" or "error") on FD into
# REPLY, the lines before it (greeting, events) printed for the log.
pin_qmp_read() {
	local line
	while IFS= read -r -t "$test_timeout" line <&"$1"; do
		case $line in
		*'"return"'*|*'"error"'*) REPLY=$line; return 0 ;;
		esac
		printf 'qmp: %s\n' "$line"
	done
	REPLY=''
	return 1
}

# pin-save NAME: the boot state, saved with QEMU stopped before the first
# instruction (-S; the vCPU has never run).  QMP on QEMU's stdio (bash's
# coprocess): capabilities, migrate into the file, query-migrate until it
# is done.  QEMU's own stream, no gvmigrate header: nobody asked for it.
pin_save() {
	local name=$1 out t rc=1 i qo qi line pid
	valid_name "$name" || return 2
	out=$states/boot-$name.stream
	rm -f "$out" "$out.tmp"
	pin_qemu_args
	say "test-begin pinsave-$name"
	t=${EPOCHREALTIME/./}
	coproc PINQ { exec timeout -k 5 "$test_timeout" qemu-system-aarch64 "${PIN_ARGS[@]}" \
		-serial null -S -qmp stdio 2>&1; }
	# Taken at once: bash drops PINQ and PINQ_PID when QEMU ends.
	qo=${PINQ[0]} qi=${PINQ[1]} pid=$PINQ_PID
	if pin_qmp_greeting "$qo" && printf '%s\n' '{"execute":"qmp_capabilities"}' >&"$qi" &&
		pin_qmp_read "$qo" && [[ $REPLY == *'"return"'* ]] &&
		printf '%s\n' '{"execute":"query-status"}' >&"$qi" && pin_qmp_read "$qo" &&
		printf 'qmp: %s\n' "$REPLY" &&
		# The point of it all: the vCPU has not run, or KVM would refuse
		# the ID registers' writes on B for that reason alone.
		{ [[ $REPLY == *'"status": "prelaunch"'* ]] || { echo "pin-save: QEMU is not stopped before the first instruction"; false; }; }; then
		printf '{"execute":"migrate","arguments":{"uri":"exec:cat >%s.tmp"}}\n' "$out" >&"$qi"
		pin_qmp_read "$qo"
		printf 'qmp: %s\n' "$REPLY"
		for ((i = 0; i < test_timeout * 10; i++)); do
			printf '%s\n' '{"execute":"query-migrate"}' >&"$qi"
			pin_qmp_read "$qo" || break
			case $REPLY in
			*'"status": "completed"'*) rc=0; break ;;
			*'"status": "failed"'*|*'"status": "cancelled"'*|*'"error"'*) break ;;
			esac
			sleep 0.1
		done
		printf 'qmp: %s\n' "$REPLY"
		printf '%s\n' '{"execute":"quit"}' >&"$qi"
	else
		echo "pin-save: no boot state: ${REPLY:-QEMU did not answer on QMP}"
		printf '%s\n' '{"execute":"quit"}' >&"$qi"
	fi
	# QEMU ends on quit (or by timeout's bound); its exit is waited for.
	exec {qi}>&-
	while IFS= read -r -t "$test_timeout" line <&"$qo"; do printf 'qmp: %s\n' "$line"; done
	wait "$pid" 2>/dev/null
	if [ "$rc" = 0 ] && mv "$out.tmp" "$out"; then :; else rm -f "$out.tmp"; rc=1; fi
	ms_since "$t"
	say "test-end pinsave-$name rc=$rc ms=$REPLY"
	return $rc
}

# pin FROM TO: FROM's boot state loaded on this kernel (TO) and run.  The
# state comes on QEMU's command line (-incoming exec:); arm/run and
# gvmigrate run the guest as the source of a save.  A state saved before
# the first instruction loads as "prelaunch" (QEMU keeps the source's run
# state), so a second QMP monitor on a pair of FIFOs says "cont" once the
# load is done; a load that fails ends QEMU with its error, which the run's
# log keeps.  "@@GV pin-load FROM loaded=0|1": whether it loaded.
pin_run() {
	local from=$1 to=$2 boot mon pid rc loaded=0 line qi qo
	valid_name "$from" && valid_name "$to" || return 2
	boot=$states/boot-$from.stream
	[ -f "$boot" ] || { echo "pin: no boot state $boot"; return 3; }
	mon=${PIN_TMP:-/tmp}/pinmon-$from
	rm -f "$mon.in" "$mon.out" "$states/pin-$from-$to"
	mkfifo "$mon.in" "$mon.out" || return 3
	# Read-write opens of both FIFOs: neither side blocks on the other.
	exec {qi}<>"$mon.in" {qo}<>"$mon.out"
	run_test "pin-$from" SAVE_STATE="$states/pin-$from-$to" -- "${MIGRATE_ARGS[@]}" -serial stdio \
		-chardev "pipe,id=gvpin,path=$mon" -mon chardev=gvpin,mode=control \
		-incoming "exec:cat $boot" &
	pid=$!
	printf '%s\n' '{"execute":"qmp_capabilities"}' >&"$qi"
	while [ "$loaded" = 0 ] && kill -0 "$pid" 2>/dev/null; do
		printf '%s\n' '{"execute":"query-status"}' >&"$qi"
		while IFS= read -r -t 0.2 line <&"$qo"; do
			case $line in
			*'"status": "prelaunch"'*|*'"status": "running"'*)
				printf '%s\n' '{"execute":"cont"}' >&"$qi"
				loaded=1
				break ;;
			esac
		done
	done
	say "pin-load $from loaded=$loaded"
	wait "$pid"
	rc=$?
	exec {qi}>&- {qo}>&-
	rm -f "$mon.in" "$mon.out"
	return $rc
}

# pin-back FROM TO: the guest pinned on TO, restored here on FROM's kernel.
pin_back() {
	local from=$1 to=$2
	valid_name "$from" && valid_name "$to" || return 2
	run_test "pinback-$to" RESTORE_STATE="$states/pin-$from-$to" -- "${MIGRATE_ARGS[@]}"
}
