# scripts/matrix/lib/net.bash: the hosts' private network (sourced by
# run-matrix.sh), over which a live cell migrates a guest from one running
# host to another.
#
# One Ethernet segment, nothing of the machine's own network in it: a QEMU
# with no machine (-M none) is the switch -- one `-netdev stream` server per
# host on a unix socket in the run's private directory (MX_TMP, mode 0700:
# no other local user can connect), all joined by one QEMU hub -- and each
# host's virtio-net device connects to its own socket.  UDP multicast or a
# TCP port would be reachable from the whole machine; these sockets are not,
# and they go with MX_TMP.  Inside, host I has the address 10.0.2.(I+1)/24
# (gv.ip= on its command line; scripts/matrix/init sets it), no DHCP.  The
# switch QEMU gets SIGKILL when the driver dies (setpriv --pdeathsig): even
# a SIGKILLed driver leaves no switch behind.
#
# Needs: MX_QEMU, MX_TMP, MX_PIDS, K_OK (run-matrix.sh), mx_die, mx_now.

MX_NET_PREFIX=10.0.2
MX_NET_SWITCH_PID=''

# mx_host_ip I: host I's address on the segment.
mx_host_ip() { REPLY=$MX_NET_PREFIX.$(($1 + 1)); }

# mx_net_start: starts the switch with a port for every host that boots;
# returns once every port listens (10 s), else stops the run (exit 3).
mx_net_start() {
	local i args=() n
	mkdir -p "$MX_TMP/net" || mx_die 3 "cannot create $MX_TMP/net"
	for i in "${!K_OK[@]}"; do
		[ "${K_OK[$i]}" = 1 ] || continue
		args+=(-netdev "stream,id=p$i,server=on,addr.type=unix,addr.path=$MX_TMP/net/k$((i + 1))"
			-netdev "hubport,id=h$i,hubid=0,netdev=p$i")
	done
	[ ${#args[@]} -gt 0 ] || return 0
	setpriv --pdeathsig KILL -- "$MX_QEMU" -nodefaults -no-user-config -display none -M none \
		-name "gv-matrix-$$-switch" "${args[@]}" </dev/null >/dev/null 2>"$MX_TMP/net/switch.err" &
	MX_NET_SWITCH_PID=$!
	MX_PIDS+=("$!")
	for n in $(seq 100); do
		[ "$n" = 1 ] || read -r -t 0.1 -u "$MX_SLEEPFD" _
		kill -0 "$MX_NET_SWITCH_PID" 2>/dev/null ||
			mx_die 3 "the hosts' network switch ($MX_QEMU -M none) ended: $(grep -v warning "$MX_TMP/net/switch.err" | head -n 1)"
		for i in "${!K_OK[@]}"; do
			[ "${K_OK[$i]}" != 1 ] || [ -S "$MX_TMP/net/k$((i + 1))" ] || continue 2
		done
		return 0
	done
	mx_die 3 "the hosts' network switch did not listen within 10 s ($MX_TMP/net)"
}

# mx_net_args I: host I's QEMU options for its port (MX_NET_ARGS) and its
# address (REPLY, for the kernel's command line).
mx_net_args() {
	local i=$1
	REPLY=''
	MX_NET_ARGS=()
	# No segment in the saved mode: hosts without a network device.
	[ -n "$MX_NET_SWITCH_PID" ] || return 0
	# The MAC's last byte numbers the host, as the address does.
	MX_NET_ARGS=(-netdev "stream,id=gvnet,server=off,addr.type=unix,addr.path=$MX_TMP/net/k$((i + 1))"
		-device "virtio-net-pci,netdev=gvnet,mac=$(printf '52:54:00:47:56:%02x' $((i + 1))),romfile=")
	mx_host_ip "$i"
}
