/*
 * gvkvm_try.h: what `gvkvm try` does without a kernel: reading a try file
 * into register ids and values, and splitting a refused ID register write
 * into its fields.  No ioctl here, so the project's tests run all of it
 * offline (tests/gvkvm/).
 */
#ifndef GUESTVIEW_HOST_GVKVM_TRY_H
#define GUESTVIEW_HOST_GVKVM_TRY_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "regnames.h"

/*
 * The KVM id of a register as regname() names it ("ID_AA64MMFR1_EL1",
 * "PSCI_VERSION", "S3_0_C0_C1_7", "CCSIDR_EL1[csselr=2]", a name of
 * sysreg_names.def) or written as a 64-bit id ("0x6030000000138009").
 * A name is accepted only when regname() gives that id the same name back:
 * one naming in both directions.  0 on success, -1 for an unknown name.
 */
int gvkvm_reg_id(const char *name, uint64_t *id);

struct try_entry {
	char name[REGNAME_MAX];	/* regname() of id */
	uint64_t id, value;
	int line;		/* in the try file */
};

/*
 * Reads a try file: a JSON object {"REGNAME or 0xID": "0x..."}, or a
 * `gvkvm info` document, whose "values" object is taken.  Every error goes
 * to errs as "FILE:LINE: what" (all of them, not only the first); returns
 * the number of entries, or -1 when the file is unusable.
 */
long try_load(const char *path, struct try_entry **out, FILE *errs);
struct jv;
/* The same for an object already parsed from path (path names errors). */
long try_entries(const char *path, const struct jv *obj, struct try_entry **out, FILE *errs);
/* A whole file parsed, or NULL after "FILE:LINE: what" on errs. */
struct jv *gvkvm_load_json(const char *path, FILE *errs);
char *gvkvm_read_file(const char *path, size_t *len, FILE *errs);

/* One field (or run of unnamed bits) of a refused ID register write. */
struct field_try {
	int field;		/* index into idfields[], -1 for bits no field names */
	unsigned int lsb, width;
	uint64_t cur, want;	/* the field's values (shifted down) */
	int err;		/* 0 accepted, else the errno the oracle gave */
};

/* Tries one whole register value: 0 when accepted, else an errno. */
typedef int (*try_oracle)(void *ctx, uint64_t value);

/*
 * After KVM refused want over cur for ID register reg (enum idreg_id): for
 * each field whose value differs, in the table's order, asks the oracle for
 * cur with only that field set to its wanted value; then the same for each
 * run of differing bits that no field names.  Writes at most max results
 * and returns how many differ (which may be more than max).
 */
size_t try_decompose(int reg, uint64_t cur, uint64_t want, try_oracle oracle, void *ctx,
		     struct field_try *out, size_t max);

/* "EPERM" for EPERM, else "errno N". */
const char *errno_name(int err);

#endif
