#!/bin/bash
# The matrix in phases (scripts/matrix/lib/phases.bash), without a host:
# the plan, the options a phase refuses, the join (merge.py) of phase
# directories made here, the comparison of two matrices (report.py same),
# and the GitLab pipeline (.gitlab-ci.yml is what gitlab-ci.py writes, its
# jobs are the plan's phases, each the make command a user runs).  The
# real phases against a whole run: sharded.sh.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
command -v python3 >/dev/null || t_skip "needs python3"
tmp=$(t_tmpdir)
M=scripts/matrix/run-matrix.sh

# --- the plan ---------------------------------------------------------------------
t_status "--plan: exits 0" 0 $M --plan 6.1 6.12 7.3
t_eq "--plan: each kernel, each pair once, then the merge" \
	"kernel:1 kernel:2 kernel:3 pair:1:2 pair:1:3 pair:2:3 merge" "$(tr '\n' ' ' <"$T_OUT" | sed 's/ $//')"
t_status "--plan with two host CPUs: a host per kernel and CPU" 0 $M --plan --host-cpu max,neoverse-n1 6.1 6.12
t_eq "--plan with two host CPUs: 4 kernel phases, 6 pairs, the merge" "11 4 6" \
	"$(wc -l <"$T_OUT" | tr -d ' ') $(grep -c '^kernel:' "$T_OUT") $(grep -c '^pair:' "$T_OUT")"

# --- what a phase refuses (usage errors, exit 2, naming the option) -----------------
t_status "--phase pair:2:1: refused" 2 $M --phase pair:2:1 --artifacts "$tmp/a" 6.1 6.12
t_grep "... a pair is N < M" 'phase pair:2:1: a pair is N:M with N < M' "$T_OUT"
t_status "--phase kernel:3 of 2 hosts: refused" 2 $M --phase kernel:3 --artifacts "$tmp/a" 6.1 6.12
t_grep "... naming the hosts the run has" 'phase kernel:3: the run has 2 host' "$T_OUT"
t_status "--phase without --artifacts: refused" 2 $M --phase kernel:1 6.1 6.12
t_grep "... naming the option it needs" 'phase kernel:1 needs --artifacts DIR' "$T_OUT"
t_status "--phase kernel:1 with --out: refused" 2 $M --phase kernel:1 --artifacts "$tmp/a" --out "$tmp/o" 6.1 6.12
t_grep "... a phase writes into its artifacts" 'writes into --artifacts' "$T_OUT"
t_status "--phase bogus: refused" 2 $M --phase kernel 6.1 6.12
t_grep "... with the phases there are" "expected kernel:N, pair:N:M" "$T_OUT"
t_status "--phase merge of a directory that is not there: refused" 2 $M --phase merge --artifacts "$tmp/none" 6.1
[ ! -e "$tmp/a" ] && [ ! -e "$tmp/o" ] && t_ok "a refused phase made no directory" ||
	t_fail "a refused phase made a directory"

# --- the join: merge.py over phase directories made here ------------------------------
# mkphase DIR PHASE [KEY=VALUE...]: a finished phase's run.env and its hosts.
mkphase() {
	local d=$1 p=$2 k
	shift 2
	mkdir -p "$d"
	printf '%s\n' started=2026-12-05T00:00:00Z kernels=2 "specs=6.1 6.12" mode=live suite=0 fault_cells= \
		host_cpu=max host_mem=1024 host_smp=1 outer_qemu=Q inner_qemu=I inner_suite= suites=trixie \
		boot_timeout=120 command_timeout=600 test_timeout=90 "phase=$p" "$@" >"$d/run.env"
}
mkhost() { # mkhost DIR kN STATUS LINE: a host's directory with a console line
	mkdir -p "$1/kernels/$2"
	printf 'status=%s\nreason=%s\nboot_ms=100\n' "$3" "${5:-}" >"$1/kernels/$2/host.env"
	printf '%s\n' "$4" >"$1/kernels/$2/console.log"
	printf 'cmd %s\t0\t1\t1\n' "$4" >"$1/kernels/$2/commands.tsv"
}
A=$tmp/art
mkphase "$A/kernel-1" kernel:1 t_hosts_ms=30000; mkhost "$A/kernel-1" k1 ok "k1 alone"
mkphase "$A/kernel-2" kernel:2 t_hosts_ms=20000; mkhost "$A/kernel-2" k2 ok "k2 alone"
mkphase "$A/pair-1-2" pair:1:2 t_hosts_ms=15000
mkhost "$A/pair-1-2" k1 ok "k1 with k2"; mkhost "$A/pair-1-2" k2 ok "k2 with k1"
mkdir -p "$A/pair-1-2/kernels/k1/pairs" && echo '{}' >"$A/pair-1-2/kernels/k1/pairs/k2.try.json"
printf 'k1\tk2\twhy\n' >"$A/pair-1-2/notrun.tsv"
# MG OUT N: merge.py as run-matrix.sh --phase merge runs it for N hosts.
MG() {
	local i j args=()
	for ((i = 1; i <= $2; i++)); do args+=("kernel:$i=$A/kernel-$i"); done
	for ((i = 1; i <= $2; i++)); do
		for ((j = i + 1; j <= $2; j++)); do args+=("pair:$i:$j=$A/pair-$i-$j"); done
	done
	python3 scripts/matrix/merge.py "$1" "${args[@]}"
}
t_status "merge: the phases of a run join" 0 MG "$tmp/m" 2
t_eq "merge: a host's console is its kernel phase's, then its pairs'" "k1 alone|k1 with k2" \
	"$(paste -sd'|' "$tmp/m/kernels/k1/console.log")"
t_eq "merge: and its command log" 2 "$(wc -l <"$tmp/m/kernels/k1/commands.tsv" | tr -d ' ')"
t_check "merge: a pair's gvkvm try is its kernel's" test -f "$tmp/m/kernels/k1/pairs/k2.try.json"
t_eq "merge: the pairs' cells that could not run" "$(printf 'k1\tk2\twhy')" "$(cat "$tmp/m/notrun.tsv")"
t_grep "merge: run.env says it is a merge of the phases, with their times" \
	'^phases=kernel:1=30000,kernel:2=20000,pair:1:2=15000$' "$tmp/m/run.env"
t_grep "merge: its time is the longest path (slowest kernel phase + slowest pair)" '^t_hosts_ms=45000$' "$tmp/m/run.env"
t_grep "merge: phase=merge" '^phase=merge$' "$tmp/m/run.env"
# A host that went down in a pair phase is down in the run.
mkhost "$A/pair-1-2" k2 timeout "k2 with k1" "timeout after 600 s in 'live-in k1'"
t_status "merge: with a host down in a pair" 0 MG "$tmp/m" 2
t_grep "merge: ... the host is down in the run" '^status=timeout$' "$tmp/m/kernels/k2/host.env"
t_grep "merge: ... the reason names the phase" "^reason=in phase pair:1:2: timeout after 600 s in 'live-in k1'$" \
	"$tmp/m/kernels/k2/host.env"
# Refusals, each naming the phase.
mv "$A/pair-1-2" "$A/p"
t_status "merge: a phase missing: refused" 1 MG "$tmp/m" 2
t_grep "... naming it" '^merge.py: phase pair:1:2: no .*/pair-1-2/run.env' "$T_OUT"
mv "$A/p" "$A/pair-1-2"
sed -i '/^t_hosts_ms=/d' "$A/kernel-2/run.env"
t_status "merge: a phase that did not finish: refused" 1 MG "$tmp/m" 2
t_grep "... naming it" '^merge.py: phase kernel:2 did not finish' "$T_OUT"
echo t_hosts_ms=20000 >>"$A/kernel-2/run.env"
sed -i 's/^mode=live$/mode=saved/' "$A/pair-1-2/run.env"
t_status "merge: a phase of another run (--mode saved): refused" 1 MG "$tmp/m" 2
t_grep "... naming the phase and the setting" "^merge.py: phase pair:1:2 ran with mode='saved', phase kernel:1 with 'live'" "$T_OUT"
sed -i 's/^mode=saved$/mode=live/' "$A/pair-1-2/run.env"
sed -i 's/^phase=kernel:2$/phase=kernel:1/' "$A/kernel-2/run.env"
t_status "merge: a directory holding another phase: refused" 1 MG "$tmp/m" 2
t_grep "... naming both" 'kernel-2/run.env: says phase=kernel:1, not kernel:2' "$T_OUT"
sed -i 's/^phase=kernel:1$/phase=kernel:2/' "$A/kernel-2/run.env"
t_status "merge: as many hosts as the phases had" 1 MG "$tmp/m" 3
t_grep "... or refused" 'ran 2 host\(s\), this merge has 3' "$T_OUT"

# --- report.py same: what two matrices say, times, paths and ports aside -----------------
S=(python3 scripts/matrix/report.py same)
D=tests/matrix/data
t_status "same: a matrix is the same as itself" 0 "${S[@]}" $D/tonight.json $D/tonight.json
# Another run of the same: other times, another directory, another port,
# the commands in another order, a poweroff more.
python3 - "$D/tonight.json" "$tmp/moved.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
s = json.dumps(m)
base = s.split("/kernels/k1/")[0].rsplit('"', 1)[1]
m = json.loads(s.replace(base + "/", "/elsewhere/o/"))
m["started"] = "2027-01-01T00:00:00Z"
m["timings"]["total_ms"] += 1234
m["phases"] = [{"phase": "kernel:1", "ms": 1}]
k = m["kernels"][0]
k["boot_s"] = 99.9
k["commands"] = list(reversed(k["commands"])) + [{"command": "poweroff", "rc": 0, "inner_ms": 1, "ms": 1}]
for c in m["cells"]:
    c["ms"] = 1
    c["harness"] = ["destination: /tmp/gvmigrate.AbCdEf/diag-destination.stream", "CNTPCT_EL0 0x1234"]
json.dump(m, open(sys.argv[2], "w"))
for c in m["cells"]:
    c.setdefault("harness", []).append("from 10.0.2.1:40000")
json.dump(m, open(sys.argv[2] + ".port1", "w"))
m = json.loads(json.dumps(m).replace("10.0.2.1:40000", "10.0.2.1:51234"))
json.dump(m, open(sys.argv[2] + ".port2", "w"))
EOF
t_status "same: other times, directory, command order and harness words: the same" 0 "${S[@]}" $D/tonight.json "$tmp/moved.json"
t_status "same: another ephemeral port: the same" 0 "${S[@]}" "$tmp/moved.json.port1" "$tmp/moved.json.port2"
python3 - "$D/tonight.json" "$tmp/worse.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["cells"][1]["status"] = "identical" if m["cells"][1]["status"] != "identical" else "refused"
m["kernels"][1]["commands"][0]["rc"] = 7
json.dump(m, open(sys.argv[2], "w"))
EOF
t_status "same: a cell's verdict and a command's status differ: not the same" 1 "${S[@]}" $D/tonight.json "$tmp/worse.json"
t_grep "... naming the cell" '^\.cells\[1\]\.status: ' "$T_OUT"
t_grep "... and the command" '^\.kernels\[1\]\.commands' "$T_OUT"

# --- the GitLab pipeline -----------------------------------------------------------
kernels=$(sed -n 's/^KERNELS ?= //p' Makefile)
t_status "gitlab-ci.py writes the pipeline for the Makefile's kernels ($kernels)" 0 \
	python3 scripts/matrix/gitlab-ci.py -o "$tmp/gl.yml" $kernels
t_check "the shipped .gitlab-ci.yml is what it writes (make gitlab-ci)" cmp .gitlab-ci.yml "$tmp/gl.yml"
if python3 -c 'import yaml' 2>/dev/null; then
	q() { python3 -c 'import yaml, sys; p = yaml.safe_load(open(sys.argv[1])); print(eval(sys.argv[2]))' .gitlab-ci.yml "$1"; }
	t_eq "the pipeline's jobs are the plan's phases, in order" "$($M --plan $kernels | tr '\n' ' ' | sed 's/ $//')" \
		"$(q '" ".join(p["kernel"]["parallel"]["matrix"][0]["PHASE"] + p["pair"]["parallel"]["matrix"][0]["PHASE"] + ["merge"])')"
	t_eq "its stages: kernels, then pairs, then the merge" "kernel pair merge" \
		"$(q '" ".join(p["stages"][p["stages"].index(p[j]["stage"])] for j in ("kernel", "pair", "merge"))')"
	t_eq "every job runs make matrix-phase" "True True" \
		"$(q '" ".join(str(s.startswith("make matrix-phase PHASE=")) for s in p[".phase"]["script"] + p["merge"]["script"])')"
	t_eq "a phase's status 1 (a kernel failed: a result) lets the merge run; the merge's does not" "[1] False" \
		"$(q 'str(p[".phase"]["allow_failure"]["exit_codes"]) + " " + str(p["merge"]["allow_failure"])')"
else
	t_ok "(python3-yaml not installed: the pipeline's structure is not parsed here)"
fi
t_grep "make matrix-phase runs the phase as a user would" \
	"run-matrix.sh +--phase kernel:2 --artifacts logs/matrix-phases $kernels\$" <(make -n matrix-phase PHASE=kernel:2)
t_done
