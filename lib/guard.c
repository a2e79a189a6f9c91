/* guard.c: see guard.h. */
#include "guard.h"
#include "percpu.h"

void guard_arm(void)
{
	struct percpu *pc = this_cpu();

	pc->guard_esr = GUARD_NONE;
	barrier_compiler();
	pc->guard_armed = true;
	barrier_compiler();
}

u64 guard_disarm(void)
{
	struct percpu *pc = this_cpu();

	barrier_compiler();
	pc->guard_armed = false;
	return pc->guard_esr;
}

void guard_exception(struct pt_regs *regs)
{
	struct percpu *pc = this_cpu();
	unsigned int ec = ESR_EC(regs->esr);

	if (pc->guard_esr == GUARD_NONE)
		pc->guard_esr = regs->esr;
	/* SVC, HVC and SMC return past themselves already; the rest at the insn. */
	if (ec != EC_SVC64 && ec != EC_HVC64 && ec != EC_SMC64)
		regs->elr += 4;
}

u64 guarded_call(u64 (*code)(u64), u64 x0, u64 *esr)
{
	u64 ret;

	guard_arm();
	ret = code(x0);
	*esr = guard_disarm();
	return ret;
}
