/* insn.c: see insn.h. */
#include "insn.h"
#include "el0.h"
#include "guard.h"
#include "alloc.h"
#include "mmu.h"
#include "percpu.h"
#include "idfields.h"

#define INSN_RET	0xd65f03c0U	/* ret */
#define INSN_SVC0	0xd4000001U	/* svc #0: the end of an EL0 snippet */
/* Per CPU in the EL0 block: 4 KiB code, 4 KiB scratch, 8 KiB stack. */
#define EL0_SLOT	(16 * 1024)
#define EL0_SCRATCH	4096

static u32 *el1_buf[NR_CPUS];
static u8 *el0_block;
static bool el0_tried;

static void sync_icache(const void *start, size_t size)
{
	u64 ctr = read_sysreg(ctr_el0);
	u64 dline = 4UL << IDF_GET(CTR_EL0, DminLine, ctr), iline = 4UL << IDF_GET(CTR_EL0, IminLine, ctr);
	u64 s = (uintptr_t)start, e = s + size;

	for (u64 a = ALIGN_DOWN(s, dline); a < e; a += dline)
		asm volatile("dc cvau, %0" : : "r" (a) : "memory");
	dsb(ish);
	for (u64 a = ALIGN_DOWN(s, iline); a < e; a += iline)
		asm volatile("ic ivau, %0" : : "r" (a) : "memory");
	dsb(ish);
	isb();
}

static void write_code(u32 *buf, const u32 *insns, unsigned int n, u32 last)
{
	assert(n <= INSN_MAX);
	for (unsigned int i = 0; i < n; i++)
		buf[i] = insns[i];
	buf[n] = last;
	sync_icache(buf, (n + 1) * sizeof(u32));
}

void insn_exec_el1(const u32 *insns, unsigned int n, u64 x0, u64 x1, u64 x2,
		   struct insn_result *res)
{
	unsigned int cpu = smp_processor_id();
	u64 (*code)(u64, u64, u64);

	if (!el1_buf[cpu])
		el1_buf[cpu] = alloc_pages(SZ_4K);
	write_code(el1_buf[cpu], insns, n, INSN_RET);
	code = (u64 (*)(u64, u64, u64))(uintptr_t)el1_buf[cpu];
	guard_arm();
	res->x0 = code(x0, x1, x2);
	res->esr = guard_disarm();
}

/*
 * EL0 needs memory that EL0 may execute; the architecture treats memory
 * writable at EL0 as privileged-execute-never, so it cannot be the RAM the
 * payload runs from.  One 2 MiB block of its own is remapped for EL0 (the
 * first CPU to ask does it; the payload boots secondaries after that or
 * asks from CPU0 first).
 */
bool el0_available(void)
{
	if (!el0_tried) {
		u8 *raw = alloc_pages(2 * SZ_2M);
		u8 *block = (u8 *)ALIGN_UP((uintptr_t)raw, SZ_2M);

		el0_tried = true;
		/* PSTATE.PAN would forbid EL1 to write the EL0 code: clear it. */
		if (IDF_GET(ID_AA64MMFR1_EL1, PAN, read_sysreg(id_aa64mmfr1_el1)))
			asm volatile(".inst 0xd500409f" ::: "memory");	/* msr pan, #0 */
		if (mmu_map_el0_block((uintptr_t)block))
			el0_block = block;
	}
	return el0_block != NULL;
}

static u8 *el0_slot(void)
{
	unsigned int cpu = smp_processor_id();

	if (!el0_available() || cpu >= SZ_2M / EL0_SLOT)
		return NULL;
	return el0_block + cpu * EL0_SLOT;
}

void *el0_scratch(void)
{
	u8 *slot = el0_slot();

	return slot ? slot + EL0_SCRATCH : NULL;
}

bool insn_exec_el0(const u32 *insns, unsigned int n, u64 x0, u64 x1, u64 x2,
		   struct insn_result *res)
{
	struct percpu *pc = this_cpu();
	u8 *slot = el0_slot();

	if (!slot)
		return false;
	write_code((u32 *)slot, insns, n, INSN_SVC0);
	pc->el0_esr = GUARD_NONE;
	pc->el0_active = true;
	res->x0 = el0_call((uintptr_t)slot, (uintptr_t)slot + EL0_SLOT, x0, x1, x2);
	res->esr = pc->el0_esr;
	return true;
}

void el0_exception(struct pt_regs *regs)
{
	struct percpu *pc = this_cpu();
	u64 esr = regs->esr;

	pc->el0_active = false;
	/* The snippet's own final svc #0 means it ran to its end. */
	if (ESR_EC(esr) == EC_SVC64 && (esr & 0xffff) == 0 &&
	    regs->elr == ALIGN_DOWN(regs->elr, 4) && *(u32 *)(uintptr_t)(regs->elr - 4) == INSN_SVC0)
		pc->el0_esr = GUARD_NONE;
	else
		pc->el0_esr = esr;
	regs->elr = (uintptr_t)el0_return;
	regs->spsr = SPSR_EL1H_MASKED;
}
