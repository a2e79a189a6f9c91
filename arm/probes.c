/*
 * probes: what the guest can execute must match what its ID registers
 * promise.  Every probe of tables/probes.def runs guarded at EL1, and the
 * EL0-valid ones again at EL0; the outcome is checked against the probe's
 * ID condition:
 *   advertised, executed            PASS
 *   advertised, trapped             FAIL (the feature was promised)
 *   hidden, UNDEF                   PASS
 *   hidden, executed, class U or K  FAIL (the hypervisor should trap it)
 *   hidden, executed, class N       KFAIL: a leak nothing can trap, named
 *   any other exception class       FAIL, with the syndrome decoded
 * Outcomes go into the fingerprint as probe.<name> / probe.el0.<name>.
 *
 * Argument (for the project's own tests): override=<probe>:<REG>.<FIELD>:<min>
 * replaces one probe's condition, to show that a wrong table entry fails.
 */
#include "libcflat.h"
#include "exceptions.h"
#include "guestview.h"
#include "probe_run.h"
#include "smp.h"

static const char *const class_names[] = { "U", "K", "N" };

struct override {
	int probe, field;
	long min;
};

static bool parse_override(const char *arg, struct override *o)
{
	char reg[48], field[48];
	const char *colon = strchr(arg, ':'), *dot, *colon2;
	size_t plen;

	if (!colon || !(dot = strchr(colon, '.')) || !(colon2 = strchr(dot, ':')))
		return false;
	plen = (size_t)(colon - arg);
	for (o->probe = 0; o->probe < NR_PROBES; o->probe++)
		if (strlen(probes[o->probe].name) == plen && !strncmp(probes[o->probe].name, arg, plen))
			break;
	if (o->probe == NR_PROBES || (size_t)(dot - colon - 1) >= sizeof(reg) ||
	    (size_t)(colon2 - dot - 1) >= sizeof(field))
		return false;
	snprintf(reg, sizeof(reg), "%.*s", (int)(dot - colon - 1), colon + 1);
	snprintf(field, sizeof(field), "%.*s", (int)(colon2 - dot - 1), dot + 1);
	o->min = (long)strtoul(colon2 + 1, NULL, 0);
	for (o->field = 0; o->field < NR_IDFIELDS; o->field++)
		if (!strcmp(idregs[idfields[o->field].reg].name, reg) &&
		    !strcmp(idfields[o->field].name, field) && idfields[o->field].layout == LAYOUT_ANY)
			return true;
	return false;
}

/* "ID_AA64ISAR0_EL1.Atomic = 2 (>= 2 advertises)", for every term looked at. */
static void describe_terms(const struct probe_eval *ev, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < ev->n && used < size; i++) {
		const struct feat_term *t = &ev->t[i];
		used += (size_t)snprintf(buf + used, size - used, "%s%s.%s = %ld (>= %ld advertises)",
					 i ? ", " : "", idregs[t->reg].name, idfields[t->field].name,
					 (long)t->level, (long)t->min);
	}
}

static void judge(enum probe_id p, bool adv, struct vval got, u64 esr_full,
		  const struct probe_eval *ev)
{
	const struct probe_desc *d = &probes[p];
	char terms[256], outcome[24];

	describe_terms(ev, terms, sizeof(terms));
	vval_str(got, outcome, sizeof(outcome));
	if (got.type == VT_TRAP) {
		char esr[160];
		esr_describe(esr, sizeof(esr), esr_full);
		report_fail("%s (class %s): unexpected exception class, %s; %s", d->name,
			    class_names[d->cls], esr, terms);
	} else if (adv) {
		report(got.type == VT_EXEC, "%s: advertised and %s; %s", d->name,
		       got.type == VT_EXEC ? "executes" : "UNDEFINED", terms);
	} else if (got.type == VT_UNDEF) {
		report_pass("%s: hidden and UNDEFINED; %s", d->name, terms);
	} else if (d->cls == CLASS_N) {
		report_kfail(true, false, "%s (class N): hidden but executes: a leak no hypervisor "
			     "can trap; %s", d->name, terms);
	} else {
		report_fail("%s (class %s): hidden but executes; %s", d->name,
			    class_names[d->cls], terms);
	}
}

int main(int argc, char **argv)
{
	struct guest_view *gv = guest_view_collect();
	struct view *v = gv->view;
	uint64_t values[NR_IDREGS];
	struct override ov = { -1, -1, 0 };
	const char *arg = arg_value(argc, argv, "override");

	if (arg && !parse_override(arg, &ov))
		report_abort("override=%s: expected <probe>:<REG>.<FIELD>:<min> with names from tables/", arg);
	for (int r = 0; r < NR_IDREGS; r++) {
		struct vval val = cpu_ids_reg(gv->cpu[smp_processor_id()], r);
		values[r] = val.type == VT_VALUE ? val.value : 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		bool el0 = pass == 1;
		report_prefix_push(el0 ? "EL0" : "EL1");
		for (int p = 0; p < NR_PROBES; p++) {
			struct probe_eval ev;
			struct vval got;
			u64 esr;
			bool adv;

			if (el0 && probes[p].el != EL_BOTH)
				continue;
			if (p == ov.probe) {
				ev.n = 0;
				adv = feat_term(&ev, values, ov.field, ov.min);
			} else {
				adv = probe_advertised(p, values, &ev);
			}
			if (!probe_run(p, el0, values, &got, &esr)) {
				report_skip("%s: no EL0 on this machine", probes[p].name);
				continue;
			}
			judge(p, adv, got, esr, &ev);
			view_add(v, got, el0 ? "probe.el0.%s" : "probe.%s", probes[p].name);
		}
		report_prefix_pop();
	}
	view_print(v);
	return report_summary();
}
