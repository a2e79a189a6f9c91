# scripts/matrix/lib/live.bash: the live cells (sourced by run-matrix.sh;
# the hosts' side is scripts/matrix/init-live.bash).
#
# A cell A -> B (A != B) needs both hosts at once: B's destination half
# is sent first, and A's source half only once B's console says that its
# gvmigrate listens (the documented "gvmigrate: listening on" line), so
# the guest's request never finds nothing there, however loaded the
# machine.  Meanwhile A is held (busy, no command, no deadline of its
# own: B's command has one, and its end releases A).  A cell A -> A is one
# command on A.  A host stays up while a cell still needs it as a source.
#
# Fault cells (the project's tests: MX_FAULT_CELLS="1>2:kill-destination
# 2>1:link-down 1>2:stop-host", hosts numbered from 1) run after the
# ordinary cells of their destination, named FROM.FAULT, and are reported
# apart (faults in matrix.json).  kill-destination and link-down happen
# inside the destination host (init-live.bash); stop-host is the driver's:
# once the source has its half, the destination host's QEMU is stopped
# (SIGSTOP), as a host that hangs; when the source's half has ended, the
# stopped host is killed and counted down.  It runs last of all (it takes
# a host away).
#
# Per host I:
#   LIVE_WAIT[I]   the source host held for I's destination half
#   LIVE_HELD[I]   1 while host I is held as a source
# Uses: H_* (hosts.bash), mx_host_send, mx_host_ip (net.bash), notrun,
# K_LABEL, MX_MODE.

declare -A LIVE_WAIT=() LIVE_HELD=() LIVE_STOPPED=()
# QEMUs stopped by a stop-host fault: cleanup kills them (a stopped process
# keeps a SIGTERM pending; timeout(1) above it would leave it behind).
MX_STOPPED=()
# The line a destination half prints once it listens: MIGROLE_LISTENING of
# tables/migproto.h, generated into tables/migproto.bash.
# shellcheck source=tables/migproto.bash
. "$MX_ROOT/tables/migproto.bash" || mx_die 3 "cannot load tables/migproto.bash (run make)"
LIVE_LISTENING="$MIGROLE_LISTENING "

# One fault cell of MX_FAULT_CELLS: FROM>TO:FAULT (checked once by
# mx_live_check_faults, read by mx_live_faults_into).
MX_FAULT_RE='^([1-9][0-9]*)>([1-9][0-9]*):(kill-destination|link-down|stop-host)$'

# mx_live_faults_into I: the fault cells into host I, as " J/FAULT..." (REPLY).
mx_live_faults_into() {
	local i=$1 f src dst fault
	REPLY=''
	for f in ${MX_FAULT_CELLS:-}; do
		[[ $f =~ $MX_FAULT_RE ]] || continue
		src=$((10#${BASH_REMATCH[1]} - 1)) dst=$((10#${BASH_REMATCH[2]} - 1)) fault=${BASH_REMATCH[3]}
		# A phase has the fault cells between its own hosts (lib/phases.bash).
		[ "$dst" = "$i" ] && [ "$src" != "$i" ] && mx_phase_takes "$src" && REPLY+=" $src/$fault"
	done
}

# mx_live_check_faults: MX_FAULT_CELLS names hosts of this run and faults init knows.
mx_live_check_faults() {
	local f stops=0
	for f in ${MX_FAULT_CELLS:-}; do
		[[ $f =~ $MX_FAULT_RE ]] ||
			{ MX_ERR="MX_FAULT_CELLS: '$f' is not FROM>TO:kill-destination|link-down|stop-host (hosts from 1)"; return 1; }
		[ "$((10#${BASH_REMATCH[1]}))" -le "$MX_N" ] && [ "$((10#${BASH_REMATCH[2]}))" -le "$MX_N" ] &&
			[ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ] ||
			{ MX_ERR="MX_FAULT_CELLS: '$f' names no pair of the run's $MX_N hosts"; return 1; }
		# stop-host takes a host away, so it waits for all else: one of them.
		[ "${BASH_REMATCH[3]}" != stop-host ] || stops=$((stops + 1))
	done
	[ "${stops:-0}" -le 1 ] || { MX_ERR="MX_FAULT_CELLS: one stop-host cell at most (each waits for all other work)"; return 1; }
}

# mx_live_start I J [FAULT]: the cell J -> I: I's destination half now.
mx_live_start() {
	local i=$1 j=$2 fault=${3:-} inner
	mx_host_ip "$j"
	# stop-host is the driver's fault, not the host's.
	inner=$fault
	[ "$fault" != stop-host ] || inner=''
	mx_host_send "$i" "live-in k$((j + 1))${fault:+.$fault} $REPLY${inner:+ $inner}"
	LIVE_WAIT[$i]=$j${fault:+/$fault}
	LIVE_HELD[$j]=1
	H_STATE[$j]=busy H_CUR[$j]='' H_DEADLINE[$j]=$MX_NEVER
	mx_event "$j" "held for the cell k$((j + 1)) -> k$((i + 1))${fault:+ ($fault)}"
}

# mx_live_line I LINE: a console line of host I that is not framed; the
# listening line of a destination half sends the held source its half.
mx_live_line() {
	local i=$1 w=${LIVE_WAIT[$1]:-} j fault
	[ -n "$w" ] && [[ $2 == "$LIVE_LISTENING"* ]] || return 0
	j=${w%%/*} fault=${w#"$j"}
	fault=${fault#/}
	unset 'LIVE_WAIT[$i]'
	unset 'LIVE_HELD[$j]'
	# A held source that went down meanwhile gets nothing (the destination's
	# half ends at its bound, no source connected).
	[ "${H_STATE[$j]}" = busy ] && [ -z "${H_CUR[$j]}" ] || return 0
	mx_host_ip "$i"
	mx_host_send "$j" "live-out k$((i + 1))${fault:+.$fault} $REPLY"
	[ "$fault" != stop-host ] || mx_live_stop_host "$i" "$j"
}

# mx_live_stop_host I J: the stop-host fault: host I's QEMU stops, while J's
# half of the cell J -> I goes on.
mx_live_stop_host() {
	local i=$1 j=$2 p
	for p in $(pgrep -P "${H_PID[$i]}"); do
		kill -STOP "$p" && MX_STOPPED+=("$p")
	done
	LIVE_STOPPED[$j]=$i
	H_DEADLINE[$i]=$MX_NEVER
	mx_event "$i" "stopped (fault stop-host, cell k$((j + 1)) -> k$((i + 1)))"
}

# mx_live_half_ended J: host J's source half ended, or host J went down; a
# host stopped for its cell (stop-host) is killed now and counted down.
mx_live_half_ended() {
	local j=$1 i=${LIVE_STOPPED[$1]:-} p
	[ -n "$i" ] || return 0
	unset 'LIVE_STOPPED[$j]'
	for p in "${MX_STOPPED[@]}"; do
		[ "$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')" = "${H_PID[$i]}" ] && kill -KILL "$p"
	done
	# Killed: cleanup must not signal these pids again (they may be reused).
	MX_STOPPED=()
	mx_host_kill "$i"
	mx_host_down "$i" stopped "stopped by the fault stop-host during the cell ${K_LABEL[$j]} -> ${K_LABEL[$i]}, killed once ${K_LABEL[$j]}'s half ended"
}

# mx_live_release I: host I's destination half ended (or I went down)
# before it listened: its held source is free again.
mx_live_release() {
	local i=$1 w=${LIVE_WAIT[$1]:-} j
	[ -n "$w" ] || return 0
	j=${w%%/*}
	unset 'LIVE_WAIT[$i]'
	unset 'LIVE_HELD[$j]'
	if [ "${H_STATE[$j]}" = busy ] && [ -z "${H_CUR[$j]}" ]; then
		H_STATE[$j]=idle
		mx_event "$j" "released: k$((i + 1))'s half ended before it listened"
	fi
}

# mx_live_needed I: whether a host still up has a cell from I to come.
mx_live_needed() {
	local i=$1 k e
	for k in "${!K_LABEL[@]}"; do
		[ "$k" != "$i" ] || continue
		case ${H_STATE[$k]:-done} in done|off) continue ;; esac
		for e in ${H_TODO[$k]:-}; do
			[ "${e%%/*}" = "$i" ] && return 0
		done
	done
	return 1
}

# mx_live_others_pending I ENTRY: whether any host still up has other work
# than ENTRY of host I (a stop-host cell waits for all of it).
mx_live_others_pending() {
	local k e
	for k in "${!K_LABEL[@]}"; do
		case ${H_STATE[$k]:-done} in done|off) continue ;; esac
		[ "$k" = "$1" ] || [ "${H_STATE[$k]}" = idle ] || return 0
		[ -z "${H_QUEUE[$k]}" ] && [ -z "${H_TRY[$k]:-}" ] || return 0
		! mx_pin_pending "$k" || return 0
		for e in ${H_TODO[$k]:-}; do
			[ "$k" = "$1" ] && [ "$e" = "$2" ] && continue
			return 0
		done
	done
	return 1
}

# mx_live_notrun FROM TO FAULT REASON: notrun.tsv's line for a cell; a fault
# cell's FROM is kJ.FAULT, as its runs are named.
mx_live_notrun() {
	printf 'k%s%s\tk%s\t%s\n' "$(($1 + 1))" "${3:+.$3}" "$(($2 + 1))" "$4" >>"$out/notrun.tsv"
}

# mx_live_schedule I: gives idle host I its next live cell; H_TODO[I] loses
# what ran or cannot run.  Fails when none could start now.
mx_live_schedule() {
	local i=$1 e j fault rest='' sent=1
	for e in ${H_TODO[$i]}; do
		if [ "$sent" = 0 ]; then rest+=" $e"; continue; fi
		j=${e%%/*} fault=${e#"$j"}
		fault=${fault#/}
		if [ "$j" = "$i" ]; then
			mx_host_send "$i" "live-self k$((i + 1))"
			sent=0
			continue
		fi
		case ${H_STATE[$j]} in
		done|off)
			mx_live_notrun "$j" "$i" "$fault" "${K_LABEL[$j]}: ${H_REASON[$j]:-the host ended before this cell}"
			continue ;;
		esac
		if [ -n "${H_NONET[$i]:-}" ] || [ -n "${H_NONET[$j]:-}" ]; then
			mx_live_notrun "$j" "$i" "$fault" "no network on ${K_LABEL[$i]}${H_NONET[$j]:+ or ${K_LABEL[$j]}}: no live migration between them"
			continue
		fi
		if [ "$fault" = stop-host ] && mx_live_others_pending "$i" "$e"; then
			rest+=" $e"
			continue
		fi
		if [ "${H_STATE[$j]}" = idle ] && [ -z "${H_QUEUE[$j]}" ] && [ -z "${LIVE_HELD[$j]:-}" ]; then
			mx_live_start "$i" "$j" "$fault"
			sent=0
			continue
		fi
		rest+=" $e"
	done
	H_TODO[$i]=${rest# }
	return $sent
}
