/*
 * exit.c: the end of every payload.  The status line is the contract with
 * arm/run ("EXIT: PASS|FAIL|SKIP"), then PSCI SYSTEM_OFF makes the VMM
 * exit.  No semihosting: it does not exist under KVM.
 */
#include "libcflat.h"
#include "psci.h"
#include "asm/sysreg.h"

void halt(void)
{
	asm volatile("msr daifset, #0xf");
	for (;;)
		wfi();
}

void exit(int status)
{
	const char *name = status == EXIT_PASS ? "PASS" : status == EXIT_SKIP ? "SKIP" : "FAIL";

	printf("EXIT: %s\n", name);
	psci_system_off();
	printf("EXIT: PSCI SYSTEM_OFF returned; halting\n");
	halt();
}
