# scripts/runner/shellquote.bash: render a command line so that it can be
# pasted back into a shell, for the first line of every logs/<test>.log
# (run_tests.sh) and the QEMU or gvmigrate command line arm/run prints
# first (a maintainer reproduces a failure by copying that line).  Builtins
# only, no subshell: arm/run runs once per test, and a fork costs more than
# QEMU's start.

# shell_quote WORD...: REPLY = the words, quoted only where needed.  The
# leading NAME=VALUE words are the command's environment: there only the
# VALUE is quoted, since 'NAME=a b' would be a command name to the shell
# and NAME='a b' is an assignment.
shell_quote() {
	local w out='' name assigning=1
	for w in "$@"; do
		name=''
		if [ -n "$assigning" ] && [[ $w =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
			name=${BASH_REMATCH[0]} w=${w#"$name"}
		else
			assigning=''
		fi
		case $w in
		*[!A-Za-z0-9_./=:,+@%^-]*) w="'${w//\'/\'\\\'\'}'" ;;
		'') [ -n "$name" ] || w="''" ;;
		esac
		out+=${out:+ }$name$w
	done
	REPLY=$out
}
