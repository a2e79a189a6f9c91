# scripts/matrix/lib/spec.bash: what the matrix's hosts are, as the command
# line says (sourced): kernel specifications, and the emulated host CPUs
# each kernel runs on (at the end).
#
#   SPEC    := KERNEL[:CMDLINE]
#   KERNEL  := VERSION   a Debian package version or a prefix of one, cut at
#                        a '.', '-', '+' or '~': 6.1 is the newest 6.1.x
#                        build, 6.12.117 the newest 6.12.117 one, 6.12.117-1
#                        exactly that version
#            | PACKAGE   a Debian package name (linux-image-...-arm64 or
#                        linux-binary-...), optionally =VERSION
#            | PATH      an arm64 Image (or Image.gz) built from a kernel
#                        tree, or the tree itself (its arch/arm64/boot/Image);
#                        a PATH contains a '/' (write ./Image for a file here)
#   CMDLINE := what to add to that kernel's command line, e.g.
#              kvm-arm.mode=nvhe (everything after the first ':')
#
# mx_parse_spec SPEC sets SPEC_KIND (version|package|path), SPEC_KERNEL,
# SPEC_CMDLINE and SPEC_LABEL (the spec as written, for humans), or returns
# 1 with the reason in MX_ERR.

mx_parse_spec() {
	local spec=$1 kernel cmdline=''
	MX_ERR=''
	SPEC_KIND='' SPEC_KERNEL='' SPEC_CMDLINE='' SPEC_LABEL=$spec
	if [ -z "$spec" ]; then MX_ERR="empty kernel specification"; return 1; fi
	if [[ $spec == *[[:cntrl:]]* ]]; then MX_ERR="'$spec': control characters in a kernel specification"; return 1; fi
	kernel=${spec%%:*}
	[ "$kernel" = "$spec" ] || cmdline=${spec#*:}
	if [ -z "$kernel" ]; then MX_ERR="'$spec': no kernel before ':'"; return 1; fi
	if [[ $spec == *:* && -z $cmdline ]]; then MX_ERR="'$spec': empty command line after ':'"; return 1; fi
	if [[ $cmdline == *\'* || $cmdline == *\"* ]]; then
		MX_ERR="'$spec': quotes are not supported in a kernel command line here"; return 1
	fi
	if [[ $kernel == */* ]]; then
		if [ -d "$kernel" ]; then
			[ -f "$kernel/arch/arm64/boot/Image" ] || {
				MX_ERR="'$kernel' is a directory but not a built arm64 kernel tree (no arch/arm64/boot/Image)"; return 1; }
		elif [ ! -f "$kernel" ]; then
			MX_ERR="'$kernel': no such kernel image"; return 1
		elif [ ! -s "$kernel" ]; then
			MX_ERR="'$kernel': empty file"; return 1
		fi
		SPEC_KIND=path
	elif [[ $kernel =~ ^linux-(image|binary)-[a-z0-9][a-z0-9.+~-]*(=[0-9][A-Za-z0-9.+~:-]*)?$ ]]; then
		SPEC_KIND=package
	elif [[ $kernel =~ ^[0-9]+(\.[0-9]+)*([-+~][A-Za-z0-9.+~-]*)?$ ]]; then
		SPEC_KIND=version
	else
		MX_ERR="'$kernel' is neither a Debian kernel version (like 6.1 or 6.12.117-1), a package (linux-image-...), nor a path to an Image (write ./$kernel for a file here)"
		return 1
	fi
	SPEC_KERNEL=$kernel SPEC_CMDLINE=$cmdline
}

# mx_version_matches SPEC VERSION: VERSION is SPEC or starts with SPEC
# followed by '.', '-', '+' or '~' (6.1 matches 6.1.192-2, not 6.12.1-1).
mx_version_matches() {
	[ "$2" = "$1" ] && return 0
	case $2 in "$1".* | "$1"-* | "$1"+* | "$1"~*) return 0 ;; esac
	return 1
}

# The emulated host CPUs, the matrix's second dimension: every kernel runs
# on every CPU given.  --host-cpu takes QEMU's own -cpu syntax, several in
# one list: QEMU writes a CPU property as KEY=VALUE, always, so a word
# without '=' starts the next CPU ("max,lpa2=off,neoverse-n1" is two).
#
# mx_parse_cpus LIST: appends LIST's CPUs to MX_CPUS, or returns 1 with the
# reason in MX_ERR.
MX_CPUS=()
mx_parse_cpus() {
	local list=$1 w cur='' rest
	MX_ERR=''
	if [[ -z $list || $list == *[[:space:][:cntrl:]\'\"\\]* ]]; then
		MX_ERR="--host-cpu '$list': not a CPU list (MODEL[,KEY=VALUE...][,MODEL...]: no spaces or quotes)"; return 1
	fi
	rest=$list,
	while [ -n "$rest" ]; do
		w=${rest%%,*} rest=${rest#*,}
		if [ -z "$w" ]; then MX_ERR="--host-cpu '$list': empty word between commas"; return 1; fi
		if [[ $w == *=* ]]; then
			if [ -z "$cur" ]; then MX_ERR="--host-cpu '$list': property '$w' before any CPU model"; return 1; fi
			[[ $w =~ ^[A-Za-z0-9_.-]+=[A-Za-z0-9_.:+-]+$ ]] || {
				MX_ERR="--host-cpu '$list': '$w' is not a property (KEY=VALUE)"; return 1; }
			cur+=,$w
		else
			[[ $w =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || { MX_ERR="--host-cpu '$list': '$w' is not a CPU model name"; return 1; }
			[ -z "$cur" ] || MX_CPUS+=("$cur")
			cur=$w
		fi
	done
	MX_CPUS+=("$cur")
}

# mx_cpu_names: MX_CPU_NAME[n], the short name of MX_CPUS[n] in kernel
# labels: its model, or the whole CPU when another CPU of the list has the
# same model (max and max,sve=off).  Returns 1 (MX_ERR) when a CPU is given
# twice.
mx_cpu_names() {
	local n m
	local -A models=() seen=()
	MX_ERR='' MX_CPU_NAME=()
	for n in "${!MX_CPUS[@]}"; do
		if [ -n "${seen[${MX_CPUS[$n]}]:-}" ]; then MX_ERR="--host-cpu: CPU '${MX_CPUS[$n]}' given twice"; return 1; fi
		seen[${MX_CPUS[$n]}]=1
		m=${MX_CPUS[$n]%%,*}
		models[$m]=$((${models[$m]:-0} + 1))
	done
	for n in "${!MX_CPUS[@]}"; do
		m=${MX_CPUS[$n]%%,*}
		if [ "${models[$m]}" = 1 ]; then MX_CPU_NAME[n]=$m; else MX_CPU_NAME[n]=${MX_CPUS[$n]}; fi
	done
}

# mx_host_label SPEC_LABEL CPU_NAME CPU_COUNT: a host's label.  One CPU: the
# kernel as written (the labels of a matrix without the dimension stay what
# they were, for --compare); several: KERNEL@CPU_NAME (6.12@neoverse-n1).
mx_host_label() {
	if [ "$3" -gt 1 ]; then REPLY=$1@$2; else REPLY=$1; fi
}
