#!/bin/bash
# tests/gvkvm/report.sh: the matrix report's gvkvm parts (collect.py's
# kvm_info and kvm_try, render_text.py's line per pair), from the JSON
# host/gvkvm prints for fake kernels, laid out as run-matrix.sh leaves it
# (kernels/kN/kvm.json, kernels/kN/pairs/kM.try.json).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 2
[ -x host/gvkvm ] || t_skip "host/gvkvm not built (make)"
command -v python3 >/dev/null || t_skip "needs python3"
D=tests/gvkvm/data
tmp=$(t_tmpdir)
mkdir -p "$tmp/out/kernels/k1/pairs" "$tmp/out/kernels/k2" "$tmp/out/kernels/k3"
host/gvkvm --fake-kvm $D/fake-nomasks.json info >"$tmp/out/kernels/k1/kvm.json"
host/gvkvm --fake-kvm $D/fake-kernel.json info >"$tmp/out/kernels/k2/kvm.json"
host/gvkvm --fake-kvm $D/fake-kernel.json try "$tmp/out/kernels/k1/kvm.json" >"$tmp/out/kernels/k1/pairs/k2.try.json"
echo '{"tool": "gvkvm", "command": "info", "kernel": "x", "error": {"ioctl": "KVM_CREATE_VM", "errno": "EINVAL", "message": "Invalid argument"}}' \
	>"$tmp/out/kernels/k3/kvm.json"

# py CODE: with collect (C), render_text (R), the three kernels K.
py() {
	PYTHONPATH=scripts/matrix python3 -c '
import sys, collect as C, render_text as R
out = sys.argv[1]
K = [{"id": "k%d" % n, "label": l, "status": "ok"} for n, l in ((1, "6.1"), (2, "6.12"), (3, "7.3"))]
for k in K:
    k["kvm_info"] = C.kvm_info(out + "/kernels/" + k["id"])
'"$1" "$tmp/out" 2>&1
}
t_eq "kvm_info: the facts of a kernel's info" "ok 2 2 False" \
	"$(py 'i = K[0]["kvm_info"]; print(i["status"], i["register_count"], i["values"], i["writable_masks_supported"])')"
t_eq "kvm_info: masks supported on the other" True "$(py 'print(K[1]["kvm_info"]["writable_masks_supported"])')"
t_eq "kvm_info: an info that failed names the ioctl" "error KVM_CREATE_VM: Invalid argument (EINVAL)" \
	"$(py 'i = K[2]["kvm_info"]; print(i["status"], i["reason"])')"
t_eq "kvm_try: the counts and the refused fields" "ok 1 1 0 ['ID_AA64MMFR1_EL1.HCX (EPERM)']" \
	"$(py 't = C.kvm_try(out, K[0], K[1]); print(t["status"], t["differing"], t["refused"], t["accepted"], t["refused_names"])')"
t_eq "kvm_try: a pair without a file says why (no info from the source)" \
	"missing no gvkvm info from 7.3: KVM_CREATE_VM: Invalid argument (EINVAL)" \
	"$(py 't = C.kvm_try(out, K[2], K[0]); print(t["status"], t["reason"])')"
t_eq "render: the line per pair" \
	"userspace could pin: 0 of 1 differing registers accepted; refused: ID_AA64MMFR1_EL1.HCX (EPERM)" \
	"$(py 'print(R.pin_line(C.kvm_try(out, K[0], K[1])))')"
t_eq "render: a pair with no result" "userspace could pin: not known (no k1.try.json)" \
	"$(py 'print(R.pin_line(C.kvm_try(out, K[1], K[0])))')"
t_done
