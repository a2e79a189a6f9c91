/*
 * fingerprint.c: the parser of guestview fingerprints, the view of its
 * virtual CPU that a guest payload prints on the console.
 *
 * THE FORMAT, version 1
 *
 * In a console log a fingerprint stands between two marker lines, each a
 * whole line (nothing before or after it but an optional '\r'):
 *
 *     --- guestview fingerprint begin ---
 *     guestview-fingerprint 1
 *     sysreg.MIDR_EL1 0x00000000411fd070
 *     ...
 *     --- guestview fingerprint end ---
 *
 * Lines outside the markers are ignored; `gvfp extract` writes the lines
 * between them, which is what every other command reads.  The text is:
 *
 *   - a first line exactly "guestview-fingerprint 1" (FP_HEADER: the words of
 *     this format are tables/fpformat.h, compiled into the guest too);
 *   - then at least one line "KEY VALUE": the key, one space, the value.
 *     Each line ends with '\n' (the last may lack it); one '\r' before it is
 *     tolerated because console captures add it.  No empty lines, no other
 *     spaces, no NUL bytes, no line over 4096 bytes, at most 100000 lines,
 *     and each key at most once.  Order does not matter to gvfp (the guest
 *     writes the table's order, so that plain diff(1) works too).
 *
 * KEY: at most 96 characters, parts of [A-Za-z0-9_] joined by single dots,
 * at least two parts; the first part is the category:
 *
 *   sysreg.<NAME>             a register with one value for the whole VM
 *   sysreg.cpuN.<NAME>        a per-vCPU register (MPIDR_EL1): N decimal,
 *                             no leading zeros, 0..65535
 *   sysreg.<NAME>.<SEL>       a per-cache-selection register (CCSIDR_EL1,
 *                             CCSIDR2_EL1): SEL is L<level 1-7><D|I|U>,
 *                             data, instruction or unified cache
 *                             For a register that tables/idregs.def knows,
 *                             the form must be the one of its scope; a name
 *                             the table does not know (a newer guest) may
 *                             take any of the three forms.
 *   idspace.s3_<op1>_c0_c<crm>_<op2>   the raw scan of the feature ID
 *                             space: op1 0, 1 or 3; crm and op2 0-7
 *   fw.<...>                  firmware (PSCI, SMCCC, TRNG, ...) answers
 *   gic.<...>                 GIC registers (gic.GICD_IIDR,
 *                             gic.cpuN.GICR_TYPER, ...)
 *   timer.<...>, pmu.<...>    timer and PMU values
 *   probe.<...>               whether an instruction executes
 *
 * VALUE, one of:
 *
 *   0x + exactly 16 lowercase hex digits    the value read
 *   undef                    the access was UNDEFINED (exception class 0x00)
 *   trap:0xNN                it took another exception: NN, two lowercase
 *                            hex digits, the exception class 0x01-0x3f
 *   exec                     the probe executed (probe keys only)
 *   owntrap                  the probe, run with the guest's own EL1 enable
 *                            clear, took that enable's trap (probe keys only;
 *                            the token is tables/fpformat.h's FP_VAL_OWNTRAP)
 *
 * Anything else is an error reported as "FILE:LINE: what".
 */
#include "fingerprint.h"
#include "idregs.h"
#include "probes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const category_names[] = {
	[CAT_SYSREG] = "sysreg", [CAT_IDSPACE] = "idspace", [CAT_FW] = "fw",
	[CAT_GIC] = "gic", [CAT_TIMER] = "timer", [CAT_PMU] = "pmu", [CAT_PROBE] = "probe",
};
#define NR_CATEGORIES (sizeof(category_names) / sizeof(category_names[0]))

const char *fp_category_name(int cat)
{
	return cat >= 0 && (size_t)cat < NR_CATEGORIES ? category_names[cat] : "?";
}

static void set_error(struct fp_error *err, const char *file, unsigned int line,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_error(struct fp_error *err, const char *file, unsigned int line,
		      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (line)
		n = snprintf(err->msg, sizeof(err->msg), "%s:%u: ", file, line);
	else
		n = snprintf(err->msg, sizeof(err->msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(err->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
	va_end(ap);
}

void fp_quote(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t o = 0, i;

	if (!dstsz)
		return;
	for (i = 0; i < n && i < 60; i++) {
		unsigned char c = s[i];
		char tmp[5];

		if (c == '\\')
			snprintf(tmp, sizeof(tmp), "\\\\");
		else if (c >= 0x20 && c < 0x7f)
			snprintf(tmp, sizeof(tmp), "%c", c);
		else
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		if (o + strlen(tmp) + 4 > dstsz)
			break;
		memcpy(dst + o, tmp, strlen(tmp));
		o += strlen(tmp);
	}
	if (i < n && o + 4 <= dstsz) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}

void fp_value_str(const struct fp_value *v, char *dst, size_t dstsz)
{
	switch (v->kind) {
	case VAL_HEX:
		snprintf(dst, dstsz, FP_VAL_HEX_PREFIX "%016llx", (unsigned long long)v->v);
		break;
	case VAL_UNDEF:
		snprintf(dst, dstsz, FP_VAL_UNDEF);
		break;
	case VAL_TRAP:
		snprintf(dst, dstsz, FP_VAL_TRAP_PREFIX "%02x", v->ec);
		break;
	case VAL_OWNTRAP:
		snprintf(dst, dstsz, FP_VAL_OWNTRAP);
		break;
	default:
		snprintf(dst, dstsz, FP_VAL_EXEC);
		break;
	}
}

int fp_value_eq(const struct fp_value *a, const struct fp_value *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == VAL_HEX)
		return a->v == b->v;
	if (a->kind == VAL_TRAP)
		return a->ec == b->ec;
	return 1;
}

/* ---- the key index: open addressing, FNV-1a ---- */

static uint32_t key_hash(const char *k)
{
	uint32_t h = 2166136261u;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

static int index_insert(struct fingerprint *fp, size_t i)
{
	size_t mask = fp->index_cap - 1, at = key_hash(fp->e[i].key) & mask;

	while (fp->index[at]) {
		at = (at + 1) & mask;
	}
	fp->index[at] = (uint32_t)i + 1;
	return 0;
}

static int index_grow(struct fingerprint *fp)
{
	size_t cap = fp->index_cap ? fp->index_cap * 2 : 64;
	uint32_t *idx = calloc(cap, sizeof(*idx));

	if (!idx)
		return -1;
	free(fp->index);
	fp->index = idx;
	fp->index_cap = cap;
	for (size_t i = 0; i < fp->n; i++)
		index_insert(fp, i);
	return 0;
}

const struct fp_entry *fp_find(const struct fingerprint *fp, const char *key)
{
	size_t mask, at;

	if (!fp->index_cap)
		return NULL;
	mask = fp->index_cap - 1;
	for (at = key_hash(key) & mask; fp->index[at]; at = (at + 1) & mask) {
		const struct fp_entry *e = &fp->e[fp->index[at] - 1];
		if (!strcmp(e->key, key))
			return e;
	}
	return NULL;
}

void fp_free(struct fingerprint *fp)
{
	free(fp->e);
	free(fp->index);
	memset(fp, 0, sizeof(*fp));
}

/* ---- keys ---- */

static bool is_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* "cpuN": true with *n set; a "cpu" + digits part that is malformed sets
 * *bad (leading zero or too large). */
static bool parse_cpu_part(const char *p, size_t len, int *n, bool *bad)
{
	unsigned long v = 0;

	*bad = false;
	if (len < 4 || strncmp(p, "cpu", 3))
		return false;
	for (size_t i = 3; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	if ((p[3] == '0' && len > 4) || len > 8) {
		*bad = true;
		return false;
	}
	for (size_t i = 3; i < len; i++)
		v = v * 10 + (p[i] - '0');
	if (v > FP_MAX_CPU) {
		*bad = true;
		return false;
	}
	*n = (int)v;
	return true;
}

static bool is_cache_sel(const char *p, size_t len)
{
	return len == 3 && p[0] == 'L' && p[1] >= '1' && p[1] <= '7' &&
	       (p[2] == 'D' || p[2] == 'I' || p[2] == 'U');
}

static void scope_hint(char *why, size_t whysz, const char *name, int scope)
{
	switch (scope) {
	case SCOPE_CPU:
		snprintf(why, whysz, "%s is per-vCPU: write sysreg.cpuN.%s", name, name);
		break;
	case SCOPE_CACHE:
		snprintf(why, whysz, "%s is per cache selection: write sysreg.%s.L<1-7><D|I|U>",
			 name, name);
		break;
	default:
		snprintf(why, whysz, "%s is VM-wide: write sysreg.%s", name, name);
		break;
	}
}

/* why: the reason a key is bad, for "bad key 'K': why". */
static int parse_sysreg_key(struct fp_entry *e, const char *parts[], const size_t lens[],
			    int nparts, char *why, size_t whysz)
{
	int scope_used;
	const char *name;
	size_t namelen;
	bool bad_cpu = false;

	if (nparts == 1) {
		name = parts[0];
		namelen = lens[0];
		scope_used = SCOPE_VM;
	} else if (nparts == 2 && parse_cpu_part(parts[0], lens[0], &e->cpu, &bad_cpu)) {
		name = parts[1];
		namelen = lens[1];
		scope_used = SCOPE_CPU;
	} else if (bad_cpu) {
		snprintf(why, whysz, "vCPU number must be decimal 0-%d without leading zeros",
			 FP_MAX_CPU);
		return -1;
	} else if (nparts == 2) {
		name = parts[0];
		namelen = lens[0];
		if (!is_cache_sel(parts[1], lens[1])) {
			snprintf(why, whysz, "cache selection '%.*s' is not L<1-7><D|I|U>",
				 (int)lens[1], parts[1]);
			return -1;
		}
		memcpy(e->cache, parts[1], 3);
		e->cache[3] = '\0';
		scope_used = SCOPE_CACHE;
	} else {
		snprintf(why, whysz, "expected sysreg.NAME, sysreg.cpuN.NAME or sysreg.NAME.<cache>");
		return -1;
	}
	memcpy(e->regname, name, namelen);
	e->regname[namelen] = '\0';
	e->reg = idreg_by_name(e->regname);
	if (e->reg >= 0 && idregs[e->reg].scope != scope_used) {
		scope_hint(why, whysz, e->regname, idregs[e->reg].scope);
		return -1;
	}
	return 0;
}

static int parse_idspace_key(struct fp_entry *e, const char *p, size_t len)
{
	/* s3_<op1>_c0_c<crm>_<op2> */
	if (len != 12 || strncmp(p, "s3_", 3) || p[4] != '_' || strncmp(p + 5, "c0_c", 4) ||
	    p[10] != '_')
		return -1;
	if (p[3] != '0' && p[3] != '1' && p[3] != '3')
		return -1;
	if (p[9] < '0' || p[9] > '7' || p[11] < '0' || p[11] > '7')
		return -1;
	e->slot = (p[3] == '0' ? 0 : p[3] == '1' ? 64 : 128) + (p[9] - '0') * 8 + (p[11] - '0');
	e->reg = idspace_reg((unsigned int)e->slot);
	return 0;
}

static int parse_key(struct fp_entry *e, const char *k, size_t len, char *why, size_t whysz)
{
	const char *parts[FP_MAX_KEY];
	size_t lens[FP_MAX_KEY];
	int nparts = 0;
	size_t i, start = 0;

	if (len > FP_MAX_KEY) {
		snprintf(why, whysz, "longer than %d characters", FP_MAX_KEY);
		return -1;
	}
	for (i = 0; i <= len; i++) {
		if (i < len && is_key_char(k[i]))
			continue;
		if (i < len && k[i] != '.') {
			char q[8];
			fp_quote(q, sizeof(q), k + i, 1);
			snprintf(why, whysz, "character '%s' not allowed (parts of A-Z a-z 0-9 _ joined by dots)", q);
			return -1;
		}
		if (i == start) {
			snprintf(why, whysz, "empty part (keys are parts joined by single dots)");
			return -1;
		}
		parts[nparts] = k + start;
		lens[nparts++] = i - start;
		start = i + 1;
	}
	memcpy(e->key, k, len);
	e->key[len] = '\0';
	e->reg = -1;
	e->cpu = -1;
	e->slot = -1;
	e->regname[0] = '\0';
	e->cache[0] = '\0';
	for (i = 0; i < NR_CATEGORIES; i++)
		if (lens[0] == strlen(category_names[i]) && !strncmp(parts[0], category_names[i], lens[0]))
			break;
	if (i == NR_CATEGORIES) {
		snprintf(why, whysz, "unknown category '%.*s' (expected sysreg, idspace, fw, gic, timer, pmu or probe)",
			 (int)lens[0], parts[0]);
		return -1;
	}
	e->cat = (uint8_t)i;
	if (nparts < 2) {
		snprintf(why, whysz, "nothing after the category");
		return -1;
	}
	if (e->cat == CAT_SYSREG)
		return parse_sysreg_key(e, parts + 1, lens + 1, nparts - 1, why, whysz);
	if (e->cat == CAT_IDSPACE && (nparts != 2 || parse_idspace_key(e, parts[1], lens[1]))) {
		snprintf(why, whysz, "expected idspace.s3_<op1>_c0_c<crm>_<op2>, op1 0, 1 or 3, crm and op2 0-7");
		return -1;
	}
	return 0;
}

/* ---- values ---- */

static int hexdigit(char c, bool *upper)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') {
		*upper = true;
		return c - 'A' + 10;
	}
	return -1;
}

/* Hex digits of s[0..n): their count when all are hex digits, else -1;
 * *v gets the value of the last 16. */
static int scan_hex(const char *s, size_t n, uint64_t *v, bool *upper)
{
	*v = 0;
	*upper = false;
	for (size_t i = 0; i < n; i++) {
		int d = hexdigit(s[i], upper);
		if (d < 0)
			return -1;
		*v = (*v << 4) | (uint64_t)d;
	}
	return n > FP_MAX_LINE ? -1 : (int)n;
}

#define VALUE_FORMS "expected " FP_VAL_HEX_PREFIX " and 16 hex digits, " FP_VAL_UNDEF ", " \
	FP_VAL_TRAP_PREFIX "NN, " FP_VAL_EXEC " or " FP_VAL_OWNTRAP

/* s, n bytes long, is exactly the word w. */
static bool is_word(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && !memcmp(s, w, n);
}

static int parse_value(struct fp_value *v, const char *s, size_t n, char *why, size_t whysz)
{
	bool upper;
	uint64_t x;
	int digits;

	memset(v, 0, sizeof(*v));
	if (is_word(s, n, FP_VAL_UNDEF)) {
		v->kind = VAL_UNDEF;
		return 0;
	}
	if (is_word(s, n, FP_VAL_EXEC)) {
		v->kind = VAL_EXEC;
		return 0;
	}
	if (is_word(s, n, FP_VAL_OWNTRAP)) {
		v->kind = VAL_OWNTRAP;
		return 0;
	}
	if (n >= strlen(FP_VAL_TRAP_PREFIX) && !memcmp(s, FP_VAL_TRAP_PREFIX, strlen(FP_VAL_TRAP_PREFIX))) {
		digits = scan_hex(s + strlen(FP_VAL_TRAP_PREFIX), n - strlen(FP_VAL_TRAP_PREFIX), &x, &upper);
		if (digits != 2)
			snprintf(why, whysz, "expected trap:0xNN, two hex digits of exception class");
		else if (upper)
			snprintf(why, whysz, "hex digits must be lowercase");
		else if (x == 0)
			snprintf(why, whysz, "exception class 0x00 is written 'undef'");
		else if (x > 0x3f)
			snprintf(why, whysz, "exception class is 6 bits (0x01-0x3f)");
		else {
			v->kind = VAL_TRAP;
			v->ec = (uint8_t)x;
			return 0;
		}
		return -1;
	}
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = n > 2 ? scan_hex(s + 2, n - 2, &x, &upper) : -1;
		if (digits < 0)
			snprintf(why, whysz, VALUE_FORMS);
		else if (s[1] == 'X')
			snprintf(why, whysz, "the 0x prefix must be lowercase");
		else if (digits != FP_VAL_HEX_DIGITS)
			snprintf(why, whysz, "%d hex digits, expected exactly 16", digits);
		else if (upper)
			snprintf(why, whysz, "hex digits must be lowercase");
		else {
			v->kind = VAL_HEX;
			v->v = x;
			return 0;
		}
		return -1;
	}
	snprintf(why, whysz, VALUE_FORMS);
	return -1;
}

/* ---- lines ---- */

/*
 * The next line of buf[*pos..len): its start and length without '\n'.
 * False at the end of the buffer.
 */
static bool next_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n)
{
	const char *nl;

	if (*pos >= len)
		return false;
	*line = buf + *pos;
	nl = memchr(*line, '\n', len - *pos);
	*n = nl ? (size_t)(nl - *line) : len - *pos;
	*pos += *n + (nl ? 1 : 0);
	return true;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);
	return n >= pl && !memcmp(s, prefix, pl);
}

static int add_entry(struct fingerprint *fp, const struct fp_entry *e)
{
	if (fp->n == fp->cap) {
		size_t cap = fp->cap ? fp->cap * 2 : 32;
		struct fp_entry *ne = realloc(fp->e, cap * sizeof(*ne));
		if (!ne)
			return -1;
		fp->e = ne;
		fp->cap = cap;
	}
	fp->e[fp->n++] = *e;
	/* keep the index at most half full */
	if (fp->n * 2 > fp->index_cap)
		return index_grow(fp);
	return index_insert(fp, fp->n - 1);
}

int fp_parse(struct fingerprint *fp, const char *file, const char *buf, size_t len,
	     unsigned int first_line, struct fp_error *err)
{
	size_t pos = 0, n;
	const char *s;
	unsigned int idx = 0;
	char q[256], why[256];
	struct fp_entry e;

	memset(fp, 0, sizeof(*fp));
	fp->file = file;
	if (len == 0) {
		set_error(err, file, first_line, "empty fingerprint: expected a first line '%s'", FP_HEADER);
		return -1;
	}
	while (next_line(buf, len, &pos, &s, &n)) {
		unsigned int line = first_line + idx;

		if (idx++ >= FP_MAX_LINES) {
			set_error(err, file, line, "more than %d lines: not a fingerprint", FP_MAX_LINES);
			goto fail;
		}
		if (n > FP_MAX_LINE) {
			set_error(err, file, line, "line longer than %d bytes", FP_MAX_LINE);
			goto fail;
		}
		if (memchr(s, '\0', n)) {
			set_error(err, file, line, "NUL byte in the line (binary data?)");
			goto fail;
		}
		if (n && s[n - 1] == '\r')
			n--;
		fp_quote(q, sizeof(q), s, n);
		if (line == first_line) {
			if (n == strlen(FP_HEADER) && !memcmp(s, FP_HEADER, n))
				continue;
			if (starts_with(s, n, FP_VERSION_WORD " "))
				set_error(err, file, line, "unsupported fingerprint version '%s': this gvfp reads version 1",
					  q + strlen(FP_VERSION_WORD " "));
			else if (starts_with(s, n, "--- guestview fingerprint") ||
				 memmem(buf, len, FP_BEGIN_MARKER, strlen(FP_BEGIN_MARKER)))
				set_error(err, file, line, "not a fingerprint but a console log: take the fingerprint out with 'gvfp extract' first");
			else
				set_error(err, file, line, "not a guestview fingerprint: first line is '%s', expected '%s'",
					  q, FP_HEADER);
			goto fail;
		}
		if (n == 0) {
			set_error(err, file, line, "empty line (a fingerprint has one 'key value' per line)");
			goto fail;
		}
		if (starts_with(s, n, "--- guestview fingerprint")) {
			set_error(err, file, line, "marker line inside a fingerprint: give console logs to 'gvfp extract'");
			goto fail;
		}
		const char *sp = memchr(s, ' ', n);
		if (!sp || sp == s || sp == s + n - 1 || memchr(sp + 1, ' ', n - (size_t)(sp + 1 - s))) {
			set_error(err, file, line, "expected 'key value' (one space between), got '%s'", q);
			goto fail;
		}
		memset(&e, 0, sizeof(e));
		if (parse_key(&e, s, (size_t)(sp - s), why, sizeof(why))) {
			fp_quote(q, sizeof(q), s, (size_t)(sp - s));
			set_error(err, file, line, "bad key '%s': %s", q, why);
			goto fail;
		}
		if (parse_value(&e.val, sp + 1, n - (size_t)(sp + 1 - s), why, sizeof(why))) {
			fp_quote(q, sizeof(q), sp + 1, n - (size_t)(sp + 1 - s));
			set_error(err, file, line, "bad value '%s' for key %s: %s", q, e.key, why);
			goto fail;
		}
		if ((e.val.kind == VAL_EXEC || e.val.kind == VAL_OWNTRAP) && e.cat != CAT_PROBE) {
			char vs[16];
			fp_value_str(&e.val, vs, sizeof(vs));
			set_error(err, file, line, "bad value '%s' for key %s: %s is for probe keys only", vs, e.key, vs);
			goto fail;
		}
		const struct fp_entry *dup = fp_find(fp, e.key);
		if (dup) {
			set_error(err, file, line, "duplicate key %s (first at line %u)", e.key, dup->line);
			goto fail;
		}
		e.line = line;
		if (add_entry(fp, &e)) {
			set_error(err, file, line, "out of memory");
			goto fail;
		}
	}
	if (fp->n == 0) {
		set_error(err, file, first_line, "no keys after the '%s' line", FP_HEADER);
		goto fail;
	}
	return 0;
fail:
	fp_free(fp);
	fp->file = file;
	return -1;
}

/* ---- console logs ---- */

int fp_find_block(const char *file, const char *buf, size_t len, unsigned int nth,
		  struct fp_block *blk, struct fp_error *err)
{
	size_t pos = 0, n, start = 0;
	const char *s;
	unsigned int line = 0, begin_line = 0, count = 0;
	bool inside = false;
	const size_t bl = strlen(FP_BEGIN_MARKER), el = strlen(FP_END_MARKER);

	while (next_line(buf, len, &pos, &s, &n)) {
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		bool is_begin = n == bl && !memcmp(s, FP_BEGIN_MARKER, bl);
		bool is_end = n == el && !memcmp(s, FP_END_MARKER, el);

		if (!is_begin && !is_end) {
			if (memmem(s, n, FP_BEGIN_MARKER, bl) || memmem(s, n, FP_END_MARKER, el)) {
				set_error(err, file, line, "marker with other text on its line: markers must be whole lines");
				return -1;
			}
			continue;
		}
		if (is_begin) {
			if (inside) {
				set_error(err, file, line, "begin marker inside a fingerprint: the one begun at line %u has no end marker",
					  begin_line);
				return -1;
			}
			inside = true;
			begin_line = line;
			start = pos;
			count++;
			continue;
		}
		if (!inside) {
			set_error(err, file, line, "end marker without a begin marker");
			return -1;
		}
		inside = false;
		if (count == nth) {
			blk->start = start;
			blk->len = (size_t)(s - buf) - start;
			blk->first_line = begin_line + 1;
			return 0;
		}
	}
	if (inside)
		set_error(err, file, begin_line, "fingerprint begun here has no end marker (truncated log?)");
	else if (count == 0)
		set_error(err, file, 0, "no fingerprint: no line '%s'", FP_BEGIN_MARKER);
	else
		set_error(err, file, 0, "%u fingerprint%s, no fingerprint number %u", count,
			  count == 1 ? "" : "s", nth);
	return -1;
}

int fp_read_file(const char *path, char **bufp, size_t *lenp, struct fp_error *err)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	size_t cap = 65536, len = 0;
	char *buf;

	if (!f) {
		set_error(err, name, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		set_error(err, name, 0, "out of memory");
		goto fail_close;
	}
	for (;;) {
		/* never hold more than FP_MAX_FILE + 1 bytes: one more tells "too large" */
		if (len == cap) {
			if (cap > FP_MAX_FILE)
				break;
			cap = cap * 2 > FP_MAX_FILE ? FP_MAX_FILE + 1 : cap * 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				set_error(err, name, 0, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		set_error(err, name, 0, "cannot read: %s", strerror(errno));
		goto fail;
	}
	if (len > FP_MAX_FILE) {
		set_error(err, name, 0, "larger than %u MiB: not a fingerprint or guestview console log",
			  FP_MAX_FILE >> 20);
		goto fail;
	}
	if (!is_stdin)
		fclose(f);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
fail_close:
	if (!is_stdin)
		fclose(f);
	return -1;
}
