/* probe_run.c: see probe_run.h. */
#include "probe_run.h"
#include "alloc.h"
#include "guard.h"
#include "insn.h"
#include "percpu.h"
#include "idfields.h"

#define CPACR_ZEN	(3UL << 16)
#define CPACR_SMEN	(3UL << 24)

static u8 *el1_scratch[NR_CPUS];

/*
 * Enable SVE or SME for the probe when, and only when, the ID registers
 * advertise them: CPACR_EL1.ZEN/SMEN are RES0 otherwise.  A hidden feature
 * then meets its UNDEF (or the hypervisor's), as the guest would.
 */
static u64 enable_pre(const struct probe_desc *d, const uint64_t *v)
{
	u64 cpacr = read_sysreg(cpacr_el1), want = cpacr;
	u64 pfr0 = v[IDREG_ID_AA64PFR0_EL1], pfr1 = v[IDREG_ID_AA64PFR1_EL1];

	if (d->pre == PRE_SVE && IDF_GET(ID_AA64PFR0_EL1, SVE, pfr0))
		want |= CPACR_ZEN;
	if (d->pre == PRE_SME && IDF_GET(ID_AA64PFR1_EL1, SME, pfr1))
		want |= CPACR_SMEN;
	if (want != cpacr) {
		write_sysreg(want, cpacr_el1);
		isb();
	}
	return cpacr;
}

static u64 probe_arg_value(enum probe_arg a, u8 *buf)
{
	return a == ARG_BUF ? (uintptr_t)buf : a == ARG_16 ? 16 : 0;
}

bool probe_run(enum probe_id p, bool el0, const uint64_t *idvalues, struct vval *out, u64 *esr)
{
	const struct probe_desc *d = &probes[p];
	unsigned int cpu = smp_processor_id();
	struct insn_result r;
	u8 *buf;
	u64 saved;

	if (el0) {
		if (!(buf = el0_scratch()))
			return false;
	} else {
		if (!el1_scratch[cpu])
			el1_scratch[cpu] = alloc_pages(SZ_4K);
		buf = el1_scratch[cpu];
	}
	memset(buf, 0, SZ_4K);
	saved = enable_pre(d, idvalues);
	if (el0)
		insn_exec_el0(d->insn, d->n, probe_arg_value(d->arg[0], buf), probe_arg_value(d->arg[1], buf),
			      probe_arg_value(d->arg[2], buf), &r);
	else
		insn_exec_el1(d->insn, d->n, probe_arg_value(d->arg[0], buf), probe_arg_value(d->arg[1], buf),
			      probe_arg_value(d->arg[2], buf), &r);
	write_sysreg(saved, cpacr_el1);
	isb();
	*out = r.esr == GUARD_NONE ? (struct vval){ VT_EXEC, 0 } : vval_from(0, r.esr);
	*esr = r.esr;
	return true;
}
