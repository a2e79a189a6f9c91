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

# Long values: the splitter works on windows of WORDS_WINDOW bytes, so a
# quote, a backslash or a word may straddle two of them.  Random values
# (fixed seed) against Python's shlex, whose POSIX mode follows the same
# rules (but for \$ and \` in double quotes, which it keeps whole: the
# values have none), with a window of 7 bytes and with the real one.
# cases: "VALUE<NUL>EXPECTED<NUL>" records; EXPECTED is [w1][w2]... or ERROR.
python3 - >"$T_TMP/cases" <<'PY'
import random, shlex, sys
r = random.Random(13)
def token():
    k = r.randrange(6)
    if k == 0: return "".join(r.choice("ab-=,.é/*$") for _ in range(r.randrange(1, 12)))
    if k == 1: return "'" + "".join(r.choice("a b\\\"é$") for _ in range(r.randrange(0, 12))) + "'"
    if k == 2: return '"' + "".join(r.choice(["a", " ", "\\\"", "\\\\", "\\n", "$", "'", "é"]) for _ in range(r.randrange(0, 10))) + '"'
    if k == 3: return "\\" + r.choice("a \"'\\$")
    if k == 4: return r.choice([" ", "  ", "\t", " \t "])
    return ""
out = sys.stdout.buffer
for n in range(60):
    v = "".join(token() for _ in range(r.randrange(20, 400)))
    if n % 10 == 9: v += r.choice(["'open", '"open', "\\"])
    try:
        want = "".join("[%s]" % w for w in shlex.split(v))
    except ValueError:
        want = "ERROR"
    out.write(v.encode() + b"\0" + want.encode() + b"\0")
PY
for win in 7 "$WORDS_WINDOW"; do
	WORDS_WINDOW=$win bad=0 n=0
	while IFS= read -r -d '' value && IFS= read -r -d '' want; do
		n=$((n + 1))
		got=$(split "$value")
		[[ $got == ERROR:* ]] && got=ERROR
		[ "$got" = "$want" ] || { bad=$((bad + 1)); [ "$bad" -gt 2 ] || printf '#   %q: expected %q, got %q\n' "$value" "$want" "$got" | cut -c1-600; }
	done <"$T_TMP/cases"
	t_eq "window of $win bytes: $n random values split as shlex does" 0 "$bad"
done
t_done
