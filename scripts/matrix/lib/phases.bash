# scripts/matrix/lib/phases.bash: the matrix as phases that a CI system
# can fan out and join (sourced by run-matrix.sh; the join is merge.py).
#
# A whole run does all the work in one driver, every host up at once.  The
# same work falls into phases along the hosts' lines, each phase a
# run-matrix.sh of its own given the same kernels and options, and sharing
# with the others only an artifacts directory (--artifacts DIR):
#
#   kernel:N    host N alone: what needs no other kernel (gvkvm info, its
#               boot state, its saved state, the suite, the cell N -> N);
#               DIR/kernel-N: its results, and in share/ what the pairs
#               take from it (states/kN, states/boot-kN.stream, kvm/kN.json)
#   pair:N:M    hosts N and M (N < M), with what their kernel phases left
#               in DIR: the cells N -> M and M -> N, the pins both ways
#               with their rollbacks, gvkvm try both ways, and the fault
#               cells (MX_FAULT_CELLS) between them; DIR/pair-N-M
#   merge       no host: DIR's phases joined into --out as a whole run
#               leaves it (merge.py), then the same matrix.json, text,
#               JUnit and KCIDB
#
# --plan prints the phases of a run, one a line (the merge last), for a
# CI system or a shell loop; scripts/matrix/gitlab-ci.py writes them as a
# GitLab pipeline.
#
# MX_PHASE: '' (a whole run) | kernel:N | pair:N:M | merge (N, M from 1).
MX_PHASE='' MX_ARTIFACTS=''
MX_PHASE_RE='^(kernel:([1-9][0-9]*)|pair:([1-9][0-9]*):([1-9][0-9]*)|merge)$'

# mx_phase_check: MX_PHASE names hosts of this run, and has its artifacts.
mx_phase_check() {
	[ -n "$MX_PHASE" ] || return 0
	[[ $MX_PHASE =~ $MX_PHASE_RE ]] ||
		{ MX_ERR="--phase '$MX_PHASE': expected kernel:N, pair:N:M (N < M) or merge (see --help)"; return 1; }
	local n=${BASH_REMATCH[2]}${BASH_REMATCH[3]} m=${BASH_REMATCH[4]}
	if [ "${n:-0}" -gt "$MX_N" ] || [ "${m:-0}" -gt "$MX_N" ]; then
		MX_ERR="--phase $MX_PHASE: the run has $MX_N host(s)"
		return 1
	fi
	[ -z "$m" ] || [ "$n" -lt "$m" ] || { MX_ERR="--phase $MX_PHASE: a pair is N:M with N < M"; return 1; }
	[ -n "$MX_ARTIFACTS" ] || { MX_ERR="--phase $MX_PHASE needs --artifacts DIR"; return 1; }
}

# mx_phase_plan: the phases of a run of MX_N hosts, one a line.
mx_phase_plan() {
	local n m
	for ((n = 1; n <= MX_N; n++)); do echo "kernel:$n"; done
	for ((n = 1; n <= MX_N; n++)); do
		for ((m = n + 1; m <= MX_N; m++)); do echo "pair:$n:$m"; done
	done
	echo merge
}

# mx_phase_dir [PHASE]: the directory of PHASE (default this one) in the
# artifacts (REPLY): kernel-N, pair-N-M.
mx_phase_dir() {
	local p=${1:-$MX_PHASE}
	REPLY=$MX_ARTIFACTS/${p//:/-}
}

# mx_phase_takes I: whether host I (from 0) boots in this phase.
mx_phase_takes() {
	local i=$(($1 + 1))
	case $MX_PHASE in
	'') return 0 ;;
	kernel:*) [ "$i" = "${MX_PHASE#kernel:}" ] ;;
	pair:*:*) [[ :${MX_PHASE#pair:}: == *:$i:* ]] ;;
	*) return 1 ;;
	esac
}

# mx_phase_is_pair: whether this phase is a pair's.
mx_phase_is_pair() { [[ $MX_PHASE == pair:* ]]; }

# mx_phase_host_status HOST.ENV: a phase's word on a host (REPLY): ok, or
# its status and reason ("panic: ..."); "error: no host.env" without it.
mx_phase_host_status() {
	local status reason
	[ -f "$1" ] || { REPLY="error: no host.env"; return; }
	status=$(sed -n 's/^status=//p' "$1")
	reason=$(sed -n 's/^reason=//p' "$1")
	REPLY=${status:-error}
	[ "$REPLY" = ok ] || REPLY+=${reason:+: $reason}
}

# mx_phase_import I: a pair phase takes what kernel I's phase left for
# others (its share/) into this run's share; fails, with why in MX_ERR,
# when that phase did not end with host I up.
mx_phase_import() {
	local i=$1 k=k$(($1 + 1)) d
	mx_phase_dir "kernel:$(($1 + 1))"
	d=$REPLY
	if [ ! -f "$d/run.env" ] || ! grep -q '^t_hosts_ms=' "$d/run.env"; then
		MX_ERR="its phase kernel:$((i + 1)) left no finished results in $d"
		return 1
	fi
	mx_phase_host_status "$d/kernels/$k/host.env"
	if [ "$REPLY" != ok ]; then
		MX_ERR="in its phase kernel:$((i + 1)): $REPLY"
		return 1
	fi
	[ ! -d "$d/share" ] || cp -R "$d/share/." "$MX_SHARE/" ||
		{ MX_ERR="cannot copy $d/share into the run's share"; return 1; }
}

# mx_phase_imports: a pair phase's imports (after MX_SHARE is made).  When
# either kernel's phase failed, the pair has nothing to do: neither host
# boots, and its cells are not run, with the failed phase's reason.
mx_phase_imports() {
	local i j why=''
	for i in "${!K_LABEL[@]}"; do
		[ "${K_OK[$i]}" = 1 ] || continue
		mx_phase_import "$i" && continue
		why="${K_LABEL[$i]}: $MX_ERR"
		mx_say "kernel $why"
	done
	[ -n "$why" ] || return 0
	for i in "${!K_LABEL[@]}"; do
		[ "${K_OK[$i]}" = 1 ] || continue
		for j in "${!K_LABEL[@]}"; do
			[ "$j" != "$i" ] && [ "${K_OK[$j]}" = 1 ] && mx_live_notrun "$j" "$i" "" "$why"
		done
	done
	for i in "${!K_LABEL[@]}"; do K_OK[$i]=0; done
}

# mx_phase_host I: what host I does in this phase (after mx_host_start and
# mx_pin_init).  A pair's hosts take their kernel phase's results as done:
# saved, boot state saved, gvkvm info there (or failed, as it failed).
mx_phase_host() {
	local i=$1 k=k$(($1 + 1))
	mx_phase_is_pair || return 0
	H_QUEUE[$i]=''
	if [ -f "$MX_SHARE/states/$k" ]; then H_SAVED[$i]=ok; else H_SAVED[$i]="failed:no saved state from ${K_LABEL[$i]}'s phase kernel:$((i + 1))"; fi
	if [ -f "$MX_SHARE/kvm/$k.json" ]; then H_KVM[$i]=ok; else H_KVM[$i]="failed:no gvkvm info from ${K_LABEL[$i]}'s phase kernel:$((i + 1))"; fi
	if [ -f "$MX_SHARE/states/boot-$k.stream" ]; then P_SAVED[$i]=ok; else P_SAVED[$i]=failed; fi
	# The cell I -> I is its kernel phase's.
	local e rest=''
	for e in ${H_TODO[$i]}; do [ "$e" = "$i" ] || rest+="${rest:+ }$e"; done
	H_TODO[$i]=$rest
}

# mx_phase_export: what a kernel phase leaves for the pairs: its share's
# saved state, boot state and gvkvm info, in the phase's share/.
mx_phase_export() {
	local f k
	[[ $MX_PHASE == kernel:* ]] || return 0
	k=k${MX_PHASE#kernel:}
	mkdir -p "$out/share/states" "$out/share/kvm" || return 1
	for f in "states/$k" "states/boot-$k.stream" "kvm/$k.json"; do
		[ ! -f "$MX_SHARE/$f" ] || cp "$MX_SHARE/$f" "$out/share/$f" || return 1
	done
}
