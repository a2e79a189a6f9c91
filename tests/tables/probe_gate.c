/*
 * probe_gate PROBE [REG.FIELD=VALUE]...: prints "advertised" or "hidden",
 * what tables/probes.def's condition for PROBE says of ID registers that
 * are 0 but for the fields given.  For tests/tables/kinds.sh: the gating of
 * a probe is checked from the compiled table, as the guest evaluates it.
 * Exit status 0, or 2 for an unknown probe, register or field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes.h"

static int set_field(uint64_t *values, const char *arg)
{
	char reg[64];
	const char *dot = strchr(arg, '.'), *eq = strchr(arg, '=');

	if (!dot || !eq || eq < dot || (size_t)(dot - arg) >= sizeof(reg))
		return -1;
	memcpy(reg, arg, dot - arg);
	reg[dot - arg] = '\0';
	int r = idreg_by_name(reg);
	if (r < 0)
		return -1;
	for_each_idfield(f, r) {
		if (f->layout != LAYOUT_ANY || strlen(f->name) != (size_t)(eq - dot - 1) ||
		    strncmp(f->name, dot + 1, eq - dot - 1))
			continue;
		uint64_t mask = f->width == 64 ? ~0ULL : ((1ULL << f->width) - 1) << f->lsb;
		values[r] = (values[r] & ~mask) | ((strtoull(eq + 1, NULL, 0) << f->lsb) & mask);
		return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	uint64_t values[NR_IDREGS] = { 0 };
	int p = argc > 1 ? probe_by_name(argv[1]) : -1;

	if (p < 0) {
		fprintf(stderr, "probe_gate: unknown probe '%s'\n", argc > 1 ? argv[1] : "");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (set_field(values, argv[i])) {
			fprintf(stderr, "probe_gate: '%s' is no REG.FIELD=VALUE of tables/idregs.def\n", argv[i]);
			return 2;
		}
	}
	puts(probe_advertised((enum probe_id)p, values, NULL) ? "advertised" : "hidden");
	return 0;
}
