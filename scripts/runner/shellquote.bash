# scripts/runner/shellquote.bash: render a command line so that it can be
# pasted back into a shell, for the first line of every logs/<test>.log
# (a maintainer reproduces a failure by copying that line).

# shell_quote WORD...: REPLY = the words, quoted only where needed.
shell_quote() {
	local w out=''
	for w in "$@"; do
		case $w in
		'' | *[!A-Za-z0-9_./=:,+@%^-]*) w="'${w//\'/\'\\\'\'}'" ;;
		esac
		out+=${out:+ }$w
	done
	REPLY=$out
}
