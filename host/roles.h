/*
 * roles.h: the phases of gvmigrate's --role halves (roles.c), shared by
 * both directions: a half that sends the guest (the source at request 1,
 * a destination with --back-to at request 2) uses role_send
 * (rolesend.c); a half that receives it (the destination at request 1, a
 * source with --back-listen at request 2) uses role_receive
 * (rolerecv.c).  Each leg that completed is one LEG line (migproto.h).
 */
#ifndef GUESTVIEW_ROLES_H
#define GUESTVIEW_ROLES_H
#include "gvmigrate.h"

/* role_send's outcomes besides an exit status. */
enum { ROLE_MIGRATED = 1000, ROLE_STAYED };

/* One leg as this half saw it, for its LEG line; -1: a figure it does not have. */
struct role_leg {
	unsigned int n;			/* the migration: 1 out, 2 back */
	const char *dir;		/* MIGLEG_OUT or MIGLEG_IN */
	char peer[300];			/* out: the URI connected to; in: where the source came from */
	long request_ms, total_ms, downtime_ms, setup_ms;
	const char *result;		/* MIGLEG_DONE, ... (tables/migproto.h) */
};

/* The LEG line of a leg that did not complete: no figures, its result word. */
void role_leg_failed(unsigned int n, const char *dir, const char *peer, const char *result);

/*
 * Send the guest (request seq, seen at t_request, now_ns()) from vm to uri
 * as migration r->migrations: ROLE_MIGRATED (leg filled), ROLE_STAYED (the
 * other side refused, or the link failed or timed out: the guest runs on
 * vm again, unacknowledged; why in refusal), or an exit status.
 */
int role_send(struct run *r, struct vm *vm, const char *uri, unsigned int seq, uint64_t t_request,
	      struct role_leg *leg, char *refusal, size_t size);

/*
 * Receive the guest as migration n (r->migrations once a source proved the
 * key) on r->listen_fd (open): start vm (a fresh QEMU, -incoming, named name), accept the one
 * connection that proves the key (others are refused and named), hand it
 * to QEMU, and acknowledge the guest's request once it runs here.  waiting
 * names the phase for a timeout or a signal ("while waiting for a source").
 * The listener is closed on return.  0 (leg filled), or an exit status
 * with the reason in r->why.
 */
int role_receive(struct run *r, struct vm *vm, unsigned int n, const char *name, const char *waiting,
		 struct role_leg *leg);

/* Open r->listen_fd on uri and say "listening on" (opt names the option in errors). */
int role_listen(struct run *r, const char *uri, const char *opt, const char *what);
void role_unlisten(struct run *r);

/* Print the leg's LEG line. */
void role_leg_line(const struct role_leg *leg);

/* Shared by the phases: see roles.c. */
uint64_t role_bound_ms(const struct run *r, long ms);
void role_take_signal(struct run *r);
int role_wait_end(struct run *r, enum wait_result w, const char *phase);
int role_prepare(struct run *r, struct vm *vm, const char *phase);

#endif
