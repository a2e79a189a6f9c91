/*
 * idspace.c: the ID space scan.  An MRS encodes its register in the
 * instruction, so each of the 192 slots gets its own MRS, generated here
 * from (op1, CRm, op2) by macros rather than written out.
 */
#include "idspace.h"
#include "guard.h"
#include "asm/sysreg.h"
#include "idfields.h"

#define SLOT(op1, crm, op2) \
	case IDSPACE_SLOT(op1, crm, op2): return read_sysreg(s3_##op1##_c0_c##crm##_##op2);
#define SLOT_ROW(op1, crm) \
	SLOT(op1, crm, 0) SLOT(op1, crm, 1) SLOT(op1, crm, 2) SLOT(op1, crm, 3) \
	SLOT(op1, crm, 4) SLOT(op1, crm, 5) SLOT(op1, crm, 6) SLOT(op1, crm, 7)
#define SLOT_SPACE(op1) \
	SLOT_ROW(op1, 0) SLOT_ROW(op1, 1) SLOT_ROW(op1, 2) SLOT_ROW(op1, 3) \
	SLOT_ROW(op1, 4) SLOT_ROW(op1, 5) SLOT_ROW(op1, 6) SLOT_ROW(op1, 7)

static u64 __attribute__((noinline)) read_slot(unsigned int slot)
{
	switch (slot) {
	SLOT_SPACE(0)
	SLOT_SPACE(1)
	SLOT_SPACE(3)
	}
	return 0;
}

struct vval idspace_read(unsigned int slot)
{
	u64 val, esr;

	guard_arm();
	val = read_slot(slot);
	esr = guard_disarm();
	return vval_from(val, esr);
}

struct vval cpu_ids_reg(const struct cpu_ids *ids, enum idreg_id reg)
{
	const struct idreg_desc *r = &idregs[reg];

	return ids->slot[IDSPACE_SLOT(r->op1, r->crm, r->op2)];
}

const char *cache_sel_name(unsigned int sel, bool unified, char *buf, size_t size)
{
	snprintf(buf, size, "L%u%c", sel / 2 + 1, unified ? 'U' : (sel & 1) ? 'I' : 'D');
	return buf;
}

void cpu_ids_collect(struct cpu_ids *ids)
{
	struct vval clidr;
	u64 csselr = read_sysreg(csselr_el1);

	ids->mpidr = read_sysreg(mpidr_el1);
	for (unsigned int s = 0; s < IDSPACE_SLOTS; s++)
		ids->slot[s] = idspace_read(s);

	/* CLIDR_EL1.Ctype<n>: 1 I, 2 D, 3 I+D, 4 unified. */
	clidr = cpu_ids_reg(ids, IDREG_CLIDR_EL1);
	const unsigned int ctypes[7] = {
		IDF_GET(CLIDR_EL1, Ctype1, clidr.value), IDF_GET(CLIDR_EL1, Ctype2, clidr.value),
		IDF_GET(CLIDR_EL1, Ctype3, clidr.value), IDF_GET(CLIDR_EL1, Ctype4, clidr.value),
		IDF_GET(CLIDR_EL1, Ctype5, clidr.value), IDF_GET(CLIDR_EL1, Ctype6, clidr.value),
		IDF_GET(CLIDR_EL1, Ctype7, clidr.value),
	};
	for (unsigned int level = 1; clidr.type == VT_VALUE && level <= 7; level++) {
		unsigned int ctype = ctypes[level - 1];
		for (unsigned int ind = 0; ind < 2; ind++) {
			unsigned int sel = CACHE_SEL(level, ind);
			bool present = ind ? (ctype == 1 || ctype == 3) :
					     (ctype == 2 || ctype == 3 || ctype == 4);
			if (!present)
				continue;
			ids->cache_present[sel] = true;
			ids->cache_unified[sel] = ctype == 4;
			write_sysreg(((level - 1) << 1) | ind, csselr_el1);
			isb();
			ids->ccsidr[sel] = idspace_read(IDSPACE_SLOT(1, 0, 0));
			ids->ccsidr2[sel] = idspace_read(IDSPACE_SLOT(1, 0, 2));
		}
	}
	write_sysreg(csselr, csselr_el1);
	isb();
}
