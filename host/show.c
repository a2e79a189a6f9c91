/*
 * show.c: see show.h.  Every key is shown with its value; a sysreg value
 * with every field the table has for it (CCSIDR's by the fingerprint's own
 * ID_AA64MMFR2_EL1.CCIDX) and any set bit outside them, a GIC register
 * with its fields (tables/devkeys.def), other values with what
 * tables/firmware.def and tables/devkeys.def say they mean.
 *
 * show --json:
 *   { "file", "version": 1, "keys", "ccidx": bool, "ccidx_from": text,
 *     "entries": [ { "key", "line", "category", "value" (as in the
 *       fingerprint), "register" (table register or null), "meaning" (text
 *       or null), "fields": [ { "name", "lsb", "width", "kind", "value"
 *       (integer, signed for sfeat; "0x..." string when wider than 32
 *       bits), "meaning" (or null) } ], "unnamed_bits": "0x..." or null } ] }
 */
#include "show.h"
#include "probes.h"
#include "decode.h"
#include "idregs.h"
#include "json.h"

#include <inttypes.h>
#include <string.h>

/* One decoded field, as both outputs need it. */
struct shown_field {
	char name[80];
	char value[24];
	char note[96];		/* shown after the value: "(feature level)", "(Arm)" */
	char meaning[80];	/* devkeys.def fields: what the value means, or "" */
	unsigned int lsb, width;
	const char *kind;
	int64_t num;
};

#define MAX_SHOWN 128

/* The fields of a value: idregs.def's, or those of a devkeys.def layout
 * (the GIC registers').  Returns how many; *unnamed gets the set bits
 * outside them. */
static size_t decode_fields(const struct fp_entry *e, bool ccidx, struct shown_field *sf,
			    uint64_t *unnamed)
{
	size_t n = 0;
	uint64_t v = e->val.v, named = 0;
	const struct devkey_desc *dk;
	int cpu;

	*unnamed = 0;
	if (e->val.kind != VAL_HEX)
		return 0;
	if (e->cat == CAT_SYSREG && e->reg >= 0) {
		for_each_idfield(f, e->reg) {
			if (!idfield_applies(f, ccidx) || n == MAX_SHOWN)
				continue;
			struct shown_field *s = &sf[n++];
			snprintf(s->name, sizeof(s->name), "%s", f->name);
			idfield_str(f, v, s->value, sizeof(s->value));
			snprintf(s->note, sizeof(s->note), "(%s)", kind_label(f->kind));
			s->meaning[0] = '\0';
			s->lsb = f->lsb;
			s->width = f->width;
			s->kind = kind_name(f->kind);
			s->num = idfield_level(f, v);
		}
		named = idreg_named_mask(e->reg, ccidx);
	} else if ((dk = devkey_of(e, &cpu)) && dk->layout != DL_NONE) {
		for_each_devfield(h, dk->layout) {
			if (n == MAX_SHOWN)
				break;
			struct shown_field *s = &sf[n++];
			uint64_t fv = (v >> h->lsb) & field_mask(0, h->width);
			snprintf(s->name, sizeof(s->name), "%s", h->name);
			if (h->show == DF_HEX)
				snprintf(s->value, sizeof(s->value), "0x%" PRIx64, fv);
			else
				snprintf(s->value, sizeof(s->value), "%" PRIu64, fv);
			devfield_meaning(h, fv, s->meaning, sizeof(s->meaning));
			if (*s->meaning)
				snprintf(s->note, sizeof(s->note), "(%s)", s->meaning);
			else
				s->note[0] = '\0';
			s->lsb = h->lsb;
			s->width = h->width;
			s->kind = dk->family;
			s->num = (int64_t)fv;
			named |= field_mask(h->lsb, h->width);
		}
	} else {
		return 0;
	}
	*unnamed = v & ~named;
	return n;
}

static void print_fields(FILE *out, const struct shown_field *sf, size_t n, uint64_t v,
			 uint64_t unnamed)
{
	int wn = 0, wv = 0;
	unsigned int lo, hi, from = 0;
	char bits[64][24], vals[64][24];
	size_t nb = 0;

	/* runs of set bits outside the fields, so that none goes unseen */
	while (from < 64 && next_bit_run(unnamed, from, &lo, &hi) && nb < 64) {
		uint64_t fv = (v >> lo) & field_mask(0, hi - lo + 1);
		snprintf(bits[nb], sizeof(bits[nb]), "bits[%u:%u]", hi, lo);
		snprintf(vals[nb], sizeof(vals[nb]), hi - lo < 4 ? "%" PRIu64 : "0x%" PRIx64, fv);
		nb++;
		from = hi + 1;
	}
	for (size_t i = 0; i < n; i++) {
		if ((int)strlen(sf[i].name) > wn) wn = (int)strlen(sf[i].name);
		if ((int)strlen(sf[i].value) > wv) wv = (int)strlen(sf[i].value);
	}
	for (size_t i = 0; i < nb; i++) {
		if ((int)strlen(bits[i]) > wn) wn = (int)strlen(bits[i]);
		if ((int)strlen(vals[i]) > wv) wv = (int)strlen(vals[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (*sf[i].note)
			fprintf(out, "  %-*s  %*s  %s\n", wn, sf[i].name, wv, sf[i].value, sf[i].note);
		else
			fprintf(out, "  %-*s  %*s\n", wn, sf[i].name, wv, sf[i].value);
	}
	for (size_t i = 0; i < nb; i++)
		fprintf(out, "  %-*s  %*s  (set, outside the named fields)\n", wn, bits[i], wv, vals[i]);
}

void show_text(const struct fingerprint *fp, FILE *out)
{
	char how[160], v[32], meaning[200];
	bool ccidx = fp_ccidx(fp, how, sizeof(how));
	struct shown_field sf[MAX_SHOWN];
	uint64_t unnamed;

	fprintf(out, "%s: guestview fingerprint 1, %zu keys; CCSIDR layout %s (%s)\n", fp->file,
		fp->n, ccidx ? "64-bit, FEAT_CCIDX" : "32-bit", how);
	for (size_t i = 0; i < fp->n; i++) {
		const struct fp_entry *e = &fp->e[i];

		fp_value_str(&e->val, v, sizeof(v));
		describe_value(e, meaning, sizeof(meaning));
		if (*meaning)
			fprintf(out, "%s %s  (%s)\n", e->key, v, meaning);
		else
			fprintf(out, "%s %s\n", e->key, v);
		size_t n = decode_fields(e, ccidx, sf, &unnamed);
		if (n || unnamed)
			print_fields(out, sf, n, e->val.v, unnamed);
	}
}

void show_json(const struct fingerprint *fp, FILE *out)
{
	char how[160], v[32], meaning[200];
	bool ccidx = fp_ccidx(fp, how, sizeof(how));
	struct shown_field sf[MAX_SHOWN];
	uint64_t unnamed;
	struct json j;

	json_init(&j, out);
	json_begin_object(&j, NULL);
	json_string(&j, "file", fp->file);
	json_int(&j, "version", 1);
	json_uint(&j, "keys", fp->n);
	json_bool(&j, "ccidx", ccidx);
	json_string(&j, "ccidx_from", how);
	json_begin_array(&j, "entries");
	for (size_t i = 0; i < fp->n; i++) {
		const struct fp_entry *e = &fp->e[i];

		json_begin_object(&j, NULL);
		json_string(&j, "key", e->key);
		json_uint(&j, "line", e->line);
		json_string(&j, "category", fp_category_name(e->cat));
		fp_value_str(&e->val, v, sizeof(v));
		json_string(&j, "value", v);
		json_string(&j, "register", e->reg >= 0 ? idregs[e->reg].name : NULL);
		describe_value(e, meaning, sizeof(meaning));
		json_string(&j, "meaning", *meaning ? meaning : NULL);
		size_t n = decode_fields(e, ccidx, sf, &unnamed);
		json_begin_array(&j, "fields");
		for (size_t k = 0; k < n; k++) {
			json_begin_object(&j, NULL);
			json_string(&j, "name", sf[k].name);
			json_uint(&j, "lsb", sf[k].lsb);
			json_uint(&j, "width", sf[k].width);
			json_string(&j, "kind", sf[k].kind);
			if (sf[k].width <= 32)
				json_int(&j, "value", sf[k].num);
			else
				json_string(&j, "value", sf[k].value);
			json_string(&j, "meaning", *sf[k].meaning ? sf[k].meaning : NULL);
			json_end_object(&j);
		}
		json_end_array(&j);
		if (unnamed) {
			snprintf(v, sizeof(v), "0x%016" PRIx64, unnamed);
			json_string(&j, "unnamed_bits", v);
		} else {
			json_null(&j, "unnamed_bits");
		}
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}

/* ---- the table ---- */

static void encoding_str(const struct idreg_desc *r, char *buf, size_t n)
{
	snprintf(buf, n, "s%u_%u_c%u_c%u_%u", r->op0, r->op1, r->crn, r->crm, r->op2);
}

static void bits_str(const struct idfield_desc *f, char *buf, size_t n)
{
	if (f->width == 1)
		snprintf(buf, n, "[%u]", f->lsb);
	else
		snprintf(buf, n, "[%u:%u]", f->lsb + f->width - 1, f->lsb);
}

void table_text(FILE *out)
{
	char enc[32], bits[16];

	fprintf(out, "%d registers, %d fields, %d rules\n", NR_IDREGS, NR_IDFIELDS, NR_IDRULES);
	for (int r = 0; r < NR_IDREGS; r++) {
		int wn = 0;

		encoding_str(&idregs[r], enc, sizeof(enc));
		fprintf(out, "%s  %s  scope %s, present %s\n", idregs[r].name, enc,
			scope_name(idregs[r].scope), presence_name(idregs[r].presence));
		for_each_idfield(f, r)
			if ((int)strlen(f->name) > wn)
				wn = (int)strlen(f->name);
		for_each_idfield(f, r) {
			bits_str(f, bits, sizeof(bits));
			fprintf(out, "  %-*s  %-7s  %-5s%s%s\n", wn, f->name, bits, kind_name(f->kind),
				f->layout == LAYOUT_ANY ? "" : "  layout ",
				f->layout == LAYOUT_ANY ? "" : layout_name(f->layout));
		}
	}
	for (int i = 0; i < NR_IDRULES; i++)
		fprintf(out, "rule %s: %s\n", idrules[i].name, idrules[i].citation);
	for (int i = 0; i < NR_PROBES; i++)
		fprintf(out, "probe %s: class %s, at %s, advertised when %s\n", probes[i].name,
			probe_class_name(probes[i].cls), probes[i].el == EL_BOTH ? "EL1 and EL0" : "EL1",
			probes[i].cond);
}

void table_json(FILE *out)
{
	struct json j;
	char enc[32];

	json_init(&j, out);
	json_begin_object(&j, NULL);
	json_begin_array(&j, "registers");
	for (int r = 0; r < NR_IDREGS; r++) {
		json_begin_object(&j, NULL);
		json_string(&j, "name", idregs[r].name);
		encoding_str(&idregs[r], enc, sizeof(enc));
		json_string(&j, "encoding", enc);
		json_string(&j, "scope", scope_name(idregs[r].scope));
		json_string(&j, "presence", presence_name(idregs[r].presence));
		json_begin_array(&j, "fields");
		for_each_idfield(f, r) {
			json_begin_object(&j, NULL);
			json_string(&j, "name", f->name);
			json_uint(&j, "lsb", f->lsb);
			json_uint(&j, "width", f->width);
			json_string(&j, "kind", kind_name(f->kind));
			json_string(&j, "layout", layout_name(f->layout));
			json_end_object(&j);
		}
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_begin_array(&j, "rules");
	for (int i = 0; i < NR_IDRULES; i++) {
		json_begin_object(&j, NULL);
		json_string(&j, "name", idrules[i].name);
		json_string(&j, "citation", idrules[i].citation);
		json_end_object(&j);
	}
	json_end_array(&j);
	/* tables/probes.def: what scripts read instead of parsing the .def. */
	json_begin_array(&j, "probes");
	for (int i = 0; i < NR_PROBES; i++) {
		json_begin_object(&j, NULL);
		json_string(&j, "name", probes[i].name);
		json_string(&j, "class", probe_class_name(probes[i].cls));
		json_string(&j, "advertised_when", probes[i].cond);
		json_string(&j, "levels", probes[i].el == EL_BOTH ? "EL1 and EL0" : "EL1");
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}
