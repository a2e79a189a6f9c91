/*
 * mmu.c: a 39-bit identity map with 4 KiB granule: a level 1 table of 1 GiB
 * entries, and level 2 tables of 2 MiB blocks for the GiBs that RAM only
 * partly covers.  See mmu.h for the two-step order.
 */
#include "mmu.h"
#include "platform.h"
#include "asm/sysreg.h"
#include "idfields.h"

#define PTE_BLOCK	1UL
#define PTE_TABLE	3UL
#define PTE_ATTRIDX(i)	((u64)(i) << 2)
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)
#define PTE_AP_EL0_RW	(1UL << 6)
#define PTE_PXN		(1UL << 53)
#define PTE_UXN		(1UL << 54)
#define PTE_NORMAL	(PTE_BLOCK | PTE_ATTRIDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PTE_DEVICE	(PTE_BLOCK | PTE_ATTRIDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN)
#define PTE_ADDR_MASK	0x0000fffffffff000UL

#define L2_TABLES	16

static u64 level1[512] __aligned(4096);
static u64 level2[L2_TABLES][512] __aligned(4096);
static unsigned int level2_used;
struct mmu_regs mmu_regs;

/* TCR_EL1 fields */
#define TCR_T0SZ(b)	((64UL - (b)) << 0)
#define TCR_IRGN0_WBWA	(1UL << 8)
#define TCR_ORGN0_WBWA	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_TG0_4K	(0UL << 14)
#define TCR_T1SZ(b)	((64UL - (b)) << 16)
#define TCR_EPD1	(1UL << 23)	/* no walks through TTBR1 */
#define TCR_IPS_SHIFT	32

static u64 *level2_for(u64 addr)
{
	u64 *l1e = &level1[addr / SZ_1G];

	if ((*l1e & 3) == PTE_TABLE)
		return (u64 *)(uintptr_t)(*l1e & PTE_ADDR_MASK);
	if (*l1e || level2_used == L2_TABLES)
		return NULL;
	u64 *table = level2[level2_used++];
	*l1e = (uintptr_t)table | PTE_TABLE;
	return table;
}

/* Map [start, end) as normal memory in 2 MiB blocks, rounding outwards. */
static bool map_normal_2m(u64 start, u64 end)
{
	for (u64 a = ALIGN_DOWN(start, SZ_2M); a < end; a += SZ_2M) {
		u64 *l2 = a >> VA_BITS ? NULL : level2_for(a);
		if (!l2)
			return false;
		l2[(a / SZ_2M) % 512] = a | PTE_NORMAL;
	}
	return true;
}

bool mmu_early_setup(u64 image_start, u64 image_end, u64 dtb)
{
	/* PARange capped at 48 bits (52 needs LPA2 formats). */
	u64 parange = IDF_GET(ID_AA64MMFR0_EL1, PARange, read_sysreg(ID_AA64MMFR0_EL1));

	if (parange > 5)
		parange = 5;
	/* A DTB is at most 2 MiB (booting.rst), so two blocks always cover it. */
	if (!map_normal_2m(image_start, image_end) || !map_normal_2m(dtb, dtb + SZ_2M))
		return false;
	mmu_regs.mair = MAIR_VALUE;
	mmu_regs.tcr = TCR_T0SZ(VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
		       TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ(VA_BITS) | TCR_EPD1 |
		       (parange << TCR_IPS_SHIFT);
	mmu_regs.ttbr0 = (uintptr_t)level1;
	mmu_regs.sctlr = SCTLR_EL1_RUN;
	write_sysreg(mmu_regs.mair, mair_el1);
	write_sysreg(mmu_regs.tcr, tcr_el1);
	write_sysreg(mmu_regs.ttbr0, ttbr0_el1);
	return true;
}

static bool block_is_ram(u64 start, u64 size)
{
	for (int i = 0; i < platform.nr_mem; i++) {
		const struct mem_region *r = &platform.mem[i];
		if (start >= r->base && start + size <= r->base + r->size)
			return true;
	}
	return false;
}

static bool range_has_ram(u64 start, u64 size)
{
	for (int i = 0; i < platform.nr_mem; i++) {
		const struct mem_region *r = &platform.mem[i];
		if (start < r->base + r->size && r->base < start + size)
			return true;
	}
	return false;
}

void mmu_map_platform(void)
{
	for (u64 gib = 0; gib < 512; gib++) {
		u64 base = gib * SZ_1G;
		u64 *l1e = &level1[gib];

		if (!*l1e && block_is_ram(base, SZ_1G)) {
			*l1e = base | PTE_NORMAL;
		} else if (!*l1e && !range_has_ram(base, SZ_1G)) {
			*l1e = base | PTE_DEVICE;
		} else if ((*l1e & 3) != PTE_BLOCK) {
			u64 *l2 = level2_for(base);
			if (!l2)
				report_abort("mmu: more than %d partly-RAM GiBs", L2_TABLES);
			for (int i = 0; i < 512; i++) {
				u64 a = base + (u64)i * SZ_2M;
				if (!l2[i])
					l2[i] = a | (block_is_ram(a, SZ_2M) ? PTE_NORMAL : PTE_DEVICE);
			}
		}
	}
	/* New entries only: make them visible to the walker, drop any cached misses. */
	dsb(ishst);
	asm volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
}

bool mmu_map_el0_block(u64 addr)
{
	u64 *l1e = &level1[addr / SZ_1G], *l2e;

	if (addr % SZ_2M || addr >> VA_BITS || (*l1e & 3) != PTE_TABLE)
		return false;
	l2e = (u64 *)(uintptr_t)(*l1e & PTE_ADDR_MASK) + (addr / SZ_2M) % 512;
	/* Break before make: a live entry changes permissions. */
	*l2e = 0;
	dsb(ishst);
	asm volatile("tlbi vaae1is, %0" : : "r" (addr >> 12) : "memory");
	dsb(ish);
	*l2e = addr | PTE_BLOCK | PTE_ATTRIDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF |
	       PTE_AP_EL0_RW | PTE_PXN;
	dsb(ishst);
	isb();
	return true;
}

u64 mmu_translate(const void *va)
{
	asm volatile("at s1e1r, %0" : : "r" (va));
	isb();
	return read_sysreg(par_el1);
}
