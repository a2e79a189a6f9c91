#!/bin/bash
# tests/matrix/classify.sh: the pin classification (scripts/matrix/classify.py)
# offline, from recorded inputs: tests/matrix/data/pin-6.1-6.12.json holds
# what pins.py gathered in a real 6.1 + 6.12 matrix (its "_source" says
# which run).  The expectations are the kernels' own answers in those
# inputs (gvkvm try: accepted, refused, the field, the errno; QEMU's load
# error), not what classify.py printed.  A few variants of the recorded
# pair (marked as such) cover what that run could not show: a pin that
# loaded, and a capability.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT/scripts/matrix" || exit 2
data=$T_ROOT/tests/matrix/data/pin-6.1-6.12.json

# ex DESC WANT EXPR: a check, WANT against the Python expression EXPR
# (a tuple reads as its items joined by spaces); ex_run evaluates them all
# in one Python.  In EXPR: up, down: the recorded pairs 6.1 -> 6.12 and
# back; C: classify_pair; R(pair): {key: row}; TRY(pair): {register: gvkvm
# try entry}; controls, classify, render_pins: the modules.
EX_DESC=() EX_WANT=() EX_EXPR=()
ex() { EX_DESC+=("$1"); EX_WANT+=("$2"); EX_EXPR+=("$3"); }
PY_SETUP='
import json, sys
import classify, controls, render_pins
doc = json.load(open(sys.argv[1]))
F = {(p["from_label"], p["to_label"]): p for p in doc["pairs"]}
C = classify.classify_pair
R = lambda pair: {r["key"]: r for r in C(pair)["differences"]}
TRY = lambda pair: {e["name"]: e for e in pair["try"]["registers"]}
up, down = F[("6.1", "6.12")], F[("6.12", "6.1")]
import os
on73 = json.load(open(os.path.join(os.path.dirname(sys.argv[1]), "pin-6.1-7.3.json")))["pairs"][0]
PINNED = lambda pair: {c["key"] for c in pair["pin"]["pinned_changes"]}
S = lambda v: " ".join(map(str, v)) if isinstance(v, tuple) else str(v)
'
# py_eval MODE EXPR...: each EXPR's value on a line (MODE oneline: its
# newlines made spaces; text: as it is).
py_eval() {
	local mode=$1
	shift
	printf '%s\0' "$@" | python3 -c "$PY_SETUP"'
for e in sys.stdin.read().split("\0")[:-1]:
    try:
        v = S(eval(e))
    except Exception as x:
        v = "%s: %s" % (type(x).__name__, x)
    print(v.replace("\n", " ") if sys.argv[2] == "oneline" else v)' "$data" "$mode" 2>&1
}
ex_run() {
	local i got=()
	mapfile -t got < <(py_eval oneline "${EX_EXPR[@]}")
	for i in "${!EX_DESC[@]}"; do t_eq "${EX_DESC[$i]}" "${EX_WANT[$i]}" "${got[$i]:-}"; done
}

# What the kernels said, read from the recorded inputs themselves.
ex "recorded: 6.12's KVM refused 6.1's ID_AA64MMFR1_EL1, field HCX, EINVAL" "refused HCX EINVAL" \
	'" ".join([TRY(up)["ID_AA64MMFR1_EL1"]["result"]] + [f["name"] + " " + f["errno"] for f in TRY(up)["ID_AA64MMFR1_EL1"]["fields"] if f["result"] == "refused"])'
ex "recorded: neither boot state loaded (QEMU refused both)" "False False" 'up["pin"]["loaded"], down["pin"]["loaded"]'

# Upgrade 6.1 -> 6.12: the refusal named from 6.12's own answer.
ex "6.1 -> 6.12: ID_AA64MMFR1_EL1 is refused by 6.12's KVM" refused 'R(up)["sysreg.ID_AA64MMFR1_EL1"]["class"]'
ex "6.1 -> 6.12: the refusal names the field, both values and the errno" \
	"6.12 refuses ID_AA64MMFR1_EL1 = 0x0000001010211122: field HCX (0x0, is 0x1) not writable (EINVAL)" \
	'R(up)["sysreg.ID_AA64MMFR1_EL1"]["why"]'
# Every other difference whose register 6.12 accepted (and that differs
# in KVM's own values) is "accepted": the load failed for HCX alone.
ex "6.1 -> 6.12: the registers 6.12 accepted are 'accepted', not pinned (the guest never ran there)" True \
	'all(R(up)[c["key"]]["class"] == "accepted" for c in up["changes"] if TRY(up).get(controls.register_for(c), {}).get("result") == "accepted" and TRY(up)[controls.register_for(c)]["differs"])'
ex "6.1 -> 6.12: those are the ID_DFR0/ID_AA64DFR0/CLIDR/CCSIDR differences" \
	"sysreg.CCSIDR_EL1.L1D sysreg.CCSIDR_EL1.L1I sysreg.CCSIDR_EL1.L2U sysreg.CLIDR_EL1 sysreg.ID_AA64DFR0_EL1 sysreg.ID_DFR0_EL1" \
	'" ".join(sorted(k for k, r in R(up).items() if r["class"] == "accepted"))'
ex "6.1 -> 6.12: CTR_EL0 is the same in both KVMs: not expressible" not-expressible 'R(up)["sysreg.CTR_EL0"]["class"]'
ex "6.1 -> 6.12: PMCEID0_EL0 has no register" "not-expressible None" 'R(up)["pmu.PMCEID0_EL0"]["class"], R(up)["pmu.PMCEID0_EL0"]["register"]'
ex "6.1 -> 6.12: the guest does not keep its view; first because the load failed, with QEMU's error" \
	"False the boot state did not load on 6.12: qemu-system-aarch64: load of migration failed: Operation not permitted" \
	'" ".join([str(C(up)["verdict"]["keeps_view"]), C(up)["verdict"]["breaks"][0]])'
ex "6.1 -> 6.12: an upgrade" upgrade 'C(up)["verdict"]["direction"]'

# Downgrade 6.12 -> 6.1: 6.1 takes none of 6.12's values.
ex "6.12 -> 6.1: every difference a register controls is refused by 6.1's KVM" True \
	'all(R(down)[c["key"]]["class"] == "refused" for c in down["changes"] if TRY(down).get(controls.register_for(c), {}).get("result") == "refused")'
ex "6.12 -> 6.1: PMUVer and DebugVer named" "PMUVer DebugVer" '" ".join(R(down)["sysreg.ID_AA64DFR0_EL1"]["refused_fields"])'
ex "6.12 -> 6.1: CCSIDR_EL1 at CSSELR 0 (L1D) is the register of the L1 data cache" "CCSIDR_EL1[csselr=0]" 'R(down)["sysreg.CCSIDR_EL1.L1D"]["register"]'
ex "6.12 -> 6.1: the registers only 6.12's stream has break it too" True \
	'any("TCR2_EL1: only in the incoming stream" in b for b in C(down)["verdict"]["breaks"])'

# 6.1 -> 7.3 (tests/matrix/data/pin-6.1-7.3.json): the boot state loaded
# and the guest printed its view on 7.3; the expectation per key is that
# print (the keys it saw differ from 6.1's own), not classify's.
ex "recorded: 6.1's boot state loaded on 7.3, the rollback to 6.1 was refused" "True REFUSED" \
	'on73["pin"]["loaded"], on73["rollback"]["outcome"]'
ex "6.1 -> 7.3: every difference the pinned guest did not see is pinned, and only those" True \
	'all((R(on73)[c["key"]]["class"] == "pinned") == (c["key"] not in PINNED(on73)) for c in on73["changes"])'
ex "6.1 -> 7.3: 6.1's PSCI 1.1 and HCX 0 pinned on 7.3" "pinned pinned" \
	'R(on73)["fw.psci.version"]["class"], R(on73)["sysreg.ID_AA64MMFR1_EL1"]["class"]'
ex "6.1 -> 7.3: the view is not kept, and what pinning itself changed is named" \
	"False True" 'C(on73)["verdict"]["keeps_view"], any(b.startswith("idspace.s3_1_c0_c0_0: the pinned guest sees") for b in C(on73)["verdict"]["breaks"])'
ex "6.1 -> 7.3: the rollback keeps QEMU's reason (7.3's longer register list)" True \
	'"Invalid value 268 expecting positive value <= 252" in " ".join(C(on73)["rollback"]["qemu_lines"])'

# Variants of the recorded pair (not observations): the boot state loads.
ex "variant: loaded, the guest saw all of 6.1's values: every row pinned, the view kept" "True pinned" \
	'(lambda p: (C(p)["verdict"]["keeps_view"], " ".join(sorted({r["class"] for r in C(p)["differences"]}))))(dict(up, pin=dict(up["pin"], loaded=True, pinned_changes=[])))'
ex "variant: loaded, the guest saw 6.12's HCX: that row is not pinned, the view not kept" "False refused" \
	'(lambda p: (C(p)["verdict"]["keeps_view"], R(p)["sysreg.ID_AA64MMFR1_EL1"]["class"]))(dict(up, pin=dict(up["pin"], loaded=True, pinned_changes=[c for c in up["changes"] if c["key"] == "sysreg.ID_AA64MMFR1_EL1"])))'
ex "variant: loaded, an accepted register the guest does not see is 'not-seen'" not-seen \
	'(lambda p: R(p)["sysreg.ID_DFR0_EL1"]["class"])(dict(up, pin=dict(up["pin"], loaded=True, pinned_changes=[c for c in up["changes"] if c["key"] == "sysreg.ID_DFR0_EL1"])))'
ex "variant: no difference, yet the load failed: the view is not kept (the guest never ran there)" False \
	'C(dict(up, changes=[]))["verdict"]["keeps_view"]'
# A MIDR_EL1 difference refused by a kernel without the capability.
midr='dict(up, changes=[{"key": "sysreg.MIDR_EL1", "register": "MIDR_EL1", "old": "0x1", "new": "0x2"}], **{"try": {"registers": [{"name": "MIDR_EL1", "result": "refused", "errno": "EINVAL", "differs": True, "requested": "0x1", "fields": []}]}})'
ex "variant: MIDR_EL1 refused without KVM_CAP_ARM_WRITABLE_IMP_ID_REGS: needs a capability" \
	"needs-capability KVM_CAP_ARM_WRITABLE_IMP_ID_REGS" \
	"(lambda p: (R(p)['sysreg.MIDR_EL1']['class'], R(p)['sysreg.MIDR_EL1']['capability']))(dict($midr, b_capabilities={}))"
ex "variant: refused with the capability there: a refusal" refused \
	"R(dict($midr, b_capabilities={'KVM_CAP_ARM_WRITABLE_IMP_ID_REGS': 1}))['sysreg.MIDR_EL1']['class']"
ex "variant: a register 6.12 lacks (ENOENT) is only in the stream: QEMU must tolerate it" tolerated-by-qemu \
	"R(dict($midr, **{'try': {'registers': [{'name': 'MIDR_EL1', 'result': 'refused', 'errno': 'ENOENT', 'differs': True, 'fields': []}]}}))['sysreg.MIDR_EL1']['class']"

# Per kernel: what it takes and refuses, from both pairs.
ex "summary: 6.12 takes the registers its KVM accepted and that differ" \
	"CCSIDR_EL1[csselr=0] CCSIDR_EL1[csselr=1] CCSIDR_EL1[csselr=2] CLIDR_EL1 ID_AA64DFR0_EL1 ID_DFR0_EL1" \
	'" ".join(classify.kernel_summary("6.12", [C(up)])["pins"])'
ex "summary: 6.12 refuses HCX" "ID_AA64MMFR1_EL1.HCX EINVAL" \
	'" ".join(x["field"] + " " + x["why"] for x in classify.kernel_summary("6.12", [C(up)])["refuses"])'
ex "summary: 6.1 takes nothing" "" '" ".join(classify.kernel_summary("6.1", [C(down)])["pins"])'

ex_run

# The text: a table row per difference, the refusal under it.
txt=$T_TMP/pins.txt
py_eval text '"\n".join(render_pins.text({"pins": [C(up), C(down)], "pin_summary": [classify.kernel_summary("6.12", [C(up)])]}, {"k1": "A", "k2": "B"}))' >"$txt"
t_grep "text: the pair's heading" '^  A -> B  \(6\.1 -> 6\.12, upgrade\)$' "$txt"
t_grep "text: the refused row" '^      sysreg\.ID_AA64MMFR1_EL1 +0x0000001010211122 +0x0000011010211122 +refused by 6\.12.s KVM$' "$txt"
t_grep "text: the kernel's answer under it" '^          6\.12 refuses ID_AA64MMFR1_EL1 = 0x0000001010211122: field HCX' "$txt"
t_grep "text: an absent value says so" '^      sysreg\.CCSIDR_EL1\.L1D +0x00000000701fe00a +absent ' "$txt"
t_grep "text: the per-kernel summary" '^  6\.12: takes CCSIDR_EL1\[csselr=0\]' "$txt"
t_done
