/*
 * psci.c: SMCCC calls.  The conduit (HVC at EL1 under a hypervisor, SMC
 * when the machine has EL2 or EL3 firmware) comes from the DT's psci node.
 */
#include "psci.h"
#include "platform.h"

void smccc_call(u32 fn, u64 a1, u64 a2, u64 a3, struct smccc_res *res)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	/* SMCCC 1.0 leaves x4-x17 unspecified after the call. */
	if (platform.psci == PSCI_CONDUIT_SMC)
		asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3) : :
			     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			     "x13", "x14", "x15", "x16", "x17", "memory");
	else
		asm volatile("hvc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3) : :
			     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
			     "x13", "x14", "x15", "x16", "x17", "memory");
	if (res)
		*res = (struct smccc_res){ x0, x1, x2, x3 };
}

s64 psci_call(u32 fn, u64 a1, u64 a2, u64 a3)
{
	struct smccc_res res;

	smccc_call(fn, a1, a2, a3, &res);
	return (s64)res.a0;
}

u32 psci_version(void)
{
	return (u32)psci_call(PSCI_VERSION, 0, 0, 0);
}

s64 psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return psci_call(PSCI_CPU_ON_64, mpidr, entry, context);
}

void psci_system_off(void)
{
	if (platform.psci != PSCI_CONDUIT_NONE)
		psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

const char *psci_error_name(s64 ret)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",
		"ALREADY_ON", "ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT",
		"DISABLED", "INVALID_ADDRESS",
	};
	return ret <= 0 && -ret < (s64)ARRAY_SIZE(names) ? names[-ret] : "unknown PSCI return";
}
