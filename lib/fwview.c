/*
 * fwview.c: the firmware's answers (tables/firmware.def) into the view.
 * Firmware is the VMM's or KVM's, the same for every vCPU: asked on CPU0.
 * The keys are the table's (tables/firmware.h: FW_KEY_PREFIX, FW_PART_SUFFIX),
 * which gvfp looks up to read the answers.
 */
#include "fwview.h"
#include "exceptions.h"
#include "firmware.h"
#include "guard.h"
#include "psci.h"

void fw_view_collect(struct view *v)
{
	for (unsigned int i = 0; i < NR_FWCALLS; i++) {
		const struct fwcall_desc *c = &fwcalls[i];
		struct smccc_res res;
		u64 esr, regs[FW_NR_PARTS];

		guard_arm();
		smccc_call(c->fn, c->arg, 0, 0, &res);
		esr = guard_disarm();
		regs[0] = res.a0, regs[1] = res.a1, regs[2] = res.a2, regs[3] = res.a3;
		switch (c->result) {
		case RES_X0:
			view_add(v, vval_from(res.a0, esr), FW_KEY_PREFIX "%s", c->key);
			break;
		case RES_STATUS:
			/* Status codes are 32-bit negative values; data is anything else. */
			view_add(v, vval_from((s32)res.a0 < 0 ? res.a0 : 0, esr), FW_KEY_PREFIX "%s", c->key);
			break;
		case RES_X0_X3:
			/* After an error x1-x3 hold whatever was there: not an answer. */
			if ((s32)res.a0 < 0)
				regs[1] = regs[2] = regs[3] = 0;
			for (int r = 0; r < FW_NR_PARTS; r++)
				view_add(v, vval_from(regs[r], esr), FW_KEY_PREFIX "%s" FW_PART_SUFFIX "%d",
					 c->key, r);
			break;
		}
	}
}
