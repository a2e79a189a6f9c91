# scripts/matrix/init-live.bash: the live cells, commands of an emulated
# host's /init (scripts/matrix/init sources it; issue 14).
#
# A cell A -> B migrates a running guest from host A to host B over the
# hosts' private network (scripts/matrix/lib/net.bash) and back again: an
# upgrade and its rollback on the same guest.  Host B runs the destination
# half (`gvmigrate --role destination --back-to A`), host A the source half
# (`--role source --back-listen`), each through arm/run (MIGRATION_ROLE),
# so a run's verdict and log are those of any other arm/run.  The guest is
# arm/migrate.flat asking for two migrations (there, and home), writing
# memory while each one runs (dirty=KIB: the iterative RAM copy with dirty
# logging is what a saved state never exercises).  The guest compares its
# view after each leg with the one it took at home: leg 1's report is in
# B's log, leg 2's and the final verdict in A's.
#
# The stream is authenticated by the run's key (the driver makes it in the
# share; a copy only root here can read is what gvmigrate takes), so no
# process outside the run can inject one.
#
# A cell A -> A is a live migration within A (MIGRATION=unix, there and back
# between two QEMUs on A) with the same payload.
#
# shellcheck disable=SC2154 # GV, gv_ip, link_timeout, test_timeout: init's
# Uses from init: run_test, valid_name, GV, gv_ip, link_timeout, test_timeout.

# The ports on the hosts' segment: one cell at a time per host.
LIVE_PORT=47001 LIVE_BACK_PORT=47002
# KiB the guest keeps writing during each migration: pages copied again
# and again under KVM (some 3000 passes during a leg), little enough to
# converge over the emulated hosts' virtio-net.  Measured between two 6.12
# hosts (QEMU 7.2 inside): 256 KiB, leg in 1.6 s, downtime 148 ms; 2048 KiB
# never converged within the 30 s link bound (the link carries some
# 1.5-2 MB/s with TLS, both hosts emulated on 2 cores).
LIVE_DIRTY_KIB=256
# print_before=0: the view taken at home is not printed (the host's saved
# run printed it: the matrix diffs against that); a changed one still is.
LIVE_ARGS=("$GV/arm/migrate.flat" -smp 1 -m 128 -append "count=2 rate_ms=0 dirty=$LIVE_DIRTY_KIB print_before=0")
LIVE_KEY=/tmp/gv-live.psk

# live_key: the run's key, copied from the share to a file of this host's
# root that nobody else can read (gvmigrate refuses any other).
live_key() {
	[ -f "$LIVE_KEY" ] && return 0
	[ -f /shared/migration.psk ] || { echo "no key: /shared/migration.psk missing"; return 3; }
	(umask 077 && cp /shared/migration.psk "$LIVE_KEY.tmp") && mv "$LIVE_KEY.tmp" "$LIVE_KEY"
}

# The halves' bound on connecting and on each migration: a link that drops
# or a destination that stops ends the leg within it, the guest resumed.
live_link_timeout() {
	REPLY=${link_timeout:-$((test_timeout / 3 > 30 ? test_timeout / 3 : 30))}
}

# live_out TO PEER_IP: the source half of the cell from here to TO, at PEER_IP.
live_out() {
	local to=$1 peer=$2
	valid_name "$to" || return 2
	[ -n "$gv_ip" ] || { echo "no network on this host"; return 3; }
	live_key || return 3
	live_link_timeout
	run_test "live-out-$to" \
		MIGRATION_ROLE="source --to tcp:$peer:$LIVE_PORT --back-listen tcp:$gv_ip:$LIVE_BACK_PORT --psk $LIVE_KEY --link-timeout $REPLY" \
		-- "${LIVE_ARGS[@]}"
}

# live_link_down_mid_stream: takes eth0 down once a connection to the
# destination's port is established (/proc/net/tcp: state 01 on the local
# port) and 128 KiB more have come in on eth0 since: the guest's RAM is
# then streaming (the key's handshake and TLS's are a few KiB; a leg
# carries several hundred KiB at least: the 256 KiB the guest dirties,
# and its code and stacks).
live_link_down_mid_stream() {
	local port sl local rem st _ rx0='' rx tick
	port=$(printf '%04X' "$LIVE_PORT")
	# bash's read -t on a FIFO nobody writes is the pause: BusyBox's sleep
	# may take whole seconds only, and a loop without a pause would starve
	# the host's one CPU (the migration it watches runs there); no fork in
	# the loop either (a fork costs milliseconds on an emulated CPU).
	[ -p /tmp/gv-live-tick ] || mkfifo /tmp/gv-live-tick
	exec {tick}<>/tmp/gv-live-tick
	while :; do
		if [ -z "$rx0" ]; then
			while read -r sl local rem st _; do
				[ "$st" = 01 ] && [ "${local#*:}" = "$port" ] || continue
				read -r rx0 </sys/class/net/eth0/statistics/rx_bytes
				break
			done </proc/net/tcp
		else
			read -r rx </sys/class/net/eth0/statistics/rx_bytes
			if [ $((rx - rx0)) -ge 131072 ]; then
				ip link set eth0 down
				echo "init: fault link-down: eth0 taken down $((rx - rx0)) bytes into the stream"
				return 0
			fi
		fi
		read -r -t 0.05 -u "$tick" _
	done
}

# live_in FROM PEER_IP [FAULT]: the destination half of the cell from FROM,
# at PEER_IP; FAULT, for the project's tests: kill-destination (gvmigrate
# kills this QEMU once the stream comes in) or link-down.
live_in() {
	local from=$1 peer=$2 fault=${3:-} envs=() watch='' rc
	valid_name "$from" || return 2
	[ -n "$gv_ip" ] || { echo "no network on this host"; return 3; }
	live_key || return 3
	live_link_timeout
	case $fault in
	'') ;;
	kill-destination) envs+=(GVMIGRATE_FAULT=kill-destination) ;;
	link-down) live_link_down_mid_stream & watch=$! ;;
	*) echo "unknown fault '$fault'"; return 2 ;;
	esac
	run_test "live-in-$from" \
		MIGRATION_ROLE="destination --listen tcp:$gv_ip:$LIVE_PORT --back-to tcp:$peer:$LIVE_BACK_PORT --psk $LIVE_KEY --link-timeout $REPLY" \
		"${envs[@]}" -- "${LIVE_ARGS[@]}"
	rc=$?
	if [ -n "$watch" ]; then
		kill "$watch" 2>/dev/null
		wait "$watch" 2>/dev/null
		# The next cells need the link.
		ip link set eth0 up
	fi
	return $rc
}

# live_self NAME: the cell from this host to itself.
live_self() {
	valid_name "$1" || return 2
	run_test "live-self-$1" MIGRATION=unix -- "${LIVE_ARGS[@]}"
}
