/*
 * diff.c: see diff.h.  How each kind of difference is judged:
 *
 *   sysreg keys of a table register, both values read: per field, from
 *     the field's KIND: FEAT/SFEAT lower on B breaks forward, higher breaks
 *     backward; FEAT_IMPDEF as FEAT, but a change to or from 0xF (an
 *     IMPLEMENTATION DEFINED variant, no level) breaks both; LOWER the
 *     opposite of FEAT; EXACT breaks both; INFO is info (levels
 *     as decode.h's idfield_compare_level has them).  Bits
 *     that changed outside every field break both ("bits[hi:lo]").  When
 *     CCSIDR's layout differs (ID_AA64MMFR2_EL1.CCIDX), the whole value
 *     breaks both: its fields are not comparable.  A register the table
 *     does not know: any change breaks both.
 *   a value readable on A and UNDEFINED or trapping on B breaks forward,
 *     the other way round backward; a change of exception class both.
 *   probe keys: exec on A only breaks forward, on B only backward.
 *   fw.* keys, as tables/firmware.def describes the call: FWM_VERSION,
 *     a lower version on B breaks forward, higher backward; FWM_FEATURE,
 *     supported on A and NOT_SUPPORTED on B breaks forward, the other way
 *     backward; FWM_BITMAP (KVM's vendor hypervisor feature words), a bit
 *     lost on B breaks forward, gained backward; any other change breaks both.
 *   idspace slots: a slot allocated to a register that has a sysreg key
 *     whose change is reported already is not reported again; otherwise
 *     judged as that register's value (fields), or breaks both when the
 *     slot is unallocated.
 *   gic/timer/pmu keys, as tables/devkeys.def describes them: DKM_BITMAP
 *     (PMCEID0/1_EL0) as a firmware bitmap; DKM_COUNT (PMCR_EL0.N) fewer on
 *     B breaks forward, more backward; DKM_REGISTER with a layout field by
 *     field, each change breaking both; every other change breaks both.
 *   a fw/gic/timer/pmu key that neither table has: "not in this gvfp's
 *     table", breaks both (nothing guessed from its spelling).
 *   a key only on A: "missing on destination", breaks forward; only on B:
 *     "new on destination", breaks backward.
 *
 * The --json document:
 *   { "source", "destination": file names; "keys": keys in A or B;
 *     "differ", "breaks_forward", "breaks_backward", "breaks_both",
 *     "info_only": key counts (a key is counted once, by the union of its
 *     verdicts); "forward_compatible", "backward_compatible": booleans;
 *     "changes": [ { "key", "label", "register" (or null), "old", "new"
 *       (values as in the fingerprint, null when absent), "verdict",
 *       "reason" (or null), "fields": [ { "name", "lsb", "width", "kind",
 *       "old", "new" (integers, signed for sfeat; strings "0x..." for
 *       fields wider than 32 bits), "verdict", "reason" } ] } ] }
 */
#include "diff.h"
#include "decode.h"
#include "idregs.h"
#include "json.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *verdict_name(int verdict)
{
	switch (verdict) {
	case BREAKS_FORWARD:	return "breaks forward";
	case BREAKS_BACKWARD:	return "breaks backward";
	case BREAKS_BOTH:	return "breaks both";
	default:		return "info";
	}
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("gvfp: out of memory\n", stderr);
		exit(2);
	}
	return q;
}

static struct diff_change *new_change(struct diff *d, const struct fp_entry *a,
				      const struct fp_entry *b, size_t order)
{
	struct diff_change *c;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->c = xrealloc(d->c, d->cap * sizeof(*d->c));
	}
	c = &d->c[d->n++];
	memset(c, 0, sizeof(*c));
	c->a = a;
	c->b = b;
	c->order = order;
	return c;
}

static struct diff_field *new_field(struct diff_change *c)
{
	struct diff_field *f;

	c->fields = xrealloc(c->fields, (c->nfields + 1) * sizeof(*c->fields));
	f = &c->fields[c->nfields++];
	memset(f, 0, sizeof(*f));
	return f;
}

static void set_reason(struct diff_change *c, int verdict, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_reason(struct diff_change *c, int verdict, const char *fmt, ...)
{
	va_list ap;

	c->verdict = verdict;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

static const char *key_of(const struct diff_change *c)
{
	return c->a ? c->a->key : c->b->key;
}

/* The label: "ID_AA64ISAR0_EL1", "cpu1.MPIDR_EL1", "CCSIDR_EL1.L1D", the
 * register behind an idspace slot, or the key itself. */
static void make_label(struct diff_change *c)
{
	const struct fp_entry *e = c->a ? c->a : c->b;

	if (e->cat == CAT_SYSREG) {
		snprintf(c->label, sizeof(c->label), "%s", e->key + strlen("sysreg."));
		c->regname = e->reg >= 0 ? idregs[e->reg].name : NULL;
	} else if (e->cat == CAT_IDSPACE && e->reg >= 0) {
		snprintf(c->label, sizeof(c->label), "%s (%s)", idregs[e->reg].name, e->key);
		c->regname = idregs[e->reg].name;
	} else if (e->cat == CAT_IDSPACE) {
		snprintf(c->label, sizeof(c->label), "%s (unallocated)", e->key);
	} else {
		snprintf(c->label, sizeof(c->label), "%s", e->key);
	}
}

/* ---- judging ---- */

static int judge_level(int kind, int64_t old, int64_t new, const char **reason)
{
	switch (kind) {
	case KIND_FEAT_IMPDEF:
		if (old == IDFIELD_IMPDEF_VALUE || new == IDFIELD_IMPDEF_VALUE) {
			*reason = "0xF is IMPLEMENTATION DEFINED, no level";
			return BREAKS_BOTH;
		}
		/* fall through */
	case KIND_FEAT:
	case KIND_SFEAT:
		*reason = new < old ? "feature level lowered" : "feature level raised";
		return new < old ? BREAKS_FORWARD : BREAKS_BACKWARD;
	case KIND_LOWER:
		*reason = new > old ? "value raised, lower is more" : "value lowered, lower is more";
		return new > old ? BREAKS_FORWARD : BREAKS_BACKWARD;
	case KIND_INFO:
		*reason = "identification only";
		return 0;
	default:
		*reason = "must match";
		return BREAKS_BOTH;
	}
}

/* The field's reason, and the level a value stands for when it is not
 * the value itself (CTR_EL0.CWG 0: "unknown", compared as 9). */
static void field_reason(struct diff_field *f, const char *why, const struct idfield_desc *t,
			 uint64_t a, uint64_t b)
{
	int n = snprintf(f->reason, sizeof(f->reason), "%s", why);
	int64_t la = idfield_level(t, a), lb = idfield_level(t, b);
	int64_t ca = idfield_compare_level(t, a), cb = idfield_compare_level(t, b);

	if (n > 0 && (size_t)n < sizeof(f->reason) && (la != ca || lb != cb))
		snprintf(f->reason + n, sizeof(f->reason) - n, "; %" PRId64 " compared as %" PRId64,
			 la != ca ? la : lb, la != ca ? ca : cb);
}

/* As decode.c's idfield_str shows unsigned values: decimal up to 4 bits
 * (width 0: always decimal, 64: always hex). */
static void fmt_num(char *buf, size_t n, uint64_t v, unsigned int width)
{
	if (width <= 4)
		snprintf(buf, n, "%" PRIu64, v);
	else
		snprintf(buf, n, "0x%" PRIx64, v);
}

static void version_str(char *buf, size_t n, uint64_t v)
{
	snprintf(buf, n, "%u.%u", (unsigned int)(v >> 16), (unsigned int)(v & 0xffff));
}

/* Changed bits outside the named ones: one "bits[hi:lo]" per run. */
static void judge_unnamed_bits(struct diff_change *c, uint64_t a, uint64_t b, uint64_t named,
			       const char *why)
{
	uint64_t changed = (a ^ b) & ~named;
	unsigned int lo, hi, from = 0;

	while (from < 64 && next_bit_run(changed, from, &lo, &hi)) {
		struct diff_field *f = new_field(c);
		unsigned int w = hi - lo + 1;
		uint64_t m = field_mask(0, w);

		snprintf(f->name, sizeof(f->name), "bits[%u:%u]", hi, lo);
		f->lsb = lo;
		f->width = w;
		f->kind = "unknown";
		fmt_num(f->old, sizeof(f->old), (a >> lo) & m, w);
		fmt_num(f->new, sizeof(f->new), (b >> lo) & m, w);
		f->old_num = (int64_t)((a >> lo) & m);
		f->new_num = (int64_t)((b >> lo) & m);
		f->numeric = w <= 32;
		f->verdict = BREAKS_BOTH;
		snprintf(f->reason, sizeof(f->reason), "%s", why);
		c->verdict |= BREAKS_BOTH;
		from = hi + 1;
	}
}

/* Both values of a table register read: field by field. */
static void judge_idreg(struct diff_change *c, int reg, uint64_t a, uint64_t b,
			bool ccidx_a, bool ccidx_b)
{
	if (idregs[reg].scope == SCOPE_CACHE && ccidx_a != ccidx_b) {
		set_reason(c, BREAKS_BOTH, "layout differs: ID_AA64MMFR2_EL1.CCIDX %d -> %d",
			   ccidx_a, ccidx_b);
		return;
	}
	for_each_idfield(t, reg) {
		if (!idfield_applies(t, ccidx_a))
			continue;
		int64_t old = idfield_compare_level(t, a), new = idfield_compare_level(t, b);
		if (idfield_get(t, a) == idfield_get(t, b))
			continue;
		struct diff_field *f = new_field(c);
		snprintf(f->name, sizeof(f->name), "%s", t->name);
		idfield_str(t, a, f->old, sizeof(f->old));
		idfield_str(t, b, f->new, sizeof(f->new));
		f->lsb = t->lsb;
		f->width = t->width;
		f->kind = kind_name(t->kind);
		f->old_num = old;
		f->new_num = new;
		f->numeric = t->width <= 32;
		const char *why;
		f->verdict = judge_level(t->kind, old, new, &why);
		field_reason(f, why, t, a, b);
		c->verdict |= f->verdict;
	}
	judge_unnamed_bits(c, a, b, idreg_named_mask(reg, ccidx_a), "bits outside the table's fields");
}

/* "GIC" for the family "gic": the reasons name the device the key is of. */
static void family_label(const struct devkey_desc *d, char *buf, size_t n)
{
	size_t i;

	for (i = 0; d->family[i] && i + 1 < n; i++)
		buf[i] = (char)toupper((unsigned char)d->family[i]);
	buf[i] = '\0';
}

/* A register of devkeys.def with a field layout: field by field. */
static void judge_devreg(struct diff_change *c, const struct devkey_desc *d, uint64_t a, uint64_t b)
{
	uint64_t named = 0;
	char dev[16], why[64];

	family_label(d, dev, sizeof(dev));
	for_each_devfield(h, d->layout) {
		uint64_t m = field_mask(0, h->width), va = (a >> h->lsb) & m, vb = (b >> h->lsb) & m;

		named |= field_mask(h->lsb, h->width);
		if (va == vb)
			continue;
		struct diff_field *f = new_field(c);
		snprintf(f->name, sizeof(f->name), "%s", h->name);
		fmt_num(f->old, sizeof(f->old), va, h->show == DF_HEX ? 64 : 0);
		fmt_num(f->new, sizeof(f->new), vb, h->show == DF_HEX ? 64 : 0);
		f->lsb = h->lsb;
		f->width = h->width;
		f->kind = d->family;
		f->old_num = (int64_t)va;
		f->new_num = (int64_t)vb;
		f->numeric = h->width <= 32;
		f->verdict = BREAKS_BOTH;
		snprintf(f->reason, sizeof(f->reason), "%s configuration must match", dev);
		c->verdict |= BREAKS_BOTH;
	}
	snprintf(why, sizeof(why), "bits outside the %s register's fields", dev);
	judge_unnamed_bits(c, a, b, named, why);
}

/* A bitmap of supported features: bits lost break forward, gained backward. */
static void judge_bitmap(struct diff_change *c, uint64_t a, uint64_t b)
{
	uint64_t lost = a & ~b, gained = b & ~a;

	if (lost && gained)
		set_reason(c, BREAKS_BOTH, "feature bits lost 0x%" PRIx64 " and gained 0x%" PRIx64, lost, gained);
	else if (lost)
		set_reason(c, BREAKS_FORWARD, "feature bits lost on destination: 0x%" PRIx64, lost);
	else
		set_reason(c, BREAKS_BACKWARD, "feature bits gained on destination: 0x%" PRIx64, gained);
}

/* Both answers of a firmware.def call are values: by the call's meaning. */
static void judge_fw(struct diff_change *c, const struct fwcall_desc *fw, int part, uint64_t a,
		     uint64_t b)
{
	char sa[96], sb[96];
	int code_a, code_b;
	bool ra = fw_answer_code(part, a, &code_a), rb = fw_answer_code(part, b, &code_b);

	fw_describe(fw, part, a, sa, sizeof(sa));
	fw_describe(fw, part, b, sb, sizeof(sb));
	switch (fw->meaning) {
	case FWM_VERSION:
		if (ra || rb || a > 0x7fffffff || b > 0x7fffffff)
			break;
		version_str(sa, sizeof(sa), a);
		version_str(sb, sizeof(sb), b);
		if (b < a)
			set_reason(c, BREAKS_FORWARD, "version lowered: %s -> %s", sa, sb);
		else
			set_reason(c, BREAKS_BACKWARD, "version raised: %s -> %s", sa, sb);
		return;
	case FWM_FEATURE:
		if (!ra && rb && code_b == -1) {
			set_reason(c, BREAKS_FORWARD, "supported on source, %s on destination", sb);
			return;
		}
		if (ra && !rb && code_a == -1) {
			set_reason(c, BREAKS_BACKWARD, "%s on source, supported on destination", sa);
			return;
		}
		break;
	case FWM_BITMAP:
		/* an error answer has no feature bits */
		judge_bitmap(c, ra ? 0 : a, rb ? 0 : b);
		return;
	}
	if (*sa || *sb)
		set_reason(c, BREAKS_BOTH, "firmware answer changed: %s -> %s", *sa ? sa : "-",
			   *sb ? sb : "-");
	else
		set_reason(c, BREAKS_BOTH, "firmware answer changed");
}

/* Both values of a devkeys.def key read: by the key's meaning. */
static void judge_dev(struct diff_change *c, const struct devkey_desc *d, const struct fp_entry *ea,
		      const struct fp_entry *eb)
{
	uint64_t a = ea->val.v, b = eb->val.v;
	char sa[96], sb[96];

	switch (d->meaning) {
	case DKM_REGISTER:
		if (d->layout != DL_NONE) {
			judge_devreg(c, d, a, b);
			return;
		}
		break;
	case DKM_BITMAP:
		judge_bitmap(c, a, b);
		return;
	case DKM_COUNT:
		set_reason(c, b < a ? BREAKS_FORWARD : BREAKS_BACKWARD, "%s: %" PRIu64 " -> %" PRIu64,
			   b < a ? "fewer on destination" : "more on destination", a, b);
		return;
	}
	describe_value(ea, sa, sizeof(sa));
	describe_value(eb, sb, sizeof(sb));
	if (*sa && *sb)
		set_reason(c, BREAKS_BOTH, "changed: %s -> %s", sa, sb);
	else
		set_reason(c, BREAKS_BOTH, "changed");
}

static const char *access_name(const struct fp_value *v, char *buf, size_t n)
{
	if (v->kind == VAL_UNDEF)
		snprintf(buf, n, "UNDEFINED");
	else if (v->kind == VAL_TRAP)
		snprintf(buf, n, "trapping (EC 0x%02x)", v->ec);
	else if (v->kind == VAL_EXEC)
		snprintf(buf, n, "executing");
	else if (v->kind == VAL_OWNTRAP)
		snprintf(buf, n, "trapping on the guest's own enable");
	else
		snprintf(buf, n, "readable");
	return buf;
}

static void judge_changed(struct diff_change *c, bool ccidx_a, bool ccidx_b)
{
	const struct fp_entry *ea = c->a, *eb = c->b;
	const struct fp_value *a = &ea->val, *b = &eb->val;
	const struct fwcall_desc *fw;
	const struct devkey_desc *dk;
	char sa[96], sb[96];
	int part, cpu;

	if (ea->cat == CAT_PROBE) {
		access_name(a, sa, sizeof(sa));
		access_name(b, sb, sizeof(sb));
		if (a->kind == VAL_EXEC && b->kind != VAL_EXEC)
			set_reason(c, BREAKS_FORWARD, "executes on source, %s on destination", sb);
		else if (a->kind != VAL_EXEC && b->kind == VAL_EXEC)
			set_reason(c, BREAKS_BACKWARD, "%s on source, executes on destination", sa);
		else
			set_reason(c, BREAKS_BOTH, "probe result changed");
		return;
	}
	if (a->kind != VAL_HEX || b->kind != VAL_HEX) {
		access_name(a, sa, sizeof(sa));
		access_name(b, sb, sizeof(sb));
		if (a->kind == VAL_HEX)
			set_reason(c, BREAKS_FORWARD, "readable on source, %s on destination", sb);
		else if (b->kind == VAL_HEX)
			set_reason(c, BREAKS_BACKWARD, "%s on source, readable on destination", sa);
		else
			set_reason(c, BREAKS_BOTH, "%s on source, %s on destination", sa, sb);
		return;
	}
	if ((ea->cat == CAT_SYSREG || ea->cat == CAT_IDSPACE) && ea->reg >= 0) {
		judge_idreg(c, ea->reg, a->v, b->v, ccidx_a, ccidx_b);
		return;
	}
	if (ea->cat == CAT_SYSREG) {
		set_reason(c, BREAKS_BOTH, "register not in this gvfp's table");
		return;
	}
	if ((fw = fw_call_of(ea, &part))) {
		judge_fw(c, fw, part, a->v, b->v);
		return;
	}
	if ((dk = devkey_of(ea, &cpu))) {
		judge_dev(c, dk, ea, eb);
		return;
	}
	if (ea->cat == CAT_IDSPACE) {
		set_reason(c, BREAKS_BOTH, "unallocated ID slot changed");
		return;
	}
	set_reason(c, BREAKS_BOTH, "changed; key not in this gvfp's table");
}

static int by_order(const void *x, const void *y)
{
	const struct diff_change *a = x, *b = y;
	return a->order < b->order ? -1 : a->order > b->order;
}

void diff_compute(struct diff *d, const struct fingerprint *a, const struct fingerprint *b)
{
	char how[160];
	bool ccidx_a = fp_ccidx(a, how, sizeof(how)), ccidx_b = fp_ccidx(b, how, sizeof(how));
	bool reported[NR_IDREGS + 1];
	size_t both = 0;

	memset(d, 0, sizeof(*d));
	memset(reported, 0, sizeof(reported));
	d->name_a = a->file;
	d->name_b = b->file;
	/*
	 * Two passes: every key but the idspace ones first, so that an idspace
	 * slot whose register has a reported sysreg key can be left out.
	 */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < a->n; i++) {
			const struct fp_entry *ea = &a->e[i], *eb = fp_find(b, ea->key);
			if ((ea->cat == CAT_IDSPACE) != (pass == 1))
				continue;
			if (eb)
				both++;
			if (eb && fp_value_eq(&ea->val, &eb->val))
				continue;
			if (pass == 1 && ea->reg >= 0 && reported[ea->reg])
				continue;
			struct diff_change *c = new_change(d, ea, eb, i);
			make_label(c);
			if (!eb)
				set_reason(c, BREAKS_FORWARD, "missing on destination");
			else
				judge_changed(c, ccidx_a, ccidx_b);
			if (ea->cat == CAT_SYSREG && ea->reg >= 0)
				reported[ea->reg] = true;
		}
		for (size_t i = 0; i < b->n; i++) {
			const struct fp_entry *eb = &b->e[i];
			if ((eb->cat == CAT_IDSPACE) != (pass == 1) || fp_find(a, eb->key))
				continue;
			if (pass == 1 && eb->reg >= 0 && reported[eb->reg])
				continue;
			struct diff_change *c = new_change(d, NULL, eb, a->n + i);
			make_label(c);
			set_reason(c, BREAKS_BACKWARD, "new on destination");
			if (eb->cat == CAT_SYSREG && eb->reg >= 0)
				reported[eb->reg] = true;
		}
	}
	d->keys = a->n + b->n - both;
	if (d->n)	/* qsort(NULL, 0, ...) is undefined */
		qsort(d->c, d->n, sizeof(*d->c), by_order);
}

int diff_status(const struct diff *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->c[i].verdict)
			return 1;
	return 0;
}

void diff_free(struct diff *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->c[i].fields);
	free(d->c);
	memset(d, 0, sizeof(*d));
}

/* ---- output ---- */

struct counts {
	size_t forward, backward, both, info;
};

static struct counts count(const struct diff *d)
{
	struct counts k = { 0, 0, 0, 0 };

	for (size_t i = 0; i < d->n; i++) {
		switch (d->c[i].verdict) {
		case BREAKS_FORWARD: k.forward++; break;
		case BREAKS_BACKWARD: k.backward++; break;
		case BREAKS_BOTH: k.both++; break;
		default: k.info++; break;
		}
	}
	return k;
}

static void value_or_absent(const struct fp_entry *e, char *buf, size_t n)
{
	if (e)
		fp_value_str(&e->val, buf, n);
	else
		snprintf(buf, n, "(absent)");
}

void diff_print(const struct diff *d, FILE *out)
{
	struct counts k = count(d);
	size_t fwd = k.forward + k.both, bwd = k.backward + k.both;

	if (d->n == 0) {
		fprintf(out, "%s -> %s: identical (%zu keys)\n", d->name_a, d->name_b, d->keys);
		return;
	}
	fprintf(out, "%s -> %s: %zu of %zu keys differ: %zu break%s forward, %zu backward, %zu both, %zu info only\n",
		d->name_a, d->name_b, d->n, d->keys, k.forward, k.forward == 1 ? "s" : "",
		k.backward, k.both, k.info);
	if (!fwd && !bwd)
		fprintf(out, "compatible both ways: the differences are information only\n");
	else
		fprintf(out, "migrating %s -> %s: %s; back %s -> %s: %s\n",
			d->name_a, d->name_b, fwd ? "INCOMPATIBLE" : "compatible",
			d->name_b, d->name_a, bwd ? "INCOMPATIBLE" : "compatible");
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_change *c = &d->c[i];
		char va[32], vb[32];
		int wn = 0, wo = 0, wv = 0;

		value_or_absent(c->a, va, sizeof(va));
		value_or_absent(c->b, vb, sizeof(vb));
		fputc('\n', out);
		if (!c->nfields) {
			fprintf(out, "%s: %s -> %s   %s (%s)\n", c->label, va, vb,
				verdict_name(c->verdict), c->reason);
			continue;
		}
		fprintf(out, "%s: %s -> %s\n", c->label, va, vb);
		for (size_t j = 0; j < c->nfields; j++) {
			const struct diff_field *f = &c->fields[j];
			int l;
			if ((l = (int)strlen(f->name)) > wn) wn = l;
			if ((l = (int)strlen(f->old)) > wo) wo = l;
			if ((l = (int)strlen(f->new)) > wv) wv = l;
		}
		for (size_t j = 0; j < c->nfields; j++) {
			const struct diff_field *f = &c->fields[j];
			fprintf(out, "  %-*s  %*s -> %-*s   %s (%s)\n", wn, f->name, wo, f->old, wv, f->new,
				verdict_name(f->verdict), f->reason);
		}
	}
}

static void json_value(struct json *j, const char *name, const struct fp_entry *e)
{
	char v[32];

	if (!e) {
		json_null(j, name);
		return;
	}
	fp_value_str(&e->val, v, sizeof(v));
	json_string(j, name, v);
}

static void json_field_num(struct json *j, const char *name, const struct diff_field *f,
			   int64_t num, const char *shown)
{
	if (f->numeric)
		json_int(j, name, num);
	else
		json_string(j, name, shown);
}

void diff_print_json(const struct diff *d, FILE *out)
{
	struct counts k = count(d);
	struct json j;

	json_init(&j, out);
	json_begin_object(&j, NULL);
	json_string(&j, "source", d->name_a);
	json_string(&j, "destination", d->name_b);
	json_uint(&j, "keys", d->keys);
	json_uint(&j, "differ", d->n);
	json_uint(&j, "breaks_forward", k.forward);
	json_uint(&j, "breaks_backward", k.backward);
	json_uint(&j, "breaks_both", k.both);
	json_uint(&j, "info_only", k.info);
	json_bool(&j, "forward_compatible", k.forward + k.both == 0);
	json_bool(&j, "backward_compatible", k.backward + k.both == 0);
	json_begin_array(&j, "changes");
	for (size_t i = 0; i < d->n; i++) {
		const struct diff_change *c = &d->c[i];
		json_begin_object(&j, NULL);
		json_string(&j, "key", key_of(c));
		json_string(&j, "label", c->label);
		json_string(&j, "register", c->regname);
		json_value(&j, "old", c->a);
		json_value(&j, "new", c->b);
		json_string(&j, "verdict", verdict_name(c->verdict));
		json_string(&j, "reason", c->nfields ? NULL : c->reason);
		json_begin_array(&j, "fields");
		for (size_t n = 0; n < c->nfields; n++) {
			const struct diff_field *f = &c->fields[n];
			json_begin_object(&j, NULL);
			json_string(&j, "name", f->name);
			json_uint(&j, "lsb", f->lsb);
			json_uint(&j, "width", f->width);
			json_string(&j, "kind", f->kind);
			json_field_num(&j, "old", f, f->old_num, f->old);
			json_field_num(&j, "new", f, f->new_num, f->new);
			json_string(&j, "verdict", verdict_name(f->verdict));
			json_string(&j, "reason", f->reason);
			json_end_object(&j);
		}
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}
