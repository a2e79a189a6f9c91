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

int probe_by_name(const char *name)
{
	for (int i = 0; i < NR_PROBES; i++)
		if (!strcmp(probes[i].name, name))
			return i;
	return -1;
}
