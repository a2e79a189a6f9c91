#!/bin/bash
# quick-check: skip (boots Debian kernels in emulated hosts, minutes)
# The kernel matrix end to end, for real: Debian's arm64 6.1 and 6.12 booted
# in QEMU TCG with EL2, the guest suite (the whole default unittests.cfg,
# same-host live migrations included) under KVM inside each, their KVM
# register lists, and the four live cells between them (each a round trip
# of a running guest); then a kernel that panics.  Minutes, not seconds: 4.5-8 on 2 shared cores (load average
# 5-12), and the first run fetches some 250 MB into the matrix cache
# ($MATRIX_CACHE or deps/matrix-cache).
# GUESTVIEW_SKIP_MATRIX=1 skips it.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
. tests/matrix/run-matrix.bash
mx_test_setup
R=(python3 scripts/matrix/report.py)

mx_test_run --out "$tmp/out" --junit "$tmp/junit.xml" --json "$tmp/m.json" 6.1 6.12
t_eq "6.1 and 6.12: the matrix is complete (exit 0)" 0 "$MX_RC"
t_check "within 10 minutes (took ${MX_SECS} s)" test "$MX_SECS" -le 600
[ -s "$tmp/m.json" ] || t_done

# The suite each host runs: the whole default unittests.cfg, as run_tests.sh
# lists it; of it, what applies under KVM (the runner's decision, asked
# through the driver's mx_kvm_suite) must run there.
suite=$(./run_tests.sh -l | awk '{print $1}' | paste -sd' ')
nsuite=$(wc -w <<<"$suite")
MX_ROOT=$T_ROOT
. scripts/matrix/lib/suite.bash
mx_kvm_suite || t_fail "mx_kvm_suite: $MX_ERR"
kvm_suite=$(paste -sd' ' <<<"$REPLY")
# The entries that change one property of -cpu host (each its own guest view).
cpu_entries="idregs-sve-off:sve=off idregs-pmu-off:pmu=off idregs-steal-time-off:kvm-steal-time=off idregs-no-adjvtime:kvm-no-adjvtime=on"
cpu_names=$(for x in $cpu_entries; do echo "${x%%:*}"; done | paste -sd' ')

# q EXPR: a Python expression over the matrix m (kernels k1, k2).
# T: gvkvm try per pair.
q() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); k1,k2=m["kernels"]; C={(c["from"],c["to"]):c for c in m["cells"]}; T={(t["from"],t["to"]):t for t in m.get("kvm_tries",[])}; print(eval(sys.argv[2]))' "$tmp/m.json" "$1" 2>&1; }
t_eq "6.1 resolved to a 6.1 package" True "$(q 'k1["version"].startswith("6.1.") and k1["package"].startswith("linux-image-6.1.")')"
t_eq "6.12 resolved to a 6.12 package" True "$(q 'k2["version"].startswith("6.12.")')"
for k in k1 k2; do
	t_eq "$k: booted, with KVM" "ok True" "$(q "$k[\"status\"], $k[\"kvm\"]" | tr -d "(),'")"
	t_eq "$k: KVM in VHE mode" vhe "$(q "$k[\"kvm_mode\"]")"
	for e in selftest-setup selftest-smp selftest-vectors selftest-insn; do
		t_eq "$k: $e passed under KVM" PASS "$(q "[t[\"outcome\"] for t in $k[\"tests\"] if t[\"name\"] == \"$e\"][0]")"
	done
	# Every entry of unittests.cfg that applies under KVM ran there and
	# passed; netns alone may SKIP, saying why (the hosts' ip(8) is
	# BusyBox's).  Not fewer than the TCG suite's entries that apply to KVM.
	t_eq "$k: every entry that applies under KVM ran: PASS (netns: SKIP with its reason)" "" \
		"$(q "[(t[\"name\"], t[\"outcome\"]) for t in $k[\"tests\"] if t[\"name\"] in \"$kvm_suite\".split() and not (t[\"outcome\"] == \"PASS\" or (t[\"name\"] == \"migrate-netns\" and t[\"outcome\"] == \"SKIP\" and \"needs\" in t[\"verdict\"]))] or \"\"")"
	t_eq "$k: as many entries ran under KVM as apply to it" "$(wc -w <<<"$kvm_suite")" \
		"$(q "len([t for t in $k[\"tests\"] if t[\"name\"] in \"$kvm_suite\".split()])")"
	# Live migration within the host, under KVM: gvmigrate's two QEMUs with
	# -accel kvm -cpu host, over a unix socket, TCP (TLS-PSK), ten times
	# back and forth.
	for x in "migrate-unix:3" "migrate-tcp:2" "migrate-pingpong:10"; do
		e=${x%%:*}
		t_grep "$k: $e: gvmigrate ran two KVM QEMUs" "^.*/gvmigrate .* -- qemu-system-aarch64 .*-cpu host -accel kvm .* -- qemu-system-aarch64 .*-cpu host -accel kvm " \
			"$tmp/out/kernels/$k/suite/logs/$e.log"
		t_grep "$k: $e: ${x#*:} migrations, PASS" "^gvmigrate: RESULT PASS 0 ${x#*:}( |\$)" "$tmp/out/kernels/$k/suite/logs/$e.log"
	done
	t_grep "$k: migrate-tcp went over TCP" "^.*/gvmigrate .*--mode tcp " "$tmp/out/kernels/$k/suite/logs/migrate-tcp.log"
	# What cannot apply under KVM is skipped with its reason, by the runner.
	t_eq "$k: a TCG CPU model skipped with its reason" True \
		"$(q "[t[\"verdict\"].startswith(\"extra_params -cpu neoverse-n1 is a CPU model of TCG\") for t in $k[\"tests\"] if t[\"name\"] == \"probes-neoverse-n1\" and t[\"outcome\"] == \"SKIP\"] == [True]")"
	t_eq "$k: an accel = tcg entry (a second QEMU) skipped with its reason" True \
		"$(q "[t[\"verdict\"] == \"needs accel tcg, running with kvm\" for t in $k[\"tests\"] if t[\"name\"] == \"migrate-10.0-virt-7.2\" and t[\"outcome\"] == \"SKIP\"] == [True]")"
	t_eq "$k: idregs passed under KVM" PASS "$(q "[t[\"outcome\"] for t in $k[\"tests\"] if t[\"name\"] == \"idregs\"][0]")"
	# -cpu max hosts have SME: the guest's own CPACR_EL1.SMEN trap answers
	# before anything EL2 can set (an architectural leak, a named known
	# failure); TPIDR2/SMPRI executing is the 7.2 test bed's recorded gap
	# (tables/errata.def), known because the host passes testbed_qemu=.
	t_eq "$k: probes PASS under KVM, its leaks known failures" PASS "$(q "[t[\"outcome\"] for t in $k[\"tests\"] if t[\"name\"] == \"probes\"][0]")"
	t_grep "$k: hidden SME: the architectural leak, named" \
		'^KFAIL: EL1: sme, CPACR_EL1\.SMEN clear \(class K\): hidden SME answers the guest.s own CPACR_EL1\.SMEN trap \(EC 0x1d\): architectural leak' \
		"$tmp/out/kernels/$k/suite/logs/probes.log"
	t_grep "$k: the test bed's facts reached the guest" '^INFO: host kernel 6\.1.*, test-bed QEMU 7\.2\.' \
		"$tmp/out/kernels/$k/suite/logs/probes.log"
	t_check "$k: its fingerprint" test -s "$tmp/out/kernels/$k/fingerprint.txt"
	t_grep "$k: idregs ran under KVM" '^qemu-system-aarch64 .*-cpu host -accel kvm ' "$tmp/out/kernels/$k/suite/logs/idregs.log"
	t_grep "$k: idregs's results crossed the bulk channel (scripts/matrix/init)" '^BULK: [1-9]' "$tmp/out/kernels/$k/suite/logs/idregs.log"
	# The suite inside is run_tests.sh's: its own JUnit and TAP are the results.
	t_eq "$k: run_tests.sh's JUnit from inside the host parses and holds unittests.cfg's tests, run under kvm" \
		"accel=kvm $suite" "$(python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
p = {x.get("name"): x.get("value") for x in r.iter("property")}
# A payload is a testcase of class "guestview"; its checks follow it, classed by the test.
print("accel=%s %s" % (p.get("accel"), " ".join(t.get("name") for t in r.iter("testcase") if t.get("classname") == "guestview")))' \
		"$tmp/out/kernels/$k/suite/junit.xml" 2>&1)"
	t_grep "$k: run_tests.sh's TAP from inside the host, its plan at the end" "^1\\.\\.$nsuite\$" "$tmp/out/kernels/$k/suite/suite.tap"
	# The payloads' cases (classname guestview), not the checks that follow each.
	t_eq "$k: the matrix's tests are the runner's JUnit testcases of the payloads" \
		"$(python3 -c 'import sys, xml.etree.ElementTree as E; print("|".join(t.get("name") for t in E.parse(sys.argv[1]).getroot().iter("testcase") if t.get("classname") == "guestview"))' \
			"$tmp/out/kernels/$k/suite/junit.xml")" "$(q "\"|\".join(t[\"name\"] for t in $k[\"tests\"])")"
	for x in $cpu_entries; do
		e=${x%%:*}
		t_eq "$k: $e ran: PASS, or SKIP with the reason" True \
			"$(q "[t[\"outcome\"] == \"PASS\" or (t[\"outcome\"] == \"SKIP\" and t[\"verdict\"] != \"\") for t in $k[\"tests\"] if t[\"name\"] == \"$e\"] == [True]")"
		t_grep "$k: $e: QEMU ran with -cpu host,${x#*:}" "^qemu-system-aarch64 .*-cpu host,${x#*:}( |\$)" "$tmp/out/kernels/$k/suite/logs/$e.log"
	done
	# Each property took effect: the guest's view moved where it should
	# (the emulated max host has SVE, a PMU, and KVM's PV time).
	for x in "idregs-sve-off:^  SVE  1 -> 0" "idregs-pmu-off:^  PMUVer  [1-9][0-9]* -> 0" \
		"idregs-steal-time-off:^fw.pvtime.features.PV_TIME_ST: 0x0+ -> 0xf+ "; do
		e=${x%%:*}
		host/gvfp extract "$tmp/out/kernels/$k/suite/logs/$e.log" -o "$tmp/$k-$e.fp" &&
			host/gvfp diff "$tmp/out/kernels/$k/fingerprint.txt" "$tmp/$k-$e.fp" >"$tmp/$k-$e.diff"
		t_grep "$k: $e: the guest's view changed against idregs (gvfp diff)" "${x#*:}" "$tmp/$k-$e.diff"
	done
	t_nogrep "$k: the fingerprint is the emulated host's CPU, not a TCG model" '^sysreg.MIDR_EL1 0x00000000411fd07' "$tmp/out/kernels/$k/fingerprint.txt"
	t_eq "$k: a KVM register list of over 200 registers" True "$(q "$k[\"register_count\"] > 200")"
	t_eq "$k: itself to itself: identical" identical "$(q "C[(\"$k\", \"$k\")][\"status\"]")"
done
# gvkvm: what each kernel's KVM offers userspace, and each one's values
# tried on the other (host/gvkvm info and try inside the hosts).
for k in k1 k2; do
	t_eq "$k: gvkvm info's kvm.json parses, names the tool and has no error" "gvkvm info False" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["tool"], d["command"], "error" in d)' "$tmp/out/kernels/$k/kvm.json" 2>&1)"
	t_eq "$k: gvkvm's register list has over 200 registers, each named" True \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["registers"]; print(d["register_count"] == len(r) > 200 and all(x["name"] for x in r))' "$tmp/out/kernels/$k/kvm.json" 2>&1)"
	t_eq "$k: gvkvm read the ID registers' values (MIDR_EL1, ID_AA64MMFR1_EL1) and PSCI_VERSION" True \
		"$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["values"]; print(all(n in v for n in ("MIDR_EL1", "ID_AA64MMFR1_EL1", "PSCI_VERSION")))' "$tmp/out/kernels/$k/kvm.json" 2>&1)"
done
t_eq "6.1: no writable masks (KVM_ARM_GET_REG_WRITABLE_MASKS came in 6.8)" "ok False" "$(q 'k1["kvm_info"]["status"], k1["kvm_info"]["writable_masks_supported"]' | tr -d "(),'")"
t_eq "6.12: writable masks supported" "ok True" "$(q 'k2["kvm_info"]["status"], k2["kvm_info"]["writable_masks_supported"]' | tr -d "(),'")"
for c in "k1 k2" "k2 k1"; do
	set -- $c
	t_eq "$1 -> $2: gvkvm try of $1's values on $2 names at least one register, accepted or refused" "ok True" \
		"$(q "T[(\"$1\", \"$2\")][\"status\"], T[(\"$1\", \"$2\")][\"accepted\"] + len(T[(\"$1\", \"$2\")][\"refused_names\"]) > 0" | tr -d "(),'")"
done
t_grep "the report's line per pair" '^      userspace could pin: [0-9]+ of [0-9]+ differing registers accepted' "$tmp/run.out"
t_check "6.12 offers TCR2_EL1 to userspace, 6.1 does not" \
	bash -c "grep -q '^TCR2_EL1 ' '$tmp/out/kernels/k2/registers.txt' && ! grep -q '^TCR2_EL1 ' '$tmp/out/kernels/k1/registers.txt'"
for c in "k1 k2" "k2 k1"; do
	set -- $c
	t_eq "$1 -> $2: a result (identical, changed or refused)" True "$(q "C[(\"$1\", \"$2\")][\"status\"] in (\"identical\", \"changed\", \"refused\")")"
	if [ "$(q "C[(\"$1\", \"$2\")][\"status\"]")" = refused ]; then
		t_eq "$1 -> $2: refused, with QEMU's error" True "$(q "len(C[(\"$1\", \"$2\")][\"qemu_error\"]) > 0")"
		t_eq "$1 -> $2: and the registers behind it" True "$(q "bool(C[(\"$1\", \"$2\")][\"registers\"][\"missing\"] or C[(\"$1\", \"$2\")][\"registers\"][\"extra\"] or C[(\"$1\", \"$2\")][\"registers\"][\"readonly_differ\"])")"
	fi
done
# Live, the default: each cell a round trip of a running guest between the
# two running hosts; between 6.1 and 6.12 QEMU 7.2 refuses the upgrade both
# ways, and the guest goes on at home (tests/matrix/live.sh has round trips
# that complete, and the faults).
t_eq "the cells are live" live "$(q 'm["mode"]')"
for c in "k1 k2" "k2 k1"; do
	set -- $c
	if [ "$(q "C[(\"$1\", \"$2\")][\"status\"]")" = refused ]; then
		t_eq "$1 -> $2: live, refused on the way there, by the receiving QEMU (its LEG line)" "live 1 refused" \
			"$(q "C[(\"$1\", \"$2\")][\"mode\"], C[(\"$1\", \"$2\")][\"refused_leg\"], C[(\"$1\", \"$2\")][\"legs\"][0][\"receiver\"]" | tr -d "(),'")"
		t_grep "$1 -> $2: the refused upgrade left the guest running at home, where it PASSED" \
			'^arm/run: REFUSED: .*the guest resumed on the source and PASSED' "$(q "C[(\"$1\", \"$2\")][\"logs\"][\"source\"]")"
	fi
done
for k in k1 k2; do
	t_grep "$k -> $k: the guest wrote memory during both migrations within the host and found it intact" \
		'^PASS: migration 2: memory written during the migration survived it' "$(q "C[(\"$k\", \"$k\")][\"log\"]")"
done
t_grep "the matrix on the terminal" '^  A   identical ' "$tmp/run.out"
t_grep "where the time went" '^  A 6.1: boot [0-9.]+ s; QEMU start-up inside' "$tmp/run.out"
t_status "JUnit: well-formed" 0 python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$tmp/junit.xml"
t_grep "JUnit: kernel 6.1's suite is the runner's document (its properties kept)" \
	'<testsuite name="kernel 6.1" tests="[0-9]+" .*hostname=' "$tmp/junit.xml"
for l in 6.1 6.12; do
	t_eq "JUnit: kernel $l's testsuite holds the -cpu host,PROPERTY entries" "$cpu_names" "$(python3 -c '
import sys, xml.etree.ElementTree as E
ts = [t for t in E.parse(sys.argv[1]).getroot().iter("testsuite") if t.get("name") == "kernel " + sys.argv[2]][0]
print(" ".join(c.get("name") for c in ts.iter("testcase") if c.get("name").startswith("idregs-") and c.find("skipped") is None))' "$tmp/junit.xml" "$l")"
done
t_grep "JUnit: a kernel's testsuite names its host CPU" '<property name="host_cpu" value="max,lpa2=off,pauth-impdef=on" */>' "$tmp/junit.xml"
t_status "compared with itself: nothing worse" 0 "${R[@]}" compare "$tmp/m.json" "$tmp/m.json"
t_check "nothing left behind (QEMU, temp dirs)" \
	bash -c "! pgrep -af -- '$tmp/' | grep -q '[q]emu-system' && [ -z \"\$(ls -A '$tmp/t')\" ]"

# Pinning by the boot state (issue 12; scripts/matrix/init-pin.bash,
# classify.py): each kernel's paused guest loaded on the other.  Whether it
# loads must follow from the kernels' own answers: QEMU 7.2 loads a state
# only when the destination's KVM takes every value (gvkvm try refused
# none) and has every register of the stream (gvstream: none missing).
# P: the pins by (from, to).
qp() { python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); P={(p["from"],p["to"]):p for p in m.get("pins",[])}; T={(t["from"],t["to"]):t for t in m.get("kvm_tries",[])}; print(eval(sys.argv[2]))' "$tmp/m.json" "$1" 2>&1; }
for pair in k1:k2 k2:k1; do
	a=${pair%:*} b=${pair#*:}
	t_eq "pin $a -> $b: ran (the boot state saved on $a, loaded on $b)" ran "$(qp "P[('$a','$b')]['pin']['status']")"
	t_eq "pin $a -> $b: loaded exactly when $b's KVM took every value and has every register" True \
		"$(qp "P[('$a','$b')]['pin']['loaded'] == (T[('$a','$b')]['refused'] == 0 and not P[('$a','$b')]['stream_only'])")"
	t_eq "pin $a -> $b: a refused load keeps QEMU's error" True \
		"$(qp "P[('$a','$b')]['pin']['loaded'] or 'load of migration failed' in (P[('$a','$b')]['pin']['qemu_error'] or '')")"
done
# 6.1 -> 6.12: the refusal is named from 6.12's own answer, field and errno.
t_eq "pin 6.1 -> 6.12: every field gvkvm saw refused is a refused row, with its errno" True \
	"$(qp "sorted(T[('k1','k2')]['refused_names']) == sorted('%s.%s (%s)' % (r['register'], f, r['errno']) for r in P[('k1','k2')]['differences'] if r['class'] == 'refused' for f in r['refused_fields'])")"
t_grep "text: the pins' section" '^Pinning by the boot state' "$tmp/run.out"
t_grep "text: 6.12's refusal of HCX under the 6.1 -> 6.12 pair" '^          6\.12 refuses ID_AA64MMFR1_EL1 = 0x[0-9a-f]+: field HCX' "$tmp/run.out"

# A real kernel that panics: 6.12 with no usable initramfs and no root.
echo "not a cpio archive" >"$tmp/dummy.cpio"
t0=$SECONDS
t_status "a kernel that panics: a cell, status 1" 1 scripts/matrix/run-matrix.sh --out "$tmp/out2" \
	--initramfs "$tmp/dummy.cpio" --boot-timeout 120 6.12:rdinit=/none
t_grep "the panic message" 'PANIC: panic: VFS: Unable to mount root fs' "$T_OUT"
t_check "a kernel that panics: ended within 60 s ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -le 60
t_done
