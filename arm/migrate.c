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
 * rate_ms=MS (the window of the rate check, default 300; 0 skips it).
 */
#include "libcflat.h"
#include "guestview.h"
#include "migrate.h"
#include "asm/sysreg.h"

#define RATE_TOLERANCE_PCT 10

/* The counter's rate against the host's clock over rate_ms, in percent. */
static void check_rate(u64 freq, unsigned long rate_ms)
{
	struct migration a, b;
	u64 ticks, ns, end;

	migrate_clock(&a);
	end = a.counter + freq / 1000 * rate_ms;
	while (timer_count() < end)
		cpu_relax();
	migrate_clock(&b);
	ticks = b.counter - a.counter;
	ns = b.host_ns - a.host_ns;
	/* ticks / freq seconds of guest time against ns of host time */
	u64 pct = ns ? ticks * 1000000000ULL / freq * 100 / ns : 0;
	report(pct >= 100 - RATE_TOLERANCE_PCT && pct <= 100 + RATE_TOLERANCE_PCT,
	       "the counter runs at CNTFRQ_EL0's rate (%lu Hz): %lu ticks in %lu us of host time (%lu%%)",
	       (unsigned long)freq, (unsigned long)ticks, (unsigned long)(ns / 1000), (unsigned long)pct);
}

int main(int argc, char **argv)
{
	unsigned long count = 1, rate_ms = 300;
	struct guest_view *before = guest_view_collect();
	u64 freq = timer_freq();

	arg_ulong(argc, argv, "count", &count);
	arg_ulong(argc, argv, "rate_ms", &rate_ms);
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
