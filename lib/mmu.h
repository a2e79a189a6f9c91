/*
 * mmu.h: the identity map.  Two steps: mmu_early_setup() runs with the MMU
 * off, maps only the image and the DTB and loads MAIR/TCR/TTBR0; the start
 * code then turns the MMU on.  mmu_map_platform() later fills the rest of
 * the map from the device tree (RAM normal write-back, all else device),
 * only ever writing entries that were invalid, so no break-before-make is
 * needed on live mappings.
 */
#ifndef GUESTVIEW_MMU_H
#define GUESTVIEW_MMU_H
#include "libcflat.h"

/* MAIR_EL1 attribute indices. */
#define MT_DEVICE_nGnRE	0
#define MT_NORMAL	1
#define MT_NORMAL_NC	2
#define MT_DEVICE_nGnRnE 3
#define MAIR_VALUE	((0x04UL << (8 * MT_DEVICE_nGnRE)) | (0xffUL << (8 * MT_NORMAL)) | \
			 (0x44UL << (8 * MT_NORMAL_NC)) | (0x00UL << (8 * MT_DEVICE_nGnRnE)))

#define VA_BITS		39	/* 4 KiB granule, walks start at level 1 */

/* The values a CPU loads to join the map (secondaries copy the primary's). */
struct mmu_regs {
	u64 mair, tcr, ttbr0, sctlr;
};
extern struct mmu_regs mmu_regs;

/* MMU off.  Returns false when the image or DTB lies above VA_BITS. */
bool mmu_early_setup(u64 image_start, u64 image_end, u64 dtb);
void mmu_map_platform(void);
/*
 * Remap the 2 MiB block at addr (unused by anything else) as normal memory
 * that EL0 may read, write and execute and EL1 may not execute.
 */
bool mmu_map_el0_block(u64 addr);
/* PAR_EL1 after AT S1E1R: the attribute index in bits 63:56, fault bit 0. */
u64 mmu_translate(const void *va);

#endif
