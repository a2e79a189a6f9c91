#!/bin/bash
# The emulated host CPU as a dimension of the matrix: --host-cpu's lists
# (scripts/matrix/lib/spec.bash), the hosts' labels, the driver's usage
# errors, and each row of the results naming the CPU and the outer QEMU it
# ran on (matrix.json, text, JUnit).  Fast: kernels that are zero-filled
# Images and a dummy initramfs, nothing fetched, hosts given 3 s to boot.
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/scripts/matrix/lib/spec.bash"
cd "$T_ROOT" || exit 2
tmp=$(t_tmpdir)

# cpus LIST...: the CPUs the lists make, one per line, or "error: ...".
cpus() {
	MX_CPUS=()
	for l in "$@"; do mx_parse_cpus "$l" || { printf 'error: %s\n' "$MX_ERR"; return; }; done
	printf '%s\n' "${MX_CPUS[@]}"
}
t_eq "one model" "neoverse-n1" "$(cpus neoverse-n1)"
t_eq "a model with properties is one CPU" "max,lpa2=off,pauth-impdef=on" "$(cpus max,lpa2=off,pauth-impdef=on)"
t_eq "a word without '=' starts the next CPU" $'max,lpa2=off,pauth-impdef=on\nneoverse-n1\nneoverse-v1,pauth-impdef=on' \
	"$(cpus max,lpa2=off,pauth-impdef=on,neoverse-n1,neoverse-v1,pauth-impdef=on)"
t_eq "the option repeated: the lists add up" $'max\nneoverse-n1\ncortex-a57' "$(cpus max neoverse-n1,cortex-a57)"
t_str() { if [[ $3 == *"$2"* ]]; then t_ok "$1"; else t_fail "$1: '$2' not in '$3'"; fi; }
t_str "a property before any model" "property 'lpa2=off' before any CPU model" "$(cpus lpa2=off,max)"
t_str "an empty word" "empty word between commas" "$(cpus max,,neoverse-n1)"
t_str "a trailing comma" "empty word between commas" "$(cpus max,)"
t_str "spaces" "no spaces or quotes" "$(cpus 'max neoverse-n1')"
t_str "an empty list" "not a CPU list" "$(cpus '')"
t_str "a property that is no KEY=VALUE" "'sve=' is not a property" "$(cpus max,sve=)"
t_str "a model name that is none" "'-cpu' is not a CPU model name" "$(cpus -cpu)"

# names LIST...: the names the CPUs get in labels, space-separated.
names() {
	MX_CPUS=()
	for l in "$@"; do mx_parse_cpus "$l" || return; done
	mx_cpu_names || { printf 'error: %s\n' "$MX_ERR"; return; }
	printf '%s\n' "${MX_CPU_NAME[*]}"
}
t_eq "labels name the model" "max neoverse-n1" "$(names max,lpa2=off,pauth-impdef=on,neoverse-n1)"
t_eq "two CPUs of one model: named in full" "max max,sve=off neoverse-n1" "$(names max,max,sve=off,neoverse-n1)"
t_str "the same CPU twice" "CPU 'neoverse-n1' given twice" "$(names neoverse-n1 neoverse-n1)"
label() { mx_host_label "$@"; printf '%s\n' "$REPLY"; }
t_eq "one CPU: the kernel's label as written" "6.12:kvm-arm.mode=nvhe" "$(label 6.12:kvm-arm.mode=nvhe max 1)"
t_eq "several: KERNEL@MODEL" "6.12@neoverse-n1" "$(label 6.12 neoverse-n1 2)"

# The driver: a CPU list it cannot use is a usage error before anything.
command -v qemu-system-aarch64 >/dev/null || { t_done; }
[ -x host/gvfp ] && [ -x host/gvstream ] || { echo "# host tools not built: the driver's checks left out"; t_done; }
M=(timeout -k 5 60 scripts/matrix/run-matrix.sh --cache "$tmp/cache")
t_status "--host-cpu with a bad list: usage error" 2 "${M[@]}" --host-cpu lpa2=off 6.1
t_grep "says which" "property 'lpa2=off' before any CPU model" "$T_OUT"
t_status "--host-cpu the QEMU does not have: usage error" 2 "${M[@]}" --host-cpu max,no-such-cpu 6.1
t_grep "with QEMU's own words" "^run-matrix.sh: --host-cpu no-such-cpu: QEMU emulator version .* refuses it: .*no-such-cpu" "$T_OUT"
t_status "a property the model lacks: usage error" 2 "${M[@]}" --host-cpu neoverse-n1,pauth-impdef=on 6.1
t_grep "with QEMU's own words" "^run-matrix.sh: --host-cpu neoverse-n1,pauth-impdef=on: .*pauth-impdef" "$T_OUT"
t_status "--host-cpu given twice the same CPU: usage error" 2 "${M[@]}" --host-cpu max --host-cpu max 6.1
t_status "--qemu that does not exist: set-up error" 3 "${M[@]}" --qemu "$tmp/no-qemu" 6.1
t_grep "names it" "needs '$tmp/no-qemu'" "$T_OUT"
t_check "usage errors made no cache directory" test ! -e "$tmp/cache"

# Each kernel on each CPU: rows labelled KERNEL@MODEL, each naming its CPU
# and the outer QEMU (--qemu: a copy of it, so the path is this test's).
mkdir -m 700 "$tmp/t"
head -c 4194304 /dev/zero >"$tmp/zero.Image"
echo "not a cpio archive" >"$tmp/dummy.cpio"
ln -s "$(command -v qemu-system-aarch64)" "$tmp/outer-qemu"
TMPDIR=$tmp/t t_status "two CPUs, one kernel: two rows (status 1: they do not boot)" 1 "${M[@]}" \
	--initramfs "$tmp/dummy.cpio" --boot-timeout 3 --qemu "$tmp/outer-qemu" \
	--host-cpu max,lpa2=off,pauth-impdef=on,cortex-a57 --out "$tmp/o" --junit "$tmp/o.xml" "$tmp/zero.Image"
t_grep "text: the header lists the CPUs" '^emulated hosts: QEMU [0-9.]+ .*TCG, -M virt,virtualization=on -cpu per kernel \(max,lpa2=off,pauth-impdef=on; cortex-a57\)' "$T_OUT"
t_grep "text: row A is the kernel on max" "^  A  $tmp/zero.Image@max" "$T_OUT"
t_grep "text: row B the kernel on cortex-a57" "^  B  $tmp/zero.Image@cortex-a57" "$T_OUT"
t_grep "text: each row names its CPU and QEMU" '^     host: -cpu cortex-a57, QEMU [0-9.]+' "$T_OUT"
t_check "each host ran QEMU with its own -cpu" grep -q -- "-cpu cortex-a57 -smp " "$tmp/o/kernels/k2/qemu.cmdline"
t_eq "matrix.json: each row's host_cpu and outer_qemu" \
	"max,lpa2=off,pauth-impdef=on|True cortex-a57|True" \
	"$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(" ".join("%s|%s" % (k["host_cpu"], k["outer_qemu"].startswith("QEMU emulator version ")) for k in m["kernels"]))' \
	"$tmp/o/matrix.json")"
t_eq "matrix.json: the outer QEMU's path" "$tmp/outer-qemu" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["hosts"]["outer_qemu_path"])' "$tmp/o/matrix.json")"
t_eq "JUnit: each kernel's testsuite has host_cpu among its properties" \
	"kernel $tmp/zero.Image@max=max,lpa2=off,pauth-impdef=on kernel $tmp/zero.Image@cortex-a57=cortex-a57" \
	"$(python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
print(" ".join("%s=%s" % (ts.get("name"), p.get("value")) for ts in r.iter("testsuite")
               for p in ts.iter("property") if p.get("name") == "host_cpu"))' "$tmp/o.xml")"
t_grep "JUnit: and outer_qemu" '<property name="outer_qemu" value="QEMU emulator version ' "$tmp/o.xml"
t_check "nothing left behind" test -z "$(ls -A "$tmp/t")"

# A runner's testsuite gets the two properties beside its own; a matrix
# of an older run (no host_cpu per row) names the run's one CPU.
cat >"$tmp/runner.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="run_tests.sh">
  <testsuite name="run_tests.sh" tests="1" failures="0" errors="0" skipped="0">
    <properties>
      <property name="accel" value="kvm"/>
    </properties>
    <testcase classname="run_tests.sh" name="idregs" time="1.000"/>
  </testsuite>
</testsuites>
EOF
python3 - "$T_ROOT/tests/matrix/data/tonight.json" "$tmp/old.json" "$tmp/runner.xml" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for k in m["kernels"]:
    k.pop("host_cpu", None)
    k.pop("outer_qemu", None)
m["kernels"][0]["suite"] = {"junit": sys.argv[3]}
m["kernels"][0].update(host_cpu="neoverse-n1", outer_qemu="QEMU emulator version 10.0.2")
json.dump(m, open(sys.argv[2], "w"))
EOF
t_status "a runner's JUnit: rendered" 0 python3 scripts/matrix/report.py junit "$tmp/old.json"
t_eq "its testsuite: the runner's property and the two added" \
	"kernel 6.1: accel=kvm host_cpu=neoverse-n1 outer_qemu=QEMU emulator version 10.0.2" \
	"$(python3 -c '
import sys, xml.etree.ElementTree as E
ts = E.parse(sys.argv[1]).getroot().find("testsuite")
print("%s: %s" % (ts.get("name"), " ".join("%s=%s" % (p.get("name"), p.get("value")) for p in ts.iter("property"))))' "$T_OUT")"
t_status "an older matrix.json: renders" 0 python3 scripts/matrix/report.py text "$tmp/old.json"
t_grep "a row without host_cpu names the run's CPU and QEMU" '^     host: -cpu max,lpa2=off,pauth-impdef=on, QEMU 7\.2\.22' "$T_OUT"
t_done
