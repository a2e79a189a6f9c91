/*
 * migrate.h: asking the host harness to migrate this guest, and learning
 * that it happened.  The console protocol (its words are tables/migproto.h,
 * shared with the host side, host/vm.c and host/run.c):
 *
 *   guest:  GUESTVIEW-MIGRATE request seq=N
 *   host:   GUESTVIEW-MIGRATE ack seq=N host_ns=T      (on the destination)
 *   guest:  GUESTVIEW-MIGRATE clock seq=N              (only the host's time)
 *   host:   GUESTVIEW-MIGRATE ack seq=N host_ns=T
 *   guest:  GUESTVIEW-MIGRATE skip reason=...          (no migration wanted)
 *
 * The guest prints a request as one whole line and prints nothing more
 * until the acknowledgement arrives on its console input, so no line can
 * be split between the source's and the destination's output.  The ack
 * carries the host's CLOCK_MONOTONIC time after the destination resumed,
 * for the guest to compare its counter's rate with.
 */
#ifndef GUESTVIEW_MIGRATE_H
#define GUESTVIEW_MIGRATE_H
#include "libcflat.h"

struct migration {
	unsigned int seq;	/* 1 for the first migration of this run */
	u64 host_ns;		/* the host's clock when it acknowledged */
	u64 sent;		/* CNTVCT_EL0 when the guest had sent its line */
	u64 counter;		/* CNTVCT_EL0 when the guest saw the ack */
};

/* Request a migration and wait (without a time limit: the harness has one). */
void migrate(struct migration *m);
/* Ask for the host's time only (no migration), e.g. to measure the counter's rate. */
void migrate_clock(struct migration *m);
/*
 * Work while waiting: between the request and its ack (the source's run,
 * the migration, the destination's resumption) migrate() calls fn(arg)
 * again and again, polling the console between calls, so that the guest
 * writes its memory while it is being migrated.  Each call should be a
 * short piece of work (well under a millisecond): the ack is read only
 * between calls.  Not during migrate_clock(), whose timing it would
 * disturb.  fn NULL: spin on the console only (the default).
 */
void migrate_set_workload(void (*fn)(void *arg), void *arg);
/* Tell the harness that no migration will be requested. */
void migrate_skip(const char *reason);

#endif
