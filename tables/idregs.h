/*
 * idregs.h: the identification registers, their fields and the rules
 * between them, as C data built from idregs.def and idrules.def.  Compiled
 * into the guest runtime and into the host tools alike, so an encoding or
 * a field layout exists in exactly one place.
 */
#ifndef GUESTVIEW_TABLES_IDREGS_H
#define GUESTVIEW_TABLES_IDREGS_H
#include <stdbool.h>
#include <stdint.h>

enum idreg_scope { SCOPE_VM, SCOPE_CPU, SCOPE_CACHE };
enum idreg_presence { PRESENT_ALWAYS, PRESENT_CCIDX, PRESENT_MTE2, PRESENT_SME };
/*
 * What a change of a field between migration source and destination does:
 * FEAT/SFEAT, a feature level (unsigned / signed, 0xF = -1), higher is more;
 * FEAT_IMPDEF, a 4-bit unsigned level but 0xF an IMPLEMENTATION DEFINED
 * variant that is no level (a change to or from 0xF matters both ways);
 * LOWER, lower is more; EXACT, any change matters both ways; INFO, an
 * identifying value that is reported but is no capability.
 */
enum field_kind { KIND_FEAT, KIND_SFEAT, KIND_LOWER, KIND_EXACT, KIND_INFO, KIND_FEAT_IMPDEF };
/* The value of a KIND_FEAT_IMPDEF field that is no level. */
#define IDFIELD_IMPDEF_VALUE 0xf
enum field_layout { LAYOUT_ANY, LAYOUT_NOCCIDX, LAYOUT_CCIDX };

enum idreg_id {
#define IDREG(name, op0, op1, crn, crm, op2, scope, presence) IDREG_##name,
#define FIELD(reg, name, lsb, width, kind, layout)
#include "idregs.def"
#undef IDREG
#undef FIELD
	NR_IDREGS
};

enum idfield_id {
#define IDREG(name, op0, op1, crn, crm, op2, scope, presence)
#define FIELD(reg, name, lsb, width, kind, layout) IDFIELD_##reg##_##name##_##layout,
#include "idregs.def"
#undef IDREG
#undef FIELD
	NR_IDFIELDS
};

enum idrule_id {
#define RULE(name, citation, expr) IDRULE_##name,
#include "idrules.def"
#undef RULE
	NR_IDRULES
};

struct idreg_desc {
	const char *name;
	uint8_t op0, op1, crn, crm, op2;
	uint8_t scope, presence;
};

struct idfield_desc {
	uint16_t reg;
	const char *name;
	uint8_t lsb, width, kind, layout;
};

struct idrule_desc {
	const char *name;
	const char *citation;
};

extern const struct idreg_desc idregs[NR_IDREGS];
extern const struct idfield_desc idfields[NR_IDFIELDS];
extern const struct idrule_desc idrules[NR_IDRULES];

static inline uint64_t idfield_get(const struct idfield_desc *f, uint64_t reg)
{
	return (reg >> f->lsb) & (f->width == 64 ? ~0ULL : (1ULL << f->width) - 1);
}

/* The field's value as a level: sign-extended for KIND_SFEAT fields. */
static inline int64_t idfield_level(const struct idfield_desc *f, uint64_t reg)
{
	uint64_t v = idfield_get(f, reg);

	if (f->kind == KIND_SFEAT && f->width < 64 && (v >> (f->width - 1)))
		return (int64_t)(v | ~((1ULL << f->width) - 1));
	return (int64_t)v;
}

/* Does the field apply to this register value, given the CPU's CCIDX? */
static inline bool idfield_applies(const struct idfield_desc *f, bool ccidx)
{
	return f->layout == LAYOUT_ANY || (f->layout == LAYOUT_CCIDX) == ccidx;
}

/* values[] indexed by enum idreg_id (CPU-wide registers). */
bool idrule_holds(enum idrule_id rule, const uint64_t *values);
int idreg_by_name(const char *name);	/* -1 when unknown */

/* A register's fields are the idfields[] entries whose reg is its id. */
#define for_each_idfield(f, regid) \
	for (const struct idfield_desc *f = idfields; f < idfields + NR_IDFIELDS; f++) \
		if (f->reg == (regid))

/* The feature ID space: op0 3, op1 {0, 1, 3}, CRn 0, CRm 0-7, op2 0-7. */
#define IDSPACE_SLOTS 192
static inline unsigned int idspace_op1(unsigned int slot) { return slot < 64 ? 0 : slot < 128 ? 1 : 3; }
static inline unsigned int idspace_crm(unsigned int slot) { return (slot / 8) % 8; }
static inline unsigned int idspace_op2(unsigned int slot) { return slot % 8; }
#define IDSPACE_SLOT(op1, crm, op2) \
	(((op1) == 0 ? 0 : (op1) == 1 ? 64 : 128) + (crm) * 8 + (op2))
/* The table's register at that slot, or -1 for an unallocated one. */
int idspace_reg(unsigned int slot);

#endif
