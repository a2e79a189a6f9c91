/*
 * fwview.c: the firmware's answers (tables/firmware.def) into the view.
 * Firmware is the VMM's or KVM's, the same for every vCPU: asked on CPU0.
 */
#include "fwview.h"
#include "exceptions.h"
#include "guard.h"
#include "psci.h"

enum fw_result { RES_X0, RES_X0_X3, RES_STATUS };

struct fwcall {
	const char *key;
	u32 fn;
	u64 arg;
	enum fw_result result;
};

static const struct fwcall fwcalls[] = {
#define FWCALL(key, fn, arg, result) { key, fn, arg, result },
#include "firmware.def"
#undef FWCALL
};

void fw_view_collect(struct view *v)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(fwcalls); i++) {
		const struct fwcall *c = &fwcalls[i];
		struct smccc_res res;
		u64 esr, regs[4];

		guard_arm();
		smccc_call(c->fn, c->arg, 0, 0, &res);
		esr = guard_disarm();
		regs[0] = res.a0, regs[1] = res.a1, regs[2] = res.a2, regs[3] = res.a3;
		switch (c->result) {
		case RES_X0:
			view_add(v, vval_from(res.a0, esr), "fw.%s", c->key);
			break;
		case RES_STATUS:
			/* Status codes are 32-bit negative values; data is anything else. */
			view_add(v, vval_from((s32)res.a0 < 0 ? res.a0 : 0, esr), "fw.%s", c->key);
			break;
		case RES_X0_X3:
			/* After an error x1-x3 hold whatever was there: not an answer. */
			if ((s32)res.a0 < 0)
				regs[1] = regs[2] = regs[3] = 0;
			for (int r = 0; r < 4; r++)
				view_add(v, vval_from(regs[r], esr), "fw.%s.a%d", c->key, r);
			break;
		}
	}
}
