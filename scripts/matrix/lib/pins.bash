# scripts/matrix/lib/pins.bash: the driver's side of pinning by the boot
# state (sourced by run-matrix.sh; the hosts' side is
# scripts/matrix/init-pin.bash).  Per ordered pair A -> B: A saves its boot
# state (pin-save), B loads and runs it (pin A B), and when B saved the
# pinned guest, A restores it (pin-back A B: the rollback).
#
# Per host I:
#   P_SAVED[I]  A's boot state: "" (pending) | ok | failed
#   P_TODO[I]   the kernels whose boot state host I has yet to load
#   P_BACK[I]   the kernels whose pinned guest of I's boot state waits for
#               its rollback on I
#   P_ENDED     "A:B" -> 1 when the pin A -> B ended (either way)

declare -A P_ENDED=()

# mx_pin_init I: what host I will do (every other kernel that boots).
mx_pin_init() {
	local i=$1 j
	P_SAVED[$i]='' P_TODO[$i]='' P_BACK[$i]=''
	for j in "${!K_LABEL[@]}"; do
		[ "$j" = "$i" ] || [ "${K_OK[$j]}" != 1 ] || P_TODO[$i]+="${P_TODO[$i]:+ }$j"
	done
}

# mx_pin_end I VERB RC: a pin command of host I ended (hosts.bash).
mx_pin_end() {
	local i=$1 verb=$2 rc=$3 a
	case $verb in
	pin-save\ *) if [ "$rc" = 0 ]; then P_SAVED[$i]=ok; else P_SAVED[$i]=failed; fi ;;
	pin\ *)
		read -r _ a _ <<<"$verb"
		a=$((${a#k} - 1))
		P_ENDED["$a:$i"]=1
		# Only a guest saved on B can go back.
		[ ! -f "$MX_SHARE/states/pin-k$((a + 1))-k$((i + 1))" ] || P_BACK[$a]+=" $i" ;;
	esac
}

# mx_pin_next I: sends idle host I its next pin or rollback; fails when
# none is ready now.  Rollbacks first: their guest is waiting.
mx_pin_next() {
	local i=$1 j rest='' sent=1
	if [ -n "${P_BACK[$i]# }" ]; then
		read -r j rest <<<"${P_BACK[$i]}"
		P_BACK[$i]=$rest
		mx_host_send "$i" "pin-back k$((i + 1)) k$((j + 1))"
		return 0
	fi
	for j in ${P_TODO[$i]}; do
		if [ "$sent" = 0 ]; then rest+=" $j"; continue; fi
		if [ -n "${H_NOSHARE[$i]:-}" ] || [ -n "${H_NOSHARE[$j]:-}" ]; then
			P_ENDED["$j:$i"]=1
			continue
		fi
		case ${P_SAVED[$j]}:${H_STATE[$j]} in
		ok:*)
			mx_host_send "$i" "pin k$((j + 1)) k$((i + 1))"
			sent=0 ;;
		failed:*|:done) P_ENDED["$j:$i"]=1 ;;
		*) rest+=" $j" ;;
		esac
	done
	P_TODO[$i]=${rest# }
	return $sent
}

# mx_pin_pending I: true while host I may still get pin work: boot states
# to load, or a rollback of its own state that another host may yet send.
mx_pin_pending() {
	local i=$1 j
	[ -z "${P_TODO[$i]}${P_BACK[$i]# }" ] || return 0
	[ "${P_SAVED[$i]}" = ok ] || return 1
	for j in "${!K_LABEL[@]}"; do
		[ "$j" != "$i" ] && [ "${K_OK[$j]}" = 1 ] || continue
		[ -z "${P_ENDED["$i:$j"]:-}" ] || continue
		case ${H_STATE[$j]} in done) ;; *) return 0 ;; esac
	done
	return 1
}
