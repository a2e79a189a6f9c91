/* vm.c: see vm.h. */
#include "vm.h"
#include "fpblock.h"
#include "outcomes.h"
#include "migproto.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>


static void on_event(void *ctx, const char *name, json_object *data)
{
	struct vm *vm = ctx;
	json_object *st;

	if (!strcmp(name, "MIGRATION") && json_object_object_get_ex(data, "status", &st))
		snprintf(vm->mig_status, sizeof(vm->mig_status), "%s", json_object_get_string(st));
	else if (!strcmp(name, "RESUME"))
		vm->resumed = true;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int vm_start(struct vm *vm, const char *name, char *const argv[], const char *dir,
	     bool incoming, const struct proc_opts *opts)
{
	static unsigned int serial;
	char chardev[PATH_MAX + 64];
	char *const extra[] = { "-chardev", chardev, "-mon", "chardev=gvqmp,mode=control",
				"-incoming", "defer" };
	size_t n = 0, nextra = incoming ? 6 : 4;
	char **full;
	int rc;

	memset(vm, 0, sizeof(*vm));
	snprintf(vm->name, sizeof(vm->name), "%s", name);
	vm->incoming = incoming;
	vm->qmp.fd = -1;
	vm->src_end = -1;
	snprintf(vm->qmp_path, sizeof(vm->qmp_path), "%s/qmp%u.sock", dir, ++serial);
	vm->qmp_listen = listen_unix(vm->qmp_path);
	if (vm->qmp_listen < 0)
		return -1;
	snprintf(chardev, sizeof(chardev), "socket,id=gvqmp,path=%s", vm->qmp_path);
	while (argv[n])
		n++;
	full = calloc(n + nextra + 1, sizeof(*full));
	if (!full)
		return -1;
	memcpy(full, argv, n * sizeof(*full));
	memcpy(full + n, extra, nextra * sizeof(*full));
	rc = proc_start(&vm->proc, full, opts);
	free(full);
	return rc;
}

int vm_on_qmp_listen(struct vm *vm)
{
	int fd = accept4(vm->qmp_listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return errno == EAGAIN ? 0 : -1;
	close(vm->qmp_listen);
	vm->qmp_listen = -1;
	unlink(vm->qmp_path);
	qmp_init(&vm->qmp, fd, on_event, vm);
	return 0;
}

bool vm_qmp_ready(const struct vm *vm)
{
	return vm->qmp.fd >= 0 && vm->qmp.capable;
}

static void console_line(struct vm *vm, const char *line)
{
	unsigned int seq;

	vm->console_lines++;
	fpblock_console_line(vm, line);
	if (!strncmp(line, OUTCOME_EXIT_LINE, strlen(OUTCOME_EXIT_LINE)))
		snprintf(vm->exit_status, sizeof(vm->exit_status), "%.*s", (int)sizeof(vm->exit_status) - 1,
			 line + strlen(OUTCOME_EXIT_LINE));
	else if (!strncmp(line, "SUMMARY: ", 9))
		snprintf(vm->summary, sizeof(vm->summary), "%.*s", (int)sizeof(vm->summary) - 1, line + 9);
	else if (sscanf(line, MIGPROTO " " MIGPROTO_REQUEST " " MIGPROTO_SEQ "%u", &seq) == 1)
		vm->request = REQ_MIGRATE, vm->request_seq = seq;
	else if (sscanf(line, MIGPROTO " " MIGPROTO_CLOCK " " MIGPROTO_SEQ "%u", &seq) == 1)
		vm->request = REQ_CLOCK, vm->request_seq = seq;
	else if (!strncmp(line, MIGPROTO " " MIGPROTO_SKIP, strlen(MIGPROTO " " MIGPROTO_SKIP)))
		vm->request = REQ_SKIP;
}

int vm_on_console(struct vm *vm)
{
	char line[LINEBUF_SIZE];
	long n = linebuf_fill(&vm->out, vm->proc.out_fd);

	while (linebuf_next(&vm->out, line, sizeof(line)))
		console_line(vm, line);
	if (n == 0)
		fpblock_owner_gone(vm);
	fflush(stdout);
	return n == 0 ? -1 : 0;
}

/*
 * A connection to a destination's migration port that failed QEMU's TLS
 * handshake (migtls.c: the stream is authenticated with the run's key):
 * whoever gets into a --netns destination's namespace can connect first
 * (same-host tcp has no port: tcppair.h), and QEMU says
 * "qemu-system-aarch64: TLS handshake failed: <GnuTLS's reason>" and keeps
 * waiting.  Not the run's error, so not first_error; but the run's report
 * must say it happened (vm->foreign, QEMU's words from "TLS handshake").
 */
static const char TLS_REFUSAL[] = "TLS handshake failed";
/* How QEMU's warn_report() marks a line (after its program name and option). */
static const char QEMU_WARNING[] = ": warning: ";

static bool foreign_refused(struct vm *vm, const char *line)
{
	const char *p = strstr(line, TLS_REFUSAL);

	/* Only a QEMU waiting for a stream (-incoming) has a port to connect to. */
	if (!p || !vm->incoming)
		return false;
	if (!vm->foreign[0])
		snprintf(vm->foreign, sizeof(vm->foreign), "%.*s", (int)sizeof(vm->foreign) - 1, p);
	return true;
}

int vm_on_stderr(struct vm *vm)
{
	char line[LINEBUF_SIZE];
	long n = linebuf_fill(&vm->err, vm->proc.err_fd);

	while (linebuf_next(&vm->err, line, sizeof(line))) {
		size_t used = strlen(vm->errors);

		fpblock_stderr_line(vm->name, line);
		if (used < sizeof(vm->errors))
			snprintf(vm->errors + used, sizeof(vm->errors) - used, "%.*s\n",
				 (int)(sizeof(vm->errors) - used - 1), line);
		if (foreign_refused(vm, line))
			continue;
		/* A warning ("qemu-system-aarch64: warning: ...", or "...: -mon
		 * ...: warning: ..." from QEMU 11.1) is not why a run failed. */
		if (!vm->first_error[0] && !strstr(line, QEMU_WARNING))
			snprintf(vm->first_error, sizeof(vm->first_error), "%.*s",
				 (int)sizeof(vm->first_error) - 1, line);
	}
	fflush(stdout);
	return n == 0 ? -1 : 0;
}

int vm_send_line(struct vm *vm, const char *line)
{
	size_t len = strlen(line);
	char buf[512];

	if (len + 2 > sizeof(buf) || vm->proc.in_fd < 0)
		return -1;
	memcpy(buf, line, len);
	buf[len++] = '\n';
	return write(vm->proc.in_fd, buf, len) == (ssize_t)len ? 0 : -1;
}

void vm_stop(struct vm *vm)
{
	fpblock_owner_gone(vm);
	proc_stop(&vm->proc, 2000);
	proc_close_fds(&vm->proc);
	qmp_close(&vm->qmp);
	if (vm->src_end >= 0) {
		close(vm->src_end);
		vm->src_end = -1;
	}
	if (vm->qmp_listen >= 0) {
		close(vm->qmp_listen);
		vm->qmp_listen = -1;
		unlink(vm->qmp_path);
	}
}
