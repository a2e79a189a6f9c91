/*
 * guestview.h: everything a guest can observe of its virtual CPU and
 * platform, collected on every vCPU into one view (the fingerprint), with
 * the per-CPU records kept for the checks that compare vCPUs.
 */
#ifndef GUESTVIEW_GUESTVIEW_H
#define GUESTVIEW_GUESTVIEW_H
#include "idspace.h"
#include "platform.h"

struct guest_view {
	struct view *view;
	struct cpu_ids *cpu[NR_CPUS];	/* NULL for CPUs that are not online */
	struct vval el0[NR_IDREGS];	/* each table register read at EL0, on CPU0 */
	bool el0_done;
	u64 ticks;			/* counter ticks spent collecting */
};

/* Boots the secondaries if needed; call on CPU0. */
struct guest_view *guest_view_collect(void);
/* Is this register readable at EL0 by design (CTR_EL0 with UCT, DCZID_EL0)? */
bool idreg_el0_accessible(enum idreg_id reg);

#endif
