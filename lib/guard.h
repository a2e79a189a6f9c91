/*
 * guard.h: run instructions that may fault.  While armed on a CPU, a
 * synchronous exception at EL1 is recorded (the first one's ESR) and the
 * faulting instruction is stepped over, so one probe can never take the
 * payload down.  Use it around single instructions whose fault is the
 * answer, nothing longer.
 */
#ifndef GUESTVIEW_GUARD_H
#define GUESTVIEW_GUARD_H
#include "libcflat.h"
#include "exceptions.h"

#define GUARD_NONE	(~0UL)

void guard_arm(void);
u64 guard_disarm(void);		/* ESR of the first fault, or GUARD_NONE */
void guard_exception(struct pt_regs *regs);	/* from do_handle_exception */

/* Run the function at code(x0) under the guard; returns its x0. */
u64 guarded_call(u64 (*code)(u64), u64 x0, u64 *esr);

#endif
