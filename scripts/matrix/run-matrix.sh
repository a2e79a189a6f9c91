#!/bin/bash
# scripts/matrix/run-matrix.sh: the kernel matrix.  Boots an emulated arm64
# host (QEMU TCG with EL2) per kernel, runs the guest suite inside under
# real KVM, saves the KVM register list each kernel offers userspace, asks
# each kernel's KVM what userspace can see and pin (host/gvkvm info, and
# gvkvm try of every other kernel's values),
# migrates a running payload (arm/migrate.flat) from every kernel to every
# kernel and back, live between the running hosts (or through a saved
# state: --mode saved), and loads each kernel's paused boot state
# on every other (pinning: scripts/matrix/init-pin.bash), rolling back what
# loaded; then prints the matrix.
#
# Usage: run-matrix.sh [options] KERNEL[:CMDLINE]...
#
# KERNEL: a Debian version (6.1 = the newest 6.1.x arm64 build; 6.12.117-1
# exactly that one), a Debian package (linux-image-...-arm64[=VERSION]), or
# a path to an arm64 Image or to a built kernel tree (./Image for a file
# here).  CMDLINE is added to that kernel's command line, e.g.
# 6.12:kvm-arm.mode=nvhe.  Each kernel is booted once per host CPU
# (--host-cpu); all run at the same time.
#
# Options:
#   --out DIR              results (default logs/matrix): matrix.json,
#                          matrix.txt, and per kernel its console log, test
#                          logs, fingerprint, register list, saved state
#   --json FILE            also write the matrix's JSON to FILE
#   --junit FILE           write JUnit XML to FILE
#   --mode live|saved      how a cell A -> B migrates (default live): live,
#                          from running host A to running host B over the
#                          hosts' private network and back to A (a round
#                          trip: upgrade and rollback), the guest writing
#                          memory during each migration; saved, A's state
#                          saved and restored on B (one way)
#   --link-timeout S       bound of a live cell's halves on connecting and on
#                          each leg (default a third of the per-run bound, at
#                          least 30 s): what a dropped link or a stopped
#                          host costs a cell
#   --no-suite             the hosts do not run the guest suite: only the
#                          cells, the register lists and the pins (a
#                          quicker run when only migration is in question)
#   --kcidb FILE           write the results as KCIDB report data (KernelCI's
#                          cross-CI format, I/O schema 5) to FILE
#   --compare OLD.json     name every cell and kernel that got worse than in
#                          OLD.json (a stored earlier matrix); exit 1 if any
#   --cache DIR            kernels, packages, initramfs (default
#                          $MATRIX_CACHE, else deps/matrix-cache)
#   --refresh              check the archive for newer packages now (else at
#                          most once a day: GUESTVIEW_APT_LISTS_MAX_AGE)
#   --suites "S..."        suites added for kernels (default "trixie
#                          trixie-backports"; "" for the machine's own only)
#   --boot-timeout S       a host must reach /init within S s (default 120)
#   --command-timeout S    bound on each command inside a host (default 600,
#                          or the bound of each payload run inside -- 45 s
#                          per host of the run, at least 90 s -- times the
#                          arm/runs of the suite: the tests of unittests.cfg
#                          that apply under KVM, plus one)
#   --host-cpu CPU[,CPU...]  the emulated host CPUs, QEMU's -cpu syntax
#                          (a word without '=' starts the next CPU; the
#                          option may be repeated): each kernel runs on each
#                          CPU, its label then KERNEL@MODEL (6.12@neoverse-n1).
#                          Default max,lpa2=off,pauth-impdef=on.  Named
#                          models with EL2: neoverse-n1 (and with --qemu a
#                          QEMU 10: neoverse-v1,pauth-impdef=on, neoverse-n2)
#   --qemu PATH            the x86 qemu-system-aarch64 that emulates the hosts
#                          (default $QEMU, else qemu-system-aarch64 on PATH;
#                          e.g. deps/qemu10/usr/bin/qemu-system-aarch64)
#   --inner-qemu SUITE     take the hosts' user space, and so the QEMU that
#                          runs the payloads under KVM, from Debian's SUITE:
#                          trixie (QEMU 10.0), trixie-backports (QEMU 11.1,
#                          which tolerates registers only in an incoming
#                          stream); default the machine's own (bookworm: 7.2)
#   --host-mem MIB         memory of each host (default 1024)
#   --initramfs FILE       boot the hosts with FILE as the common initramfs
#                          instead of building one (a custom user space, or
#                          the project's tests of kernels that never boot)
#   --host-smp N           CPUs of each host (default 1: with more vCPU threads
#                          than cores, TCG's cross-CPU TLB flushes stall)
#   --phase PHASE          one phase of the run, for a CI system that fans
#                          the matrix out (lib/phases.bash): kernel:N (host
#                          N alone), pair:N:M (hosts N and M: the cells,
#                          pins and tries between them), merge (no host:
#                          the phases joined into --out, the same
#                          matrix.json, text, JUnit and KCIDB as a whole
#                          run); every phase gets the same kernels and
#                          options.  Hosts are numbered from 1 in the order
#                          of the kernels (each kernel once per --host-cpu)
#   --artifacts DIR        where phases leave their results (DIR/kernel-N,
#                          DIR/pair-N-M) and the merge finds them
#   --plan                 print the run's phases, one a line, and exit
#   -h, --help             this help
#
# Environment: MATRIX_CACHE (see --cache), QEMU (see --qemu), and
# apt-fetch.sh's (GUESTVIEW_APT_ETC, ...).
#
# Exit status: 0 the matrix is complete (every kernel booted with KVM and
# every cell has a result: identical, changed or refused; a payload that
# FAILs under KVM is a result too, in the matrix and the JUnit); 1 a kernel
# failed (no boot, no KVM, panic, timeout), a cell could not run, or
# --compare found something worse; 2 usage error; 3 set-up error (a tool,
# payload or package missing; for the merge, a phase missing or of another
# run); 130 interrupted (nothing is left behind).  A kernel or pair phase
# exits 0 when its hosts did their work, 1 when one failed.
set -u
prog=run-matrix.sh
MX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd) || exit 3

mx_say() { printf '%s: %s\n' "$prog" "$*" >&2; }
mx_die() { local rc=$1; shift; mx_say "$*"; exit "$rc"; }
usage() { sed -n '2,/^set -u/{/^#/s/^# \{0,1\}//p}' "$0"; }

for lib in spec kernels initramfs hosts net live pins suite phases; do
	. "$MX_ROOT/scripts/matrix/lib/$lib.bash" || mx_die 3 "cannot load scripts/matrix/lib/$lib.bash"
done

out=$MX_ROOT/logs/matrix out_given='' json_copy='' junit='' kcidb='' compare='' plan=''
MX_CACHE=${MATRIX_CACHE:-$MX_ROOT/deps/matrix-cache}
MX_BOOT_TIMEOUT=120 MX_CMD_TIMEOUT=''
MX_DEFAULT_CPU=max,lpa2=off,pauth-impdef=on MX_HOST_MEM=1024 MX_HOST_SMP=1
MX_QEMU=${QEMU:-qemu-system-aarch64}
MX_MODE=live MX_NO_SUITE='' MX_LINK_TIMEOUT=''
specs=()
need() { [ $# -ge 2 ] && [ -n "$2" ] || mx_die 2 "option $1 needs a value (see --help)"; }
number() { [[ $2 =~ ^[1-9][0-9]*$ ]] || mx_die 2 "option $1: '$2' is not a positive number"; }
while [ $# -gt 0 ]; do
	case $1 in
	--out) need "$@"; out=$2; out_given=1; shift 2 ;;
	--phase) need "$@"; MX_PHASE=$2; shift 2 ;;
	--artifacts) need "$@"; MX_ARTIFACTS=$2; shift 2 ;;
	--plan) plan=1; shift ;;
	--json) need "$@"; json_copy=$2; shift 2 ;;
	--junit) need "$@"; junit=$2; shift 2 ;;
	--kcidb) need "$@"; kcidb=$2; shift 2 ;;
	--no-suite) MX_NO_SUITE=1; shift ;;
	--link-timeout) need "$@"; number "$1" "$2"; MX_LINK_TIMEOUT=$2; shift 2 ;;
	--mode) need "$@"; MX_MODE=$2; shift 2
		case $MX_MODE in live|saved) ;; *) mx_die 2 "--mode '$MX_MODE': expected live or saved" ;; esac ;;
	--compare) need "$@"; compare=$2; shift 2
		[ -f "$compare" ] || mx_die 2 "--compare $compare: no such file" ;;
	--cache) need "$@"; MX_CACHE=$2; shift 2 ;;
	--refresh) MX_REFRESH=1; shift ;;
	--suites) [ $# -ge 2 ] || mx_die 2 "option --suites needs a value"; MX_KERNEL_SUITES=$2; shift 2 ;;
	--boot-timeout) need "$@"; number "$1" "$2"; MX_BOOT_TIMEOUT=$2; shift 2 ;;
	--command-timeout) need "$@"; number "$1" "$2"; MX_CMD_TIMEOUT=$2; shift 2 ;;
	--host-cpu) need "$@"; mx_parse_cpus "$2" || mx_die 2 "$MX_ERR"; shift 2 ;;
	--qemu) need "$@"; MX_QEMU=$2; shift 2 ;;
	--inner-qemu) need "$@"; MX_INNER_SUITE=$2; shift 2
		[[ $MX_INNER_SUITE =~ ^[A-Za-z0-9._-]+$ ]] || mx_die 2 "--inner-qemu: '$MX_INNER_SUITE' is not a suite name" ;;
	--host-mem) need "$@"; number "$1" "$2"; MX_HOST_MEM=$2; shift 2 ;;
	--host-smp) need "$@"; number "$1" "$2"; MX_HOST_SMP=$2; shift 2 ;;
	--initramfs) need "$@"; MX_COMMON=$2; MX_CUSTOM_INITRAMFS=1; shift 2
		[ -f "$MX_COMMON" ] || mx_die 2 "--initramfs $MX_COMMON: no such file"
		MX_COMMON=$(cd "$(dirname "$MX_COMMON")" && pwd)/${MX_COMMON##*/} ;;
	-h|--help) usage; exit 0 ;;
	--) shift; specs+=("$@"); break ;;
	-*) mx_die 2 "unknown option '$1' (see --help)" ;;
	*) specs+=("$1"); shift ;;
	esac
done
[ ${#specs[@]} -gt 0 ] || mx_die 2 "no kernel given (usage: $prog [options] KERNEL[:CMDLINE]...; see --help)"
for s in $MX_KERNEL_SUITES; do
	[[ $s =~ ^[A-Za-z0-9._-]+$ ]] || mx_die 2 "--suites: '$s' is not a suite name"
done

[ ${#MX_CPUS[@]} -gt 0 ] || MX_CPUS=("$MX_DEFAULT_CPU")
mx_cpu_names || mx_die 2 "$MX_ERR"

# --- the hosts: each kernel as written, on each CPU ----------------------------
K_LABEL=() K_KIND=() K_KERNEL=() K_CMDLINE=() K_CPU=()
declare -A seen=()
for s in "${specs[@]}"; do
	mx_parse_spec "$s" || mx_die 2 "$MX_ERR"
	[ -z "${seen[$s]:-}" ] || mx_die 2 "kernel '$s' given twice"
	seen[$s]=1
	for n in "${!MX_CPUS[@]}"; do
		mx_host_label "$SPEC_LABEL" "${MX_CPU_NAME[$n]}" "${#MX_CPUS[@]}"
		K_LABEL+=("$REPLY") K_KIND+=("$SPEC_KIND") K_KERNEL+=("$SPEC_KERNEL") K_CMDLINE+=("$SPEC_CMDLINE")
		K_CPU+=("${MX_CPUS[$n]}")
	done
done
MX_N=${#K_LABEL[@]}
mx_live_check_faults || mx_die 2 "$MX_ERR"
[ -z "$plan" ] || { mx_phase_plan; exit 0; }
mx_phase_check || mx_die 2 "$MX_ERR"
case $MX_PHASE in
kernel:* | pair:*)
	[ -z "$out_given" ] || mx_die 2 "--out is for a whole run and the merge: phase $MX_PHASE writes into --artifacts"
	mkdir -p "$MX_ARTIFACTS" || mx_die 3 "cannot create --artifacts $MX_ARTIFACTS"
	MX_ARTIFACTS=$(cd "$MX_ARTIFACTS" && pwd)
	mx_phase_dir
	out=$REPLY ;;
merge)
	[ -d "$MX_ARTIFACTS" ] || mx_die 2 "--artifacts $MX_ARTIFACTS: no such directory" ;;
esac

# --- the matrix from what the run left in $out (report.py) -------------------------
report=(python3 "$MX_ROOT/scripts/matrix/report.py")
# mx_report_to FILE WHAT: report.py's WHAT of the matrix, into FILE whole
# or not at all (an earlier good FILE is not replaced by a partial one).
mx_report_to() {
	local tmp
	tmp=$(mktemp "$1.XXXXXX") || mx_die 3 "cannot create a file beside $1"
	if "${report[@]}" "$2" "$out/matrix.json" >"$tmp" && mv "$tmp" "$1"; then return 0; fi
	rm -f "$tmp"
	mx_die 3 "cannot write $1 (report.py $2's message above)"
}
# mx_report: matrix.json and matrix.txt in $out, the copies and files the
# options asked for; returns the run's status.
mx_report() {
	local rc
	"${report[@]}" build "$out" >"$out/matrix.json.tmp" && mv "$out/matrix.json.tmp" "$out/matrix.json" ||
		mx_die 3 "could not build the matrix from $out (report.py's message above)"
	"${report[@]}" text "$out/matrix.json" | tee "$out/matrix.txt"
	rc=$("${report[@]}" status "$out/matrix.json")
	[ -z "$json_copy" ] || cp "$out/matrix.json" "$json_copy" || mx_die 3 "cannot write $json_copy"
	[ -z "$junit" ] || mx_report_to "$junit" junit
	[ -z "$kcidb" ] || mx_report_to "$kcidb" kcidb
	if [ -n "$compare" ]; then
		echo
		"${report[@]}" compare "$compare" "$out/matrix.json" || rc=1
	fi
	return "$rc"
}
# mx_need_built FILE...: the host tools the run needs, built.
mx_need_built() {
	local f
	for f in "$@"; do
		[ -x "$MX_ROOT/$f" ] || mx_die 3 "$f is not built (run make)"
	done
}
if [ "$MX_PHASE" = merge ]; then
	mx_need_built host/gvfp host/gvstream
	mkdir -p "$out" || mx_die 3 "cannot create $out"
	out=$(cd "$out" && pwd)
	# The phases must be those of this very run: the merge checks each
	# phase's kernels, mode and settings against the others.
	phases=()
	while read -r p; do
		[ "$p" = merge ] && continue
		mx_phase_dir "$p"
		phases+=("$p=$REPLY")
	done < <(mx_phase_plan)
	python3 "$MX_ROOT/scripts/matrix/merge.py" "$out" "${phases[@]}" ||
		mx_die 3 "cannot merge the phases of $MX_ARTIFACTS (merge.py's message above)"
	mx_report
	exit $?
fi
# Inside, each arm/run is bound by 45 s per host sharing the machine's cores
# (at least 90 s; three times that in the suite, whose migrations start up
# to 11 QEMUs each: scripts/matrix/init); a command (the suite: a QEMU
# start-up and the tests of unittests.cfg that apply under KVM, one arm/run
# each) by one bound per arm/run: a backstop for a host that hangs, not the
# sum of the tests' own bounds.
MX_TEST_TIMEOUT=$((MX_N * 45 > 90 ? MX_N * 45 : 90))
mx_kvm_suite || mx_die 3 "$MX_ERR"
mx_runs=$(($(wc -l <<<"$REPLY") + 1))
[ -n "$MX_CMD_TIMEOUT" ] ||
	MX_CMD_TIMEOUT=$((MX_TEST_TIMEOUT * mx_runs > 600 ? MX_TEST_TIMEOUT * mx_runs : 600))

# --- what the run needs -------------------------------------------------------
for t in "$MX_QEMU" timeout cpio gzip python3 mkfifo od setpriv; do
	command -v "$t" >/dev/null 2>&1 || mx_die 3 "needs '$t', which this machine lacks"
done
mx_need_built host/gvfp host/gvstream host/gvmigrate
[ -n "${MX_COMMON:-}" ] || for f in $(mx_gv_files); do
	[ -e "$MX_ROOT/$f" ] || mx_die 3 "$f is not built (run make, and make cross-tools for host/aarch64/)"
done
# A CPU this QEMU does not have is the command line's mistake: said now,
# not as every kernel's boot error after the fetch.
qemu_version=$("$MX_QEMU" -nodefaults --version 2>/dev/null | head -n 1)
for c in "${MX_CPUS[@]}"; do
	mx_check_cpu "$c" || mx_die 2 "--host-cpu $c: ${qemu_version:-$MX_QEMU} refuses it: $MX_ERR"
done

# --- private scratch space; nothing survives an interrupt ---------------------
mkdir -p "$MX_CACHE" || mx_die 3 "cannot create the cache directory $MX_CACHE"
MX_CACHE=$(cd "$MX_CACHE" && pwd)
# What a SIGKILLed driver could not remove (its hosts and switch die with
# it): the private directories of this user's runs whose driver is gone.
for d in "${TMPDIR:-/tmp}"/gv-matrix.*; do
	[ -d "$d" ] && [ -O "$d" ] && [ ! -L "$d" ] && [ -f "$d/driver.pid" ] || continue
	p=$(cat "$d/driver.pid" 2>/dev/null)
	[[ $p =~ ^[0-9]+$ ]] && ! kill -0 "$p" 2>/dev/null && rm -rf -- "$d"
done
MX_TMP=$(mktemp -d "${TMPDIR:-/tmp}/gv-matrix.XXXXXX") || mx_die 3 "mktemp failed"
chmod 700 "$MX_TMP"
echo "$$" >"$MX_TMP/driver.pid"
MX_SHARE=$MX_TMP/share
mkdir -p "$MX_SHARE/states" "$MX_SHARE/kvm"
mkfifo "$MX_TMP/sleep" && exec {MX_SLEEPFD}<>"$MX_TMP/sleep"
MX_PIDS=()
H_PID=()
cleanup() {
	local p n alive
	for p in "${MX_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	# All of them together: at most 3 s, then KILL.
	for n in $(seq 30); do
		alive=0
		for p in "${MX_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ "$alive" = 1 ] || break
		read -r -t 0.1 -u "$MX_SLEEPFD" _
	done
	for p in "${MX_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	for p in "${MX_STOPPED[@]}"; do kill -KILL "$p" 2>/dev/null; done
	rm -rf -- "$MX_TMP"
}
interrupted() {
	# A second signal (timeout(1) forwards one, the process group gets one)
	# must not cut the cleanup short.
	trap "" INT TERM HUP
	mx_say "interrupted ($MX_SIGNAL): stopping the emulated hosts"
	cleanup
	trap - EXIT
	exit 130
}
# The traps only take note; the driver stops at its next check
# (mx_stop_if_signalled: each step of the main loop, between phases).
# Stopping inside the trap is not safe: a signal usually lands in the main
# loop's `read -t` pause, bash runs the trap inside that read, and the
# read's own timeout then cuts the trap short (cleanup abandoned half-way,
# the loop carried on and ended with status 1 instead of 130).
MX_SIGNAL=''
trap 'MX_SIGNAL=${MX_SIGNAL:-SIGINT}' INT
trap 'MX_SIGNAL=${MX_SIGNAL:-SIGTERM}' TERM
trap 'MX_SIGNAL=${MX_SIGNAL:-SIGHUP}' HUP
mx_stop_if_signalled() { [ -z "$MX_SIGNAL" ] || interrupted; }
trap cleanup EXIT

mx_now; MX_T0=$REPLY
mkdir -p "$out" || mx_die 3 "cannot create $out"
out=$(cd "$out" && pwd)
rm -rf "$out/kernels" "$out/cells" "$out"/matrix.* "$out/run.env" "$out/notrun.tsv" "$out/share"
mkdir -p "$out/kernels"
: >"$out/notrun.tsv"

# --- kernels: resolve and fetch (cached) ------------------------------------------
K_DIR=() K_OUT=() K_OK=()
for i in "${!K_LABEL[@]}"; do
	K_OUT[$i]=$out/kernels/k$((i + 1))
	# A phase boots its own hosts only; the others are another phase's.
	mx_phase_takes "$i" || { K_OK[$i]=0; continue; }
	mkdir -p "${K_OUT[$i]}"
	printf 'label=%s\nkind=%s\nkernel=%s\ncmdline=%s\nhost_cpu=%s\n' "${K_LABEL[$i]}" "${K_KIND[$i]}" \
		"${K_KERNEL[$i]}" "${K_CMDLINE[$i]}" "${K_CPU[$i]}" >"${K_OUT[$i]}/spec.env"
	K_OK[$i]=0
	mx_get_kernel "${K_KIND[$i]}" "${K_KERNEL[$i]}" "$MX_TMP/kernels/k$((i + 1))" && K_OK[$i]=1
	if [ "${K_OK[$i]}" = 1 ]; then
		K_DIR[$i]=$KDIR
		cp "$KDIR/info" "${K_OUT[$i]}/kernel.env"
		mx_say "kernel ${K_LABEL[$i]}: $(sed -n 's/^package=//p' "$KDIR/info") $(sed -n 's/^version=//p' "$KDIR/info")$(sed -n 's/^image=/ /p' "$KDIR/info")"
	else
		mx_say "kernel ${K_LABEL[$i]}: $MX_ERR"
		printf 'status=error\nreason=%s\n' "$MX_ERR" >"${K_OUT[$i]}/host.env"
	fi
	mx_stop_if_signalled
done
mx_now; T_KERNELS=$((REPLY - MX_T0))

# --- the hosts' initramfs (cached) ---------------------------------------------
any=0
for i in "${!K_LABEL[@]}"; do [ "${K_OK[$i]}" = 1 ] && any=1; done
if [ "$any" = 1 ] && [ -z "${MX_COMMON:-}" ]; then
	mx_fetch_userland
	mx_stop_if_signalled
	mx_common_initramfs
fi
mx_stop_if_signalled
mx_now; T_PREP=$((REPLY - MX_T0))

# --- the hosts ---------------------------------------------------------------------
# The test bed's own version (7.2.22 of "QEMU emulator version 7.2.22 (Debian
# ...)", read above), for the hosts: known gaps of an emulated host are
# recorded per QEMU version (tables/errata.def), and the guest must know
# which it runs on.
MX_TESTBED_QEMU=$(sed -n 's/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p' <<<"$qemu_version")
{
	printf 'started=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf 'host_cpu=%s\nhost_mem=%s\nhost_smp=%s\n' "${MX_CPUS[*]}" "$MX_HOST_MEM" "$MX_HOST_SMP"
	printf 'outer_qemu=%s\nouter_qemu_path=%s\n' "$qemu_version" "$(command -v "$MX_QEMU")"
	if [ -n "${MX_CUSTOM_INITRAMFS:-}" ]; then REPLY="custom initramfs $MX_COMMON"; else mx_inner_qemu; fi
	printf 'inner_qemu=%s\ninner_suite=%s\n' "$REPLY" "${MX_INNER_SUITE:-}"
	printf 'suites=%s\n' "$MX_KERNEL_SUITES"
	printf 'boot_timeout=%s\ncommand_timeout=%s\ntest_timeout=%s\n' "$MX_BOOT_TIMEOUT" "$MX_CMD_TIMEOUT" "$MX_TEST_TIMEOUT"
	printf 'kernels=%s\n' "$MX_N"
	printf 'mode=%s\n' "$MX_MODE"
	printf 'fault_cells=%s\n' "${MX_FAULT_CELLS:-}"
	printf 'suite=%s\n' "$([ -n "$MX_NO_SUITE" ] && echo 0 || echo 1)"
	printf 'phase=%s\n' "$MX_PHASE"
	printf 'specs=%s\n' "${specs[*]}"
	printf 't_kernels_ms=%s\nt_prep_ms=%s\n' "$T_KERNELS" "$T_PREP"
} >"$out/run.env"

H_STATE=() H_NOSHARE=() H_NONET=()
# A pair's hosts start from what their kernel phases left (lib/phases.bash).
mx_phase_is_pair && mx_phase_imports
if [ "$MX_MODE" = live ]; then
	# The hosts' segment, and the key that authenticates every live stream
	# (in the share, which is under MX_TMP: private, gone with the run).
	mx_net_start
	"$MX_ROOT/host/gvmigrate" --make-psk "$MX_SHARE/migration.psk" >/dev/null ||
		mx_die 3 "host/gvmigrate --make-psk $MX_SHARE/migration.psk failed"
fi
for i in "${!K_LABEL[@]}"; do
	if [ "${K_OK[$i]}" = 1 ]; then
		mx_host_start "$i"
		# What its KVM offers first (seconds), then its own state, so the
		# others can start trying and restoring from them.
		H_QUEUE[$i]="kvm pin-save save"
		[ -n "$MX_NO_SUITE" ] || H_QUEUE[$i]+=" suite"
		# Pinning by the boot state: lib/pins.bash.
		mx_pin_init "$i"
		# gvkvm try of every other kernel's values here, as they come.
		H_TRY[$i]=''
		for j in "${!K_LABEL[@]}"; do
			[ "$j" = "$i" ] || [ "${K_OK[$j]}" != 1 ] || H_TRY[$i]+="${H_TRY[$i]:+ }$j"
		done
		H_TODO[$i]=''
		for j in "${!K_LABEL[@]}"; do
			[ "$j" = "$i" ] || [ "${K_OK[$j]}" = 1 ] || continue
			H_TODO[$i]+=" $j"
		done
		# Itself first, then the others in order; then the fault cells.
		H_TODO[$i]="$i${H_TODO[$i]/ $i/}"
		if [ "$MX_MODE" = live ]; then
			mx_live_faults_into "$i"
			H_TODO[$i]+=$REPLY
		fi
		mx_phase_host "$i"
	else
		H_STATE[$i]=done H_SAVED[$i]="failed:${K_LABEL[$i]}: $MX_ERR" H_TODO[$i]=''
		H_KVM[$i]="failed:${K_LABEL[$i]}: $MX_ERR" H_TRY[$i]=''
	fi
done
n=0
for i in "${!K_OK[@]}"; do [ "${K_OK[$i]}" != 1 ] || n=$((n + 1)); done
mx_say "${MX_PHASE:+phase $MX_PHASE: }booting $n emulated host(s) at once (-cpu ${MX_CPUS[*]}; $MX_HOST_SMP CPU(s) and $MX_HOST_MEM MiB each; ${qemu_version:-$MX_QEMU})"

# notrun FROM TO REASON
notrun() { printf 'k%s\tk%s\t%s\n' "$(($1 + 1))" "$(($2 + 1))" "$3" >>"$out/notrun.tsv"; }

# schedule I: gives idle host I its next command.
schedule() {
	local i=$1 j rest='' sent=0
	if [ -n "${H_QUEUE[$i]}" ]; then
		read -r j rest <<<"${H_QUEUE[$i]}"
		H_QUEUE[$i]=$rest
		# save and suite name where their results go: k1, k2...
		mx_host_send "$i" "$j k$((i + 1))"
		return
	fi
	try_next "$i" && return
	mx_pin_next "$i" && return
	if [ "$MX_MODE" = live ]; then
		mx_live_schedule "$i" && return
		[ -z "${H_TODO[$i]}" ] && [ -z "${H_TRY[$i]}" ] && ! mx_pin_pending "$i" && ! mx_live_needed "$i" &&
			mx_host_send "$i" poweroff
		return
	fi
	for j in ${H_TODO[$i]}; do
		if [ "$sent" = 1 ]; then rest+=" $j"; continue; fi
		case ${H_SAVED[$j]} in
		ok)
			if [ "$j" != "$i" ] && { [ -n "${H_NOSHARE[$i]:-}" ] || [ -n "${H_NOSHARE[$j]:-}" ]; }; then
				notrun "$j" "$i" "no shared directory on ${K_LABEL[$i]}${H_NOSHARE[$j]:+ or ${K_LABEL[$j]}} (9p): the state cannot travel"
				continue
			fi
			mx_host_send "$i" "restore k$((j + 1))"
			sent=1 ;;
		failed:*) notrun "$j" "$i" "no state from ${K_LABEL[$j]}: ${H_SAVED[$j]#failed:}" ;;
		*) rest+=" $j" ;;
		esac
	done
	H_TODO[$i]=${rest# }
	if [ "$sent" = 0 ] && [ -z "${H_TODO[$i]}" ] && [ -z "${H_TRY[$i]}" ] && ! mx_pin_pending "$i"; then
		mx_host_send "$i" poweroff
	fi
}

# try_next I: sends idle host I a gvkvm try of the next kernel whose info is
# there (kvm-try kJ kI); fails when none is ready.  A kernel without info,
# or a host without the share, drops out: the report says the pair has no
# result.
try_next() {
	local i=$1 j rest="" none=1
	for j in ${H_TRY[$i]}; do
		if [ "$none" = 0 ]; then rest+=" $j"; continue; fi
		case ${H_KVM[$j]:-} in
		ok)
			[ -z "${H_NOSHARE[$i]:-}" ] && [ -z "${H_NOSHARE[$j]:-}" ] || continue
			mx_host_send "$i" "kvm-try k$((j + 1)) k$((i + 1))"
			none=0 ;;
		failed:*) ;;
		*) rest+=" $j" ;;
		esac
	done
	H_TRY[$i]=${rest# }
	return $none
}

# rebalance: CPU shares in proportion to the work each host has left.
# Three single-CPU hosts on two cores get two thirds of a core each; a
# slower kernel (or one with more left to do) would then finish alone while
# a core idles.  The work left is estimated from the commands still to run
# (weights: suite 9, save 1.2, restore 0.35, from measured runs: the suite
# is the whole unittests.cfg under KVM, 200-225 s against a save's 17-20 s
# on two hosts) times the
# host's speed (its save's duration against the fastest one's, once all
# saved); nice values (1.25x CPU weight per step) follow the ratios.
declare -A MX_NICE=()
rebalance() {
	local i j w max=0 n min_save=0 ms
	local -A left=() live=()
	command -v renice >/dev/null 2>&1 || return 0
	for i in "${!K_LABEL[@]}"; do
		case ${H_STATE[$i]} in done|off) continue ;; esac
		w=0
		for j in ${H_QUEUE[$i]} ${H_CUR[$i]#* }; do
			case $j in suite) w=$((w + 900)) ;; save) w=$((w + 120)) ;; esac
		done
		for j in ${H_TODO[$i]}; do w=$((w + 35)); done
		[[ ${H_CUR[$i]} == *restore* ]] && w=$((w + 35))
		# A live half (or a host held for one) is half of a cell another
		# host waits on: never the least of the work.
		[[ ${H_CUR[$i]} == *live-* || -n ${LIVE_HELD[$i]:-} ]] && { w=$((w + 35)); live[$i]=1; }
		left[$i]=$w
	done
	for i in "${!left[@]}"; do
		ms=${H_SAVE_MS[$i]:-}
		[ -n "$ms" ] || { min_save=0; break; }
		[ "$min_save" != 0 ] && [ "$ms" -ge "$min_save" ] || min_save=$ms
	done
	for i in "${!left[@]}"; do
		[ "$min_save" = 0 ] || left[$i]=$((left[$i] * H_SAVE_MS[$i] / min_save))
		[ "${left[$i]}" -le "$max" ] || max=${left[$i]}
	done
	[ "$max" -gt 0 ] || return 0
	for i in "${!left[@]}"; do
		# nice n gives 1.25^-n of the CPU weight: n = log1.25(max/left), at most 10.
		n=0 w=$((left[$i] * 1000))
		while [ $n -lt 10 ] && [ $((w * 125 / 100)) -le $((max * 1000)) ]; do
			w=$((w * 125 / 100)); n=$((n + 1))
		done
		# Both halves of a live cell run at full weight: the cell is bounded
		# by the clock (--link-timeout), and a half at nice 10 gets a tenth
		# of a core against anything at 0 -- another host's suite, or other
		# users' work -- enough under load to hold a leg past that bound.
		[ -z "${live[$i]:-}" ] || n=0
		if [ "${MX_NICE[$i]:-0}" != "$n" ]; then
			renice -n "$n" -g "${H_PID[$i]}" >/dev/null 2>&1 && MX_NICE[$i]=$n
			mx_event "$i" "nice $n (work left ${left[$i]})"
		fi
	done
}

while :; do
	alive=0
	for i in "${!K_LABEL[@]}"; do
		[ "${H_STATE[$i]}" != done ] || continue
		mx_host_read "$i"
		mx_host_check "$i"
		[ "${H_STATE[$i]}" != done ] || continue
		alive=1
		[ "${H_STATE[$i]}" != idle ] || { schedule "$i"; MX_REBALANCE=1; }
	done
	[ -z "${MX_REBALANCE:-}" ] || { rebalance; MX_REBALANCE=; }
	mx_stop_if_signalled
	[ "$alive" = 1 ] || break
	read -r -t 0.05 -u "$MX_SLEEPFD" _
done
mx_stop_if_signalled
# What a host that went down still owed.
for i in "${!K_LABEL[@]}"; do
	for j in ${H_TODO[$i]:-}; do
		# A live fault cell is J/FAULT (lib/live.bash).
		case $j in
		*/*) mx_live_notrun "${j%%/*}" "$i" "${j#*/}" "${K_LABEL[$i]}: ${H_REASON[$i]:-the host ended}" ;;
		*) notrun "$j" "$i" "${K_LABEL[$i]}: ${H_REASON[$i]:-the host ended}" ;;
		esac
	done
	if [ "${K_OK[$i]}" = 1 ]; then
		mx_host_env "$i"
		[ ! -f "$MX_SHARE/states/k$((i + 1))" ] ||
			tail -n +2 "$MX_SHARE/states/k$((i + 1))" >"${K_OUT[$i]}/state.stream"
		# gvkvm info of this kernel, and its values tried on the others
		# (pairs/kM.try.json: this kernel's values on kernel M).
		[ ! -f "$MX_SHARE/kvm/k$((i + 1)).json" ] || cp "$MX_SHARE/kvm/k$((i + 1)).json" "${K_OUT[$i]}/kvm.json"
		for f in "$MX_SHARE/kvm/k$((i + 1))-to-k"*.try.json; do
			[ -f "$f" ] || continue
			mkdir -p "${K_OUT[$i]}/pairs" && cp "$f" "${K_OUT[$i]}/pairs/${f##*-to-}"
		done
		# run_tests.sh's own results (TAP, JUnit, logs) of the host's suite.
		[ ! -d "$MX_SHARE/results/k$((i + 1))" ] ||
			cp -R "$MX_SHARE/results/k$((i + 1))" "${K_OUT[$i]}/suite"
	fi
done
# What a kernel phase leaves for its pairs, before the line that says the
# phase ended (t_hosts_ms: a pair takes nothing from a phase without it).
mx_phase_export || mx_die 3 "cannot write $out/share"
mx_now; T_HOSTS=$((REPLY - MX_T0))
printf 't_hosts_ms=%s\n' "$T_HOSTS" >>"$out/run.env"

if [ -n "$MX_PHASE" ]; then
	rc=0
	for i in "${!K_LABEL[@]}"; do
		mx_phase_takes "$i" || continue
		mx_phase_host_status "${K_OUT[$i]}/host.env"
		mx_say "phase $MX_PHASE: ${K_LABEL[$i]}: $REPLY"
		[ "$REPLY" = ok ] || rc=1
	done
	mx_say "phase $MX_PHASE: results in $out (--phase merge joins them)"
	mx_stop_if_signalled
	exit "$rc"
fi
mx_stop_if_signalled
mx_report
rc=$?
mx_stop_if_signalled
exit "$rc"
