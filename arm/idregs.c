/*
 * idregs: the guest's view of its virtual CPU and platform, checked
 * against the architecture's rules and printed as a fingerprint.
 *
 * Checks (each can fail on a VMM that gets it wrong):
 *  - every vCPU reports the same CPU-wide ID registers, caches and ID
 *    space; MPIDR_EL1 is unique per vCPU and matches its DT cpu node;
 *  - every unallocated slot of op1=0, CRm=1..7 reads as zero (Arm ARM
 *    D23.3.1: the feature ID space is RAZ where no register is allocated);
 *  - the consistency rules of tables/idrules.def, each citing the Arm ARM;
 *  - CTR_EL0's minimum line sizes are the smallest CCSIDR line sizes, and
 *    CCSIDR exists for exactly the caches CLIDR_EL1 reports;
 *  - at EL0, an ID register read raises the exception class that
 *    ID_AA64MMFR2_EL1.IDS promises (0x18 with FEAT_IDST, 0x00 without).
 */
#include "libcflat.h"
#include "guestview.h"
#include "smp.h"
#include "idfields.h"

static struct guest_view *gv;

static void check_vcpus_agree(void)
{
	const struct cpu_ids *c0 = gv->cpu[0];
	char a[24], b[24];

	for (int cpu = 1; cpu < platform.nr_cpus; cpu++) {
		const struct cpu_ids *c = gv->cpu[cpu];
		unsigned int diffs = 0, compared = 0;

		if (!c) {
			report_fail("CPU%d did not come online", cpu);
			continue;
		}
		for (unsigned int s = 0; s < IDSPACE_SLOTS; s++) {
			int reg = idspace_reg(s);
			if (reg >= 0 && idregs[reg].scope == SCOPE_CPU)
				continue;	/* MPIDR: checked below */
			compared++;
			if (vval_eq(c->slot[s], c0->slot[s]))
				continue;
			diffs++;
			report_info("CPU%d: s3_%u_c0_c%u_%u (%s) is %s, CPU0 has %s", cpu,
				    idspace_op1(s), idspace_crm(s), idspace_op2(s),
				    reg >= 0 ? idregs[reg].name : "unallocated",
				    vval_str(c->slot[s], a, sizeof(a)), vval_str(c0->slot[s], b, sizeof(b)));
		}
		for (unsigned int s = 0; s < CACHE_SELS; s++) {
			compared++;
			if (c->cache_present[s] != c0->cache_present[s] ||
			    !vval_eq(c->ccsidr[s], c0->ccsidr[s]) || !vval_eq(c->ccsidr2[s], c0->ccsidr2[s])) {
				diffs++;
				report_info("CPU%d: cache selection %u differs from CPU0's", cpu, s);
			}
		}
		report(!diffs, "CPU%d: ID space and caches equal CPU0's (%u of %u differ)", cpu,
		       diffs, compared);
	}
}

static void check_mpidr(void)
{
	int online = 0, match = 0, unique = 1;

	for (int cpu = 0; cpu < platform.nr_cpus; cpu++) {
		const struct cpu_ids *c = gv->cpu[cpu];
		if (!c)
			continue;
		online++;
		if ((c->mpidr & MPIDR_AFFINITY_MASK) == platform.cpu_mpidr[cpu])
			match++;
		else
			report_info("CPU%d: MPIDR_EL1 0x%lx, its DT cpu node says 0x%lx", cpu,
				    c->mpidr, platform.cpu_mpidr[cpu]);
		for (int o = 0; o < cpu; o++)
			if (gv->cpu[o] && gv->cpu[o]->mpidr == c->mpidr) {
				unique = 0;
				report_info("CPU%d and CPU%d share MPIDR_EL1 0x%lx", o, cpu, c->mpidr);
			}
	}
	report(online == platform.nr_cpus, "%d of %d vCPUs online", online, platform.nr_cpus);
	report(match == online, "MPIDR_EL1 matches the DT cpu node on %d of %d vCPUs", match, online);
	report(unique, "MPIDR_EL1 is unique per vCPU");
}

static void check_unallocated_raz(void)
{
	unsigned int checked = 0, bad = 0;
	char val[24];

	for (unsigned int s = 0; s < IDSPACE_SLOTS; s++) {
		const struct vval *v = &gv->cpu[0]->slot[s];
		if (idspace_op1(s) != 0 || idspace_crm(s) == 0 || idspace_reg(s) >= 0)
			continue;
		checked++;
		if (v->type != VT_VALUE || v->value) {
			bad++;
			report_info("unallocated s3_0_c0_c%u_%u reads %s", idspace_crm(s),
				    idspace_op2(s), vval_str(*v, val, sizeof(val)));
		}
	}
	report(checked > 0 && !bad, "%u unallocated ID space slots read as zero (%u do not)",
	       checked, bad);
}

static void check_rules(void)
{
	u64 values[NR_IDREGS];

	for (int r = 0; r < NR_IDREGS; r++) {
		struct vval v = cpu_ids_reg(gv->cpu[0], r);
		values[r] = v.type == VT_VALUE ? v.value : 0;
	}
	report_prefix_push("rule");
	for (int i = 0; i < NR_IDRULES; i++)
		report(idrule_holds(i, values), "%s (%s)", idrules[i].name, idrules[i].citation);
	report_prefix_pop();
}

/* CTR_EL0.DminLine/IminLine: log2 words of the smallest D/U and I line. */
static void check_caches(void)
{
	const struct cpu_ids *c0 = gv->cpu[0];
	struct vval ctr = cpu_ids_reg(c0, IDREG_CTR_EL0);
	unsigned int dmin = 99, imin = 99, present = 0, valid = 0;

	for (unsigned int s = 0; s < CACHE_SELS; s++) {
		unsigned int words;
		if (!c0->cache_present[s])
			continue;
		present++;
		if (c0->ccsidr[s].type != VT_VALUE)
			continue;
		valid++;
		/* CCSIDR_EL1.LineSize is log2(bytes) - 4, at one place in both layouts. */
		_Static_assert(IDF_CCSIDR_EL1_LineSize_CCIDX_MASK == IDF_CCSIDR_EL1_LineSize_NOCCIDX_MASK,
			       "CCSIDR_EL1.LineSize moves with the layout");
		words = (unsigned int)IDF_GET(CCSIDR_EL1, LineSize_NOCCIDX, c0->ccsidr[s].value) + 2;
		if (s & 1)
			imin = words < imin ? words : imin;
		else
			dmin = words < dmin ? words : dmin;
	}
	report(present > 0 && valid == present, "CCSIDR_EL1 readable for all %u caches CLIDR_EL1 reports",
	       present);
	if (ctr.type != VT_VALUE || dmin == 99) {
		report_skip("CTR_EL0 line sizes: no data cache described");
		return;
	}
	report(IDF_GET(CTR_EL0, DminLine, ctr.value) == dmin,
	       "CTR_EL0.DminLine %lu is the smallest D/U line (%u)",
	       IDF_GET(CTR_EL0, DminLine, ctr.value), dmin);
	if (imin != 99)
		report(IDF_GET(CTR_EL0, IminLine, ctr.value) == imin,
		       "CTR_EL0.IminLine %lu is the smallest I line (%u)",
		       IDF_GET(CTR_EL0, IminLine, ctr.value), imin);
}

static void check_el0(void)
{
	struct vval mmfr2 = cpu_ids_reg(gv->cpu[0], IDREG_ID_AA64MMFR2_EL1);
	bool idst = mmfr2.type == VT_VALUE && IDF_GET(ID_AA64MMFR2_EL1, IDS, mmfr2.value);
	struct vval want = idst ? (struct vval){ VT_TRAP, 0x18 } : (struct vval){ VT_UNDEF, 0 };
	unsigned int checked = 0, bad = 0;
	char got[24], exp[24];

	if (!gv->el0_done) {
		report_skip("EL0: no EL0 mapping on this machine");
		return;
	}
	for (int r = 0; r < NR_IDREGS; r++) {
		struct vval expect = idreg_el0_accessible(r) ? (struct vval){ VT_EXEC, 0 } : want;
		checked++;
		if (!vval_eq(gv->el0[r], expect)) {
			bad++;
			report_info("EL0 read of %s: %s, expected %s", idregs[r].name,
				    vval_str(gv->el0[r], got, sizeof(got)),
				    vval_str(expect, exp, sizeof(exp)));
		}
	}
	report(!bad, "EL0: ID register reads raise %s as ID_AA64MMFR2_EL1.IDS=%d promises "
	       "(%u of %u differ)", vval_str(want, exp, sizeof(exp)), idst, bad, checked);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	gv = guest_view_collect();
	report_info("collected %u keys on %d vCPUs in %lu counter ticks (%lu us)", gv->view->n,
		    platform.nr_cpus, gv->ticks, gv->ticks * 1000000 / timer_freq());
	check_vcpus_agree();
	check_mpidr();
	check_unallocated_raz();
	check_caches();
	check_el0();
	check_rules();
	view_print(gv->view);
	return report_summary();
}
