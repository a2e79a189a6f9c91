/*
 * exceptions.h: the saved register frame and per-CPU exception hooks.
 * A handler for a synchronous exception class may change regs->elr (for
 * example skip the faulting instruction with regs->elr += 4) and returns
 * to continue; anything without a handler ends the payload as FAIL.
 */
#ifndef GUESTVIEW_EXCEPTIONS_H
#define GUESTVIEW_EXCEPTIONS_H
#include "libcflat.h"
#include "exception_classes.h"	/* ec_name(), from tables/ */

struct pt_regs {
	u64 regs[31];
	u64 sp;		/* SP_EL0 for exceptions from EL0, else the interrupted SP */
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

/* Vector offsets / 0x80, as in the architecture's table. */
enum vector {
	EL1T_SYNC, EL1T_IRQ, EL1T_FIQ, EL1T_ERROR,
	EL1H_SYNC, EL1H_IRQ, EL1H_FIQ, EL1H_ERROR,
	EL0_SYNC_64, EL0_IRQ_64, EL0_FIQ_64, EL0_ERROR_64,
	EL0_SYNC_32, EL0_IRQ_32, EL0_FIQ_32, EL0_ERROR_32,
	VECTOR_MAX
};

/* ESR_ELx exception classes the runtime names (the rest are decoded by number). */
#define ESR_EC_SHIFT	26
#define ESR_EC(esr)	(((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL		(1UL << 25)
#define ESR_ISS(esr)	((esr) & 0x1ffffff)
#define EC_UNKNOWN	0x00
#define EC_WFX		0x01
#define EC_FP_ASIMD	0x07
#define EC_ILL		0x0e
#define EC_SVC64	0x15
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYS64	0x18
#define EC_SVE		0x19
#define EC_PAC		0x1c
#define EC_SME		0x1d
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_PC_ALIGN	0x22
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define EC_SP_ALIGN	0x26
#define EC_SERROR	0x2f
#define EC_BRK64	0x3c
#define EC_MAX		0x40

typedef void (*exception_fn)(struct pt_regs *regs, u64 esr);
typedef void (*irq_fn)(struct pt_regs *regs);

/* On the calling CPU; fn NULL removes.  vector EL1H_SYNC or EL0_SYNC_64. */
void install_exception_handler(enum vector v, unsigned int ec, exception_fn fn);
void install_irq_handler(irq_fn fn);

/* The decoded syndrome ("EC 0x25 (data abort, same EL): DFSC 0x04 ..."). */
int esr_describe(char *buf, size_t size, u64 esr);
void show_regs(const struct pt_regs *regs);

/* Called from the vectors in arm/cstart64.S. */
void do_handle_exception(struct pt_regs *regs, enum vector v);

#endif
