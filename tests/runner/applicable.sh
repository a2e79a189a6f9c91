#!/bin/bash
# tests/runner/applicable.sh: under KVM, run_tests.sh skips (saying why,
# without starting arm/run) the entries that cannot apply to -accel kvm
# -cpu host, decided from their keys (scripts/runner/applicable.bash), and
# runs the rest; under TCG the same entries run.  Then the real
# unittests.cfg: what applies under KVM is the whole default suite less its
# TCG-only entries.
. "$(dirname "$0")/helpers.bash"
rt_setup

mkdir -p "$RT/bl"
printf '# guestview baseline: test\n# qemu-version: 7.2\n# accel: tcg\nsysreg.MIDR_EL1 0x1\n' >"$RT/bl/tcg.fp"
printf '# guestview baseline: test\n# qemu-version: 7.2\n# accel: kvm\nsysreg.MIDR_EL1 0x1\n' >"$RT/bl/kvm.fp"
rt_cfg fit.cfg <<EOF2
[plain]
file = pass.flat
[host-prop]
file = pass.flat
extra_params = -cpu host,sve=off
[named]
file = pass.flat
extra_params = -machine virt,gic-version=2 -cpu cortex-a57
[max]
file = pass.flat
extra_params = -cpu max,sve=off,pauth=off
[last-cpu-wins]
file = pass.flat
extra_params = -cpu neoverse-n1 -cpu host
[dest-model]
file = pass.flat
migration = unix
dest_params = -cpu cortex-a72
[tcg-only]
file = pass.flat
accel = tcg
[kvm-only]
file = pass.flat
accel = kvm
[bl-tcg]
file = pass.flat
baseline = $RT/bl/tcg.fp
[bl-kvm]
file = pass.flat
baseline = $RT/bl/kvm.fp
EOF2

ACCEL=kvm rt_run
t_eq "kvm: exit 0 (skips are not failures)" 0 "$RT_RC"
for t in plain host-prop last-cpu-wins kvm-only bl-kvm; do
	t_grep "kvm: $t runs" "^PASS $t " "$RT/out"
done
t_grep "kvm: a named model SKIPs, naming it" \
	"^SKIP named \(extra_params -cpu cortex-a57 is a CPU model of TCG's \(under KVM the guest's CPU is the host's, -cpu host\)\)$" "$RT/out"
t_grep "kvm: max SKIPs, saying its entries are TCG's" "^SKIP max \(extra_params -cpu max is written for TCG's max " "$RT/out"
t_grep "kvm: a destination on a named model SKIPs" "^SKIP dest-model \(dest_params -cpu cortex-a72 is a CPU model of TCG's " "$RT/out"
t_grep "kvm: accel = tcg SKIPs" "^SKIP tcg-only \(needs accel tcg, running with kvm\)$" "$RT/out"
t_grep "kvm: a baseline taken under TCG SKIPs" "^SKIP bl-tcg \(baseline $RT/bl/tcg.fp was taken under tcg, this run uses kvm: not comparable\)$" "$RT/out"
t_eq "kvm: arm/run started for the five that apply, no more" 5 "$(rt_calls)"
t_grep "kvm: the runner's skip is in the test's log" "^SKIP: extra_params -cpu cortex-a57 .*\(decided by run_tests.sh; arm/run not started\)$" "$RT/logs/latest/named.log"

rt_run
t_eq "tcg: exit 0" 0 "$RT_RC"
for t in plain named max dest-model tcg-only bl-tcg; do
	t_grep "tcg: $t runs" "^PASS $t " "$RT/out"
done
t_grep "tcg: accel = kvm SKIPs" "^SKIP kvm-only \(needs accel kvm, running with tcg\)$" "$RT/out"
t_grep "tcg: a baseline taken under KVM SKIPs" "^SKIP bl-kvm \(baseline .* was taken under kvm, this run uses tcg: not comparable\)$" "$RT/out"

# migration = netns with an ip(8) that has no "ip netns" (BusyBox's, as in
# the kernel matrix's hosts): a SKIP saying so, as root only (else the
# root check answers first).
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$RT/bin-bbip"
	for p in ${PATH//:/ }; do ln -s -t "$RT/bin-bbip" "$p"/* 2>/dev/null; done
	rm -f "$RT/bin-bbip/ip"
	printf '#!/bin/sh\necho "BusyBox v1.35.0 multi-call binary." >&2\nexit 1\n' >"$RT/bin-bbip/ip"
	chmod +x "$RT/bin-bbip/ip"
	rt_cfg ns.cfg <<'EOF2'
[ns]
file = pass.flat
migration = netns
EOF2
	PATH=$RT/bin-bbip rt_run
	t_grep "netns with BusyBox's ip: SKIP naming it" \
		"^SKIP ns \(migration = netns needs ip\(8\) from iproute2 \(ip netns\), this one is not \(ip -V: BusyBox v1.35.0 multi-call binary.\)\)$" "$RT/out"
fi

# The real unittests.cfg: every entry either applies under KVM or is
# skipped with a reason of applicable.bash's (none by name).
rt_setup_real arm/selftest.flat arm/idregs.flat arm/probes.flat arm/migrate.flat host/gvmigrate
export GUESTVIEW_RUN=$RT/stub-run
cp "$RT/arm/pass.flat" "$RT/pass-body"
for f in selftest idregs probes migrate; do cp "$RT/pass-body" "$RT/arm/$f.flat"; done
export GUESTVIEW_PAYLOAD_DIR=$RT/arm
(cd "$T_ROOT" && ACCEL=kvm GUESTVIEW_LOG_DIR=$RT/logs ./run_tests.sh -t >"$RT/real.tap" 2>&1)
t_eq "unittests.cfg under KVM: exit 0" 0 "$?"
ran=$(grep -E '^ok [0-9]+ - ' "$RT/real.tap" | grep -v ' # SKIP' | awk '{print $4}' | paste -sd' ')
t_eq "unittests.cfg under KVM: what runs (KVM group, selftests, same-host migrations)" \
	"selftest-setup selftest-smp selftest-vectors selftest-insn idregs probes idregs-sve-off idregs-pmu-off idregs-steal-time-off idregs-no-adjvtime migrate-unix migrate-tcp$([ "$(id -u)" = 0 ] && ip -V 2>&1 | grep -q iproute2 && echo ' migrate-netns') migrate-pingpong" "$ran"
t_eq "unittests.cfg under KVM: every other entry skipped with a reason of its keys" "" \
	"$(grep ' # SKIP' "$RT/real.tap" | grep -Ev '# SKIP (needs accel tcg, running with kvm|extra_params -cpu [a-z0-9-]+ is (a CPU model of TCG.s|written for TCG.s max)|migration = netns needs)')"
t_grep "unittests.cfg under KVM: the TCG CPU models skip, named" "^ok [0-9]+ - probes-neoverse-n1 # SKIP extra_params -cpu neoverse-n1 is a CPU model of TCG's" "$RT/real.tap"
t_done
