/*
 * probes.h: the feature probes of probes.def as C data: for each, the ID
 * condition that advertises the feature, the instructions that use it,
 * and what a guest may expect when the feature is hidden.  Compiled into
 * the guest and the host tools, like idregs.h.
 */
#ifndef GUESTVIEW_TABLES_PROBES_H
#define GUESTVIEW_TABLES_PROBES_H
#include "idregs.h"

/*
 * U: the encoding is UNDEFINED when the feature is absent;
 * K: the hypervisor can make it UNDEFINED when it hides the feature;
 * N: nothing can trap it: a guest told "absent" may still run it on a host
 *    that has it (a leak to report, not a failure).
 */
enum probe_class { CLASS_U, CLASS_K, CLASS_N };
enum probe_pre { PRE_NONE, PRE_SVE, PRE_SME, PRE_MTE };
enum probe_el { EL_1, EL_BOTH };
enum probe_arg { ARG_ZERO, ARG_BUF, ARG_16 };

enum probe_id {
#define PROBE(name, cond, cls, pre, el, x0, x1, x2, n, i0, i1, i2) PROBE_##name,
#include "probes.def"
#undef PROBE
	NR_PROBES
};

struct probe_desc {
	const char *name;
	const char *cond;	/* the condition as written in probes.def */
	uint8_t cls, pre, el;
	uint8_t arg[3];
	uint8_t n;
	uint32_t insn[3];
};

extern const struct probe_desc probes[NR_PROBES];

/* The FEAT terms an evaluation looked at, for messages that name them. */
struct feat_term {
	uint16_t reg, field;
	int64_t level, min;
};
struct probe_eval {
	unsigned int n;
	struct feat_term t[8];
};

/* Is the probe's feature advertised by these register values (by idreg id)? */
bool probe_advertised(enum probe_id p, const uint64_t *values, struct probe_eval *ev);
/* One FEAT(REG, FIELD, MIN) term: level of the field >= MIN; recorded in ev. */
bool feat_term(struct probe_eval *ev, const uint64_t *values, int field, int64_t min);
int probe_by_name(const char *name);

#endif
