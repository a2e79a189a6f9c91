/*
 * idregs.c: the descriptor arrays and rule evaluation of idregs.h, from
 * the X-macro tables.  Plain C with no library calls beyond strcmp, so
 * the freestanding guest and the host tools compile the same file.
 */
#include "idregs.h"
#include <string.h>

const struct idreg_desc idregs[NR_IDREGS] = {
#define IDREG(name, op0, op1, crn, crm, op2, scope, presence) \
	[IDREG_##name] = { #name, op0, op1, crn, crm, op2, scope, presence },
#define FIELD(reg, name, lsb, width, kind, layout)
#include "idregs.def"
#undef IDREG
#undef FIELD
};

const struct idfield_desc idfields[NR_IDFIELDS] = {
#define IDREG(name, op0, op1, crn, crm, op2, scope, presence)
#define FIELD(reg, name, lsb, width, kind, layout) \
	[IDFIELD_##reg##_##name##_##layout] = { IDREG_##reg, #name, lsb, width, kind, layout },
#include "idregs.def"
#undef IDREG
#undef FIELD
};

const struct idrule_desc idrules[NR_IDRULES] = {
#define RULE(name, citation, expr) [IDRULE_##name] = { #name, citation },
#include "idrules.def"
#undef RULE
};

#define F(reg, field) \
	idfield_get(&idfields[IDFIELD_##reg##_##field##_LAYOUT_ANY], v[IDREG_##reg])
#define SF(reg, field) \
	idfield_level(&idfields[IDFIELD_##reg##_##field##_LAYOUT_ANY], v[IDREG_##reg])
#define IMPLIES(a, b) (!(a) || (b))

bool idrule_holds(enum idrule_id rule, const uint64_t *v)
{
	switch (rule) {
#define RULE(name, citation, expr) case IDRULE_##name: return (expr);
#include "idrules.def"
#undef RULE
	default:
		return false;
	}
}

int idreg_by_name(const char *name)
{
	for (int i = 0; i < NR_IDREGS; i++)
		if (!strcmp(idregs[i].name, name))
			return i;
	return -1;
}

int idspace_reg(unsigned int slot)
{
	for (int i = 0; i < NR_IDREGS; i++) {
		const struct idreg_desc *r = &idregs[i];
		if (r->op0 == 3 && r->crn == 0 && r->op1 == idspace_op1(slot) &&
		    r->crm == idspace_crm(slot) && r->op2 == idspace_op2(slot))
			return i;
	}
	return -1;
}
