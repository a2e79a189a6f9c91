/*
 * percpu.h: the state each CPU keeps for itself; TPIDR_EL1 points at it.
 */
#ifndef GUESTVIEW_PERCPU_H
#define GUESTVIEW_PERCPU_H
#include "exceptions.h"
#include "platform.h"
#include "asm/sysreg.h"

struct percpu {
	unsigned int cpu;		/* index of this CPU's node in the DT */
	u64 mpidr;			/* MPIDR_EL1 as read on this CPU */
	exception_fn sync[2][EC_MAX];	/* [0] from EL1, [1] from EL0 */
	irq_fn irq;
	unsigned int exception_depth;	/* >1: a fault inside fault handling */
	/* lib/guard.c: faults recorded and stepped over instead of reported */
	bool guard_armed;
	u64 guard_esr;
	/* lib/el0.c: code running at EL0 until its next exception */
	bool el0_active;
	u64 el0_esr;
	/* SMP mailbox (lib/smp.c) */
	void (*volatile work)(void *arg);
	void *volatile work_arg;
	volatile bool online;
	volatile bool busy;
};

extern struct percpu percpu_area[NR_CPUS];

static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)(uintptr_t)read_sysreg(tpidr_el1);
}

static inline unsigned int smp_processor_id(void)
{
	return this_cpu()->cpu;
}

#endif
