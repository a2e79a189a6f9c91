/* proc.c: see proc.h. */
#include "proc.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(char *const argv[], const struct proc_opts *opts, int in[2], int out[2],
		  int err[2], pid_t parent)
{
	sigset_t none;

	/* Die with the harness, whatever kills it (even SIGKILL). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (opts && opts->netns) {
		char path[256];
		int fd;
		snprintf(path, sizeof(path), "/run/netns/%s", opts->netns);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			dprintf(err[1], "gvmigrate: cannot enter network namespace %s: %s\n",
				path, strerror(errno));
			_exit(126);
		}
	}
	if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
		_exit(126);
	if (opts && opts->stream_fd >= 0 && dup2(opts->stream_fd, PROC_STREAM_FD) < 0)
		_exit(126);
	/* Everything else was opened O_CLOEXEC. */
	execvp(argv[0], argv);
	dprintf(2, "gvmigrate: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int proc_start(struct proc *p, char *const argv[], const struct proc_opts *opts)
{
	int in[2], out[2], err[2];
	pid_t parent = getpid();

	memset(p, 0, sizeof(*p));
	p->in_fd = p->out_fd = p->err_fd = p->pidfd = -1;
	if (pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) < 0)
		goto close_in;
	if (pipe2(err, O_CLOEXEC) < 0)
		goto close_out;
	p->pid = fork();
	if (p->pid < 0)
		goto close_err;
	if (p->pid == 0)
		child(argv, opts, in, out, err, parent);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->pidfd = pidfd_open(p->pid, 0);
	p->in_fd = in[1];
	p->out_fd = out[0];
	p->err_fd = err[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
	return 0;
close_err:
	close(err[0]);
	close(err[1]);
close_out:
	close(out[0]);
	close(out[1]);
close_in:
	close(in[0]);
	close(in[1]);
	return -1;
}

bool proc_poll_exit(struct proc *p)
{
	if (!p->exited && p->pid > 0 && waitpid(p->pid, &p->status, WNOHANG) == p->pid)
		p->exited = true;
	return p->exited;
}

void proc_stop(struct proc *p, int grace_ms)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };

	if (p->pid <= 0 || proc_poll_exit(p))
		return;
	kill(p->pid, SIGTERM);
	if (p->pidfd >= 0)
		poll(&pfd, 1, grace_ms);
	if (!proc_poll_exit(p)) {
		kill(p->pid, SIGKILL);
		if (waitpid(p->pid, &p->status, 0) == p->pid)
			p->exited = true;
	}
}

void proc_close_fds(struct proc *p)
{
	int *fds[] = { &p->in_fd, &p->out_fd, &p->err_fd, &p->pidfd };

	for (unsigned int i = 0; i < 4; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

const char *proc_status_str(const struct proc *p, char *buf, size_t size)
{
	if (!p->exited)
		snprintf(buf, size, "still running");
	else if (WIFEXITED(p->status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(p->status));
	else if (WIFSIGNALED(p->status))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(p->status));
	else
		snprintf(buf, size, "wait status 0x%x", p->status);
	return buf;
}
