#!/bin/bash
# The matrix's results (scripts/matrix/report.py): rendering, JUnit, exit
# status and the nightly comparison from canned matrices (tests/matrix/data:
# last night's and tonight's), and the cells built from what the emulated
# hosts print -- here made by real TCG runs of arm/migrate.flat whose CPU
# models stand in for kernels: the same (identical), another MIDR (a
# guest-visible change) and cortex-a53 (QEMU refuses the state).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
command -v python3 >/dev/null || t_skip "needs python3"
R=(python3 scripts/matrix/report.py)
D=tests/matrix/data
tmp=$(t_tmpdir)

# --- canned matrices -----------------------------------------------------------
t_status "text: renders" 0 "${R[@]}" text $D/tonight.json
t_grep "text: the grid's header" '^      A           B           C' "$T_OUT"
t_grep "text: row A" '^  A   identical   refused     changed\(2\)' "$T_OUT"
t_grep "text: row B" '^  B   refused     identical   refused' "$T_OUT"
t_grep "text: a refused cell shows QEMU's error" "^      QEMU: qemu-system-aarch64: error while loading state for instance 0x0 of device 'cpu'" "$T_OUT"
t_grep "text: and the registers behind it, runs folded" '^      registers only 6.12 has: CCSIDR_EL1\[csselr=3\.\.5\], TCR2_EL1$' "$T_OUT"
t_grep "text: a changed cell is decoded by field" '^      CTR_EL0: 0x000000008444c004 -> 0x000000009444c004  \(IDC 0->1\)  \[breaks backward\]' "$T_OUT"
t_grep "text: a failed test named under its kernel" '^       probes FAIL: FAIL \(185 tests, 7 unexpected failures\)' "$T_OUT"
t_grep "text: where the time went" '^  total 110.0 s' "$T_OUT"
# The hosts run the whole unittests.cfg: what cannot apply under KVM is the
# runner's SKIP, counted apart from what ran and left out of the times.
python3 -c 'import json, sys; m = json.load(open(sys.argv[1]))
m["kernels"][0]["tests"].append({"name": "probes-cortex-a57", "outcome": "SKIP", "ms": 0, "log": "",
    "verdict": "extra_params -cpu cortex-a57 is a CPU model of TCG'"'"'s"})
json.dump(m, open(sys.argv[2], "w"))' "$D/tonight.json" "$tmp/skip.json"
t_status "text: with a skipped test" 0 "${R[@]}" text "$tmp/skip.json"
t_grep "text: the suite counts what ran, the skipped apart" '^     release .*, suite 3/3 PASS, 1 skipped$' "$T_OUT"
t_nogrep "text: a skipped test has no time" '^  A 6\.1: .*probes-cortex-a57' "$T_OUT"

t_status "junit: written" 0 "${R[@]}" junit $D/tonight.json
cp "$T_OUT" "$tmp/junit.xml"
t_status "junit: well-formed XML" 0 python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$tmp/junit.xml"
t_nogrep "junit: no per-kernel testcases written from matrix.json (the runner's JUnit is the one)" 'classname="kernel' "$tmp/junit.xml"
t_grep "junit: the migration suite counts changed and refused cells as failures" \
	'<testsuite name="migration" tests="9" failures="5" errors="0">' "$tmp/junit.xml"
t_grep "junit: a cell's failure says why" '<testcase classname="migration" name="6.12 -&gt; 7.3" time="3.000"><failure type="refused" message="qemu-system-aarch64: load of migration failed: Invalid argument"/>' "$tmp/junit.xml"

t_eq "status: a complete matrix" 0 "$("${R[@]}" status $D/tonight.json)"
python3 - "$D/tonight.json" "$tmp/broken.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["kernels"][1].update(status="timeout", reason="timeout after 120 s booting")
m["cells"][4].update(status="not-run", summary="6.12: timeout after 120 s booting")
json.dump(m, open(sys.argv[2], "w"))
EOF
t_eq "status: a kernel that did not boot makes it 1" 1 "$("${R[@]}" status "$tmp/broken.json")"
python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); m["kernels"][0]["suite"] = None; json.dump(m, open(sys.argv[2], "w"))' \
	"$D/tonight.json" "$tmp/nosuite.json"
t_eq "status: a kernel whose suite left no JUnit makes it 1" 1 "$("${R[@]}" status "$tmp/nosuite.json")"

t_status "compare: tonight is worse than last night" 1 "${R[@]}" compare $D/lastnight.json $D/tonight.json
cp "$T_OUT" "$tmp/compare.out"
t_grep "compare: counts" '^compared with 2026-11-22T02:00:00Z: 3 worse, 1 better$' "$tmp/compare.out"
t_grep "compare: a cell that got refused" '^  WORSE 6.12 -> 7.3: refused \(was identical\)' "$tmp/compare.out"
t_grep "compare: a changed cell with a new key" '^  WORSE 6.1 -> 7.3: changed, now also sysreg.SMIDR_EL1$' "$tmp/compare.out"
t_grep "compare: a test that failed" '^  WORSE kernel 7.3: test probes: FAIL \(was PASS\)' "$tmp/compare.out"
t_grep "compare: what got better" '^  better 7.3 -> 6.12: identical \(was refused\)$' "$tmp/compare.out"
t_grep "compare: a new build of a kernel is named" '^  kernel 7.3: now .* 7.3.5-1~bpo13\+1 \(was .* 7.3.4-1~bpo13\+1\)$' "$tmp/compare.out"
t_nogrep "compare: unchanged cells are not listed" '6.1 -> 6.1|6.12 -> 6.12' "$tmp/compare.out"
t_status "compare: a night with nothing worse" 0 "${R[@]}" compare $D/lastnight.json $D/lastnight.json
t_grep "compare: says so" '0 worse, 0 better' "$T_OUT"
t_status "compare: a kernel that stopped booting is worse" 1 "${R[@]}" compare $D/tonight.json "$tmp/broken.json"
t_grep "compare: names it" '^  WORSE kernel 6.12: timeout after 120 s booting \(was ok\)' "$T_OUT"
t_grep "compare: and its cells" '^  WORSE 6.12 -> 6.12: not-run \(was identical\)' "$T_OUT"
echo '{"schema": 99}' >"$tmp/other.json"
t_status "compare: a file that is no matrix" 2 "${R[@]}" compare "$tmp/other.json" $D/tonight.json
t_grep "compare: says which" 'other.json: not a kernel matrix' "$T_OUT"

# --- cells from the hosts' output (real QEMU runs under TCG) -----------------------
[ -x host/gvfp ] && [ -x host/gvstream ] && [ -x host/gvmigrate ] && [ -f arm/migrate.flat ] && [ -f arm/idregs.flat ] ||
	{ t_done; }
command -v qemu-system-aarch64 >/dev/null || t_done
out=$tmp/out
cpus=("cortex-a57" "cortex-a57,midr=0x411fd071" "cortex-a53")
mkdir -p "$out/kernels"
printf 'started=2026-11-23T02:00:00Z\nhost_cpu=max\nt_kernels_ms=1\nt_prep_ms=2\nt_hosts_ms=3\n' >"$out/run.env"
: >"$out/notrun.tsv"
frame() {   # frame NAME ENV... -- ARGS: one arm/run, framed as scripts/matrix/init does
	local name=$1 envs=() rc
	shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	echo "@@GV test-begin $name"
	env TMPDIR="$tmp" TIMEOUT=30s "${envs[@]}" arm/run "$@" 2>&1 </dev/null
	rc=$?
	echo "@@GV test-end $name rc=$rc ms=100"
}
for i in 1 2 3; do
	k=$out/kernels/k$i
	mkdir -p "$k"
	printf 'label=cpu%s\nkind=path\nkernel=/x\ncmdline=\n' "$i" >"$k/spec.env"
	printf 'status=ok\nreason=\nboot_ms=3000\nkernel=fake-%s\nkvm=1\nmode=vhe\nshare=1\nuptime=2.5\n' "$i" >"$k/host.env"
	{
		echo "@@GV ready kernel=fake-$i kvm=1 mode=vhe share=1 uptime=2.5 modules_ms=1"
		echo "@@GV measure qemu-startup rc=0 ms=1234"
		frame "save-k$i" SAVE_STATE="$tmp/state$i" -- arm/migrate.flat -cpu "${cpus[$((i - 1))]}" -append 'count=1 rate_ms=0'
	} | sed 's/$/\r/' >"$k/console.log"
	# The suite as init runs it: run_tests.sh, its JUnit, TAP and logs.
	printf '[idregs]\nfile = idregs.flat\nextra_params = -cpu %s\ngroups = matrix\n' "${cpus[$((i - 1))]}" >"$tmp/k$i.cfg"
	mkdir -p "$k/suite/logs"
	TMPDIR=$tmp TIMEOUT=30s GUESTVIEW_RUN_LOG_DIR=$k/suite/logs ./run_tests.sh --config "$tmp/k$i.cfg" -g matrix -t \
		--junit "$k/suite/junit.xml" >"$k/suite/suite.tap" 2>&1
	if [ "$i" = 3 ]; then
		# Host 3 had no share: init sends the runner's files on the console.
		for f in suite.tap junit.xml logs/idregs.log; do
			{ echo "@@GV file $f"; cat "$k/suite/$f"; echo "@@GV file-end $f"; } | sed 's/$/\r/' >>"$k/console.log"
		done
		rm -rf "$k/suite"
	fi
	tail -n +2 "$tmp/state$i" >"$k/state.stream"
done
for i in 1 2 3; do
	for j in 1 2 3; do
		frame "restore-k$j" RESTORE_STATE="$tmp/state$j" -- arm/migrate.flat -cpu "${cpus[$((i - 1))]}" -append 'count=1 rate_ms=0'
	done | sed 's/$/\r/' >>"$out/kernels/k$i/console.log"
done
# A fourth "kernel" that never booted, and a restore the host did not finish.
mkdir -p "$out/kernels/k4"
printf 'label=broken\nkind=path\n' >"$out/kernels/k4/spec.env"
printf 'status=timeout\nreason=timeout after 15 s booting (last console line: a\001b & c)\n' >"$out/kernels/k4/host.env"
sed -i '/@@GV test-begin restore-k3/,$d' "$out/kernels/k2/console.log"
printf '@@GV test-begin restore-k3\nhalf a line' >>"$out/kernels/k2/console.log"
printf 'k4\tk1\tno state from broken: timeout after 15 s booting\n' >"$out/notrun.tsv"

t_status "build: from the hosts' output" 0 "${R[@]}" build "$out"
cp "$T_OUT" "$tmp/m.json"
cell() {   # cell FROM TO FIELD
	python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); c=[c for c in m["cells"] if c["from"]==sys.argv[2] and c["to"]==sys.argv[3]][0]; v=c.get(sys.argv[4]); print(v if isinstance(v,str) else json.dumps(v))' "$tmp/m.json" "$@"
}
t_eq "cell 1->1: identical" identical "$(cell k1 k1 status)"
t_eq "cell 1->2: changed" changed "$(cell k1 k2 status)"
t_check "cell 1->2: the key that changed, both values" \
	grep -qF '{"key": "sysreg.MIDR_EL1", "before": "0x00000000411fd070", "after": "0x00000000411fd071"}' <<<"$(cell k1 k2 keys)"
t_check "cell 1->2: decoded (MIDR_EL1.Revision 0 -> 1)" grep -q '"name": "Revision".*"old": 0.*"new": 1' <<<"$(cell k1 k2 decoded)"
t_eq "cell 2->1: changed back" changed "$(cell k2 k1 status)"
t_eq "cell 1->3: refused" refused "$(cell k1 k3 status)"
t_check "cell 1->3: QEMU's error" grep -q "error while loading state for instance 0x0 of device 'cpu'" <<<"$(cell k1 k3 qemu_error)"
t_check "cell 1->3: the registers behind it (read-only values that differ)" grep -q '"name": "ID_AA64MMFR0_EL1"' <<<"$(cell k1 k3 registers)"
t_eq "cell 3->2: the host went down during the restore" error "$(cell k3 k2 status)"
t_check "cell 3->2: says so" grep -q 'went down during the restore' <<<"$(cell k3 k2 summary)"
t_eq "cell 4->1: not run" not-run "$(cell k4 k1 status)"
t_eq "cell 4->1: the driver's reason" "no state from broken: timeout after 15 s booting" "$(cell k4 k1 summary)"
t_check "cell 1->4: the destination's failure" grep -q '^broken: timeout after 15 s booting' <<<"$(cell k1 k4 summary)"
t_check "per kernel: the fingerprint, extracted" test -s "$out/kernels/k1/fingerprint.txt"
t_check "per kernel: the register list" grep -q "^ID_AA64MMFR0_EL1 " "$out/kernels/k1/registers.txt"
t_check "per kernel: the save's log split out of the console" grep -q '^arm/run: PASS' "$out/kernels/k1/runs/save-k1.log"
t_eq "per kernel: its tests are the runner's JUnit testcases" '[["idregs", "PASS"]]' \
	"$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(json.dumps([[t["name"], t["outcome"]] for t in m["kernels"][0]["tests"]]))' "$tmp/m.json")"
t_eq "without the share: the runner's JUnit taken from the console's file frames" '[["idregs", "PASS"]]' \
	"$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(json.dumps([[t["name"], t["outcome"]] for t in m["kernels"][2]["tests"]]))' "$tmp/m.json")"
t_check "without the share: the runner's TAP kept as it was" grep -qx '1\.\.1' "$out/kernels/k3/suite/suite.tap"
t_check "without the share: the fingerprint from the idregs log the console carried" test -s "$out/kernels/k3/fingerprint.txt"
t_check "per kernel: the fingerprint comes from the runner's log" grep -q '^sysreg.MIDR_EL1 0x00000000411fd070' "$out/kernels/k1/fingerprint.txt"
t_eq "qemu-startup: the host's measure line" 1234 \
	"$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["kernels"][0]["timings"]["qemu_startup_ms"])' "$tmp/m.json")"

# JUnit of the matrix: each kernel's suite is the runner's document; what
# the matrix writes itself (boot errors, cells) escaped as junit.bash does.
t_status "junit: from the built matrix" 0 "${R[@]}" junit "$tmp/m.json"
cp "$T_OUT" "$tmp/m.xml"
t_status "junit: a control character in a host's last console line still parses (xml.etree)" 0 \
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/m.xml"
t_grep "junit: the control character became '?', as junit.bash makes it" 'message="timeout: timeout after 15 s booting \(last console line: a\?b &amp; c\)"' "$tmp/m.xml"
runner_tests=$(python3 -c 'import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().find("testsuite").get("tests"))' "$out/kernels/k1/suite/junit.xml")
t_grep "junit: kernel cpu1's suite is the runner's ($runner_tests cases: the payload and its checks), renamed to the kernel" \
	"<testsuite name=\"kernel cpu1\" tests=\"$runner_tests\" failures=\"0\" errors=\"0\" skipped=\"0\"" "$tmp/m.xml"
t_grep "junit: a check's case keeps its payload in its class" '<testcase classname="kernel cpu1: idregs" name="[^"]+" time="0"' "$tmp/m.xml"
t_grep "junit: its testcase, classed by kernel, with the runner's system-out" '<testcase classname="kernel cpu1" name="idregs" time="[0-9.]+">' "$tmp/m.xml"
t_grep "junit: the runner's property (what it ran with)" '<property name="accel" value="tcg" */>' "$tmp/m.xml"
t_check "kernel differences: fingerprints of 1 and 3 differ" python3 -c '
import json,sys; m=json.load(open(sys.argv[1]))
d=[d for d in m["kernel_diffs"] if d["a"]=="k1" and d["b"]=="k3"][0]
sys.exit(0 if d["fingerprint"]["differ"] > 0 and d["registers"]["readonly_differ"] else 1)' "$tmp/m.json"
t_eq "status of this matrix: incomplete" 1 "$("${R[@]}" status "$tmp/m.json")"
t_done
