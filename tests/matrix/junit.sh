#!/bin/bash
# The matrix's own JUnit text (scripts/matrix/render_junit.py: boot errors,
# cells) is escaped exactly as the runner's (scripts/runner/junit.bash's
# xml_escape): the same strings, the same answers, and every answer parses.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
command -v python3 >/dev/null || t_skip "needs python3"
. scripts/runner/junit.bash
tmp=$(t_tmpdir)

# Inputs as bytes (printf %b): controls, DEL, markup, tab/newline/CR,
# UTF-8, and bytes that are not UTF-8 (then all high bytes become '?').
inputs=(
	'plain' 'a\001b' '\033[31mred\033[0m' 'del\177' 'tab\tnl\ncr\r' '<a href="x">&'"'"'</a>'
	'caf\303\251 \342\200\224 \360\237\230\200' 'bad \377 and caf\303\251' 'half \303'
	'\002\003\004\005\006\007\010\013\014\016\017\020\037 ' 'surrogate \355\240\200' 'overlong \300\257'
)
n=0
for s in "${inputs[@]}"; do
	n=$((n + 1))
	printf '%b' "$s" >"$tmp/in.$n"
	xml_escape "$(printf '%b' "$s")"
	printf '%s' "$REPLY" >"$tmp/bash.$n"
	python3 -B -c '
import sys
sys.path.insert(0, "scripts/matrix")
from render_junit import xml_escape
raw = open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape")
sys.stdout.buffer.write(xml_escape(raw).encode("utf-8"))' "$tmp/in.$n" >"$tmp/py.$n"
	t_check "input $n ($s): the same escaping as junit.bash" cmp -s "$tmp/bash.$n" "$tmp/py.$n"
	{ printf '<a b="'; cat "$tmp/py.$n"; printf '">'; cat "$tmp/py.$n"; printf '</a>'; } >"$tmp/doc.$n"
	t_status "input $n: parses as an attribute and as text (xml.etree)" 0 \
		python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/doc.$n"
done
t_done
