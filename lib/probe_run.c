/* probe_run.c: see probe_run.h. */
#include "probe_run.h"
#include "alloc.h"
#include "guard.h"
#include "insn.h"
#include "percpu.h"
#include "exceptions.h"

static u8 *el1_scratch[NR_CPUS];

/* Sets or clears the probe's own enable; returns CPACR_EL1 as it was. */
static u64 own_enable(const struct probe_desc *d, enum probe_pass pass)
{
	u64 cpacr = read_sysreg(cpacr_el1), want = cpacr;
	u64 bits = probe_enables[d->pre].cpacr;

	if (pass == PASS_OWN_SET)
		want |= bits;
	else if (pass == PASS_OWN_CLEAR)
		want &= ~bits;
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

bool probe_run(enum probe_id p, bool el0, enum probe_pass pass, struct vval *out, u64 *esr)
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
	saved = own_enable(d, pass);
	if (el0)
		insn_exec_el0(d->insn, d->n, probe_arg_value(d->arg[0], buf), probe_arg_value(d->arg[1], buf),
			      probe_arg_value(d->arg[2], buf), &r);
	else
		insn_exec_el1(d->insn, d->n, probe_arg_value(d->arg[0], buf), probe_arg_value(d->arg[1], buf),
			      probe_arg_value(d->arg[2], buf), &r);
	write_sysreg(saved, cpacr_el1);
	isb();
	if (r.esr == GUARD_NONE)
		*out = (struct vval){ VT_EXEC, 0 };
	else if (pass == PASS_OWN_CLEAR && ESR_EC(r.esr) == probe_enables[d->pre].ec)
		*out = (struct vval){ VT_OWNTRAP, 0 };
	else
		*out = vval_from(0, r.esr);
	*esr = r.esr;
	return true;
}
