/*
 * diff.h: comparing two fingerprints as migration source (A) and
 * destination (B), and what each difference does to a migrated guest.
 */
#ifndef GUESTVIEW_HOST_DIFF_H
#define GUESTVIEW_HOST_DIFF_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fingerprint.h"

/*
 * A verdict is a set of directions a difference breaks: forward, a guest
 * started on A loses something when moved to B; backward, moving it back
 * from B to A loses something.  The empty set is "info": reported, no
 * compatibility effect.
 */
enum { BREAKS_FORWARD = 1, BREAKS_BACKWARD = 2, BREAKS_BOTH = 3 };
const char *verdict_name(int verdict);	/* "breaks forward", ..., "info" */

struct diff_field {
	char name[80];		/* a table or GIC field, or "bits[hi:lo]" */
	char old[24], new[24];	/* as shown */
	int64_t old_num, new_num;
	bool numeric;		/* old_num/new_num meaningful for --json */
	unsigned int lsb, width;
	const char *kind;	/* "feat", ..., "unknown" (bits outside fields), "gic" */
	int verdict;
	char reason[96];
};

struct diff_change {
	const struct fp_entry *a, *b;	/* either NULL: only on one side */
	char label[160];		/* the register name, or the key */
	const char *regname;		/* table register, or NULL */
	int verdict;			/* union of the fields' verdicts */
	char reason[200];		/* when there are no fields */
	struct diff_field *fields;
	size_t nfields;
	size_t order;			/* position: A's order, then B's */
};

struct diff {
	const char *name_a, *name_b;
	size_t keys;			/* keys in A or B */
	struct diff_change *c;
	size_t n, cap;
};

/* Never fails but for memory (then exits 2). */
void diff_compute(struct diff *d, const struct fingerprint *a, const struct fingerprint *b);
void diff_print(const struct diff *d, FILE *out);
void diff_print_json(const struct diff *d, FILE *out);
/* 0: no difference that affects compatibility; 1: at least one. */
int diff_status(const struct diff *d);
void diff_free(struct diff *d);

#endif
