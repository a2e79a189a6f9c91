/* migrate_ops.c: see migrate_ops.h. */
#include "migrate_ops.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct answer_wait {
	struct vm *vm;
	int id;
};

static bool answered(void *arg)
{
	struct answer_wait *w = arg;

	return qmp_response(&w->vm->qmp, w->id) || w->vm->qmp.fd < 0 || w->vm->proc.exited;
}

static const char *wait_name(enum wait_result r)
{
	return r == WAIT_TIMEOUT ? "timed out" : "was interrupted";
}

/*
 * Run cmd and wait for its answer, saying nothing: 0 with *ret (if given) a
 * new reference to "return", or -1 with why (", got no answer: QEMU
 * exited", ...) for the caller to say or not.
 */
static int qmp_call(struct evloop *ev, struct vm *vm, const char *cmd, json_object *args,
		    json_object **ret, uint64_t deadline, char *why, size_t whysize)
{
	struct answer_wait w = { vm, qmp_send(&vm->qmp, cmd, args) };
	const struct qmp_answer *a;
	enum wait_result r;

	if (w.id < 0) {
		snprintf(why, whysize, "cannot send QMP %s (monitor gone)", cmd);
		return -1;
	}
	r = evloop_wait(ev, answered, &w, deadline);
	a = qmp_response(&vm->qmp, w.id);
	if (r != WAIT_OK || !a)
		snprintf(why, whysize, "QMP %s %s", cmd, r != WAIT_OK ? wait_name(r) : "got no answer: QEMU exited");
	else if (a->is_error)
		snprintf(why, whysize, "QMP %s failed: %s", cmd, qmp_error_desc(a));
	else if (ret)
		*ret = json_object_get(a->ret);
	qmp_forget(&vm->qmp, w.id);
	return r == WAIT_OK && a && !a->is_error ? 0 : -1;
}

int qmp_exec(struct evloop *ev, struct vm *vm, const char *cmd, json_object *args,
	     json_object **ret, uint64_t deadline)
{
	char why[256];

	if (qmp_call(ev, vm, cmd, args, ret, deadline, why, sizeof(why)) == 0)
		return 0;
	printf("gvmigrate: %s: %s\n", vm->name, why);
	return -1;
}

static bool greeted(void *arg)
{
	struct vm *vm = arg;

	return vm->qmp.greeted || vm->proc.exited || (vm->proc.out_fd < 0 && vm->qmp.fd < 0);
}

int qmp_handshake(struct evloop *ev, struct vm *vm, uint64_t deadline)
{
	enum wait_result r = evloop_wait(ev, greeted, vm, deadline);

	if (r != WAIT_OK || !vm->qmp.greeted) {
		char st[64];
		printf("gvmigrate: %s: QEMU %s before its monitor was up (%s)%s%s\n", vm->name,
		       r != WAIT_OK ? wait_name(r) : "ended", proc_status_str(&vm->proc, st, sizeof(st)),
		       vm->first_error[0] ? ": " : "", vm->first_error);
		return -1;
	}
	if (qmp_exec(ev, vm, "qmp_capabilities", NULL, NULL, deadline))
		return -1;
	vm->qmp.capable = true;
	return 0;
}

int migration_caps(struct evloop *ev, struct vm *vm, bool return_path, uint64_t deadline)
{
	/* events: MIGRATION state events; return-path: the source learns of a destination failure. */
	static const char *const caps[] = { "events", "return-path" };
	json_object *list = json_object_new_array(), *args = json_object_new_object();

	for (unsigned int i = 0; i < (return_path ? 2u : 1u); i++) {
		json_object *c = json_object_new_object();
		json_object_object_add(c, "capability", json_object_new_string(caps[i]));
		json_object_object_add(c, "state", json_object_new_boolean(1));
		json_object_array_add(list, c);
	}
	json_object_object_add(args, "capabilities", list);
	return qmp_exec(ev, vm, "migrate-set-capabilities", args, NULL, deadline);
}

int incoming_start(struct evloop *ev, struct vm *dst, const char *uri, char *actual,
		   size_t size, uint64_t deadline)
{
	json_object *args = json_object_new_object(), *ret = NULL, *addrs, *a0, *host, *port;

	json_object_object_add(args, "uri", json_object_new_string(uri));
	if (qmp_exec(ev, dst, "migrate-incoming", args, NULL, deadline))
		return -1;
	snprintf(actual, size, "%s", uri);
	if (strncmp(uri, "tcp:", 4))
		return 0;
	/* A tcp port 0 lets QEMU choose a free port; query-migrate says which. */
	if (qmp_exec(ev, dst, "query-migrate", NULL, &ret, deadline))
		return -1;
	if (json_object_object_get_ex(ret, "socket-address", &addrs) &&
	    (a0 = json_object_array_get_idx(addrs, 0)) &&
	    json_object_object_get_ex(a0, "host", &host) && json_object_object_get_ex(a0, "port", &port))
		snprintf(actual, size, "tcp:%s:%s", json_object_get_string(host),
			 json_object_get_string(port));
	json_object_put(ret);
	return 0;
}

/*
 * Run a QMP command that takes a file descriptor from the message carrying
 * it (SCM_RIGHTS: getfd, add-fd).  args is the JSON text of its arguments.
 * On success *ret (if given) holds a new reference to "return".
 */
static int exec_with_fd(struct evloop *ev, struct vm *vm, int fd, const char *cmd, const char *args,
			json_object **ret, uint64_t deadline)
{
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	char text[256];
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	int id = vm->qmp.next_id++;
	struct answer_wait w = { vm, id };
	const struct qmp_answer *a;

	snprintf(text, sizeof(text), "{\"execute\":\"%s\",\"arguments\":%s,\"id\":%d}\n", cmd, args, id);
	iov = (struct iovec){ text, strlen(text) };
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	for (int i = 0; i < QMP_MAX_PENDING; i++)
		if (!vm->qmp.answers[i].id) {
			vm->qmp.answers[i] = (struct qmp_answer){ .id = id };
			break;
		}
	if (sendmsg(vm->qmp.fd, &msg, 0) != (ssize_t)strlen(text)) {
		printf("gvmigrate: %s: cannot pass the stream file to QEMU\n", vm->name);
		return -1;
	}
	if (evloop_wait(ev, answered, &w, deadline) != WAIT_OK || !(a = qmp_response(&vm->qmp, id)) ||
	    a->is_error) {
		printf("gvmigrate: %s: QMP %s failed\n", vm->name, cmd);
		qmp_forget(&vm->qmp, id);
		return -1;
	}
	if (ret)
		*ret = json_object_get(a->ret);
	qmp_forget(&vm->qmp, id);
	return 0;
}

int qmp_pass_fd(struct evloop *ev, struct vm *vm, int fd, const char *name, uint64_t deadline)
{
	char args[128];

	snprintf(args, sizeof(args), "{\"fdname\":\"%s\"}", name);
	return exec_with_fd(ev, vm, fd, "getfd", args, NULL, deadline);
}

/* QEMU's version as major * 100 + minor (query-version), or -1. */
static int qemu_version(struct evloop *ev, struct vm *vm, uint64_t deadline)
{
	json_object *ret = NULL, *q, *major, *minor;
	int v = -1;

	if (qmp_exec(ev, vm, "query-version", NULL, &ret, deadline))
		return -1;
	if (json_object_object_get_ex(ret, "qemu", &q) && json_object_object_get_ex(q, "major", &major) &&
	    json_object_object_get_ex(q, "minor", &minor))
		v = json_object_get_int(major) * 100 + json_object_get_int(minor);
	json_object_put(ret);
	return v;
}

/*
 * QEMU 9.1 deprecated "fd:" on a file (it warns on every use) for "file:",
 * which takes a descriptor as an fd set ("/dev/fdset/N") and reads or
 * writes the stream at an explicit offset; older QEMUs have only "fd:".
 */
#define FILE_URI_SINCE 901

int qmp_stream_file(struct evloop *ev, struct vm *vm, int fd, const char *name, long long offset,
		    char *uri, size_t size, uint64_t deadline)
{
	json_object *ret = NULL, *set;
	int v = qemu_version(ev, vm, deadline);

	if (v < 0)
		return -1;
	if (v < FILE_URI_SINCE) {
		snprintf(uri, size, "fd:%s", name);
		return qmp_pass_fd(ev, vm, fd, name, deadline);
	}
	if (exec_with_fd(ev, vm, fd, "add-fd", "{}", &ret, deadline))
		return -1;
	if (!json_object_object_get_ex(ret, "fdset-id", &set)) {
		printf("gvmigrate: %s: QMP add-fd answered without an fdset-id\n", vm->name);
		json_object_put(ret);
		return -1;
	}
	snprintf(uri, size, "file:/dev/fdset/%d,offset=%lld", json_object_get_int(set), offset);
	json_object_put(ret);
	return 0;
}

/*
 * GVMIGRATE_FAULT, for the project's own tests: a fault at a known moment,
 * just after the migration started.  kill-destination, kill-source
 * (SIGKILL), stop-destination (SIGSTOP: a destination that hangs),
 * interrupt (SIGINT to the harness itself, as a Ctrl-C).  foreign-connect is
 * injected by run.c, when destination 1's connection is made (tcppair.h).
 */
static void inject_fault(struct vm *src, struct vm *dst)
{
	static bool injected;	/* once per run: the diagnosis migrates too */
	const char *fault = getenv("GVMIGRATE_FAULT");

	/* foreign-connect is run.c's (ready_pair): before the migration. */
	if (!fault || !*fault || injected || !dst || !strcmp(fault, "foreign-connect"))
		return;
	injected = true;
	printf("gvmigrate: injecting fault '%s' (GVMIGRATE_FAULT)\n", fault);
	if (!strcmp(fault, "kill-destination") && dst)
		kill(dst->proc.pid, SIGKILL);
	else if (!strcmp(fault, "kill-source"))
		kill(src->proc.pid, SIGKILL);
	else if (!strcmp(fault, "stop-destination") && dst)
		kill(dst->proc.pid, SIGSTOP);
	else if (!strcmp(fault, "interrupt"))
		kill(getpid(), SIGINT);
}

struct mig_wait {
	struct vm *src, *dst;
};

static bool src_final(const struct vm *src)
{
	return !strcmp(src->mig_status, "completed") || !strcmp(src->mig_status, "failed") ||
	       !strcmp(src->mig_status, "cancelled");
}

static bool src_final_cond(void *arg)
{
	return src_final(arg);
}

/*
 * Success is the destination's word only: running again.  The source can
 * say "completed" while the destination failed to load the stream.
 */
static bool mig_done(void *arg)
{
	struct mig_wait *w = arg;

	if (!w->dst)
		return src_final(w->src) || w->src->proc.exited;
	if (w->dst->resumed || w->dst->proc.exited || !strcmp(w->dst->mig_status, "failed"))
		return true;
	return w->src->proc.exited || !strcmp(w->src->mig_status, "failed") ||
	       !strcmp(w->src->mig_status, "cancelled");
}

/*
 * Who ended a failed migration.  The first event seen is no guide: a
 * destination killed mid-stream makes the source fail its next write at
 * once, and the source's "failed" event can be read before the
 * destination's death is reaped (and the other way round when the source
 * dies).  So after a failure each side is asked over QMP: one that answers
 * was alive after the failure; one whose monitor is gone is dying, and is
 * reaped (its monitor closes when the kernel tears it down, its exit
 * follows).  SETTLE_MS bounds it all, for a QEMU that hangs.
 */
#define SETTLE_MS 5000

static bool exited(void *arg)
{
	struct vm *vm = arg;

	return vm->proc.exited;
}

/* vm's answer to cmd, or NULL (quietly) when its monitor is gone or it hangs. */
static json_object *ask(struct evloop *ev, struct vm *vm, const char *cmd, uint64_t deadline)
{
	json_object *ret = NULL;
	char why[256];

	qmp_call(ev, vm, cmd, NULL, &ret, deadline, why, sizeof(why));
	return ret;
}

/* Ask vm to show it lives; reap it when it does not.  Returns its answer or NULL. */
static json_object *settle(struct evloop *ev, struct vm *vm, const char *cmd, uint64_t deadline)
{
	json_object *ret = ask(ev, vm, cmd, deadline);

	if (!ret)
		evloop_wait(ev, exited, vm, deadline);
	return ret;
}

/* A QEMU that a signal ended died (crash, OOM killer, kill -9): no refusal. */
static bool died(struct vm *vm)
{
	return proc_poll_exit(&vm->proc) && WIFSIGNALED(vm->proc.status);
}

static int report_death(char *err, size_t size, struct vm *src, struct vm *dst)
{
	char st[64], st2[64];

	if (dst && died(dst) && died(src))
		snprintf(err, size, "%s and %s both died (%s; %s)", src->name, dst->name,
			 proc_status_str(&src->proc, st, sizeof(st)),
			 proc_status_str(&dst->proc, st2, sizeof(st2)));
	else if (dst && died(dst))
		snprintf(err, size, "%s died (%s)", dst->name, proc_status_str(&dst->proc, st, sizeof(st)));
	else if (died(src))
		snprintf(err, size, "%s died (%s)", src->name, proc_status_str(&src->proc, st, sizeof(st)));
	else
		return 0;
	return MIGRATE_DIED;
}

/* ", destination 1 exited (exit status 1)" when it did. */
static void append_exit(char *err, size_t size, struct vm *vm)
{
	char st[64];
	size_t len = strlen(err);

	if (proc_poll_exit(&vm->proc) && len < size)
		snprintf(err + len, size - len, "; %s exited (%s)", vm->name,
			 proc_status_str(&vm->proc, st, sizeof(st)));
}

static long json_ms(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? (long)json_object_get_int64(v) : -1;
}

int migrate_run(struct evloop *ev, struct vm *src, struct vm *dst, const char *uri,
		char *err, size_t errsize, uint64_t deadline)
{
	struct mig_wait w = { src, dst };
	json_object *args = json_object_new_object(), *ret = NULL, *desc;
	enum wait_result r;
	uint64_t bound;

	err[0] = '\0';
	/* A QEMU that was a destination before has the events of that migration. */
	src->mig_status[0] = '\0';
	if (dst)
		dst->resumed = false;
	json_object_object_add(args, "uri", json_object_new_string(uri));
	if (qmp_exec(ev, src, "migrate", args, NULL, deadline)) {
		snprintf(err, errsize, "the source refused to start the migration");
		return -1;
	}
	inject_fault(src, dst);
	r = evloop_wait(ev, mig_done, &w, deadline);
	if (r != WAIT_OK) {
		snprintf(err, errsize, "the migration %s (source: %s, destination: %s)",
			 wait_name(r), src->mig_status[0] ? src->mig_status : "no event",
			 dst ? (dst->mig_status[0] ? dst->mig_status : "no event") : "-");
		return r == WAIT_TIMEOUT ? MIGRATE_TIMED_OUT : -1;
	}
	if (dst ? dst->resumed && !dst->proc.exited : !strcmp(src->mig_status, "completed"))
		return 0;
	/* Failed: what the source knows about why; and who is still alive. */
	bound = now_ms() + SETTLE_MS < deadline ? now_ms() + SETTLE_MS : deadline;
	if ((ret = settle(ev, src, "query-migrate", bound))) {
		if (json_object_object_get_ex(ret, "error-desc", &desc))
			snprintf(err, errsize, "source: %s", json_object_get_string(desc));
		json_object_put(ret);
	}
	if (dst)
		json_object_put(settle(ev, dst, "query-status", bound));
	if (ev->signal)
		return -1;
	if (report_death(err, errsize, src, dst))
		return MIGRATE_DIED;
	if (!err[0] && dst && (dst->proc.exited || !strcmp(dst->mig_status, "failed")))
		snprintf(err, errsize, "the destination failed to load the migration stream");
	else if (!err[0])
		snprintf(err, errsize, "source status '%s'", src->mig_status[0] ? src->mig_status : "unknown");
	append_exit(err, errsize, src);
	if (dst)
		append_exit(err, errsize, dst);
	return -1;
}

/* How long migrate_stats asks again for figures QEMU has not computed yet. */
#define STATS_WAIT_MS 500

void migrate_stats(struct evloop *ev, struct vm *src, struct mig_stats *st, uint64_t deadline)
{
	json_object *ret = NULL;

	*st = (struct mig_stats){ -1, -1, -1 };
	/* With the return path the source completes when the destination took over. */
	evloop_wait(ev, src_final_cond, src, deadline);
	/*
	 * QEMU 7.2 emits "completed" a moment before its migration thread
	 * computes total-time: an answer with total-time 0 is asked again (QMP
	 * round trips, no sleeping).  Five were too few on a loaded machine
	 * (figures missing in about one run in three): up to STATS_WAIT_MS.
	 */
	uint64_t until = now_ms() + STATS_WAIT_MS;

	for (int tries = 0; tries < 5 || now_ms() < until; tries++) {
		json_object_put(ret);
		ret = NULL;
		if (src->proc.exited || qmp_exec(ev, src, "query-migrate", NULL, &ret, deadline))
			return;
		if (json_ms(ret, "total-time") != 0)
			break;
	}
	if (getenv("GVMIGRATE_DEBUG"))
		printf("gvmigrate: debug: %s query-migrate: %s\n", src->name, json_object_to_json_string(ret));
	st->total_ms = json_ms(ret, "total-time");
	st->downtime_ms = json_ms(ret, "downtime");
	st->setup_ms = json_ms(ret, "setup-time");
	json_object_put(ret);
}
