"""scripts/matrix/controls.py: which KVM register userspace would write to
give a guest a value it sees -- the link between a fingerprint key (gvfp's
names) and a register of gvkvm's (host/regnames.c's names), for the pin
classification (classify.py).

ID registers are gvfp's own: its diff names the register of a key.  The
rest is KVM's interface (the firmware pseudo-registers and the ID
registers' rules in Linux's Documentation/virt/kvm/arm/), written down
once here:
  - firmware answers follow the firmware pseudo-registers: PSCI's version
    decides which PSCI functions exist, the workaround registers the
    SMCCC_ARCH_FEATURES answers, the bitmaps the TRNG, PV-time and KVM
    vendor services;
  - CCSIDR_EL1 of a cache is KVM's register at that CSSELR (Level-1 << 1 |
    InD; the guest's CLIDR_EL1 says which caches there are);
  - MIDR_EL1, REVIDR_EL1 and AIDR_EL1 take a value only with
    KVM_CAP_ARM_WRITABLE_IMP_ID_REGS enabled (6.15 on).
Everything else the guest sees (the counter's frequency, PMU event
counters' presence, traps and probes, cache geometry past CSSELR) has no
register: the classification calls it not expressible."""
import re

# (fingerprint key prefix, KVM firmware pseudo-register), first match wins.
FIRMWARE = [
    ("fw.psci.", "PSCI_VERSION"),
    ("fw.smccc.arch_features.WORKAROUND_1", "SMCCC_ARCH_WORKAROUND_1"),
    ("fw.smccc.arch_features.WORKAROUND_2", "SMCCC_ARCH_WORKAROUND_2"),
    ("fw.smccc.arch_features.WORKAROUND_3", "SMCCC_ARCH_WORKAROUND_3"),
    ("fw.trng.", "STD_BMAP"),
    ("fw.pvtime.", "STD_HYP_BMAP"),
    ("fw.vendor_hyp.kvm_ptp", "VENDOR_HYP_BMAP"),
    ("fw.vendor_hyp.kvm_features", "VENDOR_HYP_BMAP"),
]

# The capability a register needs before KVM takes a value for it.
NEEDS_CAPABILITY = {
    "MIDR_EL1": "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS",
    "REVIDR_EL1": "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS",
    "AIDR_EL1": "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS",
}

# gvfp's cache labels: CCSIDR_EL1.L1D, .L1I, .L2U ...
_CACHE = re.compile(r"^CCSIDR_EL1\.L([1-7])([DIU])$")


def register_for(change):
    """The KVM register (gvkvm's name) that controls what a gvfp diff
    change shows, or None when no register does."""
    key = change.get("key", "")
    for prefix, reg in FIRMWARE:
        if key.startswith(prefix):
            return reg
    m = _CACHE.match(key[len("sysreg."):] if key.startswith("sysreg.") else "")
    if m:
        level, kind = int(m.group(1)), m.group(2)
        return "CCSIDR_EL1[csselr=%d]" % (((level - 1) << 1) | (kind == "I"))
    reg = change.get("register")
    # A register read by name, or by its encoding in the ID space; not a
    # per-vCPU or per-cache copy (sysreg.cpu0.*, sysreg.CCSIDR2_EL1.L1D).
    if reg and (key.startswith("idspace.") or (key.startswith("sysreg.") and key.count(".") == 1)):
        return reg
    return None
