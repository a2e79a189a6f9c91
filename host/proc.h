/*
 * proc.h: child processes of the harness.  Each child gets pipes for
 * stdin, stdout and stderr, dies with the harness (PR_SET_PDEATHSIG), can
 * be placed in a network namespace, and can inherit one extra file
 * descriptor (a migration stream file) at a fixed number.
 */
#ifndef GUESTVIEW_PROC_H
#define GUESTVIEW_PROC_H
#include <stdbool.h>
#include <sys/types.h>

#define PROC_STREAM_FD 3	/* where an inherited stream file appears */

struct proc {
	pid_t pid;
	int in_fd, out_fd, err_fd;	/* our ends; -1 when closed */
	int pidfd;			/* readable once the child has exited */
	bool exited;
	int status;			/* waitpid status once exited */
};

struct proc_opts {
	const char *netns;		/* name under /run/netns, or NULL */
	int stream_fd;			/* our fd to hand over as PROC_STREAM_FD, or -1 */
};

/* argv[0] is looked up in PATH.  Returns 0, or -1 with errno. */
int proc_start(struct proc *p, char *const argv[], const struct proc_opts *opts);
/* Reap if it has exited (non-blocking); true when it has. */
bool proc_poll_exit(struct proc *p);
/* SIGTERM, then SIGKILL after grace_ms (waiting on the pidfd); always reaps. */
void proc_stop(struct proc *p, int grace_ms);
void proc_close_fds(struct proc *p);
/* "exit status 1", "killed by signal 9" */
const char *proc_status_str(const struct proc *p, char *buf, size_t size);

#endif
