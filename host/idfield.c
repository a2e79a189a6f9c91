/* idfield.c: see idfield.h. */
#include "idfield.h"

#include <inttypes.h>
#include <stdio.h>

void idfield_str(const struct idfield_desc *f, uint64_t regval, char *buf, size_t n)
{
	if (f->width <= 4)
		snprintf(buf, n, "%" PRId64, idfield_level(f, regval));
	else
		snprintf(buf, n, "0x%" PRIx64, idfield_get(f, regval));
}

void idfield_changes(int reg, uint64_t a, uint64_t b, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for_each_idfield(f, reg) {
		char x[24], y[24];
		int w;

		/* Which CCSIDR layout applies depends on another register: say nothing. */
		if (f->layout != LAYOUT_ANY || idfield_get(f, a) == idfield_get(f, b))
			continue;
		idfield_str(f, a, x, sizeof(x));
		idfield_str(f, b, y, sizeof(y));
		w = snprintf(buf + len, n - len, "%s%s %s -> %s", len ? ", " : "", f->name, x, y);
		if (w < 0 || (size_t)w >= n - len) {
			buf[len] = '\0';
			return;
		}
		len += (size_t)w;
	}
}
