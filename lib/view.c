/* view.c: see view.h. */
#include "view.h"
#include "alloc.h"
#include "bulk.h"
#include "exceptions.h"
#include "guard.h"
#include "probes.h"

struct view *view_new(unsigned int max)
{
	struct view *v = alloc_pages(sizeof(*v) + max * sizeof(struct ventry));

	v->max = max;
	v->e = (struct ventry *)(v + 1);
	return v;
}

void view_add(struct view *v, struct vval val, const char *keyfmt, ...)
{
	struct ventry *e;
	va_list ap;
	int len;

	if (v->n == v->max)
		report_abort("view: more than %u entries", v->max);
	e = &v->e[v->n];
	va_start(ap, keyfmt);
	len = vsnprintf(e->key, sizeof(e->key), keyfmt, ap);
	va_end(ap);
	if (len >= VIEW_KEY_MAX)
		report_abort("view: key '%s...' longer than %d", e->key, VIEW_KEY_MAX - 1);
	e->v = val;
	v->n++;
}

const struct vval *view_get(const struct view *v, const char *key)
{
	for (unsigned int i = 0; i < v->n; i++)
		if (!strcmp(v->e[i].key, key))
			return &v->e[i].v;
	return NULL;
}

struct vval vval_from(u64 value, u64 esr)
{
	if (esr == GUARD_NONE)
		return vval_u64(value);
	if (ESR_EC(esr) == EC_UNKNOWN)
		return (struct vval){ VT_UNDEF, 0 };
	return (struct vval){ VT_TRAP, ESR_EC(esr) };
}

const char *vval_str(struct vval val, char *buf, size_t size)
{
	switch (val.type) {
	case VT_VALUE: snprintf(buf, size, FP_VAL_HEX_PREFIX "%016lx", val.value); break;
	case VT_UNDEF: snprintf(buf, size, FP_VAL_UNDEF); break;
	case VT_TRAP: snprintf(buf, size, FP_VAL_TRAP_PREFIX "%02lx", val.value); break;
	case VT_OWNTRAP: snprintf(buf, size, FP_VAL_OWNTRAP); break;
	default: snprintf(buf, size, FP_VAL_EXEC); break;
	}
	return buf;
}

void view_print(const struct view *v)
{
	char val[24];

	results_printf(FP_BEGIN_MARKER "\n");
	results_printf(FP_HEADER "\n");
	for (unsigned int i = 0; i < v->n; i++)
		results_printf("%s %s\n", v->e[i].key, vval_str(v->e[i].v, val, sizeof(val)));
	results_printf(FP_END_MARKER "\n");
	bulk_flush();	/* the host puts the fingerprint here in the log, between the console lines */
}

unsigned int view_compare(const struct view *before, const struct view *after)
{
	unsigned int diffs = 0;
	char a[24], b[24];

	for (unsigned int i = 0; i < before->n; i++) {
		const struct ventry *e = &before->e[i];
		const struct vval *now = view_get(after, e->key);

		if (!now) {
			report_fail("%s: %s before, missing after", e->key, vval_str(e->v, a, sizeof(a)));
			diffs++;
		} else if (!vval_eq(e->v, *now)) {
			report_fail("%s: %s before, %s after", e->key, vval_str(e->v, a, sizeof(a)),
				    vval_str(*now, b, sizeof(b)));
			diffs++;
		}
	}
	for (unsigned int i = 0; i < after->n; i++)
		if (!view_get(before, after->e[i].key)) {
			report_fail("%s: missing before, %s after", after->e[i].key,
				    vval_str(after->e[i].v, b, sizeof(b)));
			diffs++;
		}
	return diffs;
}
