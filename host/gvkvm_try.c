/*
 * gvkvm_try.c: the try file and the field-by-field split (gvkvm_try.h).
 */
#include "gvkvm_try.h"

#include "gvkvm_json.h"
#include "idregs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *errno_name(int err)
{
	static char buf[24];

	switch (err) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case E2BIG: return "E2BIG";
	case EFAULT: return "EFAULT";
	case ENXIO: return "ENXIO";
	case ENOEXEC: return "ENOEXEC";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOTTY: return "ENOTTY";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	}
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static int same_name(uint64_t id, const char *name)
{
	char buf[REGNAME_MAX];

	regname(id, buf);
	return !strcmp(buf, name);
}

int gvkvm_reg_id(const char *name, uint64_t *id)
{
	unsigned int op0, op1, crn, crm, op2, n;
	char *end;
	int r, len = 0;

	if (!strncmp(name, "0x", 2) && name[2]) {
		errno = 0;
		*id = strtoull(name + 2, &end, 16);
		if (*end || errno || strlen(name + 2) > 16 || strchr(name, '-') || strchr(name, ' '))
			return -1;
		return 0;
	}
	r = idreg_by_name(name);
	if (r >= 0) {
		*id = KVM_SYSREG_ID(idregs[r].op0, idregs[r].op1, idregs[r].crn, idregs[r].crm, idregs[r].op2);
		return same_name(*id, name) ? 0 : -1;
	}
	for (size_t i = 0; i < nr_sysreg_names; i++) {
		const struct sysreg_name *s = &sysreg_names[i];

		if (!strcmp(s->name, name)) {
			*id = KVM_SYSREG_ID(s->op0, s->op1, s->crn, s->crm, s->op2);
			return same_name(*id, name) ? 0 : -1;
		}
	}
	if (sscanf(name, "S%u_%u_C%u_C%u_%u%n", &op0, &op1, &crn, &crm, &op2, &len) == 5 &&
	    (size_t)len == strlen(name) && op0 < 4 && op1 < 8 && crn < 16 && crm < 16 && op2 < 8) {
		*id = KVM_SYSREG_ID(op0, op1, crn, crm, op2);
		return same_name(*id, name) ? 0 : -1;
	}
	if (sscanf(name, "CCSIDR_EL1[csselr=%u]%n", &n, &len) == 1 && (size_t)len == strlen(name) && n < 256) {
		*id = 0x6020000000110000ULL | n;	/* KVM_REG_ARM_DEMUX_ID_CCSIDR, 32 bits */
		return same_name(*id, name) ? 0 : -1;
	}
	/* The firmware classes (0x14, 0x16): regname() holds their names. */
	for (uint64_t cls = 0x14; cls <= 0x16; cls += 2) {
		for (uint64_t i = 0; i < 64; i++) {
			*id = 0x6030000000000000ULL | cls << 16 | i;
			if (same_name(*id, name))
				return 0;
		}
	}
	return -1;
}

static int parse_value(const char *s, uint64_t *v)
{
	size_t n = strlen(s);
	char *end;

	if (n < 3 || n > 18 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -1;
	for (size_t i = 2; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return -1;
	*v = strtoull(s + 2, &end, 16);
	return 0;
}

char *gvkvm_read_file(const char *path, size_t *len, FILE *errs)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f) {
		fprintf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	do {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > (64u << 20)) {
				fprintf(errs, "%s: larger than 64 MiB: not a try file\n", path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = realloc(buf, cap);
			if (!buf) {
				perror("gvkvm");
				exit(3);
			}
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		fprintf(errs, "%s: read error: %s\n", path, strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

struct jv *gvkvm_load_json(const char *path, FILE *errs)
{
	char err[256];
	size_t len;
	char *text = gvkvm_read_file(path, &len, errs);
	struct jv *doc;

	if (!text)
		return NULL;
	doc = jv_parse(text, len, err, sizeof(err));
	free(text);
	if (!doc)
		fprintf(errs, "%s:%s\n", path, err);
	return doc;
}

long try_load(const char *path, struct try_entry **out, FILE *errs)
{
	struct jv *doc = gvkvm_load_json(path, errs);
	const struct jv *vals;
	long n;

	*out = NULL;
	if (!doc)
		return -1;
	vals = doc;
	/* A `gvkvm info` document: its values. */
	if (doc->type == JV_OBJECT && jv_get(doc, "values"))
		vals = jv_get(doc, "values");
	n = try_entries(path, vals, out, errs);
	jv_free(doc);
	return n;
}

long try_entries(const char *path, const struct jv *vals, struct try_entry **out, FILE *errs)
{
	struct try_entry *e;
	long n = 0, bad = 0;

	*out = NULL;
	if (vals->type != JV_OBJECT) {
		fprintf(errs, "%s:%d: expected an object {\"REGISTER\": \"0x...\"} (or a gvkvm info document), found %s\n",
			path, vals->line, jv_type_name(vals->type));
		return -1;
	}
	e = calloc(vals->n ? vals->n : 1, sizeof(*e));
	if (!e) {
		perror("gvkvm");
		exit(3);
	}
	for (size_t i = 0; i < vals->n; i++) {
		const char *name = vals->keys[i];
		const struct jv *v = vals->items[i];
		struct try_entry *t = &e[n];

		t->line = vals->key_lines[i];
		if (gvkvm_reg_id(name, &t->id)) {
			fprintf(errs, "%s:%d: unknown register '%s' (a name gvkvm info prints, e.g. ID_AA64MMFR1_EL1, or a KVM id 0x6030...)\n",
				path, t->line, name);
			bad++;
			continue;
		}
		if (v->type != JV_STRING || parse_value(v->str, &t->value)) {
			fprintf(errs, "%s:%d: %s: bad value %s%s%s (want a string \"0x\" and 1 to 16 hex digits)\n",
				path, v->line, name, v->type == JV_STRING ? "'" : "",
				v->type == JV_STRING ? v->str : jv_type_name(v->type), v->type == JV_STRING ? "'" : "");
			bad++;
			continue;
		}
		regname(t->id, t->name);
		for (long j = 0; j < n; j++) {
			if (e[j].id == t->id) {
				fprintf(errs, "%s:%d: %s: the same register as '%s' on line %d\n", path, t->line,
					name, e[j].name, e[j].line);
				bad++;
				goto next;
			}
		}
		n++;
next:;
	}
	if (bad) {
		free(e);
		return -1;
	}
	*out = e;
	return n;
}

static uint64_t bits(unsigned int lsb, unsigned int width)
{
	return (width >= 64 ? ~0ULL : (1ULL << width) - 1) << lsb;
}

size_t try_decompose(int reg, uint64_t cur, uint64_t want, try_oracle oracle, void *ctx,
		     struct field_try *out, size_t max)
{
	uint64_t diff = cur ^ want, named = 0;
	size_t n = 0;

	for_each_idfield(f, reg) {
		uint64_t m = bits(f->lsb, f->width);

		if (f->layout != LAYOUT_ANY)
			continue;	/* CCSIDR's two layouts: not an AArch64 sysreg write */
		named |= m;
		if (!(diff & m))
			continue;
		if (n < max) {
			out[n] = (struct field_try){ (int)(f - idfields), f->lsb, f->width,
						     (cur & m) >> f->lsb, (want & m) >> f->lsb, 0 };
			out[n].err = oracle(ctx, (cur & ~m) | (want & m));
		}
		n++;
	}
	/* What no field names: each run of differing bits, lowest first. */
	for (unsigned int b = 0; b < 64;) {
		unsigned int lsb = b;
		uint64_t m;

		if (!((diff & ~named) >> b & 1)) {
			b++;
			continue;
		}
		while (b < 64 && ((diff & ~named) >> b & 1))
			b++;
		m = bits(lsb, b - lsb);
		if (n < max) {
			out[n] = (struct field_try){ -1, lsb, b - lsb, (cur & m) >> lsb, (want & m) >> lsb, 0 };
			out[n].err = oracle(ctx, (cur & ~m) | (want & m));
		}
		n++;
	}
	return n;
}
