#!/bin/bash
# scripts/probe-coverage.sh [--run]: which probes the suite has seen on
# both sides.  A probe that was only ever seen executing proves half of
# what it claims; this reads the fingerprints of every probes-* test in
# logs/latest/, the last run (--run: run `run_tests.sh -g probes` first) and prints, per probe,
# its class (from tables/probes.def) and the configurations in which it
# executed and in which it was UNDEFINED, at EL1; then the totals.
set -u
cd "$(dirname "$0")/.." || exit 2
if [ "${1-}" = --run ]; then
	./run_tests.sh -g probes >/dev/null || echo "probe-coverage: some probes tests failed; counting what ran" >&2
fi
shopt -s nullglob
logs=(logs/latest/probes-*.log)
[ ${#logs[@]} -gt 0 ] || { echo "probe-coverage: no logs/latest/probes-*.log: run with --run" >&2; exit 2; }

awk '
FNR == 1 && FILENAME ~ /probes\.def$/ { table = 1 }
FNR == 1 && FILENAME !~ /probes\.def$/ {
	table = 0; cfg = FILENAME; sub(/^logs\/latest\/probes-/, "", cfg); sub(/\.log$/, "", cfg); ncfg++
}
table && /^PROBE\(/ {
	line = $0; sub(/^PROBE\(/, "", line); split(line, f, ",")
	name = f[1]; order[++n] = name
	if (match(line, /CLASS_[UKN]/)) cls[name] = substr(line, RSTART + 6, 1)
	next
}
!table && /^probe\.[a-z0-9_]+ / {
	name = $1; sub(/^probe\./, "", name)
	if ($2 == "exec") { if (!(name SUBSEP cfg in ex)) { ex[name, cfg]; exec_in[name] = exec_in[name] " " cfg } }
	else if ($2 == "undef") { if (!(name SUBSEP cfg in un)) { un[name, cfg]; undef_in[name] = undef_in[name] " " cfg } }
}
END {
	printf "%-22s %-5s %-5s %-5s %s\n", "probe", "class", "exec", "undef", "first configuration seen executing / UNDEFINED"
	for (i = 1; i <= n; i++) {
		p = order[i]; e = (p in exec_in); u = (p in undef_in)
		split(exec_in[p], a, " "); split(undef_in[p], b, " ")
		printf "%-22s %-5s %-5s %-5s %s / %s\n", p, cls[p], e ? "yes" : "-", u ? "yes" : "-", e ? a[1] : "-", u ? b[1] : "-"
		total[cls[p]]++; if (e && u) both[cls[p]]++; else if (e) only_e[cls[p]]++; else if (u) only_u[cls[p]]++
		all++; if (e && u) allboth++
	}
	printf "\n%d configurations; %d probes, %d seen on both sides\n", ncfg, all, allboth
	split("U K N", cl, " ")
	for (j = 1; j <= 3; j++) {
		c = cl[j]
		printf "class %s: %3d probes, %3d both sides, %3d only executing, %3d only UNDEFINED\n", c, total[c], both[c], only_e[c], only_u[c]
	}
}' tables/probes.def "${logs[@]}"
