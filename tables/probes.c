/* probes.c: the probe descriptors and condition evaluation of probes.h. */
#include "probes.h"
#include <string.h>

const struct probe_desc probes[NR_PROBES] = {
#define PROBE(name, cond, cls, pre, el, x0, x1, x2, n, i0, i1, i2) \
	[PROBE_##name] = { #name, #cond, cls, pre, el, { x0, x1, x2 }, n, { i0, i1, i2 } },
#include "probes.def"
#undef PROBE
};

bool feat_term(struct probe_eval *ev, const uint64_t *values, int field, int64_t min)
{
	const struct idfield_desc *f = &idfields[field];
	int64_t level = idfield_level(f, values[f->reg]);

	if (ev && ev->n < sizeof(ev->t) / sizeof(ev->t[0]))
		ev->t[ev->n++] = (struct feat_term){ f->reg, (uint16_t)field, level, min };
	return level >= min;
}

#define FEAT(reg, field, min) \
	feat_term(ev, values, IDFIELD_##reg##_##field##_LAYOUT_ANY, min)

bool probe_advertised(enum probe_id p, const uint64_t *values, struct probe_eval *ev)
{
	if (ev)
		ev->n = 0;
	switch (p) {
#define PROBE(name, cond, cls, pre, el, x0, x1, x2, n, i0, i1, i2) \
	case PROBE_##name: return (cond);
#include "probes.def"
#undef PROBE
	default:
		return false;
	}
}

const char *probe_class_name(int cls)
{
	static const char *const names[] = { [CLASS_U] = "U", [CLASS_K] = "K", [CLASS_N] = "N" };

	return cls >= 0 && cls <= CLASS_N ? names[cls] : "?";
}

int probe_by_name(const char *name)
{
	for (int i = 0; i < NR_PROBES; i++)
		if (!strcmp(probes[i].name, name))
			return i;
	return -1;
}

/* ---- own EL1 enables ---- */

const struct probe_enable probe_enables[NR_PRE] = {
	/* Arm ARM CPACR_EL1.ZEN: with FEAT_SVE, traps SVE instructions and ZCR_EL1 to EL1, EC 0x19 */
	[PRE_SVE] = { "CPACR_EL1.ZEN", "SVE", UINT64_C(3) << 16, 0x19,
		      IDFIELD_ID_AA64PFR0_EL1_SVE_LAYOUT_ANY, 1 },
	/* Arm ARM CPACR_EL1.SMEN: with FEAT_SME, traps SME instructions, SMCR_EL1 and SVCR to EL1, EC 0x1D */
	[PRE_SME] = { "CPACR_EL1.SMEN", "SME", UINT64_C(3) << 24, 0x1d,
		      IDFIELD_ID_AA64PFR1_EL1_SME_LAYOUT_ANY, 1 },
};

bool probe_has_own_enable(enum probe_id p)
{
	return probe_enables[probes[p].pre].name != NULL;
}

bool probe_enable_advertised(enum probe_id p, const uint64_t *values)
{
	const struct probe_enable *en = &probe_enables[probes[p].pre];

	return en->name && feat_term(NULL, values, en->field, en->min);
}

/* ---- errata ---- */

const struct erratum errata[] = {
#define ERRATUM(probe, kind, kernel_from, kernel_below, testbed_below, evidence) \
	{ PROBE_##probe, kind, kernel_from, kernel_below, testbed_below, evidence },
#include "errata.def"
#undef ERRATUM
};
const unsigned int nr_errata = sizeof(errata) / sizeof(errata[0]);

int erratum_find(enum probe_id p, const struct probe_host *h)
{
	for (unsigned int i = 0; i < nr_errata; i++) {
		const struct erratum *e = &errata[i];

		if (e->probe != p)
			continue;
		/* Facts not given never match: an unrecorded leak stays a FAIL. */
		if (e->kind == ERRATUM_TESTBED && (!h->testbed_qemu || h->testbed_qemu >= e->testbed_below))
			continue;
		if (e->kind == ERRATUM_KERNEL && !h->kernel)
			continue;
		if (e->kernel_from && (!h->kernel || h->kernel < e->kernel_from))
			continue;
		if (e->kernel_below && (!h->kernel || h->kernel >= e->kernel_below))
			continue;
		return (int)i;
	}
	return -1;
}

uint32_t probe_parse_version(const char *s)
{
	uint32_t part[3] = { 0, 0, 0 };
	unsigned int n = 0;

	while (n < 3 && *s >= '0' && *s <= '9') {
		uint32_t v = 0;

		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (uint32_t)(*s++ - '0');
			if (v > 999)
				return 0;
		}
		part[n++] = v;
		if (*s != '.')
			break;
		s++;
	}
	return n >= 2 ? PROBE_VERSION(part[0], part[1], part[2]) : 0;
}

/* ---- verdicts ---- */

const char *const probe_leak_names[] = {
	[LEAK_NONE] = "",
	[LEAK_ARCH] = "architectural leak",
	[LEAK_UNTRAPPABLE] = "untrappable by definition",
	[LEAK_HYP] = "the hypervisor should trap it",
	[LEAK_TESTBED] = "test-bed gap",
	[LEAK_KERNEL] = "known kernel bug",
};

static struct probe_verdict verdict(enum probe_verdict_kind kind, enum probe_leak leak, const char *what)
{
	return (struct probe_verdict){ (uint8_t)kind, (uint8_t)leak, -1, what };
}

struct probe_verdict probe_judge(enum probe_id p, bool adv, bool enable_adv, enum probe_pass pass,
				 enum probe_got got, unsigned int ec, const struct probe_host *h)
{
	const struct probe_desc *d = &probes[p];
	const struct probe_enable *en = &probe_enables[d->pre];
	bool own_ec = got == GOT_TRAP && pass != PASS_PLAIN && ec == en->ec;
	struct probe_verdict v;

	if (pass == PASS_OWN_CLEAR) {
		/*
		 * An implemented instruction traps on the guest's own enable,
		 * whatever EL2 does: expected when the enable's feature is
		 * advertised (with SVE advertised, a hidden SVE2 that traps here
		 * is the set run's leak, judged there), a leak when it is hidden.
		 * An instruction the CPU does not implement is UNDEFINED first (an
		 * unallocated encoding, before any enable is checked): with SVE
		 * advertised but SVE2 absent (Neoverse V1) an SVE2 probe UNDEFs
		 * with ZEN clear too, so UNDEFINED is judged by the probe's own
		 * condition.
		 */
		if (own_ec)
			return enable_adv ? verdict(PV_PASS, LEAK_NONE, "advertised, traps on the guest's own enable")
					  : verdict(PV_KFAIL, LEAK_ARCH, "hidden but answers the guest's own enable trap");
		if (got == GOT_UNDEF)
			return adv ? verdict(PV_FAIL, LEAK_NONE, "advertised, UNDEFINED instead of the own enable's trap")
				   : verdict(PV_PASS, LEAK_NONE, "hidden and UNDEFINED");
		if (got == GOT_EXEC)
			return verdict(PV_FAIL, LEAK_NONE, "executes with the guest's own enable clear (wrong PRE in probes.def?)");
		return verdict(PV_FAIL, LEAK_NONE, "unexpected exception class");
	}
	/* Trapped as its own feature with the enable set: the hypervisor let it through. */
	if (got == GOT_TRAP && (adv || !own_ec))
		return verdict(PV_FAIL, LEAK_NONE, "unexpected exception class");
	if (adv)
		return got == GOT_EXEC ? verdict(PV_PASS, LEAK_NONE, "advertised and executes")
				       : verdict(PV_FAIL, LEAK_NONE, "advertised and UNDEFINED");
	if (got == GOT_UNDEF)
		return verdict(PV_PASS, LEAK_NONE, "hidden and UNDEFINED");
	v = verdict(PV_FAIL, LEAK_HYP, own_ec ? "hidden, trapped as its feature with the guest's own enable set"
					      : "hidden but executes");
	/*
	 * With the feature behind the own enable hidden as a whole, its EL2
	 * trap (CPTR_EL2) covers every instruction of it, whatever the class:
	 * "N within SVE" is untrappable only while SVE itself is advertised.
	 */
	if ((d->cls == CLASS_U || d->cls == CLASS_N) && !(pass == PASS_OWN_SET && !enable_adv)) {
		v.kind = PV_KFAIL;
		v.leak = LEAK_UNTRAPPABLE;
		return v;
	}
	v.erratum = erratum_find(p, h);
	if (v.erratum >= 0) {
		v.kind = PV_KFAIL;
		v.leak = errata[v.erratum].kind == ERRATUM_TESTBED ? LEAK_TESTBED : LEAK_KERNEL;
	}
	return v;
}
