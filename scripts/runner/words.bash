# scripts/runner/words.bash: split config text into shell words WITHOUT
# evaluating it.
#
# extra_params comes from unittests.cfg, a file anyone can edit; running it
# through eval (or `declare -a "($s)"`) would execute $(...) and expand $VARS
# on the host.  This splitter follows POSIX quoting only: whitespace separates
# words, '...' is literal, "..." is literal except that \" \\ \$ \` lose their
# backslash, and a backslash outside quotes takes the next character
# literally.  Nothing is expanded.  It is pure bash so that parsing the config
# costs no fork per line.

# shellcheck disable=SC2034 # WORDS and WORDS_ERROR are for the caller

# words_split STRING: sets the array WORDS; on bad quoting returns 1 and sets
# WORDS_ERROR to a message saying what is wrong.
words_split() {
	local s=$1 w='' inword='' chunk
	WORDS=() WORDS_ERROR=''
	while [ -n "$s" ]; do
		case $s in
		[[:space:]]*)
			if [ -n "$inword" ]; then WORDS+=("$w"); w='' inword=''; fi
			s=${s#"${s%%[![:space:]]*}"}
			;;
		\'*)
			s=${s#\'}
			if [[ $s != *\'* ]]; then WORDS_ERROR="unmatched single quote"; return 1; fi
			w+=${s%%\'*} s=${s#*\'} inword=1
			;;
		\"*)
			s=${s#\"} inword=1
			while :; do
				chunk=${s%%[\"\\]*}
				w+=$chunk s=${s#"$chunk"}
				case $s in
				\"*) s=${s#\"}; break ;;
				\\[\"\\\$\`]*) w+=${s:1:1} s=${s:2} ;;
				\\?*) w+=${s:0:2} s=${s:2} ;;
				*)
			WORDS_ERROR="unmatched double quote"
			return 1
			;;
				esac
			done
			;;
		\\*)
			s=${s#\\}
			if [ -z "$s" ]; then WORDS_ERROR="backslash at end of value"; return 1; fi
			w+=${s:0:1} s=${s:1} inword=1
			;;
		*)
			chunk=${s%%[[:space:]\'\"\\]*}
			w+=$chunk s=${s#"$chunk"} inword=1
			;;
		esac
	done
	if [ -n "$inword" ]; then WORDS+=("$w"); fi
	return 0
}
