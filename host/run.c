/*
 * run.c: the migration loop of gvmigrate (see gvmigrate.c for the model).
 * Phases and their time limits all come from the one run deadline; each
 * failure is reported with the QEMU it concerns and the phase it was in.
 */
#include "gvmigrate.h"
#include "roles.h"
#include "migproto.h"
#include "migtls.h"
#include "tcppair.h"
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

void run_say(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	printf("gvmigrate: %s\n", r->why);
}

/* Keep vm's foreign connection, if any, in the run: its slot is about to be reused. */
static void keep_foreign(struct run *r, const struct vm *vm)
{
	if (vm->foreign[0] && !r->foreign[0]) {
		snprintf(r->foreign_name, sizeof(r->foreign_name), "%s", vm->name);
		snprintf(r->foreign, sizeof(r->foreign), "%s", vm->foreign);
	}
}

bool run_foreign(struct run *r, const char **name, const char **what)
{
	for (int i = 0; i < 3; i++)
		keep_foreign(r, &r->vm[i]);
	*name = r->foreign_name;
	*what = r->foreign;
	return r->foreign[0] != '\0';
}

int run_start_vm(struct run *r, struct vm *vm, const char *name, int cfg, bool incoming)
{
	/* A stream file goes to QEMU over QMP (qmp_stream_file), never at its start. */
	struct proc_opts opts = { .netns = r->netns ? r->ns[cfg] : NULL, .stream_fd = -1 };
	char err[512];

	/* A target that cannot take a state is refused before QEMU runs at all. */
	if (r->save && !incoming && !r->state.path && state_out_open(&r->state, r->save, err, sizeof(err))) {
		run_say(r, "cannot save to %s: %s", r->save, err);
		return -1;
	}
	keep_foreign(r, vm);
	if (vm_start(vm, name, r->config[cfg], r->dir, incoming, &opts)) {
		run_say(r, "%s: cannot start %s: %s", name, r->config[cfg][0], strerror(errno));
		return -1;
	}
	evloop_add(&r->ev, vm);
	return 0;
}

/*
 * The old source is told to go (SIGTERM) but not waited for: the guest runs
 * on the destination meanwhile and its console must be served.  The event
 * loop reaps it; stop_all makes sure at the end.
 */
static void retire_vm(struct vm *vm)
{
	if (vm->proc.pid > 0 && !proc_poll_exit(&vm->proc))
		kill(vm->proc.pid, SIGTERM);
}

static struct vm *free_slot(struct run *r, const struct vm *busy1, const struct vm *busy2)
{
	for (int i = 0; i < 3; i++) {
		struct vm *vm = &r->vm[i];
		if (vm == busy1 || vm == busy2)
			continue;
		if (vm->proc.pid > 0) {
			/* A retired QEMU: its slot is needed now. */
			evloop_del(&r->ev, vm);
			vm_stop(vm);
		}
		return vm;
	}
	return NULL;
}

void stop_all(struct run *r)
{
	for (int i = 0; i < 3; i++)
		if (r->vm[i].proc.pid > 0) {
			evloop_del(&r->ev, &r->vm[i]);
			vm_stop(&r->vm[i]);
		}
}

/* The exit status for a run that ended on a wait that did not succeed. */
int run_wait_failed(struct run *r, enum wait_result w, const char *phase)
{
	if (w == WAIT_SIGNAL) {
		printf("gvmigrate: interrupted (signal %d) %s\n", r->ev.signal, phase);
		return EXIT_INTERRUPTED;
	}
	printf("gvmigrate: TIMEOUT after %lds %s\n", r->timeout_s, phase);
	return EXIT_TIMEOUT;
}

int run_prepare(struct run *r, struct vm *vm)
{
	/* Saving to or restoring from a file: no return path on a file. */
	bool return_path = !r->save && !r->restore;

	if (!vm_qmp_ready(vm) && (qmp_handshake(&r->ev, vm, r->deadline) ||
	    migration_caps(&r->ev, vm, return_path, r->deadline)))
		return r->ev.signal ? EXIT_INTERRUPTED : EXIT_QEMU;
	/*
	 * TCP: only a QEMU of this run may feed a destination (migtls.h).  A
	 * destination that resumed is the next source: the client then.
	 */
	if (!strcmp(r->mode, "tcp") && return_path &&
	    migtls_role(&r->ev, vm, r->dir, vm->incoming && !vm->resumed, r->deadline))
		return r->ev.signal ? EXIT_INTERRUPTED : EXIT_QEMU;
	return 0;
}

int run_ack(struct vm *vm, unsigned int seq)
{
	char line[MIGPROTO_LINE_MAX + 1];

	snprintf(line, sizeof(line), MIGPROTO " " MIGPROTO_ACK " " MIGPROTO_SEQ "%u " MIGPROTO_HOST_NS "%" PRIu64,
		 seq, now_ns());
	if (vm_send_line(vm, line)) {
		printf("gvmigrate: %s: cannot write to the guest's console\n", vm->name);
		return -1;
	}
	return 0;
}

bool run_guest_event(void *arg)
{
	struct vm *vm = arg;

	return vm->request != REQ_NONE || vm->proc.exited;
}

/* The end of the run: the last QEMU's exit and the guest's status line. */
int run_finish(struct run *r, struct vm *vm)
{
	char st[64];

	proc_status_str(&vm->proc, st, sizeof(st));
	if (!WIFEXITED(vm->proc.status) || WEXITSTATUS(vm->proc.status)) {
		run_say(r, "%s: QEMU ended with %s%s%.160s", vm->name, st, vm->first_error[0] ? ": " : "",
			vm->first_error);
		return EXIT_QEMU;
	}
	if (r->expect_refusal) {
		printf("gvmigrate: FAIL: the migration was expected to be refused (/%s/), but "
		       "%u migration(s) succeeded: the incompatibility is gone, update unittests.cfg\n",
		       r->expect_refusal, r->migrations);
		return EXIT_FAIL;
	}
	if (!strcmp(vm->exit_status, "PASS"))
		return EXIT_PASS;
	if (!strcmp(vm->exit_status, "SKIP"))
		return EXIT_SKIP;
	if (!strcmp(vm->exit_status, "FAIL"))
		return EXIT_FAIL;
	run_say(r, "%s: QEMU exited without the guest's status line", vm->name);
	return EXIT_QEMU;
}

/* Every line QEMU wrote to stderr, attributed, each after prefix. */
void run_said(FILE *f, const char *prefix, const struct vm *vm)
{
	for (const char *p = vm->errors; *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		fprintf(f, "%s%s said: %.*s\n", prefix, vm->name, len, p);
		p += len + (nl ? 1 : 0);
	}
}

/*
 * A QEMU ended the migration (killed by a signal, or a destination that
 * never got ready to receive): a QEMU error, not a refusal, so no register
 * diagnosis.  What each QEMU said comes after.
 */
static int qemu_ended(struct run *r, struct vm *src, struct vm *dst, const char *what)
{
	printf("gvmigrate: migration %u ended: %s\n", r->migrations, what);
	run_said(stdout, "gvmigrate: ", src);
	run_said(stdout, "gvmigrate: ", dst);
	snprintf(r->why, sizeof(r->why), "%.*s", (int)sizeof(r->why) - 1, what);
	return EXIT_QEMU_ERROR;
}

/* A refused migration: what QEMU said, the registers behind it, and the verdict. */
static int refused(struct run *r, struct vm *src, struct vm *dst, int src_cfg, const char *err)
{
	char *diag = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&diag, &len);
	int rc;

	/* No destination and a state file: the restore itself (later migrations have one). */
	if (!dst && r->restore)
		fprintf(f, "restoring %s refused: %s\n", r->restore, err);
	else
		fprintf(f, "migration %u refused: %s\n", r->migrations, err);
	run_said(f, "", src);
	if (dst)
		run_said(f, "", dst);
	if (dst)
		diagnose_cpregs(r, src_cfg, 1 - src_cfg, f);
	else if (r->restore)
		diagnose_restore(r, f);
	fclose(f);
	for (char *line = strtok(diag, "\n"); line; line = strtok(NULL, "\n"))
		printf("gvmigrate: %s\n", line);
	if (!r->expect_refusal) {
		rc = EXIT_REFUSED;
	} else {
		/* strtok cut the text into lines: match line by line. */
		bool match = false;
		for (size_t i = 0, start = 0; i <= len; i++)
			if (i == len || diag[i] == '\0') {
				match = match || !regexec(&r->refusal_re, diag + start, 0, NULL, 0);
				start = i + 1;
			}
		if (match) {
			printf("gvmigrate: XFAIL: refused as expected (/%s/)\n", r->expect_refusal);
			rc = EXIT_XFAIL;
		} else {
			printf("gvmigrate: FAIL: refused, but the diagnosis does not match the "
			       "expected /%s/: something else is to blame now\n", r->expect_refusal);
			rc = EXIT_FAIL;
		}
	}
	free(diag);
	return rc;
}

/* A failed save leaves the previous file as it was: the stream went to a temporary file. */
static int save_failed(struct run *r, int rc)
{
	state_out_abort(&r->state);
	printf("gvmigrate: the state was not saved; %s is as it was before the run\n", r->save);
	return rc;
}

static int save_state(struct run *r, struct vm *src, unsigned int seq)
{
	struct mig_stats st;
	char err[512], uri[128], self[64];
	int rc, wfd;

	if (state_out_begin(&r->state, seq, err, sizeof(err))) {
		run_say(r, "cannot save to %s: %s", r->save, err);
		return save_failed(r, EXIT_HARNESS);
	}
	/*
	 * QEMU takes a write-only descriptor for a file: URI (it opens the fd
	 * set's member with the mode it writes in); the file's own stays
	 * read-write for the check at the end.  Its position is the stream's
	 * start, as fd: needs.
	 */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", r->state.fd);
	wfd = open(self, O_WRONLY | O_CLOEXEC);
	if (wfd >= 0 && lseek(wfd, (off_t)r->state.header_len, SEEK_SET) < 0) {
		close(wfd);
		wfd = -1;
	}
	rc = qmp_stream_file(&r->ev, src, wfd >= 0 ? wfd : r->state.fd, "gvstate",
			     (long long)r->state.header_len, uri, sizeof(uri), r->deadline);
	if (wfd >= 0)
		close(wfd);
	if (rc)
		return save_failed(r, EXIT_HARNESS);
	rc = migrate_run(&r->ev, src, NULL, uri, err, sizeof(err), r->deadline);
	if (rc == MIGRATE_TIMED_OUT)
		return save_failed(r, run_wait_failed(r, WAIT_TIMEOUT, "while saving the state"));
	if (rc) {
		/*
		 * A full disk fails QEMU's writes like a refusal fails its
		 * save; it is the host's fault, so asked before the refusal.
		 */
		int full = r->ev.signal ? 0 : state_out_no_room(&r->state);

		state_out_abort(&r->state);
		if (full) {
			printf("gvmigrate: %s\n", err);	/* QEMU's side: "source: ..." */
			run_say(r, "cannot save: %s (%s) writing %s", strerror(full), strerrorname_np(full),
				r->save);
			return save_failed(r, EXIT_HARNESS);
		}
		rc = r->ev.signal ? run_wait_failed(r, WAIT_SIGNAL, "while saving the state") :
		     refused(r, src, NULL, 0, err);
		return save_failed(r, rc);
	}
	if (state_out_commit(&r->state, seq, err, sizeof(err))) {
		run_say(r, "cannot save to %s: %s", r->save, err);
		return save_failed(r, EXIT_HARNESS);
	}
	migrate_stats(&r->ev, src, &st, r->deadline);
	/* gvmigrate cannot know who called it: both ways to continue, arm/run's first. */
	printf("gvmigrate: state saved to %s at the guest's request %u (QEMU: %ld ms); to continue, "
	       "the same command with RESTORE_STATE=%s instead of SAVE_STATE (arm/run), or --restore %s "
	       "instead of --save (gvmigrate), with the same QEMU, -machine and -cpu\n", r->save, seq,
	       st.total_ms, r->save, r->save);
	return EXIT_PASS;
}

/* QEMU's names (getfd) of the two ends of a same-host tcp migration's connection. */
#define MIGFD_DESTINATION "gvmig-in"
#define MIGFD_SOURCE "gvmig-out"

/* Start the destination configuration from a saved state. */
static int restore_state(struct run *r, struct vm *vm, unsigned int *seq)
{
	char actual[128], err[512], uri[128];
	/* Checked before QEMU starts: QEMU would wait on a FIFO and take any seq. */
	int fd = state_in_open(r->restore, seq, err, sizeof(err)), rc;

	if (fd < 0) {
		run_say(r, "cannot restore from %s: %s", r->restore, err);
		return EXIT_HARNESS;
	}
	if (run_start_vm(r, vm, "restored", 1, true)) {
		close(fd);
		return EXIT_HARNESS;
	}
	/* The descriptor is read-only and positioned at the stream (fd: reads from there). */
	rc = run_prepare(r, vm) ||
	     qmp_stream_file(&r->ev, vm, fd, "gvstate", (long long)lseek(fd, 0, SEEK_CUR), uri,
			     sizeof(uri), r->deadline) ||
	     incoming_start(&r->ev, vm, uri, actual, sizeof(actual), r->deadline);
	close(fd);
	if (rc)
		return r->ev.signal ? EXIT_INTERRUPTED : EXIT_QEMU;
	return 0;
}

bool run_resumed_or_gone(void *arg)
{
	struct vm *vm = arg;

	return vm->resumed || vm->proc.exited || !strcmp(vm->mig_status, "failed");
}

/*
 * tcp on this host: the destination gets its end of a connection the
 * harness made (tcppair.h: QEMU never listens on a port that any local
 * process could take first); the source gets the other end when the
 * migration starts (migrate_to).  Returns 0, or an exit status.
 */
static int ready_pair(struct run *r, struct vm *next)
{
	static bool injected;	/* the fault comes once: at destination 1 */
	const char *fault = getenv("GVMIGRATE_FAULT");
	bool intrude = !injected && fault && !strcmp(fault, "foreign-connect");
	struct tcp_pair p;
	char err[256];
	int rc;

	if (intrude) {
		injected = true;
		printf("gvmigrate: injecting fault '%s' (GVMIGRATE_FAULT)\n", fault);
	}
	if (tcp_pair_make(&p, r->deadline, intrude, err, sizeof(err))) {
		run_say(r, "%s: %s", next->name, err);
		return EXIT_HARNESS;
	}
	if (p.foreign && !next->foreign[0])
		snprintf(next->foreign, sizeof(next->foreign), "%u connection%s from %s before the source's, "
			 "closed unread", p.foreign, p.foreign == 1 ? "" : "s", p.foreign_peer);
	rc = qmp_pass_fd(&r->ev, next, p.dst_fd, MIGFD_DESTINATION, r->deadline) ||
	     incoming_start(&r->ev, next, "fd:" MIGFD_DESTINATION, next->listening,
			    sizeof(next->listening), r->deadline);
	close(p.dst_fd);
	if (rc) {
		close(p.src_fd);
		next->listening[0] = '\0';
		return r->ev.signal ? EXIT_INTERRUPTED : EXIT_QEMU;
	}
	next->src_end = p.src_fd;
	snprintf(next->listening, sizeof(next->listening), "fd:" MIGFD_SOURCE);
	return 0;
}

/*
 * Get the next destination ready while the guest still works: monitor,
 * capabilities, listening.  Returns 0, or an exit status.
 */
static int ready_destination(struct run *r, struct vm *next, int next_cfg)
{
	char uri[256];
	int rc;

	if (next->listening[0])
		return 0;
	if ((rc = run_prepare(r, next)))
		return rc;
	if (!strcmp(r->mode, "unix"))
		snprintf(uri, sizeof(uri), "unix:%s/migration%u.sock", r->dir, r->migrations + 1);
	else if (r->netns)	/* a port in a namespace of the run: only root can enter it */
		snprintf(uri, sizeof(uri), "tcp:%s:0", r->addr[next_cfg]);
	else
		return ready_pair(r, next);
	if (incoming_start(&r->ev, next, uri, next->listening, sizeof(next->listening), r->deadline))
		return r->ev.signal ? EXIT_INTERRUPTED : EXIT_QEMU;
	return 0;
}

static int migrate_to(struct run *r, struct vm *cur, struct vm *next, int cur_cfg, unsigned int seq)
{
	char err[512];
	struct mig_stats st;
	uint64_t t0 = now_ns(), t1;
	int rc;

	if ((rc = run_prepare(r, cur)))
		return rc;
	if ((rc = ready_destination(r, next, 1 - cur_cfg))) {
		char what[RUN_WHY_MAX];

		snprintf(what, sizeof(what), "%s did not get ready to receive%s%.160s", next->name,
			 next->first_error[0] ? ": " : "", next->first_error);
		return rc == EXIT_INTERRUPTED || rc == EXIT_HARNESS ? rc : qemu_ended(r, cur, next, what);
	}
	/* tcp on this host: the source's end of the connection the destination waits on. */
	if (next->src_end >= 0) {
		rc = qmp_pass_fd(&r->ev, cur, next->src_end, MIGFD_SOURCE, r->deadline);
		close(next->src_end);
		next->src_end = -1;
		if (rc)
			return r->ev.signal ? EXIT_INTERRUPTED : EXIT_QEMU;
	}
	rc = migrate_run(&r->ev, cur, next, next->listening, err, sizeof(err), r->deadline);
	if (rc == MIGRATE_TIMED_OUT)
		return run_wait_failed(r, WAIT_TIMEOUT, "during the migration");
	if (rc == MIGRATE_DIED)
		return qemu_ended(r, cur, next, err);
	if (rc)
		return r->ev.signal ? run_wait_failed(r, WAIT_SIGNAL, "during the migration") :
		       refused(r, cur, next, cur_cfg, err);
	/* The guest first, the statistics after. */
	if (run_ack(next, seq))
		return EXIT_QEMU;
	t1 = now_ns();
	migrate_stats(&r->ev, cur, &st, now_ms() + 5000 < r->deadline ? now_ms() + 5000 : r->deadline);
	printf("gvmigrate: migration %u (%s%s): %s -> %s, %.1f ms from request to ack; ", r->migrations,
	       r->mode, r->netns ? ", network namespaces" : "", cur->name, next->name, (t1 - t0) / 1e6);
	/* QEMU 7.2 reports zeros for a QEMU that was itself a destination before. */
	if (st.total_ms > 0)
		printf("QEMU: total %ld ms, downtime %ld ms, setup %ld ms\n", st.total_ms,
		       st.downtime_ms, st.setup_ms);
	else
		printf("QEMU: no figures\n");
	/* The same figures for programs (tables/migproto.h's LEG line); PEER: the mode. */
	{
		struct role_leg leg = { .n = r->migrations, .dir = MIGLEG_OUT,
					.request_ms = (long)((t1 - t0) / 1000000),
					.total_ms = st.total_ms > 0 ? st.total_ms : -1,
					.downtime_ms = st.total_ms > 0 ? st.downtime_ms : -1,
					.setup_ms = st.total_ms > 0 ? st.setup_ms : -1 };

		snprintf(leg.peer, sizeof(leg.peer), "%s", r->mode);
		role_leg_line(&leg);
	}
	return 0;
}

int run_migrations(struct run *r)
{
	struct vm *cur = &r->vm[0], *next = NULL;
	int cur_cfg = 0, rc;
	unsigned int seq;
	char name[32];

	if (r->restore) {
		if ((rc = restore_state(r, cur, &seq)))
			return rc;
		cur_cfg = 1;
		if ((rc = evloop_wait(&r->ev, run_resumed_or_gone, cur, r->deadline)))
			return run_wait_failed(r, rc, "while the saved state loaded");
		if (!cur->resumed)
			return refused(r, cur, NULL, 1, "the saved state did not load");
		printf("gvmigrate: %s: state loaded from %s\n", cur->name, r->restore);
		if (run_ack(cur, seq))
			return EXIT_QEMU;
	} else if (run_start_vm(r, cur, "source", 0, false)) {
		return EXIT_HARNESS;
	}
	for (;;) {
		enum wait_result w;

		/* Start the next destination ahead: it boots while the guest works. */
		if (!next && !r->save) {
			next = free_slot(r, cur, NULL);
			snprintf(name, sizeof(name), "destination %u", r->migrations + 1);
			if (run_start_vm(r, next, name, 1 - cur_cfg, true))
				return EXIT_HARNESS;
			/* A failure here is reported when the guest asks to migrate. */
			if (ready_destination(r, next, 1 - cur_cfg) == EXIT_INTERRUPTED)
				return run_wait_failed(r, WAIT_SIGNAL, "while the destination started");
		}
		w = evloop_wait(&r->ev, run_guest_event, cur, r->deadline);
		if (w != WAIT_OK)
			return run_wait_failed(r, w, r->migrations ? "after the last migration: the guest "
				"neither finished nor asked again" : "before the guest asked for a migration");
		if (cur->proc.exited && cur->request == REQ_NONE)
			return run_finish(r, cur);
		seq = cur->request_seq;
		switch (cur->request) {
		case REQ_CLOCK:
			cur->request = REQ_NONE;
			if (run_ack(cur, seq))
				return EXIT_QEMU;
			continue;
		case REQ_SKIP:
			cur->request = REQ_NONE;
			printf("gvmigrate: the guest will not ask for a migration\n");
			continue;
		case REQ_MIGRATE:
			break;
		case REQ_NONE:
			continue;
		}
		cur->request = REQ_NONE;
		r->migrations++;
		if (r->save) {
			if ((rc = run_prepare(r, cur)))
				return rc;
			return save_state(r, cur, seq);
		}
		if ((rc = migrate_to(r, cur, next, cur_cfg, seq)))
			return rc;
		retire_vm(cur);
		cur = next;
		next = NULL;
		cur_cfg = 1 - cur_cfg;
	}
}
