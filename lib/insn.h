/*
 * insn.h: execute raw instruction encodings, at EL1 or at EL0, and learn
 * what happened: they ran (esr GUARD_NONE) or raised an exception (its
 * ESR).  Probes and ID-register reads at EL0 are described as encodings in
 * tables/, so one mechanism runs them all.  The code is written into a
 * per-CPU buffer with the cache maintenance that self-modifying code needs
 * (clean to PoU, invalidate the instruction cache, barriers).
 */
#ifndef GUESTVIEW_INSN_H
#define GUESTVIEW_INSN_H
#include "libcflat.h"

#define INSN_MAX	8

struct insn_result {
	u64 esr;	/* GUARD_NONE: executed */
	u64 x0;		/* x0 after the code (its input was x0 of the call) */
};

/* x0-x2 are passed in; the code must not branch or use the stack. */
void insn_exec_el1(const u32 *insns, unsigned int n, u64 x0, u64 x1, u64 x2,
		   struct insn_result *res);
/* Returns false when this machine gives us no EL0 (see el0_available). */
bool insn_exec_el0(const u32 *insns, unsigned int n, u64 x0, u64 x1, u64 x2,
		   struct insn_result *res);
bool el0_available(void);
/* 4 KiB of this CPU's memory that EL0 code may use (NULL without EL0). */
void *el0_scratch(void);

/* MRS Xt of op0,op1,CRn,CRm,op2 (see tables/: the ID space encodings). */
static inline u32 insn_mrs(unsigned int op0, unsigned int op1, unsigned int crn,
			   unsigned int crm, unsigned int op2, unsigned int rt)
{
	return 0xd5300000U | ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) |
	       (crm << 8) | (op2 << 5) | rt;
}

#endif
