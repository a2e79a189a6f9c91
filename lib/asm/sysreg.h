/*
 * Access to AArch64 system registers, and the few bit definitions the
 * runtime itself needs.  Usable from C and from assembly.
 */
#ifndef GUESTVIEW_ASM_SYSREG_H
#define GUESTVIEW_ASM_SYSREG_H

/* SCTLR_EL1: what the runtime turns on (and the RES1 bits of ARMv8.0). */
#define SCTLR_M		(1UL << 0)	/* stage 1 MMU */
#define SCTLR_C		(1UL << 2)	/* data cacheability */
#define SCTLR_SA	(1UL << 3)	/* SP alignment check, EL1 */
#define SCTLR_SA0	(1UL << 4)	/* SP alignment check, EL0 */
#define SCTLR_I		(1UL << 12)	/* instruction cacheability */
#define SCTLR_DZE	(1UL << 14)	/* DC ZVA at EL0 */
#define SCTLR_UCT	(1UL << 15)	/* CTR_EL0 at EL0 */
#define SCTLR_NTWI	(1UL << 16)
#define SCTLR_NTWE	(1UL << 18)
#define SCTLR_UCI	(1UL << 26)	/* cache maintenance at EL0 */
#define SCTLR_RES1	((1UL << 11) | (1UL << 20) | (1UL << 22) | (1UL << 23) | \
			 (1UL << 28) | (1UL << 29))
#define SCTLR_EL1_RUN	(SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | \
			 SCTLR_I | SCTLR_DZE | SCTLR_UCT | SCTLR_NTWI | \
			 SCTLR_NTWE | SCTLR_UCI)
/* Before the MMU is on: caches off, everything else as in SCTLR_EL1_RUN. */
#define SCTLR_EL1_OFF	(SCTLR_EL1_RUN & ~(SCTLR_M | SCTLR_C | SCTLR_I))

/* CPACR_EL1.FPEN = 0b11: FP/SIMD not trapped at EL0 or EL1. */
#define CPACR_FPEN_ALL	(3UL << 20)

/* HCR_EL2.RW: EL1 is AArch64 (needed to drop from EL2 to EL1). */
#define HCR_EL2_RW	(1UL << 31)
/* SPSR value for "EL1h with D, A, I and F masked". */
#define SPSR_EL1H_MASKED 0x3c5

#define CURRENTEL_EL1	(1 << 2)
#define CURRENTEL_EL2	(2 << 2)

#ifndef __ASSEMBLY__
#include <stdint.h>

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* Names are passed to the assembler as-is, so s3_<op1>_c<n>_c<m>_<op2> works. */
#define read_sysreg(r) ({						\
	uint64_t __val;							\
	asm volatile("mrs %0, " __stringify(r) : "=r" (__val));		\
	__val;								\
})

#define write_sysreg(v, r) do {						\
	uint64_t __val = (uint64_t)(v);					\
	asm volatile("msr " __stringify(r) ", %x0" : : "rZ" (__val));	\
} while (0)

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")
#define dmb(opt)	asm volatile("dmb " #opt : : : "memory")
#define wfe()		asm volatile("wfe" : : : "memory")
#define wfi()		asm volatile("wfi" : : : "memory")
#define sev()		asm volatile("sev" : : : "memory")
#define cpu_relax()	asm volatile("yield" : : : "memory")

static inline unsigned int current_el(void)
{
	return (read_sysreg(CurrentEL) >> 2) & 3;
}

#endif /* !__ASSEMBLY__ */
#endif
