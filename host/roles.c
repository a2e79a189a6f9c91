/*
 * roles.c: gvmigrate --role source and --role destination, the two halves
 * of a live migration between two machines (two emulated hosts of the
 * kernel matrix), each with its one QEMU at a time.
 *
 * The source runs the guest; at its migration request it authenticates to
 * the destination (rolelink.h: the --psk key, and which request to
 * acknowledge) and hands its QEMU the connection (rolesend.c).  The
 * destination's QEMU takes over, the destination acknowledges the request
 * on its console (rolerecv.c) and runs the guest to its end: the guest
 * compares its view before and after itself (the "before" travels in its
 * memory), so nothing else passes between the halves.  A migration the
 * destination refuses, or that dies or hangs there, leaves the guest
 * running on the source: it is acknowledged there and finishes its test,
 * and the verdict says so (a refused upgrade must not kill the workload).
 *
 * A round trip (upgrade, then rollback of the same running guest) is the
 * same two phases the other way: a destination with --back-to sends the
 * guest at its next request as a source does, and a source with
 * --back-listen receives it as a destination does, in a fresh QEMU of
 * its own command line, and reports the guest's verdict at home.
 */
#include "roles.h"
#include "migproto.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

uint64_t role_bound_ms(const struct run *r, long ms)
{
	uint64_t b = now_ms() + (uint64_t)ms;

	return b < r->deadline ? b : r->deadline;
}

/* A signal that rolelink saw on the signalfd: take it, as the event loop would. */
void role_take_signal(struct run *r)
{
	struct signalfd_siginfo si;

	if (read(r->ev.sigfd, &si, sizeof(si)) == sizeof(si))
		r->ev.signal = (int)si.ssi_signo;
}

/* A wait that failed: said by run_wait_failed, and the RESULT line's reason. */
int role_wait_end(struct run *r, enum wait_result w, const char *phase)
{
	int rc = run_wait_failed(r, w, phase);

	snprintf(r->why, sizeof(r->why), "%s %s", w == WAIT_SIGNAL ? "interrupted" : "no end in time", phase);
	return rc;
}

/*
 * run_prepare for a role: QMP steps that ran out of the run's time are the
 * run's TIMEOUT, not QEMU's error (a slow start under load); either, and a
 * signal, say the phase on the RESULT line.
 */
int role_prepare(struct run *r, struct vm *vm, const char *phase)
{
	int rc = run_prepare(r, vm);

	if (rc == EXIT_QEMU && now_ms() >= r->deadline)
		return role_wait_end(r, WAIT_TIMEOUT, phase);
	if (rc == EXIT_INTERRUPTED)
		return role_wait_end(r, WAIT_SIGNAL, phase);
	return rc;
}

void role_leg_line(const struct role_leg *leg)
{
	const struct { const char *name; long v; } f[] = {
		{ MIGLEG_REQUEST_MS, leg->request_ms }, { MIGLEG_TOTAL_MS, leg->total_ms },
		{ MIGLEG_DOWNTIME_MS, leg->downtime_ms }, { MIGLEG_SETUP_MS, leg->setup_ms },
	};

	printf(MIGLEG_PREFIX " " MIGLEG " %u %s %s " MIGLEG_RESULT "%s", leg->n, leg->dir, leg->peer,
	       leg->result ? leg->result : MIGLEG_DONE);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].v >= 0)	/* a figure this half does not have is left out */
			printf(" %s%ld", f[i].name, f[i].v);
	printf("\n");
}

void role_leg_failed(unsigned int n, const char *dir, const char *peer, const char *result)
{
	struct role_leg leg = { .n = n, .dir = dir, .request_ms = -1, .total_ms = -1, .downtime_ms = -1,
				.setup_ms = -1, .result = result };

	snprintf(leg.peer, sizeof(leg.peer), "%s", peer);
	role_leg_line(&leg);
}

/* "PASSED", "FAILED", "SKIPPED": the guest's verdict in a sentence. */
static const char *verdict_done(int rc)
{
	return rc == EXIT_PASS ? "PASSED" : rc == EXIT_FAIL ? "FAILED" : "SKIPPED";
}

static bool is_verdict(int rc)
{
	return rc == EXIT_PASS || rc == EXIT_FAIL || rc == EXIT_SKIP;
}

/* serve_guest's outcomes besides an exit status. */
enum { GUEST_ENDED = 2000, GUEST_ASKS };

/*
 * Serve the guest on vm (its clock requests, its "skip") until its QEMU
 * ended (GUEST_ENDED) or it asks to migrate (GUEST_ASKS: its request in
 * *seq, seen at *t); a failed wait is an exit status naming phase.
 */
static int serve_guest(struct run *r, struct vm *vm, const char *phase, unsigned int *seq, uint64_t *t)
{
	for (;;) {
		enum wait_result w = evloop_wait(&r->ev, run_guest_event, vm, r->deadline);

		if (w != WAIT_OK)
			return role_wait_end(r, w, phase);
		if (vm->proc.exited && vm->request == REQ_NONE)
			return GUEST_ENDED;
		*seq = vm->request_seq;
		switch (vm->request) {
		case REQ_NONE:
			continue;
		case REQ_CLOCK:
			vm->request = REQ_NONE;
			if (run_ack(vm, *seq))
				return EXIT_QEMU;
			continue;
		case REQ_SKIP:
			vm->request = REQ_NONE;
			printf("gvmigrate: the guest will not ask for a migration\n");
			continue;
		case REQ_MIGRATE:
			vm->request = REQ_NONE;
			*t = now_ns();
			return GUEST_ASKS;
		}
	}
}

/* ---- source ---- */

/* The way back failed after migration 1 completed: the RESULT line says both. */
static int after_leg1(struct run *r, int rc)
{
	char why[2 * RUN_WHY_MAX];

	snprintf(why, sizeof(why), "migration 1 to %.150s completed; %s", r->role_uri,
		 r->why[0] ? r->why : "the way back failed (the reason is above)");
	why[sizeof(r->why) - 1] = '\0';	/* the reason's end, if anything, goes */
	memcpy(r->why, why, sizeof(r->why));
	return rc;
}

/*
 * --back-listen, after migration 1 completed: the guest comes back into a
 * fresh QEMU of the same command line, is acknowledged here and runs to
 * its end; its verdict is this half's.
 */
static int come_back(struct run *r, struct vm *old)
{
	struct vm *vm = &r->vm[1];
	struct role_leg leg;
	unsigned int seq;
	uint64_t t;
	int rc;

	/* The QEMU that sent the guest holds nothing of it any more (postmigrate). */
	evloop_del(&r->ev, old);
	vm_stop(old);
	printf("gvmigrate: waiting for the guest to come back (--back-listen)\n");
	if ((rc = role_receive(r, vm, 2, "source", "while waiting for the guest to come back", &leg)))
		return after_leg1(r, rc);
	role_leg_line(&leg);
	rc = serve_guest(r, vm, "after the guest came back: it neither finished nor asked again", &seq, &t);
	if (rc == GUEST_ASKS) {
		run_say(r, "the guest asked for another migration (request %u): a round trip takes two", seq);
		return after_leg1(r, EXIT_HARNESS);
	}
	if (rc != GUEST_ENDED)
		return after_leg1(r, rc);
	rc = run_finish(r, vm);
	if (!is_verdict(rc))
		return after_leg1(r, rc);
	run_say(r, "migration 1 to %.150s completed; migration 2 from %.60s received; the guest %s back on "
		"the source", r->role_uri, leg.peer, verdict_done(rc));
	return rc;
}

int role_source(struct run *r)
{
	struct vm *vm = &r->vm[0];
	char refusal[RUN_WHY_MAX] = "";
	struct role_leg leg;
	unsigned int seq;
	uint64_t t;
	int rc;

	/* Bound before the guest starts: the way back never finds nothing listening. */
	if (r->back_uri && role_listen(r, r->back_uri, "--back-listen",
				       "the guest's way back (one source that holds the --psk key)"))
		return EXIT_HARNESS;
	if (run_start_vm(r, vm, "source", 0, false))
		return EXIT_HARNESS;
	for (;;) {
		rc = serve_guest(r, vm, refusal[0] ? "after the guest resumed on the source" :
				 "before the guest asked for a migration", &seq, &t);
		if (rc == GUEST_ENDED)
			break;
		if (rc != GUEST_ASKS)
			return rc;
		if (refusal[0]) {
			/* One try per run: the guest keeps its workload going here. */
			printf("gvmigrate: the guest asked again (request %u); migration %u was refused, so it "
			       "stays on the source\n", seq, r->migrations);
		} else {
			r->migrations++;
			rc = role_send(r, vm, r->role_uri, seq, t, &leg, refusal, sizeof(refusal));
			if (rc == ROLE_MIGRATED) {
				role_leg_line(&leg);
				if (r->back_uri)
					return come_back(r, vm);
				snprintf(r->why, sizeof(r->why), "migration %u to %s completed: the destination "
					 "runs the guest and reports its verdict", r->migrations, r->role_uri);
				return EXIT_PASS;
			}
			if (rc != ROLE_STAYED)
				return rc;
			if (r->back_uri) {
				role_unlisten(r);
				printf("gvmigrate: closed the --back-listen listener unused: the guest stays "
				       "on the source\n");
			}
		}
		/* The ack on the source: the guest compares its view here and carries on. */
		if (run_ack(vm, seq))
			return EXIT_QEMU;
	}
	rc = run_finish(r, vm);
	if (!refusal[0] || !is_verdict(rc))
		return rc;
	run_say(r, "migration %u refused by the destination (%.300s); the guest resumed on the source and %s",
		r->migrations, refusal, verdict_done(rc));
	return EXIT_REFUSED;
}

/* ---- destination ---- */

int role_destination(struct run *r)
{
	struct vm *vm = &r->vm[0];
	char refusal[RUN_WHY_MAX] = "", from[160];
	struct role_leg leg;
	unsigned int seq;
	uint64_t t;
	int rc;

	if (role_listen(r, r->role_uri, "--listen", "one source that holds the --psk key"))
		return EXIT_HARNESS;
	if ((rc = role_receive(r, vm, 1, "destination", "while waiting for a source", &leg)))
		return rc;
	role_leg_line(&leg);
	snprintf(from, sizeof(from), "%.150s", leg.peer);
	for (;;) {
		rc = serve_guest(r, vm, refusal[0] ? "after the way back was refused: the guest neither finished "
				 "nor asked again" : "after the migration: the guest neither finished nor asked again",
				 &seq, &t);
		if (rc == GUEST_ENDED)
			break;
		if (rc != GUEST_ASKS)
			return rc;
		if (!r->back_uri) {
			run_say(r, "the guest asked for another migration (request %u): a --role destination "
				"takes one (--back-to takes it back)", seq);
			return EXIT_HARNESS;
		}
		if (refusal[0]) {
			printf("gvmigrate: the guest asked again (request %u); the way back was refused, so it "
			       "stays on the destination\n", seq);
		} else {
			r->migrations = 2;
			rc = role_send(r, vm, r->back_uri, seq, t, &leg, refusal, sizeof(refusal));
			if (rc == ROLE_MIGRATED) {
				role_leg_line(&leg);
				snprintf(r->why, sizeof(r->why), "migration 1 from %s received; migration 2 to %.150s "
					 "completed: the other side runs the guest and reports its verdict", from,
					 r->back_uri);
				return EXIT_PASS;
			}
			if (rc != ROLE_STAYED)
				return rc;
		}
		/* The ack here: the guest compares its view on the destination and carries on. */
		if (run_ack(vm, seq))
			return EXIT_QEMU;
	}
	rc = run_finish(r, vm);
	if (!is_verdict(rc))
		return rc;
	if (!refusal[0]) {
		run_say(r, "migration 1 from %s received; the guest %s on the destination", from, verdict_done(rc));
		return rc;
	}
	run_say(r, "migration 1 from %s received; the way back (migration 2 to %.100s) was refused (%.200s); "
		"the guest stayed on the destination and %s", from, r->back_uri, refusal, verdict_done(rc));
	return EXIT_REFUSED;
}
