/*
 * devview.c: GIC, generic timer and PMU identification registers.
 * GIC offsets from the GICv3/v4 architecture specification (IHI 0069) and
 * the GICv2 one (IHI 0048); PMU registers from the Arm ARM (D23).
 */
#include "devview.h"
#include "guard.h"
#include "platform.h"
#include "smp.h"
#include "idfields.h"

#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_TYPER2	0x000c
#define GICD_PIDR2_V3	0xffe8
#define GICD_PIDR2_V2	0x0fe8
#define GICR_IIDR	0x0004
#define GICR_TYPER	0x0008
#define GICR_TYPER_LAST	(1UL << 4)
#define GICR_TYPER_VLPIS (1UL << 1)
#define GICC_IIDR	0x00fc

static u32 mmio_read32(u64 addr)
{
	return *(volatile u32 *)(uintptr_t)addr;
}

static u64 mmio_read64(u64 addr)
{
	return *(volatile u64 *)(uintptr_t)addr;
}

/* The redistributor frame whose GICR_TYPER.Affinity_Value is this MPIDR's. */
static u64 gicr_frame_of(u64 mpidr)
{
	/* GICR_TYPER's Affinity_Value is Aff3.Aff2.Aff1.Aff0, a byte each. */
	u32 aff = (u32)(IDF_GET(MPIDR_EL1, Aff3, mpidr) << 24 | IDF_GET(MPIDR_EL1, Aff2, mpidr) << 16 |
			IDF_GET(MPIDR_EL1, Aff1, mpidr) << 8 | IDF_GET(MPIDR_EL1, Aff0, mpidr));

	for (u64 f = platform.gicr_base; f < platform.gicr_base + platform.gicr_size;) {
		u64 typer = mmio_read64(f + GICR_TYPER);
		if ((typer >> 32) == aff)
			return f;
		if (typer & GICR_TYPER_LAST)
			break;
		f += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
	return 0;
}

static struct vval icc_ctlr[NR_CPUS];
static void read_icc_ctlr(void *arg)
{
	u64 val, esr;

	(void)arg;
	guard_arm();
	val = read_sysreg(s3_0_c12_c12_4);	/* ICC_CTLR_EL1 */
	esr = guard_disarm();
	icc_ctlr[smp_processor_id()] = vval_from(val, esr);
}

static void gic_collect(struct view *v)
{
	u64 d = platform.gicd_base;

	view_add(v, vval_u64((u64)platform.gic_version), "gic.version");
	if (platform.gic_version == 3) {
		view_add(v, vval_u64(mmio_read32(d + GICD_IIDR)), "gic.GICD_IIDR");
		view_add(v, vval_u64(mmio_read32(d + GICD_TYPER)), "gic.GICD_TYPER");
		view_add(v, vval_u64(mmio_read32(d + GICD_TYPER2)), "gic.GICD_TYPER2");
		view_add(v, vval_u64(mmio_read32(d + GICD_PIDR2_V3)), "gic.GICD_PIDR2");
		for (int cpu = 0; cpu < platform.nr_cpus; cpu++) {
			u64 f = gicr_frame_of(platform.cpu_mpidr[cpu]);
			if (!f)
				report_abort("gic: no redistributor frame for CPU%d (MPIDR 0x%lx)",
					     cpu, platform.cpu_mpidr[cpu]);
			view_add(v, vval_u64(mmio_read64(f + GICR_TYPER)), "gic.cpu%d.GICR_TYPER", cpu);
			view_add(v, vval_u64(mmio_read32(f + GICR_IIDR)), "gic.cpu%d.GICR_IIDR", cpu);
		}
		on_cpus(read_icc_ctlr, NULL);
		for (int cpu = 0; cpu < platform.nr_cpus; cpu++)
			if (cpu_online(cpu))
				view_add(v, icc_ctlr[cpu], "gic.cpu%d.ICC_CTLR_EL1", cpu);
	} else if (platform.gic_version == 2) {
		view_add(v, vval_u64(mmio_read32(d + GICD_IIDR)), "gic.GICD_IIDR");
		view_add(v, vval_u64(mmio_read32(d + GICD_TYPER)), "gic.GICD_TYPER");
		view_add(v, vval_u64(mmio_read32(d + GICD_PIDR2_V2)), "gic.GICD_PIDR2");
		view_add(v, vval_u64(mmio_read32(platform.gicc_base + GICC_IIDR)), "gic.GICC_IIDR");
	}
}

/* ID_AA64DFR0_EL1.PMUVer: 0 none, 0xF IMPLEMENTATION DEFINED (not PMUv3). */
static bool has_pmuv3(void)
{
	u64 pmuver = IDF_GET(ID_AA64DFR0_EL1, PMUVer, read_sysreg(id_aa64dfr0_el1));

	return pmuver != 0 && pmuver != 0xf;
}

static struct vval guarded_read(u64 (*reader)(void))
{
	u64 val, esr;

	guard_arm();
	val = reader();
	esr = guard_disarm();
	return vval_from(val, esr);
}

static u64 rd_pmcr(void) { return read_sysreg(pmcr_el0); }
static u64 rd_pmceid0(void) { return read_sysreg(pmceid0_el0); }
static u64 rd_pmceid1(void) { return read_sysreg(pmceid1_el0); }

void dev_view_collect(struct view *v)
{
	gic_collect(v);
	view_add(v, vval_u64(read_sysreg(cntfrq_el0)), "timer.CNTFRQ_EL0");
	view_add(v, vval_u64(platform.has_timer), "timer.dt_node");
	view_add(v, vval_u64(platform.has_pmu), "pmu.dt_node");
	if (has_pmuv3()) {
		struct vval pmcr = guarded_read(rd_pmcr);
		/* PMCR_EL0.N, bits 15:11: the event counters; the rest is mostly control. */
		if (pmcr.type == VT_VALUE)
			pmcr.value = (pmcr.value >> 11) & 0x1f;
		view_add(v, pmcr, "pmu.PMCR_EL0.N");
		view_add(v, guarded_read(rd_pmceid0), "pmu.PMCEID0_EL0");
		view_add(v, guarded_read(rd_pmceid1), "pmu.PMCEID1_EL0");
	}
}
