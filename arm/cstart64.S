/*
 * cstart64.S: the payload's first instructions, its exception vectors and
 * the entry of secondary CPUs.
 *
 * Boot order, and why:
 *  1. arm64 Image header, so QEMU (and any VMM that boots Linux) loads the
 *     raw binary and passes the DTB address in x0.
 *  2. At EL2 (a machine with virtualization=on), drop to EL1 and remember;
 *     lib/setup.c refuses to run the payload there, with a message.
 *  3. Self-relocate, zero the BSS, set up the stack: MMU still off, so
 *     data accesses are Device-nGnRnE and all C code is built with
 *     -mstrict-align.
 *  4. mmu_early_setup() writes the page tables (still MMU off), then the
 *     image is invalidated from the data cache by VA, so no stale line can
 *     hide what was written to memory with the MMU off, and the MMU and
 *     caches go on.  Only then may libfdt and the rest run.
 */
#include "asm/sysreg.h"

#define R_AARCH64_RELATIVE	1027

.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* Invalidate [\start, \end) from the data cache to PoC; clobbers \start, x16, x17. */
.macro	dcache_inval_range, start, end
	mrs	x17, ctr_el0
	ubfx	x17, x17, #16, #4
	mov	x16, #4
	lsl	x16, x16, x17
	sub	x17, x16, #1
	bic	\start, \start, x17
1:	dc	ivac, \start
	add	\start, \start, x16
	cmp	\start, \end
	b.lo	1b
	dsb	sy
.endm

	.section .head, "ax"
	.global	_start
_start:
	b	start			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: QEMU loads us 2 MiB into RAM */
	.quad	__image_size		/* image_size, BSS and stack included */
	.quad	(1 << 3)		/* flags: little endian, any 4K page size, load anywhere */
	.quad	0, 0, 0			/* res2-4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
start:
	mov	x19, x0			/* DTB */
	mrs	x21, CurrentEL
	cmp	x21, #CURRENTEL_EL2
	b.ne	1f
	bl	el2_to_el1
1:
	/* 3. relocate: *(base + offset) = base + addend for every RELATIVE entry */
	adr	x20, _start
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
2:	cmp	x1, x2
	b.hs	3f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	x4, #R_AARCH64_RELATIVE
	b.ne	2b			/* a static PIE has no other kind */
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	2b
3:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
4:	cmp	x1, x2
	b.hs	5f
	stp	xzr, xzr, [x1], #16
	b	4b
5:
	lsr	x21, x21, #2
	adr_l	x1, boot_el
	str	x21, [x1]
	adr_l	x1, __stack_top
	mov	sp, x1
	mov	x1, #CPACR_FPEN_ALL	/* FP/SIMD on: libfdt uses SIMD registers */
	msr	cpacr_el1, x1
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb

	/* 4. page tables, then the MMU */
	mov	x0, x20
	adr_l	x1, _end
	mov	x2, x19
	bl	mmu_early_setup
	cbz	x0, early_fail
	mov	x0, x20
	adr_l	x1, _end
	dcache_inval_range x0, x1
	bl	mmu_enable
	mov	x0, x19
	bl	start_c
	b	halt

/* The DTB or image is outside the 39-bit map: nothing can be printed yet. */
early_fail:
	b	halt_early

/* Turn on the MMU with the MAIR/TCR/TTBR0 that mmu_early_setup loaded. */
mmu_enable:
	tlbi	vmalle1
	dsb	nsh
	ldr	x1, =SCTLR_EL1_RUN
	msr	sctlr_el1, x1
	isb
	ret

/*
 * Run EL1 as a guest of nothing: EL1 is AArch64, timers and FP untrapped,
 * the virtual ID registers equal the real ones.  Clobbers x0, x1.
 */
el2_to_el1:
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mov	x0, #3			/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff		/* CPTR_EL2: RES1 bits, TFP clear */
	msr	cptr_el2, x0
	ldr	x0, =SCTLR_EL1_OFF
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	isb
	eret

/* A secondary CPU, from PSCI CPU_ON; x0 = its struct secondary_boot (lib/smp.c). */
	.global	secondary_entry
secondary_entry:
	mov	x1, #CPACR_FPEN_ALL
	msr	cpacr_el1, x1
	adr_l	x1, vectors
	msr	vbar_el1, x1
	ldp	x1, x2, [x0]		/* mair, tcr */
	msr	mair_el1, x1
	msr	tcr_el1, x2
	ldp	x1, x2, [x0, #16]	/* ttbr0, sctlr */
	msr	ttbr0_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	msr	sctlr_el1, x2
	isb
	ldp	x1, x2, [x0, #32]	/* stack_top, percpu */
	mov	sp, x1
	msr	tpidr_el1, x2
	mov	x0, x2
	bl	secondary_main
	b	halt

halt_early:
	wfi
	b	halt_early

/*
 * Exception vectors.  Every entry saves a struct pt_regs (lib/exceptions.h)
 * and calls do_handle_exception(regs, vector number).
 */
#define PT_REGS_SIZE	(36 * 8)
#define PT_SP		(31 * 8)
#define PT_ELR		(32 * 8)
#define PT_ESR		(34 * 8)

.macro	vector_entry, num, from_el0
	.align	7
	sub	sp, sp, #PT_REGS_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mov	x0, #\num
	mov	x1, #\from_el0
	b	exception_entry
.endm

	.align	11
	.global	vectors
vectors:
	vector_entry 0, 0
	vector_entry 1, 0
	vector_entry 2, 0
	vector_entry 3, 0
	vector_entry 4, 0
	vector_entry 5, 0
	vector_entry 6, 0
	vector_entry 7, 0
	vector_entry 8, 1
	vector_entry 9, 1
	vector_entry 10, 1
	vector_entry 11, 1
	vector_entry 12, 1
	vector_entry 13, 1
	vector_entry 14, 1
	vector_entry 15, 1

/* x0 = vector number, x1 = from EL0; the frame's x0/x1 slots hold x0/x1. */
exception_entry:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mov	x19, x1
	cbz	x1, 1f
	mrs	x2, sp_el0
	b	2f
1:	add	x2, sp, #PT_REGS_SIZE
2:	stp	x30, x2, [sp, #PT_SP - 8]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #PT_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #PT_ESR]
	mov	x1, x0
	mov	x0, sp
	bl	do_handle_exception

	ldp	x2, x3, [sp, #PT_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	cbz	x19, 3f
	ldr	x2, [sp, #PT_SP]
	msr	sp_el0, x2
3:	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #PT_SP - 8]
	add	sp, sp, #PT_REGS_SIZE
	eret

/*
 * u64 el0_call(u64 entry, u64 sp_el0, u64 x0, u64 x1, u64 x2): run code at EL0 until its
 * next exception; lib/el0.c's handler then returns here, at el0_return,
 * with x0 as EL0 left it.  The callee-saved registers are kept on the EL1
 * stack across the excursion.
 */
	.global	el0_call
el0_call:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	msr	sp_el0, x1
	msr	elr_el1, x0
	mov	x1, #0x3c0		/* EL0t, D A I F masked */
	msr	spsr_el1, x1
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	isb
	eret
	.global	el0_return
el0_return:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
