/*
 * guestview.c: collect the guest's view.  The order of the keys is the
 * tables' order, so two fingerprints diff cleanly line by line:
 * sysreg (tables/idregs.def), idspace (192 slots), fw (firmware.def),
 * gic/timer/pmu, then probe.el0 (each register read at EL0).
 */
#include "guestview.h"
#include "alloc.h"
#include "devview.h"
#include "fwview.h"
#include "guard.h"
#include "insn.h"
#include "smp.h"

#define VIEW_ENTRIES (NR_IDREGS + IDSPACE_SLOTS + 2 * CACHE_SELS + 128 + 8 * NR_CPUS)

static void collect_cpu(void *arg)
{
	struct guest_view *gv = arg;

	cpu_ids_collect(gv->cpu[smp_processor_id()]);
}

bool idreg_el0_accessible(enum idreg_id reg)
{
	return reg == IDREG_CTR_EL0 || reg == IDREG_DCZID_EL0;
}

static void collect_el0(struct guest_view *gv)
{
	for (int r = 0; r < NR_IDREGS; r++) {
		const struct idreg_desc *d = &idregs[r];
		u32 mrs = insn_mrs(d->op0, d->op1, d->crn, d->crm, d->op2, 0);
		struct insn_result res;

		if (!insn_exec_el0(&mrs, 1, 0, 0, 0, &res))
			return;
		gv->el0[r] = res.esr == GUARD_NONE ? (struct vval){ VT_EXEC, 0 } :
						     vval_from(0, res.esr);
	}
	gv->el0_done = true;
}

static void add_sysregs(struct guest_view *gv)
{
	const struct cpu_ids *c0 = gv->cpu[0];
	char sel[8];

	for (int r = 0; r < NR_IDREGS; r++) {
		const char *name = idregs[r].name;
		switch (idregs[r].scope) {
		case SCOPE_VM:
			view_add(gv->view, cpu_ids_reg(c0, r), "sysreg.%s", name);
			break;
		case SCOPE_CPU:
			for (int cpu = 0; cpu < platform.nr_cpus; cpu++)
				if (gv->cpu[cpu])
					view_add(gv->view, cpu_ids_reg(gv->cpu[cpu], r),
						 "sysreg.cpu%d.%s", cpu, name);
			break;
		case SCOPE_CACHE:
			for (unsigned int s = 0; s < CACHE_SELS; s++) {
				if (!c0->cache_present[s])
					continue;
				view_add(gv->view, r == IDREG_CCSIDR2_EL1 ? c0->ccsidr2[s] : c0->ccsidr[s],
					 "sysreg.%s.%s", name,
					 cache_sel_name(s, c0->cache_unified[s], sel, sizeof(sel)));
			}
			break;
		}
	}
}

struct guest_view *guest_view_collect(void)
{
	struct guest_view *gv = alloc_pages(sizeof(*gv));
	u64 start = timer_count();

	smp_boot_secondaries();
	for (int cpu = 0; cpu < platform.nr_cpus; cpu++)
		if (cpu_online(cpu))
			gv->cpu[cpu] = alloc_pages(sizeof(struct cpu_ids));
	on_cpus(collect_cpu, gv);
	collect_el0(gv);

	gv->view = view_new(VIEW_ENTRIES);
	add_sysregs(gv);
	for (unsigned int s = 0; s < IDSPACE_SLOTS; s++)
		view_add(gv->view, gv->cpu[0]->slot[s], "idspace.s3_%u_c0_c%u_%u",
			 idspace_op1(s), idspace_crm(s), idspace_op2(s));
	fw_view_collect(gv->view);
	dev_view_collect(gv->view);
	if (gv->el0_done)
		for (int r = 0; r < NR_IDREGS; r++)
			view_add(gv->view, gv->el0[r], "probe.el0.%s", idregs[r].name);
	gv->ticks = timer_count() - start;
	return gv;
}
