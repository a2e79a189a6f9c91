/*
 * probe_run.h: running the probes of tables/probes.def on the calling CPU,
 * at EL1 or EL0, with their preconditions, and the outcome as a view value
 * ("exec", "undef" or "trap:0xNN").
 */
#ifndef GUESTVIEW_PROBE_RUN_H
#define GUESTVIEW_PROBE_RUN_H
#include "view.h"
#include "probes.h"

/*
 * Returns false when the EL0 pass is not possible on this machine; *esr is
 * the syndrome of the exception the probe raised (for messages), or ~0.
 */
bool probe_run(enum probe_id p, bool el0, const uint64_t *idvalues, struct vval *out, u64 *esr);

#endif
