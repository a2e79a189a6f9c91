#!/bin/bash
# The guest runtime, through arm/selftest.flat: its checks pass on a
# correct machine, fail when QEMU was given something else than the test
# expects, and the failure paths (unexpected and nested exceptions, EL2)
# end the payload with the right status instead of hanging.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -f arm/selftest.flat ] || t_skip "arm/selftest.flat not built"
export TIMEOUT=30s
run() { arm/run arm/selftest.flat "$@"; }

t_status "setup: passes with the CPU count and memory QEMU was given" 0 \
	run -smp 2 -m 256 -append 'setup smp=2 mem=256'
t_grep "setup: checks the memory size" '^PASS: setup: DT memory: 256 MiB' "$T_OUT"
t_status "setup: a different CPU count than expected fails" 1 \
	run -smp 2 -m 256 -append 'setup smp=3 mem=256'
t_grep "setup: the failure names both counts" '^FAIL: setup: DT cpu nodes: 2, QEMU was given 3' "$T_OUT"
t_status "setup: a different memory size than expected fails" 1 \
	run -smp 1 -m 128 -append 'setup smp=1 mem=256'
t_grep "setup: the failure names both sizes" '^FAIL: setup: DT memory: 128 MiB, QEMU was given 256 MiB' "$T_OUT"

t_status "smp: 4 CPUs come up with distinct MPIDRs" 0 run -smp 4 -append 'smp smp=4'
t_grep "smp: all 4 online" '^PASS: smp: 4 of 4 CPUs online' "$T_OUT"
t_grep "smp: MPIDRs distinct" '^PASS: smp: MPIDR_EL1 values are distinct' "$T_OUT"

t_status "vectors: exceptions are caught and decoded" 0 run -append vectors
t_grep "vectors: UNDEF is EC 0x00" '^PASS: vectors: UDF is UNDEFINED: EC 0x00' "$T_OUT"

t_status "insn: encodings run at EL1 and EL0 (cortex-a57: no FEAT_IDST)" 0 run -append insn
t_grep "insn: EL0 MIDR read is UNDEF without IDST" '^PASS: insn: EL0: mrs midr_el1 raises EC 0x00 as ID_AA64MMFR2_EL1.IDS=0' "$T_OUT"
t_status "insn: with FEAT_IDST (-cpu max) the EL0 read traps as EC 0x18" 0 run -cpu max -append insn
t_grep "insn: EL0 MIDR read is EC 0x18 with IDST" '^PASS: insn: EL0: mrs midr_el1 raises EC 0x18 as ID_AA64MMFR2_EL1.IDS=1' "$T_OUT"

t_status "unexpected: an unhandled UNDEF ends the payload as FAIL" 1 run -append unexpected
t_grep "unexpected: ESR decoded" 'EC 0x00 \(unknown reason' "$T_OUT"
t_grep "unexpected: FAR and ELR shown" '^  FAR 0x[0-9a-f]{16}  ELR 0x[0-9a-f]{16}$' "$T_OUT"
t_grep "unexpected: registers shown" '^  x30 [0-9a-f]{16}  sp  [0-9a-f]{16}$' "$T_OUT"
t_grep "unexpected: status line FAIL" '^EXIT: FAIL$' "$T_OUT"
t_nogrep "unexpected: does not carry on after the fault" 'returned from an unhandled UNDEF' "$T_OUT"

t_status "nested: a fault in a handler ends the payload as FAIL, not a hang" 1 run -append nested
t_grep "nested: reported as nested" '^Nested \(fault while handling a fault\) exception on CPU0' "$T_OUT"
t_grep "nested: the inner fault is the handler's BRK" 'EC 0x3c \(BRK \(AArch64\)\).*immediate 0x99' "$T_OUT"

t_status "unknown part: ABORT, FAIL" 1 run -append nosuchpart
t_grep "unknown part: named" "^ABORT: nosuchpart: unknown part 'nosuchpart'" "$T_OUT"
t_status "no arguments: a payload that checks nothing fails" 1 run
t_status "EL2: refused with SKIP and a reason" 77 run -M virt,gic-version=3,virtualization=on -append setup
t_grep "EL2: says why" '^SKIP: selftest was entered at EL2' "$T_OUT"
t_done
