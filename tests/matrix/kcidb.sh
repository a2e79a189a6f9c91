#!/bin/bash
# The matrix as KCIDB report data (scripts/matrix/render_kcidb.py) and its
# check against the KCIDB I/O schema's rules (scripts/matrix/kcidb_check.py):
# a stored matrix renders to a valid report with one test per kernel-suite
# entry and per cell; every word guestview can say has a KCIDB status; and
# the checker refuses each kind of invalid report it is there to catch.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f tables/outcomes.json ] || t_skip "tables/outcomes.json not built (make)"
tmp=$(t_tmpdir)
R=(python3 scripts/matrix/report.py)
D=tests/matrix/data

t_status "kcidb: renders a stored matrix" 0 "${R[@]}" kcidb $D/tonight.json
cp "$T_OUT" "$tmp/k.json"
t_status "kcidb-check: the report is valid" 0 "${R[@]}" kcidb-check "$tmp/k.json"
t_grep "kcidb-check: says so" "valid KCIDB 5.3 report data" "$T_OUT"

python3 - "$D/tonight.json" "$tmp/k.json" >"$tmp/facts" <<'PY'
import json, sys
m, r = (json.load(open(p)) for p in sys.argv[1:3])
suite = sum(len(k["tests"]) for k in m["kernels"])
print("counts", len(r["checkouts"]), len(r["builds"]), len(r["tests"]),
      len(m["kernels"]), len(m["kernels"]) + suite + len(m["cells"]))
by = {t["path"] + "@" + t["misc"]["kernel"]: t for t in r["tests"]}
for c in m["cells"]:
    lab = {k["id"]: k["label"] for k in m["kernels"]}
    t = by["guestview.migration.%s@%s" % (lab[c["from"]].replace(".", "_"), lab[c["to"]])]
    print("cell", c["status"], t["status"], t["misc"]["guestview_result"], t["misc"]["from"] == lab[c["from"]])
PY
read -r _ nco nbu nte nk want <<<"$(grep '^counts' "$tmp/facts")"
t_eq "one checkout and one build per kernel" "$nk $nk" "$nco $nbu"
t_eq "a test per kernel boot, per suite entry, per cell" "$want" "$nte"
t_check "a refused cell is a FAIL that keeps its word" grep -qx 'cell refused FAIL refused True' "$tmp/facts"
t_check "an identical cell is a PASS on the destination's build" grep -qx 'cell identical PASS identical True' "$tmp/facts"
t_check "a changed cell is a FAIL" grep -qx 'cell changed FAIL changed True' "$tmp/facts"

# Every word guestview can say has a KCIDB status: the result words of
# tables/outcomes.def (as outcomes.json has them), the cell words of
# matrixfile.RANK; a new one there fails here until it is mapped.
t_status "every outcome and cell word maps to a KCIDB status" 0 python3 - <<'PY'
import json, sys
sys.path.insert(0, "scripts/matrix")
import matrixfile, render_kcidb, kcidb_check
words = {o["result"] for o in json.load(open("tables/outcomes.json"))["outcomes"]} | {"DID NOT END"}
bad = [w for w in words if render_kcidb.RESULT_STATUS.get(w) not in kcidb_check.STATUS]
bad += [w for w in matrixfile.RANK if render_kcidb.CELL_STATUS.get(w) not in kcidb_check.STATUS]
print("unmapped:", bad)
sys.exit(1 if bad else 0)
PY

# One kernel on two host CPUs: the same build, tests apart.
python3 - "$D/tonight.json" "$tmp/twocpu.json" <<'PY'
import copy, json, sys
m = json.load(open(sys.argv[1]))
k = copy.deepcopy(m["kernels"][0])
m["kernels"][0]["label"] += "@max"
k["id"], k["label"] = "k9", k["label"] + "@neoverse-n1"
m["kernels"].append(k)
m["cells"] = [c for c in m["cells"] if c["from"] != "k9"]
json.dump(m, open(sys.argv[2], "w"))
PY
t_status "two host CPUs: renders" 0 "${R[@]}" kcidb "$tmp/twocpu.json"
cp "$T_OUT" "$tmp/k2.json"
t_status "two host CPUs: valid (no id given twice)" 0 "${R[@]}" kcidb-check "$tmp/k2.json"
t_eq "two host CPUs: one build for the one kernel" 3 \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["builds"]))' "$tmp/k2.json")"

# The checker refuses what the schema does not allow, naming where.
bad() {   # bad NAME PYTHON-EXPR-ON-r EXPECTED-MESSAGE
	python3 - "$tmp/k.json" "$tmp/bad.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(r, open(sys.argv[2], "w"))
PY
	t_status "kcidb-check refuses: $1" 1 "${R[@]}" kcidb-check "$tmp/bad.json"
	t_grep "kcidb-check refuses: $1: named" "$3" "$T_OUT"
}
bad "a test without origin" 'del r["tests"][0]["origin"]' 'tests\[0\]: origin missing \(required\)'
bad "a build without checkout_id" 'del r["builds"][1]["checkout_id"]' 'builds\[1\]: checkout_id missing'
bad "a null" 'r["tests"][2]["comment"] = None' 'tests\[2\].comment: null'
bad "a status outside the six" 'r["tests"][0]["status"] = "XFAIL"' "tests\[0\].status: 'XFAIL' is none of"
bad "a property the schema lacks" 'r["tests"][0]["result"] = "PASS"' 'tests\[0\].result: not a property'
bad "a number as a string" 'r["tests"][0]["duration"] = "3"' 'tests\[0\].duration: number expected'
bad "an id of another origin" 'r["checkouts"][0]["id"] = "other:x"' "checkouts\[0\].id: 'other:x' is not prefixed"
bad "an origin with capitals" 'r["tests"][0]["origin"] = "GuestView"' "is not an origin"
bad "a test of a build not in the report" 'r["tests"][0]["build_id"] = "guestview:none"' "is in no builds"
bad "schema major 4" 'r["version"]["major"] = 4' 'version: {"major": 5'
bad "a minor newer than the schema" 'r["version"]["minor"] = 9' 'version: {"major": 5'
bad "an id given twice" 'r["tests"][1]["id"] = r["tests"][0]["id"]' "given twice"
bad "a path with a space" 'r["tests"][0]["path"] = "guestview.a b"' "is not a dot-separated path"
bad "a start time that is no date-time" 'r["tests"][0]["start_time"] = "tonight"' "is not a date-time"
bad "an environment property the schema lacks" 'r["tests"][0]["environment"]["cpu"] = "max"' 'environment.cpu: not a property'
bad "an excerpt over 16384" 'r["tests"][0]["log_excerpt"] = "x" * 16385' 'longer than 16384'
t_status "kcidb-check: a file that is no JSON" 2 "${R[@]}" kcidb-check scripts/matrix/README.md
t_status "kcidb: refuses a file that is no matrix" 2 "${R[@]}" kcidb "$tmp/k.json"
t_done
