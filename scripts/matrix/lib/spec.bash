# scripts/matrix/lib/spec.bash: kernel specifications of the matrix (sourced).
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
