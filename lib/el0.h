/* el0.h: the exception path of code running at EL0 (lib/insn.c). */
#ifndef GUESTVIEW_EL0_H
#define GUESTVIEW_EL0_H
#include "exceptions.h"
void el0_exception(struct pt_regs *regs);	/* from do_handle_exception */
u64 el0_call(u64 entry, u64 sp_el0, u64 x0, u64 x1, u64 x2);	/* arm/cstart64.S */
extern char el0_return[];
#endif
