/* keys.c: see keys.h. */
#include "keys.h"
#include "decode.h"

/* A devkeys.def key in the form the table lists: FAMILY[.cpuN].NAME. */
static void devkey_entry(const struct devkey_desc *d, char *buf, size_t n)
{
	if (d->scope == DK_PER_CPU)
		snprintf(buf, n, "%s." DEVKEY_CPU_PART "N.%s", d->family, d->name);
	else
		snprintf(buf, n, "%s.%s", d->family, d->name);
}

static void fwcall_entry(const struct fwcall_desc *c, int part, char *buf, size_t n)
{
	if (part >= 0)
		snprintf(buf, n, FW_KEY_PREFIX "%s" FW_PART_SUFFIX "%d", c->key, part);
	else
		snprintf(buf, n, FW_KEY_PREFIX "%s", c->key);
}

size_t keys_of_fingerprint(const struct fingerprint *fp, FILE *out)
{
	size_t unknown = 0;

	for (size_t i = 0; i < fp->n; i++) {
		const struct fp_entry *e = &fp->e[i];
		const char *table = key_table(e);
		const struct fwcall_desc *c;
		const struct devkey_desc *d;
		char entry[FP_MAX_KEY + 16] = "-";
		int n;

		if ((c = fw_call_of(e, &n)))
			fwcall_entry(c, n, entry, sizeof(entry));
		else if ((d = devkey_of(e, &n)))
			devkey_entry(d, entry, sizeof(entry));
		if (!table)
			unknown++;
		fprintf(out, "%s %s %s\n", e->key, table ? table : "none", entry);
	}
	return unknown;
}

void keys_of_tables(FILE *out)
{
	char entry[FP_MAX_KEY + 16];

	for (int i = 0; i < NR_FWCALLS; i++) {
		const struct fwcall_desc *c = &fwcalls[i];
		if (c->result != RES_X0_X3) {
			fwcall_entry(c, -1, entry, sizeof(entry));
			fprintf(out, "%s firmware.def\n", entry);
			continue;
		}
		for (int p = 0; p < FW_NR_PARTS; p++) {
			fwcall_entry(c, p, entry, sizeof(entry));
			fprintf(out, "%s firmware.def\n", entry);
		}
	}
	for (int i = 0; i < NR_DEVKEYS; i++) {
		devkey_entry(&devkeys[i], entry, sizeof(entry));
		fprintf(out, "%s devkeys.def\n", entry);
	}
}
