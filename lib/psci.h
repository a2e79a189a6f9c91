/*
 * psci.h: SMC Calling Convention calls through the conduit the device tree
 * names, and the PSCI functions the runtime uses.
 */
#ifndef GUESTVIEW_PSCI_H
#define GUESTVIEW_PSCI_H
#include "libcflat.h"

#define PSCI_VERSION		0x84000000U
#define PSCI_CPU_ON_64		0xc4000003U
#define PSCI_AFFINITY_INFO_64	0xc4000004U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_FEATURES		0x8400000aU

#define PSCI_RET_SUCCESS		0
#define PSCI_RET_NOT_SUPPORTED		(-1)
#define PSCI_RET_INVALID_PARAMS		(-2)
#define PSCI_RET_DENIED			(-3)
#define PSCI_RET_ALREADY_ON		(-4)
#define PSCI_RET_ON_PENDING		(-5)
#define PSCI_RET_INTERNAL_FAILURE	(-6)

struct smccc_res {
	u64 a0, a1, a2, a3;
};

/* x0 = fn, x1..x3 = args; results in x0..x3.  Uses platform.psci. */
void smccc_call(u32 fn, u64 a1, u64 a2, u64 a3, struct smccc_res *res);
s64 psci_call(u32 fn, u64 a1, u64 a2, u64 a3);
u32 psci_version(void);
s64 psci_cpu_on(u64 mpidr, u64 entry, u64 context);
void psci_system_off(void);	/* returns only if the firmware refused */
const char *psci_error_name(s64 ret);

#endif
