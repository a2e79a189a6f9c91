# tests/host/gvfp.bash: what the tests of host/gvfp share (sourced after
# tests/lib.sh; not a test itself: run.sh runs *.sh only).
#
#   $GVFP            the binary under test: $GVFP if set, else host/gvfp-asan
#                    (AddressSanitizer + UBSan: a memory error or leak makes
#                    the exit status non-zero), else host/gvfp; skips the
#                    test when none is built
#   $DATA, $CORPUS   tests/host/data/, tests/host/corpus/
#   gv ARGS...       runs $GVFP ARGS (for t_status)
#   fp FILE LINE...  writes a fingerprint: the header line, then LINE...
#   pick KIND [REG.FIELD]  prints "REG FIELD LSB WIDTH" of a field of that
#                    kind (feat, sfeat, feat-impdef, lower, exact, info) in a VM-wide
#                    register, REG.FIELD when it has that kind; so that the
#                    tests follow tables/idregs.def when kinds change
#   regval LSB VALUE prints 0x%016x of VALUE << LSB
#   out_is DESC EXPECTED  t_eq on the whole of $T_OUT

cd "$T_ROOT" || exit 2
DATA=$T_ROOT/tests/host/data
CORPUS=$T_ROOT/tests/host/corpus

if [ -z "${GVFP:-}" ]; then
	for GVFP in "$T_ROOT/host/gvfp-asan" "$T_ROOT/host/gvfp" ""; do
		[ -x "$GVFP" ] && break
	done
fi
[ -n "$GVFP" ] || t_skip "host/gvfp not built (make host/gvfp host/gvfp-asan)"
command -v python3 >/dev/null 2>&1 || t_skip "python3 not installed: the JSON checks need it"
# A leak is a failure; tell it apart from gvfp's own statuses 0-2.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=98}

gv() { "$GVFP" "$@"; }

fp() {
	local f=$1; shift
	{ echo "guestview-fingerprint 1"; printf '%s\n' "$@"; } >"$f"
}

pick() {
	"$GVFP" table --json | python3 -c '
import json, sys
kind, prefer = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
t = json.load(sys.stdin)
cands = [(r["name"], f) for r in t["registers"] if r["scope"] == "vm"
         for f in r["fields"] if f["kind"] == kind and f["layout"] == "any" and f["width"] <= 16]
best = [c for c in cands if c[0] + "." + c[1]["name"] == prefer] or \
       [c for c in cands if c[1]["width"] >= 4] or cands
if not best:
    sys.exit("no field of kind " + kind)
r, f = best[0]
print(r, f["name"], f["lsb"], f["width"])
' "$@"
}

regval() { printf '0x%016x' $(($2 << $1)); }

out_is() {
	t_eq "$1" "$2" "$(cat "$T_OUT")"
}
