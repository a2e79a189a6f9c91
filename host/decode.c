/*
 * decode.c: see decode.h.  The GIC field layouts are tables/devkeys.def's,
 * the firmware calls, their services and return codes tables/firmware.def's.
 */
#include "decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *kind_label(int kind)
{
	switch (kind) {
	case KIND_FEAT:		return "feature level";
	case KIND_SFEAT:	return "signed feature level";
	case KIND_LOWER:	return "lower is more";
	case KIND_EXACT:	return "must match";
	case KIND_INFO:		return "info";
	case KIND_FEAT_IMPDEF:	return "feature level, 0xF IMPLEMENTATION DEFINED";
	default:		return "?";
	}
}

const char *kind_name(int kind)
{
	switch (kind) {
	case KIND_FEAT:		return "feat";
	case KIND_SFEAT:	return "sfeat";
	case KIND_LOWER:	return "lower";
	case KIND_EXACT:	return "exact";
	case KIND_INFO:		return "info";
	case KIND_FEAT_IMPDEF:	return "feat-impdef";
	default:		return "?";
	}
}

const char *scope_name(int scope)
{
	switch (scope) {
	case SCOPE_VM:		return "vm";
	case SCOPE_CPU:		return "cpu";
	case SCOPE_CACHE:	return "cache";
	default:		return "?";
	}
}

const char *presence_name(int presence)
{
	switch (presence) {
	case PRESENT_ALWAYS:	return "always";
	case PRESENT_CCIDX:	return "ccidx";
	case PRESENT_MTE2:	return "mte2";
	case PRESENT_SME:	return "sme";
	default:		return "?";
	}
}

const char *layout_name(int layout)
{
	switch (layout) {
	case LAYOUT_ANY:	return "any";
	case LAYOUT_NOCCIDX:	return "noccidx";
	case LAYOUT_CCIDX:	return "ccidx";
	default:		return "?";
	}
}

uint64_t field_mask(unsigned int lsb, unsigned int width)
{
	if (lsb >= 64 || width == 0)
		return 0;
	uint64_t m = width >= 64 ? ~0ULL : (1ULL << width) - 1;
	return m << lsb;
}

uint64_t idreg_named_mask(int reg, bool ccidx)
{
	uint64_t m = 0;

	for_each_idfield(f, reg)
		if (idfield_applies(f, ccidx))
			m |= field_mask(f->lsb, f->width);
	return m;
}

int64_t idfield_compare_level(const struct idfield_desc *f, uint64_t regval)
{
	int64_t level = idfield_level(f, regval);

	if (level == 0 && f->reg == idreg_by_name("CTR_EL0") &&
	    (!strcmp(f->name, "CWG") || !strcmp(f->name, "ERG")))
		return 9;
	return level;
}

bool next_bit_run(uint64_t mask, unsigned int from, unsigned int *lo, unsigned int *hi)
{
	unsigned int b = from;

	while (b < 64 && !(mask >> b & 1))
		b++;
	if (b >= 64)
		return false;
	*lo = b;
	while (b < 64 && (mask >> b & 1))
		b++;
	*hi = b - 1;
	return true;
}

bool fp_ccidx(const struct fingerprint *fp, char *how, size_t howsz)
{
	int reg = idreg_by_name("ID_AA64MMFR2_EL1");
	const struct fp_entry *e = fp_find(fp, "sysreg.ID_AA64MMFR2_EL1");

	if (reg < 0) {
		snprintf(how, howsz, "the table has no ID_AA64MMFR2_EL1: assuming CCIDX 0");
		return false;
	}
	if (!e || e->val.kind != VAL_HEX) {
		snprintf(how, howsz, "%s: assuming CCIDX 0",
			 e ? "sysreg.ID_AA64MMFR2_EL1 unreadable" : "no sysreg.ID_AA64MMFR2_EL1");
		return false;
	}
	for_each_idfield(f, reg) {
		if (!strcmp(f->name, "CCIDX")) {
			uint64_t v = idfield_get(f, e->val.v);
			snprintf(how, howsz, "ID_AA64MMFR2_EL1.CCIDX %" PRIu64, v);
			return v != 0;
		}
	}
	snprintf(how, howsz, "the table has no ID_AA64MMFR2_EL1.CCIDX: assuming 0");
	return false;
}


/* ---- what the tables say about a key ---- */

const struct fwcall_desc *fw_call_of(const struct fp_entry *e, int *part)
{
	*part = -1;
	return e->cat == CAT_FW ? fwcall_by_key(e->key, part) : NULL;
}

const struct devkey_desc *devkey_of(const struct fp_entry *e, int *cpu)
{
	*cpu = -1;
	if (e->cat != CAT_GIC && e->cat != CAT_TIMER && e->cat != CAT_PMU)
		return NULL;
	return devkey_by_key(e->key, cpu);
}

const char *key_table(const struct fp_entry *e)
{
	int n;

	switch (e->cat) {
	case CAT_SYSREG:
		return e->reg >= 0 ? "idregs.def" : NULL;
	case CAT_IDSPACE:
		return "idregs.def";
	case CAT_FW:
		return fw_call_of(e, &n) ? "firmware.def" : NULL;
	case CAT_GIC:
	case CAT_TIMER:
	case CAT_PMU:
		return devkey_of(e, &n) ? "devkeys.def" : NULL;
	case CAT_PROBE:
		return "probes.def";
	default:
		return NULL;
	}
}

void devfield_meaning(const struct devfield_desc *f, uint64_t v, char *buf, size_t n)
{
	buf[0] = '\0';
	switch (f->meaning) {
	case FM_ARM_IMPLEMENTER:
		if (v == 0x43b)
			snprintf(buf, n, "Arm");
		break;
	case FM_GIC_ARCHREV:
		if (v >= 1 && v <= 4)
			snprintf(buf, n, "GICv%" PRIu64, v);
		break;
	case FM_INTID_LIMIT:
		snprintf(buf, n, "INTIDs up to %" PRIu64, 32 * (v + 1) - 1);
		break;
	case FM_ID_BITS_PLUS1:
		snprintf(buf, n, "%" PRIu64 " interrupt ID bits", v + 1);
		break;
	case FM_PES_PLUS1:
		snprintf(buf, n, "%" PRIu64 " PE%s without affinity routing", v + 1, v ? "s" : "");
		break;
	case FM_PRI_BITS_PLUS1:
		snprintf(buf, n, "%" PRIu64 " priority bits", v + 1);
		break;
	case FM_ICC_ID_BITS:
		if (v <= 1)
			snprintf(buf, n, "%d interrupt ID bits", v ? 24 : 16);
		break;
	}
}

/* ---- firmware ---- */

bool fw_return_code(uint64_t v, int *code)
{
	int64_t s64 = (int64_t)v;
	int32_t s32 = (int32_t)(uint32_t)v;

	if (s64 < 0 && s64 >= -255) {
		*code = (int)s64;
		return true;
	}
	if (v <= 0xffffffffULL && s32 < 0 && s32 >= -255) {
		*code = s32;
		return true;
	}
	return false;
}

bool fw_answer_code(int part, uint64_t v, int *code)
{
	return fw_part_has_code(part) && fw_return_code(v, code);
}

void fw_describe(const struct fwcall_desc *c, int part, uint64_t v, char *buf, size_t n)
{
	int code;

	buf[0] = '\0';
	if (fw_answer_code(part, v, &code)) {
		const char *name = fw_code_name(c->service, code);
		if (name)
			snprintf(buf, n, "%s (%d)", name, code);
		else
			snprintf(buf, n, "error %d", code);
	} else if (c->meaning == FWM_VERSION) {
		if (v <= 0x7fffffffULL)
			snprintf(buf, n, "version %u.%u", (unsigned int)(v >> 16), (unsigned int)(v & 0xffff));
	} else if (c->meaning == FWM_FEATURE) {
		if (v == 0)
			snprintf(buf, n, "supported (SUCCESS)");
		else
			snprintf(buf, n, "supported (returns 0x%" PRIx64 ")", v);
	}
}

/* ---- one line about a value ---- */

static void frequency_str(uint64_t hz, char *buf, size_t n)
{
	if (hz >= 1000000000ULL)
		snprintf(buf, n, "%" PRIu64 " Hz (%.6g GHz)", hz, hz / 1e9);
	else if (hz >= 1000000ULL)
		snprintf(buf, n, "%" PRIu64 " Hz (%.6g MHz)", hz, hz / 1e6);
	else if (hz >= 1000ULL)
		snprintf(buf, n, "%" PRIu64 " Hz (%.6g kHz)", hz, hz / 1e3);
	else
		snprintf(buf, n, "%" PRIu64 " Hz", hz);
}

/* The meaning of a devkeys.def value; empty when the table gives none. */
static void dev_describe(const struct devkey_desc *d, uint64_t v, char *buf, size_t n)
{
	buf[0] = '\0';
	switch (d->meaning) {
	case DKM_FREQUENCY:
		frequency_str(v, buf, n);
		break;
	case DKM_COUNT:
		snprintf(buf, n, "%" PRIu64 " %s", v, d->unit);
		break;
	case DKM_GIC_VERSION:
		snprintf(buf, n, "GICv%" PRIu64, v);
		break;
	case DKM_DT_NODE:
		if (v <= 1)
			snprintf(buf, n, "%s", v ? "DT node present" : "no DT node");
		break;
	}
}

void describe_value(const struct fp_entry *e, char *buf, size_t n)
{
	char what[160] = "";
	const char *where = "";
	const struct fwcall_desc *fw;
	const struct devkey_desc *dk;
	int part, cpu;

	if (e->cat == CAT_IDSPACE)
		where = e->reg >= 0 ? idregs[e->reg].name : "unallocated";
	else if (!key_table(e))
		where = "not in this gvfp's table";
	else if (e->cat == CAT_SYSREG && idreg_named_mask(e->reg, true) == 0 &&
		 idreg_named_mask(e->reg, false) == 0)
		where = "no named fields in the table";

	switch (e->val.kind) {
	case VAL_UNDEF:
		snprintf(what, sizeof(what), "UNDEFINED");
		break;
	case VAL_TRAP:
		snprintf(what, sizeof(what), "exception class 0x%02x, %s", e->val.ec, ec_name(e->val.ec));
		break;
	case VAL_EXEC:
		snprintf(what, sizeof(what), "executed");
		break;
	case VAL_OWNTRAP:
		snprintf(what, sizeof(what), "took the trap of the guest's own EL1 enable (the feature is in the CPU)");
		break;
	default:
		if ((fw = fw_call_of(e, &part)))
			fw_describe(fw, part, e->val.v, what, sizeof(what));
		else if ((dk = devkey_of(e, &cpu)))
			dev_describe(dk, e->val.v, what, sizeof(what));
		break;
	}
	snprintf(buf, n, "%s%s%s", where, *where && *what ? "; " : "", what);
}
