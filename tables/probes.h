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
enum probe_pre { PRE_NONE, PRE_SVE, PRE_SME, PRE_MTE, NR_PRE };
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

/*
 * The guest's own EL1 enable behind a PRE_* precondition, and what its
 * trap says.  With the enable clear, a CPU that implements the feature
 * traps the instruction to the guest's EL1 with EC before any EL2 control
 * is looked at (Arm ARM shared pseudocode CheckSVEEnabled() and
 * CheckSMEEnabled(): the CPACR_EL1 test comes first, the CPTR_EL2 tests
 * after it; the instruction's decode UNDEFs only when the feature is not
 * implemented at all).  So a hypervisor that hides the feature cannot hide
 * that trap: a hidden feature that answers it leaks (architectural).
 * tables/README.md ("Own EL1 enables") lists which preconditions and
 * registers this applies to and why.
 */
struct probe_enable {
	const char *name;	/* "CPACR_EL1.SMEN", for messages */
	const char *feature;	/* "SME" */
	uint64_t cpacr;		/* CPACR_EL1 bits that enable it (EL1 and EL0) */
	uint8_t ec;		/* the exception class of its trap */
	int field;		/* the ID field that advertises the feature ... */
	int64_t min;		/* ... at this level */
};
/* Indexed by enum probe_pre; PRE_NONE and PRE_MTE have no enable (name NULL). */
extern const struct probe_enable probe_enables[];
bool probe_has_own_enable(enum probe_id p);
/* Is the feature behind probe p's own enable advertised by these values? */
bool probe_enable_advertised(enum probe_id p, const uint64_t *values);

/*
 * A probe that trapped with its own enable's EC while that enable was clear
 * (the guest's own trap, not the hypervisor's) is FP_VAL_OWNTRAP in the
 * fingerprint (tables/fpformat.h).
 */

/* "U", "K" or "N": the class's letter, as probes.def and the README write it. */
const char *probe_class_name(int cls);

/* ---- verdicts ---- */

/* Which run of a probe: plain (no own enable), own enable clear or set. */
enum probe_pass { PASS_PLAIN, PASS_OWN_CLEAR, PASS_OWN_SET };
/* What the run did. */
enum probe_got { GOT_EXEC, GOT_UNDEF, GOT_TRAP };
enum probe_verdict_kind { PV_PASS, PV_FAIL, PV_KFAIL };
/*
 * Why a hidden feature was reachable, named on every report line that says
 * so (probe_leak_names[]):
 *   LEAK_ARCH         the guest's own EL1 enable trap comes before EL2's
 *   LEAK_UNTRAPPABLE  class U or N: nothing below EL3 can trap it
 *   LEAK_HYP          the hypervisor could have trapped it and did not
 *   LEAK_TESTBED      LEAK_HYP, explained by the test bed (tables/errata.def)
 *   LEAK_KERNEL       LEAK_HYP, a known kernel bug (tables/errata.def)
 */
enum probe_leak { LEAK_NONE, LEAK_ARCH, LEAK_UNTRAPPABLE, LEAK_HYP, LEAK_TESTBED, LEAK_KERNEL };
extern const char *const probe_leak_names[];

/*
 * What the guest knows of where it runs, passed in by the harness (the
 * guest cannot tell): the host kernel's version and the version of the
 * QEMU that emulates the host (the kernel matrix's test bed), each as
 * major * 1000000 + minor * 1000 + patch, 0 when not given.
 */
struct probe_host {
	uint32_t kernel, testbed_qemu;
};
#define PROBE_VERSION(a, b, c) ((uint32_t)(a) * 1000000u + (uint32_t)(b) * 1000u + (uint32_t)(c))
/* "6.12.117+deb13-arm64", "7.2": the version, or 0 when s does not start with N.N. */
uint32_t probe_parse_version(const char *s);

/* tables/errata.def as data. */
enum erratum_kind { ERRATUM_TESTBED, ERRATUM_KERNEL };
struct erratum {
	enum probe_id probe;
	uint8_t kind;
	uint32_t kernel_from, kernel_below;	/* host kernel in [from, below); 0: open */
	uint32_t testbed_below;			/* ERRATUM_TESTBED: test-bed QEMU below it */
	const char *evidence;
};
extern const struct erratum errata[];
extern const unsigned int nr_errata;
/* The erratum that explains probe p's leak on this host, or -1. */
int erratum_find(enum probe_id p, const struct probe_host *h);

struct probe_verdict {
	uint8_t kind;		/* enum probe_verdict_kind */
	uint8_t leak;		/* enum probe_leak */
	int erratum;		/* index into errata[], or -1 */
	const char *what;	/* "hidden but executes", ...: the outcome in words */
};

/*
 * The verdict on one run of probe p: adv is its condition on the guest's ID
 * registers, enable_adv whether the feature behind its own enable is
 * advertised (ignored for PASS_PLAIN), ec the exception class when got is
 * GOT_TRAP.  Pure: the project's tests call it with injected outcomes.
 */
struct probe_verdict probe_judge(enum probe_id p, bool adv, bool enable_adv, enum probe_pass pass,
				 enum probe_got got, unsigned int ec, const struct probe_host *h);

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
