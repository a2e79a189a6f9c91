/*
 * exceptions.c: dispatch from the vectors (arm/cstart64.S) to the handlers
 * a payload installed, and the report for everything else: the decoded
 * syndrome, FAR, ELR and all registers, then the end of the payload as
 * FAIL.  A fault while handling a fault is reported too, never looped on.
 */
#include "exceptions.h"
#include "exception_classes.h"
#include "percpu.h"
#include "console.h"
#include "bulk.h"
#include "psci.h"
#include "guard.h"
#include "el0.h"

static const char *const vector_names[VECTOR_MAX] = {
	"EL1t sync", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
	"EL1h sync", "EL1h IRQ", "EL1h FIQ", "EL1h SError",
	"EL0 (AArch64) sync", "EL0 (AArch64) IRQ", "EL0 (AArch64) FIQ", "EL0 (AArch64) SError",
	"EL0 (AArch32) sync", "EL0 (AArch32) IRQ", "EL0 (AArch32) FIQ", "EL0 (AArch32) SError",
};

static const char *fault_status_name(unsigned int fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x11: return "tag check fault";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	}
	return "other fault status";
}

int esr_describe(char *buf, size_t size, u64 esr)
{
	unsigned int ec = ESR_EC(esr);
	u64 iss = ESR_ISS(esr);
	int n = snprintf(buf, size, "ESR 0x%08lx: EC 0x%02x (%s), IL %d, ISS 0x%07lx",
			 (unsigned long)esr, ec, ec_name(ec), !!(esr & ESR_IL),
			 (unsigned long)iss);
	size_t used = (size_t)n < size ? (size_t)n : size;

	if (ec == EC_DABT_CUR || ec == EC_DABT_LOW || ec == EC_IABT_CUR || ec == EC_IABT_LOW) {
		unsigned int fsc = iss & 0x3f;
		n += snprintf(buf + used, size - used, " [%s level %d, FSC 0x%02x%s%s]",
			      fault_status_name(fsc), fsc < 0x10 ? (int)(fsc & 3) : -1, fsc,
			      (ec == EC_DABT_CUR || ec == EC_DABT_LOW) ? ((iss & (1 << 6)) ? ", write" : ", read") : "",
			      (iss & (1 << 10)) ? ", FAR not valid" : "");
	} else if (ec == EC_SYS64) {
		/* ISS: Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, dir 0 */
		n += snprintf(buf + used, size - used, " [%s s%lu_%lu_c%lu_c%lu_%lu, x%lu]",
			      (iss & 1) ? "mrs" : "msr", (iss >> 20) & 3, (iss >> 14) & 7,
			      (iss >> 10) & 15, (iss >> 1) & 15, (iss >> 17) & 7, (iss >> 5) & 31);
	} else if (ec == EC_BRK64 || ec == EC_SVC64 || ec == EC_HVC64) {
		n += snprintf(buf + used, size - used, " [immediate 0x%lx]", (unsigned long)(iss & 0xffff));
	}
	return n;
}

void show_regs(const struct pt_regs *regs)
{
	for (int i = 0; i < 31; i += 2) {
		if (i == 30)
			printf("  x30 %016lx  sp  %016lx\n", regs->regs[30], regs->sp);
		else
			printf("  x%-2d %016lx  x%-2d %016lx\n", i, regs->regs[i], i + 1, regs->regs[i + 1]);
	}
	printf("  elr %016lx  spsr %016lx\n", regs->elr, regs->spsr);
}

void install_exception_handler(enum vector v, unsigned int ec, exception_fn fn)
{
	assert(ec < EC_MAX && (v == EL1H_SYNC || v == EL0_SYNC_64));
	this_cpu()->sync[v == EL0_SYNC_64][ec] = fn;
}

void install_irq_handler(irq_fn fn)
{
	this_cpu()->irq = fn;
}

static void __noreturn unexpected(struct pt_regs *regs, enum vector v, unsigned int depth)
{
	char esr[200];

	esr_describe(esr, sizeof(esr), regs->esr);
	printf("%s exception on CPU%u: vector %s\n",
	       depth > 1 ? "Nested (fault while handling a fault)" : "Unexpected",
	       this_cpu()->cpu, vector_names[v]);
	printf("  %s\n  FAR 0x%016lx  ELR 0x%016lx\n", esr, regs->far, regs->elr);
	show_regs(regs);
	report_abort("%s exception, %s", depth > 1 ? "nested" : "unexpected", esr);
}

void do_handle_exception(struct pt_regs *regs, enum vector v)
{
	struct percpu *pc = this_cpu();
	unsigned int depth = ++pc->exception_depth;
	exception_fn fn = NULL;

	if (depth > 2) {
		/* Reporting the nested fault faulted too: no more printing. */
		console_break_lock();
		psci_system_off();
		halt();
	}
	if (depth > 1) {
		/* The console lock may be held by the code that faulted. */
		console_break_lock();
		bulk_abandon();
		unexpected(regs, v, depth);
	}
	if (v >= EL0_SYNC_64 && v <= EL0_ERROR_64 && pc->el0_active)
		el0_exception(regs);
	else if (v == EL1H_SYNC && pc->guard_armed)
		guard_exception(regs);
	else if ((v == EL1H_SYNC || v == EL0_SYNC_64) &&
		 (fn = pc->sync[v == EL0_SYNC_64][ESR_EC(regs->esr)]))
		fn(regs, regs->esr);
	else if ((v == EL1H_IRQ || v == EL0_IRQ_64) && pc->irq)
		pc->irq(regs);
	else
		unexpected(regs, v, depth);
	pc->exception_depth--;
}
