/*
 * decode.h: what the numbers of a fingerprint mean: register fields from
 * tables/idregs.h, exception classes, firmware answers (PSCI, SMCCC,
 * TRNG) and the GIC registers that the table does not describe.
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

/* Registers the table does not describe (the GIC's), by the last part of
 * their key: gic.GICD_IIDR, gic.cpu0.GICR_TYPER, ... */
struct hostfield {
	const char *name;
	uint8_t lsb, width;
	bool hex;	/* an identifier, shown in hex; else a number, in decimal */
};
struct hostreg {
	const char *name;
	const struct hostfield *fields;
	size_t nfields;
};
const struct hostreg *hostreg_for_key(const char *key);
/* What a host field's value means ("Arm" for Implementer 0x43b, "GICv3"
 * for ArchRev 3, ...); empty when there is nothing to add. */
void hostfield_meaning(const struct hostreg *r, const struct hostfield *f, uint64_t v,
		       char *buf, size_t n);

/*
 * Firmware answers.  A negative return code is the value read as a signed
 * 64-bit number, or as a signed 32-bit one when the upper half is zero
 * (SMC32 calls); *code gets it.
 */
bool fw_return_code(uint64_t v, int *code);
/* fw.<service>.version keys: major.minor in bits [30:16] and [15:0]. */
bool fw_is_version_key(const char *key);
/* fw.<service>.features.* and fw.smccc.arch_features.* keys: answers
 * whose NOT_SUPPORTED means the function is absent. */
bool fw_is_feature_key(const char *key);
/* Keys whose value is a bitmap of supported things (PMCEID0/1_EL0, KVM's
 * vendor hypervisor feature bitmaps): a bit lost is a feature lost. */
bool is_feature_bitmap_key(const char *key);
/* Keys whose value is a count of resources (pmu.PMCR_EL0.N). */
bool is_count_key(const char *key);
/* What a value of a fw.* key means: "1.1", "NOT_SUPPORTED (-1)", ... */
void fw_describe(const char *key, uint64_t v, char *buf, size_t n);

/* One line of meaning for a value (empty when there is nothing to add). */
void describe_value(const struct fp_entry *e, char *buf, size_t n);

#endif
