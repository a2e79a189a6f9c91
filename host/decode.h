/*
 * decode.h: what the numbers of a fingerprint mean: register fields from
 * tables/idregs.h, exception classes, firmware answers (tables/firmware.h)
 * and the GIC, timer and PMU values (tables/devkeys.h).
 */
#ifndef GUESTVIEW_HOST_DECODE_H
#define GUESTVIEW_HOST_DECODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fingerprint.h"
#include "idregs.h"
#include "idfield.h"

/* "feature level", "signed feature level", "lower is more", "must match", "info",
 * "feature level, 0xF IMPLEMENTATION DEFINED" */
const char *kind_label(int kind);
/* "feat", "sfeat", "lower", "exact", "info", "feat-impdef": the short name (--json, table) */
const char *kind_name(int kind);
const char *scope_name(int scope);
const char *presence_name(int presence);
const char *layout_name(int layout);

/*
 * The CCSIDR_EL1 layout a fingerprint's own ID_AA64MMFR2_EL1.CCIDX selects.
 * *how says where it came from, for messages ("ID_AA64MMFR2_EL1.CCIDX 1",
 * "no sysreg.ID_AA64MMFR2_EL1: assuming CCIDX 0", ...).
 */
bool fp_ccidx(const struct fingerprint *fp, char *how, size_t howsz);

uint64_t field_mask(unsigned int lsb, unsigned int width);
/* Bits of a register value covered by the fields that apply to it. */
uint64_t idreg_named_mask(int reg, bool ccidx);
/*
 * The level a field's value stands for when judging a change: the field's
 * level (idfield_level), except where the table's comments give a value a
 * meaning out of order: CTR_EL0.CWG and .ERG 0 mean "unknown, assume the
 * 2 KiB maximum" and compare as 9.
 */
int64_t idfield_compare_level(const struct idfield_desc *f, uint64_t regval);
/* The next run of set bits of mask at or above bit from: false when none. */
bool next_bit_run(uint64_t mask, unsigned int from, unsigned int *lo, unsigned int *hi);

#include "exception_classes.h"	/* ec_name(), shared with the guest */

/*
 * Firmware, GIC, timer and PMU keys mean what tables/firmware.def and
 * tables/devkeys.def say: looked up, never guessed from the key's spelling.
 * A key of those categories that neither table has is "not in this gvfp's
 * table" and is judged as any unknown value (a change breaks both ways).
 */
#include "devkeys.h"
#include "firmware.h"

/* The firmware call of a fw.* key (part: -1, or 0-3 for KEY.a0-a3), or NULL. */
const struct fwcall_desc *fw_call_of(const struct fp_entry *e, int *part);
/* The devkeys.def key of a gic/timer/pmu key (cpu: -1, or the vCPU), or NULL. */
const struct devkey_desc *devkey_of(const struct fp_entry *e, int *cpu);
/*
 * The table that describes a key: "idregs.def" (sysreg keys of a register it
 * has, every idspace slot), "firmware.def", "devkeys.def"; "probes.def" for
 * probe keys, which gvfp does not look up; NULL when none does.
 */
const char *key_table(const struct fp_entry *e);
/* What a field of a devkeys.def layout says beyond its value ("Arm" for
 * Implementer 0x43b, "GICv3" for ArchRev 3, ...); empty when nothing. */
void devfield_meaning(const struct devfield_desc *f, uint64_t v, char *buf, size_t n);

/*
 * Firmware answers.  A negative return code is the value read as a signed
 * 64-bit number, or as a signed 32-bit one when the upper half is zero
 * (SMC32 calls); *code gets it.
 */
bool fw_return_code(uint64_t v, int *code);
/* Whether this word of an answer (part as fw_call_of) is a return code: x0's
 * can be, x1-x3's are data (tables/firmware.def); *code gets it. */
bool fw_answer_code(int part, uint64_t v, int *code);
/* What a value of a firmware call means: "version 1.1", "NOT_SUPPORTED (-1)", ... */
void fw_describe(const struct fwcall_desc *c, int part, uint64_t v, char *buf, size_t n);

/* One line of meaning for a value (empty when there is nothing to add). */
void describe_value(const struct fp_entry *e, char *buf, size_t n);

#endif
