/*
 * decode.c: see decode.h.  The GIC field layouts are those of the
 * register descriptions in the GICv3/v4 architecture specification (Arm
 * IHI 0069), as Linux's include/linux/irqchip/arm-gic-v3.h also has them.
 * Firmware return codes are those of PSCI (Arm DEN 0022), the SMC Calling
 * Convention (DEN 0028) and the TRNG firmware interface (DEN 0098).
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


/* ---- GIC ---- */

#define HF(name, lsb, width) { name, lsb, width, false }
#define HFX(name, lsb, width) { name, lsb, width, true }
#define HOSTREG(name, fields) { name, fields, sizeof(fields) / sizeof(fields[0]) }

static const struct hostfield gic_iidr[] = {
	HFX("Implementer", 0, 12), HF("Revision", 12, 4), HF("Variant", 16, 4), HFX("ProductID", 24, 8),
};
static const struct hostfield gicd_typer[] = {
	HF("ITLinesNumber", 0, 5), HF("CPUNumber", 5, 3), HF("ESPI", 8, 1), HF("NMI", 9, 1),
	HF("SecurityExtn", 10, 1), HF("num_LPIs", 11, 5), HF("MBIS", 16, 1), HF("LPIS", 17, 1),
	HF("DVIS", 18, 1), HF("IDbits", 19, 5), HF("A3V", 24, 1), HF("No1N", 25, 1),
	HF("RSS", 26, 1), HF("ESPI_range", 27, 5),
};
static const struct hostfield gicd_typer2[] = {
	HF("VID", 0, 5), HF("VIL", 7, 1), HF("nASSGIcap", 8, 1),
};
static const struct hostfield gic_pidr2[] = {
	HFX("DES_1", 0, 3), HF("JEDEC", 3, 1), HF("ArchRev", 4, 4),
};
static const struct hostfield gicr_typer[] = {
	HF("PLPIS", 0, 1), HF("VLPIS", 1, 1), HF("Dirty", 2, 1), HF("DirectLPI", 3, 1),
	HF("Last", 4, 1), HF("DPGS", 5, 1), HF("MPAM", 6, 1), HF("RVPEID", 7, 1),
	HF("Processor_Number", 8, 16), HF("CommonLPIAff", 24, 2), HF("VSGI", 26, 1),
	HF("PPInum", 27, 5), HFX("Affinity_Value", 32, 32),
};
static const struct hostfield icc_ctlr[] = {
	HF("CBPR", 0, 1), HF("EOImode", 1, 1), HF("PMHE", 6, 1), HF("PRIbits", 8, 3),
	HF("IDbits", 11, 3), HF("SEIS", 14, 1), HF("A3V", 15, 1), HF("RSS", 18, 1),
	HF("ExtRange", 19, 1),
};

static const struct hostreg hostregs[] = {
	HOSTREG("GICD_IIDR", gic_iidr),
	HOSTREG("GICR_IIDR", gic_iidr),
	HOSTREG("GICD_TYPER", gicd_typer),
	HOSTREG("GICD_TYPER2", gicd_typer2),
	HOSTREG("GICD_PIDR2", gic_pidr2),
	HOSTREG("GICR_PIDR2", gic_pidr2),
	HOSTREG("GICR_TYPER", gicr_typer),
	HOSTREG("ICC_CTLR_EL1", icc_ctlr),
};

const struct hostreg *hostreg_for_key(const char *key)
{
	const char *last = strrchr(key, '.');

	if (strncmp(key, "gic.", 4) || !last)
		return NULL;
	for (size_t i = 0; i < sizeof(hostregs) / sizeof(hostregs[0]); i++)
		if (!strcmp(last + 1, hostregs[i].name))
			return &hostregs[i];
	return NULL;
}

void hostfield_meaning(const struct hostreg *r, const struct hostfield *f, uint64_t v,
		       char *buf, size_t n)
{
	const char *rn = r->name, *fn = f->name;

	buf[0] = '\0';
	if (!strcmp(fn, "Implementer") && v == 0x43b)
		snprintf(buf, n, "Arm");
	else if (!strcmp(fn, "ArchRev") && v >= 1 && v <= 4)
		snprintf(buf, n, "GICv%" PRIu64, v);
	else if (!strcmp(rn, "GICD_TYPER") && !strcmp(fn, "ITLinesNumber"))
		snprintf(buf, n, "INTIDs up to %" PRIu64, 32 * (v + 1) - 1);
	else if (!strcmp(rn, "GICD_TYPER") && !strcmp(fn, "IDbits"))
		snprintf(buf, n, "%" PRIu64 " interrupt ID bits", v + 1);
	else if (!strcmp(rn, "GICD_TYPER") && !strcmp(fn, "CPUNumber"))
		snprintf(buf, n, "%" PRIu64 " PE%s without affinity routing", v + 1, v ? "s" : "");
	else if (!strcmp(rn, "ICC_CTLR_EL1") && !strcmp(fn, "PRIbits"))
		snprintf(buf, n, "%" PRIu64 " priority bits", v + 1);
	else if (!strcmp(rn, "ICC_CTLR_EL1") && !strcmp(fn, "IDbits") && v <= 1)
		snprintf(buf, n, "%d interrupt ID bits", v ? 24 : 16);
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

static bool key_has_prefix(const char *key, const char *prefix)
{
	return !strncmp(key, prefix, strlen(prefix));
}

bool fw_is_version_key(const char *key)
{
	const char *last = strrchr(key, '.');

	return key_has_prefix(key, "fw.") && last && !strcmp(last, ".version");
}

bool fw_is_feature_key(const char *key)
{
	return key_has_prefix(key, "fw.") &&
	       (strstr(key, ".features.") || strstr(key, ".arch_features."));
}

bool is_feature_bitmap_key(const char *key)
{
	return !strcmp(key, "pmu.PMCEID0_EL0") || !strcmp(key, "pmu.PMCEID1_EL0") ||
	       key_has_prefix(key, "fw.vendor_hyp.kvm_features.a");
}

bool is_count_key(const char *key)
{
	return !strcmp(key, "pmu.PMCR_EL0.N");
}

static const char *fw_code_name(const char *key, int code)
{
	static const char *const psci[] = {
		NULL, "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED", "ALREADY_ON",
		"ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT", "DISABLED", "INVALID_ADDRESS",
	};
	static const char *const smccc[] = {
		NULL, "NOT_SUPPORTED", "NOT_REQUIRED", "INVALID_PARAMETER",
	};
	static const char *const trng[] = {
		NULL, "NOT_SUPPORTED", "INVALID_PARAMETERS", "NO_ENTROPY",
	};
	unsigned int i = (unsigned int)-code;

	if (key_has_prefix(key, "fw.psci."))
		return i < sizeof(psci) / sizeof(psci[0]) ? psci[i] : NULL;
	if (key_has_prefix(key, "fw.trng."))
		return i < sizeof(trng) / sizeof(trng[0]) ? trng[i] : NULL;
	return i < sizeof(smccc) / sizeof(smccc[0]) ? smccc[i] : NULL;
}

void fw_describe(const char *key, uint64_t v, char *buf, size_t n)
{
	int code;

	buf[0] = '\0';
	if (fw_return_code(v, &code)) {
		const char *name = fw_code_name(key, code);
		if (name)
			snprintf(buf, n, "%s (%d)", name, code);
		else
			snprintf(buf, n, "error %d", code);
	} else if (fw_is_version_key(key)) {
		if (v <= 0x7fffffffULL)
			snprintf(buf, n, "version %u.%u", (unsigned int)(v >> 16), (unsigned int)(v & 0xffff));
	} else if (fw_is_feature_key(key)) {
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

static bool key_ends_with(const char *key, const char *suffix)
{
	size_t kl = strlen(key), sl = strlen(suffix);
	return kl >= sl && !strcmp(key + kl - sl, suffix);
}

void describe_value(const struct fp_entry *e, char *buf, size_t n)
{
	char what[160] = "";
	const char *where = "";

	if (e->cat == CAT_IDSPACE)
		where = e->reg >= 0 ? idregs[e->reg].name : "unallocated";
	else if (e->cat == CAT_SYSREG && e->reg < 0)
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
		if (e->cat == CAT_FW)
			fw_describe(e->key, e->val.v, what, sizeof(what));
		else if (e->cat == CAT_TIMER && key_ends_with(e->key, ".CNTFRQ_EL0"))
			frequency_str(e->val.v, what, sizeof(what));
		else if (is_count_key(e->key))
			snprintf(what, sizeof(what), "%" PRIu64 " event counters", e->val.v);
		else if (!strcmp(e->key, "gic.version"))
			snprintf(what, sizeof(what), "GICv%" PRIu64, e->val.v);
		else if (key_ends_with(e->key, ".dt_node") && e->val.v <= 1)
			snprintf(what, sizeof(what), "%s", e->val.v ? "DT node present" : "no DT node");
		break;
	}
	snprintf(buf, n, "%s%s%s", where, *where && *what ? "; " : "", what);
}
