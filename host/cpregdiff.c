/*
 * cpregdiff.c: comparing two migration streams' register lists (see
 * cpregdiff.h) and printing the result as text or JSON.  The lists come
 * from migstream_load(); the names and kinds from regnames.c.
 */
#include "cpregdiff.h"
#include "idfield.h"
#include "jsonhex.h"
#include "regnames.h"

#include <json-c/json.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_cpreg(const void *a, const void *b)
{
	uint64_t x = ((const struct mig_cpreg *)a)->id, y = ((const struct mig_cpreg *)b)->id;

	return x < y ? -1 : x > y;
}

/* A sorted copy: QEMU writes the list sorted, but nothing here relies on it. */
static struct mig_cpreg *sorted_regs(const struct mig_cpu *c)
{
	struct mig_cpreg *r = malloc((c->nregs + 1) * sizeof(*r));

	if (r && c->nregs) {
		memcpy(r, c->regs, c->nregs * sizeof(*r));
		qsort(r, c->nregs, sizeof(*r), cmp_cpreg);
	}
	return r;
}

static void add_delta(struct cpreg_cpu_diff *cd, uint64_t id, int change, uint64_t src, uint64_t dst)
{
	char name[REGNAME_MAX];
	enum reg_kind kind = regname(id, name);

	if (change == CPREG_STATE_DIFFERS && reg_kind_readonly(kind))
		change = CPREG_RO_DIFFERS;
	cd->d[cd->n++] = (struct cpreg_delta){ .id = id, .src = src, .dst = dst, .change = (uint8_t)change, .kind = (uint8_t)kind };
	cd->count[change]++;
}

/* See struct cpreg_delta: each AArch32 ID view that differs as its twin does. */
static void fold_aarch32_views(struct cpreg_cpu_diff *cd)
{
	for (size_t k = 0; k < cd->n; k++) {
		struct cpreg_delta *v = &cd->d[k];
		bool a32, twin_a32;
		int reg = regname_idreg(v->id, &a32);

		if (reg < 0 || !a32)
			continue;
		for (size_t j = 0; j < cd->n; j++) {
			struct cpreg_delta *t = &cd->d[j];

			if (j == k || t->folded || t->aarch32_view || regname_idreg(t->id, &twin_a32) != reg ||
			    twin_a32 || t->change != v->change || t->src != v->src || t->dst != v->dst)
				continue;
			t->aarch32_view = v->id;
			v->folded = true;
			cd->count[v->change]--;
			break;
		}
	}
}

/* A merge of the two sorted lists; s or d NULL for a vCPU on one side only. */
static int cpu_diff(struct cpreg_cpu_diff *cd, const struct mig_cpu *s, const struct mig_cpu *d)
{
	struct mig_cpreg *a = s ? sorted_regs(s) : NULL, *b = d ? sorted_regs(d) : NULL;
	uint32_t na = s ? s->nregs : 0, nb = d ? d->nregs : 0, i = 0, j = 0;

	cd->cpu = s ? s->instance_id : d->instance_id;
	cd->nsrc = s ? na : UINT32_MAX;
	cd->ndst = d ? nb : UINT32_MAX;
	cd->d = calloc((size_t)na + nb + 1, sizeof(*cd->d));
	if ((s && !a) || (d && !b) || !cd->d) {
		free(a);
		free(b);
		return -1;
	}
	/* A vCPU on one side only is reported as such, not register by register. */
	while (s && d && (i < na || j < nb)) {
		if (j == nb || (i < na && a[i].id < b[j].id)) {
			add_delta(cd, a[i].id, CPREG_MISSING, a[i].value, 0);
			i++;
		} else if (i == na || b[j].id < a[i].id) {
			add_delta(cd, b[j].id, CPREG_EXTRA, 0, b[j].value);
			j++;
		} else {
			if (a[i].value != b[j].value)
				add_delta(cd, a[i].id, CPREG_STATE_DIFFERS, a[i].value, b[j].value);
			i++;
			j++;
		}
	}
	free(a);
	free(b);
	fold_aarch32_views(cd);
	return 0;
}

int cpreg_diff_compute(struct cpreg_diff *d, const struct migstream *src, const struct migstream *dst)
{
	memset(d, 0, sizeof(*d));
	d->src = src;
	d->dst = dst;
	d->cpus = calloc((size_t)src->ncpus + dst->ncpus + 1, sizeof(*d->cpus));
	if (!d->cpus)
		return -1;
	for (uint32_t i = 0; i < src->ncpus + dst->ncpus; i++) {
		const struct mig_cpu *s = i < src->ncpus ? &src->cpus[i] : NULL;
		const struct mig_cpu *t = s ? migstream_cpu(dst, s->instance_id)
					    : &dst->cpus[i - src->ncpus];
		struct cpreg_cpu_diff *cd;

		if (!s && migstream_cpu(src, t->instance_id))
			continue;	/* compared with its source vCPU already */
		cd = &d->cpus[d->ncpus++];
		if (cpu_diff(cd, s, t) != 0) {
			cpreg_diff_free(d);
			return -1;
		}
		for (int k = 0; k < 4; k++)
			d->count[k] += cd->count[k];
		d->cpus_only_src += !t;
		d->cpus_only_dst += !s;
		/* VMSTATE_INT32_POSITIVE_LE: the destination accepts at most its own length. */
		if (s && t && s->nregs > t->nregs)
			d->len_refused = true;
	}
	return 0;
}

void cpreg_diff_free(struct cpreg_diff *d)
{
	for (size_t i = 0; i < d->ncpus; i++)
		free(d->cpus[i].d);
	free(d->cpus);
	memset(d, 0, sizeof(*d));
}

int cpreg_diff_status(const struct cpreg_diff *d)
{
	return d->count[CPREG_MISSING] || d->count[CPREG_EXTRA] || d->count[CPREG_RO_DIFFERS] ||
	       d->cpus_only_src || d->cpus_only_dst;
}

static bool same_deltas(const struct cpreg_cpu_diff *a, const struct cpreg_cpu_diff *b)
{
	if (a->n != b->n || a->nsrc != b->nsrc || a->ndst != b->ndst)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->d[i].id != b->d[i].id || a->d[i].change != b->d[i].change ||
		    a->d[i].src != b->d[i].src || a->d[i].dst != b->d[i].dst)
			return false;
	return true;
}

static const char *const change_title[] = {
	[CPREG_MISSING] = "registers the destination lacks (QEMU refuses the stream)",
	[CPREG_EXTRA] = "registers only the destination has (the guest sees them appear)",
	[CPREG_RO_DIFFERS] = "read-only values that differ (refused, or no longer true for the guest)",
	[CPREG_STATE_DIFFERS] = "state that differs, as expected of live state",
};

/* The named fields of an ID register that differ ("AuxReg 2 -> 1"), or "". */
static void delta_fields(const struct cpreg_delta *x, char *buf, size_t n)
{
	bool a32;
	int reg = regname_idreg(x->id, &a32);

	buf[0] = '\0';
	if (reg >= 0 && x->change != CPREG_MISSING && x->change != CPREG_EXTRA)
		idfield_changes(reg, x->src, x->dst, buf, n);
}

static void print_delta(FILE *out, const struct cpreg_delta *x)
{
	char name[REGNAME_MAX], view[REGNAME_MAX], fields[512];

	regname(x->id, name);
	fprintf(out, "    %-32s 0x%016" PRIx64 "  %-9s ", name, x->id,
		reg_kind_label((enum reg_kind)x->kind));
	if (x->change == CPREG_MISSING)
		fprintf(out, "source 0x%016" PRIx64 "\n", x->src);
	else if (x->change == CPREG_EXTRA)
		fprintf(out, "destination 0x%016" PRIx64 "\n", x->dst);
	else
		fprintf(out, "0x%016" PRIx64 " -> 0x%016" PRIx64 "\n", x->src, x->dst);
	delta_fields(x, fields, sizeof(fields));
	if (fields[0])
		fprintf(out, "      fields: %s\n", fields);
	if (x->aarch32_view) {
		regname(x->aarch32_view, view);
		fprintf(out, "      the same change in its AArch32 view %s\n", view);
	}
}

static void describe(FILE *out, const char *role, const struct migstream *ms)
{
	fprintf(out, "%-12s %s (machine %s, %" PRIu32 " vCPU%s, %" PRIu32 " registers on vCPU %" PRIu32
		")\n", role, ms->path, ms->machine, ms->ncpus, ms->ncpus == 1 ? "" : "s",
		ms->cpus[0].nregs, ms->cpus[0].instance_id);
}

static void print_text(const struct cpreg_diff *d, FILE *out, unsigned int flags)
{
	describe(out, "source:", d->src);
	describe(out, "destination:", d->dst);
	for (size_t i = 0; i < d->ncpus; i++) {
		const struct cpreg_cpu_diff *cd = &d->cpus[i];

		if (cd->ndst == UINT32_MAX || cd->nsrc == UINT32_MAX) {
			fprintf(out, "vCPU %" PRIu32 ": only in the %s\n", cd->cpu,
				cd->ndst == UINT32_MAX ? "source" : "destination");
			continue;
		}
		if (i > 0 && same_deltas(cd, &d->cpus[0])) {
			fprintf(out, "vCPU %" PRIu32 ": the same as vCPU %" PRIu32 "\n", cd->cpu,
				d->cpus[0].cpu);
			continue;
		}
		fprintf(out, "vCPU %" PRIu32 ": %" PRIu32 " -> %" PRIu32 " registers\n", cd->cpu,
			cd->nsrc, cd->ndst);
		for (int c = CPREG_MISSING; c <= CPREG_STATE_DIFFERS; c++) {
			if (!cd->count[c] || (c == CPREG_STATE_DIFFERS && !(flags & CPREG_REPORT_VERBOSE)))
				continue;
			fprintf(out, "  %s: %zu\n", change_title[c], cd->count[c]);
			for (size_t k = 0; k < cd->n; k++)
				if (cd->d[k].change == c && !cd->d[k].folded)
					print_delta(out, &cd->d[k]);
		}
		if (cd->nsrc > cd->ndst)
			fprintf(out, "  the source has more registers: QEMU fails with \"Failed to load "
				"cpu:cpreg_vmstate_array_len\"\n");
	}
	/* Counted over every vCPU, as the vCPU lines above add up. */
	fprintf(out, "summary over %zu vCPU%s: %zu missing on the destination, %zu extra, %zu read-only "
		"values differ, %zu state values differ", d->ncpus, d->ncpus == 1 ? "" : "s",
		d->count[CPREG_MISSING], d->count[CPREG_EXTRA], d->count[CPREG_RO_DIFFERS],
		d->count[CPREG_STATE_DIFFERS]);
	if (!(flags & CPREG_REPORT_VERBOSE) && d->count[CPREG_STATE_DIFFERS]) {
		if (flags & CPREG_REPORT_TRANSIENT)
			fprintf(out, " (GUESTVIEW_DIAG_DIR=DIR keeps the two streams for gvstream diff -v)");
		else
			fprintf(out, " (host/gvstream diff -v %s %s lists them)", d->src->path, d->dst->path);
	}
	fprintf(out, "; %s\n", cpreg_diff_status(d) ? "the destination differs" :
		"same registers and read-only values");
}

/* ---- the one-line verdict ---- */

/* Is id a change of this kind already named for an earlier vCPU? */
static bool named_before(const struct cpreg_diff *d, size_t cpu, const struct cpreg_delta *x)
{
	for (size_t i = 0; i < cpu; i++)
		for (size_t k = 0; k < d->cpus[i].n; k++)
			if (d->cpus[i].d[k].id == x->id && d->cpus[i].d[k].change == x->change)
				return true;
	return false;
}

/* A growing ", "-separated list in a fixed buffer; "..." once it is full. */
struct clause {
	char *buf;
	size_t size, len;
	unsigned int items;
};

static void __attribute__((format(printf, 2, 3))) clause_add(struct clause *c, const char *fmt, ...)
{
	char item[640];
	va_list ap;
	int w;

	va_start(ap, fmt);
	vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	if (c->len + 8 >= c->size)
		return;
	w = snprintf(c->buf + c->len, c->size - c->len, "%s%s", c->items ? ", " : "", item);
	if (w < 0 || (size_t)w >= c->size - c->len - 4) {
		snprintf(c->buf + c->len, c->size - c->len, "%s...", c->items ? ", " : "");
		c->len = c->size;	/* full */
	} else {
		c->len += (size_t)w;
	}
	c->items++;
}

/* Up to LIST_NAMES names of the deltas of one change, then "N more". */
#define LIST_NAMES 4

static void clause_names(struct clause *c, const struct cpreg_diff *d, int change, const char *what)
{
	char names[REGNAME_MAX * LIST_NAMES + 64] = "", name[REGNAME_MAX];
	size_t n = 0, len = 0;

	for (size_t i = 0; i < d->ncpus; i++)
		for (size_t k = 0; k < d->cpus[i].n; k++) {
			const struct cpreg_delta *x = &d->cpus[i].d[k];

			if (x->change != change || x->folded || named_before(d, i, x))
				continue;
			if (n++ < LIST_NAMES) {
				regname(x->id, name);
				len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
							len ? ", " : "", name);
			}
		}
	if (n == 1)
		clause_add(c, "%s %s", names, what);
	else if (n > LIST_NAMES)
		clause_add(c, "%zu registers %s (%s and %zu more)", n, what, names, n - LIST_NAMES);
	else if (n)
		clause_add(c, "%zu registers %s (%s)", n, what, names);
}

void cpreg_diff_verdict(const struct cpreg_diff *d, FILE *out)
{
	char refused[1024], also[1024], name[REGNAME_MAX], fields[512];
	struct clause r = { refused, sizeof(refused), 0, 0 }, a = { also, sizeof(also), 0, 0 };

	refused[0] = also[0] = '\0';
	clause_names(&r, d, CPREG_MISSING, "missing on the destination");
	for (size_t i = 0; i < d->ncpus; i++)
		for (size_t k = 0; k < d->cpus[i].n; k++) {
			const struct cpreg_delta *x = &d->cpus[i].d[k];

			if (x->change != CPREG_RO_DIFFERS || x->folded || named_before(d, i, x))
				continue;
			regname(x->id, name);
			delta_fields(x, fields, sizeof(fields));
			if (fields[0])
				clause_add(&r, "%s %s", name, fields);
			else
				clause_add(&r, "%s 0x%" PRIx64 " -> 0x%" PRIx64, name, x->src, x->dst);
		}
	if (d->len_refused)
		clause_add(&r, "a longer register list than the destination's (cpreg_vmstate_array_len)");
	if (d->cpus_only_src)
		clause_add(&r, "%zu vCPU%s only in the source", d->cpus_only_src,
			   d->cpus_only_src == 1 ? "" : "s");
	clause_names(&a, d, CPREG_EXTRA, "only on the destination");
	if (d->cpus_only_dst)
		clause_add(&a, "%zu vCPU%s only on the destination", d->cpus_only_dst,
			   d->cpus_only_dst == 1 ? "" : "s");
	fprintf(out, "refused because of: %s; would also change: %s\n",
		r.items ? refused : "nothing in the CPU register lists (QEMU's message above names the device)",
		a.items ? also : "nothing else in the CPU register lists");
}

/* What a guest sees but QEMU's TCG register list does not carry, by regnames.c's names. */
static bool is_midr(const char *name) { return !strcmp(name, "MIDR_EL1"); }
static bool is_ccsidr(const char *name) { return !strncmp(name, "CCSIDR_EL1[", 11); }

static bool stream_has(const struct migstream *ms, bool (*match)(const char *))
{
	char name[REGNAME_MAX];

	for (uint32_t i = 0; i < ms->ncpus; i++)
		for (uint32_t k = 0; k < ms->cpus[i].nregs; k++) {
			regname(ms->cpus[i].regs[k].id, name);
			if (match(name))
				return true;
		}
	return false;
}

void cpreg_diff_uncompared(const struct cpreg_diff *d, FILE *out)
{
	bool midr = stream_has(d->src, is_midr) || stream_has(d->dst, is_midr);
	bool ccsidr = stream_has(d->src, is_ccsidr) || stream_has(d->dst, is_ccsidr);

	if (!midr || !ccsidr)
		fprintf(out, "not in these streams, so not compared (QEMU keeps them out of its register "
			"list; the guest may still see them change): %s%s%s\n", midr ? "" : "MIDR_EL1",
			!midr && !ccsidr ? ", " : "", ccsidr ? "" : "the cache geometry CCSIDR_EL1");
}

static json_object *jstream(const struct migstream *ms)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "file", json_object_new_string(ms->path));
	json_object_object_add(o, "machine", json_object_new_string(ms->machine));
	json_object_object_add(o, "vcpus", json_object_new_int64(ms->ncpus));
	return o;
}

static json_object *jcpu(const struct cpreg_cpu_diff *cd, unsigned int flags)
{
	static const char *const key[] = { "missing", "extra", "readonly_differ", "state_differ" };
	json_object *o = json_object_new_object();
	char name[REGNAME_MAX], fields[512];

	json_object_object_add(o, "vcpu", json_object_new_int64(cd->cpu));
	json_object_object_add(o, "source_registers",
			       cd->nsrc == UINT32_MAX ? NULL : json_object_new_int64(cd->nsrc));
	json_object_object_add(o, "destination_registers",
			       cd->ndst == UINT32_MAX ? NULL : json_object_new_int64(cd->ndst));
	for (int c = CPREG_MISSING; c <= CPREG_STATE_DIFFERS; c++) {
		json_object *arr = json_object_new_array();

		if (c == CPREG_STATE_DIFFERS && !(flags & CPREG_REPORT_VERBOSE)) {
			json_object_object_add(o, "state_differ_count", json_object_new_int64(cd->count[c]));
			json_object_put(arr);
			continue;
		}
		for (size_t k = 0; k < cd->n; k++) {
			const struct cpreg_delta *x = &cd->d[k];
			json_object *r;

			if (x->change != c || x->folded)
				continue;
			r = json_object_new_object();
			regname(x->id, name);
			json_object_object_add(r, "name", json_object_new_string(name));
			json_object_object_add(r, "id", json_hex64(x->id));
			json_object_object_add(r, "kind", json_object_new_string(reg_kind_label(x->kind)));
			if (c != CPREG_EXTRA)
				json_object_object_add(r, "source", json_hex64(x->src));
			if (c != CPREG_MISSING)
				json_object_object_add(r, "destination", json_hex64(x->dst));
			delta_fields(x, fields, sizeof(fields));
			if (fields[0])
				json_object_object_add(r, "fields", json_object_new_string(fields));
			if (x->aarch32_view) {
				regname(x->aarch32_view, name);
				json_object_object_add(r, "aarch32_view", json_object_new_string(name));
			}
			json_object_array_add(arr, r);
		}
		json_object_object_add(o, key[c], arr);
	}
	return o;
}

static void print_json(const struct cpreg_diff *d, FILE *out, unsigned int flags)
{
	json_object *root = json_object_new_object(), *cpus = json_object_new_array();
	json_object *sum = json_object_new_object();

	json_object_object_add(root, "source", jstream(d->src));
	json_object_object_add(root, "destination", jstream(d->dst));
	for (size_t i = 0; i < d->ncpus; i++)
		json_object_array_add(cpus, jcpu(&d->cpus[i], flags));
	json_object_object_add(root, "vcpus", cpus);
	json_object_object_add(sum, "missing", json_object_new_int64(d->count[CPREG_MISSING]));
	json_object_object_add(sum, "extra", json_object_new_int64(d->count[CPREG_EXTRA]));
	json_object_object_add(sum, "readonly_differ", json_object_new_int64(d->count[CPREG_RO_DIFFERS]));
	json_object_object_add(sum, "state_differ", json_object_new_int64(d->count[CPREG_STATE_DIFFERS]));
	json_object_object_add(sum, "vcpus_only_in_source", json_object_new_int64(d->cpus_only_src));
	json_object_object_add(sum, "vcpus_only_in_destination",
			       json_object_new_int64(d->cpus_only_dst));
	json_object_object_add(sum, "array_len_refused", json_object_new_boolean(d->len_refused));
	json_object_object_add(root, "summary", sum);
	json_object_object_add(root, "same", json_object_new_boolean(!cpreg_diff_status(d)));
	fprintf(out, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

void cpreg_diff_print(const struct cpreg_diff *d, FILE *out, unsigned int flags)
{
	if (flags & CPREG_REPORT_JSON)
		print_json(d, out, flags);
	else
		print_text(d, out, flags);
}

int cpreg_diff_report_flags(const char *src_path, const char *dst_path, FILE *out, FILE *err,
			    unsigned int flags)
{
	struct migstream src, dst;
	struct mig_error e;
	struct cpreg_diff d;
	int status;

	if (migstream_load(src_path, &src, &e) != 0) {
		fprintf(err, "%s\n", e.msg);
		return 2;
	}
	if (migstream_load(dst_path, &dst, &e) != 0) {
		fprintf(err, "%s\n", e.msg);
		migstream_free(&src);
		return 2;
	}
	if (cpreg_diff_compute(&d, &src, &dst) != 0) {
		fprintf(err, "out of memory comparing %s with %s\n", src_path, dst_path);
		status = 2;
	} else {
		cpreg_diff_print(&d, out, flags);
		status = cpreg_diff_status(&d);
		cpreg_diff_free(&d);
	}
	migstream_free(&src);
	migstream_free(&dst);
	return status;
}

int cpreg_diff_report(const char *src_path, const char *dst_path, FILE *out, unsigned int flags)
{
	return cpreg_diff_report_flags(src_path, dst_path, out, out, flags);
}
