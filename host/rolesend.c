/*
 * rolesend.c: the send phase of a --role half (roles.h): authenticate to
 * the other half (rolelink.h), hand this QEMU the connection, migrate, and
 * when that is refused, dies or hangs, make sure the guest runs here
 * again.  The source uses it at request 1, a destination with --back-to at
 * request 2: one code path, so the way back is as careful as the way out.
 */
#include "roles.h"
#include "migproto.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* QEMU's name (getfd) for its end of the link. */
#define ROLEFD_OUT "gvrole-out"
/* After a failed migration, how long this QEMU may take to resume the guest itself. */
#define RESUME_MS 5000

static bool resumed(void *arg)
{
	struct vm *vm = arg;

	return vm->resumed || vm->proc.exited;
}

static bool mig_final(void *arg)
{
	struct vm *vm = arg;

	return vm->proc.exited || !strcmp(vm->mig_status, "failed") || !strcmp(vm->mig_status, "cancelled") ||
	       !strcmp(vm->mig_status, "completed");
}

/* QEMU's run state ("running", "postmigrate", ...) into status, or -1. */
static int run_state(struct run *r, struct vm *vm, char *status, size_t size)
{
	json_object *ret = NULL, *st;

	if (qmp_exec(&r->ev, vm, "query-status", NULL, &ret, r->deadline))
		return -1;
	snprintf(status, size, "%s", json_object_object_get_ex(ret, "status", &st) ?
		 json_object_get_string(st) : "unknown");
	json_object_put(ret);
	return 0;
}

/*
 * The migration failed: the guest must run here again.  A guest that was
 * stopped for the last round is resumed by QEMU itself (a RESUME event);
 * if that does not come within RESUME_MS, the harness asks for it (cont).
 * 0, or an exit status.
 */
static int resume_here(struct run *r, struct vm *vm)
{
	char status[32], phase[64];

	snprintf(phase, sizeof(phase), "while the guest resumed on the %s", vm->name);
	if (run_state(r, vm, status, sizeof(status)))
		return r->ev.signal ? role_wait_end(r, WAIT_SIGNAL, phase) : EXIT_QEMU;
	if (!strcmp(status, "running")) {
		printf("gvmigrate: the guest runs on the %s again (QEMU status running%s)\n", vm->name,
		       vm->resumed ? ", resumed by QEMU" : "");
		return 0;
	}
	evloop_wait(&r->ev, resumed, vm, role_bound_ms(r, RESUME_MS));
	if (r->ev.signal)
		return role_wait_end(r, WAIT_SIGNAL, phase);
	if (vm->proc.exited) {
		run_say(r, "%s: QEMU ended after the failed migration%s%.160s", vm->name,
			vm->first_error[0] ? ": " : "", vm->first_error);
		return EXIT_QEMU;
	}
	if (vm->resumed) {
		printf("gvmigrate: the guest runs on the %s again (QEMU resumed it from '%s')\n", vm->name, status);
		return 0;
	}
	if (qmp_exec(&r->ev, vm, "cont", NULL, NULL, r->deadline))
		return EXIT_QEMU;
	printf("gvmigrate: the guest was '%s' on the %s after the failed migration; resumed it (cont)\n",
	       status, vm->name);
	return 0;
}

/* The other half, in messages: the source's destination, or the way back's. */
static const char *other_half(const struct run *r)
{
	return r->role == ROLE_SOURCE ? "the destination" : "the way back's destination";
}

/* The migration completed: its figures, said for humans and kept for the LEG line. */
static void completed(struct run *r, struct vm *vm, const char *uri, uint64_t t_request, struct role_leg *leg)
{
	uint64_t t1 = now_ns();
	struct mig_stats st;

	migrate_stats(&r->ev, vm, &st, role_bound_ms(r, 5000));
	printf("gvmigrate: migration %u (tcp, to another machine): %s -> %s, %.1f ms from request "
	       "to completion; ", r->migrations, vm->name, uri, (t1 - t_request) / 1e6);
	if (st.total_ms > 0)
		printf("QEMU: total %ld ms, downtime %ld ms, setup %ld ms\n", st.total_ms,
		       st.downtime_ms, st.setup_ms);
	else
		printf("QEMU: no figures\n");
	*leg = (struct role_leg){ .n = r->migrations, .dir = MIGLEG_OUT,
				  .request_ms = (long)((t1 - t_request) / 1000000),
				  /* a total of 0 is QEMU's "not yet computed": none of them is known */
				  .total_ms = st.total_ms > 0 ? st.total_ms : -1,
				  .downtime_ms = st.total_ms > 0 ? st.downtime_ms : -1,
				  .setup_ms = st.total_ms > 0 ? st.setup_ms : -1 };
	snprintf(leg->peer, sizeof(leg->peer), "%s", uri);
}

int role_send(struct run *r, struct vm *vm, const char *uri, unsigned int seq, uint64_t t_request,
	      struct role_leg *leg, char *refusal, size_t size)
{
	uint64_t bound = role_bound_ms(r, r->link_timeout_s * 1000);
	char err[512];
	int fd, rc;

	if ((rc = role_prepare(r, vm, vm == &r->vm[0] && r->role == ROLE_SOURCE ?
			       "while the source's QEMU got ready to migrate" :
			       "while the QEMU got ready to migrate the guest back")))
		return rc;
	printf("gvmigrate: migration %u (request %u): connecting to %s\n", r->migrations, seq, uri);
	fd = rolelink_connect(uri, &r->key, seq, r->ev.sigfd, bound, err, sizeof(err));
	if (fd < 0) {
		if (errno == EINTR) {
			role_take_signal(r);
			return role_wait_end(r, WAIT_SIGNAL, "while connecting to the other half");
		}
		/* The guest never stopped: it is still running here. */
		snprintf(refusal, size, "%.250s", err);
		printf("gvmigrate: migration %u refused by %s: %s\n", r->migrations, other_half(r), err);
		role_leg_failed(r->migrations, MIGLEG_OUT, uri, MIGLEG_UNREACHABLE);
		return ROLE_STAYED;
	}
	rc = qmp_pass_fd(&r->ev, vm, fd, ROLEFD_OUT, bound);
	close(fd);
	if (rc)
		return r->ev.signal ? role_wait_end(r, WAIT_SIGNAL, "during the migration") : EXIT_QEMU;
	vm->resumed = false;
	/* No destination QEMU here: migrate_run waits for this QEMU's own final status. */
	rc = migrate_run(&r->ev, vm, NULL, "fd:" ROLEFD_OUT, err, sizeof(err), bound);
	if (rc == 0) {
		completed(r, vm, uri, t_request, leg);
		return ROLE_MIGRATED;
	}
	if (r->ev.signal)
		return role_wait_end(r, WAIT_SIGNAL, "during the migration");
	if (rc == MIGRATE_DIED) {
		run_say(r, "migration %u ended: %s", r->migrations, err);
		return EXIT_QEMU;
	}
	if (rc == MIGRATE_TIMED_OUT) {
		if (now_ms() >= r->deadline)
			return role_wait_end(r, WAIT_TIMEOUT, "during the migration");
		snprintf(err, sizeof(err), "the migration did not complete within %lds (--link-timeout)",
			 r->link_timeout_s);
		printf("gvmigrate: %s: cancelling it\n", err);
		if (qmp_exec(&r->ev, vm, "migrate_cancel", NULL, NULL, r->deadline))
			return EXIT_QEMU;
		evloop_wait(&r->ev, mig_final, vm, role_bound_ms(r, RESUME_MS));
	}
	snprintf(refusal, size, "%.250s", err);
	printf("gvmigrate: migration %u refused by %s: %s\n", r->migrations, other_half(r), err);
	role_leg_failed(r->migrations, MIGLEG_OUT, uri, rc == MIGRATE_TIMED_OUT ? MIGLEG_CANCELLED : MIGLEG_FAILED);
	rc = resume_here(r, vm);
	return rc ? rc : ROLE_STAYED;
}
