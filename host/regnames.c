/*
 * regnames.c: naming KVM ONE_REG ids (Linux Documentation/virt/kvm/api.rst,
 * "KVM_SET_ONE_REG", arm64 and arm sections; uapi asm/kvm.h).
 *
 *   bits 63:56  architecture: 0x60 arm64, 0x40 arm (QEMU TCG's AArch32 cp regs)
 *   bits 55:52  size: 2 = 32 bits, 3 = 64, 4 = 128, 6 = 512, 8 = 2048
 *   bits 27:16  class (arm64): 0x10 core (struct kvm_regs), 0x11 demux
 *               (CCSIDR), 0x13 system register, 0x14 firmware, 0x15 SVE,
 *               0x16 firmware feature bitmaps; (arm) the coprocessor number
 *
 * System registers are named from idregs.def first (so an ID register is
 * written once in this project), then sysreg_names.def.
 */
#include "regnames.h"

#include "idregs.h"

#include <stdio.h>
#include <string.h>

#define NO_CP(name, cp, opc1, crn, crm, opc2)
#define NO_CP64(name, cp, opc1, crm)
#define NO_SYSREG(name, op0, op1, crn, crm, op2)

const struct sysreg_name sysreg_names[] = {
#define SYSREG(name, op0, op1, crn, crm, op2) { #name, op0, op1, crn, crm, op2, false },
#define SYSREG_RO(name, op0, op1, crn, crm, op2) { #name, op0, op1, crn, crm, op2, true },
#define CP32 NO_CP
#define CP32_RO NO_CP
#define CP64 NO_CP64
#define CP64_RO NO_CP64
#include "sysreg_names.def"
#undef SYSREG
#undef SYSREG_RO
#undef CP32
#undef CP32_RO
#undef CP64
#undef CP64_RO
};
const size_t nr_sysreg_names = sizeof(sysreg_names) / sizeof(sysreg_names[0]);

const struct cpreg_name cpreg_names[] = {
#define SYSREG NO_SYSREG
#define SYSREG_RO NO_SYSREG
#define CP32(name, cp, opc1, crn, crm, opc2) { #name, cp, 0, opc1, crn, crm, opc2, false },
#define CP32_RO(name, cp, opc1, crn, crm, opc2) { #name, cp, 0, opc1, crn, crm, opc2, true },
#define CP64(name, cp, opc1, crm) { #name, cp, 1, opc1, 0, crm, 0, false },
#define CP64_RO(name, cp, opc1, crm) { #name, cp, 1, opc1, 0, crm, 0, true },
#include "sysreg_names.def"
#undef SYSREG
#undef SYSREG_RO
#undef CP32
#undef CP32_RO
#undef CP64
#undef CP64_RO
};
const size_t nr_cpreg_names = sizeof(cpreg_names) / sizeof(cpreg_names[0]);

#define ARCH_MASK 0xff00000000000000ULL
#define ARCH_ARM64 0x6000000000000000ULL
#define ARCH_ARM 0x4000000000000000ULL
#define SIZE_SHIFT 52
#define SIZE_U32 2u
#define SIZE_U64 3u
#define CLASS_SHIFT 16
#define CLASS_MASK 0xfffu

enum {
	CLASS_CORE = 0x10,
	CLASS_DEMUX = 0x11,
	CLASS_SYSREG = 0x13,
	CLASS_FW = 0x14,
	CLASS_SVE = 0x15,
	CLASS_FW_BMAP = 0x16,
};

/* QEMU's AArch32 ids: ENCODE_CP_REG's non-secure bank bit, kept by cpreg_to_kvm_id. */
#define CP_NS_BIT (1ULL << 29)

const char *reg_kind_label(enum reg_kind kind)
{
	switch (kind) {
	case REGK_ID:
		return "id";
	case REGK_FIRMWARE:
		return "firmware";
	case REGK_RO:
		return "read-only";
	case REGK_STATE:
		break;
	}
	return "state";
}

/* The one place that takes a KVM system-register id apart. */
bool regname_sysreg_enc(uint64_t id, struct sysreg_enc *e)
{
	unsigned int op0 = (id >> 14) & 3, op1 = (id >> 11) & 7, crn = (id >> 7) & 15;
	unsigned int crm = (id >> 3) & 15, op2 = id & 7;

	if ((id & ARCH_MASK) != ARCH_ARM64 || (id & 0x000ffffff0000000ULL) ||
	    ((id >> CLASS_SHIFT) & CLASS_MASK) != CLASS_SYSREG || ((id >> SIZE_SHIFT) & 0xf) != SIZE_U64)
		return false;
	*e = (struct sysreg_enc){ op0, op1, crn, crm, op2 };
	return true;
}

bool regname_idspace_slot(uint64_t id, unsigned int *slot)
{
	struct sysreg_enc e;

	if (!regname_sysreg_enc(id, &e) || e.op0 != 3 || e.crn != 0 || e.crm > 7 ||
	    (e.op1 != 0 && e.op1 != 1 && e.op1 != 3))
		return false;
	*slot = IDSPACE_SLOT(e.op1, e.crm, e.op2);
	return true;
}

static enum reg_kind sysreg(uint64_t id, char *buf)
{
	struct sysreg_enc e;
	unsigned int op0, op1, crn, crm, op2;

	regname_sysreg_enc(id, &e);
	op0 = e.op0, op1 = e.op1, crn = e.crn, crm = e.crm, op2 = e.op2;

	/* KVM_REG_ARM_TIMER_CVAL/_CNT: KVM swapped the two encodings. */
	if (id == KVM_SYSREG_ID(3, 3, 14, 0, 2)) {
		snprintf(buf, REGNAME_MAX, "CNTVCT_EL0/KVM:TIMER_CVAL");
		return REGK_STATE;
	}
	if (id == KVM_SYSREG_ID(3, 3, 14, 3, 2)) {
		snprintf(buf, REGNAME_MAX, "CNTV_CVAL_EL0/KVM:TIMER_CNT");
		return REGK_STATE;
	}
	for (int i = 0; i < NR_IDREGS; i++) {
		const struct idreg_desc *r = &idregs[i];

		if (r->op0 == op0 && r->op1 == op1 && r->crn == crn && r->crm == crm && r->op2 == op2) {
			snprintf(buf, REGNAME_MAX, "%s", r->name);
			return REGK_ID;
		}
	}
	for (size_t i = 0; i < nr_sysreg_names; i++) {
		const struct sysreg_name *r = &sysreg_names[i];

		if (r->op0 == op0 && r->op1 == op1 && r->crn == crn && r->crm == crm && r->op2 == op2) {
			snprintf(buf, REGNAME_MAX, "%s", r->name);
			return r->ro ? REGK_RO : REGK_STATE;
		}
	}
	snprintf(buf, REGNAME_MAX, "S%u_%u_C%u_C%u_%u", op0, op1, crn, crm, op2);
	/* An unallocated slot of the feature ID space is still an ID register (RAZ). */
	if (op0 == 3 && (op1 == 0 || op1 == 1 || op1 == 3) && crn == 0 && crm < 8)
		return REGK_ID;
	return REGK_STATE;
}

/* Offsets into struct kvm_regs, in 32-bit words (api.rst's table). */
static enum reg_kind core(uint64_t id, char *buf)
{
	static const char *const spsr[] = { "EL1", "ABT", "UND", "IRQ", "FIQ" };
	unsigned int off = id & 0xffff;

	if (off < 62 && !(off & 1))
		snprintf(buf, REGNAME_MAX, "core:regs.regs[%u]", off / 2);
	else if (off == 62)
		snprintf(buf, REGNAME_MAX, "core:regs.sp");
	else if (off == 64)
		snprintf(buf, REGNAME_MAX, "core:regs.pc");
	else if (off == 66)
		snprintf(buf, REGNAME_MAX, "core:regs.pstate");
	else if (off == 68)
		snprintf(buf, REGNAME_MAX, "core:sp_el1");
	else if (off == 70)
		snprintf(buf, REGNAME_MAX, "core:elr_el1");
	else if (off >= 72 && off < 82 && !(off & 1))
		snprintf(buf, REGNAME_MAX, "core:spsr[%s]", spsr[(off - 72) / 2]);
	else if (off >= 84 && off < 212 && !(off & 3))
		snprintf(buf, REGNAME_MAX, "core:fp_regs.vregs[%u]", (off - 84) / 4);
	else if (off == 212)
		snprintf(buf, REGNAME_MAX, "core:fp_regs.fpsr");
	else if (off == 213)
		snprintf(buf, REGNAME_MAX, "core:fp_regs.fpcr");
	else
		snprintf(buf, REGNAME_MAX, "core:0x%x", off);
	return REGK_STATE;
}

static enum reg_kind firmware(unsigned int cls, unsigned int idx, char *buf)
{
	/* uapi asm/kvm.h: KVM_REG_ARM_FW_REG(n) and KVM_REG_ARM_FW_FEAT_BMAP_REG(n). */
	static const char *const fw[] = {
		"PSCI_VERSION", "SMCCC_ARCH_WORKAROUND_1", "SMCCC_ARCH_WORKAROUND_2",
		"SMCCC_ARCH_WORKAROUND_3",
	};
	static const char *const bmap[] = {
		"STD_BMAP", "STD_HYP_BMAP", "VENDOR_HYP_BMAP",
		"VENDOR_HYP_BMAP_2",	/* Linux 6.16 */
	};

	if (cls == CLASS_FW && idx < sizeof(fw) / sizeof(fw[0]))
		snprintf(buf, REGNAME_MAX, "%s", fw[idx]);
	else if (cls == CLASS_FW_BMAP && idx < sizeof(bmap) / sizeof(bmap[0]))
		snprintf(buf, REGNAME_MAX, "%s", bmap[idx]);
	else
		snprintf(buf, REGNAME_MAX, "%s:%u", cls == CLASS_FW ? "fw" : "fw_bmap", idx);
	return REGK_FIRMWARE;
}

/* KVM_REG_ARM64_SVE_ZREG/PREG/FFR(n, slice) and KVM_REG_ARM64_SVE_VLS. */
static enum reg_kind sve(unsigned int low, char *buf)
{
	unsigned int n = (low >> 5) & 0x1f, slice = low & 0x1f;

	if (low == 0xffff) {
		snprintf(buf, REGNAME_MAX, "SVE_VLS");
		return REGK_RO;	/* the vector lengths the guest may use */
	}
	if ((low & 0xfc00) == 0)
		snprintf(buf, REGNAME_MAX, "SVE_Z%u[%u]", n, slice);
	else if ((low & 0xfe00) == 0x400)
		snprintf(buf, REGNAME_MAX, "SVE_P%u[%u]", n & 0xf, slice);
	else if ((low & 0xffe0) == 0x600)
		snprintf(buf, REGNAME_MAX, "SVE_FFR[%u]", slice);
	else
		snprintf(buf, REGNAME_MAX, "sve:0x%x", low);
	return REGK_STATE;
}

/*
 * QEMU's AArch32 ids: cpreg_to_kvm_id() of ENCODE_CP_REG(cp, is64, ns, crn,
 * crm, opc1, opc2), i.e. KVM/arm's layout plus the non-secure bank bit 29.
 * Named from the CP32/CP64 lines, else cp14 from the AArch64 debug register
 * with the same encoding, cp15 c0 from idregs.def (ID_xxx_EL1's AArch32
 * view is ID_xxx; the MVFRs are not in cp15).
 */
static const char *aarch32_name(unsigned int cp, bool is64, unsigned int opc1, unsigned int crn,
				 unsigned int crm, unsigned int opc2, bool *ro, char *tmp, size_t tmplen)
{
	for (size_t i = 0; i < nr_cpreg_names; i++) {
		const struct cpreg_name *c = &cpreg_names[i];

		if (c->cp == cp && c->is64 == is64 && c->opc1 == opc1 && c->crn == crn &&
		    c->crm == crm && c->opc2 == opc2) {
			*ro = c->ro;
			return c->name;
		}
	}
	for (size_t i = 0; cp == 14 && !is64 && i < nr_sysreg_names; i++) {
		const struct sysreg_name *r = &sysreg_names[i];

		if (r->op0 == 2 && r->op1 == opc1 && r->crn == crn && r->crm == crm && r->op2 == opc2) {
			*ro = r->ro;
			return r->name;
		}
	}
	for (int i = 0; cp == 15 && !is64 && crn == 0 && opc1 == 0 && i < NR_IDREGS; i++) {
		const struct idreg_desc *r = &idregs[i];
		size_t len = strlen(r->name);

		if (r->op0 == 3 && r->op1 == 0 && r->crn == 0 && r->crm == crm && r->op2 == opc2 &&
		    crm >= 1 && crm <= 3 && !strncmp(r->name, "ID_", 3) && len > 4 && len - 4 < tmplen &&
		    !strcmp(r->name + len - 4, "_EL1")) {
			memcpy(tmp, r->name, len - 4);
			tmp[len - 4] = '\0';
			return tmp;
		}
	}
	return NULL;
}

static enum reg_kind aarch32(uint64_t id, char *buf)
{
	unsigned int cp = (id >> CLASS_SHIFT) & CLASS_MASK;
	bool is64 = ((id >> SIZE_SHIFT) & 0xf) == SIZE_U64, ro = false;
	unsigned int crn = is64 ? 0 : (id >> 11) & 15, crm = (id >> 7) & 15;
	unsigned int opc1 = (id >> 3) & 7, opc2 = is64 ? 0 : id & 7;
	const char *bank = (id & CP_NS_BIT) ? "" : ":S";	/* QEMU's secure copy */
	char tmp[24], enc[24];	/* tmp: "ID_MMFR4" and the like */
	const char *name = aarch32_name(cp, is64, opc1, crn, crm, opc2, &ro, tmp, sizeof(tmp));

	if (is64)
		snprintf(enc, sizeof(enc), "cp%u:%u,c%u(64)", cp, opc1, crm);
	else
		snprintf(enc, sizeof(enc), "cp%u:c%u,%u,c%u,%u", cp, crn, opc1, crm, opc2);
	snprintf(buf, REGNAME_MAX, "%s%s%s%.24s%s", enc, bank, name ? "(" : "", name ? name : "",
		 name ? ")" : "");
	/* The AArch32 views of the feature ID space; CSSELR (opc1 2) selects. */
	if (cp == 15 && !is64 && crn == 0 && opc1 <= 1)
		return REGK_ID;
	return ro ? REGK_RO : REGK_STATE;
}

/* Through the name: the id's encoding is decoded in one place, regname(). */
int regname_idreg(uint64_t id, bool *aarch32)
{
	char name[REGNAME_MAX], el1[REGNAME_MAX];
	const char *open, *close;

	*aarch32 = false;
	if (regname(id, name) != REGK_ID)
		return -1;
	if ((id & ARCH_MASK) == ARCH_ARM64)
		return idreg_by_name(name);
	/* "cp15:c0,0,c1,2(ID_DFR0)": the AArch32 view of ID_DFR0_EL1 (aarch32_name). */
	open = strchr(name, '(');
	close = open ? strchr(open, ')') : NULL;
	if (!open || !close || close - open - 1 <= 0)
		return -1;
	snprintf(el1, sizeof(el1), "%.*s_EL1", (int)(close - open - 1), open + 1);
	*aarch32 = idreg_by_name(el1) >= 0;
	return idreg_by_name(el1);
}

enum reg_kind regname(uint64_t id, char *buf)
{
	unsigned int size = (id >> SIZE_SHIFT) & 0xf, cls = (id >> CLASS_SHIFT) & CLASS_MASK;
	uint64_t arch = id & ARCH_MASK;

	if (arch == ARCH_ARM64 && !(id & 0x000ffffff0000000ULL)) {
		switch (cls) {
		case CLASS_SYSREG:
			if (size == SIZE_U64)
				return sysreg(id, buf);
			break;
		case CLASS_CORE:
			return core(id, buf);
		case CLASS_DEMUX:
			/* KVM_REG_ARM_DEMUX_ID_CCSIDR: one CCSIDR_EL1 per CSSELR value. */
			if ((id & 0xff00) == 0) {
				snprintf(buf, REGNAME_MAX, "CCSIDR_EL1[csselr=%u]", (unsigned int)(id & 0xff));
				return REGK_ID;
			}
			break;
		case CLASS_FW:
		case CLASS_FW_BMAP:
			return firmware(cls, id & 0xffff, buf);
		case CLASS_SVE:
			return sve(id & 0xffff, buf);
		}
	} else if (arch == ARCH_ARM && (size == SIZE_U32 || size == SIZE_U64) &&
		   !(id & 0x000fffffd0000000ULL)) {
		return aarch32(id, buf);
	}
	snprintf(buf, REGNAME_MAX, "0x%016llx", (unsigned long long)id);
	return REGK_STATE;
}
