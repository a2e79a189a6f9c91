/* evloop.c: see evloop.h. */
#include "evloop.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t now_ms(void)
{
	return now_ns() / 1000000ULL;
}

int evloop_init(struct evloop *ev)
{
	sigset_t set;

	memset(ev, 0, sizeof(*ev));
	ev->watch_fd = -1;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);	/* a dead QEMU's stdin is an error to report, not a death */
	ev->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return ev->sigfd < 0 ? -1 : 0;
}

void evloop_add(struct evloop *ev, struct vm *vm)
{
	for (int i = 0; i < EV_MAX_VMS; i++)
		if (!ev->vms[i]) {
			ev->vms[i] = vm;
			return;
		}
}

void evloop_del(struct evloop *ev, struct vm *vm)
{
	for (int i = 0; i < EV_MAX_VMS; i++)
		if (ev->vms[i] == vm)
			ev->vms[i] = NULL;
}

/* What each pollfd slot stands for. */
enum slot_kind { S_SIGNAL, S_WATCH, S_CONSOLE, S_STDERR, S_QMP_LISTEN, S_QMP, S_EXIT };

static void dispatch(struct evloop *ev, enum slot_kind kind, struct vm *vm)
{
	struct signalfd_siginfo si;

	switch (kind) {
	case S_SIGNAL:
		if (read(ev->sigfd, &si, sizeof(si)) == sizeof(si))
			ev->signal = (int)si.ssi_signo;
		break;
	case S_WATCH:
		ev->watch_ready = true;
		break;
	case S_CONSOLE:
		if (vm_on_console(vm) < 0) {
			close(vm->proc.out_fd);
			vm->proc.out_fd = -1;
		}
		break;
	case S_STDERR:
		if (vm_on_stderr(vm) < 0) {
			close(vm->proc.err_fd);
			vm->proc.err_fd = -1;
		}
		break;
	case S_QMP_LISTEN:
		vm_on_qmp_listen(vm);
		break;
	case S_QMP:
		if (qmp_on_readable(&vm->qmp) < 0)
			qmp_close(&vm->qmp);
		break;
	case S_EXIT:
		proc_poll_exit(&vm->proc);
		break;
	}
}

static int poll_once(struct evloop *ev, int timeout_ms)
{
	struct pollfd fds[2 + EV_MAX_VMS * 5];
	enum slot_kind kinds[2 + EV_MAX_VMS * 5];
	struct vm *owners[2 + EV_MAX_VMS * 5];
	int n = 0, rc;

#define ADD(fd_, kind_, vm_) do {					\
	fds[n] = (struct pollfd){ .fd = (fd_), .events = POLLIN };	\
	kinds[n] = (kind_);						\
	owners[n++] = (vm_);						\
} while (0)
	ADD(ev->sigfd, S_SIGNAL, NULL);
	if (ev->watch_fd >= 0 && !ev->watch_ready)
		ADD(ev->watch_fd, S_WATCH, NULL);
	for (int i = 0; i < EV_MAX_VMS; i++) {
		struct vm *vm = ev->vms[i];
		if (!vm)
			continue;
		if (vm->proc.out_fd >= 0)
			ADD(vm->proc.out_fd, S_CONSOLE, vm);
		if (vm->proc.err_fd >= 0)
			ADD(vm->proc.err_fd, S_STDERR, vm);
		if (vm->qmp_listen >= 0)
			ADD(vm->qmp_listen, S_QMP_LISTEN, vm);
		if (vm->qmp.fd >= 0)
			ADD(vm->qmp.fd, S_QMP, vm);
		/* The pidfd only after the pipes drained: all output comes first. */
		if (!vm->proc.exited && vm->proc.pidfd >= 0 && vm->proc.out_fd < 0)
			ADD(vm->proc.pidfd, S_EXIT, vm);
	}
#undef ADD
	rc = poll(fds, (nfds_t)n, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -1;
	for (int i = 0; i < n; i++)
		if (fds[i].revents)
			dispatch(ev, kinds[i], owners[i]);
	return rc;
}

enum wait_result evloop_wait(struct evloop *ev, bool (*cond)(void *arg), void *arg,
			     uint64_t deadline_ms)
{
	for (;;) {
		uint64_t now;

		if (ev->signal)
			return WAIT_SIGNAL;
		if (cond(arg))
			return WAIT_OK;
		now = now_ms();
		if (now >= deadline_ms)
			return WAIT_TIMEOUT;
		if (poll_once(ev, (int)(deadline_ms - now > 60000 ? 60000 : deadline_ms - now)) < 0)
			return WAIT_SIGNAL;
	}
}
