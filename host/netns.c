/*
 * netns.c: two network namespaces joined by a veth pair, made for one run
 * and removed after it: a rehearsal of migrating between two hosts on one
 * machine.  Link-local addresses (169.254.213.1 and .2): nothing outside
 * the pair can reach them.
 *
 * Names are "gvm-PID-RANDOM-a" and "-b": unique, and a run killed with
 * SIGKILL leaves namespaces whose PID names a process that is gone; the next
 * --netns run deletes those.  The veth pair is made inside the namespaces,
 * so it never exists outside them and goes with them.
 */
#include "gvmigrate.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NS_DIR "/run/netns"
#define NS_PREFIX "gvm-"

/*
 * Run ip with argv (it dies with us too); on failure, if report, print the
 * command and what ip said.
 */
static int ip(char *const argv[], char *why, size_t whysize)
{
	char out[1024], cmd[512] = "";
	size_t len = 0;
	int pfd[2], status = -1;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	while (pid > 0 && (n = read(pfd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(pfd[0]);
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (!why)
		return -1;
	/* The command and ip's own message, on one line: the run's reason. */
	for (char *p = out; *p; p++)
		if (*p == '\n')
			*p = *(p + 1) ? ' ' : '\0';
	for (int i = 0; argv[i]; i++)
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s", i ? " " : "", argv[i]);
	snprintf(why, whysize, "cannot make the network namespaces: '%s' failed: %s", cmd,
		 len ? out : pid < 0 ? strerror(errno) : "no message");
	printf("gvmigrate: %s\n", why);
	return -1;
}

#define IP(...) do {							\
	char *const argv_[] = { "ip", __VA_ARGS__, NULL };		\
	if (ip(argv_, r->why, sizeof(r->why)))				\
		return EXIT_HARNESS;					\
} while (0)

static bool in_path(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	for (const char *p = path ? path : "/usr/sbin:/usr/bin:/sbin:/bin"; *p;) {
		size_t len = strcspn(p, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, len ? p : ".", cmd);
		if (!access(buf, X_OK))
			return true;
		p += len + (p[len] == ':');
	}
	return false;
}

/* Whether this process may make network namespaces at all: 0, or the kernel's errno. */
static int may_unshare(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) ? errno & 0xff : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return errno ? errno : EAGAIN;
	return WEXITSTATUS(status);
}

/* Delete the namespaces of runs that are gone ("gvm-PID-..." with no such PID). */
static void clean_stale(void)
{
	DIR *d = opendir(NS_DIR);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (!left_by_dead_run(e->d_name, NS_PREFIX))
			continue;
		char *const argv[] = { "ip", "netns", "delete", e->d_name, NULL };
		printf("gvmigrate: deleting network namespace %s, left by a run that was killed\n",
		       e->d_name);
		ip(argv, NULL, 0);
	}
	if (d)
		closedir(d);
}

/* Two names no namespace has yet. */
static void pick_names(struct run *r)
{
	char path[PATH_MAX];
	unsigned int rnd;

	for (;;) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd = (unsigned int)random();
		for (int i = 0; i < 2; i++)
			snprintf(r->ns[i], sizeof(r->ns[i]), NS_PREFIX "%d-%08x-%c", (int)getpid(), rnd,
				 'a' + i);
		snprintf(path, sizeof(path), NS_DIR "/%s", r->ns[0]);
		if (access(path, F_OK)) {
			snprintf(path, sizeof(path), NS_DIR "/%s", r->ns[1]);
			if (access(path, F_OK))
				return;
		}
	}
}

int netns_up(struct run *r)
{
	char cidr[2][32];
	char veth[2][8] = { "gva", "gvb" };	/* each inside its own namespace */
	int err = may_unshare();

	/* Not possible here (a skip): no right to make namespaces, or no ip. */
	if (err) {
		printf("gvmigrate: SKIP: cannot make network namespaces here: %s "
		       "(root or CAP_SYS_ADMIN needed for --netns)\n", strerror(err));
		return EXIT_SKIP;
	}
	if (!in_path("ip")) {
		printf("gvmigrate: SKIP: cannot make network namespaces here: no 'ip' in PATH "
		       "(iproute2 needed for --netns)\n");
		return EXIT_SKIP;
	}
	clean_stale();
	pick_names(r);
	for (int i = 0; i < 2; i++) {
		snprintf(r->addr[i], sizeof(r->addr[i]), "169.254.213.%d", i + 1);
		snprintf(cidr[i], sizeof(cidr[i]), "%s/30", r->addr[i]);
	}
	/* Possible here: from now on a failure of ip is an error, with its message. */
	for (int i = 0; i < 2; i++) {
		IP("netns", "add", r->ns[i]);
		r->ns_made[i] = true;
	}
	IP("-n", r->ns[0], "link", "add", veth[0], "type", "veth", "peer", "name", veth[1],
	   "netns", r->ns[1]);
	r->link_made = true;
	for (int i = 0; i < 2; i++) {
		IP("-n", r->ns[i], "addr", "add", cidr[i], "dev", veth[i]);
		IP("-n", r->ns[i], "link", "set", veth[i], "up");
		IP("-n", r->ns[i], "link", "set", "lo", "up");
	}
	printf("gvmigrate: network namespaces %s (%s) and %s (%s)\n", r->ns[0], r->addr[0],
	       r->ns[1], r->addr[1]);
	return 0;
}

void netns_down(struct run *r)
{
	/* Deleting a namespace deletes the veth end in it, and so its peer. */
	for (int i = 0; i < 2; i++)
		if (r->ns_made[i]) {
			char *const argv[] = { "ip", "netns", "delete", r->ns[i], NULL };
			ip(argv, NULL, 0);
			r->ns_made[i] = false;
		}
}
