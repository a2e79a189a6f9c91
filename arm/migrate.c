/*
 * migrate: the whole guest view must survive a migration unchanged.
 * Collects the view (every vCPU's ID registers and ID space, firmware,
 * GIC, timer, PMU, EL0 behaviour), asks the harness to migrate, collects
 * again on the destination and reports every key that differs, with both
 * values.  Then the clock: CNTVCT_EL0 never goes back, and it still runs
 * at the rate CNTFRQ_EL0 gave before the migration, measured against the
 * host time the harness sends.
 *
 * With dirty=KIB the guest also writes memory while it is being migrated:
 * between each request and its ack it passes again and again over a
 * buffer of KIB KiB, writing into every 4 KiB page the pass's generation
 * and the page's index, in page order, a few pages at a time (lib/migrate.c
 * polls the console between pieces).  On the destination, the pages up to
 * the last one written must hold the last generation, the rest the one
 * before, each its own index: a page the migration did not send again
 * after the guest wrote it, or sent to the wrong place, is named.
 *
 * Arguments: count=N (migrations in this run, default 1: ping-pong),
 * rate_ms=MS (the window of the rate check, default 300; 0 skips it),
 * dirty=KIB (the buffer written during each migration, a multiple of 4;
 * default 0: none), dirty_corrupt=1 (for the harness's tests: after the
 * first ack, make the middle page a stale copy before the check, which
 * must then FAIL naming it), hang=1 (spin forever after the first
 * migration: for the harness's tests), print_before=0 (the view taken
 * before the first migration is not printed: the kernel matrix's live
 * cells have it from the host's own saved run, and printing 15-20 KB
 * through a UART under KVM in an emulated host costs some 6 s a cell; a
 * view that changed is still printed after the migration).
 */
#include "libcflat.h"
#include "guestview.h"
#include "migrate.h"
#include "alloc.h"
#include "asm/sysreg.h"

#define RATE_TOLERANCE_PCT 10

/*
 * The buffer written during the migrations.  Page p holds, in its words
 * GEN_HEAD and GEN_TAIL, the generation of the pass that last wrote it, and
 * in IDX its own index.  Generation 0 is written before the first request;
 * pass g writes generation g into pages 0, 1, ... in order, so that at any
 * instant pages [0, next) hold gen + 1 and [next, pages) hold gen.
 */
#define PAGE_WORDS	(SZ_4K / sizeof(u64))
#define GEN_HEAD	0
#define IDX		1
#define GEN_TAIL	(PAGE_WORDS - 1)
#define DIRTY_CHUNK	64	/* pages between two looks at the console */

struct dirty {
	u64 *buf;
	unsigned long pages;
	u64 gen;		/* the generation of the last whole pass */
	unsigned long next;	/* pages [0, next) hold gen + 1 */
	unsigned long passes;	/* whole passes during this migration's wait */
	unsigned long written;	/* pages written during this migration's wait */
};

static void dirty_write(u64 *page, u64 gen, unsigned long idx)
{
	WRITE_ONCE(page[GEN_HEAD], gen);
	WRITE_ONCE(page[IDX], (u64)idx);
	WRITE_ONCE(page[GEN_TAIL], gen);
}

/* The workload: the next DIRTY_CHUNK pages of the current pass. */
static void dirty_work(void *arg)
{
	struct dirty *d = arg;
	unsigned long p = d->next, end = p + DIRTY_CHUNK;

	if (end > d->pages)
		end = d->pages;
	for (; p < end; p++)
		dirty_write(d->buf + p * PAGE_WORDS, d->gen + 1, p);
	d->written += end - d->next;
	d->next = end;
	if (end == d->pages) {
		d->gen++;
		d->next = 0;
		d->passes++;
	}
}

static void dirty_setup(struct dirty *d, unsigned long kib)
{
	unsigned long free_kib = alloc_free() / 1024;

	memset(d, 0, sizeof(*d));
	if (kib > free_kib) {
		report_skip("memory written during the migration: dirty=%lu KiB is more than the "
			    "%lu KiB the guest has free (give QEMU more -m)", kib, free_kib);
		return;
	}
	if (kib % 4)
		report_abort("dirty=%lu: the buffer is whole 4 KiB pages (a multiple of 4)", kib);
	d->pages = kib / 4;
	d->buf = alloc_pages(kib * 1024);
	for (unsigned long p = 0; p < d->pages; p++)
		dirty_write(d->buf + p * PAGE_WORDS, 0, p);
	report_info("dirty: %lu KiB at 0x%lx (pages: %lu), written during each migration",
		    kib, (unsigned long)(uintptr_t)d->buf, d->pages);
	migrate_set_workload(dirty_work, d);
}

/* dirty_corrupt=1: the middle page as a copy older than its last write. */
static void dirty_corrupt(struct dirty *d)
{
	unsigned long p = d->pages / 2;
	u64 *page = d->buf + p * PAGE_WORDS;

	page[GEN_HEAD] = (p < d->next ? d->gen + 1 : d->gen) - 1;
}

/* After the ack: every page as the write order says, then a new count. */
static void dirty_check(struct dirty *d, const struct migration *m, u64 freq)
{
	u64 ticks = m->counter > m->sent ? m->counter - m->sent : 0;
	unsigned long wait_ms = (unsigned long)(freq >= 1000 ? ticks / (freq / 1000) : 0);
	unsigned long kib = d->pages * 4, bad = 0, first = 0;
	u64 want_first = 0;

	for (unsigned long p = 0; p < d->pages; p++) {
		const u64 *page = d->buf + p * PAGE_WORDS;
		u64 want = p < d->next ? d->gen + 1 : d->gen;

		if (page[GEN_HEAD] == want && page[GEN_TAIL] == want && page[IDX] == p)
			continue;
		if (!bad++) {
			first = p;
			want_first = want;
		}
	}
	if (bad) {
		const u64 *page = d->buf + first * PAGE_WORDS;

		report_fail("memory written during the migration survived it (%lu passes over %lu KiB "
			    "in %lu ms; page %lu at 0x%lx holds generation %lu (head) %lu (tail), index "
			    "%lu: expected generation %lu, index %lu; %lu of %lu pages wrong)",
			    d->passes, kib, wait_ms, first, (unsigned long)(uintptr_t)page,
			    (unsigned long)page[GEN_HEAD], (unsigned long)page[GEN_TAIL],
			    (unsigned long)page[IDX], (unsigned long)want_first, first, bad, d->pages);
	} else if (!d->passes) {
		report_pass("memory written during the migration survived it (0 passes over %lu KiB "
			    "in %lu ms: the ack came before a whole pass, %lu pages written; every page "
			    "as last written)", kib, wait_ms, d->written);
	} else {
		report_pass("memory written during the migration survived it (%lu passes over %lu KiB "
			    "in %lu ms, every page as last written)", d->passes, kib, wait_ms);
	}
	d->passes = d->written = 0;
}

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
	unsigned long count = 1, rate_ms = 300, hang = 0, dirty_kib = 0, corrupt = 0, print_before = 1;
	struct guest_view *before = guest_view_collect();
	u64 freq = timer_freq();
	struct dirty dirty;

	arg_ulong(argc, argv, "count", &count);
	arg_ulong(argc, argv, "rate_ms", &rate_ms);
	arg_ulong(argc, argv, "hang", &hang);
	arg_ulong(argc, argv, "dirty", &dirty_kib);
	arg_ulong(argc, argv, "dirty_corrupt", &corrupt);
	arg_ulong(argc, argv, "print_before", &print_before);
	if (!count) {
		migrate_skip("count=0");
		report_skip("count=0: no migration requested");
		return report_summary();
	}
	if (print_before)
		view_print(before->view);
	memset(&dirty, 0, sizeof(dirty));
	if (dirty_kib)
		dirty_setup(&dirty, dirty_kib);
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
		if (dirty.pages) {
			if (corrupt && i == 1)
				dirty_corrupt(&dirty);
			dirty_check(&dirty, &m, freq);
		}
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
