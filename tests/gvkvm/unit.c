/*
 * unit.c: host/gvkvm_try.c without a kernel, run by tests/gvkvm/unit.sh:
 * the field-by-field split of a refused ID register write, with a made-up
 * kernel (the oracle) that refuses chosen bits, and register names read
 * back into ids.  Prints one "ok - " or "not ok - " line per check.
 *
 * The expected fields are written out here from the Arm ARM's layout of
 * ID_AA64MMFR1_EL1 and ID_AA64DFR0_EL1, not taken from the table.
 */
#include "gvkvm_try.h"
#include "idregs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int failed;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	failed |= !ok;
}

/* A kernel that refuses any change, against base, of the bits in refuse. */
struct fake {
	uint64_t base, refuse;
	int calls;
	uint64_t asked[64];
};

static int oracle(void *p, uint64_t value)
{
	struct fake *f = p;

	if (f->calls < 64)
		f->asked[f->calls] = value;
	f->calls++;
	return ((value ^ f->base) & f->refuse) ? EPERM : 0;
}

static const char *fname(const struct field_try *t)
{
	return t->field >= 0 ? idfields[t->field].name : "(unnamed)";
}

int main(void)
{
	struct field_try out[16];
	struct fake f;
	size_t n;
	uint64_t id;
	char buf[128];

	/* 6.1's ID_AA64MMFR1_EL1 on 6.12: HCX (bits 43:40) 1 -> 0, refused. */
	f = (struct fake){ .base = 0x0000011010211122ULL, .refuse = 0xfULL << 40 };
	n = try_decompose(IDREG_ID_AA64MMFR1_EL1, f.base, 0x0000001010211122ULL, oracle, &f, out, 16);
	check(n == 1, "one field differs in ID_AA64MMFR1_EL1 (HCX)");
	check(n >= 1 && !strcmp(fname(&out[0]), "HCX") && out[0].lsb == 40 && out[0].width == 4,
	      "it is HCX, bits [43:40]");
	check(n >= 1 && out[0].cur == 1 && out[0].want == 0, "HCX: current 1, requested 0");
	check(n >= 1 && out[0].err == EPERM, "HCX refused with EPERM, as the oracle said");
	check(f.calls == 1 && f.asked[0] == 0x0000001010211122ULL,
	      "the oracle was asked for the current value with only HCX changed");

	/* Two fields, one accepted, one refused: ID_AA64DFR0_EL1 PMUVer 6->5, DebugVer 9->6. */
	f = (struct fake){ .base = 0x0000000010305609ULL, .refuse = 0xfULL };
	n = try_decompose(IDREG_ID_AA64DFR0_EL1, f.base, 0x0000000010305506ULL, oracle, &f, out, 16);
	check(n == 2, "two fields differ in ID_AA64DFR0_EL1");
	check(n == 2 && !strcmp(fname(&out[0]), "PMUVer") && out[0].err == 0,
	      "PMUVer (the table's order, most significant first) accepted");
	check(n == 2 && !strcmp(fname(&out[1]), "DebugVer") && out[1].err == EPERM, "DebugVer refused");
	check(f.calls == 2 && f.asked[0] == 0x0000000010305509ULL && f.asked[1] == 0x0000000010305606ULL,
	      "each trial changes one field and keeps the rest current");

	/* Bits no field names: MIDR_EL1's bits [63:32] are RES0 (no FIELD). */
	f = (struct fake){ .base = 0x00000000410fd070ULL, .refuse = ~0ULL };
	n = try_decompose(IDREG_MIDR_EL1, f.base, 0x00000001410fd070ULL, oracle, &f, out, 16);
	check(n == 1 && out[0].field == -1 && out[0].lsb == 32 && out[0].width == 1 && out[0].err == EPERM,
	      "a differing bit no field names: reported as bits[32], refused");
	f = (struct fake){ .base = 0, .refuse = 0 };
	n = try_decompose(IDREG_MIDR_EL1, 0, 0xffULL << 40, oracle, &f, out, 16);
	check(n == 1 && out[0].field == -1 && out[0].lsb == 40 && out[0].width == 8,
	      "a run of unnamed bits is one entry, bits[47:40]");

	/* Nothing differs: nothing asked. */
	f = (struct fake){ .base = 5, .refuse = ~0ULL };
	n = try_decompose(IDREG_ID_AA64MMFR1_EL1, 5, 5, oracle, &f, out, 16);
	check(n == 0 && f.calls == 0, "equal values: no field, no trial");

	/* More differing fields than room: counted, only max written and asked. */
	f = (struct fake){ .base = 0, .refuse = 0 };
	n = try_decompose(IDREG_ID_AA64MMFR1_EL1, 0, 0x1111111111111111ULL, oracle, &f, out, 3);
	check(n == 16 && f.calls == 3, "16 fields differ, 3 written and asked (max 3)");

	/* Names to ids and back (uapi ids written out). */
	check(gvkvm_reg_id("ID_AA64MMFR1_EL1", &id) == 0 && id == 0x603000000013c039ULL,
	      "ID_AA64MMFR1_EL1 is 0x603000000013c039");
	check(gvkvm_reg_id("PSCI_VERSION", &id) == 0 && id == 0x6030000000140000ULL,
	      "PSCI_VERSION is KVM_REG_ARM_FW_REG(0)");
	check(gvkvm_reg_id("VENDOR_HYP_BMAP", &id) == 0 && id == 0x6030000000160002ULL,
	      "VENDOR_HYP_BMAP is KVM_REG_ARM_FW_FEAT_BMAP_REG(2)");
	check(gvkvm_reg_id("S3_0_C0_C3_3", &id) == 0 && id == 0x603000000013c01bULL,
	      "S3_0_C0_C3_3, an unallocated ID slot, by its generic name");
	check(gvkvm_reg_id("CCSIDR_EL1[csselr=2]", &id) == 0 && id == 0x6020000000110002ULL,
	      "CCSIDR_EL1[csselr=2] is the 32-bit demux id");
	check(gvkvm_reg_id("0x603000000013c039", &id) == 0 && id == 0x603000000013c039ULL, "a 0x id");
	check(gvkvm_reg_id("S3_0_C0_C7_1", &id) != 0,
	      "S3_0_C0_C7_1 is refused: the register has a name (ID_AA64MMFR1_EL1), one naming only");
	check(gvkvm_reg_id("ID_AA64MMFR9_EL1", &id) != 0, "an unknown name is refused");
	check(gvkvm_reg_id("0x12345678901234567", &id) != 0, "an id of 17 hex digits is refused");
	snprintf(buf, sizeof(buf), "%s", errno_name(EPERM));
	check(!strcmp(buf, "EPERM") && !strcmp(errno_name(1234), "errno 1234"), "errno names");
	return failed;
}
