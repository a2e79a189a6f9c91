/*
 * roles.c: gvmigrate --role source and --role destination, the two halves
 * of a live migration between two machines (two emulated hosts of the
 * kernel matrix), each with its one QEMU.
 *
 * The source runs the guest; at its migration request it authenticates to
 * the destination (rolelink.h: the --psk key, and which request to
 * acknowledge) and hands its QEMU the connection.  The destination's
 * QEMU takes over, the destination acknowledges the request on its
 * console and runs the guest to its end: the guest compares its view
 * before and after itself (the "before" travels in its memory), so
 * nothing else passes between the halves.  A migration the destination
 * refuses, or that dies or hangs there, leaves the guest running on the
 * source: it is acknowledged there and finishes its test, and the verdict
 * says so (a refused upgrade must not kill the workload).
 */
#include "gvmigrate.h"
#include "migproto.h"
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* QEMU's names (getfd) for its end of the link. */
#define ROLEFD_SOURCE "gvrole-out"
#define ROLEFD_DESTINATION "gvrole-in"
/* How long a connection may take to say its hello before the destination drops it. */
#define HELLO_MS 5000
/* After a failed migration, how long the source's QEMU may take to resume the guest itself. */
#define RESUME_MS 5000

static uint64_t bound_ms(const struct run *r, long ms)
{
	uint64_t b = now_ms() + (uint64_t)ms;

	return b < r->deadline ? b : r->deadline;
}

/* A signal that rolelink saw on the signalfd: take it, as the event loop would. */
static void take_signal(struct run *r)
{
	struct signalfd_siginfo si;

	if (read(r->ev.sigfd, &si, sizeof(si)) == sizeof(si))
		r->ev.signal = (int)si.ssi_signo;
}

/* A wait that failed: said by run_wait_failed, and the RESULT line's reason. */
static int wait_end(struct run *r, enum wait_result w, const char *phase)
{
	int rc = run_wait_failed(r, w, phase);

	snprintf(r->why, sizeof(r->why), "%s %s", w == WAIT_SIGNAL ? "interrupted" : "no end in time", phase);
	return rc;
}

/* "PASSED", "FAILED", "SKIPPED": the guest's verdict in a sentence. */
static const char *verdict_done(int rc)
{
	return rc == EXIT_PASS ? "PASSED" : rc == EXIT_FAIL ? "FAILED" : "SKIPPED";
}

/*
 * run_prepare for a role: QMP steps that ran out of the run's time are the
 * run's TIMEOUT, not QEMU's error (a slow start under load); either, and a
 * signal, say the phase on the RESULT line.
 */
static int prepare(struct run *r, struct vm *vm, const char *phase)
{
	int rc = run_prepare(r, vm);

	if (rc == EXIT_QEMU && now_ms() >= r->deadline)
		return wait_end(r, WAIT_TIMEOUT, phase);
	if (rc == EXIT_INTERRUPTED)
		return wait_end(r, WAIT_SIGNAL, phase);
	return rc;
}

/* ---- source ---- */

enum { MIGRATED = 1000, STAYED };	/* source_migrate's outcomes besides an exit status */

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
 * The migration failed: the guest must run on the source again.  A guest
 * that was stopped for the last round is resumed by QEMU itself (a RESUME
 * event); if that does not come within RESUME_MS, the harness asks for it
 * (cont).  0, or an exit status.
 */
static int resume_source(struct run *r, struct vm *vm)
{
	char status[32];

	if (run_state(r, vm, status, sizeof(status)))
		return r->ev.signal ? wait_end(r, WAIT_SIGNAL, "while the guest resumed on the source") : EXIT_QEMU;
	if (!strcmp(status, "running")) {
		printf("gvmigrate: the guest runs on the source again (QEMU status running%s)\n",
		       vm->resumed ? ", resumed by QEMU" : "");
		return 0;
	}
	evloop_wait(&r->ev, resumed, vm, bound_ms(r, RESUME_MS));
	if (r->ev.signal)
		return wait_end(r, WAIT_SIGNAL, "while the guest resumed on the source");
	if (vm->proc.exited) {
		run_say(r, "source: QEMU ended after the failed migration%s%.160s", vm->first_error[0] ? ": " : "",
			vm->first_error);
		return EXIT_QEMU;
	}
	if (vm->resumed) {
		printf("gvmigrate: the guest runs on the source again (QEMU resumed it from '%s')\n", status);
		return 0;
	}
	if (qmp_exec(&r->ev, vm, "cont", NULL, NULL, r->deadline))
		return EXIT_QEMU;
	printf("gvmigrate: the guest was '%s' on the source after the failed migration; resumed it (cont)\n",
	       status);
	return 0;
}

/*
 * Migration r->migrations, the guest's request seq: MIGRATED, STAYED (the
 * guest runs on the source, why in refusal), or an exit status.
 */
static int source_migrate(struct run *r, struct vm *vm, unsigned int seq, char *refusal, size_t size)
{
	uint64_t bound = bound_ms(r, r->link_timeout_s * 1000), t0 = now_ns();
	char err[512];
	struct mig_stats st;
	int fd, rc;

	if ((rc = prepare(r, vm, "while the source's QEMU got ready to migrate")))
		return rc;
	printf("gvmigrate: migration %u (request %u): connecting to %s\n", r->migrations, seq, r->role_uri);
	fd = rolelink_connect(r->role_uri, &r->key, seq, r->ev.sigfd, bound, err, sizeof(err));
	if (fd < 0) {
		if (errno == EINTR) {
			take_signal(r);
			return wait_end(r, WAIT_SIGNAL, "while connecting to the destination");
		}
		/* The guest never stopped: it is still running on the source. */
		snprintf(refusal, size, "%.250s", err);
		printf("gvmigrate: migration %u refused by the destination: %s\n", r->migrations, err);
		return STAYED;
	}
	rc = qmp_pass_fd(&r->ev, vm, fd, ROLEFD_SOURCE, bound);
	close(fd);
	if (rc)
		return r->ev.signal ? wait_end(r, WAIT_SIGNAL, "during the migration") : EXIT_QEMU;
	vm->resumed = false;
	rc = migrate_run(&r->ev, vm, NULL, "fd:" ROLEFD_SOURCE, err, sizeof(err), bound);
	if (rc == 0) {
		uint64_t t1 = now_ns();

		migrate_stats(&r->ev, vm, &st, bound_ms(r, 5000));
		printf("gvmigrate: migration %u (tcp, to another machine): source -> %s, %.1f ms from request "
		       "to completion; ", r->migrations, r->role_uri, (t1 - t0) / 1e6);
		if (st.total_ms > 0)
			printf("QEMU: total %ld ms, downtime %ld ms, setup %ld ms\n", st.total_ms,
			       st.downtime_ms, st.setup_ms);
		else
			printf("QEMU: no figures\n");
		snprintf(r->why, sizeof(r->why), "migration %u to %s completed: the destination runs the guest "
			 "and reports its verdict", r->migrations, r->role_uri);
		return MIGRATED;
	}
	if (r->ev.signal)
		return wait_end(r, WAIT_SIGNAL, "during the migration");
	if (rc == MIGRATE_DIED) {
		run_say(r, "migration %u ended: %s", r->migrations, err);
		return EXIT_QEMU;
	}
	if (rc == MIGRATE_TIMED_OUT) {
		if (now_ms() >= r->deadline)
			return wait_end(r, WAIT_TIMEOUT, "during the migration");
		snprintf(err, sizeof(err), "the migration did not complete within %lds (--link-timeout)",
			 r->link_timeout_s);
		printf("gvmigrate: %s: cancelling it\n", err);
		if (qmp_exec(&r->ev, vm, "migrate_cancel", NULL, NULL, r->deadline))
			return EXIT_QEMU;
		evloop_wait(&r->ev, mig_final, vm, bound_ms(r, RESUME_MS));
	}
	snprintf(refusal, size, "%.250s", err);
	printf("gvmigrate: migration %u refused by the destination: %s\n", r->migrations, err);
	rc = resume_source(r, vm);
	return rc ? rc : STAYED;
}

int role_source(struct run *r)
{
	struct vm *vm = &r->vm[0];
	char refusal[RUN_WHY_MAX] = "";
	int rc;

	if (run_start_vm(r, vm, "source", 0, false))
		return EXIT_HARNESS;
	for (;;) {
		enum wait_result w = evloop_wait(&r->ev, run_guest_event, vm, r->deadline);
		unsigned int seq;

		if (w != WAIT_OK)
			return wait_end(r, w, refusal[0] ? "after the guest resumed on the source" :
					"before the guest asked for a migration");
		if (vm->proc.exited && vm->request == REQ_NONE)
			break;
		seq = vm->request_seq;
		switch (vm->request) {
		case REQ_NONE:
			continue;
		case REQ_CLOCK:
			vm->request = REQ_NONE;
			if (run_ack(vm, seq))
				return EXIT_QEMU;
			continue;
		case REQ_SKIP:
			vm->request = REQ_NONE;
			printf("gvmigrate: the guest will not ask for a migration\n");
			continue;
		case REQ_MIGRATE:
			break;
		}
		vm->request = REQ_NONE;
		if (refusal[0]) {
			/* One try per run: the guest keeps its workload going here. */
			printf("gvmigrate: the guest asked again (request %u); migration %u was refused, so it "
			       "stays on the source\n", seq, r->migrations);
		} else {
			r->migrations++;
			rc = source_migrate(r, vm, seq, refusal, sizeof(refusal));
			if (rc == MIGRATED)
				return EXIT_PASS;
			if (rc != STAYED)
				return rc;
		}
		/* The ack on the source: the guest compares its view here and carries on. */
		if (run_ack(vm, seq))
			return EXIT_QEMU;
	}
	rc = run_finish(r, vm);
	if (!refusal[0] || (rc != EXIT_PASS && rc != EXIT_FAIL && rc != EXIT_SKIP))
		return rc;
	run_say(r, "migration %u refused by the destination (%.300s); the guest resumed on the source and %s",
		r->migrations, refusal, verdict_done(rc));
	return EXIT_REFUSED;
}

/* ---- destination ---- */

static bool connected(void *arg)
{
	struct run *r = arg;

	return r->ev.watch_ready || r->vm[0].proc.exited;
}

/* "127.0.0.1:PORT" of an accepted connection. */
static void peer_name(const struct sockaddr_storage *sa, socklen_t len, char *out, size_t size)
{
	char host[128], port[16];

	if (getnameinfo((const struct sockaddr *)sa, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(out, size, "an unknown peer");
	else
		snprintf(out, size, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
}

/* Kept for the report and the RESULT line (gvmigrate.c's print_result names it). */
static void refused_connection(struct run *r, const char *peer, const char *why)
{
	printf("gvmigrate: refused a connection from %s: %s\n", peer, why);
	if (!r->foreign[0]) {
		snprintf(r->foreign_name, sizeof(r->foreign_name), "destination");
		snprintf(r->foreign, sizeof(r->foreign), "connection from %.60s: %.170s", peer, why);
	}
}

/* Accept until a source proves it holds the key: its socket, or -1 with *rc. */
static int accept_source(struct run *r, struct role_peer *p, char *peer, size_t psize, int *rc)
{
	struct vm *vm = &r->vm[0];

	for (;;) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		char err[256];
		enum wait_result w = evloop_wait(&r->ev, connected, r, r->deadline);
		int fd;

		if (w == WAIT_TIMEOUT) {
			printf("gvmigrate: TIMEOUT after %lds: no source connected\n", r->timeout_s);
			snprintf(r->why, sizeof(r->why), "no source connected within %lds", r->timeout_s);
			*rc = EXIT_TIMEOUT;
			return -1;
		}
		if (w != WAIT_OK) {
			*rc = wait_end(r, w, "while waiting for a source");
			return -1;
		}
		if (vm->proc.exited) {
			run_say(r, "destination: QEMU ended before a source connected%s%.160s",
				vm->first_error[0] ? ": " : "", vm->first_error);
			*rc = EXIT_QEMU;
			return -1;
		}
		r->ev.watch_ready = false;
		fd = accept4(r->listen_fd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			continue;
		peer_name(&sa, len, peer, psize);
		if (!rolelink_challenge(fd, &r->key, p, r->ev.sigfd, bound_ms(r, HELLO_MS), err, sizeof(err)))
			return fd;
		if (errno == EINTR) {
			take_signal(r);
			close(fd);
			*rc = wait_end(r, WAIT_SIGNAL, "while a source connected");
			return -1;
		}
		refused_connection(r, peer, err);
		rolelink_answer(fd, &r->key, p, err);
		close(fd);
	}
}

/*
 * GVMIGRATE_FAULT=kill-destination or stop-destination (the project's own
 * tests): the destination's QEMU is killed (SIGKILL) or made to hang
 * (SIGSTOP) once the stream is coming in.
 */
static bool incoming_or_gone(void *arg)
{
	struct vm *vm = arg;

	return run_resumed_or_gone(vm) || !strcmp(vm->mig_status, "active");
}

static void inject_fault(struct run *r, struct vm *vm)
{
	const char *fault = getenv("GVMIGRATE_FAULT");

	if (!fault || (strcmp(fault, "kill-destination") && strcmp(fault, "stop-destination")))
		return;
	evloop_wait(&r->ev, incoming_or_gone, vm, r->deadline);
	if (strcmp(vm->mig_status, "active"))
		return;
	printf("gvmigrate: injecting fault '%s' (GVMIGRATE_FAULT)\n", fault);
	kill(vm->proc.pid, strcmp(fault, "kill-destination") ? SIGSTOP : SIGKILL);
}

int role_destination(struct run *r)
{
	struct vm *vm = &r->vm[0];
	struct role_peer p;
	char actual[300], peer[160], err[256];
	enum wait_result w;
	int fd, rc;

	r->listen_fd = rolelink_listen(r->role_uri, actual, sizeof(actual), err, sizeof(err));
	if (r->listen_fd < 0) {
		run_say(r, "--listen %s", err);
		return EXIT_HARNESS;
	}
	/* Reachable by anyone who can reach the address: only the --psk key gets a stream in. */
	printf("gvmigrate: listening on %s for one source that holds the --psk key\n", actual);
	r->ev.watch_fd = r->listen_fd;
	if (run_start_vm(r, vm, "destination", 0, true))
		return EXIT_HARNESS;
	if ((rc = prepare(r, vm, "while the destination's QEMU got ready to receive")))
		return rc;
	fd = accept_source(r, &p, peer, sizeof(peer), &rc);
	if (fd < 0)
		return rc;
	r->ev.watch_fd = -1;
	close(r->listen_fd);
	r->listen_fd = -1;
	r->migrations = 1;
	rc = qmp_pass_fd(&r->ev, vm, fd, ROLEFD_DESTINATION, r->deadline) ||
	     incoming_start(&r->ev, vm, "fd:" ROLEFD_DESTINATION, err, sizeof(err), r->deadline);
	if (rc) {
		rolelink_answer(fd, &r->key, &p, "the destination's QEMU could not take the connection");
		close(fd);
		return r->ev.signal ? wait_end(r, WAIT_SIGNAL, "while the stream started") : EXIT_QEMU;
	}
	rolelink_answer(fd, &r->key, &p, NULL);
	close(fd);
	printf("gvmigrate: migration 1 (request %u) from %s: the source holds the key; its stream goes to "
	       "the destination's QEMU\n", p.seq, peer);
	inject_fault(r, vm);
	w = evloop_wait(&r->ev, run_resumed_or_gone, vm, r->deadline);
	if (w != WAIT_OK)
		return wait_end(r, w, "while the migration came in");
	if (!vm->resumed || vm->proc.exited) {
		char st[64];

		if (proc_poll_exit(&vm->proc) && WIFSIGNALED(vm->proc.status)) {
			run_say(r, "migration 1 from %s ended: destination died (%s)", peer,
				proc_status_str(&vm->proc, st, sizeof(st)));
			return EXIT_QEMU;
		}
		run_say(r, "migration 1 from %s refused: the destination's QEMU did not load the stream%s%.160s",
			peer, vm->first_error[0] ? ": " : "", vm->first_error);
		return EXIT_REFUSED;
	}
	if (run_ack(vm, p.seq))
		return EXIT_QEMU;
	printf("gvmigrate: migration 1: the guest runs on the destination, acknowledged (request %u)\n", p.seq);
	for (;;) {
		w = evloop_wait(&r->ev, run_guest_event, vm, r->deadline);
		if (w != WAIT_OK)
			return wait_end(r, w, "after the migration: the guest neither finished nor asked again");
		if (vm->proc.exited && vm->request == REQ_NONE)
			break;
		if (vm->request == REQ_CLOCK || vm->request == REQ_SKIP) {
			bool clock = vm->request == REQ_CLOCK;

			vm->request = REQ_NONE;
			if (clock && run_ack(vm, vm->request_seq))
				return EXIT_QEMU;
		} else if (vm->request == REQ_MIGRATE) {
			run_say(r, "the guest asked for another migration (request %u): a --role destination "
				"takes one", vm->request_seq);
			return EXIT_HARNESS;
		}
	}
	rc = run_finish(r, vm);
	if (rc == EXIT_PASS || rc == EXIT_FAIL || rc == EXIT_SKIP)
		run_say(r, "migration 1 from %s received; the guest %s on the destination", peer,
			verdict_done(rc));
	return rc;
}
