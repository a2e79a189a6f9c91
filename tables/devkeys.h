/*
 * devkeys.h: the GIC, timer and PMU keys of devkeys.def as C data, compiled
 * into the guest (lib/devview.c writes a key only through its DEVKEY id)
 * and into gvfp (which reads a value by the table, never by the key's
 * spelling).
 */
#ifndef GUESTVIEW_TABLES_DEVKEYS_H
#define GUESTVIEW_TABLES_DEVKEYS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The per-vCPU part of a DK_PER_CPU key: FAMILY.cpuN.NAME. */
#define DEVKEY_CPU_PART	"cpu"
#define DEVKEY_MAX_CPU	65535

enum devkey_scope { DK_VM, DK_PER_CPU };
enum devkey_meaning {
	DKM_REGISTER, DKM_COUNT, DKM_BITMAP, DKM_FREQUENCY, DKM_GIC_VERSION, DKM_DT_NODE,
};
enum devfield_show { DF_DEC, DF_HEX };
enum devfield_meaning {
	FM_NONE, FM_ARM_IMPLEMENTER, FM_GIC_ARCHREV, FM_INTID_LIMIT, FM_ID_BITS_PLUS1,
	FM_PES_PLUS1, FM_PRI_BITS_PLUS1, FM_ICC_ID_BITS,
};

enum devlayout_id {
	DL_NONE,
#define DEVLAYOUT(name) DL_##name,
#define DEVFIELD(layout, name, lsb, width, show, meaning)
#define DEVKEY(id, family, name, scope, meaning, layout, unit)
#include "devkeys.def"
#undef DEVLAYOUT
#undef DEVFIELD
#undef DEVKEY
	NR_DEVLAYOUTS
};

enum devkey_id {
#define DEVLAYOUT(name)
#define DEVFIELD(layout, name, lsb, width, show, meaning)
#define DEVKEY(id, family, name, scope, meaning, layout, unit) DEVKEY_##id,
#include "devkeys.def"
#undef DEVLAYOUT
#undef DEVFIELD
#undef DEVKEY
	NR_DEVKEYS
};

enum {
	NR_DEVFIELDS = 0
#define DEVLAYOUT(name)
#define DEVFIELD(layout, name, lsb, width, show, meaning) + 1
#define DEVKEY(id, family, name, scope, meaning, layout, unit)
#include "devkeys.def"
#undef DEVLAYOUT
#undef DEVFIELD
#undef DEVKEY
};

struct devkey_desc {
	const char *family, *name, *unit;
	uint8_t scope, meaning, layout;
};

struct devfield_desc {
	uint8_t layout;
	const char *name;
	uint8_t lsb, width, show, meaning;
};

extern const struct devkey_desc devkeys[NR_DEVKEYS];
extern const struct devfield_desc devfields[NR_DEVFIELDS];

#define for_each_devfield(f, layout_id) \
	for (const struct devfield_desc *f = devfields; f < devfields + NR_DEVFIELDS; f++) \
		if (f->layout == (layout_id))

/*
 * The table's key a fingerprint key is, or NULL: "gic.GICD_TYPER" (*cpu -1),
 * "gic.cpu1.GICR_TYPER" (*cpu 1).  Exact: a DK_PER_CPU name without its
 * vCPU part, a DK_VM name with one, "cpu01" or a vCPU above DEVKEY_MAX_CPU
 * is no key of the table.
 */
const struct devkey_desc *devkey_by_key(const char *key, int *cpu);

#endif
