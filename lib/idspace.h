/*
 * idspace.h: reading the feature ID space (op0 3, op1 {0,1,3}, CRn 0) of
 * the calling CPU, every slot under the guard, and the per-CPU record the
 * guest-view payloads build from it.
 */
#ifndef GUESTVIEW_IDSPACE_H
#define GUESTVIEW_IDSPACE_H
#include "view.h"
#include "idregs.h"

/* CSSELR_EL1 selections: level 1-7, and data/unified (0) or instruction (1). */
#define CACHE_SELS	14
#define CACHE_SEL(level, ind)	(((level) - 1) * 2 + (ind))

struct cpu_ids {
	u64 mpidr;
	struct vval slot[IDSPACE_SLOTS];	/* all 192, at EL1 */
	bool cache_present[CACHE_SELS];		/* selections CLIDR_EL1 reports */
	bool cache_unified[CACHE_SELS];
	struct vval ccsidr[CACHE_SELS];
	struct vval ccsidr2[CACHE_SELS];
};

/* One slot, guarded: its value, or the exception the read raised. */
struct vval idspace_read(unsigned int slot);
/* Everything above, on the calling CPU. */
void cpu_ids_collect(struct cpu_ids *ids);
/* A table register's value from the scan (its slot). */
struct vval cpu_ids_reg(const struct cpu_ids *ids, enum idreg_id reg);
/* "L1D", "L2U", "L1I" */
const char *cache_sel_name(unsigned int sel, bool unified, char *buf, size_t size);

#endif
