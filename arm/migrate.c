/*
 * migrate: the whole guest view must survive a migration unchanged.
 * Collects the view (every vCPU's ID registers and ID space, firmware,
 * GIC, timer, PMU, EL0 behaviour), asks the harness to migrate, collects
 * again on the destination and reports every key that differs, with both
 * values.  Then the clock: CNTVCT_EL0 never goes back, and it still runs
 * at the rate CNTFRQ_EL0 gave before the migration, measured against the
 * host time the harness sends.
 *
 * Arguments: count=N (migrations in this run, default 1: ping-pong),
 * rate_ms=MS (the window of the rate check, default 300; 0 skips it),
 * hang=1 (spin forever after the first migration: for the harness's tests).
 */
#include "libcflat.h"
#include "guestview.h"
#include "migrate.h"
#include "asm/sysreg.h"

#define RATE_TOLERANCE_PCT 10

/*
 * The counter's rate against the host's clock over rate_ms.  The host's
 * time stamp of each exchange lies, in guest time, between the guest's
 * sending of its line and its receiving of the ack; so the guest time
 * between the two stamps lies in [b.sent - a.counter, b.counter - a.sent].
 * The rate is right when the host's interval, in ticks, falls in that range
 * widened by the tolerance: console latency cannot make it fail, while a
 * counter running 16x fast (another CNTFRQ on the destination) does.
 */
static void check_rate(u64 freq, unsigned long rate_ms)
{
	struct migration a, b;
	u64 host_ticks, lo, hi, end;

	migrate_clock(&a);
	end = a.counter + freq / 1000 * rate_ms;
	while (timer_count() < end)
		cpu_relax();
	migrate_clock(&b);
	host_ticks = (b.host_ns - a.host_ns) / 1000 * (freq / 1000) / 1000;
	lo = (b.sent - a.counter) / 100 * (100 - RATE_TOLERANCE_PCT);
	hi = (b.counter - a.sent) / 100 * (100 + RATE_TOLERANCE_PCT);
	report(host_ticks >= lo && host_ticks <= hi,
	       "the counter runs at CNTFRQ_EL0's rate (%lu Hz): %lu us of host time are %lu ticks, "
	       "the guest counted %lu to %lu (+-%d%%)", (unsigned long)freq,
	       (unsigned long)((b.host_ns - a.host_ns) / 1000), (unsigned long)host_ticks,
	       (unsigned long)(b.sent - a.counter), (unsigned long)(b.counter - a.sent),
	       RATE_TOLERANCE_PCT);
}

int main(int argc, char **argv)
{
	unsigned long count = 1, rate_ms = 300, hang = 0;
	struct guest_view *before = guest_view_collect();
	u64 freq = timer_freq();

	arg_ulong(argc, argv, "count", &count);
	arg_ulong(argc, argv, "rate_ms", &rate_ms);
	arg_ulong(argc, argv, "hang", &hang);
	if (!count) {
		migrate_skip("count=0");
		report_skip("count=0: no migration requested");
		return report_summary();
	}
	view_print(before->view);
	for (unsigned long i = 1; i <= count; i++) {
		struct migration m;
		struct guest_view *after;
		unsigned int diffs;
		u64 last = timer_count();

		report_prefix_pushf("migration %lu", i);
		migrate(&m);
		while (hang)
			cpu_relax();
		report(m.counter >= last, "CNTVCT_EL0 did not go back (0x%lx before, 0x%lx after)",
		       (unsigned long)last, (unsigned long)m.counter);
		after = guest_view_collect();
		diffs = view_compare(before->view, after->view);
		report(!diffs, "the guest's view is unchanged (%u keys, %u differ)", before->view->n, diffs);
		if (diffs)
			view_print(after->view);	/* for the host to decode the differences */
		if (rate_ms)
			check_rate(freq, rate_ms);
		else
			report_skip("counter rate: rate_ms=0");
		report_prefix_pop();
	}
	return report_summary();
}
