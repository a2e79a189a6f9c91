# scripts/matrix/lib/hosts.bash: the emulated arm64 hosts (sourced by
# run-matrix.sh).  Each host is one QEMU TCG process (-M virt with EL2,
# -cpu: the host's K_CPU) booting a kernel with the matrix's initramfs; its serial
# console is QEMU's stdio: stdin a FIFO the driver writes commands to,
# stdout the host's console.log, which the driver reads as it grows.  All
# hosts share one directory (9p, tag gv): the saved states go there; and
# one private Ethernet segment (net.bash): the live cells' migrations.
#
# Per host I (index into the kernel arrays), the H_* arrays hold:
#   H_PID      the timeout(1) process that runs QEMU (killing it kills QEMU;
#              so does the driver's death)
#   H_FD       the driver's end of the console input FIFO
#   H_LOGFD    the driver's read position in console.log
#   H_STATE    boot | idle | busy | off (poweroff sent) | done (QEMU gone)
#   H_DEADLINE ms (driver clock) by which the current step must end
#   H_QUEUE    commands still to send ("save", "suite", "restore:J", ...)
#   H_SAVED    "" (pending) | ok | failed:REASON
#   H_KVM      its gvkvm info: "" (pending) | ok | failed:REASON
#   H_STATUS   ok | no-kvm | panic | timeout | error  (with H_REASON)

mx_now() { local t=${EPOCHREALTIME/./}; REPLY=$((t / 1000)); }
MX_NEVER=99999999999999   # a deadline for hosts that only wait

# mx_event I WHAT...: one line of the host's time line (ms since the start).
mx_event() {
	local i=$1
	shift
	mx_now
	printf '%s\t%s\n' "$((REPLY - MX_T0))" "$*" >>"${K_OUT[$i]}/events.tsv"
}

mx_host_env() {
	local i=$1
	{
		printf 'status=%s\n' "${H_STATUS[$i]}"
		printf 'reason=%s\n' "${H_REASON[$i]}"
		printf 'boot_ms=%s\n' "${H_BOOT_MS[$i]}"
		printf '%s\n' "${H_READY[$i]}"
		printf 'info=%s\n' "${H_INFO[$i]}"
	} >"${K_OUT[$i]}/host.env"
}

# mx_check_cpu CPU: whether the hosts' QEMU takes CPU on the hosts' machine
# (started paused and told to quit at once: some 50 ms); else 1, with
# QEMU's own words in MX_ERR.
mx_check_cpu() {
	if MX_ERR=$(echo '{"execute":"qmp_capabilities"} {"execute":"quit"}' |
		timeout 30 "$MX_QEMU" -nodefaults -no-user-config -display none \
			-M virt,virtualization=on,gic-version=3 -cpu "$1" -S -qmp stdio 2>&1 >/dev/null); then
		return 0
	fi
	MX_ERR=$(printf '%s\n' "$MX_ERR" | grep -v '^\s*$' | head -n 1)
	MX_ERR=${MX_ERR:-QEMU failed}
	return 1
}

# mx_host_start I: starts host I's QEMU.
mx_host_start() {
	local i=$1 fifo=$MX_TMP/k$(($1 + 1)).in initrd=$MX_TMP/k$(($1 + 1)).initrd append max fd qemu
	cat "$MX_COMMON" "${K_DIR[$i]}/modules.cpio.gz" >"$initrd" || mx_die 3 "cannot write $initrd"
	mkfifo -m 600 "$fifo" || mx_die 3 "mkfifo $fifo failed"
	exec {fd}<>"$fifo"
	H_FD[$i]=$fd
	mx_net_args "$i"
	append="console=ttyAMA0 quiet rdinit=/init cryptomgr.notests=1 panic=-1${REPLY:+ gv.ip=$REPLY} gv.timeout=$MX_TEST_TIMEOUT${MX_LINK_TIMEOUT:+ gv.link_timeout=$MX_LINK_TIMEOUT}${MX_TESTBED_QEMU:+ gv.testbed_qemu=$MX_TESTBED_QEMU}${K_CMDLINE[$i]:+ ${K_CMDLINE[$i]}}"
	# A backstop that outlives the driver (kill -9 of the driver leaves
	# timeout(1) to end QEMU): every step's bound, summed.
	max=$((MX_BOOT_TIMEOUT + MX_CMD_TIMEOUT * (4 + 3 * MX_N) + 30))
	# One argument list for the record (qemu.cmdline) and the run.
	# shellcheck disable=SC2054 # the commas are in -M and -cpu values
	qemu=("$MX_QEMU" -nodefaults -no-user-config -display none -name "gv-matrix-$$-k$((i + 1))"
		-M virt,virtualization=on,gic-version=3 -cpu "${K_CPU[$i]}" -smp "$MX_HOST_SMP" -m "$MX_HOST_MEM"
		-no-reboot -kernel "${K_DIR[$i]}/Image" -initrd "$initrd" -append "$append"
		-serial stdio -virtfs "local,path=$MX_SHARE,mount_tag=gv,security_model=none" "${MX_NET_ARGS[@]}")
	printf '%q ' "${qemu[@]}" | sed 's/ $//' >"${K_OUT[$i]}/qemu.cmdline"
	echo >>"${K_OUT[$i]}/qemu.cmdline"
	# Made here: the background QEMU's own redirection may come too late
	# for the driver's read position below.
	: >"${K_OUT[$i]}/console.log" || mx_die 3 "cannot write ${K_OUT[$i]}/console.log"
	mx_now
	H_T_START[$i]=$REPLY
	H_DEADLINE[$i]=$((REPLY + MX_BOOT_TIMEOUT * 1000))
	# The driver's death ends the host at once, even a SIGKILLed driver's:
	# timeout(1) gets SIGTERM (setpriv --pdeathsig) and passes it on to
	# QEMU (KILL 5 s later); QEMU gets SIGKILL if timeout(1) itself dies.
	# Without them a busy host ran on to the backstop (hours).
	setpriv --pdeathsig TERM -- timeout -k 5 "$max" setpriv --pdeathsig KILL -- "${qemu[@]}" \
		<"$fifo" >"${K_OUT[$i]}/console.log" 2>"${K_OUT[$i]}/qemu.err" &
	H_PID[$i]=$!
	MX_PIDS+=("$!")
	exec {fd}<"${K_OUT[$i]}/console.log" || mx_die 3 "cannot read ${K_OUT[$i]}/console.log"
	H_LOGFD[$i]=$fd
	H_STATE[$i]=boot H_PARTIAL[$i]='' H_QUEUE[$i]='' H_SAVED[$i]='' H_CUR[$i]='' H_NEXT_ID[$i]=1
	H_STATUS[$i]=ok H_REASON[$i]='' H_BOOT_MS[$i]='' H_READY[$i]='' H_INFO[$i]=''
	mx_event "$i" "start"
}

# mx_host_send I COMMAND: sends "ID COMMAND" to host I.
mx_host_send() {
	local i=$1 cmd=$2 id=${H_NEXT_ID[$1]}
	H_NEXT_ID[$i]=$((id + 1))
	H_CUR[$i]="$id $cmd"
	H_STATE[$i]=busy
	mx_now
	H_T_CMD[$i]=$REPLY
	H_DEADLINE[$i]=$((REPLY + MX_CMD_TIMEOUT * 1000))
	[ "$cmd" != poweroff ] || { H_STATE[$i]=off; H_DEADLINE[$i]=$((REPLY + 30000)); }
	mx_event "$i" "send $id $cmd"
	printf '%s %s\n' "$id" "$cmd" >&"${H_FD[$i]}"
}

# mx_kv LINE KEY: the value of KEY=VALUE in a ready line.
mx_kv() {
	local w
	REPLY=''
	for w in $1; do
		case $w in "$2="*) REPLY=${w#*=}; return 0 ;; esac
	done
	return 1
}

# mx_host_line I LINE: one framing line from host I.
mx_host_line() {
	local i=$1 line=$2 id verb rc ms
	case $line in
	"@@GV ready "*)
		mx_now
		H_BOOT_MS[$i]=$((REPLY - H_T_START[$i]))
		H_READY[$i]=$(printf '%s\n' ${line#@@GV ready })
		mx_event "$i" "ready"
		mx_kv "$line" kvm
		if [ "$REPLY" != 1 ]; then
			H_STATUS[$i]=no-kvm
			H_REASON[$i]=${H_INFO[$i]:-no KVM: /dev/kvm missing}
			H_SAVED[$i]="failed:no KVM on ${K_LABEL[$i]}"
			H_KVM[$i]="failed:no KVM on ${K_LABEL[$i]}"
			H_QUEUE[$i]=''
			mx_host_send "$i" poweroff
			return
		fi
		mx_kv "$line" share
		if [ "$REPLY" != 1 ]; then
			# Without the share no state can reach another host: only
			# the kernel's own suite and itself to itself.
			H_NOSHARE[$i]=1
		fi
		# Without the network (no virtio_net, or the saved mode): no live
		# cell with another host.
		mx_kv "$line" net
		[ "$REPLY" = 1 ] || H_NONET[$i]=1
		H_STATE[$i]=idle H_DEADLINE[$i]=$MX_NEVER ;;
	"@@GV info "*)
		H_INFO[$i]+="${H_INFO[$i]:+; }${line#@@GV info }" ;;
	"@@GV end "*)
		read -r _ _ id rc ms <<<"$line"
		rc=${rc#rc=} ms=${ms#ms=}
		verb=${H_CUR[$i]#* }
		mx_now
		printf '%s\t%s\t%s\t%s\n' "$verb" "$rc" "$ms" "$((REPLY - H_T_CMD[$i]))" >>"${K_OUT[$i]}/commands.tsv"
		mx_event "$i" "end $id $verb rc=$rc"
		case $verb in
		save\ *) H_SAVE_MS[$i]=$((REPLY - H_T_CMD[$i]))
			if [ "$rc" = 0 ]; then H_SAVED[$i]=ok; else H_SAVED[$i]="failed:the state could not be saved on ${K_LABEL[$i]} (arm/run status $rc)"; fi ;;
		kvm\ *)
			if [ "$rc" = 0 ]; then H_KVM[$i]=ok; else H_KVM[$i]="failed:gvkvm info on ${K_LABEL[$i]} exited $rc"; fi ;;
		pin-save\ *|pin\ *) mx_pin_end "$i" "$verb" "$rc" ;;
		live-in\ *) mx_live_release "$i" ;;
		live-out\ *) mx_live_half_ended "$i" ;;
		esac
		H_CUR[$i]=''
		[ "${H_STATE[$i]}" = off ] || H_STATE[$i]=idle
		# An idle host waits for the others' states: their bounds apply.
		H_DEADLINE[$i]=$MX_NEVER ;;
	esac
}

# mx_host_read I: handles what host I printed since the last call.
mx_host_read() {
	local i=$1 line fd=${H_LOGFD[$1]}
	while IFS= read -r line <&"$fd"; do
		line=${H_PARTIAL[$i]}$line
		H_PARTIAL[$i]=''
		line=${line%$'\r'}
		case $line in
		"@@GV "*) mx_host_line "$i" "$line" ;;
		*) [ -z "${LIVE_WAIT[$i]:-}" ] || mx_live_line "$i" "$line" ;;
		esac
	done
	# A line without its newline yet: kept for the next call.
	H_PARTIAL[$i]+=$line
}

# mx_host_why I: why host I's console ended (panic, QEMU error, last words).
mx_host_why() {
	local i=$1 log=${K_OUT[$1]}/console.log err=${K_OUT[$1]}/qemu.err p
	p=$(grep -a -m1 -o 'Kernel panic - not syncing: .*' "$log" | tr -d '\r')
	if [ -n "$p" ]; then
		H_STATUS[$i]=panic
		REPLY="panic: ${p#Kernel panic - not syncing: }"
		return
	fi
	p=$(grep -a -v '^\s*$' "$err" 2>/dev/null | grep -av 'terminating on signal' | head -n 1)
	if [ -n "$p" ]; then
		H_STATUS[$i]=error
		REPLY="QEMU error: $p"
		return
	fi
	p=$(tr -d '\r' <"$log" | grep -av '^\s*$' | tail -n 1 | cut -c1-160)
	H_STATUS[$i]=error
	REPLY="${p:+last console line: $p}"
	REPLY=${REPLY:-no console output at all}
}

# mx_host_kill I: ends host I's QEMU (TERM, then KILL).
mx_host_kill() {
	local pid=${H_PID[$1]} n
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		kill -0 "$pid" 2>/dev/null || break
		read -r -t 0.1 -u "$MX_SLEEPFD" _
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# mx_host_down I STATUS REASON: host I is gone; what it still owed cannot run.
mx_host_down() {
	local i=$1
	H_STATUS[$i]=$2 H_REASON[$i]=$3
	[ -n "${H_SAVED[$i]}" ] || H_SAVED[$i]="failed:${K_LABEL[$i]}: $3"
	[ -n "${H_KVM[$i]:-}" ] || H_KVM[$i]="failed:${K_LABEL[$i]}: $3"
	H_STATE[$i]=done H_QUEUE[$i]=''
	mx_live_release "$i"
	mx_live_half_ended "$i"
	mx_event "$i" "down $2: $3"
}

# mx_host_check I: is host I still there, and within its deadline?
mx_host_check() {
	local i=$1 rc what
	[ "${H_STATE[$i]}" != done ] || return 0
	if ! kill -0 "${H_PID[$i]}" 2>/dev/null; then
		wait "${H_PID[$i]}" 2>/dev/null
		rc=$?
		mx_host_read "$i"
		if [ "${H_STATE[$i]}" = off ]; then
			H_STATE[$i]=done
			mx_event "$i" "exit $rc"
			return 0
		fi
		mx_host_why "$i"
		case ${H_STATE[$i]} in
		boot) what="did not reach /init" ;;
		*) what="went down during '${H_CUR[$i]#* }'" ;;
		esac
		[ "${H_STATUS[$i]}" = panic ] && what=''
		mx_host_down "$i" "${H_STATUS[$i]}" "${what:+$what: }$REPLY"
		return 0
	fi
	mx_now
	if [ "$REPLY" -gt "${H_DEADLINE[$i]}" ]; then
		case ${H_STATE[$i]} in
		boot) mx_host_why "$i"; what="timeout after ${MX_BOOT_TIMEOUT} s booting (${REPLY})" ;;
		off) what="timeout powering off" ;;
		*) what="timeout after ${MX_CMD_TIMEOUT} s in '${H_CUR[$i]#* }'" ;;
		esac
		if [ "${H_STATE[$i]}" = off ]; then
			mx_host_kill "$i"
			H_STATE[$i]=done
			mx_event "$i" "killed: $what"
			return 0
		fi
		mx_host_kill "$i"
		mx_host_read "$i"
		mx_host_down "$i" timeout "$what"
	fi
}
