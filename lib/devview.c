/*
 * devview.c: GIC, generic timer and PMU identification registers.
 * GIC offsets from the GICv3/v4 architecture specification (IHI 0069) and
 * the GICv2 one (IHI 0048); PMU registers from the Arm ARM (D23).
 * Every key is one of tables/devkeys.def, written through dev_add() by its
 * DEVKEY id: the guest cannot write a key that gvfp's table lacks.
 */
#include "devview.h"
#include "devkeys.h"
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

/* The table's key id, for the whole VM (cpu -1) or for one vCPU. */
static void dev_add(struct view *v, enum devkey_id id, int cpu, struct vval val)
{
	const struct devkey_desc *d = &devkeys[id];

	if ((d->scope == DK_PER_CPU) != (cpu >= 0))
		report_abort("devview: %s.%s is %s, written with cpu %d", d->family, d->name,
			     d->scope == DK_PER_CPU ? "per vCPU" : "VM-wide", cpu);
	if (cpu >= 0)
		view_add(v, val, "%s." DEVKEY_CPU_PART "%d.%s", d->family, cpu, d->name);
	else
		view_add(v, val, "%s.%s", d->family, d->name);
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

	dev_add(v, DEVKEY_GIC_VERSION, -1, vval_u64((u64)platform.gic_version));
	if (platform.gic_version == 3) {
		dev_add(v, DEVKEY_GICD_IIDR, -1, vval_u64(mmio_read32(d + GICD_IIDR)));
		dev_add(v, DEVKEY_GICD_TYPER, -1, vval_u64(mmio_read32(d + GICD_TYPER)));
		dev_add(v, DEVKEY_GICD_TYPER2, -1, vval_u64(mmio_read32(d + GICD_TYPER2)));
		dev_add(v, DEVKEY_GICD_PIDR2, -1, vval_u64(mmio_read32(d + GICD_PIDR2_V3)));
		for (int cpu = 0; cpu < platform.nr_cpus; cpu++) {
			u64 f = gicr_frame_of(platform.cpu_mpidr[cpu]);
			if (!f)
				report_abort("gic: no redistributor frame for CPU%d (MPIDR 0x%lx)",
					     cpu, platform.cpu_mpidr[cpu]);
			dev_add(v, DEVKEY_GICR_TYPER, cpu, vval_u64(mmio_read64(f + GICR_TYPER)));
			dev_add(v, DEVKEY_GICR_IIDR, cpu, vval_u64(mmio_read32(f + GICR_IIDR)));
		}
		on_cpus(read_icc_ctlr, NULL);
		for (int cpu = 0; cpu < platform.nr_cpus; cpu++)
			if (cpu_online(cpu))
				dev_add(v, DEVKEY_ICC_CTLR_EL1, cpu, icc_ctlr[cpu]);
	} else if (platform.gic_version == 2) {
		dev_add(v, DEVKEY_GICD_IIDR, -1, vval_u64(mmio_read32(d + GICD_IIDR)));
		dev_add(v, DEVKEY_GICD_TYPER, -1, vval_u64(mmio_read32(d + GICD_TYPER)));
		dev_add(v, DEVKEY_GICD_PIDR2, -1, vval_u64(mmio_read32(d + GICD_PIDR2_V2)));
		dev_add(v, DEVKEY_GICC_IIDR, -1, vval_u64(mmio_read32(platform.gicc_base + GICC_IIDR)));
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
	dev_add(v, DEVKEY_CNTFRQ_EL0, -1, vval_u64(read_sysreg(cntfrq_el0)));
	dev_add(v, DEVKEY_TIMER_DT_NODE, -1, vval_u64(platform.has_timer));
	dev_add(v, DEVKEY_PMU_DT_NODE, -1, vval_u64(platform.has_pmu));
	if (has_pmuv3()) {
		struct vval pmcr = guarded_read(rd_pmcr);
		/* PMCR_EL0.N, bits 15:11: the event counters; the rest is mostly control. */
		if (pmcr.type == VT_VALUE)
			pmcr.value = (pmcr.value >> 11) & 0x1f;
		dev_add(v, DEVKEY_PMCR_EL0_N, -1, pmcr);
		dev_add(v, DEVKEY_PMCEID0_EL0, -1, guarded_read(rd_pmceid0));
		dev_add(v, DEVKEY_PMCEID1_EL0, -1, guarded_read(rd_pmceid1));
	}
}
