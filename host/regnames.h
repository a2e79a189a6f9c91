/*
 * regnames.h: names for the 64-bit KVM ONE_REG register ids that QEMU's
 * cpreg lists carry (KVM's own ids under KVM; the same encodings for its
 * emulated registers under TCG), and whether the guest can change each one.
 *
 * A migration destination refuses a stream whose read-only values differ
 * from its own, while live state always differs between two snapshots: the
 * kind says which of the two a difference is.
 */
#ifndef GUESTVIEW_HOST_REGNAMES_H
#define GUESTVIEW_HOST_REGNAMES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum reg_kind {
	REGK_STATE,	/* live state the guest or VMM changes */
	REGK_ID,	/* identification: idregs.def, the rest of the feature ID
			 * space, CCSIDR (KVM demux), AArch32 ID views */
	REGK_FIRMWARE,	/* KVM firmware pseudo-register (PSCI version, SMCCC
			 * workarounds, hypercall bitmaps) */
	REGK_RO,	/* another register the guest can only read
			 * (SYSREG_RO in sysreg_names.def, SVE_VLS) */
};

/* Longest name regname() writes, with its NUL. */
#define REGNAME_MAX 64

/*
 * Writes the name of the register id to buf (REGNAME_MAX bytes) and returns
 * its kind.  Every id gets a name: an architectural or KVM one when known,
 * else the generic S<op0>_<op1>_C<n>_C<m>_<op2> of a system register,
 * cp15:c<CRn>,<opc1>,c<CRm>,<opc2> of an AArch32 one (cp15:<opc1>,c<CRm>(64)
 * for a 64-bit one; ":S" marks QEMU's secure bank), or 0x%016llx.  An
 * AArch32 name in parentheses is the register's (an ID register's AArch32
 * name; for cp14, the AArch64 debug register with the same encoding).
 */
enum reg_kind regname(uint64_t id, char *buf);
/*
 * The idregs.def register (enum idreg_id) that id stands for: its AArch64
 * encoding, or (*aarch32 set) its AArch32 view in cp15 c0 (ID_MMFR0 for
 * ID_MMFR0_EL1); -1 for any other register.
 */
int regname_idreg(uint64_t id, bool *aarch32);

/* A system register's encoding (op0, op1, CRn, CRm, op2). */
struct sysreg_enc {
	unsigned int op0, op1, crn, crm, op2;
};
/* The encoding of a 64-bit arm64 KVM system-register id; false for any other id. */
bool regname_sysreg_enc(uint64_t id, struct sysreg_enc *e);
/* Is id a register of the 192-slot feature ID space (idregs.h)?  Its slot. */
bool regname_idspace_slot(uint64_t id, unsigned int *slot);
const char *reg_kind_label(enum reg_kind kind);	/* "state", "id", "firmware", "read-only" */

static inline bool reg_kind_readonly(enum reg_kind kind)
{
	return kind != REGK_STATE;
}

/* The KVM id of an AArch64 system register. */
#define KVM_SYSREG_ID(op0, op1, crn, crm, op2)                                   \
	(0x6030000000130000ULL | (uint64_t)(op0) << 14 | (uint64_t)(op1) << 11 |  \
	 (uint64_t)(crn) << 7 | (uint64_t)(crm) << 3 | (uint64_t)(op2))

/* tables/sysreg_names.def as data, also for the table's own checks. */
struct sysreg_name {
	const char *name;
	uint8_t op0, op1, crn, crm, op2;
	bool ro;
};
extern const struct sysreg_name sysreg_names[];
extern const size_t nr_sysreg_names;

struct cpreg_name {		/* AArch32: CP32 and CP64 lines */
	const char *name;
	uint8_t cp, is64, opc1, crn, crm, opc2;
	bool ro;
};
extern const struct cpreg_name cpreg_names[];
extern const size_t nr_cpreg_names;

#endif
