/*
 * view.h: what the guest observed, as ordered (key, value) pairs: the
 * fingerprint.  Collected into memory so that a payload can print it,
 * and compare two views (before and after a migration) itself.
 *
 * Printed form (the host tool host/gvfp reads it; its words are
 * tables/fpformat.h, which gvfp compiles too), on the bulk channel when
 * there is one (lib/bulk.h), else on the console:
 *   --- guestview fingerprint begin ---
 *   guestview-fingerprint 1
 *   sysreg.ID_AA64ISAR0_EL1 0x0000000000011120
 *   probe.sve undef
 *   --- guestview fingerprint end ---
 */
#ifndef GUESTVIEW_VIEW_H
#define GUESTVIEW_VIEW_H
#include "libcflat.h"
#include "fpformat.h"

#define VIEW_KEY_MAX	64

/* A value, or what happened instead of a value. */
enum vtype {
	VT_VALUE,	/* 0x%016lx */
	VT_UNDEF,	/* "undef": the access was UNDEFINED (EC 0x00) */
	VT_TRAP,	/* "trap:0xNN": another exception class, value = EC */
	VT_EXEC,	/* "exec": a probe ran */
	VT_OWNTRAP,	/* "owntrap": a probe took its own EL1 enable's trap (probes.h) */
};

struct vval {
	u8 type;
	u64 value;
};

struct ventry {
	char key[VIEW_KEY_MAX];
	struct vval v;
};

struct view {
	unsigned int n, max;
	struct ventry *e;
};

struct view *view_new(unsigned int max);
void view_add(struct view *v, struct vval val, const char *keyfmt, ...) __printf(3, 4);
const struct vval *view_get(const struct view *v, const char *key);
/* "0x0000000000000001", "undef", "trap:0x18", "exec" or "owntrap" into buf. */
const char *vval_str(struct vval val, char *buf, size_t size);
/* The outcome of a guarded access: a value, or the exception it raised. */
struct vval vval_from(u64 value, u64 esr);
static inline struct vval vval_u64(u64 value) { return (struct vval){ VT_VALUE, value }; }
static inline bool vval_eq(struct vval a, struct vval b)
{
	return a.type == b.type && a.value == b.value;
}
void view_print(const struct view *v);
/* Reports one FAIL per key that differs or is missing; returns how many. */
unsigned int view_compare(const struct view *before, const struct view *after);

#endif
