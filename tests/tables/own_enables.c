/*
 * own_enables: which probes of tables/probes.def need an own EL1 enable,
 * derived from their encodings alone, against the table's PRE column.
 * The rules (Arm ARM, A64 encoding index and CPACR_EL1):
 *   - the SVE encoding space (bits [28:25] = 0b0010) needs CPACR_EL1.ZEN,
 *     but for RDSVL, ADDSVL and ADDSPL, which are SME (CheckSMEEnabled);
 *   - the SME encoding space (bit 31 = 1, bits [28:25] = 0b0000) needs SMEN;
 *   - MRS/MSR of ZCR_EL1 needs ZEN; of SMCR_EL1 and SVCR, and MSR SVCR*
 *     (SMSTART/SMSTOP), SMEN; TPIDR2_EL0, SMPRI_EL1 and SMIDR_EL1 none.
 * Prints "mismatch NAME: encoding says X, probes.def says Y" for each
 * disagreement and "own NAME" for each probe with an own enable; exit
 * status 1 on a mismatch.
 */
#include <stdio.h>
#include "probes.h"

static const char *const pre_names[] = { "PRE_NONE", "PRE_SVE", "PRE_SME", "PRE_MTE" };

/* The MRS/MSR (register) word's op0..op2 as one number, or 0 for another word. */
static unsigned int sysreg_of(uint32_t w)
{
	if ((w & 0xffd00000u) != 0xd5100000u)
		return 0;
	return ((2 + ((w >> 19) & 1)) << 16) | (((w >> 16) & 7) << 12) | (((w >> 12) & 15) << 8) |
	       (((w >> 8) & 15) << 4) | ((w >> 5) & 7);
}
#define SYSREG(op0, op1, crn, crm, op2) (((op0) << 16) | ((op1) << 12) | ((crn) << 8) | ((crm) << 4) | (op2))

static enum probe_pre word_pre(uint32_t w)
{
	unsigned int r = sysreg_of(w);

	if (r == SYSREG(3, 0, 1, 2, 0))		/* ZCR_EL1 */
		return PRE_SVE;
	if (r == SYSREG(3, 0, 1, 2, 6) || r == SYSREG(3, 3, 4, 2, 2))	/* SMCR_EL1, SVCR */
		return PRE_SME;
	if ((w & 0xfffff1ffu) == 0xd503417fu)	/* MSR SVCRSM/SVCRZA/SVCRSMZA, #imm */
		return PRE_SME;
	if ((w & 0xfffff800u) == 0x04bf5800u || (w & 0xffa0f800u) == 0x04205800u)	/* RDSVL; ADDSVL, ADDSPL */
		return PRE_SME;
	if (((w >> 25) & 15) == 2)
		return PRE_SVE;
	if ((w >> 31) && ((w >> 25) & 15) == 0)
		return PRE_SME;
	return PRE_NONE;
}

int main(void)
{
	int bad = 0;

	for (int p = 0; p < NR_PROBES; p++) {
		const struct probe_desc *d = &probes[p];
		enum probe_pre want = PRE_NONE;

		for (unsigned int i = 0; i < d->n; i++) {
			enum probe_pre w = word_pre(d->insn[i]);
			if (w != PRE_NONE)
				want = w;
		}
		if (want != d->pre) {
			printf("mismatch %s: encoding says %s, probes.def says %s\n", d->name,
			       pre_names[want], pre_names[d->pre]);
			bad = 1;
		}
		if (probe_has_own_enable((enum probe_id)p))
			printf("own %s\n", d->name);
	}
	return bad;
}
