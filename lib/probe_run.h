/*
 * probe_run.h: running the probes of tables/probes.def on the calling CPU,
 * at EL1 or EL0, with their own EL1 enable (CPACR_EL1.ZEN/SMEN) set or
 * clear, and the outcome as a view value ("exec", "undef", "trap:0xNN", or
 * "owntrap": the exception class of the guest's own enable, taken while
 * that enable was clear).
 */
#ifndef GUESTVIEW_PROBE_RUN_H
#define GUESTVIEW_PROBE_RUN_H
#include "view.h"
#include "probes.h"

/*
 * pass: PASS_PLAIN for a probe without an own enable, else PASS_OWN_SET or
 * PASS_OWN_CLEAR: the guest sets or clears the enable itself around the
 * probe, whatever its ID registers say (a hidden feature's enable bits are
 * RES0 where the CPU lacks the feature: the write then changes nothing).
 * Returns false when the EL0 pass is not possible on this machine; *esr is
 * the syndrome of the exception the probe raised (for messages), or ~0.
 */
bool probe_run(enum probe_id p, bool el0, enum probe_pass pass, struct vval *out, u64 *esr);

#endif
