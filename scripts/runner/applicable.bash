# scripts/runner/applicable.bash: whether a test of the cfg can apply to this
# run, decided before arm/run starts, with the reason when it cannot.
# Sourced by run_tests.sh (after cfg.bash and words.bash); run-matrix.sh
# uses applicable_cfg to count what a host's suite under KVM will run.
#
# One suite for both accelerators: unittests.cfg is written once, and under
# KVM (-accel kvm -cpu host) every entry runs except those that cannot mean
# anything there, each a SKIP that says why.  The reasons come from the
# entry's own keys, never from a list of test names, so a new entry is
# classified the day it is added:
#   accel = X           an entry measured for one accelerator only;
#   -cpu MODEL          (extra_params or dest_params) under KVM the guest's
#                       CPU is the host's: QEMU's named models are TCG's, and
#                       an entry on `max` is written for TCG's max (its
#                       properties, its migration refusals), which under KVM
#                       is the host CPU the -cpu host entries already see;
#   baseline = FILE     a fingerprint taken under another accelerator (the
#                       file's "# accel:" line) cannot compare: arm/run would
#                       only SKIP after a whole QEMU run;
#   migration = netns   needs root and iproute2's ip(8) (BusyBox's ip, as in
#                       the kernel matrix's hosts, has no "ip netns").

# applicable_cfg I ACCEL: false when test I's keys rule it out under ACCEL
# (kvm or tcg); REPLY = why.
applicable_cfg() {
	local i=$1 accel=$2
	cfg_get "$i" accel ""
	if [ -n "$REPLY" ] && [ "$REPLY" != "$accel" ]; then
		REPLY="needs accel $REPLY, running with $accel"
		return 1
	fi
	if [ -n "${CFG_AT[$i.baseline]+set}" ]; then applicable_baseline "${CFG_VAL[$i.baseline]}" "$accel" || return 1; fi
	[ "$accel" = kvm ] || return 0
	cfg_words "$i"
	applicable_cpu extra_params "${WORDS[@]}" || return 1
	if [ -n "${CFG_AT[$i.dest_params]+set}" ] && words_split "${CFG_VAL[$i.dest_params]}"; then
		applicable_cpu dest_params "${WORDS[@]}" || return 1
	fi
	return 0
}

# applicable_cpu KEY WORDS...: false when WORDS give a -cpu model other than
# host (the last -cpu counts, as QEMU takes it); REPLY = why.
applicable_cpu() {
	local key=$1 model="" prev="" w
	shift
	for w in "$@"; do
		case $prev in -cpu | --cpu) model=${w%%,*} ;; esac
		case $w in -cpu=* | --cpu=*) model=${w#*=} model=${model%%,*} ;; esac
		prev=$w
	done
	case $model in
	'' | host) return 0 ;;
	max) REPLY="$key -cpu max is written for TCG's max (under KVM max is the host's CPU, which the -cpu host entries see)" ;;
	*) REPLY="$key -cpu $model is a CPU model of TCG's (under KVM the guest's CPU is the host's, -cpu host)" ;;
	esac
	return 1
}

# applicable_baseline FILE ACCEL: false when FILE (from the repository's
# root, or absolute) says it was taken under another accelerator.  A file
# that cannot be read is left to arm/run, which names it as an error.
applicable_baseline() {
	local file=$1 line n=0
	case $file in /*) ;; *) file=$REPO/$file ;; esac
	[ -r "$file" ] || return 0
	while IFS= read -r line && [ $((n += 1)) -le 20 ]; do
		case $line in
		"# accel: "*)
			[ "${line#\# accel: }" = "$2" ] && return 0
			REPLY="baseline $1 was taken under ${line#\# accel: }, this run uses $2: not comparable"
			return 1 ;;
		"#"*) ;;
		*) return 0 ;;
		esac
	done <"$file"
	return 0
}

# applicable_host I: false when this machine cannot run test I; REPLY = why.
# Asked after the binaries' checks: a broken qemu key is a configuration
# error even where the test would be skipped for want of root.
APPLICABLE_IP=''
applicable_host() {
	[ "${CFG_VAL[$1.migration]:-}" = netns ] || return 0
	# gvmigrate makes two network namespaces with ip(8): root only.
	if [ "$EUID" != 0 ]; then
		REPLY="migration = netns needs root (network namespaces), running as uid $EUID"
	elif ! command -v ip >/dev/null 2>&1; then
		REPLY="migration = netns needs ip(8) from iproute2, not found on PATH"
	else
		# Asked once per run: one fork, only when a netns test is selected.
		[ -n "$APPLICABLE_IP" ] || APPLICABLE_IP=$(ip -V 2>&1 | head -n 1)
		[[ $APPLICABLE_IP == *iproute2* ]] && return 0
		REPLY="migration = netns needs ip(8) from iproute2 (ip netns), this one is not (ip -V: ${APPLICABLE_IP:-nothing})"
	fi
	return 1
}
