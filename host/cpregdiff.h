/*
 * cpregdiff.h: what a migration destination makes of a source's CPU
 * registers, found by comparing the two QEMUs' migration streams as
 * migstream.h reads them.  Apart from the reader because only comparing
 * needs register names and a report: `gvstream diff` and the harness's
 * diagnosis of a refused migration (diagnose.c) compare, `gvstream regs`
 * only reads.
 */
#ifndef GUESTVIEW_HOST_CPREGDIFF_H
#define GUESTVIEW_HOST_CPREGDIFF_H
#include "migstream.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Comparing the register lists of a migration source's stream with a
 * destination's, vCPU by vCPU, as QEMU's cpu_post_load does: a register the
 * destination lacks fails the load; one only the destination has keeps the
 * destination's value; a value the destination cannot take (a read-only
 * one that differs) fails the load under TCG.
 */
enum cpreg_change {
	CPREG_MISSING,		/* in the source only: the destination lacks it */
	CPREG_EXTRA,		/* in the destination only */
	CPREG_RO_DIFFERS,	/* read-only (regnames.h kind), values differ */
	CPREG_STATE_DIFFERS,	/* live state, values differ: expected */
};

struct cpreg_delta {
	uint64_t id;
	uint64_t src, dst;	/* 0 on the side that lacks the register */
	uint8_t change;		/* enum cpreg_change */
	uint8_t kind;		/* enum reg_kind */
	/*
	 * An ID register's AArch32 view (ID_MMFR0 of ID_MMFR0_EL1) is one
	 * register with two ids in QEMU's list: when both differ alike, the
	 * view is "folded" into its AArch64 twin, whose aarch32_view names it,
	 * and is neither listed nor counted on its own.
	 */
	bool folded;
	uint64_t aarch32_view;	/* 0: none */
};

struct cpreg_cpu_diff {
	uint32_t cpu;
	uint32_t nsrc, ndst;	/* list lengths; UINT32_MAX: no such vCPU on that side */
	struct cpreg_delta *d;	/* by id */
	size_t n;
	size_t count[4];	/* by enum cpreg_change */
};

struct cpreg_diff {
	const struct migstream *src, *dst;	/* not owned */
	struct cpreg_cpu_diff *cpus;		/* source vCPUs, then destination-only ones */
	size_t ncpus;
	size_t count[4];			/* over all vCPUs */
	size_t cpus_only_src, cpus_only_dst;
	bool len_refused;	/* a source list longer than the destination's */
};

/* 0, or -1 when out of memory (d is then empty). */
int cpreg_diff_compute(struct cpreg_diff *d, const struct migstream *src, const struct migstream *dst);
void cpreg_diff_free(struct cpreg_diff *d);
/* 0: same registers and same read-only values on every vCPU; 1: not. */
int cpreg_diff_status(const struct cpreg_diff *d);

/*
 * One line naming what the destination refuses (registers it lacks,
 * read-only values that differ, with their fields) and what the guest
 * would also see change (registers only the destination has):
 * "refused because of: ...; would also change: ...".
 */
void cpreg_diff_verdict(const struct cpreg_diff *d, FILE *out);
/* A line naming what a guest sees that neither stream carries (MIDR_EL1 and
 * CCSIDR_EL1 under TCG), when so: the diff cannot speak for them. */
void cpreg_diff_uncompared(const struct cpreg_diff *d, FILE *out);

enum {
	CPREG_REPORT_VERBOSE = 1,	/* list the state that differs too */
	CPREG_REPORT_JSON = 2,
	/* The two streams are removed after the report: no hint may name them. */
	CPREG_REPORT_TRANSIENT = 4,
};
void cpreg_diff_print(const struct cpreg_diff *d, FILE *out, unsigned int flags);

/*
 * Loads both streams, writes the report to out and any input error ("PATH:
 * at byte N (0xN): what") to err.  Returns the exit status of `gvstream
 * diff`: 0 same register set and read-only values, 1 differences, 2 a file
 * could not be read.  cpreg_diff_report is the text report, errors to out.
 */
int cpreg_diff_report_flags(const char *src_path, const char *dst_path, FILE *out, FILE *err,
			    unsigned int flags);
int cpreg_diff_report(const char *src_path, const char *dst_path, FILE *out, unsigned int flags);

#endif
