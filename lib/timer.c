/* timer.c: the generic timer's virtual counter, for time-outs and benchmarks. */
#include "libcflat.h"
#include "asm/sysreg.h"

u64 timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

u64 timer_count(void)
{
	isb();	/* no reading of the counter ahead of earlier instructions */
	return read_sysreg(cntvct_el0);
}

u64 timer_ms_to_ticks(u64 ms)
{
	return timer_freq() / 1000 * ms;
}
