/*
 * exit.c: the end of every payload.  The status line is the contract with
 * arm/run ("EXIT: PASS|FAIL|SKIP", tokens of tables/outcomes.def), then
 * PSCI SYSTEM_OFF makes the VMM exit.  No semihosting: it does not exist
 * under KVM.
 */
#include "libcflat.h"
#include "bulk.h"
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
	/* A payload can only pass, skip or fail: anything else is a failure. */
	if (status != EXIT_PASS && status != EXIT_SKIP)
		status = EXIT_FAIL;
	bulk_flush();	/* the results reach the host before the status line ends the run */
	printf(OUTCOME_EXIT_LINE "%s\n", outcome_token(status));
	psci_system_off();
	printf(OUTCOME_EXIT_LINE "PSCI SYSTEM_OFF returned; halting\n");
	halt();
}
