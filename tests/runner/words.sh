#!/bin/bash
# tests/runner/words.sh: the extra_params splitter (scripts/runner/words.bash)
# honours shell quoting, expands nothing, and refuses unbalanced quotes.
# shellcheck disable=SC2016 # the $... and `...` in single quotes are the point: nothing may expand
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/scripts/runner/words.bash"

# split STRING: the words as [w1][w2]..., or "ERROR: why".
split() {
	if ! words_split "$1"; then
		printf 'ERROR: %s' "$WORDS_ERROR"
	elif [ ${#WORDS[@]} -gt 0 ]; then
		printf '[%s]' "${WORDS[@]}"
	fi
}

t_eq "plain words" "[-m][256]" "$(split '-m 256')"
t_eq "runs of blanks and tabs" "[a][b]" "$(split $'  a \t b  ')"
t_eq "empty value: no words" "" "$(split '')"
t_eq "single quotes keep blanks" "[-append][a b  c]" "$(split "-append 'a b  c'")"
t_eq "double quotes keep blanks" "[-name][x y]" "$(split '-name "x y"')"
t_eq "quotes join with neighbours" "[abcd ef]" "$(split "a'bc'\"d ef\"")"
t_eq "empty quotes are a word" "[a][][b]" "$(split "a '' b")"
t_eq "backslash outside quotes" "[a b][c]" "$(split 'a\ b c')"
t_eq "backslash in double quotes: only before \" \\ \$ \`" '[say "hi" \n $x]' "$(split '"say \"hi\" \n \$x"')"
t_eq "backslash in single quotes is literal" '[a\b]' "$(split "'a\\b'")"
t_eq "nothing is expanded" '[$(touch][/tmp/x)][${HOME}][`id`][*]' "$(split '$(touch /tmp/x) ${HOME} `id` *')"
t_eq "unmatched single quote" "ERROR: unmatched single quote" "$(split "-append 'x")"
t_eq "unmatched double quote" "ERROR: unmatched double quote" "$(split '-append "x')"
t_eq "escaped quote does not close" "ERROR: unmatched double quote" "$(split '"x\"')"
# shellcheck disable=SC1003 # a trailing backslash is the input
t_eq "backslash at the end" "ERROR: backslash at end of value" "$(split 'a\')"
t_done
