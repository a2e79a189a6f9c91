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
#
# Linear time, also for a line of a megabyte: each bash expansion of a
# string (${s:n}, ${s#x}, even ${s:0:10}) costs the whole string, so the
# splitter works on a window of at most WORDS_WINDOW bytes at a time (the
# input cut into such pieces once, by read -N), and a word is collected as
# a list of pieces joined once (`w+=piece` copies w each time).  Bytes, not
# characters (LC_ALL=C): white space is ASCII's, as for the shell's IFS.

# shellcheck disable=SC2034 # WORDS and WORDS_ERROR are for the caller

WORDS_WINDOW=256

# words_split STRING: sets the array WORDS; on bad quoting returns 1 and sets
# WORDS_ERROR to a message saying what is wrong.
words_split() {
	local LC_ALL=C s='' inword='' quote='' w piece next=0
	local -a parts=() pieces=()
	WORDS=() WORDS_ERROR=''
	# Nothing quoted or escaped, and only the white space the shell splits
	# on: the shell's own splitting does it all (globbing off).
	if [[ $1 != *[\'\"\\$'\r\v\f']* ]]; then
		local - IFS=$' \t\n'
		set -f
		# shellcheck disable=SC2206 # split, never globbed (set -f)
		WORDS=($1)
		return 0
	fi
	if [ ${#1} -le "$WORDS_WINDOW" ]; then
		pieces=("$1")
	else
		while IFS= read -r -d '' -N "$WORDS_WINDOW" piece || [ -n "$piece" ]; do
			pieces+=("$piece")
		done <<<"$1"
		# The here-string's newline (a config value holds none).
		pieces[-1]=${pieces[-1]%$'\n'}
	fi
	while :; do
		# Two bytes at least: a backslash and what it escapes.
		if [ ${#s} -lt 2 ] && [ "$next" -lt ${#pieces[@]} ]; then
			s+=${pieces[next]} next=$((next + 1))
		fi
		[ -n "$s" ] || break
		case $quote in
		\')
			[[ $s =~ ^[^\']* ]]
			parts+=("${BASH_REMATCH[0]}") s=${s:${#BASH_REMATCH[0]}}
			# No closing quote in this window: the next one goes on.
			[ -z "$s" ] || s=${s:1} quote=''
			continue
			;;
		\")
			[[ $s =~ ^[^\"\\]* ]]
			parts+=("${BASH_REMATCH[0]}") s=${s:${#BASH_REMATCH[0]}}
			case $s in
			\"*) s=${s:1} quote='' ;;
			\\[\"\\\$\`]*) parts+=("${s:1:1}") s=${s:2} ;;
			\\?*) parts+=("${s:0:2}") s=${s:2} ;;
			# Last of the window: the loop's top adds the next piece, if any.
			\\) [ "$next" -lt ${#pieces[@]} ] || s='' ;;
			esac
			continue
			;;
		esac
		case $s in
		[[:space:]]*)
			if [ -n "$inword" ]; then
				printf -v w '%s' "${parts[@]}"
				WORDS+=("$w") parts=() inword=''
			fi
			[[ $s =~ ^[[:space:]]+ ]]
			s=${s:${#BASH_REMATCH[0]}}
			;;
		\'* | \"*) quote=${s:0:1} s=${s:1} inword=1 ;;
		\\*)
			if [ ${#s} -lt 2 ]; then WORDS_ERROR="backslash at end of value"; return 1; fi
			parts+=("${s:1:1}") s=${s:2} inword=1
			;;
		*)
			[[ $s =~ ^[^[:space:]\'\"\\]+ ]]
			parts+=("${BASH_REMATCH[0]}") s=${s:${#BASH_REMATCH[0]}} inword=1
			;;
		esac
	done
	case $quote in
	\') WORDS_ERROR="unmatched single quote"; return 1 ;;
	\") WORDS_ERROR="unmatched double quote"; return 1 ;;
	esac
	if [ -n "$inword" ]; then
		printf -v w '%s' "${parts[@]}"
		WORDS+=("$w")
	fi
	return 0
}
