#!/bin/bash
# quick-check: skip (boots two Debian kernels in emulated hosts three times, minutes)
# The matrix sharded as a CI system runs it (scripts/matrix/lib/phases.bash),
# for real: two emulated hosts (6.1, 6.12, no guest suite), once as a whole
# run and once as its phases -- the two kernel phases at the same time,
# then the pair, then the merge -- each its own run-matrix.sh, sharing only
# an artifacts directory.  The merge must say what the whole run says
# (report.py same: every kernel, cell, pin and gvkvm try; times, paths
# and ports aside), and the pair must have taken the kernel phases'
# results rather than made its own.  About 2 minutes on 2 cores.
# GUESTVIEW_SKIP_MATRIX=1 skips it.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
. tests/matrix/run-matrix.bash
mx_test_setup
kernels=(6.1 6.12)

mx_test_run --no-suite --out "$tmp/whole" "${kernels[@]}"
t_eq "the whole run ends, status 0" 0 "$MX_RC"
[ -s "$tmp/whole/matrix.json" ] || t_done

# phase PHASE: one phase, bounded, its output in $tmp/PHASE.out.
phase() {
	timeout -k 10 600 scripts/matrix/run-matrix.sh --no-suite --phase "$1" --artifacts "$tmp/art" \
		"${kernels[@]}" >"$tmp/${1//:/-}.out" 2>&1
}
t0=$SECONDS
phase kernel:1 & p1=$!
phase kernel:2 & p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
t_eq "the kernel phases, at the same time: each ends, status 0" "0 0" "$r1 $r2"
phase pair:1:2; r=$?
t_eq "the pair phase ends, status 0" 0 "$r"
timeout -k 10 300 scripts/matrix/run-matrix.sh --no-suite --phase merge --artifacts "$tmp/art" --out "$tmp/merged" \
	--kcidb "$tmp/kcidb.json" "${kernels[@]}" >"$tmp/merge.out" 2>&1
t_eq "the merge ends, status 0 (as the whole run)" 0 "$?"
echo "# the phases took $((SECONDS - t0)) s, the whole run $MX_SECS s"
for f in kernel-1 kernel-2 pair-1-2 merge; do sed "s/^/#   $f: /" "$tmp/$f.out" | grep -v '^#   merge:  ' ; done

t_status "the merge says what the whole run says (report.py same)" 0 \
	python3 scripts/matrix/report.py same "$tmp/whole/matrix.json" "$tmp/merged/matrix.json"
sed 's/^/#   /' "$T_OUT" | head -n 20
# A comparison that cannot fail proves nothing: the same merge with one
# cell's verdict turned is not the same.
python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); c = m["cells"][1]
c["status"] = "identical" if c["status"] != "identical" else "changed"
json.dump(m, open(sys.argv[2], "w"))' "$tmp/merged/matrix.json" "$tmp/turned.json"
t_status "... and a merge with one cell turned is not" 1 \
	python3 scripts/matrix/report.py same "$tmp/whole/matrix.json" "$tmp/turned.json"
t_grep "the merged text says it was merged from the phases" '^  merged from 3 phases run apart' "$tmp/merge.out"
t_status "the merge's KCIDB report passes the schema's checks" 0 python3 scripts/matrix/report.py kcidb-check "$tmp/kcidb.json"

# The pair took what the kernel phases left: no save, boot state or gvkvm
# info of its own, and no cell of a host to itself.
t_nogrep "the pair phase saved nothing and asked gvkvm info of neither kernel" \
	$'^(save|pin-save|kvm|live-self) ' <(cat "$tmp/art/pair-1-2/kernels/"k*/commands.tsv)
t_grep "the pair phase ran the cells between them" $'^live-in k2 ' "$tmp/art/pair-1-2/kernels/k1/commands.tsv"
t_check "each kernel phase left its state, boot state and gvkvm info for the pairs" \
	test -s "$tmp/art/kernel-1/share/states/k1" -a -s "$tmp/art/kernel-2/share/states/boot-k2.stream" \
	-a -s "$tmp/art/kernel-2/share/kvm/k2.json"

# A kernel phase that failed: its pairs boot nothing, and say why their
# cells did not run; the merge reports them as a whole run would, status 1.
cp -R "$tmp/art" "$tmp/art2"
printf 'status=panic\nreason=panic: made up by the test\n' >"$tmp/art2/kernel-2/kernels/k2/host.env"
timeout -k 10 300 scripts/matrix/run-matrix.sh --no-suite --phase pair:1:2 --artifacts "$tmp/art2" \
	"${kernels[@]}" >"$tmp/pair2.out" 2>&1
t_eq "a pair whose kernel phase failed: status 1" 1 "$?"
t_check "... and it booted no host" test ! -e "$tmp/art2/pair-1-2/kernels/k1/console.log"
timeout -k 10 300 scripts/matrix/run-matrix.sh --no-suite --phase merge --artifacts "$tmp/art2" --out "$tmp/merged2" \
	--json "$tmp/m2.json" "${kernels[@]}" >"$tmp/merge2.out" 2>&1
t_eq "its merge: status 1, a kernel failed" 1 "$?"
t_eq "... its cells not run, naming the failed phase" "not-run not-run" "$(python3 -c 'import json, sys
m = json.load(open(sys.argv[1])); C = {(c["from"], c["to"]): c for c in m["cells"]}
print(" ".join(C[p]["status"] for p in (("k1", "k2"), ("k2", "k1"))))' "$tmp/m2.json")"
t_grep "... with the reason" 'in its phase kernel:2: panic: panic: made up by the test' "$tmp/merge2.out"

# Nothing left behind by any phase.
t_eq "no emulated host or switch left running" "" "$(pgrep -f -- "$TMPDIR/gv-matrix" | tr '\n' ' ')"
t_eq "no private directory left in TMPDIR" "" "$(ls -A "$TMPDIR")"
t_done
