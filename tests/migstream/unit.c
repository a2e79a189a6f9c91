/*
 * unit.c: checks of tables/sysreg_names.def, host/regnames.c and the
 * comparison in host/cpregdiff.c that need no QEMU, run by
 * tests/migstream/unit.sh.  Prints one "ok - " or "not ok - " line per check.
 *
 * The expected names come from outside the table: the register ids of
 * Linux's uapi asm/kvm.h and Documentation/virt/kvm/api.rst, and the MRS
 * encodings of the probe table in the project's arm64 guest ABI reference
 * (decoded here with its own formula, not with regnames.c's).  The
 * comparison is checked on register lists made up here, one kind of
 * difference at a time.
 */
#include "cpregdiff.h"
#include "idregs.h"
#include "migstream.h"
#include "regnames.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int failed;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	failed |= !ok;
}

static void name_is(uint64_t id, const char *want, enum reg_kind want_kind)
{
	char name[REGNAME_MAX], what[256];
	enum reg_kind kind = regname(id, name);

	snprintf(what, sizeof(what), "0x%016" PRIx64 " is %s (%s): got %s (%s)", id, want,
		 reg_kind_label(want_kind), name, reg_kind_label(kind));
	check(!strcmp(name, want) && kind == want_kind, what);
}

/* MRS Xt, <reg>: 0xd5300000 | (op0-2)<<19 | op1<<16 | CRn<<12 | CRm<<8 | op2<<5 | Rt. */
static uint64_t from_mrs(uint32_t insn)
{
	return KVM_SYSREG_ID(2 + ((insn >> 19) & 1), (insn >> 16) & 7, (insn >> 12) & 15,
			     (insn >> 8) & 15, (insn >> 5) & 7);
}

static void table_checks(void)
{
	int dup = 0, clash = 0, range = 0, suffix = 0, cpdup = 0;
	/* Special-purpose registers: no _ELx in the Arm ARM's name. */
	static const char *const bare[] = {
		"SPSel", "CurrentEL", "PAN", "UAO", "ALLINT", "NZCV", "DAIF", "SVCR", "DIT", "SSBS",
		"TCO", "FPCR", "FPSR", "FPMR", NULL,
	};

	for (size_t i = 0; i < nr_sysreg_names; i++) {
		const struct sysreg_name *a = &sysreg_names[i];
		const char *el = strrchr(a->name, '_');
		int is_bare = 0;

		for (size_t j = i + 1; j < nr_sysreg_names; j++) {
			const struct sysreg_name *b = &sysreg_names[j];

			if (a->op0 == b->op0 && a->op1 == b->op1 && a->crn == b->crn && a->crm == b->crm &&
			    a->op2 == b->op2) {
				printf("#   %s and %s share an encoding\n", a->name, b->name);
				dup++;
			}
		}
		for (int k = 0; k < NR_IDREGS; k++) {
			const struct idreg_desc *r = &idregs[k];

			if (a->op0 == r->op0 && a->op1 == r->op1 && a->crn == r->crn && a->crm == r->crm &&
			    a->op2 == r->op2) {
				printf("#   %s has the encoding of idregs.def's %s\n", a->name, r->name);
				clash++;
			}
		}
		if (a->op0 < 2 || a->op0 > 3 || a->op1 > 7 || a->crn > 15 || a->crm > 15 || a->op2 > 7) {
			printf("#   %s: encoding out of range\n", a->name);
			range++;
		}
		for (int k = 0; bare[k]; k++)
			is_bare |= !strcmp(a->name, bare[k]);
		if (!is_bare && !(el && (!strcmp(el, "_EL0") || !strcmp(el, "_EL1") || !strcmp(el, "_EL2") ||
					 !strcmp(el, "_EL3") || !strcmp(el, "_EL12") || !strcmp(el, "_EL02")))) {
			printf("#   %s: no _ELx suffix\n", a->name);
			suffix++;
		}
	}
	for (size_t i = 0; i < nr_cpreg_names; i++) {
		const struct cpreg_name *a = &cpreg_names[i];

		for (size_t j = i + 1; j < nr_cpreg_names; j++) {
			const struct cpreg_name *b = &cpreg_names[j];

			if (a->cp == b->cp && a->is64 == b->is64 && a->opc1 == b->opc1 && a->crn == b->crn &&
			    a->crm == b->crm && a->opc2 == b->opc2) {
				printf("#   %s and %s share an encoding\n", a->name, b->name);
				cpdup++;
			}
		}
		if ((a->cp != 14 && a->cp != 15) || a->opc1 > 7 || a->crn > 15 || a->crm > 15 || a->opc2 > 7)
			range++;
	}
	check(nr_sysreg_names > 400, "sysreg_names.def has the SYSREG lines");
	check(nr_cpreg_names > 100, "sysreg_names.def has the CP32/CP64 lines");
	check(!dup, "no two SYSREG lines share an encoding");
	check(!clash, "no SYSREG line repeats an idregs.def register");
	check(!range, "every encoding is in range (op0 2-3, cp 14-15)");
	check(!suffix, "every SYSREG name ends in _EL0/1/2/3/12/02 but the special-purpose ones");
	check(!cpdup, "no two CP32/CP64 lines share an encoding");
}

/* A one-vCPU stream (vCPU id cpu) with the n registers of regs. */
static struct migstream one_cpu(struct mig_cpu *c, uint32_t cpu, struct mig_cpreg *regs, uint32_t n)
{
	*c = (struct mig_cpu){ .instance_id = cpu, .nregs = n, .regs = regs };
	return (struct migstream){ .path = "made-up", .machine = "virt", .ncpus = 1, .cpus = c };
}

static void diff_case(const char *what, struct mig_cpreg *a, uint32_t na, struct mig_cpreg *b, uint32_t nb,
		      int status, size_t missing, size_t extra, size_t ro, size_t state, int refused)
{
	struct mig_cpu ca, cb;
	struct migstream sa = one_cpu(&ca, 0, a, na), sb = one_cpu(&cb, 0, b, nb);
	struct cpreg_diff d;
	char msg[256];

	if (cpreg_diff_compute(&d, &sa, &sb) != 0) {
		check(0, what);
		return;
	}
	snprintf(msg, sizeof(msg), "diff, %s: status %d, %zu missing, %zu extra, %zu read-only, %zu state%s",
		 what, status, missing, extra, ro, state, refused ? ", array_len refused" : "");
	check(cpreg_diff_status(&d) == status && d.count[CPREG_MISSING] == missing &&
	      d.count[CPREG_EXTRA] == extra && d.count[CPREG_RO_DIFFERS] == ro &&
	      d.count[CPREG_STATE_DIFFERS] == state && d.len_refused == refused, msg);
	cpreg_diff_free(&d);
}

static void diff_checks(void)
{
	const uint64_t sctlr = KVM_SYSREG_ID(3, 0, 1, 0, 0), zcr = KVM_SYSREG_ID(3, 0, 1, 2, 0);
	const uint64_t isar0 = KVM_SYSREG_ID(3, 0, 0, 6, 0), cntfrq = KVM_SYSREG_ID(3, 3, 14, 0, 0);
	const uint64_t psci = 0x6030000000140000ULL;
	struct mig_cpreg base[] = { { isar0, 0x11120 }, { sctlr, 0xc50838 }, { psci, 0x10001 } };
	struct mig_cpreg more[] = { { isar0, 0x11120 }, { sctlr, 0xc50838 }, { zcr, 0 }, { psci, 0x10001 } };
	struct mig_cpreg state[] = { { isar0, 0x11120 }, { sctlr, 0x30d5198d }, { psci, 0x10001 } };
	struct mig_cpreg id[] = { { isar0, 0x21120 }, { sctlr, 0xc50838 }, { psci, 0x10001 } };
	struct mig_cpreg fw[] = { { isar0, 0x11120 }, { sctlr, 0xc50838 }, { psci, 0x10000 } };
	struct mig_cpreg ro[] = { { isar0, 0x11120 }, { sctlr, 0xc50838 }, { psci, 0x10001 }, { cntfrq, 1 } };
	struct mig_cpreg ro2[] = { { isar0, 0x11120 }, { sctlr, 0xc50838 }, { psci, 0x10001 }, { cntfrq, 2 } };
	struct mig_cpreg unsorted[] = { { psci, 0x10001 }, { sctlr, 0xc50838 }, { isar0, 0x11120 } };

	diff_case("identical lists", base, 3, base, 3, 0, 0, 0, 0, 0, 0);
	diff_case("lists in another order", base, 3, unsorted, 3, 0, 0, 0, 0, 0, 0);
	diff_case("only live state differs", base, 3, state, 3, 0, 0, 0, 0, 1, 0);
	diff_case("an ID register differs", base, 3, id, 3, 1, 0, 0, 1, 0, 0);
	diff_case("a firmware register differs", base, 3, fw, 3, 1, 0, 0, 1, 0, 0);
	diff_case("CNTFRQ_EL0 differs", ro, 4, ro2, 4, 1, 0, 0, 1, 0, 0);
	diff_case("the destination has one more", base, 3, more, 4, 1, 0, 1, 0, 0, 0);
	diff_case("the destination lacks one", more, 4, base, 3, 1, 1, 0, 0, 0, 1);
	diff_case("one lacking, one extra, same length", more, 4, ro, 4, 1, 1, 1, 0, 0, 0);

	/* Two vCPUs against one: the second is reported as such, not by register. */
	struct mig_cpu two[2] = { { .instance_id = 0, .nregs = 3, .regs = base },
				  { .instance_id = 1, .nregs = 3, .regs = base } }, c1;
	struct migstream s2 = { .path = "two", .machine = "virt", .ncpus = 2, .cpus = two };
	struct migstream s1 = one_cpu(&c1, 0, base, 3);
	struct cpreg_diff d;

	if (cpreg_diff_compute(&d, &s2, &s1) == 0) {
		check(cpreg_diff_status(&d) == 1 && d.cpus_only_src == 1 && d.cpus_only_dst == 0 &&
		      d.count[CPREG_MISSING] == 0 && d.ncpus == 2 && d.cpus[1].ndst == UINT32_MAX,
		      "diff, two vCPUs against one: status 1, vCPU 1 only in the source");
		cpreg_diff_free(&d);
	}
	if (cpreg_diff_compute(&d, &s1, &s2) == 0) {
		check(cpreg_diff_status(&d) == 1 && d.cpus_only_dst == 1 && d.count[CPREG_EXTRA] == 0,
		      "diff, one vCPU against two: status 1, vCPU 1 only in the destination");
		cpreg_diff_free(&d);
	}
}

int main(void)
{
	table_checks();
	diff_checks();

	/* The reference's examples and probe-table encodings (MRS instructions). */
	name_is(0x603000000013c103ULL, "TCR2_EL1", REGK_STATE);
	name_is(from_mrs(0xd5382060), "TCR2_EL1", REGK_STATE);
	name_is(from_mrs(0xd538a240), "PIRE0_EL1", REGK_STATE);
	name_is(from_mrs(0xd538a260), "PIR_EL1", REGK_STATE);
	name_is(from_mrs(0xd538a280), "POR_EL1", REGK_STATE);
	name_is(from_mrs(0xd5381060), "SCTLR2_EL1", REGK_STATE);
	name_is(from_mrs(0xd53810c0), "GCR_EL1", REGK_STATE);
	name_is(from_mrs(0xd5382500), "GCSCR_EL1", REGK_STATE);
	name_is(from_mrs(0xd53b4440), "FPMR", REGK_STATE);
	name_is(from_mrs(0xd5384300), "ALLINT", REGK_STATE);
	name_is(from_mrs(0xd538a4e0), "LORID_EL1", REGK_RO);
	name_is(from_mrs(0xd5385300), "ERRIDR_EL1", REGK_RO);
	name_is(from_mrs(0xd53b9c00), "PMCR_EL0", REGK_STATE);
	name_is(from_mrs(0xd53be0a0), "CNTPCTSS_EL0", REGK_STATE);
	/* ID registers come from idregs.def, unallocated ID slots are ID too. */
	name_is(KVM_SYSREG_ID(3, 0, 0, 0, 0), "MIDR_EL1", REGK_ID);
	name_is(KVM_SYSREG_ID(3, 0, 0, 4, 4), "ID_AA64ZFR0_EL1", REGK_ID);
	name_is(KVM_SYSREG_ID(3, 3, 0, 0, 7), "DCZID_EL0", REGK_ID);
	name_is(KVM_SYSREG_ID(3, 0, 0, 3, 3), "S3_0_C0_C3_3", REGK_ID);
	name_is(KVM_SYSREG_ID(3, 0, 11, 0, 0), "S3_0_C11_C0_0", REGK_STATE);
	/* uapi asm/kvm.h: the timer ids (CVAL and CNT swapped), firmware registers. */
	name_is(0x603000000013df19ULL, "CNTV_CTL_EL0", REGK_STATE);
	name_is(0x603000000013df02ULL, "CNTVCT_EL0/KVM:TIMER_CVAL", REGK_STATE);
	name_is(0x603000000013df1aULL, "CNTV_CVAL_EL0/KVM:TIMER_CNT", REGK_STATE);
	name_is(0x603000000013df00ULL, "CNTFRQ_EL0", REGK_RO);
	name_is(0x6030000000140000ULL, "PSCI_VERSION", REGK_FIRMWARE);
	name_is(0x6030000000140001ULL, "SMCCC_ARCH_WORKAROUND_1", REGK_FIRMWARE);
	name_is(0x6030000000140002ULL, "SMCCC_ARCH_WORKAROUND_2", REGK_FIRMWARE);
	name_is(0x6030000000140003ULL, "SMCCC_ARCH_WORKAROUND_3", REGK_FIRMWARE);
	name_is(0x6030000000140009ULL, "fw:9", REGK_FIRMWARE);
	name_is(0x6030000000160000ULL, "STD_BMAP", REGK_FIRMWARE);
	name_is(0x6030000000160001ULL, "STD_HYP_BMAP", REGK_FIRMWARE);
	name_is(0x6030000000160002ULL, "VENDOR_HYP_BMAP", REGK_FIRMWARE);
	name_is(0x6030000000160003ULL, "VENDOR_HYP_BMAP_2", REGK_FIRMWARE);
	/* api.rst's core register table. */
	name_is(0x6030000000100000ULL, "core:regs.regs[0]", REGK_STATE);
	name_is(0x603000000010003cULL, "core:regs.regs[30]", REGK_STATE);
	name_is(0x603000000010003eULL, "core:regs.sp", REGK_STATE);
	name_is(0x6030000000100040ULL, "core:regs.pc", REGK_STATE);
	name_is(0x6030000000100042ULL, "core:regs.pstate", REGK_STATE);
	name_is(0x6030000000100044ULL, "core:sp_el1", REGK_STATE);
	name_is(0x6030000000100046ULL, "core:elr_el1", REGK_STATE);
	name_is(0x6030000000100048ULL, "core:spsr[EL1]", REGK_STATE);
	name_is(0x6030000000100050ULL, "core:spsr[FIQ]", REGK_STATE);
	name_is(0x6040000000100054ULL, "core:fp_regs.vregs[0]", REGK_STATE);
	name_is(0x60400000001000d0ULL, "core:fp_regs.vregs[31]", REGK_STATE);
	name_is(0x60200000001000d4ULL, "core:fp_regs.fpsr", REGK_STATE);
	name_is(0x60200000001000d5ULL, "core:fp_regs.fpcr", REGK_STATE);
	/* Demux CCSIDR and the SVE registers. */
	name_is(0x6020000000110002ULL, "CCSIDR_EL1[csselr=2]", REGK_ID);
	name_is(0x6080000000150000ULL, "SVE_Z0[0]", REGK_STATE);
	name_is(0x60800000001503e0ULL, "SVE_Z31[0]", REGK_STATE);
	name_is(0x6050000000150400ULL, "SVE_P0[0]", REGK_STATE);
	name_is(0x60500000001505e0ULL, "SVE_P15[0]", REGK_STATE);
	name_is(0x6050000000150600ULL, "SVE_FFR[0]", REGK_STATE);
	name_is(0x606000000015ffffULL, "SVE_VLS", REGK_RO);
	/* QEMU TCG's AArch32 ids (ns bit 29), named generically or by the CP lines. */
	name_is(0x40200000200f3a00ULL, "cp15:c7,0,c4,0(PAR)", REGK_STATE);
	name_is(0x40300000200f0380ULL, "cp15:0,c7(64)(PAR)", REGK_STATE);
	name_is(0x40200000000f6800ULL, "cp15:c13,0,c0,0:S(FCSEIDR)", REGK_STATE);
	name_is(0x40200000200f0082ULL, "cp15:c0,0,c1,2(ID_DFR0)", REGK_ID);
	name_is(0x40200000200f0200ULL, "cp15:c0,0,c4,0", REGK_ID);
	name_is(0x40200000200f2801ULL, "cp15:c5,0,c0,1(IFSR)", REGK_STATE);
	name_is(0x40200000200e0102ULL, "cp14:c0,0,c2,2(MDSCR_EL1)", REGK_STATE);
	name_is(0x40200000200f7a00ULL, "cp15:c15,0,c4,0", REGK_STATE);
	/* Anything else. */
	name_is(0x1234ULL, "0x0000000000001234", REGK_STATE);
	name_is(0x6030000000990000ULL, "0x6030000000990000", REGK_STATE);
	name_is(0x6020000000130000ULL, "0x6020000000130000", REGK_STATE);
	return failed;
}
