#!/bin/bash
# tests/gvkvm/json.sh: the JSON gvkvm info and gvkvm try print, against a
# fake kernel (--fake-kvm tests/gvkvm/data/*.json: values, refused bits,
# writable masks); one kernel's info fed to another's try, as the matrix
# does; exit statuses; the error when there is no KVM to ask.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvkvm ] || t_skip "host/gvkvm not built (make)"
command -v python3 >/dev/null || t_skip "needs python3"
D=tests/gvkvm/data
tmp=$(t_tmpdir)
# q FILE EXPR: a Python expression over the document d.
q() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>&1; }
# qx FILE STATEMENTS: the same, statements that print.
qx() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); exec(sys.argv[2])' "$1" "$2" 2>&1; }

# --- info -------------------------------------------------------------------
host/gvkvm --fake-kvm $D/fake-kernel.json info >"$tmp/info.json" 2>"$tmp/info.err"
t_eq "info: exit 0" 0 $?
t_eq "info: one JSON object, tool and command" "gvkvm info" "$(q "$tmp/info.json" 'd["tool"] + " " + d["command"]')"
t_eq "info: the API version" 12 "$(q "$tmp/info.json" 'd["api_version"]')"
t_eq "info: every capability named with its KVM_CHECK_EXTENSION value" "1 0 1 0" \
	"$(q "$tmp/info.json" '" ".join(str(d["capabilities"][c]) for c in ("KVM_CAP_ARM_PMU_V3", "KVM_CAP_ARM_SVE", "KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES", "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS"))')"
t_eq "info: the vCPU's target and the features asked for" "5 ['psci-0.2', 'pmu-v3'] False" \
	"$(q "$tmp/info.json" '"%s %s %s" % (d["vcpu"]["target"], d["vcpu"]["features"], d["vcpu"]["imp_id_regs_writable"])')"
t_eq "info: the register list, counted, each with id, name and kind" "8 True" \
	"$(q "$tmp/info.json" '"%d %s" % (d["register_count"], all(set(r) == {"id", "name", "kind"} for r in d["registers"]) and len(d["registers"]) == 8)')"
t_eq "info: TCR2_EL1 is state, PSCI_VERSION firmware, ID_AA64MMFR1_EL1 id" "state firmware id" \
	"$(q "$tmp/info.json" '" ".join({r["name"]: r["kind"] for r in d["registers"]}[n] for n in ("TCR2_EL1", "PSCI_VERSION", "ID_AA64MMFR1_EL1"))')"
t_eq "info: values of the ID and firmware registers only, as 0x and 16 digits" \
	"['MIDR_EL1', 'ID_AA64PFR0_EL1', 'ID_AA64MMFR1_EL1', 'ID_AA64DFR0_EL1', 'S3_0_C0_C3_3', 'PSCI_VERSION', 'STD_BMAP'] True" \
	"$(q "$tmp/info.json" '"%s %s" % (list(d["values"]), all(len(v) == 18 and v.startswith("0x") for v in d["values"].values()))')"
t_eq "info: writable masks supported, all 192 slots, by name" "True 192 0xf0fff0ff0f0f00ff" \
	"$(q "$tmp/info.json" '"%s %d %s" % (d["writable_masks"]["supported"], len(d["writable_masks"]["masks"]), d["writable_masks"]["masks"]["ID_AA64MMFR1_EL1"])')"
host/gvkvm --fake-kvm $D/fake-nomasks.json info >"$tmp/info2.json"
t_eq "info: a kernel without the masks says so, and why" "False True" \
	"$(q "$tmp/info2.json" '"%s %s" % (d["writable_masks"]["supported"], d["writable_masks"]["reason"].startswith("not supported"))')"

# --- try ----------------------------------------------------------------------
host/gvkvm --fake-kvm $D/fake-kernel.json try $D/try-6.1.json >"$tmp/try.json" 2>"$tmp/try.err"
t_eq "try: a refusal is exit 1" 1 $?
t_eq "try: one entry per register of the file, in its order, with its line" \
	"MIDR_EL1:2 ID_AA64MMFR1_EL1:3 ID_AA64DFR0_EL1:4 ID_AA64PFR0_EL1:5 PSCI_VERSION:6 STD_BMAP:7 S2_0_C0_C3_1:8" \
	"$(q "$tmp/try.json" '" ".join("%s:%d" % (r["name"], r["line"]) for r in d["registers"])')"
t_eq "try: HCX 1 -> 0 refused with EPERM, named from tables/idregs.def" "refused EPERM HCX 0x1 0x0 refused EPERM False" \
	"$(qx "$tmp/try.json" 'r = d["registers"][1]; f = r["fields"][0]; print(r["result"], r["errno"], f["name"], f["current"], f["requested"], f["result"], f["errno"], f["mask_writable"])')"
t_eq "try: the ioctl that refused is named" KVM_SET_ONE_REG "$(q "$tmp/try.json" 'd["registers"][1]["ioctl"]')"
t_eq "try: of two fields, the accepted one and the refused one" "PMUVer:accepted DebugVer:refused" \
	"$(q "$tmp/try.json" '" ".join("%s:%s" % (f["name"], f["result"]) for f in d["registers"][2]["fields"])')"
t_eq "try: a register equal to the current value: not differing, accepted" "False accepted" \
	"$(q "$tmp/try.json" '"%s %s" % (d["registers"][0]["differs"], d["registers"][0]["result"])')"
t_eq "try: a firmware register refused: no fields" "refused False" \
	"$(q "$tmp/try.json" '"%s %s" % (d["registers"][4]["result"], "fields" in d["registers"][4])')"
t_eq "try: a register the kernel lacks: current null, refused ENOENT" "None ENOENT ENOENT" \
	"$(qx "$tmp/try.json" 'r = d["registers"][6]; print(r["current"], r["current_errno"], r["errno"])')"
t_eq "try: the register's writable mask (ID space) or null" "0xf0fff0ff0f0f00ff None" \
	"$(q "$tmp/try.json" '"%s %s" % (d["registers"][1]["writable_mask"], d["registers"][4]["writable_mask"])')"
t_eq "try: the summary: 1 of 5 differing accepted, 4 refused, named" \
	"7 5 1 4 ['ID_AA64MMFR1_EL1.HCX (EPERM)', 'ID_AA64DFR0_EL1.DebugVer (EPERM)', 'PSCI_VERSION (EPERM)', 'S2_0_C0_C3_1 (ENOENT)']" \
	"$(qx "$tmp/try.json" 's = d["summary"]; print(s["tried"], s["differing"], s["accepted"], s["refused"], s["refused_names"])')"

# One kernel's info is another's try file.
host/gvkvm --fake-kvm $D/fake-nomasks.json info >"$tmp/a.json"
host/gvkvm --fake-kvm $D/fake-kernel.json try "$tmp/a.json" >"$tmp/a-on-b.json"
t_eq "try of another kernel's info: its values are the file (exit 1: HCX refused)" \
	"1 ['ID_AA64MMFR1_EL1', 'PSCI_VERSION'] ['ID_AA64MMFR1_EL1.HCX (EPERM)']" \
	"$(rc=$(host/gvkvm --fake-kvm $D/fake-kernel.json try "$tmp/a.json" >/dev/null; echo $?); echo "$rc $(q "$tmp/a-on-b.json" '"%s %s" % ([r["name"] for r in d["registers"]], d["summary"]["refused_names"])')")"
t_eq "try: the line numbers are those of the info document" True \
	"$(q "$tmp/a-on-b.json" 'd["registers"][0]["line"] > 10')"
host/gvkvm --fake-kvm $D/fake-kernel.json info >"$tmp/b.json"
t_status "try of a kernel's own info: everything accepted, exit 0" 0 \
	host/gvkvm --fake-kvm $D/fake-kernel.json try "$tmp/b.json"
t_eq "try of a kernel's own info: nothing differs" "0 0 0" \
	"$(q "$T_OUT" '"%s %s %s" % (d["summary"]["differing"], d["summary"]["accepted"], d["summary"]["refused"])')"
host/gvkvm --fake-kvm $D/fake-nomasks.json try $D/try-6.1.json >"$tmp/nm.json" 2>/dev/null
t_eq "try on a kernel without masks: said, and no mask per register" "False None" \
	"$(q "$tmp/nm.json" '"%s %s" % (d["writable_masks_supported"], d["registers"][1]["writable_mask"])')"

# --- no KVM -------------------------------------------------------------------
if [ "$(uname -m)" != aarch64 ] || [ ! -e /dev/kvm ]; then
	host/gvkvm info >"$tmp/err.json" 2>"$tmp/err.txt"
	t_eq "no KVM here: exit 3" 3 $?
	t_eq "no KVM here: the JSON's error names what failed and the errno" True \
		"$(q "$tmp/err.json" 'd["error"]["ioctl"].startswith("open /dev/kvm") and d["error"]["errno"] in ("ENOENT", "errno 19", "EACCES")')"
	t_grep "no KVM here: said on stderr too" '^gvkvm: KVM: open /dev/kvm' "$tmp/err.txt"
fi
t_done
