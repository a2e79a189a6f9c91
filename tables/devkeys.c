/*
 * devkeys.c: the arrays and look-up of devkeys.h, from devkeys.def.  Plain
 * C with no library calls beyond strlen/strncmp/strcmp, so the freestanding
 * guest and the host tools compile the same file.
 */
#include "devkeys.h"
#include <string.h>

const struct devkey_desc devkeys[NR_DEVKEYS] = {
#define DEVLAYOUT(name)
#define DEVFIELD(layout, name, lsb, width, show, meaning)
#define DEVKEY(id, family, name, scope, meaning, layout, unit) \
	[DEVKEY_##id] = { family, name, unit, scope, meaning, DL_##layout },
#include "devkeys.def"
#undef DEVLAYOUT
#undef DEVFIELD
#undef DEVKEY
};

const struct devfield_desc devfields[NR_DEVFIELDS] = {
#define DEVLAYOUT(name)
#define DEVFIELD(layout, name, lsb, width, show, meaning) \
	{ DL_##layout, #name, lsb, width, show, meaning },
#define DEVKEY(id, family, name, scope, meaning, layout, unit)
#include "devkeys.def"
#undef DEVLAYOUT
#undef DEVFIELD
#undef DEVKEY
};

/* "cpuN." at s: N into *cpu, the length consumed; 0 when s is no such part. */
static size_t cpu_part(const char *s, int *cpu)
{
	size_t pl = strlen(DEVKEY_CPU_PART), i = pl;
	long n = 0;

	if (strncmp(s, DEVKEY_CPU_PART, pl) || s[i] < '0' || s[i] > '9')
		return 0;
	if (s[i] == '0' && s[i + 1] != '.')
		return 0;	/* leading zero */
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		n = n * 10 + (s[i] - '0');
		if (n > DEVKEY_MAX_CPU)
			return 0;
	}
	if (s[i] != '.')
		return 0;
	*cpu = (int)n;
	return i + 1;
}

const struct devkey_desc *devkey_by_key(const char *key, int *cpu)
{
	for (int i = 0; i < NR_DEVKEYS; i++) {
		const struct devkey_desc *d = &devkeys[i];
		size_t fl = strlen(d->family), used;
		const char *rest = key + fl + 1;
		int n = -1;

		if (strncmp(key, d->family, fl) || key[fl] != '.')
			continue;
		if (d->scope == DK_PER_CPU) {
			if (!(used = cpu_part(rest, &n)))
				continue;
			rest += used;
		}
		if (!strcmp(rest, d->name)) {
			*cpu = n;
			return d;
		}
	}
	return NULL;
}
