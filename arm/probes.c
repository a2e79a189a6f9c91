/*
 * probes: what the guest can execute must match what its ID registers
 * promise.  Every probe of tables/probes.def runs guarded at EL1, and the
 * EL0-valid ones again at EL0; a probe with an own EL1 enable (PRE_SVE,
 * PRE_SME: CPACR_EL1.ZEN/SMEN) runs twice, with the guest's own enable set
 * and clear.  The verdict is tables/probes.c's probe_judge():
 *   advertised, executed (own enable clear: its own trap)   PASS
 *   advertised, trapped                                     FAIL
 *   hidden, UNDEF                                           PASS
 *   hidden, own enable clear, its own trap (EC 0x19/0x1D)   KFAIL, architectural leak
 *   hidden, executed, class U or N                          KFAIL, untrappable by definition
 *   hidden, executed, class K (or own enable set)           FAIL, the hypervisor should trap it,
 *                                                           unless tables/errata.def has it for
 *                                                           this host: KFAIL, test-bed gap or
 *                                                           known kernel bug
 *   any other exception class                               FAIL, with the syndrome decoded
 * Outcomes go into the fingerprint as probe.<name> / probe.el0.<name> (own
 * enable set) and probe[.el0].<name>.own_enable_clear.
 *
 * Arguments:
 *   host_kernel=VERSION, testbed_qemu=VERSION  where the guest runs (the
 *     harness knows, the guest cannot): the host kernel's version and the
 *     outer QEMU of an emulated host; tables/errata.def entries match them
 *   hide=REG.FIELD[,REG.FIELD...]  (the project's own tests) the guest takes
 *     these ID fields as 0, as if the hypervisor hid them: under TCG on a
 *     CPU that has the feature, this is the hidden-but-present case of KVM
 *   override=<probe>:<REG>.<FIELD>:<min>  (the project's own tests) replaces
 *     one probe's condition, to show that a wrong table entry fails
 */
#include "libcflat.h"
#include "exceptions.h"
#include "guestview.h"
#include "probe_run.h"
#include "smp.h"

struct override {
	int probe, field;
	long min;
};

/* The index of REG.FIELD (given as [reg, reg + rlen) and [field, field + flen)) in idfields[], or -1. */
static int find_field(const char *reg, size_t rlen, const char *field, size_t flen)
{
	for (int f = 0; f < NR_IDFIELDS; f++) {
		const char *rn = idregs[idfields[f].reg].name, *fn = idfields[f].name;

		if (idfields[f].layout == LAYOUT_ANY && strlen(rn) == rlen && !strncmp(rn, reg, rlen) &&
		    strlen(fn) == flen && !strncmp(fn, field, flen))
			return f;
	}
	return -1;
}

static bool parse_override(const char *arg, struct override *o)
{
	const char *colon = strchr(arg, ':'), *dot, *colon2;
	size_t plen;

	if (!colon || !(dot = strchr(colon, '.')) || !(colon2 = strchr(dot, ':')))
		return false;
	plen = (size_t)(colon - arg);
	for (o->probe = 0; o->probe < NR_PROBES; o->probe++)
		if (strlen(probes[o->probe].name) == plen && !strncmp(probes[o->probe].name, arg, plen))
			break;
	if (o->probe == NR_PROBES)
		return false;
	o->min = (long)strtoul(colon2 + 1, NULL, 0);
	o->field = find_field(colon + 1, (size_t)(dot - colon - 1), dot + 1, (size_t)(colon2 - dot - 1));
	return o->field >= 0;
}

/* hide=REG.FIELD[,REG.FIELD...]: those fields read as 0 to the judge. */
static bool apply_hide(const char *arg, uint64_t *values)
{
	while (*arg) {
		const char *end = strchr(arg, ','), *dot;
		int f;

		if (!end)
			end = arg + strlen(arg);
		dot = memchr(arg, '.', (size_t)(end - arg));
		if (!dot || (f = find_field(arg, (size_t)(dot - arg), dot + 1, (size_t)(end - dot - 1))) < 0)
			return false;
		values[idfields[f].reg] -= idfield_get(&idfields[f], values[idfields[f].reg]) << idfields[f].lsb;
		arg = *end ? end + 1 : end;
	}
	return true;
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

static void judge(enum probe_id p, enum probe_pass pass, bool adv, bool enable_adv, struct vval got,
		  u64 esr_full, const struct probe_eval *ev, const struct probe_host *host)
{
	const struct probe_desc *d = &probes[p];
	const struct probe_enable *en = &probe_enables[d->pre];
	enum probe_got g = got.type == VT_EXEC ? GOT_EXEC : got.type == VT_UNDEF ? GOT_UNDEF : GOT_TRAP;
	struct probe_verdict v = probe_judge(p, adv, enable_adv, pass, g, ESR_EC(esr_full), host);
	char terms[256], name[64], what[192], esr[160];

	describe_terms(ev, terms, sizeof(terms));
	if (pass == PASS_PLAIN)
		snprintf(name, sizeof(name), "%s", d->name);
	else
		snprintf(name, sizeof(name), "%s, %s %s", d->name, en->name, pass == PASS_OWN_SET ? "set" : "clear");
	if (v.leak == LEAK_ARCH)
		snprintf(what, sizeof(what), "hidden %s answers the guest's own %s trap (EC 0x%02x): %s",
			 en->feature, en->name, en->ec, probe_leak_names[v.leak]);
	else if (v.erratum >= 0)
		snprintf(what, sizeof(what), "%s: %s (tables/errata.def: %s)", v.what,
			 probe_leak_names[v.leak], errata[v.erratum].evidence);
	else if (v.leak != LEAK_NONE)
		snprintf(what, sizeof(what), "%s: %s", v.what, probe_leak_names[v.leak]);
	else if (got.type == VT_TRAP && v.kind == PV_FAIL) {
		esr_describe(esr, sizeof(esr), esr_full);
		snprintf(what, sizeof(what), "%s, %s", v.what, esr);
	} else
		snprintf(what, sizeof(what), "%s", v.what);
	/* Lines that name a leak or a failure also name the class. */
	if (v.kind == PV_PASS)
		report_pass("%s: %s; %s", name, what, terms);
	else if (v.leak == LEAK_NONE && got.type != VT_TRAP)
		report_fail("%s: %s; %s", name, what, terms);
	else if (v.kind == PV_KFAIL)
		report_kfail(true, false, "%s (class %s): %s; %s", name, probe_class_name(d->cls), what, terms);
	else
		report_fail("%s (class %s): %s; %s", name, probe_class_name(d->cls), what, terms);
}

/* host_kernel=, testbed_qemu=: a version, or abort naming the argument. */
static uint32_t version_arg(int argc, char **argv, const char *key)
{
	const char *s = arg_value(argc, argv, key);
	uint32_t v;

	if (!s)
		return 0;
	if (!(v = probe_parse_version(s)))
		report_abort("%s=%s: expected a version MAJOR.MINOR[.PATCH] (each below 1000)", key, s);
	return v;
}

static void run_one(struct view *v, enum probe_id p, bool el0, enum probe_pass pass, bool adv,
		    bool enable_adv, const struct probe_eval *ev, const struct probe_host *host)
{
	struct vval got;
	u64 esr;

	if (!probe_run(p, el0, pass, &got, &esr)) {
		report_skip("%s: no EL0 on this machine", probes[p].name);
		return;
	}
	judge(p, pass, adv, enable_adv, got, esr, ev, host);
	view_add(v, got, "probe.%s%s%s", el0 ? "el0." : "", probes[p].name,
		 pass == PASS_OWN_CLEAR ? ".own_enable_clear" : "");
}

int main(int argc, char **argv)
{
	struct guest_view *gv = guest_view_collect();
	struct view *v = gv->view;
	uint64_t values[NR_IDREGS];
	struct override ov = { -1, -1, 0 };
	const char *arg = arg_value(argc, argv, "override"), *hide = arg_value(argc, argv, "hide");
	struct probe_host host = { version_arg(argc, argv, "host_kernel"), version_arg(argc, argv, "testbed_qemu") };

	if (arg && !parse_override(arg, &ov))
		report_abort("override=%s: expected <probe>:<REG>.<FIELD>:<min> with names from tables/", arg);
	for (int r = 0; r < NR_IDREGS; r++) {
		struct vval val = cpu_ids_reg(gv->cpu[smp_processor_id()], r);
		values[r] = val.type == VT_VALUE ? val.value : 0;
	}
	if (hide && !apply_hide(hide, values))
		report_abort("hide=%s: expected REG.FIELD[,REG.FIELD...] with names from tables/idregs.def", hide);
	report_info("host kernel %s, test-bed QEMU %s: tables/errata.def entries %s",
		    arg_value(argc, argv, "host_kernel") ?: "not given",
		    arg_value(argc, argv, "testbed_qemu") ?: "not given",
		    host.kernel || host.testbed_qemu ? "that match these apply" : "do not apply");
	for (int pass = 0; pass < 2; pass++) {
		bool el0 = pass == 1;
		report_prefix_push(el0 ? "EL0" : "EL1");
		for (int p = 0; p < NR_PROBES; p++) {
			struct probe_eval ev;
			bool adv, enable_adv;

			if (el0 && probes[p].el != EL_BOTH)
				continue;
			if (p == ov.probe) {
				ev.n = 0;
				adv = feat_term(&ev, values, ov.field, ov.min);
			} else {
				adv = probe_advertised(p, values, &ev);
			}
			if (!probe_has_own_enable(p)) {
				run_one(v, p, el0, PASS_PLAIN, adv, false, &ev, &host);
				continue;
			}
			enable_adv = probe_enable_advertised(p, values);
			run_one(v, p, el0, PASS_OWN_SET, adv, enable_adv, &ev, &host);
			run_one(v, p, el0, PASS_OWN_CLEAR, adv, enable_adv, &ev, &host);
		}
		report_prefix_pop();
	}
	view_print(v);
	return report_summary();
}
