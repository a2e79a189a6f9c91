#!/bin/bash
# scripts/arm64-host/inside.sh: what a user does on a fresh arm64 Debian
# host, run inside the emulated one (by its /init, as root, in the root file
# system, with the host's share on /gv): a fresh clone of the committed
# repository (/gv/repo.git, made by run.sh), then the README's commands,
# `make run` and, when /gv/inside.env says CHECK=1, `make check`.
#
# Each command's output goes to /gv/out/NAME.log, every line prefixed by the
# seconds since the command started (how long each part took, and how far a
# command had got if the run was stopped).  The console gets one line per
# step for run.sh, the host side:
#   @@A64 env KEY=VALUE...           what the host is (kernel, /dev/kvm, CPUs)
#   @@A64 begin NAME                 a command starts
#   @@A64 progress NAME S LINE       a test file of make check starts (S seconds in)
#   @@A64 end NAME rc=N s=S          it ended with status N after S seconds
# The same end lines go to /gv/out/results.
set -u
export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# apt-get is not asked questions on a console nobody reads.
export DEBIAN_FRONTEND=noninteractive
CHECK=0
[ -f /gv/inside.env ] && . /gv/inside.env
out=/gv/out
mkdir -p "$out"
: >"$out/results"
say() { echo "@@A64 $*"; }

kvm=absent
[ -c /dev/kvm ] && kvm=present
say "env kernel=$(uname -r) arch=$(uname -m) kvm=$kvm cpus=$(nproc) mem_mib=$(($(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024)) debian=$(cat /etc/debian_version)"
dmesg | grep -m 3 -i 'kvm' | sed 's/^/@@A64 dmesg /'

# step NAME CMD...: runs CMD with its output time-stamped into NAME.log.
step() {
	local name=$1 t0=$SECONDS rc line
	shift
	say "begin $name"
	{
		"$@" 2>&1 </dev/null
		echo "@@rc $?"
	} | while IFS= read -r line; do
		case $line in
		"@@rc "*) echo "${line#@@rc }" >"$out/$name.rc"; continue ;;
		"# --- tests/"*) say "progress $name $((SECONDS - t0)) ${line#\# --- }" ;;
		esac
		printf '%5d %s\n' "$((SECONDS - t0))" "$line"
	done >"$out/$name.log"
	rc=$(cat "$out/$name.rc" 2>/dev/null || echo 255)
	say "end $name rc=$rc s=$((SECONDS - t0))"
	echo "$name rc=$rc s=$((SECONDS - t0))" >>"$out/results"
	return "$rc"
}

cd /root || exit 1
rm -rf guestview
step clone git clone /gv/repo.git guestview || exit 1
cd guestview || exit 1
say "env commit=$(git rev-parse --short=12 HEAD) branch=$(git rev-parse --abbrev-ref HEAD)"
# What the guests cannot see: this host is emulated by QEMU TESTBED_QEMU
# (arm/run passes it to the payloads; the probes know that test bed's gaps).
[ -z "${TESTBED_QEMU:-}" ] || export GUESTVIEW_HOST_FACTS="testbed_qemu=$TESTBED_QEMU"
step make-run make run
rc=$?
# The suite's logs, for whoever reads the run afterwards (--out keeps them).
mkdir -p "$out/make-run-logs" && cp -R logs/latest/. "$out/make-run-logs/" 2>/dev/null
if [ "$CHECK" = 1 ]; then
	step make-check make check || rc=1
fi
exit "$rc"
