/*
 * rolerecv.c: the receive phase of a --role half (roles.h): a fresh QEMU
 * waits (-incoming) while the half listens; only a connection that proves
 * the --psk key (rolelink.h) is handed to it, others are refused, named
 * and the wait goes on; once the guest runs here its request is
 * acknowledged on this console.  The destination uses it at request 1, a
 * source with --back-listen at request 2, when the guest comes back.
 */
#include "roles.h"
#include "migproto.h"
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* QEMU's name (getfd) for its end of the link. */
#define ROLEFD_IN "gvrole-in"
/* How long a connection may take to say its hello before it is dropped. */
#define HELLO_MS 5000

int role_listen(struct run *r, const char *uri, const char *opt, const char *what)
{
	char actual[300], err[256];

	r->listen_fd = rolelink_listen(uri, actual, sizeof(actual), err, sizeof(err));
	if (r->listen_fd < 0) {
		run_say(r, "%s %s", opt, err);
		return -1;
	}
	/* Reachable by anyone who can reach the address: only the --psk key gets a stream in. */
	printf(MIGROLE_LISTENING " %s for %s\n", actual, what);
	return 0;
}

void role_unlisten(struct run *r)
{
	r->ev.watch_fd = -1;
	r->ev.watch_ready = false;
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	r->listen_fd = -1;
}

/* What accept_source waits for: a connection, or the receiving QEMU's end. */
struct waiting_vm {
	struct run *r;
	struct vm *vm;
};

static bool connected(void *arg)
{
	struct waiting_vm *w = arg;

	return w->r->ev.watch_ready || w->vm->proc.exited;
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
static void refused_connection(struct run *r, const struct vm *vm, const char *peer, const char *why)
{
	printf("gvmigrate: refused a connection from %s: %s\n", peer, why);
	if (!r->foreign[0]) {
		snprintf(r->foreign_name, sizeof(r->foreign_name), "%s", vm->name);
		snprintf(r->foreign, sizeof(r->foreign), "connection from %.60s: %.170s", peer, why);
	}
}

/* Accept until a source proves it holds the key: its socket, or -1 with *rc. */
static int accept_source(struct run *r, struct vm *vm, const char *waiting, struct role_peer *p,
			 char *peer, size_t psize, int *rc)
{
	struct waiting_vm wv = { r, vm };

	for (;;) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		char err[256];
		enum wait_result w = evloop_wait(&r->ev, connected, &wv, r->deadline);
		int fd;

		if (w == WAIT_TIMEOUT) {
			/* The way back names its phase: the half that sent the guest out waits here. */
			printf("gvmigrate: TIMEOUT after %lds %s: no source connected\n", r->timeout_s, waiting);
			snprintf(r->why, sizeof(r->why), "no source connected within %lds%s%s", r->timeout_s,
				 r->role == ROLE_SOURCE ? " " : "", r->role == ROLE_SOURCE ? waiting : "");
			*rc = EXIT_TIMEOUT;
			return -1;
		}
		if (w != WAIT_OK) {
			*rc = role_wait_end(r, w, waiting);
			return -1;
		}
		if (vm->proc.exited) {
			run_say(r, "%s: QEMU ended before a source connected%s%.160s", vm->name,
				vm->first_error[0] ? ": " : "", vm->first_error);
			*rc = EXIT_QEMU;
			return -1;
		}
		r->ev.watch_ready = false;
		fd = accept4(r->listen_fd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			continue;
		peer_name(&sa, len, peer, psize);
		if (!rolelink_challenge(fd, &r->key, p, r->ev.sigfd, role_bound_ms(r, HELLO_MS), err, sizeof(err)))
			return fd;
		if (errno == EINTR) {
			role_take_signal(r);
			close(fd);
			*rc = role_wait_end(r, WAIT_SIGNAL, "while a source connected");
			return -1;
		}
		refused_connection(r, vm, peer, err);
		rolelink_answer(fd, &r->key, p, err);
		close(fd);
	}
}

/*
 * GVMIGRATE_FAULT=kill-destination or stop-destination (the project's own
 * tests): the receiving QEMU is killed (SIGKILL) or made to hang (SIGSTOP)
 * once the stream is coming in.
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

/* The connection is the source's: give it to QEMU, tell the source, wait for the guest.  0 or a status. */
static int take_stream(struct run *r, struct vm *vm, int fd, const struct role_peer *p, const char *peer)
{
	char err[256];
	enum wait_result w;
	int rc;

	rc = qmp_pass_fd(&r->ev, vm, fd, ROLEFD_IN, r->deadline) ||
	     incoming_start(&r->ev, vm, "fd:" ROLEFD_IN, err, sizeof(err), r->deadline);
	if (rc) {
		rolelink_answer(fd, &r->key, p, "the receiving QEMU could not take the connection");
		close(fd);
		return r->ev.signal ? role_wait_end(r, WAIT_SIGNAL, "while the stream started") : EXIT_QEMU;
	}
	rolelink_answer(fd, &r->key, p, NULL);
	close(fd);
	printf("gvmigrate: migration %u (request %u) from %s: the source holds the key; its stream goes to "
	       "the %s's QEMU\n", r->migrations, p->seq, peer, vm->name);
	inject_fault(r, vm);
	/*
	 * The stream is bounded as the sending side bounds it (--link-timeout):
	 * a link that drops leaves the receiving QEMU waiting for bytes that
	 * never come, while the source has cancelled and resumed the guest.
	 */
	w = evloop_wait(&r->ev, run_resumed_or_gone, vm, role_bound_ms(r, r->link_timeout_s * 1000));
	if (w == WAIT_TIMEOUT && now_ms() < r->deadline) {
		run_say(r, "migration %u from %s did not arrive within %lds (--link-timeout): the source keeps "
			"the guest", r->migrations, peer, r->link_timeout_s);
		role_leg_failed(r->migrations, MIGLEG_IN, peer, MIGLEG_STALLED);
		return EXIT_REFUSED;
	}
	if (w != WAIT_OK)
		return role_wait_end(r, w, "while the migration came in");
	if (!vm->resumed || vm->proc.exited) {
		char st[64];

		if (proc_poll_exit(&vm->proc) && WIFSIGNALED(vm->proc.status)) {
			run_say(r, "migration %u from %s ended: %s died (%s)", r->migrations, peer, vm->name,
				proc_status_str(&vm->proc, st, sizeof(st)));
			role_leg_failed(r->migrations, MIGLEG_IN, peer, MIGLEG_DIED);
			return EXIT_QEMU;
		}
		run_say(r, "migration %u from %s refused: the %s's QEMU did not load the stream%s%.160s",
			r->migrations, peer, vm->name, vm->first_error[0] ? ": " : "", vm->first_error);
		role_leg_failed(r->migrations, MIGLEG_IN, peer, MIGLEG_REFUSED);
		return EXIT_REFUSED;
	}
	return 0;
}

int role_receive(struct run *r, struct vm *vm, unsigned int n, const char *name, const char *waiting,
		 struct role_leg *leg)
{
	struct role_peer p;
	char peer[160], phase[96];
	uint64_t t_hello;
	int fd, rc;

	r->ev.watch_fd = r->listen_fd;
	r->ev.watch_ready = false;
	if (run_start_vm(r, vm, name, 0, true)) {
		role_unlisten(r);
		return EXIT_HARNESS;
	}
	snprintf(phase, sizeof(phase), "while the %s's QEMU got ready to receive", name);
	if ((rc = role_prepare(r, vm, phase))) {
		role_unlisten(r);
		return rc;
	}
	fd = accept_source(r, vm, waiting, &p, peer, sizeof(peer), &rc);
	/* One source per listener: whoever connects later finds nothing. */
	role_unlisten(r);
	if (fd < 0)
		return rc;
	r->migrations = n;	/* started: the RESULT line counts it from here */
	t_hello = now_ns();
	if ((rc = take_stream(r, vm, fd, &p, peer)))
		return rc;
	if (run_ack(vm, p.seq))
		return EXIT_QEMU;
	printf("gvmigrate: migration %u: the guest runs on the %s, acknowledged (request %u)\n", r->migrations,
	       vm->name, p.seq);
	*leg = (struct role_leg){ .n = r->migrations, .dir = MIGLEG_IN,
				  .request_ms = (long)((now_ns() - t_hello) / 1000000),
				  .total_ms = -1, .downtime_ms = -1, .setup_ms = -1 };
	snprintf(leg->peer, sizeof(leg->peer), "%s", peer);
	return 0;
}
