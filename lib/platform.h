/*
 * platform.h: the machine as the device tree describes it.  Filled once at
 * start-up by dt_parse(); payloads read it, never the DTB, for these facts.
 */
#ifndef GUESTVIEW_PLATFORM_H
#define GUESTVIEW_PLATFORM_H
#include "libcflat.h"
#include "idfields.h"

/* The MPIDR_EL1 bits a DT cpu node's reg holds: Aff3..Aff0 (not U, MT). */
#define MPIDR_AFFINITY_MASK (IDF_MPIDR_EL1_Aff3_MASK | IDF_MPIDR_EL1_Aff2_MASK | \
			     IDF_MPIDR_EL1_Aff1_MASK | IDF_MPIDR_EL1_Aff0_MASK)

#define NR_CPUS		512	/* QEMU virt's limit with GICv3 */
#define NR_MEM_REGIONS	16
#define NR_VIRTIO_MMIO	32	/* QEMU virt's transports */

struct mem_region {
	u64 base, size;
};

enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };

struct platform {
	const void *fdt;
	u64 fdt_size;
	struct mem_region mem[NR_MEM_REGIONS];
	int nr_mem;
	u64 mem_total;
	int nr_cpus;
	u64 cpu_mpidr[NR_CPUS];		/* the cpu nodes' reg, in DT order */
	enum psci_conduit psci;
	int gic_version;		/* 2, 3 or 0 when none was found */
	u64 gicd_base, gicd_size;
	u64 gicr_base, gicr_size;	/* GICv3: the first redistributor region */
	u64 gicc_base;			/* GICv2 CPU interface */
	u64 uart_base;
	const char *stdout_path;
	bool has_timer;
	u32 timer_ppi[4];		/* secure phys, phys, virt, hyp (PPI numbers) */
	bool has_pmu;
	const char *bootargs;
	/* "virtio,mmio" transports in DT order; which device each holds is read from it. */
	int nr_virtio_mmio;
	u64 virtio_mmio_base[NR_VIRTIO_MMIO];
};

extern struct platform platform;

/* Returns NULL on success, else what was wrong with the device tree. */
const char *dt_parse(const void *fdt);
/* Index of the cpu node whose reg is this MPIDR (affinity bits), or -1. */
int dt_cpu_index(u64 mpidr);

#endif
