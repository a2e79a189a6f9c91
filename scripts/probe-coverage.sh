#!/bin/bash
# scripts/probe-coverage.sh [--run] [LOGDIR]: which probes the suite has seen
# on both sides.  A probe that was only ever seen executing proves half of
# what it claims; this reads the fingerprints of every probes-* test in
# LOGDIR (default logs/latest/, the newest run's; --run: run `run_tests.sh -g
# probes` first, into a run directory of its own) and
# prints, per probe, its class and the configurations in which it executed
# and in which it was UNDEFINED, at EL1; then the totals.
#
# Everything comes through host/gvfp's JSON: the probe table from `gvfp
# table --json` (tables/probes.def, as compiled), each fingerprint from
# `gvfp extract` and `gvfp show --json`.  Nothing here parses a console
# log or the .def file.
set -u
cd "$(dirname "$0")/.." || exit 2
run=
[ "${1-}" != --run ] || { run=1; shift; }
logdir=${1:-logs/latest}
gvfp=host/gvfp
[ -x "$gvfp" ] || { echo "probe-coverage: $gvfp not built (run make)" >&2; exit 2; }
if [ -n "$run" ]; then
	# A LOGDIR given is this run's own (new or empty); else logs/latest.
	if [ -n "${1:-}" ]; then
		GUESTVIEW_RUN_LOG_DIR=$logdir ./run_tests.sh -g probes >/dev/null
	else
		./run_tests.sh -g probes >/dev/null
	fi || echo "probe-coverage: some probes tests failed; counting what ran" >&2
fi
shopt -s nullglob
logs=("$logdir"/probes-*.log)
[ ${#logs[@]} -gt 0 ] || { echo "probe-coverage: no $logdir/probes-*.log: run with --run" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/probe-coverage.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
"$gvfp" table --json >"$tmp/table.json" || exit 2
for log in "${logs[@]}"; do
	cfg=${log##*/probes-} cfg=${cfg%.log}
	if "$gvfp" extract "$log" -o "$tmp/$cfg.fp" 2>"$tmp/err" &&
		"$gvfp" show --json "$tmp/$cfg.fp" >"$tmp/$cfg.json"; then
		continue
	fi
	echo "probe-coverage: $log: no fingerprint ($(tail -n 1 "$tmp/err")); left out" >&2
	rm -f "$tmp/$cfg.json"
done
python3 - "$tmp" "${logs[@]}" <<'PY'
import json, os, sys

tmp, logs = sys.argv[1], sys.argv[2:]
probes = json.load(open(os.path.join(tmp, "table.json")))["probes"]
seen = {p["name"]: {"exec": [], "undef": []} for p in probes}
ncfg = 0
for log in logs:
    cfg = os.path.basename(log)[len("probes-"):-len(".log")]
    path = os.path.join(tmp, cfg + ".json")
    if not os.path.exists(path):
        continue
    ncfg += 1
    for e in json.load(open(path))["entries"]:
        key = e["key"]
        # EL1's plain run is probe.NAME; probe.el0.NAME and .own_enable_clear are other runs.
        if not key.startswith("probe.") or key.count(".") != 1:
            continue
        name = key[len("probe."):]
        if name in seen and e["value"] in ("exec", "undef"):
            seen[name][e["value"]].append(cfg)

print("%-22s %-5s %-5s %-5s %s" % ("probe", "class", "exec", "undef",
      "first configuration seen executing / UNDEFINED"))
total, both, only_e, only_u = {}, {}, {}, {}
for p in probes:
    name, cls, s = p["name"], p["class"], seen[p["name"]]
    e, u = bool(s["exec"]), bool(s["undef"])
    print("%-22s %-5s %-5s %-5s %s / %s" % (name, cls, "yes" if e else "-", "yes" if u else "-",
          s["exec"][0] if e else "-", s["undef"][0] if u else "-"))
    total[cls] = total.get(cls, 0) + 1
    bucket = both if e and u else only_e if e else only_u if u else None
    if bucket is not None:
        bucket[cls] = bucket.get(cls, 0) + 1
print("\n%d configurations; %d probes, %d seen on both sides" % (ncfg, len(probes), sum(both.values())))
for c in ("U", "K", "N"):
    print("class %s: %3d probes, %3d both sides, %3d only executing, %3d only UNDEFINED" %
          (c, total.get(c, 0), both.get(c, 0), only_e.get(c, 0), only_u.get(c, 0)))
PY
